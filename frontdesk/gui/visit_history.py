"""接待记录 (F9): today's visits, or a search by slip number, phone or date.

Every document of each settled slip is in the archive from the moment it was settled
(printed or not); here the clerk previews it (Ctrl+E), prints it (Ctrl+P: the first
print is the original, any later one a 补打 copy, marked and audited), or prints all of
a slip's documents at once (Ctrl+Shift+P). Keyboard: type, Enter → the slips (↑/↓),
Enter → the documents (↑/↓), Enter prints the selected document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.messages import RuleViolation
from ..core.money import format_fen
from ..services.history import HistoryRow, VisitHistoryService
from .qt import (
    QAbstractItemView,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .settled_dialog import document_printer, print_all
from .widgets import CounterDialog, EnterButton, MessageLine, shortcut

if TYPE_CHECKING:
    from ..services.auth import StaffSession
    from ..services.documents import DocumentRef
    from .context import CounterServices

KIND_LABELS = {"sale": "受理", "void": "作废", "refund": "退款"}
LAYOUT_LABELS = {"a4": "A4", "thermal80": "80 mm 热敏"}


class _SlipTable(QTableWidget):
    """The slips; Enter moves on to the selected slip's documents."""

    entered = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self.entered.emit()
            return
        super().keyPressEvent(event)


