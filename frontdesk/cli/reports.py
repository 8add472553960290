"""``frontdesk report …``: summaries and day-close previews for scheduled jobs.

Registered into the main command line with :func:`register`::

    frontdesk report summary --date yesterday --format xlsx --out D:/日报/W01.xlsx
    frontdesk report summary --date 2026-11-01 --to 2026-11-30 --branch --format pdf --out m.pdf
    frontdesk report close-preview --date today

``--manager USERNAME`` (with ``--branch``) has head office verify that manager — the
password from ``FRONTDESK_MANAGER_PASSWORD``, else a prompt (or one line of a pipe) — so
it serves the other counters' rows; without it, or when head office can't be reached,
the branch report holds head office's day totals or this workstation's figures and names
the counters missing.

``--user USERNAME`` runs with that account's role (a clerk gets their counter only);
without it the command is a trusted job of this workstation (IT's scheduler) and may
export the branch. Every export is audited (actor, or the OS user for a job). Exit 0 on
success, 1 on a refused or failed export (the reason is printed in Chinese and English),
2 on bad usage.

This is the command line's composition of the report area (it opens the workstation,
looks up the account, makes the head-office client and builds the report service with
its exporters), so it lives beside :mod:`frontdesk.cli`, above the services and the
exporters of :mod:`frontdesk.reports` (until 2026-12 it was ``frontdesk/reports/cli.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from ..core.clock import business_date
from ..core.messages import RuleViolation
from ..core.money import format_fen
from ..core.reports import method_label

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2


def open_workstation(args: argparse.Namespace) -> Any:
    """The workstation of ``--data-dir`` (tests replace this to use a fixed clock)."""
    from ..paths import default_data_dir
    from ..services.workstation import Workstation

    return Workstation.open(Path(args.data_dir) if args.data_dir else default_data_dir())


def parse_day(text: str, today: dt.date) -> dt.date:
    words = {"today": 0, "今天": 0, "yesterday": -1, "昨天": -1}
    if text.strip().lower() in words:
        return today + dt.timedelta(days=words[text.strip().lower()])
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"日期格式应为 YYYY-MM-DD、today 或 yesterday：{text!r} / "
            f"dates are YYYY-MM-DD, today or yesterday: {text!r}"
        ) from exc
    if not EARLIEST_DAY <= day <= today + dt.timedelta(days=366):
        raise argparse.ArgumentTypeError(
            f"--date/--to 须在 {EARLIEST_DAY} 与明年之间：{text!r} / --date and --to must lie "
            f"between {EARLIEST_DAY} and next year: {text!r}"
        )
    return day


EARLIEST_DAY = dt.date(2000, 1, 1)  # no counter records exist before; 0001-01-01 overflows UTC


def _staff(ws: Any, username: str | None) -> Any:
    if not username:
        return None
    from sqlalchemy import select

    from ..services.auth import StaffSession
    from ..store.models import Staff

    with ws.db.reader() as s:
        staff = s.scalar(select(Staff).where(Staff.username == username.strip()))
        if staff is None or not staff.active:
            raise LookupError(username)
        return StaffSession.of(staff, ws.clock.now())


def _branch_source(ws: Any) -> Any:
    if not ws.config.head_office.url:
        return None

    def make() -> Any:
        from ..sync.service import client_for

        return client_for(ws)

    return make


MANAGER_PASSWORD_ENV = "FRONTDESK_MANAGER_PASSWORD"


def _manager_password(username: str) -> str:
    """The manager's password: the environment (scheduled jobs), a prompt at a terminal,
    or the first line of a pipe."""
    given = os.environ.get(MANAGER_PASSWORD_ENV)
    if given:
        return given
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(f"{username} 的密码 / password: ")
    return (sys.stdin.readline() if sys.stdin is not None else "").rstrip("\r\n")


def cmd_summary(args: argparse.Namespace) -> int:
    from ..reporting import ReportService

    ws = open_workstation(args)
    try:
        today = business_date(ws.clock.now())
        try:
            day_from = parse_day(args.date, today)
            day_to = parse_day(args.to, today) if args.to else day_from
        except argparse.ArgumentTypeError as exc:
            print(f"错误 / error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        try:
            staff = _staff(ws, args.user)
        except LookupError:
            print(
                f"错误 / error: 工号 {args.user} 不存在或已停用 / no active account {args.user}",
                file=sys.stderr,
            )
            return EXIT_USAGE
        counters = [c.strip() for c in (args.counters or "").split(",") if c.strip()]
        service = ReportService(ws, branch_source=_branch_source(ws), known_counters=counters)
        if args.manager:
            if not args.branch:
                print("错误 / error: --manager 须与 --branch 同用 / --manager needs --branch",
                      file=sys.stderr)  # fmt: skip
                return EXIT_USAGE
            password = _manager_password(args.manager)
            if not password:
                print(
                    f"错误 / error: 未提供经理密码（{MANAGER_PASSWORD_ENV} 或输入）"
                    f" / no manager password ({MANAGER_PASSWORD_ENV} or typed)",
                    file=sys.stderr,
                )
                return EXIT_USAGE
            try:
                signed_in = service.sign_in_manager(args.manager, password)
            except RuleViolation as exc:
                print(f"错误 / error: {exc.text('zh')} / {exc.text('en')}", file=sys.stderr)
                return EXIT_PROBLEM
            if not signed_in:
                print(
                    "总部无法连接，未能核验经理 / head office unreachable: manager not verified",
                    file=sys.stderr,
                )
        out = Path(args.out)
        try:
            result = service.export(
                staff,
                day_from,
                day_to,
                branch=args.branch,
                fmt=args.format,
                path=out,
                language=args.lang,
                via="cli",
            )
        except RuleViolation as exc:
            print(f"错误 / error: {exc.text('zh')} / {exc.text('en')}", file=sys.stderr)
            return EXIT_PROBLEM
        summary = result.summary
        print(
            f"已导出 / exported: {result.path} ({result.fmt}, {result.size} bytes) — "
            f"{summary.period_label}, {summary.visits.total} visits, "
            f"takings {format_fen(summary.takings_fen)}"
        )
        if summary.missing_counters:
            print(
                "缺少柜台 / missing counters: " + ", ".join(summary.missing_counters),
                file=sys.stderr,
            )
        return EXIT_OK
    finally:
        ws.close()


def cmd_close_preview(args: argparse.Namespace) -> int:
    from ..services.dayclose import DayCloseService

    ws = open_workstation(args)
    try:
        today = business_date(ws.clock.now())
        try:
            day = parse_day(args.date, today)
        except argparse.ArgumentTypeError as exc:
            print(f"错误 / error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        preview = DayCloseService(ws).preview(None, day)
        if args.json:
            print(
                json.dumps(
                    {
                        "workstation": preview.workstation_code,
                        "day": day.isoformat(),
                        "expected_by_method_fen": preview.expected_by_method,
                        "takings_fen": preview.takings_fen,
                        "sale_slips": preview.sale_slips,
                        "corrections": [
                            {"slip_no": c.slip_no, "kind": c.kind, "amount_fen": c.amount_fen}
                            for c in preview.corrections
                        ],
                        "receipts": preview.receipts,
                        "pending_visits": preview.pending_visits,
                        "closed": preview.closed is not None,
                    },
                    ensure_ascii=False,
                )
            )
            return EXIT_OK
        print(f"日结预览 / day close preview: {preview.workstation_code} {day.isoformat()}")
        for method, fen in preview.expected_by_method.items():
            print(f"  {method_label(method)} / {method_label(method, 'en')}: {format_fen(fen)}")
        print(f"  实收合计 / takings (excl. balance): {format_fen(preview.takings_fen)}")
        print(f"  受理单 / sale slips: {preview.sale_slips}; 收据 / receipts: {preview.receipts}")
        for c in preview.corrections:
            print(f"  {c.kind}: {c.slip_no} ← {c.original_slip_no} {format_fen(c.amount_fen)}")
        if preview.pending_visits:
            print(f"  未结接待 / unsettled visits: {preview.pending_visits}")
        if preview.closed is not None:
            print(
                f"  已日结 / closed: 实点 {format_fen(preview.closed.counted_cash_fen)}, "
                f"差异 / difference {format_fen(preview.closed.difference_fen)}"
            )
        return EXIT_OK
    finally:
        ws.close()


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``report summary`` and ``report close-preview`` to a CLI's subparsers."""
    report = subparsers.add_parser("report", help="daily summaries and day close / 营业报表")
    sub = report.add_subparsers(dest="report_command", required=True)
    p = sub.add_parser("summary", help="export a daily summary (PDF, XLSX, CSV) / 导出营业日报")
    p.add_argument("--date", required=True, help="YYYY-MM-DD, today or yesterday")
    p.add_argument("--to", help="last day of a range (inclusive)")
    p.add_argument("--branch", action="store_true", help="the whole branch (managers, jobs)")
    p.add_argument("--format", required=True, choices=["pdf", "xlsx", "csv"])
    p.add_argument("--out", required=True, help="file to write")
    p.add_argument("--user", help="run with this account's role (default: workstation job)")
    p.add_argument(
        "--manager",
        help=f"with --branch: head office verifies this manager (password: "
        f"{MANAGER_PASSWORD_ENV} or a prompt) and serves every counter's rows",
    )
    p.add_argument("--counters", help="the branch's counters, e.g. W01,W02 (offline check)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.set_defaults(func=cmd_summary)
    p = sub.add_parser("close-preview", help="expected takings for the day close / 日结预览")
    p.add_argument("--date", required=True, help="YYYY-MM-DD, today or yesterday")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_close_preview)
    return report
