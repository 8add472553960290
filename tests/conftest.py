"""Shared fixtures: a real workstation in a temporary folder, with a clock held still."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from frontdesk.core.clock import BUSINESS_TZ, FixedClock
from frontdesk.services.auth import AuthService, StaffSession
from frontdesk.services.demo import load_demo_data
from frontdesk.services.workstation import Workstation, initialise

# A Saturday morning at the branch, in China Standard Time.
DEMO_NOW = dt.datetime(2026, 11, 21, 9, 30, tzinfo=BUSINESS_TZ)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(DEMO_NOW)


@pytest.fixture
def ws(tmp_path: Path, clock: FixedClock) -> Workstation:
    workstation = initialise(
        tmp_path / "ws",
        branch_code="BJ0101",
        workstation_code="W01",
        branch_name="北京朝阳建国路营业厅",
        clock=clock,
    )
    yield workstation
    workstation.close()


@pytest.fixture
def demo_ws(ws: Workstation) -> Workstation:
    load_demo_data(ws)
    return ws


@pytest.fixture
def auth(demo_ws: Workstation) -> AuthService:
    return AuthService(demo_ws.db, demo_ws.config.security, demo_ws.clock)


@pytest.fixture
def clerk(auth: AuthService) -> StaffSession:
    return auth.sign_in("clerk01", "Counter2026")


@pytest.fixture
def manager(auth: AuthService) -> StaffSession:
    return auth.sign_in("manager01", "Manager2026")
