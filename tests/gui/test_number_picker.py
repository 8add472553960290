"""选号 in the counter window, by keystrokes: the 入网 form takes its number from the pool.

The form stops on the pre-filled first free number (Enter accepts it); ↓ opens the
picker, digits filter by tail, Enter picks; a typed number outside the pool is refused
next to the field and nothing goes onto the slip.
"""

from __future__ import annotations

import uuid

from sqlalchemy import delete

from frontdesk.gui.qt import Qt
from frontdesk.services.numbers import NumberPoolService
from frontdesk.store.models import PoolNumber, Visit

from .test_visits import CTRL, iccid, pick, slip_of, verify_with_reader

FIRST = "13812340001"  # the lowest free number of the demo pool


def to_new_number(c) -> None:
    """A verified customer, 入网 picked, the plan chosen: the form stops on 新号码."""
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "zhang_san", face=True)
    pick(c, "rw", "NEW_LINE")
    c.key(Qt.Key.Key_Down)
    c.key(Qt.Key.Key_Down)
    c.enter()
    assert c.focus.objectName() == "new_number"


def settle_on_paper(c, window) -> None:
    c.type(iccid("8986011234567890123"))
    c.enter()
    c.key(Qt.Key.Key_1)
    c.enter()
    c.enter()  # 结算
    c.enter()  # 涉诈风险告知书 signed on paper
    assert window.last_settled is not None


def test_the_pre_filled_number_is_accepted_with_enter_and_used_on_settling(
    counter, window, demo_ws
):
    c = counter
    to_new_number(c)
    edit = c.focus
    assert edit.text() == FIRST and edit.selectedText() == FIRST  # typing would replace it
    assert "Enter 确认" in window.business.form.notes["new_number"].text()
    c.enter()  # accepted
    assert c.focus.objectName() == "sim_iccid"
    settle_on_paper(c, window)
    _slip, items, _payments = slip_of(demo_ws, window.last_settled.slip_no)
    assert items == [("NEW_LINE", FIRST, 5_000)]
    pool = NumberPoolService(demo_ws)
    assert pool.state_of(FIRST) == "used" and pool.first_free() == "13812345670"


def test_the_picker_filters_by_tail_and_enter_picks(counter, window, demo_ws):
    c = counter
    to_new_number(c)
    c.key(Qt.Key.Key_Down)  # opens the picker
    picker = c.dialog("NumberPickerDialog")
    assert picker is not None and c.focus is picker.tail
    assert picker.numbers.count() == NumberPoolService(demo_ws).counts().free
    c.type("4444")
    assert picker.numbers.count() == 0 and "4444" in picker.status.text()
    c.enter()  # nothing to pick: the picker stays, the clerk types again
    assert c.dialog("NumberPickerDialog") is picker
    c.key(Qt.Key.Key_A, CTRL)
    c.type("8888")
    shown = [picker.numbers.item(i).text() for i in range(picker.numbers.count())]
    assert shown == ["15601018888", "18601018888"]
    c.key(Qt.Key.Key_Down)
    c.enter()
    assert c.dialog("NumberPickerDialog") is None
    assert c.focus.objectName() == "new_number" and c.focus.text() == "18601018888"
    c.enter()
    assert c.focus.objectName() == "sim_iccid"
    settle_on_paper(c, window)
    _slip, items, _payments = slip_of(demo_ws, window.last_settled.slip_no)
    assert items == [("NEW_LINE", "18601018888", 5_000)]


def test_esc_backs_out_of_the_picker_keeping_the_number(counter, window):
    c = counter
    to_new_number(c)
    c.key(Qt.Key.Key_Down)
    assert c.dialog("NumberPickerDialog") is not None
    c.type("6666")
    c.key(Qt.Key.Key_Escape)
    assert c.dialog("NumberPickerDialog") is None
    assert c.focus.objectName() == "new_number" and c.focus.text() == FIRST


def test_a_typed_number_outside_the_pool_is_refused_and_nothing_recorded(counter, window, demo_ws):
    c = counter
    to_new_number(c)
    c.type("13312345678")  # replaces the selected pre-fill
    c.enter()
    assert c.focus.objectName() == "sim_iccid"
    c.type(iccid("8986011234567890123"))
    c.enter()  # submitted: refused by the pool
    form = window.business.form
    assert form is not None  # still on the form, nothing on the slip
    note = form.notes["new_number"].text()
    assert "新号码“13312345678”不在本工位的号码资源中" in note
    assert not window.view or not window.view.items
    with demo_ws.db.reader() as s:
        assert s.get(Visit, window.visit_id).draft["items"] == []
    assert NumberPoolService(demo_ws).counts().held == 0


