"""One sync pass and the background agent, composed with the complaint service.

``frontdesk.sync`` is an adapter below the services: it pushes the outbox, pulls
datasets and pages through head office's work-order changes, but imports no service.
What a work-order change does to a complaint (an event under head office's id, a
closed complaint staying closed) is :class:`~frontdesk.services.complaints.ComplaintService`'s
business; this module hands that service to the sync pass as its work-order sink. The
command line, the GUI and the tests take ``run_pass`` and ``SyncAgent`` from here.
"""

from __future__ import annotations

from typing import Any

from ..sync import agent as _agent
from ..sync import service as _service
from ..sync import workorders as _workorders
from ..sync.client import HeadOfficeClient
from ..sync.protocol import DEFAULT_BATCH_RECORDS
from ..sync.service import PassReport
from .complaints import ComplaintService

__all__ = ["PassReport", "SyncAgent", "pull_work_orders", "run_pass"]


def pull_work_orders(ws: Any, client: HeadOfficeClient) -> int:
    """Apply head office's new work-order changes to this counter's complaints."""
    return _workorders.pull_work_orders(ws, client, ComplaintService(ws))


def run_pass(
    ws: Any, client: HeadOfficeClient, *, batch_size: int = DEFAULT_BATCH_RECORDS
) -> PassReport:
    """Push everything pending, pull datasets and work-order changes (sync.service.run_pass)."""
    return _service.run_pass(ws, client, work_orders=ComplaintService(ws), batch_size=batch_size)


class SyncAgent(_agent.SyncAgent):
    """The counter's background sync thread; work-order changes go to its complaints."""

    def __init__(self, ws: Any, **kwargs: Any) -> None:
        kwargs.setdefault("work_orders", ComplaintService(ws))
        super().__init__(ws, **kwargs)
