"""Sign-in, forced password change, idle lock, sign-out, language and settings."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from frontdesk.config import load_config
from frontdesk.gui.app import CounterApp
from frontdesk.gui.i18n import compile_translations, current_language, set_language, translate
from frontdesk.gui.qt import QApplication, Qt
from frontdesk.gui.shortcuts import SHORTCUTS
from frontdesk.store.models import Staff, Visit

from .conftest import Clerk

CTRL = Qt.KeyboardModifier.ControlModifier


def start(qtbot, services) -> CounterApp:
    app = CounterApp(services.ws.data_dir, services=services)
    qtbot.addWidget(app.signin)
    app.start()
    qtbot.waitExposed(app.signin)
    return app


def sign_in(qtbot, app: CounterApp, username: str, password: str) -> None:
    qtbot.keyClicks(app.signin.username, username)
    qtbot.keyClick(app.signin.username, Qt.Key.Key_Return)
    qtbot.keyClicks(app.signin.password, password)
    qtbot.keyClick(app.signin.password, Qt.Key.Key_Return)


def test_sign_in_failure_then_success_opens_the_counter(qtbot, services):
    app = start(qtbot, services)
    sign_in(qtbot, app, "clerk01", "wrong-password1")
    qtbot.waitUntil(lambda: app.signin.message.isVisible())
    assert "不正确" in app.signin.message.text() and app.signin.password.text() == ""
    qtbot.keyClicks(app.signin.password, "Counter2026")
    qtbot.keyClick(app.signin.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.window is not None)
    qtbot.addWidget(app.window)
    assert app.session.username == "clerk01" and not app.signin.isVisible()
    assert "王小丽" in app.window.statusBar().currentMessage()


def test_first_sign_in_forces_a_password_change(qtbot, services):
    app = start(qtbot, services)
    sign_in(qtbot, app, "newclerk", "Welcome2026")
    qtbot.waitUntil(lambda: Clerk(qtbot, None).dialog("ChangePasswordDialog") is not None)
    dialog = Clerk(qtbot, None).dialog("ChangePasswordDialog")
    for edit, text in (
        (dialog.old, "Welcome2026"),
        (dialog.new, "short"),
        (dialog.confirm, "short"),
    ):
        qtbot.keyClicks(edit, text)
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.message.isVisible())
    assert "至少 8 位" in dialog.message.text() and app.window is None
    qtbot.keyClicks(dialog.new, "Fresh2026x")
    qtbot.keyClicks(dialog.confirm, "Fresh2026x")
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.window is not None)
    qtbot.addWidget(app.window)
    with services.ws.db.reader() as s:
        staff = s.scalar(select(Staff).where(Staff.username == "newclerk"))
        assert staff.must_change_password is False
    assert services.auth.sign_in("newclerk", "Fresh2026x").username == "newclerk"


def test_idle_lock_keeps_the_visit_and_unlocks_with_the_password(qtbot, services):
    app = start(qtbot, services)
    sign_in(qtbot, app, "clerk01", "Counter2026")
    qtbot.waitUntil(lambda: app.window is not None)
    window = app.window
    qtbot.addWidget(window)
    window.start_visit(None)
    visit = window.visit_id
    app.idle.idle.emit()  # the configured minutes have passed without input
    qtbot.waitUntil(lambda: app.lock_dialog is not None and app.lock_dialog.isVisible())
    lock = app.lock_dialog
    qtbot.keyClick(lock, Qt.Key.Key_Escape)
    assert lock.isVisible()  # Esc doesn't get past a lock screen
    qtbot.keyClicks(lock.password, "nope-nope1")
    qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: lock.message.isVisible())
    qtbot.keyClicks(lock.password, "Counter2026")
    qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.lock_dialog is None)
    assert window.visit_id == visit
    with services.ws.db.reader() as s:
        assert s.get(Visit, visit).status == "open"


def test_sign_out_suspends_the_open_visit(qtbot, services):
    app = start(qtbot, services)
    sign_in(qtbot, app, "clerk01", "Counter2026")
    qtbot.waitUntil(lambda: app.window is not None)
    window = app.window
    qtbot.addWidget(window)
    window.start_visit(None)
    visit = window.visit_id
    window.sign_out_requested.emit()
    qtbot.waitUntil(lambda: app.window is None)
    assert app.signin.isVisible() and app.signin.username.text() == ""
    with services.ws.db.reader() as s:
        assert s.get(Visit, visit).status == "suspended"


def test_english_is_available_and_chosen_on_the_sign_in_window(qtbot, services):
    assert compile_translations()  # .ts → .qm with pyside6-lrelease
    app = start(qtbot, services)
    app.signin.language.setCurrentIndex(app.signin.language.findData("en"))
    app.signin.language.activated.emit(app.signin.language.currentIndex())
    qtbot.addWidget(app.signin)
    assert current_language() == "en"
    assert app.signin.windowTitle() == "Front desk · Sign in"
    assert load_config(services.ws.data_dir).ui.language == "en"  # persisted
    sign_in(qtbot, app, "clerk01", "bad-password1")
    qtbot.waitUntil(lambda: app.signin.message.isVisible())
    assert "Username or password is not correct" in app.signin.message.text()
    set_language("zh")


def test_settings_page_saves_through_the_config_file(qtbot, services, window):
    from frontdesk.gui.settings_page import SettingsDialog

    dialog = SettingsDialog(services, window)
    qtbot.addWidget(dialog)
    page = dialog.page
    assert "BJ0101 / W01" in page.workstation.text()
    page.idle_minutes.setValue(9)
    page.language.setCurrentIndex(page.language.findData("en"))
    dialog._save()
    config = load_config(services.ws.data_dir)
    assert config.ui.idle_lock_minutes == 9 and config.ui.language == "en"
    # a termb reader without its library: saved, but the setting at fault is named now
    dialog2 = SettingsDialog(services, window)
    qtbot.addWidget(dialog2)
    dialog2.page.reader.setCurrentIndex(dialog2.page.reader.findData("termb"))
    dialog2._save()
    assert "termb_library" in dialog2.message.text() and dialog2.result() == 0  # stays open
    assert load_config(services.ws.data_dir).devices.id_reader == "termb"
    window.verification.read_card()
    assert "读卡器不可用" in window.verification.message.text()


def test_every_shortcut_is_documented_and_shown():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "gui.md").read_text(encoding="utf-8")
    for s in SHORTCUTS:
        assert f"| {s.keys} |" in doc, s.keys
        assert translate("Shortcuts", s.label) in doc


def test_sla_clock_turns_amber_then_red(counter, window, demo_ws):
    c = counter
    c.key(Qt.Key.Key_N, CTRL)
    strip = window.queue
    assert strip.handling.property("sla") == "ok"
    demo_ws.clock.advance(minutes=9)  # 90 % of the 10-minute default
    strip.update_clocks()
    assert strip.handling.property("sla") == "near"
    demo_ws.clock.advance(minutes=2)
    strip.update_clocks()
    assert strip.handling.property("sla") == "over"
    QApplication.processEvents()


def test_opening_the_counter_takes_todays_backup_once(demo_ws):
    from frontdesk.gui.app import open_services
    from frontdesk.store.backup import list_backups

    data_dir = demo_ws.data_dir
    demo_ws.close()
    services = open_services(data_dir)
    services.stop_sync()
    services.ws.close()
    assert len(list_backups(data_dir / "backups", "daily")) == 1
    again = open_services(data_dir)  # the same day: no second backup
    again.ws.close()
    assert len(list_backups(data_dir / "backups", "daily")) == 1
