"""The counter window opens the complaint form, hall view, reception and reports."""

from __future__ import annotations

import pytest

from frontdesk.gui import tools
from frontdesk.gui.complaint_form import ComplaintDialog
from frontdesk.gui.hall_view import HallView
from frontdesk.gui.manager_screen import ManagerScreen
from frontdesk.gui.qt import QApplication, QKeySequence
from frontdesk.gui.reception import ReceptionScreen
from frontdesk.gui.shortcuts import BY_NAME


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("complaint", ComplaintDialog),
        ("hall", HallView),
        ("reception", ReceptionScreen),
        ("reports", ManagerScreen),
    ],
)
def test_each_shortcut_opens_its_window_once(qtbot, window, name, kind):
    key = window._keys[name]
    assert key.key() == QKeySequence(BY_NAME[name].keys)
    key.activated.emit()
    opened = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert len(opened) == 1
    key.activated.emit()  # a second press raises the same window
    again = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert again == opened
    opened[0].close()


def test_complaint_form_is_prefilled_from_the_visit(qtbot, window, services, clerk):
    visit = services.intake.open_visit(clerk)
    window.visit_id = visit
    window.refresh()
    dialog = tools.open_complaint(window, services, clerk)
    assert isinstance(dialog, ComplaintDialog)
    dialog.close()
