"""The counter window's other windows: complaints, hall view, reception, manager reports.

Each opens as a window of its own (one of each per counter window), built from the
services passed in; the counter keeps working underneath. Kept apart from
main_window.py so that module stays about the visit itself.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Protocol

from .qt import QMessageBox, QWidget

if TYPE_CHECKING:
    from ..services.auth import StaffSession
    from ..services.intake import VisitView
    from .context import CounterServices


class CounterWindow(Protocol):
    """What these windows use of the counter window (main_window imports this module,
    so it is described here rather than imported: no cycle)."""

    visit_id: uuid.UUID | None
    view: VisitView | None

    def refresh(self) -> None: ...


_OPEN: dict[tuple[int, str], QWidget] = {}


def _show_once(owner: QWidget, key: str, build) -> QWidget | None:
    """Raise the window if it is already open, else build and show it."""
    existing = _OPEN.get((id(owner), key))
    if existing is not None and existing.isVisible():
        existing.raise_()
        existing.activateWindow()
        return existing
    try:
        window = build()
    except Exception as exc:  # a misconfigured queue host must not break the counter
        from .errors import message_text
        from .i18n import translate

        QMessageBox.warning(owner, translate("CounterTools", "无法打开"), message_text(exc))
        return None
    _OPEN[(id(owner), key)] = window
    window.show()
    window.activateWindow()
    return window


_COVERED: dict[int, list[QWidget]] = {}


def cover_windows(owner: QWidget, covered: bool) -> None:
    """Hide this counter's other windows while the screen is locked; show them after."""
    if covered:
        shown = [
            w for (o, _k), w in _OPEN.items() if o == id(owner) and w.isVisible() and w is not owner
        ]
        for w in shown:
            w.hide()
        _COVERED[id(owner)] = shown
        return
    for w in _COVERED.pop(id(owner), []):
        w.show()


def open_complaint(
    window: CounterWindow, services: CounterServices, staff: StaffSession
) -> QWidget | None:
    """每诉必录: the complaint form, pre-filled from the visit in progress."""
    from ..services.complaints import ComplaintService
    from .complaint_form import ComplaintDialog

    def build() -> QWidget:
        view = window.view if window.visit_id is not None else None
        dialog = ComplaintDialog(
            ComplaintService(services.ws),
            staff,
            visit_id=window.visit_id,
            customer_name=(view.customer_name or "") if view else "",
            contact_phone=(view.contact_phone or "") if view else "",
            parent=window,
        )
        return dialog

    return _show_once(window, "complaint", build)


def open_hall_view(window: CounterWindow, services: CounterServices) -> QWidget | None:
    from ..services.complaints import ComplaintService
    from .hall_view import HallView

    return _show_once(
        window,
        "hall",
        lambda: HallView(
            services.queue_desk.backend,
            services.ws.clock.now,
            ComplaintService(services.ws),
            catalogue=services.ws.catalogue,
        ),
    )


def open_reception(window: CounterWindow, services: CounterServices) -> QWidget | None:
    from .reception import ReceptionScreen

    return _show_once(
        window,
        "reception",
        lambda: ReceptionScreen(
            services.queue_desk.backend,
            services.ws.catalogue,
            services.ws.clock.now,
            desk=services.ws.identity.workstation_code,
        ),
    )


def open_manager_screen(
    window: CounterWindow, services: CounterServices, staff: StaffSession
) -> QWidget | None:
    """Reports and day close: clerks see their own counter, managers their branch."""
    from ..reporting import ReportService  # with the CSV, XLSX and PDF exporters
    from ..services.dayclose import DayCloseService
    from ..services.integrity import AuditService
    from ..services.scans import ScanService
    from .manager_screen import ManagerScreen

    def build() -> QWidget:
        def branch_source():
            from ..sync.credentials import CredentialError
            from ..sync.service import EnrolmentError, client_for

            try:
                return client_for(services.ws)
            except (CredentialError, EnrolmentError):
                # not enrolled (or another PC's credential): the summary says it is this
                # counter's figures only and names the counters it could not include
                return None

        screen = ManagerScreen(
            ReportService(services.ws, branch_source=branch_source),
            DayCloseService(services.ws),
            staff,
            auth=services.auth,
            audit=AuditService(services.ws),
            scans=ScanService(services.ws),
            documents=services.documents,
            print_folder=services.prefs.print_folder or None,
        )
        screen.day_closed.connect(window.refresh)
        return screen

    return _show_once(window, "manager", build)
