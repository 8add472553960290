"""``frontdesk headoffice …``: serve head office and administer it (codes, revocation,
flags, staff entries, silent counters, integrity, datasets)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import EXIT_OK, EXIT_PROBLEM, EXIT_USAGE


def _ho_settings(args: argparse.Namespace):
    from ..headoffice.settings import load_settings

    return load_settings(args.config)


def cmd_ho_serve(args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from ..headoffice.db import migrate, resolve_url
    from ..headoffice.settings import LOOPBACK_HOSTS

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
    from ..headoffice.db import make_engine, resolve_url
    from ..headoffice.settings import SettingsError

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
    from ..headoffice.db import migrate, resolve_url

    url = resolve_url(_ho_settings(args))
    migrate(url)
    print("总部数据库已就绪 / head office database is at the latest schema")
    return EXIT_OK


def cmd_ho_issue_code(args: argparse.Namespace) -> int:
    from ..headoffice.admin import issue_enrolment_code

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
    from ..headoffice.admin import revoke

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

    from ..headoffice.admin import unflag

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

    from ..core.messages import RuleViolation
    from ..services.auth import hash_password, password_problems

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
    from ..headoffice.admin import silent_workstations

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
    from ..headoffice.integrity import changed_counters, clear_counter

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

    from ..headoffice.admin import publish_dataset

    body = json.loads(Path(args.file).read_text(encoding="utf-8"))
    engine = _ho_engine(args)
    try:
        with engine.begin() as conn:
            version = publish_dataset(conn, args.kind, body)
    finally:
        engine.dispose()
    print(f"已发布 / published {args.kind} version {version}")
    return EXIT_OK


def cmd_ho_numbers(args: argparse.Namespace) -> int:
    """Assign a block of mobile numbers (号码资源) to one workstation for 入网 (选号)."""
    from ..headoffice.admin import publish_number_block

    if args.file:
        raw = Path(args.file).read_text(encoding="utf-8")
        numbers = [n for n in raw.replace(",", " ").split() if n]
    else:
        if not args.first.isdigit() or args.count < 1:
            print("请给出 --file，或 --first 与 --count / give --file, or --first and --count",
                  file=sys.stderr)  # fmt: skip
            return EXIT_USAGE
        start = int(args.first)
        numbers = [str(start + i) for i in range(args.count)]
    engine = _ho_engine(args)
    try:
        with engine.begin() as conn:
            done = publish_number_block(conn, args.branch, args.workstation, numbers)
    finally:
        engine.dispose()
    where = f"{args.branch.upper()}/{args.workstation.upper()}"
    print(
        f"已发布号码资源 / published numbers version {done.version}: {where} "
        f"+{done.added}, {done.total} in its block"
    )
    return EXIT_OK
