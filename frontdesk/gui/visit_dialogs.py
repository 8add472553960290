"""Small dialogs around a visit: resume a suspended one, cancel one with a reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.clock import local_time
from ..core.money import format_fen
from .i18n import translate
from .qt import (
    QT_TRANSLATE_NOOP,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .widgets import CounterDialog, MessageLine

if TYPE_CHECKING:
    from ..services.intake import SuspendedVisit

CANCEL_REASONS = (
    QT_TRANSLATE_NOOP("CancelDialog", "客户改变主意"),
    QT_TRANSLATE_NOOP("CancelDialog", "客户证件不全，改日再来"),
    QT_TRANSLATE_NOOP("CancelDialog", "客户离开"),
    QT_TRANSLATE_NOOP("CancelDialog", "办理条件不满足"),
)


class ResumeDialog(CounterDialog):
    """Pick a suspended visit (Up/Down, Enter); emits ``chosen(visit_id)``.

    Each row shows when, who, the businesses and the money taken; the clerk's own
    visits come first (the top one is selected), then colleagues' with their name.
    """

    chosen = Signal(object)

    def __init__(
        self,
        visits: list[SuspendedVisit],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ResumeDialog")
        self.setWindowTitle(self.tr("恢复挂起的接待"))
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setObjectName("suspendedVisits")
        for v in visits:
            when = local_time(v.opened_at).strftime("%H:%M")
            who = v.customer_name or self.tr("（未识别客户）")
            ticket = f" {v.ticket_no}" if v.ticket_no else ""
            what = self.tr("、").join(v.businesses) or self.tr("（尚无业务）")
            money = self.tr("应收 {total}，已收 {paid}").format(
                total=format_fen(v.total_fen), paid=format_fen(v.paid_fen)
            )
            owner = self.tr("本人") if v.own else v.clerk_name
            item = QListWidgetItem(
                self.tr("{when}{ticket}  {who} — {what}；{money}（{owner}）").format(
                    when=when, ticket=ticket, who=who, what=what, money=money, owner=owner
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, v.visit_id)
            self.list.addItem(item)
        if visits:
            self.list.setCurrentRow(0)  # the clerk's own, oldest first
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("恢复 (Enter)"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消 (Esc)"))
        buttons.accepted.connect(self._choose)
        buttons.rejected.connect(self.reject)
        self.list.itemActivated.connect(lambda _item: self._choose())
        layout.addWidget(buttons)
        self.list.setFocus()

    def _choose(self) -> None:
        if self.result() == QDialog.DialogCode.Accepted:
            return  # Enter also reaches the default button: act once
        item = self.list.currentItem()
        if item is None:
            self.reject()
            return
        self.accept()
        self.chosen.emit(item.data(Qt.ItemDataRole.UserRole))


class CancelDialog(CounterDialog):
    """Ask why the visit is abandoned; emits ``confirmed(reason)``."""

    confirmed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CancelDialog")
        self.setWindowTitle(self.tr("取消接待"))
        layout = QVBoxLayout(self)
        label = QLabel(self.tr("取消后本次接待的业务不会办理，也不会收费。请选择或填写取消原因："))
        label.setWordWrap(True)
        layout.addWidget(label)
        self.reasons = QListWidget()
        self.reasons.setObjectName("cancelReasons")
        for reason in CANCEL_REASONS:
            self.reasons.addItem(translate("CancelDialog", reason))
        layout.addWidget(self.reasons)
        self.reason = QLineEdit()
        self.reason.setObjectName("cancelReason")
        self.reason.setPlaceholderText(self.tr("其他原因"))
        layout.addWidget(self.reason)
        self.message = MessageLine()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确认取消接待"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("返回 (Esc)"))
        buttons.accepted.connect(self._confirm)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reasons.currentTextChanged.connect(self.reason.setText)
        self.reasons.itemActivated.connect(lambda _item: self._confirm())
        self.reason.returnPressed.connect(self._confirm)
        self.reason.setFocus()

    def _confirm(self) -> None:
        if self.result() == QDialog.DialogCode.Accepted:
            return  # Enter also reaches the default button: act once
        reason = self.reason.text().strip()
        if not reason:
            self.message.show_error(self.tr("请选择或填写取消原因。"))
            self.reason.setFocus()
            return
        self.accept()
        self.confirmed.emit(reason)
