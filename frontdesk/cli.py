"""Command line for IT and scheduled jobs (``frontdesk …``).

Every command prints plain, bilingual messages and exits non-zero on failure, so an
installer or a monitoring tool can rely on it; no traceback reaches the operator for
an expected failure (bad config, wrong folder, unwritable disk).
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Sequence
from pathlib import Path

from .paths import default_data_dir

# exit codes: the whole table is frontdesk/core/it_failures.py and docs/install.md
EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2
EXIT_BROKEN_PIPE = 141  # as a shell reports a command killed by SIGPIPE

DEMO_BRANCH = "BJ0101"
DEMO_WORKSTATION = "W01"


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if args.data_dir else default_data_dir()


def cmd_init(args: argparse.Namespace) -> int:
    import logging

    from .services.workstation import initialise

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
    from .services.demo import load_demo_data
    from .services.workstation import Workstation, initialise

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
        from .gui.app import run_app
    except ImportError as exc:  # GUI extras missing in a headless install
        print(f"无法启动图形界面 / cannot start the GUI: {exc}", file=sys.stderr)
        return EXIT_PROBLEM
    return run_app(data_dir, demo=demo)


def cmd_gui(args: argparse.Namespace) -> int:
    return _start_gui(_data_dir(args))


def cmd_health(args: argparse.Namespace) -> int:
    from .services.health import check_health
    from .services.workstation import Workstation

    ws = Workstation.open(_data_dir(args))
    try:
        report = check_health(ws)
    finally:
        ws.close()
    print("\n".join(report.lines()))
    return EXIT_OK if report.healthy else EXIT_PROBLEM


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """Verify the keyed audit chain and its outbox copies; exit 1 naming what broke."""
    from .services.integrity import verify_audit
    from .services.workstation import Workstation

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
    from .services.integrity import export_audit
    from .services.workstation import Workstation

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

    from .services.workstation import Workstation
    from .store.backup import list_backups, take_backup

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

    from .config import load_config, write_config
    from .ops.backups import mark_restored, restore
    from .ops.lock import WorkstationLock
    from .services.workstation import DB_FILE_NAME
    from .store.backup import prune_before_restore
    from .store.migrate import alembic_config

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

    from .sync.credentials import CredentialStore

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
    from .ops.keys import database_fingerprint
    from .services.workstation import DB_FILE_NAME
    from .store.crypto import Vault, load_key_file

    wanted = database_fingerprint(data_dir / DB_FILE_NAME)
    return wanted is None or wanted == Vault(load_key_file(data_dir)).fingerprint()


def cmd_purge(args: argparse.Namespace) -> int:
    """Erase identity data past its retention period (a scheduled job; audited)."""
    from .services.retention import RetentionService
    from .services.workstation import Workstation

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
    from .ops.selfcheck import qt_child, run_selfcheck

    if args.qt_child:
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
        from .store.crypto import VaultError

        raise VaultError("两次输入的口令不同 / the two passphrases differ")
    return first


def cmd_keys_export(args: argparse.Namespace) -> int:
    import logging

    from .config import load_config
    from .ops.keys import export_keys

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

    from .ops.keys import import_keys
    from .ops.lock import WorkstationLock
    from .services.workstation import DB_FILE_NAME

    data_dir = _data_dir(args)
    with WorkstationLock(data_dir).acquire(exclusive=True):
        kept = import_keys(
            data_dir, Path(args.file), _passphrase(args, twice=False), data_dir / DB_FILE_NAME
        )
    logging.getLogger("frontdesk.cli").warning("keys imported from %s (kept %s)", args.file, kept)
    print(f"密钥已导入 / keys imported from {args.file}; the replaced key file: {kept or '-'}")
    return EXIT_OK


def cmd_enrol(args: argparse.Namespace) -> int:
    from .services.workstation import Workstation
    from .sync.service import enrol_workstation

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
    from .services.workstation import Workstation
    from .sync.service import client_for, run_pass
    from .sync.status import describe_age, read_status

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


def _ho_settings(args: argparse.Namespace):
    from .headoffice.settings import load_settings

    return load_settings(args.config)


def cmd_ho_serve(args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from .headoffice.db import migrate, resolve_url
    from .headoffice.settings import LOOPBACK_HOSTS

    settings = _ho_settings(args)
    host = args.host or settings.server.host
    port = args.port or settings.server.port
    if host not in LOOPBACK_HOSTS and not settings.server.allow_non_loopback:
        print(
            f"错误 / error: refusing to listen on {host}; set server.allow_non_loopback = true "
            "behind a TLS-terminating proxy",
            file=sys.stderr,
        )
        return EXIT_USAGE
    url = resolve_url(settings)
    if not settings.database.url or args.migrate:
        migrate(url)
    os.environ["FRONTDESK_HO_DATABASE_URL"] = url
    if args.config:
        os.environ["FRONTDESK_HO_CONFIG"] = str(Path(args.config).resolve())
    print(f"总部服务 / head office on http://{host}:{port} ({settings.server.workers} workers)")
    uvicorn.run(
        "frontdesk.headoffice.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=settings.server.workers,
        timeout_keep_alive=int(settings.server.keep_alive_seconds),
        log_level=args.log_level,
        access_log=False,
    )
    return EXIT_OK


def _ho_engine(args: argparse.Namespace):
    """Admin commands work on the database ``serve`` uses; in developer mode (no
    database URL) they never start a second, empty PostgreSQL somewhere else."""
    from .headoffice.db import make_engine, resolve_url
    from .headoffice.settings import SettingsError

    settings = _ho_settings(args)
    if not settings.sqlalchemy_url:
        pgdata = Path(settings.database.dev_data_dir).resolve()
        if not (pgdata / "PG_VERSION").exists():
            raise SettingsError(
                f"这里没有总部的开发数据库（{pgdata}）。管理命令须与 serve/init-db 使用同一个 "
                f"--config（或在同一目录运行）。 / there is no head office developer database at "
                f"{pgdata}: run admin commands with the same --config as 'serve' and 'init-db' "
                "(or from the same folder), or set database.url."
            )
    return make_engine(resolve_url(settings), pool_size=1)


def cmd_ho_init_db(args: argparse.Namespace) -> int:
    from .headoffice.db import migrate, resolve_url

    url = resolve_url(_ho_settings(args))
    migrate(url)
    print("总部数据库已就绪 / head office database is at the latest schema")
    return EXIT_OK


def cmd_ho_issue_code(args: argparse.Namespace) -> int:
    from .headoffice.admin import issue_enrolment_code

    settings = _ho_settings(args)
    engine = _ho_engine(args)
    try:
        with engine.begin() as conn:
            code = issue_enrolment_code(
                conn,
                args.branch.upper(),
                args.workstation.upper(),
                valid_hours=settings.sync.enrolment_code_hours,
            )
    finally:
        engine.dispose()
    print(code)
    return EXIT_OK


def cmd_ho_revoke(args: argparse.Namespace) -> int:
    from .headoffice.admin import revoke

    engine = _ho_engine(args)
    try:
        with engine.begin() as conn:
            found = revoke(conn, args.branch.upper(), args.workstation.upper(), args.reason)
    finally:
        engine.dispose()
    if not found:
        print(f"错误 / error: no workstation {args.branch}/{args.workstation}", file=sys.stderr)
        return EXIT_PROBLEM
    print(f"已吊销 / revoked {args.branch}/{args.workstation}")
    return EXIT_OK


def cmd_ho_unflag(args: argparse.Namespace) -> int:
    """Let a workstation flagged as a suspected clone sync again (recorded with the reason)."""
    import getpass
    import logging

    from .headoffice.admin import unflag

    actor = args.by or getpass.getuser()
    engine = _ho_engine(args)
    try:
        with engine.begin() as conn:
            was = unflag(conn, args.branch.upper(), args.workstation.upper(), args.reason, actor)
    finally:
        engine.dispose()
    logging.getLogger("frontdesk.cli").warning(
        "unflagged %s/%s by %s: %s (was: %s)",
        args.branch,
        args.workstation,
        actor,
        args.reason,
        was,
    )
    print(f"已解除标记 / unflagged {args.branch.upper()}/{args.workstation.upper()} (was: {was})")
    return EXIT_OK


def cmd_ho_staff_entry(args: argparse.Namespace) -> int:
    """Print one staff account for the staff dataset (docs/install.md): the password is
    hashed here and never stored or published in clear."""
    import getpass
    import json
    import os

    from .core.messages import RuleViolation
    from .services.auth import hash_password, password_problems

    if args.password_file:
        password = Path(args.password_file).read_text(encoding="utf-8").strip("\r\n")
    else:
        password = os.environ.get("FRONTDESK_STAFF_PASSWORD") or getpass.getpass(
            "初始密码 / first password: "
        )
    problems = password_problems(args.username, password)
    if problems:
        raise RuleViolation(problems)
    entry = {
        "username": args.username,
        "display_name": args.name,
        "role": args.role,
        "branch_code": args.branch.upper(),
        "password_hash": hash_password(password),
        "active": True,
        "must_change_password": not args.keep_password,
    }
    print(json.dumps(entry, ensure_ascii=False))
    return EXIT_OK


def cmd_ho_silent(args: argparse.Namespace) -> int:
    from .headoffice.admin import silent_workstations

    settings = _ho_settings(args)
    engine = _ho_engine(args)
    try:
        with engine.connect() as conn:
            found = silent_workstations(conn, args.hours or settings.sync.silent_hours)
    finally:
        engine.dispose()
    for s in found:
        seen = s.last_seen_at.isoformat() if s.last_seen_at else "never"
        print(f"{s.branch_code}\t{s.workstation_code}\t{s.status}\t{seen}")
    return EXIT_PROBLEM if found else EXIT_OK


def cmd_ho_integrity(args: argparse.Namespace) -> int:
    """Counters whose history changed after it reached head office (exit 1 if any)."""
    from .headoffice.integrity import changed_counters, clear_counter

    engine = _ho_engine(args)
    try:
        if args.clear:
            branch, _, workstation = args.clear.upper().partition("/")
            with engine.begin() as conn:
                cleared = clear_counter(conn, branch, workstation)
            print(
                f"已清除 / cleared {args.clear}"
                if cleared
                else f"{args.clear} 不在列表中 / {args.clear} is not listed"
            )
            return EXIT_OK if cleared else EXIT_PROBLEM
        with engine.connect() as conn:
            found = changed_counters(conn)
    finally:
        engine.dispose()
    for c in found:
        since = c.changed_at.isoformat() if c.changed_at else "-"
        print(f"{c.branch_code}\t{c.workstation_code}\tchanged since {since}")
        for finding in c.findings:
            print(f"    {finding}")
    if not found:
        print("没有柜台的历史被改动 / no counter's history changed")
    return EXIT_PROBLEM if found else EXIT_OK


def cmd_ho_publish(args: argparse.Namespace) -> int:
    import json

    from .headoffice.admin import publish_dataset

    body = json.loads(Path(args.file).read_text(encoding="utf-8"))
    engine = _ho_engine(args)
    try:
        with engine.begin() as conn:
            version = publish_dataset(conn, args.kind, body)
    finally:
        engine.dispose()
    print(f"已发布 / published {args.kind} version {version}")
    return EXIT_OK


AREA_COMMANDS = {
    # command: (module with register(subparsers), help)
    "report": ("frontdesk.cli_reports", "daily summary exports and day close / 报表与日结"),
    "queue": ("frontdesk.queuehost.cli", "the branch queue host / 排队叫号"),
}


def _register_area_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Areas keep their own argparse registration next to their code.

    They are imported only when their command runs: importing them for every start
    would cost the GUI most of its 0.5 s start-up budget.
    """
    for name, (module, help_text) in AREA_COMMANDS.items():
        p = sub.add_parser(name, help=help_text, add_help=False)
        p.add_argument("area_args", nargs=argparse.REMAINDER)
        p.set_defaults(func=functools.partial(_run_area_command, name, module))


