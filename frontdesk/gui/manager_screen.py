"""The manager screen (经理 · 营业报表): summary of a day or range, exports, day close.

Self-contained widget over :class:`~frontdesk.services.reports.ReportService` and
:class:`~frontdesk.services.dayclose.DayCloseService`; it holds no SQL and no
arithmetic — the tables it shows are the same :class:`~frontdesk.core.reports.Table`
objects the PDF, XLSX and CSV exports lay out, so screen and paper never disagree.
A clerk gets their own counter only (the scope box is locked); a manager may choose
the whole branch.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..core.messages import RuleViolation
from ..core.money import format_fen
from ..core.reports import DaySummary, Table, format_cell
from ..services.auth import AuthService, StaffSession
from ..services.dayclose import DayCloseService
from ..services.integrity import AuditService
from ..services.reports import ExportResult, ReportService
from ..services.scans import ScanService
from .day_close_dialog import DayCloseDialog
from .errors import describe
from .i18n import current_language
from .qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QComboBox,
    QDateTime,
    QDateTimeEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QModelIndex,
    QPersistentModelIndex,
    QPushButton,
    QSplitter,
    Qt,
    QTableView,
    QTime,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .widgets import shortcut

NUMERIC = {"int", "fen", "share", "minutes"}


class ReportTableModel(QAbstractTableModel):
    """A core :class:`Table`, formatted at the edge; numbers right-aligned."""

    def __init__(self, table: Table | None = None) -> None:
        super().__init__()
        self._table = table
        self._text: list[list[str]] = table.text_rows() if table else []

    def set_table(self, table: Table) -> None:
        self.beginResetModel()
        self._table = table
        self._text = table.text_rows()
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self._text)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self._table.columns) if self._table else 0

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or self._table is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            kind = self._table.kind(index.row(), index.column())
            if kind in NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or self._table is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._table.columns[section].label(current_language())
        return str(section + 1)


def _date_edit(day: dt.date) -> QDateTimeEdit:
    edit = QDateTimeEdit()
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    edit.setDateTime(QDateTime(day, QTime(12, 0)))
    return edit


def _day_of(edit: QDateTimeEdit) -> dt.date:
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day())


class ManagerScreen(QWidget):
    """经理 · 营业报表 — pick a period and scope, read the figures, export, close the day."""

    day_closed = Signal()  # the counter shows the closed day at once

    def __init__(
        self,
        reports: ReportService,
        dayclose: DayCloseService,
        staff: StaffSession,
        *,
        auth: AuthService | None = None,
        today: dt.date | None = None,
        parent: QWidget | None = None,
        audit: AuditService | None = None,
        scans: ScanService | None = None,
        documents: object | None = None,
        print_folder: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._scans = scans
        self._documents = documents
        self._print_folder = print_folder
        self._reports = reports
        self._dayclose = dayclose
        self._auth = auth
        self._staff = staff
        self.summary: DaySummary | None = None
        self.tables: list[Table] = []
        self.last_export: ExportResult | None = None
        self.setObjectName("ManagerScreen")
        self.setWindowTitle(self.tr("营业报表与日结"))
        today = today or reports.today()

        self.date_from = _date_edit(today)
        self.date_to = _date_edit(today)
        self.scope = QComboBox()
        self.scope.addItem(self.tr("本柜台"), "counter")
        self.scope.addItem(self.tr("全营业厅"), "branch")
        if not staff.is_manager:
            self.scope.setEnabled(False)
            self.scope.setToolTip(self.tr("全营业厅汇总仅限经理查看"))
        # head office gives the branch's rows to a manager it verifies itself: the
        # password is sent once, the ten-minute token it returns stays in memory
        self.manager_password = QLineEdit()
        self.manager_password.setObjectName("managerPassword")
        self.manager_password.setEchoMode(QLineEdit.EchoMode.Password)
        hint = self.tr("经理密码（总部核验全厅数据）")
        self.manager_password.setPlaceholderText(hint)
        # wide enough to read its hint (the text margins and frame take about 12 px)
        fm = self.manager_password.fontMetrics()
        self.manager_password.setMinimumWidth(fm.horizontalAdvance(hint) + 16)
        self.manager_password.setVisible(staff.is_manager)
        # Enter in the field queries (the window's Enter shortcut never sees that key)
        self.manager_password.returnPressed.connect(self.refresh)
        self.refresh_button = QPushButton(self.tr("查询 (Enter)"))
        self.refresh_button.clicked.connect(self.refresh)
        self.export_buttons = {}
        top = QHBoxLayout()
        for text, widget in (
            (self.tr("日期"), self.date_from),
            (self.tr("至"), self.date_to),
            (self.tr("范围"), self.scope),
        ):
            top.addWidget(QLabel(text))
            top.addWidget(widget)
        top.addWidget(self.manager_password)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        export_keys = {"pdf": "Ctrl+P", "xlsx": "Ctrl+E", "csv": "Ctrl+Shift+E"}
        for fmt in ("pdf", "xlsx", "csv"):
            button = QPushButton(
                self.tr("导出 {fmt} ({keys})").format(fmt=fmt.upper(), keys=export_keys[fmt])
            )
            button.clicked.connect(lambda _=False, f=fmt: self.choose_and_export(f))
            self.export_buttons[fmt] = button
            top.addWidget(button)
        self.close_button = QPushButton(self.tr("日结… (Ctrl+D)"))
        self.close_button.clicked.connect(self.open_day_close)  # Ctrl+D: see _keys
        top.addWidget(self.close_button)
        self._audit = audit
        self.audit_verify_button = QPushButton("核验审计日志")
        self.audit_verify_button.clicked.connect(self.verify_audit)
        self.audit_export_button = QPushButton("导出审计日志…")
        self.audit_export_button.clicked.connect(self.choose_and_export_audit)
        for button in (self.audit_verify_button, self.audit_export_button):
            button.setVisible(audit is not None)
            if not (staff.is_manager or staff.role.value == "it_admin"):
                button.setEnabled(False)
                button.setToolTip("审计日志的核验和导出仅限经理")
            top.addWidget(button)
        self.scans_button = QPushButton("留存证件…")
        self.scans_button.setObjectName("retainedScans")
        self.scans_button.clicked.connect(self.open_scans)
        self.scans_button.setVisible(scans is not None and staff.is_manager)
        top.addWidget(self.scans_button)

        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #B03A2E;")

        self.cards: dict[str, QLabel] = {}
        cards = QGridLayout()
        names = (
            ("visits", self.tr("接待量")),
            ("takings", self.tr("实收（不含余额）")),
            ("business", self.tr("营业额（净）")),
            ("waiting", self.tr("等候达标率")),
            ("handling", self.tr("办理达标率")),
            ("vip", self.tr("VIP 接待")),
            ("green", self.tr("绿色通道")),
            ("complaints", self.tr("投诉超时")),
            ("unsynced", self.tr("未同步受理单")),
        )
        for i, (key, title) in enumerate(names):
            frame = QFrame()
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            box = QVBoxLayout(frame)
            caption = QLabel(title)
            caption.setStyleSheet("color: #555;")
            value = QLabel("—")
            value.setStyleSheet("font-size: 18px; font-weight: bold;")
            box.addWidget(caption)
            box.addWidget(value)
            self.cards[key] = value
            cards.addWidget(frame, i // 4, i % 4)

        self.table_list = QListWidget()
        self.table_list.currentRowChanged.connect(self._show_table)
        self.model = ReportTableModel()
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        splitter = QSplitter()
        splitter.addWidget(self.table_list)
        splitter.addWidget(self.view)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([160, 760])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addLayout(cards)
        layout.addWidget(splitter, 1)
        self._keys()

    def _keys(self) -> None:
        """Keyboard: Enter or F5 queries, Ctrl+P/E/Shift+E export, Ctrl+D closes the day,
        Alt+1…9 picks a table, Esc closes the window."""
        shortcut(self, "Return", self.refresh)
        shortcut(self, "Enter", self.refresh)
        shortcut(self, "F5", self.refresh)
        shortcut(self, "Ctrl+P", lambda: self.choose_and_export("pdf"))
        shortcut(self, "Ctrl+E", lambda: self.choose_and_export("xlsx"))
        shortcut(self, "Ctrl+Shift+E", lambda: self.choose_and_export("csv"))
        shortcut(self, "Ctrl+D", self.open_day_close)
        shortcut(self, "Esc", self.close)
        for n in range(1, 10):
            shortcut(self, f"Alt+{n}", lambda n=n: self._pick_table(n - 1))
        self.date_from.setFocus()

    def _pick_table(self, row: int) -> None:
        if row < self.table_list.count():
            self.table_list.setCurrentRow(row)
            self.view.setFocus()

    # -- actions ------------------------------------------------------------------------
    def period(self) -> tuple[dt.date, dt.date, bool]:
        return _day_of(self.date_from), _day_of(self.date_to), self.scope.currentData() == "branch"

    def refresh(self) -> bool:
        date_from, date_to, branch = self.period()
        password = self.manager_password.text()
        self.manager_password.clear()
        try:
            if branch and password:
                self._reports.sign_in_manager(self._staff.username, password)
            summary = self._reports.summary(self._staff, date_from, date_to, branch=branch)
        except RuleViolation as exc:
            self.message.setStyleSheet("color: #B03A2E;")
            self.message.setText("\n".join(m.text for m in describe(exc)))
            return False
        self.show_summary(summary)
        return True

    def show_summary(self, summary: DaySummary) -> None:
        self.summary = summary
        self.tables = self._reports.tables(summary, language=current_language())
        notes = list(summary.notes)
        self.message.setStyleSheet("color: #8a5a00;")  # notes are warnings, not errors
        self.message.setText("\n".join(notes))
        share = lambda v: format_cell(v, "share")  # noqa: E731
        self.cards["visits"].setText(str(summary.visits.total))
        self.cards["takings"].setText(format_fen(summary.takings_fen))
        self.cards["business"].setText(format_fen(summary.business_total_fen))
        self.cards["waiting"].setText(share(summary.waiting.within_share))
        self.cards["handling"].setText(share(summary.handling.within_share))
        self.cards["vip"].setText(str(summary.vip_visits))
        self.cards["green"].setText(str(summary.green_visits))
        self.cards["complaints"].setText(str(summary.complaints.overdue))
        self.cards["unsynced"].setText(str(summary.unsynced))
        current = max(0, self.table_list.currentRow())
        self.table_list.blockSignals(True)
        self.table_list.clear()
        for table in self.tables:
            self.table_list.addItem(table.zh if current_language() == "zh" else table.en)
        self.table_list.blockSignals(False)
        self.table_list.setCurrentRow(min(current, len(self.tables) - 1))
        self._show_table(self.table_list.currentRow())

    def _show_table(self, row: int) -> None:
        if 0 <= row < len(self.tables):
            self.model.set_table(self.tables[row])

    def export_to(self, fmt: str, path: Path | str) -> ExportResult | None:
        """Export the chosen period to ``path`` (audited); errors shown on the screen."""
        date_from, date_to, branch = self.period()
        try:
            result = self._reports.export(
                self._staff, date_from, date_to, branch=branch, fmt=fmt, path=path
            )
        except RuleViolation as exc:
            self.message.setStyleSheet("color: #B03A2E;")
            self.message.setText("\n".join(m.text for m in describe(exc)))
            return None
        self.last_export = result
        self.show_summary(result.summary)
        self.message.setStyleSheet("color: #1b6e20;")  # a success is not an error
        self.message.setText(self.tr("已导出：{path}").format(path=result.path))
        return result

    def choose_and_export(self, fmt: str) -> None:
        date_from, date_to, branch = self.period()
        name = f"营业日报_{'全厅' if branch else '本柜台'}_{date_from:%Y%m%d}"
        if date_to != date_from:
            name += f"-{date_to:%Y%m%d}"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("导出营业日报"), f"{name}.{fmt}", f"{fmt.upper()} (*.{fmt})"
        )
        if path:
            self.export_to(fmt, path)

    def day_close_dialog(self) -> DayCloseDialog:
        day = _day_of(self.date_from)
        return DayCloseDialog(
            self._dayclose,
            self._auth,
            self._staff,
            day,
            self,
            documents=self._documents,
            print_folder=self._print_folder,
        )

    def open_day_close(self) -> None:
        """Window-modal, without a nested event loop; the figures refresh after a close."""
        dialog = self.day_close_dialog()

        def closed() -> None:
            self.refresh()
            self.message.setText(dialog.slip_message)
            self.day_closed.emit()

        dialog.accepted.connect(closed)
        dialog.open()

    # -- the audit chain (SPEC §6: a manager can verify and export it) -----------------
    def verify_audit(self) -> bool:
        """Verify the keyed audit chain; the verdict (or what broke) is shown."""
        assert self._audit is not None
        try:
            report = self._audit.verify(self._staff)
        except RuleViolation as exc:
            self.message.setText("\n".join(m.text for m in describe(exc)))
            return False
        if report.intact:
            self.message.setText(f"审计日志完好：共 {report.chain.entries} 条，链条未被改动。")
        else:
            problems = [p.text("zh") for p in report.problems]
            self.message.setText("审计日志有问题，请联系 IT：\n" + "\n".join(problems))
        return report.intact

    def export_audit_to(self, path: Path | str) -> bool:
        assert self._audit is not None
        try:
            done = self._audit.export(self._staff, path)
        except RuleViolation as exc:
            self.message.setText("\n".join(m.text for m in describe(exc)))
            return False
        state = "链条完好" if done.intact else "链条有断点，请联系 IT 核查"
        self.message.setText(f"已导出审计日志 {done.entries} 条：{done.path}（{state}）")
        return True

    def choose_and_export_audit(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "导出审计日志", "审计日志.jsonl", "JSON Lines (*.jsonl)"
        )
        if path:
            self.export_audit_to(path)

    def scans_dialog(self) -> QWidget | None:
        """留存证件: view or export a retained copy, watermarked (managers only)."""
        if self._scans is None or not self._staff.is_manager:
            return None
        from .scans_screen import RetainedScansDialog

        return RetainedScansDialog(self._scans, self._staff, _day_of(self.date_from), self)

    def open_scans(self) -> None:
        dialog = self.scans_dialog()
        if dialog is not None:
            dialog.show()