def test_a_number_held_by_another_visit_is_refused_in_the_window(counter, window, demo_ws):
    c = counter
    to_new_number(c)
    c.enter()
    c.type(iccid("8986011234567890123"))
    c.enter()  # on the slip: FIRST is held by this visit
    assert [i.service_number for i in window.view.items] == [FIRST]
    pick(c, "rw", "NEW_LINE")  # a second line for the same customer
    c.key(Qt.Key.Key_Down)
    c.key(Qt.Key.Key_Down)
    c.enter()
    assert c.focus.text() == "13812345670"  # the next free one is offered
    c.key(Qt.Key.Key_A, CTRL)
    c.type(FIRST)  # typed anyway
    c.enter()
    c.type(iccid("8986011234567890131"))
    c.enter()
    assert "已被其他受理单占用" in window.business.form.notes["new_number"].text()
    assert [i.service_number for i in window.view.items] == [FIRST]


def test_a_fixed_line_takes_no_pool_number(counter, window):
    c = counter
    to_new_number(c)
    form = window.business.form
    service = form.inputs["service"]
    service.setCurrentIndex(service.findData("fixed"))
    assert form.inputs["new_number"].text() == ""  # the mobile pre-fill is gone
    assert "new_number" not in form.confirm
    assert "固话号码含区号" in form.notes["new_number"].text()  # the catalogue's own hint
    service.setCurrentIndex(service.findData("mobile"))
    assert form.inputs["new_number"].text() == FIRST


def test_a_counter_without_number_resources_types_the_number(counter, window, demo_ws):
    with demo_ws.db.unit_of_work() as uow:
        uow.session.execute(delete(PoolNumber))
        uow.commit()
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "zhang_san", face=True)
    pick(c, "rw", "NEW_LINE")
    c.key(Qt.Key.Key_Down)
    c.key(Qt.Key.Key_Down)
    c.enter()
    form = window.business.form
    assert c.focus.objectName() == "new_number" and c.focus.text() == ""
    assert "尚未收到号码资源" in form.notes["new_number"].text()
    c.type("13312345678")
    c.enter()
    c.type(iccid("8986011234567890123"))
    c.enter()
    assert [i.service_number for i in window.view.items] == ["13312345678"]


def test_an_exhausted_pool_says_so_on_the_form(counter, window, demo_ws):
    with demo_ws.db.unit_of_work() as uow:
        uow.session.execute(delete(PoolNumber).where(PoolNumber.number != FIRST))
        uow.session.execute(
            PoolNumber.__table__.update()
            .where(PoolNumber.number == FIRST)
            .values(state="used", slip_id=uuid.uuid4())
        )
        uow.commit()
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    verify_with_reader(c, "zhang_san", face=True)
    pick(c, "rw", "NEW_LINE")
    note = window.business.form.notes["new_number"].text()
    assert "号码资源已全部占用" in note
    c.key(Qt.Key.Key_Down)
    c.key(Qt.Key.Key_Down)
    c.enter()
    c.key(Qt.Key.Key_Down)  # the picker opens empty and says so
    picker = c.dialog("NumberPickerDialog")
    assert picker.numbers.count() == 0 and "没有空闲号码" in picker.status.text()
    c.key(Qt.Key.Key_Escape)


def test_the_picker_and_the_refusal_in_english(counter, window):
    from frontdesk.gui.i18n import set_language

    set_language("en")
    c = counter
    to_new_number(c)
    form = window.business.form
    assert form.notes["new_number"].text().startswith("The pool's first free number")
    c.key(Qt.Key.Key_Down)
    picker = c.dialog("NumberPickerDialog")
    assert picker.windowTitle() == "Choose a number" and "free numbers" in picker.status.text()
    c.key(Qt.Key.Key_Escape)
    c.key(Qt.Key.Key_A, CTRL)
    c.type("13312345678")
    c.enter()
    c.type(iccid("8986011234567890123"))
    c.enter()
    note = form.notes["new_number"].text()
    assert "New number 13312345678 is not among this counter's number resources" in note
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in note + picker.status.text())
