"""The slip (一单清): every business of the visit, fees, total, payments, then settle.

Payments may be split across methods; cash may be over-tendered and the change is
computed by the intake service (only cash gives change). Card, WeChat Pay and Alipay
need the transaction reference (a barcode scanner can type it); prepaid balance asks
which of the customer's numbers to charge. F8 jumps to the amount, which is
pre-filled with what is still due, so Enter takes the rest; F10 settles.

No payment is taken without the clerk choosing its method: after a business goes on
the slip the focus is on the method list with nothing chosen, so a stray Enter (a
barcode scanner's, after the last serial) takes nothing. A digit key chooses a method
(1 现金, 2 银行卡 …) and moves to the amount; ↑/↓ and Enter do the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.intake import METHOD_LABELS, PAYMENT_METHODS, REFERENCE_REQUIRED
from ..core.money import fen_to_yuan_str, format_fen, parse_yuan
from .i18n import current_language
from .qt import (
    QAbstractItemView,
    QComboBox,
    QEvent,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QObject,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .slip_model import PaymentsModel, SlipItemsModel
from .widgets import EnterButton, MessageLine, key_hint

if TYPE_CHECKING:
    from ..services.intake import VisitView


def _table(model: SlipItemsModel | PaymentsModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = view.horizontalHeader()
    # the first column takes the room left; the others (amounts, 备注) fit their text
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    view.verticalHeader().hide()
    return view


class SlipPanel(QWidget):
    """Emits the clerk's requests; the window calls the services and refreshes."""

    pay_requested = Signal(str, int, str, str)  # method, amount fen, reference, balance no.
    remove_item_requested = Signal(str)
    remove_payment_requested = Signal(str)
    waive_requested = Signal(str)
    settle_requested = Signal()
    #: P on the focused 结算 button: settle, then print every document (issue 19 #12)
    settle_print_requested = Signal()
    #: P on the amount: take this payment, then settle and print (issue 19 #12)
    pay_settle_print_requested = Signal(str, int, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SlipPanel")
        self._view: VisitView | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("<b>受理单</b>")))
        self.items_model = SlipItemsModel()
        self.items = _table(self.items_model, "slipItems")
        self.items.installEventFilter(self)
        layout.addWidget(self.items, 2)
        self.payments_model = PaymentsModel()
        self.payments = _table(self.payments_model, "slipPayments")
        self.payments.installEventFilter(self)
        layout.addWidget(QLabel(self.tr("收款")))
        layout.addWidget(self.payments, 1)
        self.totals = QLabel()
        self.totals.setObjectName("slipTotals")
        self.totals.setStyleSheet("font-size: 15px; font-weight: bold;")
        layout.addWidget(self.totals)
        row = QHBoxLayout()
        self.method = QComboBox()
        self.method.setObjectName("payMethod")
        zh = current_language() == "zh"
        for number, method in enumerate(PAYMENT_METHODS, start=1):
            labels = METHOD_LABELS[method]
            self.method.addItem(f"{number} {labels[0] if zh else labels[1]}", method)
        self.method.setPlaceholderText(self.tr("选择收款方式"))
        self.method.setCurrentIndex(-1)
        self.amount = QLineEdit()
        self.amount.setObjectName("payAmount")
        self.amount.setPlaceholderText(self.tr("金额（元）"))
        self.reference = QLineEdit()
        self.reference.setObjectName("payReference")
        self.reference.setPlaceholderText(self.tr("交易参考号（扫码）"))
        self.balance_number = QComboBox()
        self.balance_number.setObjectName("payBalanceNumber")
        self.pay_button = EnterButton(self.tr("收款 (Enter)"))
        self.pay_button.setObjectName("payButton")
        row.addWidget(self.method)
        row.addWidget(self.amount, 1)
        row.addWidget(self.reference, 1)
        row.addWidget(self.balance_number)
        row.addWidget(self.pay_button)
        layout.addLayout(row)
        self.message = MessageLine()
        self.message.setObjectName("slipMessage")
        layout.addWidget(self.message)
        actions = QHBoxLayout()
        self.waive_button = EnterButton(key_hint(self.tr("减免费用"), "Ctrl+D"))
        self.waive_button.setObjectName("waiveButton")
        self.remove_button = EnterButton(key_hint(self.tr("删除所选"), "Del"))
        self.remove_button.setObjectName("removeButton")
        self.settle_button = EnterButton(key_hint(self.tr("结算"), "F10"))
        self.settle_button.setObjectName("settleButton")
        self.settle_button.setStyleSheet("font-weight: bold;")
        self.settle_button.setToolTip(self.tr("Enter 结算；P 结算并打印全部单据"))
        self.settle_button.installEventFilter(self)
        actions.addWidget(self.waive_button)
        actions.addWidget(self.remove_button)
        actions.addStretch(1)
        actions.addWidget(self.settle_button)
        layout.addLayout(actions)
        self.method.installEventFilter(self)
        self.amount.installEventFilter(self)
        self.amount.setToolTip(self.tr("Enter 收款；P 收足待收金额并结算、打印全部单据"))
        self.method.currentIndexChanged.connect(self._method_changed)
        self.amount.returnPressed.connect(self._amount_entered)
        self.reference.returnPressed.connect(self.request_payment)
        self.pay_button.clicked.connect(self.request_payment)
        self.settle_button.clicked.connect(self.settle_requested.emit)
        self.remove_button.clicked.connect(self.remove_selected)
        self.waive_button.clicked.connect(self.waive_selected)
        self._method_changed()
        self.set_visit(None)

    # -- showing the visit ------------------------------------------------------------
    def set_visit(self, view: VisitView | None) -> None:
        self._view = view
        self.items_model.set_rows(view.items if view else ())
        self.payments_model.set_rows(view.payments if view else ())
        if view is None:
            self.totals.setText(self.tr("尚未开始接待"))
            self.amount.clear()
            self.method.setCurrentIndex(-1)
            self.message.clear_message()
            return
        text = self.tr("合计 {total}　已收 {paid}　待收 {due}").format(
            total=format_fen(view.total_fen),
            paid=format_fen(view.paid_fen),
            due=format_fen(view.due_fen),
        )
        if view.change_fen:
            text += self.tr("　找零 {change}").format(change=format_fen(view.change_fen))
        self.totals.setText(text)
        self.amount.setText(fen_to_yuan_str(view.due_fen) if view.due_fen > 0 else "")
        self.balance_number.clear()
        for line in view.lines:
            if line.payment_mode == "prepaid" and line.status != "closed":
                self.balance_number.addItem(
                    f"{line.number}（{format_fen(line.balance_fen)}）", line.number
                )

    def _method_changed(self) -> None:
        method = self.method.currentData()
        self.reference.setVisible(method in REFERENCE_REQUIRED)
        self.balance_number.setVisible(method == "balance")

    def focus_amount(self) -> None:
        """F8: the amount when a method is chosen, else the method list first."""
        if self.method.currentIndex() < 0:
            self.focus_method()
            return
        self.amount.setFocus()
        self.amount.selectAll()

    def focus_method(self) -> None:
        self.method.setFocus()
        if self._view is not None and self._view.due_fen > 0:
            self.message.show_message(self._method_hint(), "info")

    def _method_hint(self) -> str:
        return self.tr("请选择收款方式：{keys}（数字键或 ↑/↓ 后 Enter）。").format(
            keys=("　" if current_language() == "zh" else ", ").join(
                self.method.itemText(i) for i in range(self.method.count())
            )
        )

    def choose_method(self, index: int) -> None:
        self.method.setCurrentIndex(index)
        self.message.clear_message()
        self.amount.setFocus()
        self.amount.selectAll()

    def focus_settle(self) -> None:
        self.settle_button.setFocus()

    # -- requests -----------------------------------------------------------------------
    def _amount_entered(self) -> None:
        if self.method.currentIndex() < 0:
            self.focus_method()
            return
        if self.method.currentData() in REFERENCE_REQUIRED and not self.reference.text().strip():
            self.reference.setFocus()
            return
        self.request_payment()

    def _method_and_amount(self) -> tuple[str, int] | None:
        """The chosen method and the typed amount, or ``None`` after saying what is
        missing or wrong (nothing is taken without a method, issue 19 #6)."""
        method = self.method.currentData()
        if method is None:
            self.message.show_error(self.tr("尚未选择收款方式，未收款。") + self._method_hint())
            self.method.setFocus()
            return None
        checked = parse_yuan(self.amount.text(), "payment.amount", allow_zero=False)
        if not checked.ok:
            self.message.show_error("；".join(p.text() for p in checked.problems))
            self.focus_amount()
            return None
        return method, checked.unwrap()

    def _payment_args(self, method: str, amount: int) -> tuple[str, int, str, str]:
        return (
            method,
            amount,
            self.reference.text().strip() if method in REFERENCE_REQUIRED else "",
            (self.balance_number.currentData() or "") if method == "balance" else "",
        )

    def request_payment(self) -> None:
        taken = self._method_and_amount()
        if taken is None:
            return
        self.message.clear_message()
        self.pay_requested.emit(*self._payment_args(*taken))

    def pay_settle_print(self) -> None:
        """P on the amount: the payment as Enter takes it, but only when it covers what
        is due; then the slip settles and prints (the fraud notice first where due)."""
        taken = self._method_and_amount()
        if taken is None:
            return
        method, amount = taken
        due = self._view.due_fen if self._view is not None else 0
        if amount < due:
            self.message.show_error(
                self.tr(
                    "收款金额 {amount} 少于待收 {due}，未收款：P 收款并结算须收足待收金额；"
                    "分笔收款请按 Enter。"
                ).format(amount=format_fen(amount), due=format_fen(due))
            )
            self.focus_amount()
            return
        if method in REFERENCE_REQUIRED and not self.reference.text().strip():
            self.message.show_error(
                self.tr("交易参考号未填，未收款：{method}须先扫描交易参考号。").format(
                    method=self.method.currentText()
                )
            )
            self.reference.setFocus()
            return
        self.message.clear_message()
        self.pay_settle_print_requested.emit(*self._payment_args(method, amount))

    def payment_taken(self) -> None:
        """After a payment: clear the entry and the method; settle next when nothing is due."""
        self.reference.clear()
        self.method.setCurrentIndex(-1)
        if self._view is not None and self._view.due_fen <= 0:
            self.focus_settle()
        else:
            self.focus_method()

    def _selected(self, table: QTableView) -> int | None:
        rows = table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def remove_selected(self) -> None:
        row = self._selected(self.payments)
        if row is not None and self.payments.hasFocus():
            self.remove_payment_requested.emit(self.payments_model.row(row).payment_id)
            return
        row = self._selected(self.items)
        if row is not None:
            self.remove_item_requested.emit(self.items_model.row(row).item_id)
            return
        row = self._selected(self.payments)
        if row is not None:
            self.remove_payment_requested.emit(self.payments_model.row(row).payment_id)
            return
        self.message.show_error(self.tr("请先在受理单或收款列表中选中要删除的一行（方向键选择）。"))
        self.items.setFocus()

    def waive_selected(self) -> None:
        row = self._selected(self.items)
        if row is None and self.items_model.rowCount() == 1:
            row = 0
        if row is None:
            self.message.show_error(self.tr("请先在受理单中选中要减免费用的业务。"))
            self.items.setFocus()
            return
        self.waive_requested.emit(self.items_model.row(row).item_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        if watched is self.method:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self.method.currentIndex() < 0:
                    self.focus_method()  # nothing chosen: Enter takes nothing
                else:
                    self.choose_method(self.method.currentIndex())
                return True
            digit = int(key) - int(Qt.Key.Key_1)
            if 0 <= digit < self.method.count() and not event.modifiers() & ~(
                Qt.KeyboardModifier.KeypadModifier
            ):
                self.choose_method(digit)
                return True
            if key == Qt.Key.Key_Down and self.method.currentIndex() < 0:
                self.method.setCurrentIndex(0)
                return True
            return False
        if watched is self.amount:
            if event.key() == Qt.Key.Key_P and not event.modifiers() & ~(
                Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier
            ):
                self.pay_settle_print()
                return True
            return False
        if watched is self.settle_button:
            if (
                event.key() == Qt.Key.Key_P
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
                and self.settle_button.isEnabled()
            ):
                self.settle_print_requested.emit()
                return True
            return False
        if event.key() == Qt.Key.Key_Delete:
            self.remove_selected()
            return True
        return False
