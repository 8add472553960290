"""The workstation's commands: init, demo, gui, health, audit, backup/restore, purge,
selfcheck, keys, enrol, sync. Heavy imports stay inside each command (start-up budget)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import (
    DEMO_BRANCH,
    DEMO_WORKSTATION,
    EXIT_OK,
    EXIT_PROBLEM,
    EXIT_USAGE,
)
from .common import data_dir_of as _data_dir


def cmd_init(args: argparse.Namespace) -> int:
    import logging

    from ..services.workstation import initialise

    ws = initialise(
        _data_dir(args),
        branch_code=args.branch,
        workstation_code=args.workstation,
        branch_name=args.branch_name,
        head_office_url=args.head_office_url,
    )
    logging.getLogger("frontdesk.cli").info(
        "initialised %s as %s/%s, schema %s",
        ws.data_dir,
        ws.identity.branch_code,
        ws.identity.workstation_code,
        ws.migration.after if ws.migration else "",
    )
    print(
        f"已初始化 / initialised: {ws.data_dir} ({ws.identity.branch_code}/"
        f"{ws.identity.workstation_code}), schema {ws.migration.after if ws.migration else ''}"
    )
    ws.close()
    return EXIT_OK


def open_or_init_demo(data_dir: Path):
    """Open the demo workstation in ``data_dir``, creating it and its data the first time."""
    from ..services.demo import load_demo_data
    from ..services.workstation import Workstation, initialise

    if (data_dir / "frontdesk.toml").exists():
        ws = Workstation.open(data_dir)
    else:
        ws = initialise(
            data_dir,
            branch_code=DEMO_BRANCH,
            workstation_code=DEMO_WORKSTATION,
            branch_name="北京朝阳建国路营业厅（演示）",
        )
    return ws, load_demo_data(ws)


def cmd_demo(args: argparse.Namespace) -> int:
    data_dir = Path(args.data_dir) if args.data_dir else Path.cwd() / "demo-data"
    first_time = not (data_dir / "frontdesk.toml").exists()
    ws, accounts = open_or_init_demo(data_dir)
    if first_time:
        print(f"演示数据已生成 / demo workstation created in {data_dir}")
        print("演示账号（仅显示这一次）/ demo accounts (shown once):")
        for a in accounts:
            print(f"  {a.username:<10} {a.password:<14} {a.role.value:<9} {a.display_name}")
    ws.close()
    if args.no_gui:
        return EXIT_OK
    return _start_gui(data_dir, demo=True)


def _start_gui(data_dir: Path, *, demo: bool = False) -> int:
    try:
        from ..gui.app import run_app
    except ImportError as exc:  # GUI extras missing in a headless install
        print(f"无法启动图形界面 / cannot start the GUI: {exc}", file=sys.stderr)
        return EXIT_PROBLEM
    return run_app(data_dir, demo=demo)


def cmd_gui(args: argparse.Namespace) -> int:
    return _start_gui(_data_dir(args))


def cmd_health(args: argparse.Namespace) -> int:
    from ..services.health import check_health
    from ..services.workstation import Workstation

    ws = Workstation.open(_data_dir(args))
    try:
        report = check_health(ws)
    finally:
        ws.close()
    print("\n".join(report.lines()))
    return EXIT_OK if report.healthy else EXIT_PROBLEM


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """Verify the keyed audit chain and its outbox copies; exit 1 naming what broke."""
    from ..services.integrity import verify_audit
    from ..services.workstation import Workstation

    ws = Workstation.open(_data_dir(args))
    try:
        report = verify_audit(ws)
    finally:
        ws.close()
    print(("审计链完好 / " if report.intact else "审计链有问题 / ") + report.chain.describe())
    for line in report.problem_lines():
        print(f"problem: {line}")
    return EXIT_OK if report.intact else EXIT_PROBLEM


def cmd_audit_export(args: argparse.Namespace) -> int:
    """Write the audit chain to a JSON-lines file (the export is itself audited)."""
    from ..services.integrity import export_audit
    from ..services.workstation import Workstation

    ws = Workstation.open(_data_dir(args))
    try:
        done = export_audit(ws, Path(args.out), actor_id=None)
    except OSError as exc:
        print(f"错误 / error: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_PROBLEM
    finally:
        ws.close()
    state = "完好 / intact" if done.intact else "有断点 / BROKEN (see 'frontdesk audit verify')"
    print(f"已导出 / exported {done.entries} audit entries to {done.path}; chain {state}")
    return EXIT_OK if done.intact else EXIT_PROBLEM


def cmd_backup(args: argparse.Namespace) -> int:
    import logging

    from ..services.workstation import Workstation
    from ..store.backup import list_backups, take_backup

    if args.list:
        folder = _data_dir(args) / "backups"
        for path in list_backups(folder):
            print(f"{path}\t{path.stat().st_size:,} bytes")
        return EXIT_OK
    ws = Workstation.open(_data_dir(args))
    try:
        info = take_backup(ws.db_path, ws.backup_dir, "manual", keep=ws.config.backup.keep)
    finally:
        ws.close()
    logging.getLogger("frontdesk.cli").info("backup written: %s", info.path)
    print(f"备份完成 / backup written: {info.path}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore a backup over this workstation's database.

    Refused while anything has the workstation open (the app, its sync agent, another
    command): the exclusive workstation lock is held from the checks to the last write.
    """
    import logging

    from alembic.script import ScriptDirectory

    from ..config import load_config, write_config
    from ..ops.backups import mark_restored, restore
    from ..ops.lock import WorkstationLock
    from ..services.workstation import DB_FILE_NAME
    from ..store.backup import prune_before_restore
    from ..store.migrate import alembic_config

    data_dir = _data_dir(args)
    config = load_config(data_dir)
    ws_cfg = config.workstation
    known = {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    with WorkstationLock(data_dir).acquire(exclusive=True):
        identity, kept = restore(
            Path(args.backup),
            data_dir / DB_FILE_NAME,
            branch_code=ws_cfg.branch_code,
            workstation_code=ws_cfg.workstation_code,
            known_revisions=known,
            force=args.force,
        )
        if _syncs_with_head_office(data_dir, config, data_dir / DB_FILE_NAME):
            mark_restored(data_dir / DB_FILE_NAME, Path(args.backup).name)
        if (
            (identity.branch_code, identity.workstation_code)
            != (ws_cfg.branch_code, ws_cfg.workstation_code)
            and identity.branch_code
            and identity.workstation_code
        ):
            # forced: this PC takes over the backed-up counter (a replaced machine)
            write_config(
                data_dir,
                config.model_copy(
                    update={
                        "workstation": ws_cfg.model_copy(
                            update={
                                "branch_code": identity.branch_code,
                                "workstation_code": identity.workstation_code,
                            }
                        )
                    }
                ),
            )
            print(
                f"注意 / note: this workstation is now {identity.branch_code}/"
                f"{identity.workstation_code}, as in the backup"
            )
        pruned = prune_before_restore(
            data_dir / "backups", days=config.backup.before_restore_days, keep=kept
        )
    log = logging.getLogger("frontdesk.cli")
    log.warning(
        "restored %s (schema %s); replaced database kept as %s",
        args.backup,
        identity.schema_revision,
        kept,
    )
    for old in pruned:
        log.info("pruned pre-restore copy %s", old)
    print(
        f"已恢复 / restored: {args.backup} (schema {identity.schema_revision}); 原数据库已保存为 "
        f"/ the replaced database was kept as {kept or '-'}"
    )
    if _syncs_with_head_office(data_dir, config, data_dir / DB_FILE_NAME):
        print(
            "下次同步时本机将向总部确认最后的票据号，确认前不能结算。 / before the next "
            "settlement this counter confirms its last slip and receipt numbers with head "
            "office (sync)."
        )
    if not _keys_fit(data_dir):
        print(
            "注意 / note: 本机的密钥文件不是该备份的密钥；请用 frontdesk keys import 导入原机导出的"
            "密钥后再启动。 / this PC's keys.json is not the one the backup was sealed with: "
            "import the old PC's keys with 'frontdesk keys import' before starting the app."
        )
    return EXIT_OK


def _syncs_with_head_office(data_dir: Path, config, db_path: Path) -> bool:
    """Whether head office may hold numbers of this counter: it is enrolled, configured
    for a head office, or the restored data was ever sent. A counter that never syncs
    (a demo, an offline trial) is not held back waiting for a sync that can't come."""
    import sqlite3

    from ..sync.credentials import CredentialStore

    if config.head_office.url or CredentialStore(data_dir).exists():
        return True
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return (
            conn.execute("SELECT 1 FROM outbox WHERE sent_at IS NOT NULL LIMIT 1").fetchone()
            is not None
        )
    finally:
        conn.close()


def _keys_fit(data_dir: Path) -> bool:
    from ..ops.keys import database_fingerprint
    from ..services.workstation import DB_FILE_NAME
    from ..store.crypto import Vault, load_key_file

    wanted = database_fingerprint(data_dir / DB_FILE_NAME)
    return wanted is None or wanted == Vault(load_key_file(data_dir)).fingerprint()


def cmd_purge(args: argparse.Namespace) -> int:
    """Erase identity data past its retention period (a scheduled job; audited)."""
    from ..services.retention import RetentionService
    from ..services.workstation import Workstation

    ws = Workstation.open(_data_dir(args))
    try:
        report = RetentionService(ws).purge(None)
    finally:
        ws.close()
    print(
        f"已清除 / purged: {report.customers} customers, {report.verifications} "
        f"verifications, {report.scans} scans (accounts closed before {report.cutoff:%Y-%m-%d})"
    )
    return EXIT_OK


def cmd_selfcheck(args: argparse.Namespace) -> int:
    from ..ops.selfcheck import run_selfcheck

    if args.qt_child:
        from ..gui.selfcheck import qt_child

        return qt_child(args.qt_child)
    report = run_selfcheck(
        gui=not args.no_gui,
        platform=args.platform,
        emit=lambda line: print(line, flush=True),  # each line as soon as it is decided
        data_dir=_data_dir(args),
    )
    return EXIT_PROBLEM if report.failed else EXIT_OK


def _passphrase(args: argparse.Namespace, *, twice: bool) -> str:
    """From --passphrase-file, $FRONTDESK_KEYS_PASSPHRASE, or typed (not echoed)."""
    import getpass
    import os

    if args.passphrase_file:
        return Path(args.passphrase_file).read_text(encoding="utf-8").strip("\r\n")
    if os.environ.get("FRONTDESK_KEYS_PASSPHRASE"):
        return os.environ["FRONTDESK_KEYS_PASSPHRASE"]
    first = getpass.getpass("口令 / passphrase: ")
    if twice and getpass.getpass("再输一次 / again: ") != first:
        from ..store.crypto import VaultError

        raise VaultError("两次输入的口令不同 / the two passphrases differ")
    return first


def cmd_keys_export(args: argparse.Namespace) -> int:
    import logging

    from ..config import load_config
    from ..ops.keys import export_keys

    data_dir = _data_dir(args)
    ws_cfg = load_config(data_dir).workstation
    label = f"{ws_cfg.branch_code}/{ws_cfg.workstation_code}"
    out = export_keys(data_dir, Path(args.out), _passphrase(args, twice=True), workstation=label)
    logging.getLogger("frontdesk.cli").warning("keys of %s exported to %s", label, out)
    print(
        f"密钥已导出 / keys exported: {out} ({label}). 请与口令分开保管 / keep it apart from "
        "the passphrase."
    )
    return EXIT_OK


def cmd_keys_import(args: argparse.Namespace) -> int:
    import logging

    from ..ops.keys import import_keys
    from ..ops.lock import WorkstationLock
    from ..services.workstation import DB_FILE_NAME

    data_dir = _data_dir(args)
    with WorkstationLock(data_dir).acquire(exclusive=True):
        kept = import_keys(
            data_dir, Path(args.file), _passphrase(args, twice=False), data_dir / DB_FILE_NAME
        )
    logging.getLogger("frontdesk.cli").warning("keys imported from %s (kept %s)", args.file, kept)
    print(f"密钥已导入 / keys imported from {args.file}; the replaced key file: {kept or '-'}")
    return EXIT_OK


def cmd_enrol(args: argparse.Namespace) -> int:
    from ..services.workstation import Workstation
    from ..sync.service import enrol_workstation

    ws = Workstation.open(_data_dir(args))
    try:
        url = args.url or ws.config.head_office.url
        if not url:
            print("错误 / error: --url is required (no head_office.url in config)", file=sys.stderr)
            return EXIT_USAGE
        cred = enrol_workstation(ws, url, args.code)
    finally:
        ws.close()
    print(f"已向总部注册 / enrolled with {cred.url} as {cred.branch}/{cred.workstation}")
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    from ..services.syncpass import run_pass
    from ..services.workstation import Workstation
    from ..sync.service import client_for
    from ..sync.status import describe_age, read_status

    ws = Workstation.open(_data_dir(args))
    try:
        with client_for(ws) as client:
            report = run_pass(ws, client, batch_size=args.batch_size)
        status = read_status(ws.db)
    finally:
        ws.close()
    print(
        f"上传 / pushed {report.push.sent} ({report.push.stored} new, "
        f"{report.push.duplicates} already there, {len(report.push.rejected)} rejected); "
        f"下载 / pulled {report.pull.applied if report.pull else {}}"
    )
    print(
        f"待上传 / pending {status.pending}, oldest {describe_age(status.oldest_pending_age())}, "
        f"rejected {status.rejected}"
    )
    return EXIT_OK if not report.push.rejected else EXIT_PROBLEM