def _run_area_command(name: str, module: str, args: argparse.Namespace) -> int:
    import importlib

    registrar = importlib.import_module(module)
    parser = argparse.ArgumentParser(prog="frontdesk")
    parser.add_argument("--data-dir", default=args.data_dir)
    registrar.register(parser.add_subparsers(dest="command"))
    area_args = parser.parse_args([name, *args.area_args])
    if not getattr(area_args, "data_dir", None):
        area_args.data_dir = args.data_dir
    return int(area_args.func(area_args))


def _version_text() -> str:
    from .paths import build_info

    info = build_info()
    return f"frontdesk {info.get('version')} ({info.get('commit')}, built {info.get('built_at')})"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frontdesk", description="营业厅前台 frontdesk — counter software"
    )
    parser.add_argument("--version", action="version", version=_version_text())
    parser.add_argument("--data-dir", help="workstation data folder (default: platform data dir)")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("init", help="provision this workstation / 初始化工作站")
    p.add_argument("--branch", help="branch code, e.g. BJ0101 (or in frontdesk.toml)")
    p.add_argument("--workstation", help="workstation code, e.g. W01 (or in frontdesk.toml)")
    p.add_argument("--branch-name", help="branch name printed on slips (default 营业厅)")
    p.add_argument("--head-office-url", help="head office server URL, https://host[:port]")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="start on a demo database / 演示模式")
    p.add_argument("--no-gui", action="store_true", help="only create the demo data")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("gui", help="start the counter application (default)")
    p.set_defaults(func=cmd_gui)

    p = sub.add_parser("health", help="health check; exit 0 when healthy / 健康检查")
    p.set_defaults(func=cmd_health)

    audit_p = sub.add_parser("audit", help="verify or export the audit log / 审计日志")
    audit_sub = audit_p.add_subparsers(dest="audit_command", required=True)
    p = audit_sub.add_parser("verify", help="verify the audit chain; exit 0 when intact")
    p.set_defaults(func=cmd_audit_verify)
    p = audit_sub.add_parser("export", help="write the audit chain as JSON lines (audited)")
    p.add_argument("--out", required=True, help="file to write")
    p.set_defaults(func=cmd_audit_export)

    p = sub.add_parser("backup", help="online backup of the database / 备份")
    p.add_argument("--list", action="store_true", help="list the backups and pre-restore copies")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup (app closed) / 恢复备份")
    p.add_argument("backup", help="backup file (.db) from the backups folder")
    p.add_argument(
        "--force",
        action="store_true",
        help="restore a backup of another workstation (this PC takes it over)",
    )
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser(
        "purge-identities", help="erase identity data past retention (audited) / 到期证件信息清除"
    )
    p.set_defaults(func=cmd_purge)

    p = sub.add_parser("selfcheck", help="check the installation end to end / 自检")
    p.add_argument("--no-gui", action="store_true", help="skip the Qt checks")
    p.add_argument(
        "--platform",
        default="offscreen",
        help="Qt platform to check: offscreen (default), xcb, wayland, windows, or default "
        "(what the desktop would use)",
    )
    p.add_argument("--qt-child", default="", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_selfcheck)

    _register_area_commands(sub)

    keys = sub.add_parser("keys", help="move the key file to a replacement PC / 密钥导出导入")
    keysub = keys.add_subparsers(dest="keys_command", required=True)
    p = keysub.add_parser("export", help="write a passphrase-protected copy of keys.json")
    p.add_argument("--out", required=True, help="export file to create (never overwritten)")
    p.add_argument("--passphrase-file", help="read the passphrase from this file")
    p.set_defaults(func=cmd_keys_export)
    p = keysub.add_parser("import", help="replace keys.json with an export (app closed)")
    p.add_argument("file", help="the export file from the old PC")
    p.add_argument("--passphrase-file", help="read the passphrase from this file")
    p.set_defaults(func=cmd_keys_import)

    p = sub.add_parser("enrol", help="enrol with head office using a one-time code / 注册")
    p.add_argument("--url", default="", help="head office URL (default: config head_office.url)")
    p.add_argument("--code", required=True, help="one-time enrolment code from IT")
    p.set_defaults(func=cmd_enrol)

    p = sub.add_parser("sync", help="one sync pass now: push, then pull / 立即同步")
    p.add_argument("--batch-size", type=int, default=2000, help="records per batch")
    p.set_defaults(func=cmd_sync)

    ho = sub.add_parser("headoffice", help="head office server and its administration / 总部")
    ho.add_argument("--config", help="head office TOML config (env FRONTDESK_HO_CONFIG)")
    hosub = ho.add_subparsers(dest="ho_command", required=True)
    p = hosub.add_parser("serve", help="run the head office server (uvicorn)")
    p.add_argument("--host", default="", help="override server.host")
    p.add_argument("--port", type=int, default=0, help="override server.port")
    p.add_argument("--migrate", action="store_true", help="run migrations before serving")
    p.add_argument("--log-level", default="warning", help="uvicorn log level")
    p.set_defaults(func=cmd_ho_serve)
    p = hosub.add_parser("init-db", help="create or upgrade the head office schema")
    p.set_defaults(func=cmd_ho_init_db)
    p = hosub.add_parser("issue-code", help="issue a one-time enrolment code")
    p.add_argument("--branch", required=True)
    p.add_argument("--workstation", required=True)
    p.set_defaults(func=cmd_ho_issue_code)
    p = hosub.add_parser("revoke", help="revoke a workstation's credential")
    p.add_argument("--branch", required=True)
    p.add_argument("--workstation", required=True)
    p.add_argument("--reason", default="revoked by IT")
    p.set_defaults(func=cmd_ho_revoke)
    p = hosub.add_parser("unflag", help="let a flagged workstation sync again (audited)")
    p.add_argument("--branch", required=True)
    p.add_argument("--workstation", required=True)
    p.add_argument("--reason", required=True, help="why (kept in ho_admin_action)")
    p.add_argument("--by", default="", help="who (default: this account's name)")
    p.set_defaults(func=cmd_ho_unflag)
    p = hosub.add_parser("staff-entry", help="one staff account (password hashed) as JSON")
    p.add_argument("--username", required=True)
    p.add_argument("--name", required=True, help="display name")
    p.add_argument("--role", required=True, choices=["clerk", "manager", "it_admin"])
    p.add_argument("--branch", required=True)
    p.add_argument("--password-file", help="read the first password from this file")
    p.add_argument(
        "--keep-password", action="store_true", help="do not force a change at first sign-in"
    )
    p.set_defaults(func=cmd_ho_staff_entry)
    p = hosub.add_parser("silent", help="workstations silent for more than N hours")
    p.add_argument("--hours", type=int, default=0, help="default: sync.silent_hours (24)")
    p.set_defaults(func=cmd_ho_silent)
    p = hosub.add_parser("integrity", help="counters whose history changed after pushing")
    p.add_argument("--clear", default="", help="BRANCH/WORKSTATION: looked into, unlist it")
    p.set_defaults(func=cmd_ho_integrity)
    p = hosub.add_parser("publish", help="publish a dataset version (catalogue|staff|tiers)")
    p.add_argument("kind", choices=["catalogue", "staff", "tiers"])
    p.add_argument("file", help="JSON file with the dataset body")
    p.set_defaults(func=cmd_ho_publish)
    return parser


