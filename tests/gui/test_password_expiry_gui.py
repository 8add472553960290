"""An expired password leads to the forced change at sign-in, saying why."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from frontdesk.gui.qt import QLabel, Qt
from frontdesk.store.models import Staff

from .conftest import Clerk
from .test_app import sign_in, start


def test_an_expired_password_is_changed_before_the_counter_opens(qtbot, services, clock):
    with services.ws.db.unit_of_work() as uow:
        uow.session.execute(
            update(Staff)
            .where(Staff.username == "clerk01")
            .values(password_changed_at=clock.now() - dt.timedelta(days=120))
        )
        uow.commit()
    app = start(qtbot, services)
    sign_in(qtbot, app, "clerk01", "Counter2026")
    qtbot.waitUntil(lambda: Clerk(qtbot, None).dialog("ChangePasswordDialog") is not None)
    dialog = Clerk(qtbot, None).dialog("ChangePasswordDialog")
    assert app.window is None
    assert any("超过规定期限" in label.text() for label in dialog.findChildren(QLabel))
    for edit, text in ((dialog.old, "Counter2026"), (dialog.new, "Spring2027a")):
        qtbot.keyClicks(edit, text)
    qtbot.keyClicks(dialog.confirm, "Spring2027a")
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.window is not None)
    qtbot.addWidget(app.window)
    assert not services.auth.sign_in("clerk01", "Spring2027a").password_expired
