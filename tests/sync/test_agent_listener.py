"""The sync agent's thread outlives a pass listener that fails (sync/agent.py).

The counter window listens to every pass to redraw its sync bar; a bug there must not
stop the background sync of the counter's records, and it must reach the log."""

from __future__ import annotations

import logging
import socket
import time

from frontdesk.services.syncpass import SyncAgent
from frontdesk.sync.client import HeadOfficeClient
from frontdesk.sync.retry import Backoff


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_failing_pass_listener_is_logged_and_the_agent_goes_on(demo_ws, caplog):
    url = f"http://127.0.0.1:{_closed_port()}"  # head office down: every pass fails
    calls: list[BaseException | None] = []

    def broken_listener(_report, error) -> None:
        calls.append(error)
        raise RuntimeError("sync bar redraw failed")

    agent = SyncAgent(
        demo_ws,
        interval_seconds=0.1,
        probe_seconds=0.1,
        backoff=Backoff(base_seconds=0.1, cap_seconds=0.1),
        client_factory=lambda: HeadOfficeClient(url, "token", timeout=1),
        on_pass=broken_listener,
    )
    with caplog.at_level(logging.ERROR, logger="frontdesk.sync"):
        agent.start()
        try:
            deadline = time.monotonic() + 20
            while len(calls) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert len(calls) >= 2  # a second pass ran after the listener failed
            assert agent.running
        finally:
            agent.stop()
    assert all(isinstance(e, ConnectionError) for e in calls)
    assert "sync pass listener failed" in caplog.text
