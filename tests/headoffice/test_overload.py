"""Overload never answers 500: with every database connection busy, head office says
503 "busy" with Retry-After quickly, and the counter's client treats it as a link
problem to retry with back-off (the 200-workstation bench found the 500)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from frontdesk.headoffice.app import create_app
from frontdesk.headoffice.settings import Settings
from frontdesk.sync.client import HeadOfficeClient, HeadOfficeUnreachable


def test_all_connections_busy_gives_503_with_retry_after(ho_db_url):
    settings = Settings.model_validate(
        {"database": {"url": ho_db_url, "pool_size": 1, "pool_timeout_seconds": 0.3}}
    )
    app = create_app(settings, url=ho_db_url)
    with TestClient(app) as http:
        assert http.get("/health").status_code == 200
        engine = app.state.engine
        held = [engine.connect(), engine.connect()]  # pool of 1 + overflow of 1
        try:
            response = http.get("/health")
            assert response.status_code == 503
            assert response.headers["Retry-After"] == "1"
            assert response.json()["error"] == "busy"
            client = HeadOfficeClient(str(http.base_url), "token", timeout=5.0)
            client._http = http  # the same in-process app, through the real client code
            with pytest.raises(HeadOfficeUnreachable):
                client.count_numbers("a" * 64)
        finally:
            for conn in held:
                conn.close()
        assert http.get("/health").status_code == 200


def test_a_connection_postgresql_dropped_costs_one_503_then_pushes_flow(
    ho_db_url, ho_engine, enrolled
):
    """Head office no longer pings before each checkout (a round trip per request):
    a pooled connection PostgreSQL closed fails once as 503 — the counter retries — and
    the pool is refreshed, never a 500 and never a lost record."""
    from sqlalchemy import text

    from frontdesk.sync.credentials import CredentialStore
    from frontdesk.sync.pusher import push_pending
    from frontdesk.sync.status import read_status

    from .factory import write_sales

    settings = Settings.model_validate({"database": {"url": ho_db_url, "pool_size": 2}})
    app = create_app(settings, url=ho_db_url)
    write_sales(enrolled, 3)
    token = CredentialStore(enrolled.data_dir).load().token
    with TestClient(app) as http:
        assert http.get("/health").status_code == 200  # one pooled connection now
        with app.state.engine.connect() as pooled:  # ...this one: learn its server pid
            pid = pooled.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with ho_engine.connect() as admin:
            assert admin.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
        client = HeadOfficeClient(str(http.base_url), token, transport=http._transport)
        answers = []
        for _ in range(3):
            try:
                push_pending(enrolled.db, client)
                answers.append("ok")
                break
            except HeadOfficeUnreachable as exc:
                answers.append(str(exc))
        assert answers == ["head office error 503", "ok"], answers
        assert read_status(enrolled.db).pending == 0
