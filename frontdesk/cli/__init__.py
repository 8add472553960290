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

from .common import (  # noqa: F401  (the command modules' shared names, importable from here)
    DEMO_BRANCH,
    DEMO_WORKSTATION,
    EXIT_BROKEN_PIPE,
    EXIT_OK,
    EXIT_PROBLEM,
    EXIT_USAGE,
)
from .common import data_dir_of as _data_dir
from .headoffice import (
    cmd_ho_init_db,
    cmd_ho_integrity,
    cmd_ho_issue_code,
    cmd_ho_numbers,
    cmd_ho_publish,
    cmd_ho_revoke,
    cmd_ho_serve,
    cmd_ho_silent,
    cmd_ho_staff_entry,
    cmd_ho_unflag,
)
from .workstation import (  # noqa: F401  (open_or_init_demo: importable from frontdesk.cli)
    cmd_audit_export,
    cmd_audit_verify,
    cmd_backup,
    cmd_demo,
    cmd_enrol,
    cmd_gui,
    cmd_health,
    cmd_init,
    cmd_keys_export,
    cmd_keys_import,
    cmd_purge,
    cmd_restore,
    cmd_selfcheck,
    cmd_sync,
    open_or_init_demo,
)

AREA_COMMANDS = {
    # command: (module with register(subparsers), help)
    "report": ("frontdesk.cli.reports", "daily summary exports and day close / 报表与日结"),
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
    from ..paths import build_info

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
    p = hosub.add_parser(
        "publish", help="publish a dataset version (catalogue|staff|tiers|numbers)"
    )
    p.add_argument("kind", choices=["catalogue", "staff", "tiers", "numbers"])
    p.add_argument("file", help="JSON file with the dataset body")
    p.set_defaults(func=cmd_ho_publish)
    p = hosub.add_parser("numbers", help="assign mobile numbers to a workstation / 号码资源")
    p.add_argument("--branch", required=True)
    p.add_argument("--workstation", required=True)
    p.add_argument("--file", default="", help="numbers, one per line (or comma-separated)")
    p.add_argument("--first", default="", help="first number of a run, e.g. 13812345600")
    p.add_argument("--count", type=int, default=0, help="how many numbers from --first")
    p.set_defaults(func=cmd_ho_numbers)
    return parser


def _start_logging() -> Path | None:
    """Logs go to the platform's log folder, rotated, personal data masked; a log folder
    that can't be written must not stop the counter (it is reported on stderr)."""
    from ..ops.logs import configure_logging

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
    from ..ops.failures import classify

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
            from ..core import it_failures
            from ..ops.failures import Failure

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
