"""Idle lock (SPEC §6): after the configured minutes without input the screen locks.

The visit in progress stays exactly as it was — the lock only covers the window. The
same clerk unlocks with their password (failures count towards the account lock-out,
as at sign-in); anyone else signs the clerk out, and an open visit is suspended first
so a colleague can resume it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .operations import OperationRunner
from .qt import (
    QDialog,
    QEvent,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QObject,
    QPushButton,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .widgets import CounterDialog, MessageLine

if TYPE_CHECKING:
    from ..services.auth import AuthService, StaffSession

ACTIVITY_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class IdleWatcher(QObject):
    """Application-wide event filter; emits ``idle`` after ``minutes`` without input."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle.emit)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: int) -> None:
        self._timer.setInterval(max(1, minutes) * 60_000)
        self._timer.start()

    def pause(self) -> None:
        self._timer.stop()

    def resume(self) -> None:
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS and self._timer.isActive():
            self._timer.start()
        return False


class LockDialog(CounterDialog):
    """Covers the counter window; emits ``unlocked`` or ``sign_out_requested``."""

    unlocked = Signal()
    sign_out_requested = Signal()

    def __init__(self, auth: AuthService, session: StaffSession, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("LockDialog")
        self._auth = auth
        self._session = session
        self._runner = OperationRunner(self)
        self.setWindowTitle(self.tr("已锁屏"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        label = QLabel(
            self.tr("屏幕已锁定（{name}）。当前接待已保留，输入密码即可继续。").format(
                name=session.display_name
            )
        )
        label.setWordWrap(True)
        layout.addWidget(label)
        self.password = QLineEdit()
        self.password.setObjectName("unlockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("密码"))
        layout.addWidget(self.password)
        self.message = MessageLine()
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.unlock_button = QPushButton(self.tr("解锁 (Enter)"))
        self.unlock_button.setDefault(True)
        self.sign_out_button = QPushButton(self.tr("签退"))
        row.addWidget(self.sign_out_button)
        row.addStretch(1)
        row.addWidget(self.unlock_button)
        layout.addLayout(row)
        self.password.returnPressed.connect(self._unlock)
        self.unlock_button.clicked.connect(self._unlock)
        self.sign_out_button.clicked.connect(self._sign_out)
        self.password.setFocus()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            return  # Esc must not dismiss a lock screen
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:
        if self.result() != QDialog.DialogCode.Accepted:
            event.ignore()
            return
        super().closeEvent(event)

    def _unlock(self) -> None:
        if not self._runner.idle:
            return
        password = self.password.text()
        self._runner.run(lambda: self._auth.verify_password(self._session, password), self._checked)

    def _checked(self, ok: object) -> None:
        self.password.clear()
        if ok:
            self.accept()
            self.unlocked.emit()
        else:
            self.message.show_error(
                self.tr("密码不正确，请重新输入。连续输错将锁定账号；如非本人，请点击“签退”。")
            )
            self.password.setFocus()

    def _sign_out(self) -> None:
        self.accept()
        self.sign_out_requested.emit()
