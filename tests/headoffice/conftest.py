"""A real PostgreSQL (pgserver, or FRONTDESK_TEST_PG_URL) and a real uvicorn head office.

PostgreSQL starts once per session in a temporary folder; each test module that needs
isolation gets its own database. Tests use unique branch codes, so one server serves
the whole session.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from frontdesk.headoffice.admin import issue_enrolment_code
from frontdesk.headoffice.db import make_engine, migrate
from frontdesk.services.workstation import Workstation
from frontdesk.sync.service import enrol_workstation

from .factory import ServerProcess, create_database, new_workstation

os.environ.setdefault("FRONTDESK_NO_KEYRING", "1")


@pytest.fixture(scope="session")
def pg_admin_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    given = os.environ.get("FRONTDESK_TEST_PG_URL")
    if given:
        yield given.replace("postgresql://", "postgresql+psycopg://", 1)
        return
    import tempfile

    import pgserver

    # pgserver runs PostgreSQL as its own system user when started by root, so the data
    # folder must be reachable by it (pytest's temp dirs are 0700)
    folder = Path(tempfile.mkdtemp(prefix="frontdesk-pg-"))
    folder.chmod(0o755)
    server = pgserver.get_server(folder, cleanup_mode="delete")
    uri = server.get_uri()
    yield "postgresql+psycopg://" + uri[len("postgresql://") :]
    server.cleanup()


@pytest.fixture(scope="session")
def ho_db_url(pg_admin_url: str) -> str:
    url = create_database(pg_admin_url, f"fd_test_{uuid.uuid4().hex[:8]}")
    migrate(url)
    return url


@pytest.fixture(scope="session")
def ho_engine(ho_db_url: str) -> Iterator[Engine]:
    engine = make_engine(ho_db_url, pool_size=2)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def ho_server(ho_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    server = ServerProcess(ho_db_url, tmp_path_factory.mktemp("ho"), workers=1)
    server.start()
    yield server
    server.stop()


def enrol(ws: Workstation, engine: Engine, url: str) -> None:
    with engine.begin() as conn:
        code = issue_enrolment_code(conn, ws.identity.branch_code, ws.identity.workstation_code)
    enrol_workstation(ws, url, code)


@pytest.fixture
def enrolled(tmp_path: Path, ho_engine: Engine, ho_server: ServerProcess) -> Iterator[Workstation]:
    ws = new_workstation(tmp_path)
    enrol(ws, ho_engine, ho_server.url)
    yield ws
    ws.close()
