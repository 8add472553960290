"""The counter's number pool (号码资源) for 入网 (选号): offered, held, used, freed.

The intake service calls the session-level functions below inside its own transactions
(a hook line each): a 入网 item holds its number when it goes onto the slip, removing the
item or cancelling the visit frees it, settling marks it used in the settle transaction,
and a void frees it again. Every state change is a conditional UPDATE on one row under
the store's BEGIN IMMEDIATE writes, so one number is never held twice at once.

:class:`NumberPoolService` is what the window asks: the free numbers (the first one
pre-fills the form, the picker filters them by tail).

Decision (docs/decisions.md, "Number pool"): once a workstation holds any numbers, a
mobile 入网 takes only a free number of its pool; a workstation that has never received
a block (before head office rolls the pool out to its branch) keeps taking a typed number.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..core.messages import Problem, RuleViolation, error
from ..core.numbers import (
    FREE,
    HELD,
    NUMBER_FIELD,
    USED,
    check_numbers,
    filter_by_tail,
    uses_pool,
)
from ..store.models import PoolNumber

if TYPE_CHECKING:
    from ..core.catalogue import Business
    from .workstation import Workstation

#: The picker shows at most this many numbers (typing a tail narrows them).
PICKER_LIMIT = 500


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _in_pool(business: Business, values: Mapping[str, Any]) -> bool:
    return uses_pool(business.account_effect, (f.key for f in business.fields), values)


def has_pool(s: Session) -> bool:
    return s.scalar(select(PoolNumber.number).limit(1)) is not None


def pool_problems(s: Session, business: Business, values: Mapping[str, Any]) -> list[Problem]:
    """Why this 入网 may not take its number: not in the pool, or not free."""
    if not _in_pool(business, values) or not has_pool(s):
        return []
    number = str(values.get(NUMBER_FIELD) or "")
    if not number:
        return []  # the field's own "required" message says it
    row = s.get(PoolNumber, number)
    if row is None:
        if s.scalar(select(PoolNumber.number).where(PoolNumber.state == FREE).limit(1)) is None:
            return [error("numbers.pool_exhausted", NUMBER_FIELD)]
        return [error("numbers.not_in_pool", NUMBER_FIELD, number=number)]
    if row.state != FREE:
        return [error("numbers.not_free", NUMBER_FIELD, number=number)]
    return []


def hold(
    s: Session, business: Business, values: Mapping[str, Any], visit_id: uuid.UUID, item_id: str
) -> None:
    """The item's number goes from free to held by this visit (or the add is refused)."""
    if not _in_pool(business, values) or not has_pool(s):
        return
    number = str(values.get(NUMBER_FIELD) or "")
    taken = s.execute(
        update(PoolNumber)
        .where(PoolNumber.number == number, PoolNumber.state == FREE)
        .values(state=HELD, visit_id=visit_id, item_id=item_id, updated_at=_now())
    ).rowcount
    if taken != 1:  # someone else took it between the check and here
        raise RuleViolation([error("numbers.not_free", NUMBER_FIELD, number=number)])


def release_items(s: Session, visit_id: uuid.UUID, item_ids: Iterable[str]) -> int:
    """Items taken off the slip give their numbers back."""
    ids = list(item_ids)
    if not ids:
        return 0
    return int(
        s.execute(
            update(PoolNumber)
            .where(
                PoolNumber.state == HELD,
                PoolNumber.visit_id == visit_id,
                PoolNumber.item_id.in_(ids),
            )
            .values(state=FREE, visit_id=None, item_id=None, updated_at=_now())
        ).rowcount
    )


def release_visit(s: Session, visit_id: uuid.UUID) -> int:
    """A cancelled visit gives back every number it held."""
    return int(
        s.execute(
            update(PoolNumber)
            .where(PoolNumber.state == HELD, PoolNumber.visit_id == visit_id)
            .values(state=FREE, visit_id=None, item_id=None, updated_at=_now())
        ).rowcount
    )


def mark_used(s: Session, visit_id: uuid.UUID, slip_id: uuid.UUID) -> int:
    """Settling: the visit's held numbers are used (in the settle transaction)."""
    return int(
        s.execute(
            update(PoolNumber)
            .where(PoolNumber.state == HELD, PoolNumber.visit_id == visit_id)
            .values(state=USED, visit_id=None, item_id=None, slip_id=slip_id, updated_at=_now())
        ).rowcount
    )


def release_slip(s: Session, slip_id: uuid.UUID) -> int:
    """A voided slip's 入网 never opened its line: its numbers are free again."""
    return int(
        s.execute(
            update(PoolNumber)
            .where(PoolNumber.state == USED, PoolNumber.slip_id == slip_id)
            .values(state=FREE, slip_id=None, updated_at=_now())
        ).rowcount
    )


def load_numbers(s: Session, numbers: Iterable[object], source: str) -> int:
    """Add checked numbers to the pool as free (the demo pool); known ones are kept."""
    checked, problems = check_numbers(numbers)
    if problems:
        raise RuleViolation(problems)
    existing = set(s.scalars(select(PoolNumber.number)))
    now = _now()
    new = [n for n in checked if n not in existing]
    s.add_all(PoolNumber(number=n, state=FREE, source=source, updated_at=now) for n in new)
    return len(new)


@dataclass(frozen=True)
class PoolCounts:
    free: int
    held: int
    used: int

    @property
    def total(self) -> int:
        return self.free + self.held + self.used


class NumberPoolService:
    """What the 入网 form asks: the free numbers, in order, optionally by tail."""

    def __init__(self, ws: Workstation) -> None:
        self._ws = ws

    def free_numbers(self, tail: str = "", limit: int = PICKER_LIMIT) -> list[str]:
        with self._ws.db.reader() as s:
            numbers = s.scalars(
                select(PoolNumber.number)
                .where(PoolNumber.state == FREE)
                .order_by(PoolNumber.number)
            )
            return filter_by_tail(numbers, tail)[:limit]

    def first_free(self) -> str | None:
        with self._ws.db.reader() as s:
            return s.scalar(
                select(PoolNumber.number)
                .where(PoolNumber.state == FREE)
                .order_by(PoolNumber.number)
                .limit(1)
            )

    def counts(self) -> PoolCounts:
        with self._ws.db.reader() as s:
            rows = dict(
                s.execute(select(PoolNumber.state, func.count()).group_by(PoolNumber.state)).all()
            )
        return PoolCounts(int(rows.get(FREE, 0)), int(rows.get(HELD, 0)), int(rows.get(USED, 0)))

    def state_of(self, number: str) -> str | None:
        with self._ws.db.reader() as s:
            row = s.get(PoolNumber, number)
            return row.state if row is not None else None
