"""Builders for sync tests and benches: real workstations, real settled records.

Records are written through the workstation's own unit of work, so the outbox rows are
produced by the real after-flush listener — exactly what a counter would send.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import Engine, create_engine, text

from frontdesk.core.clock import business_date
from frontdesk.services.workstation import Workstation, initialise
from frontdesk.store.models import AuditEntry, Payment, Receipt, Slip, SlipItem
from frontdesk.store.numbering import next_value

_codes = itertools.count(1)
REPO = Path(__file__).resolve().parents[2]


def unique_branch() -> str:
    return f"T{os.getpid() % 1000:03d}{next(_codes):04d}"


def new_workstation(root: Path, branch: str | None = None, ws_code: str = "W01") -> Workstation:
    branch = branch or unique_branch()
    return initialise(root / f"{branch}-{ws_code}", branch_code=branch, workstation_code=ws_code)


def write_sales(
    ws: Workstation,
    count: int,
    *,
    rng: random.Random | None = None,
    when: dt.datetime | None = None,
    items: int = 1,
    audit: bool = False,
    per_transaction: int = 1,
) -> int:
    """Settle ``count`` cash sales (slip + items + payment + receipt [+ audit]);
    returns the money total in fen. ``per_transaction`` slips share one commit."""
    rng = rng or random.Random()
    total = 0
    ident = ws.identity
    clerk = uuid.uuid4()
    done = 0
    while done < count:
        with ws.db.unit_of_work() as uow:
            s = uow.session
            for _ in range(min(per_transaction, count - done)):
                now = when or dt.datetime.now(dt.UTC)
                scope = f"{ident.branch_code}-{ident.workstation_code}"
                seq = next_value(s, "slip", scope)
                rseq = next_value(s, "receipt", scope)
                day = business_date(now)
                fees = [rng.randint(1, 50_000) for _ in range(items)]
                amount = sum(fees)
                slip = Slip(
                    slip_no=f"{scope}-{day:%Y%m%d}-S{seq:06d}",
                    seq=seq,
                    branch_code=ident.branch_code,
                    workstation_code=ident.workstation_code,
                    clerk_id=clerk,
                    total_fen=amount,
                    paid_fen=amount,
                    catalogue_version=1,
                    verification_code=f"{seq:06d}",
                    business_date=day,
                    settled_at=now,
                    created_at=now,
                )
                s.add(slip)
                s.flush()
                for n, fee in enumerate(fees, 1):
                    s.add(
                        SlipItem(
                            slip_id=slip.id,
                            line_no=n,
                            business_code="TOP_UP",
                            business_name="话费充值",
                            service_number=f"138{rng.randint(0, 99_999_999):08d}",
                            fields={"amount": fee},
                            fee_fen=fee,
                            list_fee_fen=fee,
                            account_effect="none",
                            created_at=now,
                        )
                    )
                s.add(
                    Payment(
                        slip_id=slip.id,
                        line_no=1,
                        method=rng.choice(["cash", "wechat", "alipay", "bank_card"]),
                        amount_fen=amount,
                        tendered_fen=amount,
                        created_at=now,
                    )
                )
                s.add(
                    Receipt(
                        receipt_no=f"{scope}-{day:%Y%m%d}-R{rseq:06d}",
                        seq=rseq,
                        slip_id=slip.id,
                        total_fen=amount,
                        cashier_id=clerk,
                        issued_at=now,
                        created_at=now,
                    )
                )
                if audit:
                    aseq = next_value(s, "audit", scope)
                    s.add(
                        AuditEntry(
                            seq=aseq,
                            action="slip.settle",
                            object_type="slip",
                            object_id=str(slip.id),
                            detail={},
                            workstation_code=ident.workstation_code,
                            prev_hash="0" * 64,
                            entry_hash=f"{aseq:064d}",
                            created_at=now,
                        )
                    )
                total += amount
                done += 1
            uow.commit()
    return total


def committed_payments(ws_path: Path) -> tuple[set[str], int]:
    """(every outbox record UUID, the sum of payment amounts) straight from SQLite."""
    import sqlite3

    con = sqlite3.connect(ws_path / "frontdesk.db")
    try:
        ids = {
            str(uuid.UUID(r[0])) if len(r[0]) == 32 else r[0]
            for r in con.execute("SELECT record_id FROM outbox")
        }
        total = con.execute("SELECT coalesce(sum(amount_fen), 0) FROM payment").fetchone()[0]
    finally:
        con.close()
    return ids, int(total)


# -- PostgreSQL + server ----------------------------------------------------------------
def create_database(admin_url: str, name: str) -> str:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    head, sep, query = admin_url.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{name}{sep}{query}"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    """A real ``frontdesk headoffice serve`` (uvicorn) on loopback, killable with -9."""

    def __init__(self, db_url: str, workdir: Path, *, workers: int = 1, env: dict | None = None):
        self.db_url = db_url
        self.workdir = workdir
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra_env = env or {}
        self.proc: subprocess.Popen | None = None

    def start(self, env: dict | None = None, wait: bool = True) -> None:
        full_env = {
            **os.environ,
            "FRONTDESK_HO_DATABASE_URL": self.db_url,
            "FRONTDESK_HO_WORKERS": str(self.workers),
            **self.extra_env,
            **(env or {}),
        }
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log = open(self.workdir / f"server-{self.port}.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "frontdesk.cli",
                "headoffice",
                "serve",
                "--port",
                str(self.port),
            ],
            cwd=REPO,
            env=full_env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if wait:
            self.wait_ready()

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.proc.returncode}")
            try:
                if httpx.get(self.url + "/health", timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError("head office did not become ready")

    def kill(self) -> None:
        """kill -9 of the whole process group (uvicorn workers included)."""
        import signal

        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None

    def stop(self) -> None:
        import signal

        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc = None


def ho_counts(engine: Engine, branch: str) -> tuple[int, int]:
    with engine.connect() as conn:
        n, distinct = conn.execute(
            text("SELECT count(*), count(DISTINCT id) FROM ho_record WHERE branch_code = :b"),
            {"b": branch},
        ).one()
    return int(n), int(distinct)


def staff_entry(
    username: str, branch: str, password: str, role: str = "manager", active: bool = True
) -> dict:
    """One account of head office's staff dataset (an argon2 hash, as published)."""
    from argon2 import PasswordHasher

    return {
        "username": username,
        "display_name": username,
        "role": role,
        "branch_code": branch,
        "password_hash": PasswordHasher().hash(password),
        "active": active,
    }


