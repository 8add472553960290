"""Shared fixtures: a real workstation in a temporary folder, with a clock held still."""

from __future__ import annotations

import datetime as dt
import os
import shutil
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


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo workstation built once (argon2 hashing of the demo staff is slow on
    purpose); each test gets its own copy of the folder."""
    folder = tmp_path_factory.mktemp("demo-template") / "ws"
    workstation = initialise(
        folder,
        branch_code="BJ0101",
        workstation_code="W01",
        branch_name="北京朝阳建国路营业厅",
        clock=FixedClock(DEMO_NOW),
    )
    load_demo_data(workstation)
    workstation.close()
    return folder


@pytest.fixture
def demo_ws(demo_template: Path, tmp_path: Path, clock: FixedClock) -> Workstation:
    folder = tmp_path / "demo-ws"
    shutil.copytree(demo_template, folder)
    workstation = Workstation.open(folder, clock=clock)
    yield workstation
    workstation.close()


@pytest.fixture
def auth(demo_ws: Workstation) -> AuthService:
    return AuthService(demo_ws.db, demo_ws.config.security, demo_ws.clock)


@pytest.fixture
def clerk(auth: AuthService) -> StaffSession:
    return auth.sign_in("clerk01", "Counter2026")


@pytest.fixture
def manager(auth: AuthService) -> StaffSession:
    return auth.sign_in("manager01", "Manager2026")
