"""``frontdesk queue serve|issue|status`` — the queue host, the kiosk's command, a glance.

``register(subparsers)`` adds the commands to the main ``frontdesk`` parser:

- ``serve`` runs the queue host API (uvicorn) on this workstation's database; it refuses
  to listen beyond loopback without a ``[queue] token``.
- ``issue --line A [--tier gold]`` prints a ticket (for a ticket kiosk to call; ``--json``
  for machines). Uses the configured queue host, or this PC's own queue.
- ``status`` prints the hall: waiting by line, the oldest wait, counters busy/idle.
- ``forget --counter W01`` lets a counter join the host again (after a reinstall: its
  old credential stops working).

Expected failures print a bilingual message and exit 1 (2 for configuration), never a
traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..core.clock import local_time
from ..core.messages import RuleViolation
from .settings import QueueConfigError, load_queue_section

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2


def _data_dir(args: argparse.Namespace) -> Path:
    from ..paths import default_data_dir

    given = getattr(args, "data_dir", None)
    return Path(given) if given else default_data_dir()


def _open(args: argparse.Namespace) -> Any:
    from ..services.workstation import Workstation

    return Workstation.open(_data_dir(args))


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ..services.queue import LocalQueue
    from .app import create_app

    ws = _open(args)
    try:
        section = load_queue_section(ws.data_dir)
        host = args.host or section.host
        port = args.port or section.port
        loopback = section.model_copy(update={"host": host}).is_loopback
        if not loopback and not section.token:
            print(
                "错误 / error: 在局域网上提供叫号服务须先在 [queue] 中设置 token（至少16位）。 / "
                "set [queue] token (16+ characters) before serving the queue on the LAN.",
                file=sys.stderr,
            )
            return EXIT_USAGE
        if section.url:
            print(
                "提示 / note: 本机 [queue] url 指向其他叫号主机；本机仍按自身数据库提供服务。 / "
                "[queue] url points at another host; serving this PC's own queue anyway.",
                file=sys.stderr,
            )
        queue = LocalQueue.for_workstation(ws, section.setup())
        app = create_app(queue, section.token, host_credentials(ws))
        print(f"叫号主机 / queue host: http://{host}:{port} ({ws.identity.branch_code})")
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
        return EXIT_OK
    finally:
        ws.close()


def host_credentials(ws: Any) -> Any:
    """The counters that joined this host, kept (hashed) in its own database."""
    from sqlalchemy import select

    from ..store.models import Setting
    from .app import CREDENTIAL_SETTING, CounterCredentials

    with ws.db.reader() as s:
        rows = s.scalars(select(Setting).where(Setting.key.startswith(CREDENTIAL_SETTING)))
        known = {r.key[len(CREDENTIAL_SETTING) :]: r.value for r in rows}

    def save(counter: str, digest: str | None) -> None:
        with ws.db.unit_of_work() as uow:
            row = uow.session.get(Setting, CREDENTIAL_SETTING + counter)
            if digest is None:
                if row is not None:
                    uow.session.delete(row)
            elif row is None:
                uow.session.add(Setting(key=CREDENTIAL_SETTING + counter, value=digest))
            else:
                row.value = digest
            uow.commit()

    return CounterCredentials(known, save)


def cmd_forget(args: argparse.Namespace) -> int:
    ws = _open(args)
    try:
        counter = args.counter.strip().upper()
        if not host_credentials(ws).forget(counter):
            print(
                f"错误 / error: {counter} 未加入本叫号主机 / has not joined this host.",
                file=sys.stderr,
            )
            return EXIT_PROBLEM
    finally:
        ws.close()
    print(f"{counter}: 可重新加入 / may join again (restart the queue host)")
    return EXIT_OK


def cmd_issue(args: argparse.Namespace) -> int:
    from .backend import queue_backend

    ws = _open(args)
    try:
        backend = queue_backend(ws)
        ticket = backend.issue(args.line.upper(), args.tier)
    finally:
        ws.close()
    if args.json:
        print(json.dumps(ticket.to_json(), ensure_ascii=False))
    else:
        issued = local_time(ticket.issued_at).strftime("%H:%M")
        limit = ticket.waiting_limit_seconds // 60
        print(f"{ticket.ticket_no}  {issued}  (等候时限 / limit {limit} min)")
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from .backend import queue_backend

    ws = _open(args)
    try:
        hall = queue_backend(ws).hall_snapshot()
    finally:
        ws.close()
    if args.json:
        print(json.dumps(hall.to_json(), ensure_ascii=False))
        return EXIT_OK
    print(f"{hall.business_date}  {local_time(hall.at):%H:%M}  等候 / waiting {hall.waiting_total}")
    for line in hall.lines:
        flags = (
            f"  临近 near {line.near_limit}  超时 over {line.over_limit}" if line.waiting else ""
        )
        print(
            f"  {line.line} {line.name_zh:<6} {line.waiting:>3}  "
            f"最久 oldest {line.oldest_wait_seconds // 60:>2} min{flags}"
        )
    for c in hall.counters:
        state = f"忙 busy {c.ticket_no}" if c.busy else "闲 idle"
        print(f"  {c.counter:<6} {state}  已办 served {c.served_today}")
    return EXIT_OK


def _guarded(func: Any) -> Any:
    def run(args: argparse.Namespace) -> int:
        try:
            return int(func(args))
        except QueueConfigError as exc:
            print(f"错误 / error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        except RuleViolation as exc:
            for p in exc.problems:
                print(f"错误 / error: {p.text('zh')} / {p.text('en')}", file=sys.stderr)
            return EXIT_PROBLEM

    return run


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``queue serve|issue|status`` to the ``frontdesk`` command line."""
    queue = subparsers.add_parser("queue", help="branch queue: host, kiosk ticket, status / 叫号")
    queue.add_argument("--data-dir", default=argparse.SUPPRESS, help="workstation data folder")
    sub = queue.add_subparsers(dest="queue_command", required=True)

    p = sub.add_parser("serve", help="serve this PC's queue on the branch LAN / 叫号主机")
    p.add_argument("--host", default="", help="bind address (default: [queue] host)")
    p.add_argument("--port", type=int, default=0, help="port (default: [queue] port, 8766)")
    p.set_defaults(func=_guarded(cmd_serve))

    p = sub.add_parser("issue", help="issue a ticket (for a kiosk) / 取号")
    p.add_argument("--line", required=True, help="service line, e.g. A / V / B")
    p.add_argument("--tier", default="standard", help="customer tier code (default standard)")
    p.add_argument("--json", action="store_true", help="print the ticket as JSON")
    p.set_defaults(func=_guarded(cmd_issue))

    p = sub.add_parser("forget", help="let a counter join again / 重置柜台叫号凭据")
    p.add_argument("--counter", required=True, help="workstation code, e.g. W01")
    p.set_defaults(func=_guarded(cmd_forget))

    p = sub.add_parser("status", help="the hall now: waiting by line, counters / 大厅状态")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(func=_guarded(cmd_status))
    return queue
