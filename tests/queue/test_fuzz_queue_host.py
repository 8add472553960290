"""Schemathesis against a real queue host (uvicorn, the host's own SQLite queue): every
operation gets generated requests with a real joined counter's credential; no 5xx, and
answers that match the schema. The host serves no ``/openapi.json``: the schema comes
from the app."""

from __future__ import annotations

import collections
import os
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from frontdesk.core.clock import FixedClock
from frontdesk.queuehost.app import create_app
from frontdesk.queuehost.client import RemoteQueue
from frontdesk.services.queue import LocalQueue, QueueSetup
from frontdesk.services.workstation import initialise
from tests.queue.test_queue_host import TOKEN, Host

EXAMPLES = int(os.environ.get("FRONTDESK_FUZZ_EXAMPLES", "10"))  # per operation
schema = schemathesis.openapi.from_dict(create_app(None, TOKEN).openapi())  # type: ignore[arg-type]
SEEN: collections.Counter[int] = collections.Counter()


class Target:
    def __init__(self, url: str, credential: str) -> None:
        self.url = url
        self.credential = credential


@pytest.fixture(scope="module")
def queue_target(tmp_path_factory) -> Iterator[Target]:
    import datetime as dt

    folder = tmp_path_factory.mktemp("fuzz-queue")
    ws = initialise(folder / "ws", branch_code="BJ0101", workstation_code="W01")
    ws.clock = FixedClock(dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC))
    queue = LocalQueue.for_workstation(ws, QueueSetup(counters=("W01", "W02")))
    with Host(queue, TOKEN) as host:
        client = RemoteQueue(
            host.url, TOKEN, counter="W01", credential_path=folder / "credential.json"
        )
        client.issue("A")
        yield Target(host.url, client._credential())
        client.close()
    print(
        f"\nqueue host fuzz: {sum(SEEN.values())} requests, statuses {dict(sorted(SEEN.items()))}"
    )
    ws.close()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_queue_host_answers_every_generated_request_without_5xx(case, queue_target):
    if case.path != "/v1/join":
        case.headers = {
            **(case.headers or {}),
            "Authorization": f"Bearer {queue_target.credential}",
        }
    response = case.call(base_url=queue_target.url, timeout=30)
    SEEN[response.status_code] += 1
    assert response.status_code < 500, response.text
