"""Fee waiver (减免费用, Ctrl+D): which business, its fee, and how much to waive.

The clerk sees the business and the fee due, types the amount to waive (pre-filled
with the whole fee; a part is allowed) and presses Enter; only an amount the rule
accepts (more than 0, at most the fee) goes on to the duty manager, whose
authorisation then names that business and that amount.
"""

from __future__ import annotations

from ..core.money import fen_to_yuan_str, format_fen, parse_yuan
from .qt import QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget, Signal
from .widgets import CounterDialog, MessageLine


class WaiveDialog(CounterDialog):
    """Emits ``confirmed(amount_fen)`` for an amount between ¥0.01 and the fee."""

    confirmed = Signal(int)

    def __init__(self, business: str, fee_fen: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("WaiveDialog")
        self.setWindowTitle(self.tr("减免费用"))
        self._fee = fee_fen
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.business = QLabel(f"<b>{business}</b>")
        self.business.setObjectName("waiveBusiness")
        form.addRow(self.tr("业务"), self.business)
        self.fee = QLabel(format_fen(fee_fen))
        self.fee.setObjectName("waiveFee")
        form.addRow(self.tr("应收费用"), self.fee)
        self.amount = QLineEdit(fen_to_yuan_str(fee_fen))
        self.amount.setObjectName("waiveAmount")
        self.amount.setPlaceholderText(self.tr("减免金额（元），可部分减免"))
        form.addRow(self.tr("减免金额"), self.amount)
        layout.addLayout(form)
        self.message = MessageLine()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("请经理授权 (Enter)"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消 (Esc)"))
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.amount.returnPressed.connect(self._submit)
        self.amount.selectAll()
        self.amount.setFocus()

    def _submit(self) -> None:
        checked = parse_yuan(self.amount.text(), "waiver.amount", allow_zero=False)
        if not checked.ok:
            self.message.show_error("；".join(p.text() for p in checked.problems))
            self.amount.setFocus()
            self.amount.selectAll()
            return
        amount = checked.unwrap()
        if amount > self._fee:
            self.message.show_error(
                self.tr("减免金额不能超过应收的 {fee}。").format(fee=format_fen(self._fee))
            )
            self.amount.setFocus()
            self.amount.selectAll()
            return
        self.accept()
        self.confirmed.emit(amount)
