"""Retention of identity records (MIIT Order 25; PIPL: keep no longer than needed).

Identity documents are kept for the service period plus ``retention_years_after_close``
years (default 2) after the customer's last account closed; then the sealed ID number,
the sealed address and the retained scans are erased. What stays is what proves a
business was done properly without identifying the person: the masked number, the
keyed hash, the verification steps and their outcomes. Every purge is one audited
record; settled records are never touched (the append-only triggers allow exactly
these columns to be cleared).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update

from ..store import audit
from ..store.models import Customer, DocumentScan, IdVerification, Line
from .auth import StaffSession
from .workstation import Workstation


@dataclass(frozen=True)
class PurgeReport:
    customers: int
    verifications: int
    scans: int
    cutoff: dt.datetime


def _years_before(at: dt.datetime, years: int) -> dt.datetime:
    try:
        return at.replace(year=at.year - years)
    except ValueError:  # 29 February
        return at.replace(year=at.year - years, day=28)


class RetentionService:
    def __init__(self, ws: Workstation) -> None:
        self._ws = ws

    def due_customers(self, now: dt.datetime | None = None) -> list[str]:
        """Keyed hashes of customers whose every line closed before the cut-off."""
        now = now or self._ws.clock.now()
        cutoff = _years_before(now, self._ws.config.security.retention_years_after_close)
        with self._ws.db.reader() as s:
            open_lines = select(Line.customer_id).where(Line.status != "closed").scalar_subquery()
            last_close = (
                select(Line.customer_id, func.max(Line.state_as_of).label("closed_at"))
                .where(Line.status == "closed")
                .group_by(Line.customer_id)
                .subquery()
            )
            rows = s.execute(
                select(Customer.id_hash)
                .join(last_close, last_close.c.customer_id == Customer.id)
                .where(Customer.id.not_in(open_lines), last_close.c.closed_at < cutoff)
            ).all()
        return [r[0] for r in rows]

    def purge(self, staff: StaffSession | None, now: dt.datetime | None = None) -> PurgeReport:
        """Erase the identity data of every customer past retention; audited, one commit."""
        now = now or self._ws.clock.now()
        cutoff = _years_before(now, self._ws.config.security.retention_years_after_close)
        hashes = self.due_customers(now)
        verifications = scans = 0
        with self._ws.db.unit_of_work() as uow:
            s = uow.session
            if hashes:
                ids = select(IdVerification.id).where(IdVerification.id_hash.in_(hashes))
                scans = (
                    s.execute(
                        update(DocumentScan)
                        .where(
                            DocumentScan.verification_id.in_(ids), DocumentScan.purged_at.is_(None)
                        )
                        .values(ciphertext=None, purged_at=now)
                    ).rowcount
                    or 0
                )
                verifications = (
                    s.execute(
                        update(IdVerification)
                        .where(
                            IdVerification.id_hash.in_(hashes),
                            IdVerification.id_number_enc.is_not(None),
                        )
                        .values(id_number_enc=None, address_enc=None)
                    ).rowcount
                    or 0
                )
                s.execute(
                    update(Customer).where(Customer.id_hash.in_(hashes)).values(id_number_enc=None)
                )
            audit.record(
                s,
                actor_id=staff.staff_id if staff else None,
                action="retention.purge",
                object_type="identity_records",
                detail={
                    "customers": len(hashes),
                    "verifications": verifications,
                    "scans": scans,
                    "cutoff": cutoff.isoformat(),
                },
            )
            uow.commit()
        return PurgeReport(len(hashes), verifications, scans, cutoff)
