"""Command line for IT and scheduled jobs (``frontdesk …``).

Every command prints plain, bilingual messages and exits non-zero on failure, so an
installer or a monitoring tool can rely on it; no traceback reaches the operator for
an expected failure (bad config, wrong folder, unwritable disk).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .config import ConfigError
from .paths import default_data_dir

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2

DEMO_BRANCH = "BJ0101"
DEMO_WORKSTATION = "W01"


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if args.data_dir else default_data_dir()


def cmd_init(args: argparse.Namespace) -> int:
    from .services.workstation import initialise

    ws = initialise(
        _data_dir(args),
        branch_code=args.branch,
        workstation_code=args.workstation,
        branch_name=args.branch_name,
        head_office_url=args.head_office_url or "",
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
    return _start_gui(data_dir)


def _start_gui(data_dir: Path) -> int:
    try:
        from .gui.app import run_app
    except ImportError as exc:  # GUI extras missing in a headless install
        print(f"无法启动图形界面 / cannot start the GUI: {exc}", file=sys.stderr)
        return EXIT_PROBLEM
    return run_app(data_dir)


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


def cmd_backup(args: argparse.Namespace) -> int:
    from .services.workstation import Workstation
    from .store.backup import take_backup

    ws = Workstation.open(_data_dir(args))
    try:
        info = take_backup(ws.db_path, ws.backup_dir, "manual", keep=ws.config.backup.keep)
    finally:
        ws.close()
    print(f"备份完成 / backup written: {info.path}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frontdesk", description="营业厅前台 frontdesk — counter software"
    )
    parser.add_argument("--data-dir", help="workstation data folder (default: platform data dir)")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("init", help="provision this workstation / 初始化工作站")
    p.add_argument("--branch", required=True, help="branch code, e.g. BJ0101")
    p.add_argument("--workstation", required=True, help="workstation code, e.g. W01")
    p.add_argument("--branch-name", default="营业厅", help="branch name printed on slips")
    p.add_argument("--head-office-url", default="", help="head office server URL")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="start on a demo database / 演示模式")
    p.add_argument("--no-gui", action="store_true", help="only create the demo data")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("gui", help="start the counter application (default)")
    p.set_defaults(func=cmd_gui)

    p = sub.add_parser("health", help="health check; exit 0 when healthy / 健康检查")
    p.set_defaults(func=cmd_health)

    p = sub.add_parser("backup", help="online backup of the database / 备份")
    p.set_defaults(func=cmd_backup)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from .services.workstation import WorkstationError
    from .store.backup import BackupError
    from .store.migrate import SchemaTooNewError

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args.func = cmd_gui
    try:
        return int(args.func(args))
    except (ConfigError, WorkstationError, SchemaTooNewError, BackupError) as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"错误 / error: {exc.strerror or exc} ({exc.filename or ''})", file=sys.stderr)
        return EXIT_PROBLEM


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
