"""Pick the counter's queue backend from ``[queue]``: the host's API, or in-process."""

from __future__ import annotations

from typing import Any

from ..services.queue import CounterDesk, LocalQueue, QueueBackend
from .client import RemoteQueue
from .settings import QueueSection, load_queue_section

CREDENTIAL_FILE = "queue-credential.json"  # this counter's credential at the queue host


def queue_backend(ws: Any, section: QueueSection | None = None) -> QueueBackend:
    """``RemoteQueue`` when a queue URL is configured, else this PC's own ``LocalQueue``
    (the queue host itself, or a single-counter branch)."""
    section = section or load_queue_section(ws.data_dir)
    if section.url:
        return RemoteQueue(
            section.url,
            section.token,
            timeout=section.timeout_seconds,
            counter=ws.identity.workstation_code,
            credential_path=ws.data_dir / CREDENTIAL_FILE,
        )
    return LocalQueue.for_workstation(ws, section.setup())


def counter_desk(ws: Any, section: QueueSection | None = None) -> CounterDesk:
    """This counter's desk: its backend, its code and the lines it calls."""
    section = section or load_queue_section(ws.data_dir)
    backend = queue_backend(ws, section)
    lines = section.counter_lines or tuple(line.code for line in section.setup().lines)
    return CounterDesk(backend, ws.identity.workstation_code, lines)