def _start_logging() -> Path | None:
    """Logs go to the platform's log folder, rotated, personal data masked; a log folder
    that can't be written must not stop the counter (it is reported on stderr)."""
    from .ops.logs import configure_logging

    try:
        return configure_logging()
    except OSError as exc:
        print(f"注意 / note: logging disabled: {exc}", file=sys.stderr)
        return None


def _expected_failure(exc: BaseException, args: argparse.Namespace):  # -> Failure | None
    """IT's exit code and message for a failure (docs/install.md, "Exit codes"), else None.

    The error classes are imported only when something failed, so starting the GUI
    does not pay for importing every service first (start-up budget 0.5 s).
    """
    from .ops.failures import classify

    where = str(_data_dir(args)) if hasattr(args, "data_dir") else ""
    return classify(exc, where=where)


def _command_name(args: argparse.Namespace) -> str:
    parts = [str(args.command or "gui")]
    for extra in ("ho_command", "keys_command", "area_args"):
        value = getattr(args, extra, None)
        if value:
            parts.append(str(value[0] if isinstance(value, list) else value))
    return " ".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    import logging

    parser = build_parser()
    args = parser.parse_args(argv)
    log_path = _start_logging()
    if args.command is None:
        args.func = cmd_gui
    log = logging.getLogger("frontdesk.cli")
    name = _command_name(args)
    log.info("command %s started (data folder %s)", name, getattr(args, "data_dir", None) or "-")
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # a reader that left is noticed here, not at interpreter exit
    except BrokenPipeError:  # `frontdesk … | head`: the reader left; no message, no trace
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        log.info("command %s: output closed by its reader", name)
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # every failure: a message and an exit code, never a traceback
        failure = _expected_failure(exc, args)
        if failure is None:
            from .core import it_failures
            from .ops.failures import Failure

            log.exception("command %s failed unexpectedly", name)
            failure = Failure.of(
                it_failures.EXIT_INTERNAL,
                it_failures.INTERNAL,
                "data_dir",
                detail=f"{type(exc).__name__}: {exc}"[:300],
                log=log_path or "-",
            )
        else:
            log.warning(
                "command %s failed (exit %d): %s",
                name,
                failure.exit_code,
                failure.text,
                exc_info=exc,
            )
        print(f"错误 / error: {failure.text}", file=sys.stderr)
        return failure.exit_code
    log.info("command %s finished with exit code %d", name, code)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
