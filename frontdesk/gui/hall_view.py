"""The manager's hall view (大厅监控): waiting by line, the oldest wait, counters, complaints.

Reads one :class:`~frontdesk.services.queue.HallSnapshot` from the queue backend (the
host's own queue or the LAN host) and, when given a complaint service, the complaints
that are overdue or due within the next hours (每诉必录: nothing is left to go stale).
Refreshes on a timer off the GUI thread, so a slow LAN never freezes the window; a
host that can't be reached is a message, not an error dialog.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..core.clock import local_time
from ..core.queue import sla_state
from ..services.complaints import STATUS_ZH as COMPLAINT_STATUS
from .i18n import current_language
from .operations import OperationRunner
from .qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QColor,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QModelIndex,
    QPersistentModelIndex,
    QPushButton,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from .widgets import MessageLine, shortcut

if TYPE_CHECKING:
    from ..core.catalogue import Catalogue
    from ..services.complaints import ComplaintService, ComplaintView
    from ..services.queue import HallSnapshot, QueueBackend

SLA_COLOURS = {"ok": "#1b6e20", "near": "#b26a00", "over": "#b3261e", "idle": "#555555"}
REFRESH_MS = 5000
NEAR_DUE = dt.timedelta(hours=8)

Cell = tuple[str, str | None]  # text, colour (None = default)


def mmss(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class RowsModel(QAbstractTableModel):
    """A read-only table of text cells, each with an optional colour."""

    def __init__(self, headers: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._rows: list[list[Cell]] = []

    def set_rows(self, rows: Sequence[Sequence[Cell]]) -> None:
        self.beginResetModel()
        self._rows = [list(r) for r in rows]
        self.endResetModel()

    def text(self, row: int, column: int) -> str:
        return self._rows[row][column][0]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        text, colour = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.ForegroundRole and colour:
            return QColor(colour)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None


def table(model: RowsModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    view.verticalHeader().hide()
    # each column as wide as its header and cells ("Service line" is never cut short)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def line_rows(hall: HallSnapshot) -> list[list[Cell]]:
    rows = []
    for line in hall.lines:
        waits = [t for t in hall.waiting if t.service_line == line.line]
        oldest = max(waits, key=lambda t: t.waited_seconds(hall.at), default=None)
        state = (
            sla_state(oldest.waited_seconds(hall.at), oldest.waiting_limit_seconds)
            if oldest
            else "idle"
        )
        rows.append(
            [
                (
                    f"{line.line} {line.name_zh if current_language() == 'zh' else line.name_en}",
                    None,
                ),
                (str(line.waiting), None),
                (mmss(line.oldest_wait_seconds) if line.waiting else "--:--", SLA_COLOURS[state]),
                (str(line.near_limit), SLA_COLOURS["near"] if line.near_limit else None),
                (str(line.over_limit), SLA_COLOURS["over"] if line.over_limit else None),
            ]
        )
    return rows


class HallView(QWidget):
    """The hall at a glance for the duty manager (值班经理)."""

    def __init__(
        self,
        backend: QueueBackend,
        now: Callable[[], dt.datetime],
        complaints: ComplaintService | None = None,
        runner: OperationRunner | None = None,
        parent: QWidget | None = None,
        *,
        catalogue: Catalogue | None = None,
        auto_refresh: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("HallView")
        zh = current_language() == "zh"
        self._tier_names = (
            {t.code: t.name_zh if zh else t.name_en for t in catalogue.tiers} if catalogue else {}
        )
        self.setWindowTitle(self.tr("大厅监控"))
        self._backend = backend
        self._now = now
        self._complaints = complaints
        self.runner = runner or OperationRunner(self)
        self.hall: HallSnapshot | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setObjectName("hallSummary")
        self.summary.setStyleSheet("font-size: 16px; font-weight: bold;")
        top.addWidget(self.summary, 1)
        self.refresh_button = QPushButton(self.tr("刷新 (F5)"))
        self.refresh_button.setObjectName("refreshButton")
        self.refresh_button.clicked.connect(self.refresh)
        shortcut(self, "F5", self.refresh)
        shortcut(self, "Esc", self.close)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)
        self.message = MessageLine()
        layout.addWidget(self.message)

        self.lines_model = RowsModel(
            [
                self.tr("业务类别"),
                self.tr("等候人数"),
                self.tr("最久等候"),
                self.tr("临近"),
                self.tr("超时"),
            ]
        )
        self.counters_model = RowsModel(
            [
                self.tr("窗口"),
                self.tr("状态"),
                self.tr("当前票号"),
                self.tr("已用时"),
                self.tr("今日已办"),
            ]
        )
        self.waiting_model = RowsModel(
            [self.tr("票号"), self.tr("级别"), self.tr("已等候"), self.tr("时限")]
        )
        row = QHBoxLayout()
        for title, model, name in (
            (self.tr("各类等候"), self.lines_model, "linesTable"),
            (self.tr("窗口状态"), self.counters_model, "countersTable"),
            (self.tr("叫号顺序"), self.waiting_model, "waitingTable"),
        ):
            box = QGroupBox(title)
            inner = QVBoxLayout(box)
            inner.addWidget(table(model, name))
            row.addWidget(box)
        layout.addLayout(row, 2)

        self.complaints_model = RowsModel(
            [
                self.tr("投诉单号"),
                self.tr("类别"),
                self.tr("首问负责人"),
                self.tr("状态"),
                self.tr("时限"),
                self.tr("剩余"),
            ]
        )
        self.complaints_box = QGroupBox(self.tr("超时及临近时限的投诉"))
        inner = QVBoxLayout(self.complaints_box)
        complaints_table = table(self.complaints_model, "complaintsTable")
        complaints_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        inner.addWidget(complaints_table)
        self.complaints_box.setVisible(complaints is not None)
        layout.addWidget(self.complaints_box, 1)

        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        if auto_refresh:
            self._timer.start()
        self.refresh()

    def refresh(self) -> None:
        """Fetch the hall (and complaints) off the GUI thread, then show them."""

        def fetch() -> tuple[HallSnapshot, list[ComplaintView], list[ComplaintView]]:
            hall = self._backend.hall_snapshot()
            if self._complaints is None:
                return hall, [], []
            now = self._now()
            return hall, self._complaints.overdue(now), self._complaints.near_due(now, NEAR_DUE)

        self.runner.run(fetch, self._show, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.message.show_exception(exc)

    def _show(self, result: tuple[HallSnapshot, list[Any], list[Any]]) -> None:
        hall, overdue, near = result
        self.hall = hall
        self.message.clear_message()
        busy = sum(1 for c in hall.counters if c.busy)
        self.summary.setText(
            self.tr(
                "{time}　等候 {waiting} 人　最久 {oldest}　窗口 忙 {busy} / 闲 {idle}　"
                "今日取号 {issued}，已办 {done}，过号 {no_show}"
            ).format(
                time=local_time(hall.at).strftime("%H:%M"),
                waiting=hall.waiting_total,
                oldest=mmss(hall.oldest_wait_seconds),
                busy=busy,
                idle=len(hall.counters) - busy,
                issued=hall.issued_today,
                done=hall.done_today,
                no_show=hall.no_show_today,
            )
        )
        self.lines_model.set_rows(line_rows(hall))
        self.counters_model.set_rows(
            [
                [
                    (c.counter, None),
                    (self.tr("办理中") if c.status == "serving" else self.tr("已叫号"), "#b26a00")
                    if c.busy
                    else (self.tr("空闲"), "#1b6e20"),
                    (c.ticket_no or "", None),
                    (mmss((hall.at - c.since).total_seconds()) if c.since else "", None),
                    (str(c.served_today), None),
                ]
                for c in hall.counters
            ]
        )
        self.waiting_model.set_rows(
            [
                [
                    (t.ticket_no, None),
                    (self._tier_names.get(t.tier, t.tier), None),
                    (
                        mmss(t.waited_seconds(hall.at)),
                        SLA_COLOURS[sla_state(t.waited_seconds(hall.at), t.waiting_limit_seconds)],
                    ),
                    (f"{t.waiting_limit_seconds // 60} min", None),
                ]
                for t in hall.waiting
            ]
        )
        now = hall.at
        rows = []
        for c, colour in [(c, SLA_COLOURS["over"]) for c in overdue] + [
            (c, SLA_COLOURS["near"]) for c in near
        ]:
            left = c.time_left(now)
            sign = "-" if left.total_seconds() < 0 else ""
            hours, rest = divmod(abs(int(left.total_seconds())), 3600)
            rows.append(
                [
                    (c.complaint_no, colour),
                    (c.category_name, None),
                    (c.first_responsible_name, None),
                    (COMPLAINT_STATUS.get(c.status, c.status), None),
                    (local_time(c.deadline_at).strftime("%m-%d %H:%M"), colour),
                    (f"{sign}{hours}h{rest // 60:02d}m", colour),
                ]
            )
        self.complaints_model.set_rows(rows)
        self.complaints_box.setTitle(
            self.tr("超时及临近时限的投诉（超时 {overdue}，{hours} 小时内到期 {near}）").format(
                overdue=len(overdue), near=len(near), hours=int(NEAR_DUE.total_seconds() // 3600)
            )
        )
