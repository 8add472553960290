"""What IT sees when a ``frontdesk`` command fails: an exit code and a bilingual message.

Each failure IT meets in the field (full disk, read-only folder, head office down or
saying no, a damaged file, the workstation in use, the wrong key file) has one exit code
and one message that names the cause and what to do. The table is documented in
``docs/install.md`` ("Exit codes") and a test checks the two agree.

Pure data: the mapping from exceptions to these codes lives in ``frontdesk/ops/failures.py``.
"""

from __future__ import annotations

from . import messages

EXIT_OK = 0
EXIT_PROBLEM = 1  # the command ran and found a problem (health, selfcheck, rejected records)
EXIT_USAGE = 2  # a bad option, config file or folder; another workstation's backup
EXIT_STORAGE = 3  # the disk refused: full, read-only, no permission, I/O error
EXIT_UNREACHABLE = 4  # head office did not answer
EXIT_REFUSED = 5  # head office answered and said no (wrong code, revoked, flagged)
EXIT_DAMAGED = 6  # a database or backup file is damaged or not a frontdesk database
EXIT_IN_USE = 7  # the workstation is open in the app, the sync agent or another command
EXIT_KEYS = 8  # the key file is missing, belongs to another counter, or a wrong passphrase
EXIT_INTERNAL = 70  # an unexpected error: the message names the log file with the details

EXIT_CODES: dict[int, str] = {
    EXIT_OK: "success",
    EXIT_PROBLEM: "the command ran and found a problem",
    EXIT_USAGE: "bad option, config file or data folder",
    EXIT_STORAGE: "disk full, read-only, no permission or I/O error",
    EXIT_UNREACHABLE: "head office unreachable",
    EXIT_REFUSED: "head office refused",
    EXIT_DAMAGED: "damaged database or backup",
    EXIT_IN_USE: "workstation in use",
    EXIT_KEYS: "key file problem",
    EXIT_INTERNAL: "unexpected error (see the log)",
}

messages.define_field("data_dir", zh="数据目录", en="Data folder")
messages.define_field("head_office", zh="总部服务器", en="Head office")
messages.define_field("backup_file", zh="备份文件", en="Backup file")
messages.define_field("key_file", zh="密钥文件", en="Key file")

DISK_FULL = messages.define(
    "it.disk_full",
    zh="磁盘空间已满（{path}），未做任何更改。请清理磁盘后重试。",
    en="the disk is full ({path}); nothing was changed. Free some space and try again.",
)
READ_ONLY = messages.define(
    "it.read_only",
    zh="{field}只读（{path}），未做任何更改。请检查磁盘挂载或目录权限。",
    en="{field} is read-only ({path}); nothing was changed. Check the mount or the "
    "folder's permissions.",
)
NO_PERMISSION = messages.define(
    "it.no_permission",
    zh="当前账号（{user}）无权访问{field}（{path}），未做任何更改。请用准备该目录的账号运行，"
    "或按安装说明设置目录权限。",
    en="this account ({user}) may not use the {field} ({path}); nothing was changed. Run "
    "as the account the folder was prepared for, or set its permissions as docs/install.md "
    "says.",
)
DISK_ERROR = messages.define(
    "it.disk_error",
    zh="磁盘读写错误（{path}）：{detail}。未做任何更改。请检查磁盘。",
    en="disk error ({path}): {detail}. Nothing was changed. Check the disk.",
)
HO_UNREACHABLE = messages.define(
    "it.ho_unreachable",
    zh="总部服务器 {url} 无法连接：{detail}。尚未上传的记录仍保留在本机；请检查网络和地址后重试。",
    en="head office {url} did not answer: {detail}. Records not yet sent stay on this PC; "
    "check the network and the address, then try again.",
)
HO_REFUSED = messages.define(
    "it.ho_refused",
    zh="总部服务器拒绝了请求（{status} {error}）：{detail}。尚未上传的记录仍保留在本机；"
    "请 IT 查看总部对本机的状态（见 docs/sync.md）。",
    en="head office refused the request ({status} {error}): {detail}. Records not yet sent "
    "stay on this PC; IT should check this workstation's status at head office "
    "(docs/sync.md).",
)
ENROL_CODE_REFUSED = messages.define(
    "it.enrol_code_refused",
    zh="总部不接受该注册码（{detail}）。注册码只能用一次，且须为本机的营业厅和工作站签发；"
    "请向 IT 申请新的注册码。未做任何更改。",
    en="head office does not accept this enrolment code ({detail}). A code is used once and "
    "is issued for this branch and workstation; ask for a new one. Nothing was changed.",
)
DB_DAMAGED = messages.define(
    "it.db_damaged",
    zh="数据库文件已损坏（{path}）：{detail}。未做任何更改；请从备份恢复（见安装说明）。",
    en="the database file is damaged ({path}): {detail}. Nothing was changed; restore a "
    "backup (docs/install.md).",
)
BACKUP_DAMAGED = messages.define(
    "it.backup_damaged",
    zh="备份文件已损坏或不是 frontdesk 的备份（{path}）：{detail}。未做任何更改；"
    "请选择另一份备份。",
    en="the backup is damaged or not a frontdesk backup ({path}): {detail}. Nothing was "
    "changed; choose another backup.",
)
IN_USE = messages.define(
    "it.in_use",
    zh="工作站正在使用中（{holder}）。请先关闭前台程序和同步服务，再运行此命令。未做任何更改。",
    en="the workstation is in use ({holder}). Close the counter application and the sync "
    "agent first, then run this command again. Nothing was changed.",
)
KEYS = messages.define(
    "it.keys",
    zh="密钥文件有问题：{detail}。未做任何更改；更换电脑时请按安装说明导入原机的密钥。",
    en="key file problem: {detail}. Nothing was changed; on a replacement PC import the "
    "old PC's keys as docs/install.md says.",
)
INTERNAL = messages.define(
    "it.internal",
    zh="发生意外错误（{detail}）。详情已写入日志 {log}，请交给 IT。",
    en="an unexpected error occurred ({detail}). The details are in the log {log}; pass "
    "them to IT.",
)

messages.define_field("numbers", zh="票据号", en="Slip and receipt numbers")
NUMBERS_UNCONFIRMED = messages.define(
    "it.numbers_unconfirmed",
    zh="本机刚从备份（{backup}）恢复，须先与总部同步、确认最后的票据号后才能结算，以免重复使用"
    "票据号。请检查网络后立即同步，或联系 IT。",
    en="this counter was restored from a backup ({backup}); it must confirm its last slip and "
    "receipt numbers with head office (a sync) before settling, so that no number is used "
    "twice. Check the network and sync now, or call IT.",
)

FILE_EXISTS = messages.define(
    "it.file_exists",
    zh="文件 {path} 已存在，未覆盖。请换一个文件名。",
    en="the file {path} already exists and was not overwritten; choose another name.",
)
FILE_MISSING = messages.define(
    "it.file_missing",
    zh="找不到文件 {path}，未做任何更改。请检查路径。",
    en="the file {path} was not found; nothing was changed. Check the path.",
)
DATASET_REFUSED = messages.define(
    "it.dataset_refused",
    zh="本机没有接受总部下发的数据：{detail}。本机继续使用现有版本；请总部更正后重新发布。",
    en="this counter did not accept a dataset from head office: {detail}. It keeps the "
    "version it has; head office must correct and publish it again.",
)
