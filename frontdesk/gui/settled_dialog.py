"""After settling: the slip and receipt numbers, the money, and the print offer.

``offer_print`` archives the slip and the receipt once (DocumentService) — and the
warranty card of each handset sold on the slip, which the customer takes home with the
device — and opens the print preview of each; a printer problem never touches the
settled slip — the documents stay in the archive and the visit history offers "重新打印".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.messages import RuleViolation
from ..core.money import chinese_capital, format_fen
from .i18n import current_language
from .qt import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)
from .widgets import CounterDialog, EnterButton, MessageLine

if TYPE_CHECKING:
    from ..services.auth import StaffSession
    from ..services.intake import SettledSlip
    from .context import CounterServices


def offer_print(
    parent: QWidget, services: CounterServices, settled: SettledSlip, staff: StaffSession
) -> str:
    """Archive the slip, receipt and warranty cards of ``settled`` and preview/print them.

    Returns a message for the clerk saying what was printed and what is left to retry.
    """
    from ..services.warranty import WarrantyService
    from .i18n import translate
    from .printing import DocumentPrinter

    try:
        refs = services.documents.archive_settlement(
            settled.slip_id, receipt_variants=(services.prefs.receipt_layout,)
        )
        refs += [
            services.documents.archive_warranty_card(card_id)
            for card_id in WarrantyService(services.ws).cards_of_slip(settled.slip_id)
        ]
    except RuleViolation as exc:
        return exc.text()
    printer = DocumentPrinter(services.documents, staff)
    printed, left = [], []
    for ref in refs:
        outcome = printer.preview_and_print(ref, parent)
        (printed if outcome is not None and outcome.ok else left).append(
            f"{ref.kind_name} {ref.number}"
        )
    if not left:
        return translate("SettledDialog", "已打印：{docs}。").format(docs="、".join(printed))
    return translate(
        "SettledDialog", "未打印：{docs}。单据已存档，可在接待记录中重新打印。"
    ).format(docs="、".join(left))


class SettledDialog(CounterDialog):
    """Shows what was settled; Enter closes it and the counter is ready for the next."""

    def __init__(
        self,
        services: CounterServices,
        settled: SettledSlip,
        parent: QWidget | None = None,
        *,
        staff: StaffSession,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("SettledDialog")
        self._services = services
        self._staff = staff
        self.settled = settled
        self.setWindowTitle(self.tr("结算完成"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("<b>结算完成，请客户在受理单上签字确认。</b>")))
        form = QFormLayout()
        form.addRow(self.tr("受理单号"), QLabel(settled.slip_no))
        form.addRow(self.tr("收据号"), QLabel(settled.receipt_no))
        total = format_fen(settled.total_fen)
        if current_language() == "zh":  # the 大写 amount is for the Chinese receipt
            total += f"（{chinese_capital(abs(settled.total_fen))}）"
        form.addRow(self.tr("合计"), QLabel(total))
        form.addRow(self.tr("实收"), QLabel(format_fen(settled.paid_fen)))
        change = QLabel(format_fen(settled.change_fen))
        change.setObjectName("settledChange")
        if settled.change_fen:
            change.setStyleSheet("font-size: 16px; font-weight: bold; color: #b3261e;")
        form.addRow(self.tr("找零"), change)
        layout.addLayout(form)
        if settled.recheck_required:
            note = QLabel(self.tr("注意：部分办理条件依据本地记录判断，本单将在联网后由总部复核。"))
            note.setWordWrap(True)
            note.setStyleSheet("color: #8a5a00;")
            layout.addWidget(note)
        for problem in settled.warnings:
            layout.addWidget(QLabel(problem.text()))
        self.message = MessageLine()
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.print_button = EnterButton(self.tr("打印受理单和收据 (P)"))
        self.print_button.setObjectName("printButton")
        self.print_button.setShortcut("P")
        self.done_button = EnterButton(self.tr("完成 (Enter)"))
        self.done_button.setObjectName("doneButton")
        self.done_button.setDefault(True)
        row.addWidget(self.print_button)
        row.addStretch(1)
        row.addWidget(self.done_button)
        layout.addLayout(row)
        self.print_button.clicked.connect(self._print)
        self.done_button.clicked.connect(self.accept)
        self.done_button.setFocus()

    def _print(self) -> None:
        self.message.show_message(
            offer_print(self, self._services, self.settled, self._staff), "info"
        )
