"""After settling: the slip and receipt numbers, the money, and the print offer.

Every document of the visit — slip, receipt, and the warranty card of each handset
sold — is archived right at settle (:func:`archive_settled`), printed or not, so the
visit history (接待记录, F9) always has it. The dialog prints them all with one key
(P, no preview, each on its layout's remembered printer); V previews them first; a
second P prints 补打 copies, marked and audited. A printer problem never touches the
settled slip — the documents stay in the archive and the visit history offers the retry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.messages import RuleViolation
from ..core.money import chinese_capital, format_fen
from .i18n import current_language, translate
from .qt import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)
from .widgets import CounterDialog, EnterButton, MessageLine, shortcut

if TYPE_CHECKING:
    from ..services.auth import StaffSession
    from ..services.documents import DocumentRef
    from ..services.intake import SettledSlip
    from .context import CounterServices
    from .printing import DocumentPrinter


def archive_settled(services: CounterServices, slip_id: object) -> tuple[list[DocumentRef], str]:
    """Archive the slip, receipt and warranty cards of a settled slip (idempotent).

    Returns the documents and, when archiving failed, the message for the clerk (the
    settled slip itself is not affected; the visit history archives again on demand).
    """
    from ..services.warranty import WarrantyService

    try:
        refs = services.documents.archive_settlement(
            slip_id,  # type: ignore[arg-type]
            receipt_variants=(services.prefs.receipt_layout,),
        )
        refs += [
            services.documents.archive_warranty_card(card_id)
            for card_id in WarrantyService(services.ws).cards_of_slip(slip_id)  # type: ignore[arg-type]
        ]
    except RuleViolation as exc:
        return [], exc.text()
    return refs, ""


def document_printer(services: CounterServices, staff: StaffSession) -> DocumentPrinter:
    from .printing import DocumentPrinter

    return DocumentPrinter(
        services.documents, staff, print_folder=services.prefs.print_folder or None
    )


def _kind(ref: DocumentRef) -> str:
    """The document's kind in the clerk's language (the service names it in Chinese)."""
    return translate("DocumentKind", ref.kind_name)


def _names(refs: list[DocumentRef]) -> str:
    return translate("SettledDialog", "、").join(f"{_kind(r)} {r.number}" for r in refs)


def print_all(
    parent: QWidget, services: CounterServices, refs: list[DocumentRef], staff: StaffSession
) -> tuple[str, list[DocumentRef]]:
    """Print every document with no preview; an already printed one as a 补打 copy.

    Returns the clerk's message and the documents as they stand after printing.
    """
    from .i18n import translate

    printer = document_printer(services, staff)
    printed, reprinted, left, after = [], [], [], []
    for ref in refs:
        outcome, sent = printer.print_or_reprint(ref, parent)
        (left if not outcome.ok else reprinted if sent.is_reprint else printed).append(sent)
        after.append(services.documents.document(ref.document_id))
    parts = []
    if printed:
        parts.append(translate("SettledDialog", "已打印：{docs}。").format(docs=_names(printed)))
    if reprinted:
        parts.append(
            translate("SettledDialog", "已补打（副本注明“补打”）：{docs}。").format(
                docs=_names(reprinted)
            )
        )
    if left:
        parts.append(
            translate(
                "SettledDialog", "未打印：{docs}。单据已存档，可在接待记录（F9）中重新打印。"
            ).format(docs=_names(left))
        )
    return "".join(parts), after


def offer_print(
    parent: QWidget, services: CounterServices, settled: SettledSlip, staff: StaffSession
) -> str:
    """Archive the documents of ``settled`` and preview each (printing from the preview).

    Returns a message for the clerk saying what was printed and what is left to retry.
    """
    from .i18n import translate

    refs, problem = archive_settled(services, settled.slip_id)
    if problem:
        return problem
    printer = document_printer(services, staff)
    printed, left = [], []
    for ref in refs:
        outcome = printer.preview_and_print(ref, parent)
        (printed if outcome is not None and outcome.ok else left).append(
            f"{ref.kind_name} {ref.number}"
        )
    if not left:
        return translate("SettledDialog", "已打印：{docs}。").format(docs="、".join(printed))
    return translate(
        "SettledDialog", "未打印：{docs}。单据已存档，可在接待记录（F9）中重新打印。"
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
        documents: list[DocumentRef] | None = None,
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
        self.refs, problem = (
            (list(documents), "")
            if documents is not None
            else archive_settled(services, settled.slip_id)
        )
        self.documents = QLabel()
        self.documents.setObjectName("settledDocuments")
        self.documents.setWordWrap(True)
        layout.addWidget(self.documents)
        self.message = MessageLine()
        layout.addWidget(self.message)
        if problem:
            self.message.show_error(problem)
        row = QHBoxLayout()
        self.print_button = EnterButton(self.tr("全部打印 (P)"))
        self.print_button.setObjectName("printButton")
        self.preview_button = EnterButton(self.tr("预览后打印 (V)"))
        self.preview_button.setObjectName("previewButton")
        self.done_button = EnterButton(self.tr("完成 (Enter)"))
        self.done_button.setObjectName("doneButton")
        self.done_button.setDefault(True)
        row.addWidget(self.print_button)
        row.addWidget(self.preview_button)
        row.addStretch(1)
        row.addWidget(self.done_button)
        layout.addLayout(row)
        self.print_button.clicked.connect(self.print_all)
        self.preview_button.clicked.connect(self.preview_all)
        self.done_button.clicked.connect(self.accept)
        shortcut(self, "P", self.print_all)
        shortcut(self, "V", self.preview_all)
        self.setTabOrder(self.done_button, self.print_button)
        self.setTabOrder(self.print_button, self.preview_button)
        self._show_documents()
        self.done_button.setFocus()

    def _show_documents(self) -> None:
        lines = []
        for ref in self.refs:
            state = (
                self.tr("未打印")
                if ref.print_count == 0
                else self.tr("已打印 {n} 次").format(n=ref.print_count)
            )
            lines.append(
                self.tr("{kind} {number}：{state}").format(
                    kind=_kind(ref), number=ref.number, state=state
                )
            )
        self.documents.setText(self.tr("已存档：") + self.tr("；").join(lines))

    def print_all(self) -> None:
        """P: every document to its printer, no preview; printed ones again as 补打."""
        text, self.refs = print_all(self, self._services, self.refs, self._staff)
        self._show_documents()
        self.message.show_message(text, "info")
        self.done_button.setFocus()

    def preview_all(self) -> None:
        """V: the preview of each document; printing from it records the print."""
        printer = document_printer(self._services, self._staff)
        for ref in self.refs:
            printer.preview_and_print(ref, self)
        self.refs = [self._services.documents.document(r.document_id) for r in self.refs]
        self._show_documents()
        self.activateWindow()  # P and Enter work again at once
        self.done_button.setFocus()
