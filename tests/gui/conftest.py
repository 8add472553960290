"""Real counter windows, offscreen, on a demo workstation with the clock held still.

The windows are driven with the keyboard wherever a clerk would use it (keys go to
the widget that has focus, as on a real counter), and each test asserts what the
database holds afterwards. Background operations (device reads, face comparison)
really run on worker threads; tests wait for them with ``qtbot.waitUntil``.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from frontdesk.core.clock import business_date
from frontdesk.devices.face import SimulatedFaceComparer
from frontdesk.devices.id_reader import SimulatedIdCardReader
from frontdesk.gui.context import CounterServices
from frontdesk.gui.i18n import set_language
from frontdesk.gui.main_window import CounterWindow
from frontdesk.gui.operations import OperationRunner
from frontdesk.gui.qt import QApplication, QInputMethodEvent, Qt

PNG_SCAN = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def chinese_ui(qapp):
    set_language("zh")
    yield
    set_language("zh")


@pytest.fixture(autouse=True)
def qt_garbage_freed_on_the_gui_thread():
    """A window's Qt objects left in reference cycles are freed here, on the GUI thread,
    as the application's collector does (gui/operations.py), not by a collection that a
    later test's worker or server thread happens to run."""
    yield
    gc.collect()


@pytest.fixture
def services(demo_ws) -> CounterServices:
    today = business_date(demo_ws.clock.now())
    reader = SimulatedIdCardReader(None, today=today)
    reader.open()
    built = CounterServices.build(demo_ws, reader=reader, face=SimulatedFaceComparer())
    built.prefs.scanner_folder = str(demo_ws.data_dir / "scanner")
    Path(built.prefs.scanner_folder).mkdir(exist_ok=True)
    return built


@pytest.fixture
def window(qtbot, services, clerk) -> CounterWindow:
    win = CounterWindow(services, clerk)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    return win


class Clerk:
    """Drives the window like a clerk: keys go where the focus is."""

    def __init__(self, qtbot, window: CounterWindow) -> None:
        self.qtbot = qtbot
        self.window = window

    @property
    def focus(self):
        return QApplication.focusWidget()

    def key(self, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        target = self.focus or self.window
        self.qtbot.keyClick(target, key, modifier)
        self.settle()

    def type(self, text: str) -> None:
        """Keys for ASCII; Chinese arrives as an input method's commit, as with 拼音输入法."""
        target = self.focus or self.window
        if text.isascii():
            self.qtbot.keyClicks(target, text)
        else:
            event = QInputMethodEvent()
            event.setCommitString(text)
            QApplication.sendEvent(target, event)
        self.settle()

    def enter(self) -> None:
        self.key(Qt.Key.Key_Return)

    def settle(self) -> None:
        self.qtbot.waitUntil(lambda: OperationRunner.total_running == 0)
        QApplication.processEvents()

    def place_card(self, person: str) -> None:
        self.window.services.reader.place(person)  # the customer hands over the card

    def drop_scan(self, name: str = "scan.png") -> None:
        """The scanner writes the document scan into its folder."""
        (self.window.services.scanner_folder / name).write_bytes(PNG_SCAN)

    def dialog(self, name: str):
        found = [
            w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()
        ]
        return found[-1] if found else None


@pytest.fixture
def counter(qtbot, window) -> Clerk:
    return Clerk(qtbot, window)


@pytest.fixture
def close_windows_after():
    """The report screen, dialogs and history are windows of their own: close them so
    the next test starts with the counter alone."""
    yield
    from frontdesk.gui.qt import QApplication

    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.close()
    QApplication.processEvents()


@pytest.fixture
def print_folder(window, tmp_path):
    folder = tmp_path / "printed"
    window.services.prefs.print_folder = str(folder)
    return folder