class VisitHistoryDialog(CounterDialog):
    def __init__(
        self, services: CounterServices, staff: StaffSession, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("VisitHistoryDialog")
        self.setWindowTitle(self.tr("接待记录"))
        self._services = services
        self._staff = staff
        self._history = VisitHistoryService(services.ws)
        self.rows: list[HistoryRow] = []
        self.refs: list[DocumentRef] = []
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("查找（受理单号 / 手机号 / 日期）")))
        self.search = QLineEdit()
        self.search.setObjectName("historySearch")
        self.search.setPlaceholderText(self.tr("留空 = 今天；如 0007、13800138000、2026-11-21"))
        top.addWidget(self.search, 1)
        layout.addLayout(top)
        self.slips = _SlipTable(0, 8)
        self.slips.setObjectName("historySlips")
        self.slips.setHorizontalHeaderLabels(
            [
                self.tr("时间"),
                self.tr("受理单号"),
                self.tr("类型"),
                self.tr("客户"),
                self.tr("号码"),
                self.tr("业务"),
                self.tr("金额"),
                self.tr("单据"),
            ]
        )
        self.slips.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.slips.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.slips.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.slips.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.slips, 2)
        layout.addWidget(QLabel(self.tr("本单单据（已全部存档）")))
        self.documents = QListWidget()
        self.documents.setObjectName("historyDocuments")
        layout.addWidget(self.documents, 1)
        self.message = MessageLine()
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.preview_button = EnterButton(self.tr("预览 (Ctrl+E)"))
        self.preview_button.setObjectName("historyPreview")
        self.print_button = EnterButton(self.tr("打印 / 补打 (Ctrl+P)"))
        self.print_button.setObjectName("historyPrint")
        self.print_all_button = EnterButton(self.tr("本单全部打印 (Ctrl+Shift+P)"))
        self.print_all_button.setObjectName("historyPrintAll")
        self.close_button = EnterButton(self.tr("关闭 (Esc)"))
        for button in (self.preview_button, self.print_button, self.print_all_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.search.returnPressed.connect(self.run_search)
        self.slips.entered.connect(self._to_documents)
        self.slips.currentCellChanged.connect(lambda r, *_: self._load_documents(r))
        self.documents.itemActivated.connect(lambda _i: self.print_selected())
        self.preview_button.clicked.connect(self.preview_selected)
        self.print_button.clicked.connect(self.print_selected)
        self.print_all_button.clicked.connect(self.print_slip)
        self.close_button.clicked.connect(self.reject)
        shortcut(self, "Ctrl+E", self.preview_selected)
        shortcut(self, "Ctrl+P", self.print_selected)
        shortcut(self, "Ctrl+Shift+P", self.print_slip)
        self.resize(980, 560)
        self.run_search()
        self.search.setFocus()

    # -- keyboard ------------------------------------------------------------------------
    def _to_documents(self) -> None:
        if self.documents.count():
            self.documents.setFocus()
            self.documents.setCurrentRow(0)

    # -- search --------------------------------------------------------------------------
    def run_search(self) -> None:
        try:
            self.rows = self._history.search(self.search.text())
        except RuleViolation as exc:
            self.message.show_exception(exc)
            return
        self.slips.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            values = [
                row.settled_at.strftime("%m-%d %H:%M"),
                row.slip_no,
                self.tr(KIND_LABELS.get(row.kind, row.kind)),
                row.customer_name or self.tr("（未识别）"),
                "、".join(row.numbers),
                "、".join(row.businesses),
                format_fen(row.total_fen),
                self.tr("{n} 份，未打印 {u}").format(n=row.documents, u=row.unprinted),
            ]
            for c, value in enumerate(values):
                self.slips.setItem(r, c, QTableWidgetItem(value))
        self.slips.resizeColumnsToContents()
        if self.rows:
            self.slips.setCurrentCell(0, 0)
            self.slips.setFocus()
            self.message.show_message(
                self.tr("找到 {n} 张受理单。↑/↓ 选择，Enter 查看单据。").format(n=len(self.rows)),
                "info",
            )
        else:
            self.documents.clear()
            self.refs = []
            self.message.show_message(self.tr("没有找到受理单。"), "info")

    def _load_documents(self, row: int) -> None:
        self.documents.clear()
        self.refs = []
        if not 0 <= row < len(self.rows):
            return
        refs = self._services.documents.documents_of_slip(self.rows[row].slip_id)
        self.refs = [r for r in refs if not r.is_reprint]
        copies = {}
        for ref in refs:
            if ref.is_reprint:
                copies[(ref.kind, ref.number)] = copies.get((ref.kind, ref.number), 0) + 1
        for ref in self.refs:
            if ref.last_print_error:
                state = self.tr("打印失败，待重新打印")
            elif ref.print_count == 0:
                state = self.tr("未打印")
            else:
                state = self.tr("已打印 {n} 次").format(n=ref.print_count)
            if copies.get((ref.kind, ref.number)):
                state += self.tr("，补打 {n} 次").format(n=copies[(ref.kind, ref.number)])
            layout = LAYOUT_LABELS.get(ref.layout, ref.layout)
            item = QListWidgetItem(f"{ref.kind_name} {ref.number}（{layout}）：{state}")
            item.setData(Qt.ItemDataRole.UserRole, str(ref.document_id))
            self.documents.addItem(item)
        if self.refs:
            self.documents.setCurrentRow(0)

    def _selected(self) -> DocumentRef | None:
        row = self.documents.currentRow()
        if 0 <= row < len(self.refs):
            return self.refs[row]
        self.message.show_error(self.tr("请先选择一份单据。"))
        return None

    # -- documents -----------------------------------------------------------------------
    def preview_selected(self) -> None:
        ref = self._selected()
        if ref is not None:
            row = self.documents.currentRow()
            document_printer(self._services, self._staff).preview_and_print(ref, self)
            self.activateWindow()  # the history's keys work again at once
            self._reload(row)

    def print_selected(self) -> None:
        """The first print of a document, or a 补打 copy once it was printed."""
        ref = self._selected()
        if ref is None:
            return
        row = self.documents.currentRow()
        outcome, sent = document_printer(self._services, self._staff).print_or_reprint(
            ref, self, reason="接待记录补打"
        )
        if outcome.ok:
            text = (
                self.tr("已补打 {doc}（副本注明“补打”）。")
                if sent.is_reprint
                else self.tr("已打印 {doc}。")
            )
            self.message.show_ok(text.format(doc=f"{ref.kind_name} {ref.number}"))
        else:
            self.message.show_error(outcome.message)
        self._reload(row)

    def print_slip(self) -> None:
        if not self.refs:
            self.message.show_error(self.tr("请先选择一张受理单。"))
            return
        text, _after = print_all(self, self._services, self.refs, self._staff)
        self.message.show_message(text, "info")
        self._reload()

    def _reload(self, doc_row: int = 0) -> None:
        slip_row = self.slips.currentRow()
        self._load_documents(slip_row)
        if self.refs:
            self.documents.setCurrentRow(min(doc_row, len(self.refs) - 1))
            self.documents.setFocus()


def open_visit_history(
    parent: QWidget, services: CounterServices, staff: StaffSession
) -> VisitHistoryDialog:
    dialog = VisitHistoryDialog(services, staff, parent)
    dialog.show()
    dialog.activateWindow()
    dialog.search.setFocus()  # type to search; ↓ or Tab reaches today's list
    return dialog
