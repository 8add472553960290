"""Change of password: forced at first sign-in (SPEC §6), or asked for by the clerk.

The rules (length, letters and digits, not the username, not the old one) are the
auth service's; this dialog only collects the input and shows its messages next to
the right field. When forced, backing out signs the clerk out again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .operations import OperationRunner
from .qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .widgets import CounterDialog, MessageLine

if TYPE_CHECKING:
    from ..services.auth import AuthService, StaffSession


class ChangePasswordDialog(CounterDialog):
    """Old password, new password twice; emits ``changed(StaffSession)``."""

    changed = Signal(object)

    def __init__(
        self,
        auth: AuthService,
        session: StaffSession,
        *,
        forced: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ChangePasswordDialog")
        self._auth = auth
        self._session = session
        self._runner = OperationRunner(self)
        self.setWindowTitle(self.tr("修改密码"))
        layout = QVBoxLayout(self)
        if forced and session.password_expired:
            note = QLabel(
                self.tr(
                    "您好，您的密码已超过规定期限未修改。为保护客户信息，请先设置新密码："
                    "至少 8 位，包含字母和数字，不含工号，且不能与原密码相同。"
                )
            )
        elif forced:
            note = QLabel(
                self.tr(
                    "您好，这是您第一次登录（或密码已被重置）。为保护客户信息，请先设置您自己的新密码："
                    "至少 8 位，包含字母和数字，不含工号。"
                )
            )
        else:
            note = QLabel(self.tr("新密码至少 8 位，包含字母和数字，不含工号。"))
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.old = QLineEdit()
        self.old.setObjectName("oldPassword")
        self.new = QLineEdit()
        self.new.setObjectName("newPassword")
        self.confirm = QLineEdit()
        self.confirm.setObjectName("confirmPassword")
        for edit in (self.old, self.new, self.confirm):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("原密码"), self.old)
        form.addRow(self.tr("新密码"), self.new)
        form.addRow(self.tr("再次输入新密码"), self.confirm)
        layout.addLayout(form)
        self.message = MessageLine()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定 (Enter)"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            self.tr("退出登录 (Esc)") if forced else self.tr("取消 (Esc)")
        )
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.old.returnPressed.connect(self.new.setFocus)
        self.new.returnPressed.connect(self.confirm.setFocus)
        self.confirm.returnPressed.connect(self._submit)
        self.old.setFocus()

    def _submit(self) -> None:
        if self.result() == QDialog.DialogCode.Accepted:
            return  # Enter also reaches the default button: act once
        if not self._runner.idle:
            return
        if self.new.text() != self.confirm.text():
            self.message.show_error(self.tr("两次输入的新密码不一致，请重新输入。"))
            self.confirm.clear()
            self.confirm.setFocus()
            return
        old, new = self.old.text(), self.new.text()
        self._runner.run(
            lambda: self._auth.change_password(self._session, old, new),
            self._done,
            self._failed,
        )

    def _done(self, session: object) -> None:
        self.accept()
        self.changed.emit(session)

    def _failed(self, exc: BaseException) -> None:
        messages = self.message.show_exception(exc)
        if any(m.field == "new_password" for m in messages):
            self.new.clear()
            self.confirm.clear()
            self.new.setFocus()
        else:
            self.old.clear()
            self.old.setFocus()
