"""Schemathesis against a real head office and PostgreSQL: every operation of head
office's OpenAPI schema gets generated requests (a bounded number per operation, to keep
the suite's time) with a real enrolled credential; no answer may be a 5xx, and every
answer must match the schema (the refusals are ``ProblemBody``).

Head office serves no ``/openapi.json``: the schema is taken from the app itself."""

from __future__ import annotations

import collections
import datetime as dt
import os
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from frontdesk.headoffice.app import create_app
from frontdesk.headoffice.settings import load_settings
from frontdesk.sync.credentials import CredentialStore

from .conftest import enrol
from .factory import ServerProcess, new_workstation, write_sales

ADMIN = "fuzzing-admin-token-000000000001"
EXAMPLES = int(os.environ.get("FRONTDESK_FUZZ_EXAMPLES", "10"))  # per operation
RAW = create_app(load_settings(env={}), url="postgresql+psycopg://fuzz@127.0.0.1:9/fuzz").openapi()
schema = schemathesis.openapi.from_dict(RAW)
SEEN: collections.Counter[int] = collections.Counter()


class Target:
    def __init__(self, server: ServerProcess, token: str) -> None:
        self.server = server
        self.token = token


@pytest.fixture(scope="module")
def fuzz_target(ho_db_url, ho_engine, tmp_path_factory) -> Iterator[Target]:
    folder = tmp_path_factory.mktemp("ho-fuzz")
    config = folder / "headoffice.toml"  # a far-future ``follows`` waits briefly
    config.write_text("[sync]\npush_order_wait_seconds = 0.2\n", encoding="utf-8")
    server = ServerProcess(
        ho_db_url,
        folder,
        env={"FRONTDESK_HO_ADMIN_TOKEN": ADMIN, "FRONTDESK_HO_CONFIG": str(config)},
    )
    server.start()
    ws = new_workstation(tmp_path_factory.mktemp("fuzz-counter"))
    enrol(ws, ho_engine, server.url)
    write_sales(ws, 3)  # something to report on
    from frontdesk.services.syncpass import run_pass
    from frontdesk.sync.service import client_for

    with client_for(ws) as client:
        run_pass(ws, client)
    yield Target(server, CredentialStore(ws.data_dir).load().token)
    print(
        f"\nhead office fuzz: {sum(SEEN.values())} requests, statuses {dict(sorted(SEEN.items()))}"
    )
    ws.close()
    server.stop()


def test_head_office_schema_is_not_served():
    """The schema is the suite's, not the world's."""
    assert "/openapi.json" not in RAW["paths"] and "/docs" not in RAW["paths"]


def test_every_request_body_is_described():
    for path, ops in RAW["paths"].items():
        if "post" in ops:
            body = ops["post"].get("requestBody", {}).get("content", {})
            assert "application/json" in body, path


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_head_office_answers_every_generated_request_without_5xx(case, fuzz_target):
    token = ADMIN if case.path.startswith("/v1/admin") else fuzz_target.token
    case.headers = {
        **(case.headers or {}),
        "X-Frontdesk-Protocol": "2",
        "X-Frontdesk-App": "fuzz",
        "X-Frontdesk-Schema": "0005",
        "X-Frontdesk-Device-Time": dt.datetime.now(dt.UTC).isoformat(),
        "Authorization": f"Bearer {token}",
    }
    response = case.call(base_url=fuzz_target.server.url, timeout=60)
    SEEN[response.status_code] += 1
    # 503 "busy" (with Retry-After) is the protocol's "send again shortly" — a batch
    # whose predecessor never came, a credential past its pushes; anything else 5xx fails
    busy = response.status_code == 503 and response.json().get("error") == "busy"
    assert response.status_code < 500 or busy, response.text
    case.validate_response(response, checks=[response_schema_conformance])
