"""Manager authorisation at the clerk's counter (SPEC §6), one dialog for every exception.

Manual ID entry, fee waivers, precondition overrides, cancelling a visit with payments
… all call :func:`ask_approval`. The duty manager types their own username and password
and the reason; :meth:`AuthService.authorise` checks them (a clerk can't authorise,
nobody authorises their own action) and returns the :class:`Approval` the service then
records with the action. A wrong password keeps the dialog open with the message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .operations import OperationRunner
from .qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .widgets import CounterDialog, MessageLine

if TYPE_CHECKING:
    from ..services.auth import Approval, AuthService, StaffSession


class ManagerAuthDialog(CounterDialog):
    """Asks the duty manager to authorise ``action``; emits ``approved`` on success."""

    approved = Signal(object)

    def __init__(
        self,
        auth: AuthService,
        requested_by: StaffSession,
        *,
        action: str,
        title: str,
        explanation: str = "",
        reason: str = "",
        business: str | None = None,
        amount_fen: int | None = None,
        parent: QWidget | None = None,
        binding: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ManagerAuthDialog")
        self._auth = auth
        self._requested_by = requested_by
        self._action = action
        # the visit, business and amount the approval is given for (SPEC §6: bound)
        self._binding = dict(binding or {})
        self._subject = {
            k: v for k, v in (("business", business), ("amount_fen", amount_fen)) if v is not None
        }
        self.approval: Approval | None = None
        self._runner = OperationRunner(self)
        self.setWindowTitle(self.tr("经理授权"))
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b>{title}</b>")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        if explanation:
            note = QLabel(explanation)
            note.setWordWrap(True)
            layout.addWidget(note)
        form = QFormLayout()
        self.username = QLineEdit()
        self.username.setObjectName("managerUsername")
        self.password = QLineEdit()
        self.password.setObjectName("managerPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.reason = QLineEdit(reason)
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(self.tr("例如：读卡器故障"))
        self.reason.setMinimumWidth(
            self.fontMetrics().horizontalAdvance(self.reason.placeholderText()) + 24
        )
        form.addRow(self.tr("经理工号"), self.username)
        form.addRow(self.tr("经理密码"), self.password)
        form.addRow(self.tr("授权原因"), self.reason)
        layout.addLayout(form)
        self.message = MessageLine()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("授权 (Enter)"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消 (Esc)"))
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(buttons)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self._after_password)
        self.reason.returnPressed.connect(self._submit)
        self.username.setFocus()

    def _after_password(self) -> None:
        if self.reason.text().strip():
            self._submit()
        else:
            self.reason.setFocus()

    def _submit(self) -> None:
        if self.result() == QDialog.DialogCode.Accepted:
            return  # Enter also reaches the default button: act once
        if not self._runner.idle:
            return
        if not self.username.text().strip() or not self.password.text():
            self.message.show_error(self.tr("请值班经理输入工号和密码。"))
            (self.username if not self.username.text().strip() else self.password).setFocus()
            return
        username, password, reason = (
            self.username.text(),
            self.password.text(),
            self.reason.text(),
        )
        self._ok.setEnabled(False)
        self._runner.run(
            lambda: self._auth.authorise(
                username,
                password,
                action=self._action,
                reason=reason,
                requested_by=self._requested_by,
                **{**self._subject, **self._binding},
            ),
            self._approved,
            self._refused,
        )

    def _approved(self, approval: Approval) -> None:
        self.approval = approval
        self.accept()
        self.approved.emit(approval)

    def _refused(self, exc: BaseException) -> None:
        self._ok.setEnabled(True)
        messages = self.message.show_exception(exc)
        self.password.clear()
        if any(m.field == "reason" for m in messages):
            self.reason.setFocus()
        else:
            self.password.setFocus()


def request_approval(
    parent: QWidget,
    auth: AuthService,
    requested_by: StaffSession,
    on_approved: Callable[[Approval], None],
    *,
    action: str,
    title: str,
    explanation: str = "",
    reason: str = "",
    binding: Mapping[str, Any] | None = None,
    business: str | None = None,
    amount_fen: int | None = None,
) -> ManagerAuthDialog:
    """Open the dialog window-modally (no nested event loop); ``on_approved`` on success.

    Backing out (Esc) just closes it: the action is not done and nothing is recorded.
    """
    dialog = ManagerAuthDialog(
        auth,
        requested_by,
        action=action,
        title=title,
        explanation=explanation,
        reason=reason,
        business=business,
        amount_fen=amount_fen,
        parent=parent,
        binding=binding,
    )
    dialog.approved.connect(on_approved)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    # after the key that opened it has finished travelling: the manager types here first
    QTimer.singleShot(0, dialog.username.setFocus)
    return dialog
