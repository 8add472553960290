"""The complaint form: the live deadline, every field's message, and the three ways on
(recorded, solved at the counter, escalated to head office)."""

from __future__ import annotations

import pytest

from frontdesk.gui.complaint_form import ComplaintDialog
from frontdesk.gui.qt import QApplication, QInputMethodEvent, Qt
from frontdesk.services.complaints import ComplaintService
from frontdesk.services.intake import IntakeService


@pytest.fixture
def service(demo_ws) -> ComplaintService:
    return ComplaintService(demo_ws)


@pytest.fixture
def dialog(qtbot, service, clerk) -> ComplaintDialog:
    widget = ComplaintDialog(service, clerk)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def type_chinese(widget, text: str) -> None:
    """Chinese arrives as an input method's commit, as with 拼音输入法."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def choose(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


def test_the_deadline_follows_the_category_and_area(dialog):
    # Saturday 2026-11-21 09:30: network → end of Tuesday 24th
    assert dialog.category.currentData() == "network"
    assert dialog.deadline.text().startswith("2026-11-24 23:59")
    assert "2个工作日" in dialog.deadline.text()
    assert not dialog.area.isEnabled()
    choose(dialog.category, "broadband_repair")
    assert dialog.area.isEnabled()
    assert dialog.deadline.text().startswith("2026-11-22 09:30")
    choose(dialog.area, "suburb")
    assert dialog.deadline.text().startswith("2026-11-22 21:30")
    choose(dialog.category, "general")
    assert not dialog.area.isEnabled() and dialog.area.currentData() == "city"


def test_nothing_is_recorded_until_the_rules_are_met(qtbot, dialog, service):
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result_view is None and dialog.isVisible()
    text = dialog.message.text()
    assert "投诉内容" in text and "联系电话" in text
    assert "#b3261e" in dialog.description.styleSheet()
    assert "#b3261e" in dialog.phone.styleSheet()
    assert service.open_complaints() == []


def test_record_for_later_follow_up(qtbot, dialog, service, clerk):
    type_chinese(dialog.customer, "王女士")
    qtbot.keyClicks(dialog.phone, "13800138000")
    type_chinese(dialog.description, "家中室内信号差，通话经常中断")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    view = dialog.result_view
    assert view.status == "open" and view.customer_name == "王女士"
    assert view.first_responsible_id == clerk.staff_id
    assert [c.complaint_id for c in service.open_complaints()] == [view.complaint_id]


def test_solved_at_the_counter_needs_the_answer(qtbot, dialog, service):
    choose(dialog.category, "general")
    qtbot.keyClicks(dialog.phone, "010-65001234")
    type_chinese(dialog.description, "咨询套餐变更后的计费方式")
    choose(dialog.mode, "solve")
    assert dialog.follow_up.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    # recorded, but not closed without an answer: the dialog stays, the complaint is kept
    assert dialog.isVisible() and dialog.result_view is not None
    assert "已登记" in dialog.message.text() and "答复内容" in dialog.message.text()
    assert not dialog.description.isEnabled()  # what was recorded can't change
    assert "#b3261e" in dialog.follow_up.styleSheet()
    type_chinese(dialog.follow_up, "已向客户说明按月计费规则，客户满意")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert dialog.result_view.status == "closed"
    assert service.open_complaints() == []
    assert len({c.complaint_no for c in [dialog.result_view]}) == 1


def test_escalate_to_head_office_from_a_visit(qtbot, demo_ws, service, clerk):
    from frontdesk.core.clock import business_date
    from frontdesk.devices.id_reader import SimulatedIdCardReader, demo_card
    from frontdesk.services.verification import VerificationService

    intake = IntakeService(demo_ws)
    visit = intake.open_visit(clerk)
    today = business_date(demo_ws.clock.now())
    reader = SimulatedIdCardReader(demo_card("zhang_san", today=today), today=today)
    reader.open()
    VerificationService(demo_ws).read_card(clerk, visit, reader, party="customer")
    dialog = ComplaintDialog(service, clerk, visit_id=visit)
    qtbot.addWidget(dialog)
    dialog.show()
    type_chinese(dialog.description, "小区宽带晚间频繁掉线，已报修两次未解决")
    choose(dialog.category, "broadband_repair")
    choose(dialog.mode, "escalate")
    type_chinese(dialog.follow_up, "需总部线路维护中心上门检查")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    view = dialog.result_view
    assert not dialog.isVisible()
    assert view.status == "escalated" and view.visit_id == visit
    assert view.customer_name == intake.view(visit).customer_name
    assert [c.complaint_id for c in service.escalated_open()] == [view.complaint_id]


def test_escape_cancels_without_recording(qtbot, dialog, service):
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result_view is None
    assert service.open_complaints() == []


def test_pasted_control_characters_are_refused_naming_the_field(qtbot, dialog, service):
    """A NUL pasted into the description once reached head office and stopped sync."""
    qtbot.keyClicks(dialog.phone, "13800138000")
    dialog.description.setFocus()
    dialog.description.insertPlainText("家中信号差\x00通话中断")  # as a paste inserts it
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result_view is None and dialog.isVisible()
    assert "投诉内容" in dialog.message.text() and "控制字符" in dialog.message.text()
    assert "#b3261e" in dialog.description.styleSheet()
    assert service.open_complaints() == []
