"""Retention of identity records (MIIT Order 25; PIPL: keep no longer than needed).

Identity records are kept for the service period plus ``retention_years_after_close``
years (default 2), then the sealed ID number, the sealed birth date, the sealed address,
the contact phone and the retained scans are erased. Every identity record has a purge
date (:meth:`RetentionService.schedule`):

- a customer (person or unit) whose lines are all closed: the last close, or a later
  visit, plus the period; a walk-in who never held a line: their last visit plus the
  period; while any line is open the service runs and no date is set yet;
- a verification of any party (customer, agent, unit agent, guardian, new owner) and its
  scans: the purge date of the customer the visit served, because the record is the proof
  of that service; a verification whose visit identified no customer: its own date plus
  the period.

What stays is what proves a business was done properly without identifying the person
again: the masked number, the keyed hash, the verification steps and their outcomes.
Every purge is one audited record and one log line (counts only); settled records are
never touched (the append-only triggers allow exactly these columns to be cleared).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select, update

from ..store import audit
from ..store.models import Customer, DocumentScan, IdVerification, Line, Visit
from .auth import StaffSession
from .workstation import Workstation

log = logging.getLogger("frontdesk.retention")


@dataclass(frozen=True)
class PurgeReport:
    customers: int
    verifications: int
    scans: int
    cutoff: dt.datetime


@dataclass(frozen=True)
class RetentionEntry:
    """One identity record and the day it is purged (``None``: its service still runs)."""

    kind: str  # customer | id_verification
    record_id: uuid.UUID
    party: str  # customer | agent | guardian | new_owner | unit
    purge_after: dt.datetime | None
    purged: bool


def _years_after(at: dt.datetime, years: int) -> dt.datetime:
    try:
        return at.replace(year=at.year + years)
    except ValueError:  # 29 February
        return at.replace(year=at.year + years, day=28)


def _years_before(at: dt.datetime, years: int) -> dt.datetime:
    try:
        return at.replace(year=at.year - years)
    except ValueError:  # 29 February
        return at.replace(year=at.year - years, day=28)


class RetentionService:
    def __init__(self, ws: Workstation) -> None:
        self._ws = ws

    @property
    def _years(self) -> int:
        return self._ws.config.security.retention_years_after_close

    def schedule(self) -> list[RetentionEntry]:
        """Every identity record with its purge date (see the module's rules)."""
        years = self._years
        with self._ws.db.reader() as s:
            open_customers = set(
                s.scalars(select(Line.customer_id).where(Line.status != "closed").distinct())
            )
            last_close = dict(
                s.execute(
                    select(Line.customer_id, func.max(Line.state_as_of))
                    .where(Line.status == "closed")
                    .group_by(Line.customer_id)
                ).all()
            )
            last_visit = dict(
                s.execute(
                    select(
                        Visit.customer_id, func.max(func.coalesce(Visit.ended_at, Visit.opened_at))
                    )
                    .where(Visit.customer_id.is_not(None))
                    .group_by(Visit.customer_id)
                ).all()
            )
            customers = s.execute(
                select(Customer.id, Customer.kind, Customer.created_at, Customer.id_number_enc)
            ).all()
            verifications = s.execute(
                select(
                    IdVerification.id,
                    IdVerification.party,
                    IdVerification.created_at,
                    IdVerification.id_number_enc,
                    Visit.customer_id,
                ).join(Visit, Visit.id == IdVerification.visit_id)
            ).all()
        entries: list[RetentionEntry] = []
        purge_of: dict[uuid.UUID, dt.datetime | None] = {}
        for cid, kind, created_at, sealed in customers:
            if cid in open_customers:
                due = None
            else:
                ends = [created_at, last_close.get(cid), last_visit.get(cid)]
                due = _years_after(max(e for e in ends if e is not None), years)
            purge_of[cid] = due
            party = "unit" if kind == "unit" else "customer"
            entries.append(RetentionEntry("customer", cid, party, due, sealed is None))
        for vid, party, created_at, sealed, cid in verifications:
            own = _years_after(created_at, years)
            if cid is None:
                due: dt.datetime | None = own
            else:
                served = purge_of.get(cid)
                due = None if served is None else max(served, own)
            entries.append(RetentionEntry("id_verification", vid, party, due, sealed is None))
        return entries

    def due(self, now: dt.datetime | None = None) -> list[RetentionEntry]:
        """The records whose purge date has passed and that still hold identity data."""
        now = now or self._ws.clock.now()
        return [
            e
            for e in self.schedule()
            if e.purge_after is not None and e.purge_after <= now and not e.purged
        ]

    def due_customers(self, now: dt.datetime | None = None) -> list[str]:
        """Keyed hashes of the customers whose purge date has passed."""
        ids = [e.record_id for e in self.due(now) if e.kind == "customer"]
        if not ids:
            return []
        with self._ws.db.reader() as s:
            return list(s.scalars(select(Customer.id_hash).where(Customer.id.in_(ids))))

    def purge(self, staff: StaffSession | None, now: dt.datetime | None = None) -> PurgeReport:
        """Erase the identity data of every record past its purge date; audited, one commit."""
        now = now or self._ws.clock.now()
        cutoff = _years_before(now, self._years)
        due = self.due(now)
        customer_ids = [e.record_id for e in due if e.kind == "customer"]
        verification_ids = [e.record_id for e in due if e.kind == "id_verification"]
        parties = sorted({e.party for e in due if e.kind == "id_verification"})
        scans = verifications = customers = 0
        with self._ws.db.unit_of_work() as uow:
            s = uow.session
            if verification_ids:
                scans = (
                    s.execute(
                        update(DocumentScan)
                        .where(
                            DocumentScan.verification_id.in_(verification_ids),
                            DocumentScan.purged_at.is_(None),
                        )
                        .values(ciphertext=None, purged_at=now)
                    ).rowcount
                    or 0
                )
                verifications = (
                    s.execute(
                        update(IdVerification)
                        .where(IdVerification.id.in_(verification_ids))
                        .values(id_number_enc=None, address_enc=None, birth_date_enc=None)
                    ).rowcount
                    or 0
                )
            if customer_ids:
                customers = (
                    s.execute(
                        update(Customer)
                        .where(Customer.id.in_(customer_ids))
                        .values(id_number_enc=None, birth_date_enc=None, contact_phone=None)
                    ).rowcount
                    or 0
                )
            detail = {
                "customers": customers,
                "verifications": verifications,
                "parties": parties,
                "scans": scans,
                "cutoff": cutoff.isoformat(),
                "years_after_service": self._years,
            }
            audit.record(
                s,
                actor_id=staff.staff_id if staff else None,
                action="retention.purge",
                object_type="identity_records",
                detail=detail,
            )
            uow.commit()
        # counts only: no name, number or phone ever reaches a log file
        log.info(
            "retention purge: %d customers, %d verifications (%s), %d scans",
            customers,
            verifications,
            ", ".join(parties) or "-",
            scans,
        )
        return PurgeReport(customers, verifications, scans, cutoff)
