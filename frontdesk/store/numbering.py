"""Gapless, never-reused document numbers (SPEC §1).

A number is taken by advancing a counter row inside the business transaction, so a
rolled-back settle gives its number back and a committed one owns it for good; the
write transaction is BEGIN IMMEDIATE, so two processes can't take the same number.
Human form: ``<branch>-<workstation>-<YYYYMMDD>-<K><seq:06d>`` where K names the kind
(S slip, R receipt, W warranty card, C complaint). The sequence runs on across days
so "every receipt number is accounted for" is a single range check.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .models import NumberSequence, Setting

# set by ``frontdesk restore``; cleared by the first sync pass that learns head office's
# last numbers (sync/service.py confirm_numbers_after_restore)
RESTORED_SETTING = "restored_from"
SKIPPED_SETTING = "numbers_skipped"  # JSON {kind: [[first, last], ...]} skipped after a restore
CONFIRMED_KINDS = ("slip", "receipt")  # the kinds head office checks for clones


def refuse_until_confirmed(session: Session) -> None:
    """After a restore, no slip or receipt number is taken before head office's are known."""
    restored = session.scalar(select(Setting.value).where(Setting.key == RESTORED_SETTING))
    if restored is not None:
        from ..core import it_failures
        from ..core.messages import RuleViolation, error

        raise RuleViolation([error(it_failures.NUMBERS_UNCONFIRMED, "numbers", backup=restored)])


KIND_LETTERS = {"slip": "S", "receipt": "R", "warranty": "W", "complaint": "C"}


def next_value(session: Session, kind: str, scope: str) -> int:
    """Advance and return the counter for (kind, scope) in the current transaction."""
    stmt = (
        update(NumberSequence)
        .where(NumberSequence.kind == kind, NumberSequence.scope == scope)
        .values(last_value=NumberSequence.last_value + 1)
        .returning(NumberSequence.last_value)
    )
    value = session.connection().execute(stmt).scalar_one_or_none()
    if value is None:
        session.add(NumberSequence(kind=kind, scope=scope, last_value=1))
        session.flush()
        value = 1
    return int(value)


def current_value(session: Session, kind: str, scope: str) -> int:
    value = session.execute(
        select(NumberSequence.last_value).where(
            NumberSequence.kind == kind, NumberSequence.scope == scope
        )
    ).scalar_one_or_none()
    return int(value or 0)


def format_number(kind: str, branch: str, workstation: str, day: dt.date, seq: int) -> str:
    return f"{branch}-{workstation}-{day:%Y%m%d}-{KIND_LETTERS[kind]}{seq:06d}"


def take_number(
    session: Session, kind: str, branch: str, workstation: str, day: dt.date
) -> tuple[str, int]:
    if kind in CONFIRMED_KINDS:
        refuse_until_confirmed(session)
    seq = next_value(session, kind, f"{branch}-{workstation}")
    return format_number(kind, branch, workstation, day, seq), seq


def take_numbers(
    session: Session, kinds: tuple[str, ...], branch: str, workstation: str, day: dt.date
) -> dict[str, tuple[str, int]]:
    """Several numbers in one statement (a settle takes a slip and a receipt number)."""
    if any(kind in CONFIRMED_KINDS for kind in kinds):
        refuse_until_confirmed(session)
    scope = f"{branch}-{workstation}"
    stmt = (
        update(NumberSequence)
        .where(NumberSequence.kind.in_(kinds), NumberSequence.scope == scope)
        .values(last_value=NumberSequence.last_value + 1)
        .returning(NumberSequence.kind, NumberSequence.last_value)
    )
    # Core execution: the ORM's session synchronisation is not needed for a counter row
    values = {row[0]: row[1] for row in session.connection().execute(stmt)}
    for kind in kinds:
        if kind not in values:
            values[kind] = next_value(session, kind, scope)
    return {k: (format_number(k, branch, workstation, day, v), v) for k, v in values.items()}


def skipped_numbers(session: Session, kind: str) -> list[tuple[int, int]]:
    """The ranges of ``kind`` numbers skipped after restores ([first, last] each)."""
    import json

    value = session.scalar(select(Setting.value).where(Setting.key == SKIPPED_SETTING))
    if value is None:
        return []
    return [(int(a), int(b)) for a, b in json.loads(value).get(kind, [])]
