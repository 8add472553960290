"""A counter restored from a backup does not settle from the window until a sync has
confirmed its numbers with head office: the clerk is told why, and nothing is stored."""

from __future__ import annotations

from sqlalchemy import func, select

from frontdesk.gui.qt import Qt
from frontdesk.ops.backups import mark_restored
from frontdesk.store.models import Receipt, Slip

CTRL = Qt.KeyboardModifier.ControlModifier


def test_the_window_refuses_to_settle_until_numbers_are_confirmed(counter, window, demo_ws):
    mark_restored(demo_ws.db_path, "frontdesk-20261120T010000000000Z-daily.db")
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    c.key(Qt.Key.Key_F7)
    c.type("TOP_UP")
    c.enter()
    window.business.form.inputs["service_number"].setEditText("13800138000")
    c.enter()
    c.type("50")
    c.enter()
    c.key(Qt.Key.Key_1)  # 1 现金
    c.enter()  # cash ¥50
    c.enter()  # settle
    text = window.slip.message.text()
    assert "本机刚从备份" in text and "frontdesk-20261120T010000000000Z-daily.db" in text
    with demo_ws.db.reader() as s:
        assert s.scalar(select(func.count(Slip.id))) == 0
        assert s.scalar(select(func.count(Receipt.id))) == 0
    assert window.last_settled is None
