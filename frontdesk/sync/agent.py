"""The background sync thread: drains the outbox and pulls datasets, forever.

Retries are driven by a timer and by connectivity coming back — never by new writes
(a busy counter must not hammer a dead link). While head office is unreachable the
agent waits a capped, jittered exponential back-off, but probes the cheap ``/health``
endpoint every few seconds, so draining starts within seconds of the link returning.
A 4xx refusal (revoked, flagged) is not a network problem: the agent keeps showing it
and retries only on the long cap, because a person must act.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from ..protocol.wire import DEFAULT_BATCH_RECORDS
from .client import HeadOfficeClient, HeadOfficeRefused, HeadOfficeUnreachable
from .credentials import CredentialError, CredentialStore
from .retry import Backoff
from .service import PassReport, client_for, run_pass
from .status import SyncStatus, read_status
from .workorders import WorkOrderSink

log = logging.getLogger("frontdesk.sync")


class SyncAgent:
    """Owns one daemon thread; ``start()`` / ``stop()`` / ``sync_now()`` / ``status()``.

    ``work_orders`` records head office's work-order changes; the counter builds its
    agent with :class:`frontdesk.services.syncpass.SyncAgent`, which gives the complaint
    service."""

    def __init__(
        self,
        ws: Any,
        *,
        work_orders: WorkOrderSink,
        interval_seconds: float = 30.0,
        probe_seconds: float = 2.0,
        batch_size: int = DEFAULT_BATCH_RECORDS,
        backoff: Backoff | None = None,
        client_factory: Callable[[], HeadOfficeClient] | None = None,
        on_pass: Callable[[PassReport | None, BaseException | None], None] | None = None,
    ) -> None:
        self._ws = ws
        self._work_orders = work_orders
        self.interval_seconds = interval_seconds
        self.probe_seconds = probe_seconds
        self.batch_size = batch_size
        self.backoff = backoff or Backoff(base_seconds=1.0, cap_seconds=300.0)
        self._client_factory = client_factory or (lambda: client_for(ws))
        self._on_pass = on_pass
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._client: HeadOfficeClient | None = None
        self._next_attempt_at: dt.datetime | None = None
        self.passes = 0

    # -- control -----------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="frontdesk-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self._client is not None:
            self._client.close()
            self._client = None

    def sync_now(self) -> None:
        """Ask for a pass now (the 同步 button); the thread does the work."""
        self._wake.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def status(self) -> SyncStatus:
        enrolled = CredentialStore(self._ws.data_dir).exists()
        base = read_status(self._ws.db, enrolled=enrolled)
        return SyncStatus(
            **{
                **base.__dict__,
                "running": self.running,
                "next_attempt_at": self._next_attempt_at,
            }
        )

    # -- the loop ------------------------------------------------------------------------
    def run_once(self) -> PassReport:
        if self._client is None:
            self._client = self._client_factory()
        return run_pass(
            self._ws, self._client, work_orders=self._work_orders, batch_size=self.batch_size
        )

    def _run(self) -> None:
        while not self._stop.is_set():
            error: BaseException | None = None
            report = None
            try:
                report = self.run_once()
                self.backoff.reset()
                delay = self.interval_seconds
            except (HeadOfficeUnreachable, ConnectionError) as exc:
                error = exc
                delay = self.backoff.next_delay()
            except (HeadOfficeRefused, CredentialError) as exc:
                error = exc
                delay = self.backoff.cap_seconds
            except Exception as exc:  # a bug or a bad dataset: keep the thread alive
                log.exception("sync pass failed")
                error = exc
                delay = self.backoff.next_delay()
            self.passes += 1
            if self._on_pass is not None:
                try:
                    self._on_pass(report, error)
                except Exception:  # the window's listener: logged, the sync thread goes on
                    log.exception("sync pass listener failed")
            self._wait(delay, probing=isinstance(error, ConnectionError))

    def _wait(self, delay: float, *, probing: bool) -> None:
        """Sleep ``delay``; wake early on sync_now(), stop(), or (when offline) as soon as
        head office answers its health probe again."""
        deadline = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=delay)
        self._next_attempt_at = deadline
        self._wake.clear()
        while not self._stop.is_set():
            remaining = (deadline - dt.datetime.now(dt.UTC)).total_seconds()
            if remaining <= 0:
                break
            step = min(remaining, self.probe_seconds) if probing else remaining
            if self._wake.wait(step):
                break
            if probing and self._client is not None and self._client.health():
                break
        self._next_attempt_at = None