def publish_staff(engine: Engine, entries: list[dict], ws: Workstation | None = None) -> int:
    """Publish head office's staff dataset: ``entries`` plus, with ``ws``, the accounts
    that workstation holds (the hashes it pulled, e.g. the demo's manager01)."""
    from sqlalchemy import select

    from frontdesk.headoffice.admin import publish_dataset
    from frontdesk.store.models import Staff

    staff = list(entries)
    if ws is not None:
        with ws.db.reader() as s:
            for row in s.scalars(select(Staff)):
                staff.append(
                    {
                        "username": row.username,
                        "display_name": row.display_name,
                        "role": row.role.value if hasattr(row.role, "value") else str(row.role),
                        "branch_code": row.branch_code,
                        "password_hash": row.password_hash,
                        "active": row.active,
                    }
                )
    with engine.begin() as conn:
        return publish_dataset(conn, "staff", {"staff": staff})


def manager_token(engine: Engine, branch: str, username: str = "test-manager") -> str:
    """A manager's branch token as ``POST /v1/manager-session`` issues it (head office's
    own key), for tests whose subject is the report rows, not the sign-in
    (tests/headoffice/test_managers.py covers that)."""
    from frontdesk.headoffice.managers import issue_token, token_key

    with engine.begin() as conn:
        key = token_key(conn)
    return issue_token(key, branch, username, "manager", dt.datetime.now(dt.UTC))[0]
