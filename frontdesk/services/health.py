"""Health check for IT and monitoring (``frontdesk health``; exit code 0 = healthy)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..store.engine import pragmas
from ..store.migrate import current_revision, head_revision
from ..store.models import OutboxEntry, Receipt
from ..store.numbering import current_value, skipped_numbers
from .workstation import Workstation

EXPECTED_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": 2,
    "foreign_keys": 1,
    "recursive_triggers": 1,  # REPLACE fires the append-only delete triggers
}


@dataclass
class HealthReport:
    branch_code: str
    workstation_code: str
    schema_revision: str | None
    schema_head: str
    pragmas: dict[str, object]
    integrity: str
    outbox_pending: int
    outbox_rejected: int
    oldest_pending_at: str | None
    last_receipt_no: str | None
    receipt_sequence: int
    catalogue_version: int
    problems: list[str] = field(default_factory=list)
    tamper: list[str] = field(default_factory=list)  # what the tamper checks covered
    simulated_devices: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        status = "OK" if self.healthy else "PROBLEM"
        out = [
            f"status: {status}",
            f"workstation: {self.branch_code}/{self.workstation_code}",
            f"schema: {self.schema_revision} (this build: {self.schema_head})",
            "pragmas: " + ", ".join(f"{k}={v}" for k, v in self.pragmas.items()),
            f"integrity_check: {self.integrity}",
            f"outbox: {self.outbox_pending} pending, {self.outbox_rejected} rejected"
            + (f", oldest {self.oldest_pending_at}" if self.oldest_pending_at else ""),
            f"last receipt: {self.last_receipt_no or '-'} (sequence {self.receipt_sequence})",
            f"catalogue version: {self.catalogue_version}",
            *self.tamper,
        ]
        if self.simulated_devices:
            out.append(
                "warning: simulated devices: "
                + ", ".join(self.simulated_devices)
                + " (demo and training only, not for real business / 模拟设备，不得办理真实业务)"
            )
        out.extend(f"problem: {p}" for p in self.problems)
        return out


def check_health(ws: Workstation) -> HealthReport:
    ident = ws.identity
    found = pragmas(ws.db.engine)
    with ws.db.reader() as s:
        integrity = str(s.connection().exec_driver_sql("PRAGMA integrity_check").scalar())
        pending = (
            s.scalar(
                select(func.count()).where(
                    OutboxEntry.sent_at.is_(None), OutboxEntry.rejected_reason.is_(None)
                )
            )
            or 0
        )
        rejected = (
            s.scalar(select(func.count()).where(OutboxEntry.rejected_reason.is_not(None))) or 0
        )
        oldest = s.scalar(
            select(func.min(OutboxEntry.created_at)).where(OutboxEntry.sent_at.is_(None))
        )
        last = s.execute(
            select(Receipt.receipt_no, Receipt.seq).order_by(Receipt.seq.desc()).limit(1)
        ).first()
        sequence = current_value(s, "receipt", f"{ident.branch_code}-{ident.workstation_code}")
        receipts = s.scalar(select(func.count(Receipt.id))) or 0
        skipped = skipped_numbers(s, "receipt")
    revision = current_revision(ws.db.engine)
    report = HealthReport(
        ident.branch_code,
        ident.workstation_code,
        revision,
        head_revision(),
        found,
        integrity,
        pending,
        rejected,
        oldest.isoformat() if oldest else None,
        last[0] if last else None,
        sequence,
        ws.catalogue.version,
    )
    report.simulated_devices = ws.config.devices.settings().simulated()
    if revision != report.schema_head:
        report.problems.append(f"schema {revision} is not this build's {report.schema_head}")
    for key, expected in EXPECTED_PRAGMAS.items():
        if str(found.get(key)).lower() != str(expected):
            report.problems.append(f"pragma {key}={found.get(key)}, expected {expected}")
    if integrity != "ok":
        report.problems.append(f"integrity_check: {integrity}")
    # numbers skipped after a restore (they belong to records head office holds)
    skipped_count = sum(b - a + 1 for a, b in skipped)
    last_ok = last is None or last[1] == sequence or any(b == sequence for _a, b in skipped)
    if receipts + skipped_count != sequence or not last_ok:
        report.problems.append(f"receipt numbers: {receipts} receipts but sequence at {sequence}")
    _tamper_checks(ws, report)
    return report


def _tamper_checks(ws: Workstation, report: HealthReport) -> None:
    """Audit chain, guard triggers, sealed values, money and outbox (services/integrity)."""
    from .integrity import check_integrity

    found = check_integrity(ws)
    report.tamper = found.lines()
    report.problems.extend(found.problem_lines())
