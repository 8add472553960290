"""After-sales look-up (售后 / 三包查询): what was sold, when, to whom, what is covered today.

A window of its own because after-sales customers come back weeks or months after the
sale with only the phone or its box: the clerk scans the IMEI (a keyboard-wedge scanner
types it and presses Enter) or types the phone, slip or card number, and sees at once
whether the 7-day return and 15-day exchange windows (both from the sale day, day 0) are
open and which parts are still under 三包 — the visit flow of the counter window is for
selling, not for this.

Everything shown comes from :meth:`WarrantyService.lookup` (the customer is masked
there); each action is one service call — 送修/取机/备机 through ``record_event``, 退货
with a manager's approval through ``return_device``, 换货 through ``exchange_device``,
补打 through :meth:`DocumentService.reprint` — after which the card is looked up again,
so the window never shows a state the database doesn't hold. Whether an action is
offered follows the flags the service computed (``can_return`` …); the service still
decides, and its refusal is shown beside the action, never as a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..core.money import format_fen
from ..services.warranty import CardView, WarrantyService
from .aftersales_actions import AfterSalesActions
from .aftersales_parts import (
    ACTIONS,
    ActionForm,
    CardsModel,
    PartsModel,
    event_text,
    status_summary,
)
from .i18n import current_language, translate
from .operations import OperationRunner
from .qt import (
    QAbstractItemView,
    QEvent,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QListWidget,
    QObject,
    QSplitter,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .widgets import CounterDialog, EnterButton, MessageLine, key_hint, shortcut

if TYPE_CHECKING:
    from ..services.auth import StaffSession
    from .context import CounterServices

__all__ = ["AfterSalesWindow", "CardsModel", "PartsModel", "open_aftersales", "status_summary"]

CONTEXT = "AfterSalesWindow"


def _t(text: str) -> str:
    return translate(CONTEXT, text)


# -- the window ----------------------------------------------------------------------------
class AfterSalesWindow(AfterSalesActions, CounterDialog):
    """Look up warranty cards and record 三包 service against them, keyboard first."""

    changed = Signal(str)  # card no. after an action was recorded

    def __init__(
        self,
        services: CounterServices,
        staff: StaffSession,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("AfterSalesWindow")
        self.setWindowTitle(self.tr("售后三包查询"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setModal(False)
        self._services = services
        self._staff = staff
        self._warranty = WarrantyService(services.ws)
        self.runner = OperationRunner(self)
        self.last_key = ""
        self.last_refund_slip_no = ""
        self.last_new_card_no = ""
        catalogue = services.ws.catalogue

        def part_name(part: str) -> str:
            try:
                period = catalogue.warranty_period(part)
            except KeyError:
                return part
            return period.name_zh if current_language() == "zh" else period.name_en

        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("查询")))
        self.search = QLineEdit()
        self.search.setObjectName("aftersalesSearch")
        self.search.setPlaceholderText(
            self.tr("扫描或输入 IMEI / S/N、客户手机号、受理单号或保修卡号，按 Enter 查询")
        )
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        row.addWidget(self.search, 1)
        self.search_button = EnterButton(self.tr("查询 (Enter)"))
        self.search_button.setObjectName("searchButton")
        row.addWidget(self.search_button)
        layout.addLayout(row)
        self.message = MessageLine()
        self.message.setObjectName("aftersalesMessage")
        layout.addWidget(self.message)

        splitter = QSplitter(Qt.Orientation.Vertical)
        self.cards = CardsModel(self)
        self.table = QTableView()
        self.table.setObjectName("cardsTable")
        self.table.setModel(self.cards)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        splitter.addWidget(self.table)

        details = QWidget()
        details_row = QHBoxLayout(details)
        details_row.setContentsMargins(0, 0, 0, 0)
        facts_box = QGroupBox(self.tr("保修卡"))
        facts_box.setObjectName("cardFacts")
        self.facts_form = QFormLayout(facts_box)
        self.facts: dict[str, QLabel] = {}
        for name, label in (
            ("card", self.tr("保修卡号")),
            ("sale", self.tr("销售")),
            ("device", self.tr("机器")),
            ("customer", self.tr("客户")),
            ("return_window", self.tr("7 天退货")),
            ("exchange_window", self.tr("15 天换货")),
            ("replacement", self.tr("换机条件")),
            ("repair", self.tr("维修")),
            ("loan", self.tr("备机")),
        ):
            value = QLabel()
            value.setObjectName(f"fact_{name}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts[name] = value
            self.facts_form.addRow(label, value)
        details_row.addWidget(facts_box, 3)
        right = QVBoxLayout()
        self.parts = PartsModel(part_name, self)
        self.parts_table = QTableView()
        self.parts_table.setObjectName("partsTable")
        self.parts_table.setModel(self.parts)
        self.parts_table.verticalHeader().hide()
        self.parts_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.parts_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.parts_table.horizontalHeader().setStretchLastSection(True)
        self.parts_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        right.addWidget(QLabel(self.tr("三包部件（维修天数已顺延）")))
        right.addWidget(self.parts_table, 2)
        right.addWidget(QLabel(self.tr("三包记录")))
        self.history = QListWidget()
        self.history.setObjectName("history")
        self.history.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        right.addWidget(self.history, 1)
        details_row.addLayout(right, 4)
        splitter.addWidget(details)
        splitter.setSizes([180, 360])
        layout.addWidget(splitter, 1)

        self.action_form = ActionForm(self)
        layout.addWidget(self.action_form)
        buttons = QHBoxLayout()
        self.action_buttons: dict[str, EnterButton] = {}
        for spec in ACTIONS:
            button = EnterButton(key_hint(_t(spec.title), spec.keys))
            button.setObjectName(f"action_{spec.name}_button")
            button.clicked.connect(lambda _c=False, n=spec.name: self.start_action(n))
            self.action_buttons[spec.name] = button
            buttons.addWidget(button)
            shortcut(self, spec.keys, lambda n=spec.name: self.start_action(n))
        buttons.addStretch(1)
        self.close_button = EnterButton(self.tr("关闭 (Esc)"))
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        shortcut(self, "Ctrl+F", self.focus_search)

        self.search.returnPressed.connect(self.lookup)
        self.search_button.clicked.connect(self.lookup)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_current())
        self.action_form.submitted.connect(self._submit)
        self.action_form.cancelled.connect(self._cancel_action)
        self.runner.failed.connect(self.message.show_exception)
        self.resize(1180, 760)
        self._show_current()
        self.search.setFocus()

    # -- look-up --------------------------------------------------------------------------
    @property
    def current(self) -> CardView | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.cards.rowCount():
            return None
        card: CardView = self.cards.row(index.row())
        return card

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def lookup(
        self,
        key: str | None = None,
        select: str | None = None,
        then: Callable[[], None] | None = None,
    ) -> None:
        """Look the key up (a scanned serial, phone, slip or card no.) and show the cards.

        ``select`` is the card to show; ``then`` runs once the rows are in the table.
        """
        text = self.search.text() if key is None else key
        if not text.strip():
            self.message.show_error(self.tr("请扫描或输入串号、手机号、受理单号或保修卡号。"))
            self.focus_search()
            return
        self.last_key = text.strip()
        self.runner.run(
            lambda: self._warranty.lookup(self._staff, text),
            lambda views: self._found(views, select, then),
            self._lookup_failed,
        )

    def refresh(self, select: str | None = None, then: Callable[[], None] | None = None) -> None:
        """Look the last key up again after an action, keeping the card in view."""
        current = self.current
        self.lookup(self.last_key, select or (current.card_no if current else None), then)

    def _found(
        self, views: list[CardView], select: str | None, then: Callable[[], None] | None
    ) -> None:
        self.cards.set_rows(views)
        if not views:
            self.message.show_error(
                self.tr(
                    "没有找到“{key}”的保修卡。请核对串号（机身或包装盒上的条码）或客户手机号。"
                ).format(key=self.last_key)
            )
        elif self.message.kind != "ok":
            self.message.show_message(
                self.tr("找到 {n} 张保修卡；↑/↓ 选择，F2–F7、Ctrl+P 办理。").format(n=len(views)),
                "info",
            )
        row = self.cards.find(select) if select else -1
        if views:
            self.table.selectRow(max(row, 0))
        self._show_current()
        if not self.action_form.isVisible():
            self.focus_search()
        if then is not None:
            then()

    def _lookup_failed(self, exc: BaseException) -> None:
        self.message.show_exception(exc)
        self.focus_search()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """↑/↓ in the search box choose the card, so the hands stay where the scanner types."""
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
            and self.cards.rowCount()
        ):
            row = self.table.currentIndex().row()
            row += 1 if event.key() == Qt.Key.Key_Down else -1
            self.table.selectRow(min(max(row, 0), self.cards.rowCount() - 1))
            return True
        return super().eventFilter(watched, event)

    # -- the selected card --------------------------------------------------------------
    def _show_current(self) -> None:
        view = self.current
        for label in self.facts.values():
            label.setText("—" if view is None else "")
            label.setStyleSheet("")
        self.parts.set_rows(view.status.parts if view else [])
        self.history.clear()
        for spec in ACTIONS:
            self.action_buttons[spec.name].setEnabled(
                view is not None and not self._why_not(spec.name, view)
            )
        if view is None:
            return
        status = view.status
        doc = (
            self.tr("发票 {no}").format(no=view.invoice_no)
            if view.invoice_no
            else self.tr("入网协议 {no}").format(no=view.agreement_no or "—")
        )
        card_text = f"<b>{view.card_no}</b>　" + self.tr("受理单 {slip}").format(
            slip=view.slip_no or "—"
        )
        if view.exchanged_from:
            card_text += "　" + self.tr("换货新发，原保修卡 {old}").format(old=view.exchanged_from)
        self.facts["card"].setText(card_text)
        self.facts["sale"].setText(
            self.tr("{date}（销售后第 {days} 天）　{amount}　{doc}").format(
                date=view.sale_date.isoformat(),
                days=status.days_since_sale,
                amount=format_fen(view.amount_fen),
                doc=doc,
            )
        )
        self.facts["device"].setText(
            f"{view.brand} {view.model}　{view.serial_kind.upper()} {view.serial}"
        )
        self.facts["customer"].setText(f"{view.customer_name_masked}　{view.customer_phone_masked}")
        closed = self._closed_text(view)
        catalogue = self._services.ws.catalogue
        self._flag(
            "return_window",
            status.can_return,
            closed,
            self.tr("不可办理（限销售后 {n} 天内）").format(n=catalogue.return_days),
        )
        self._flag(
            "exchange_window",
            status.can_exchange,
            closed,
            self.tr("不可办理（限销售后 {n} 天内，或符合换机条件）").format(
                n=catalogue.exchange_days
            ),
        )
        if status.replacement_due:
            self._set(
                "replacement", self.tr("已满足（两次维修未修复或维修超过 60 天），可换机"), "ok"
            )
        else:
            self._set(
                "replacement",
                self.tr("未满足（未修复 {n} 次，最长维修 {days} 天）").format(
                    n=status.failed_repairs, days=status.longest_repair_days
                ),
            )
        if status.in_repair_since is not None:
            self._set(
                "repair",
                self.tr("维修中：{since} 送修；累计维修 {days} 天（保修期顺延）").format(
                    since=status.in_repair_since.isoformat(), days=status.repair_days
                ),
                "warning",
            )
        else:
            self._set(
                "repair",
                self.tr("不在维修中；累计维修 {days} 天").format(days=status.repair_days),
            )
        if status.loan_phone_out is not None:
            self._set(
                "loan",
                self.tr("已借出备机 {serial}，未归还").format(serial=status.loan_phone_out),
                "warning",
            )
        else:
            self._set("loan", self.tr("无借出"))
        for event in view.history:
            self.history.addItem(event_text(event))

    def _closed_text(self, view: CardView) -> str:
        if view.status.closed_by == "returned":
            return self.tr("已退货，保修卡已关闭")
        if view.status.closed_by == "exchanged":
            return self.tr("已换货，保修卡已关闭")
        if view.status.closed_by == "voided":
            return self.tr("销售已作废，保修卡已关闭")
        return ""

    def _flag(self, name: str, is_open: bool, closed: str, not_open: str) -> None:
        if closed:
            self._set(name, closed, "error")
        elif is_open:
            self._set(name, self.tr("可办理"), "ok")
        else:
            self._set(name, not_open, "error")

    def _set(self, name: str, text: str, kind: str = "") -> None:
        colour = {"ok": "#1b6e20", "error": "#b3261e", "warning": "#8a5a00"}.get(kind)
        self.facts[name].setText(text)
        self.facts[name].setStyleSheet(f"color: {colour}; font-weight: bold;" if colour else "")

    # -- actions --------------------------------------------------------------------------
    def _why_not(self, action: str, view: CardView) -> str:
        """Why the service would refuse ``action`` now, from the flags it computed."""
        status = view.status
        closed = self._closed_text(view)
        if action == "reprint":
            return closed if status.closed_by in ("returned", "voided") else ""
        if closed:
            return self.tr("{closed}，不能再办理三包服务。").format(closed=closed)
        catalogue = self._services.ws.catalogue
        if action == "repair_in" and status.in_repair_since is not None:
            return self.tr("该机已在维修中（{since} 送修），请先登记取机（F3）。").format(
                since=status.in_repair_since.isoformat()
            )
        if action == "repair_out" and status.in_repair_since is None:
            return self.tr("该机目前没有在修记录，不能登记取机。")
        if action == "loan_back" and status.loan_phone_out is None:
            return self.tr("该保修卡没有未归还的备机。")
        if action == "return" and not status.can_return:
            return self.tr(
                "已超过 {n} 天退货期（今天是销售后第 {days} 天），不能退货；可按规定换货或维修。"
            ).format(n=catalogue.return_days, days=status.days_since_sale)
        if action == "exchange" and not status.can_exchange:
            return self.tr(
                "换货须在销售后 {n} 天内办理（销售当日不计入；或两次维修未修复、维修超过 60 天）；"
                "今天是第 {days} 天。"
            ).format(n=catalogue.exchange_days, days=status.days_since_sale)
        return ""

    def reject(self) -> None:
        """Esc backs out of an open action first; a second Esc closes the window."""
        if self.action_form.isVisible():
            self._cancel_action()
            return
        super().reject()


def open_aftersales(
    parent: QWidget, services: CounterServices, staff: StaffSession
) -> AfterSalesWindow:
    """Show the after-sales window of ``parent`` (one per counter window), search focused."""
    window = parent.findChild(AfterSalesWindow, "AfterSalesWindow")
    if window is None:
        window = AfterSalesWindow(services, staff, parent)
    window.show()
    window.raise_()
    window.activateWindow()
    window.focus_search()
    # after the key that opened it has finished travelling: the scanner types here first
    QTimer.singleShot(0, window.focus_search)
    return window
