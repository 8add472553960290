"""Passwords expire (security.password_max_age_days, 90 by default): forced change at sign-in."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from frontdesk.config import SecuritySection
from frontdesk.core.messages import RuleViolation
from frontdesk.services.auth import AuthService
from frontdesk.store.models import AuditEntry, Staff


def _set_changed(ws, username: str, when: dt.datetime) -> None:
    with ws.db.unit_of_work() as uow:
        uow.session.execute(
            update(Staff).where(Staff.username == username).values(password_changed_at=when)
        )
        uow.commit()


def test_a_password_older_than_90_days_must_be_changed(demo_ws, clock, auth):
    assert SecuritySection().password_max_age_days == 90
    _set_changed(demo_ws, "clerk01", clock.now() - dt.timedelta(days=89))
    fresh = auth.sign_in("clerk01", "Counter2026")
    assert not fresh.must_change_password and not fresh.password_expired
    _set_changed(demo_ws, "clerk01", clock.now() - dt.timedelta(days=91))
    session = auth.sign_in("clerk01", "Counter2026")
    assert session.must_change_password and session.password_expired
    with demo_ws.db.reader() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "auth.sign_in")).all()[-1]
        assert entry.detail == {"password_expired": True}
    # the same password again is refused; a new one ends the expiry
    with pytest.raises(RuleViolation) as info:
        auth.change_password(session, "Counter2026", "Counter2026")
    assert "auth.password_reused" in info.value.codes
    changed = auth.change_password(session, "Counter2026", "Renewed2027")
    assert not changed.must_change_password and not changed.password_expired
    clock.advance(days=30)
    again = auth.sign_in("clerk01", "Renewed2027")
    assert not again.must_change_password and not again.password_expired


def test_the_period_is_configurable(demo_ws, clock):
    _set_changed(demo_ws, "clerk01", clock.now() - dt.timedelta(days=31))
    strict = AuthService(demo_ws.db, SecuritySection(password_max_age_days=30), demo_ws.clock)
    assert strict.sign_in("clerk01", "Counter2026").password_expired
    lenient = AuthService(demo_ws.db, SecuritySection(), demo_ws.clock)
    assert not lenient.sign_in("clerk01", "Counter2026").password_expired


def test_never_changed_counts_from_the_account_creation(demo_ws, clock, auth):
    with demo_ws.db.reader() as s:
        created = s.scalar(select(Staff.created_at).where(Staff.username == "clerk02"))
    clock.set(created + dt.timedelta(days=91))
    assert auth.sign_in("clerk02", "Counter2026b").password_expired


@pytest.mark.parametrize("days", [0, 366])
def test_the_setting_is_bounded(days):
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        SecuritySection(password_max_age_days=days)
