"""The sign-in window: the first thing a clerk sees, shown before anything heavy loads.

It appears while the workstation (database, migrations, catalogue) is still being
opened on a worker thread — the clerk types their username and password meanwhile,
and a sign-in pressed early simply waits for the data to be ready. This keeps the
start-up to the sign-in window within SPEC §12's 0.5 s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .i18n import LANGUAGE_NAMES, LANGUAGES
from .operations import OperationRunner
from .qt import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .widgets import MessageLine, shortcut

if TYPE_CHECKING:
    from ..services.auth import AuthService


class SignInWindow(QWidget):
    """Username, password, language; emits ``signed_in(StaffSession)``."""

    signed_in = Signal(object)
    language_chosen = Signal(str)
    shown = Signal()

    def __init__(self, branch_label: str, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SignInWindow")
        self.setWindowTitle(self.tr("营业厅前台 · 登录"))
        self._auth: AuthService | None = None
        self._pending = False
        self._runner = OperationRunner(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 32, 40, 32)
        title = QLabel(self.tr("营业厅前台"))
        title.setStyleSheet("font-size: 22px; font-weight: bold;")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        self.branch = QLabel(branch_label)
        self.branch.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.branch)
        form = QFormLayout()
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setPlaceholderText(self.tr("工号"))
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        form.addRow(self.tr("工号"), self.username)
        form.addRow(self.tr("密码"), self.password)
        form.addRow(self.tr("界面语言"), self.language)
        layout.addLayout(form)
        self.message = MessageLine()
        self.message.setObjectName("signInMessage")
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.status = QLabel(self.tr("正在准备数据…"))
        self.status.setObjectName("signInStatus")
        self.status.setStyleSheet("color: #555555;")
        row.addWidget(self.status, 1)
        self.button = QPushButton(self.tr("登录 (Enter)"))
        self.button.setObjectName("signInButton")
        self.button.setDefault(True)
        row.addWidget(self.button)
        layout.addLayout(row)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.submit)
        self.button.clicked.connect(self.submit)
        self.language.activated.connect(self._language_picked)
        shortcut(self, "Esc", self._clear)
        self.username.setFocus()
        self.resize(420, 300)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.shown.emit()

    # -- readiness ------------------------------------------------------------------
    def set_ready(self, auth: AuthService) -> None:
        self._auth = auth
        self.status.setText(self.tr("就绪"))
        if self._pending:
            self._pending = False
            self.submit()

    def set_failed(self, text: str) -> None:
        """The workstation can't start: say why and what to do; sign-in stays disabled."""
        self.status.setText(self.tr("无法启动"))
        self.button.setEnabled(False)
        self.message.show_error(text)

    def reset(self) -> None:
        """Back to an empty form (after sign-out or a lock-screen sign-out)."""
        self.password.clear()
        self.username.clear()
        self.message.clear_message()
        self.button.setEnabled(True)
        self.username.setFocus()

    # -- actions --------------------------------------------------------------------
    def _clear(self) -> None:
        self.message.clear_message()
        self.password.clear()
        self.password.setFocus() if self.username.text() else self.username.setFocus()

    def _language_picked(self, index: int) -> None:
        self.language_chosen.emit(self.language.itemData(index))

    def submit(self) -> None:
        if not self.button.isEnabled() or not self._runner.idle:
            return
        if not self.username.text().strip():
            self.message.show_error(self.tr("请输入工号。"))
            self.username.setFocus()
            return
        if not self.password.text():
            self.message.show_error(self.tr("请输入密码。"))
            self.password.setFocus()
            return
        if self._auth is None:
            self._pending = True
            self.message.show_message(self.tr("正在准备数据，准备好后自动登录…"), "info")
            return
        auth = self._auth
        username, password = self.username.text(), self.password.text()
        self.button.setEnabled(False)
        self._runner.run(lambda: auth.sign_in(username, password), self._ok, self._failed)

    def _ok(self, session: object) -> None:
        self.button.setEnabled(True)
        self.password.clear()
        self.message.clear_message()
        self.signed_in.emit(session)

    def _failed(self, exc: BaseException) -> None:
        self.button.setEnabled(True)
        self.message.show_exception(exc)
        self.password.clear()
        self.password.setFocus()
