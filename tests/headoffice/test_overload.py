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
