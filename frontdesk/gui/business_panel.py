"""Business picker and form: find a business by name, pinyin initials or code, fill it in.

Typing "bk" lists 补(换)卡 first (``Catalogue.search``), Down/Up move in the list,
Enter opens the business's form. With nothing typed the list shows every business,
grouped by the catalogue's categories, the workstation's most-used ones first (and a
常用 group on top). When the initials fit several businesses equally (gh → 过户 and
改号/换号) nothing is pre-chosen: the clerk picks with a digit key or ↓ and Enter.
Submitting puts the business on the slip through ``IntakeService.add_business``;
when the service refuses it, each reason is shown next to its field or above the
form, in the rule's own words. A refusal that only concerns preconditions
(arrears, contract lock, …) can be overridden with a manager's approval
(Ctrl+Shift+A), which the service records on the item.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..core.clock import business_date
from ..core.preconditions import overridable as is_overridable
from ..services.handsets import fill_for_serial
from .authorise import request_approval
from .business_form import BusinessForm
from .context import CounterServices
from .errors import describe
from .handset_fill import HandsetFiller
from .i18n import current_language
from .number_picker import attach_number_pool
from .operations import OperationRunner
from .qt import (
    QApplication,
    QEvent,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QObject,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .widgets import EnterButton, MessageLine, key_hint

if TYPE_CHECKING:
    from ..core.catalogue import Business
    from ..services.auth import Approval, StaffSession
    from ..services.intake import ItemView, VisitView

MAX_RESULTS = 12
FREQUENT = 6
#: The catalogue's categories (``Business.category``) in the order the list shows them.
CATEGORY_ORDER = ("payment", "line", "service", "account", "terminal", "enquiry", "complaint")
HEADER_ROLE = Qt.ItemDataRole.UserRole + 1


class BusinessPanel(QWidget):
    """Emits ``added(ItemView)`` when a business went onto the slip."""

    added = Signal(object)

    def __init__(
        self,
        services: CounterServices,
        runner: OperationRunner,
        session: Callable[[], StaffSession],
        ensure_visit: Callable[[], uuid.UUID | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("BusinessPanel")
        self._services = services
        self._runner = runner
        self._session = session
        self._ensure_visit = ensure_visit
        self._view: VisitView | None = None
        self.form: BusinessForm | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(QLabel(self.tr("<b>办理业务</b>")))
        self.search = QLineEdit()
        self.search.setObjectName("businessSearch")
        self.search.setPlaceholderText(self.tr("业务名称、拼音首字母（如 bk）或编码 (F7)"))
        self.search.installEventFilter(self)
        self._layout.addWidget(self.search)
        self.results = QListWidget()
        self.results.setObjectName("businessResults")
        self.results.itemActivated.connect(lambda _item: self.open_selected())
        self._layout.addWidget(self.results, 1)
        # a long form (a handset sale) scrolls instead of squeezing its hints on a 768 screen
        self.form_scroll = QScrollArea()
        self.form_scroll.setObjectName("formScroll")
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.form_scroll.hide()
        self._layout.addWidget(self.form_scroll, 1)
        QApplication.instance().focusChanged.connect(self._follow_focus)
        self.override_button = EnterButton(key_hint(self.tr("经理授权办理"), "Ctrl+Shift+A"))
        self.override_button.setObjectName("overrideButton")
        self.override_button.hide()
        self.override_button.clicked.connect(self.request_override)
        self._layout.addWidget(self.override_button)
        self.message = MessageLine()
        self.message.setObjectName("businessMessage")
        self._layout.addWidget(self.message)
        self.search.textChanged.connect(self._search)
        self._usage: dict[str, int] = {}
        self._choices: list[str] = []
        self.reload_usage()

    def reload_usage(self) -> None:
        """Re-read how often each business was settled here (most-used first)."""
        self._usage = self._services.intake.business_usage()
        self._search(self.search.text())

    def category_name(self, category: str) -> str:
        names = {
            "payment": self.tr("缴费充值"),
            "line": self.tr("号码与卡"),
            "service": self.tr("套餐与服务"),
            "account": self.tr("账户与过户"),
            "terminal": self.tr("终端销售"),
            "enquiry": self.tr("查询与打印"),
            "complaint": self.tr("咨询投诉"),
        }
        return names.get(category, category)

    # -- search ---------------------------------------------------------------------
    def set_visit(self, view: VisitView | None) -> None:
        self._view = view

    def focus_search(self) -> None:
        self.close_form()
        self.search.setFocus()
        self.search.selectAll()

    def _name(self, b: Business) -> str:
        return b.name_zh if current_language() == "zh" else b.name_en

    def _add_business_row(self, b: Business, prefix: str = "") -> None:
        item = QListWidgetItem(prefix + self._name(b))
        item.setData(Qt.ItemDataRole.UserRole, b.code)
        item.setToolTip(b.code)
        self.results.addItem(item)

    def _add_header(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setData(HEADER_ROLE, True)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        font = item.font()
        font.setBold(True)
        item.setFont(font)
        self.results.addItem(item)

    def _search(self, text: str) -> None:
        self.results.clear()
        self._choices = []
        catalogue = self._services.ws.catalogue
        if not text.strip():
            self._browse()
            return
        tied = catalogue.ambiguous(text)
        if tied:
            self._choices = [b.code for b in tied]
            for number, b in enumerate(tied, start=1):
                self._add_business_row(b, f"{number}  ")
            self.message.show_message(
                self.tr("“{query}”对应 {n} 项业务，请按数字键选择，或 ↓ 选中后按 Enter。").format(
                    query=text.strip(), n=len(tied)
                ),
                "info",
            )
            return  # nothing pre-chosen: Enter alone opens nothing
        if self.message.kind == "info":
            self.message.clear_message()
        for b in catalogue.search(text)[:MAX_RESULTS]:
            self._add_business_row(b)
        if self.results.count():
            self.results.setCurrentRow(0)

    def _browse(self) -> None:
        """Every business by category, the most-used first; a 常用 group on top."""
        catalogue = self._services.ws.catalogue
        order = {b.code: i for i, b in enumerate(catalogue.businesses)}

        def rank(b: Business) -> tuple[int, int]:
            return (-self._usage.get(b.code, 0), order[b.code])

        used = sorted((b for b in catalogue.businesses if self._usage.get(b.code)), key=rank)
        if used:
            self._add_header(self.tr("常用"))
            for b in used[:FREQUENT]:
                self._add_business_row(b)
        categories = [
            c for c in CATEGORY_ORDER if any(b.category == c for b in catalogue.businesses)
        ]
        categories += sorted(
            {b.category for b in catalogue.businesses} - set(CATEGORY_ORDER)
        )  # a category the catalogue adds later still shows
        for category in categories:
            self._add_header(self.category_name(category))
            for b in sorted((b for b in catalogue.businesses if b.category == category), key=rank):
                self._add_business_row(b)
        self._step(+1, start=-1)

    def _is_header(self, row: int) -> bool:
        item = self.results.item(row)
        return item is not None and bool(item.data(HEADER_ROLE))

    def _step(self, direction: int, start: int | None = None) -> None:
        """Move the selection by one business, over the category headings."""
        row = self.results.currentRow() if start is None else start
        row += direction
        while 0 <= row < self.results.count() and self._is_header(row):
            row += direction
        if 0 <= row < self.results.count():
            self.results.setCurrentRow(row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._step(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                for _ in range(8):
                    self._step(1 if key == Qt.Key.Key_PageDown else -1)
                return True
            digit = int(key) - int(Qt.Key.Key_1)
            if self._choices and 0 <= digit < len(self._choices):
                self.results.setCurrentRow(digit)
                self.open_selected()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_selected()
                return True
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
        return False

    def open_selected(self) -> None:
        item = self.results.currentItem()
        if item is None and self._choices:
            self.message.show_error(self.tr("有多项业务相符，请先按数字键或 ↓ 选择要办理的业务。"))
            return
        if item is None or self._is_header(self.results.currentRow()):
            self.message.show_error(
                self.tr("没有找到相符的业务，请换个名称、拼音首字母或编码再试。")
            )
            return
        self.open_form(self._services.ws.catalogue.business(item.data(Qt.ItemDataRole.UserRole)))

    # -- form -----------------------------------------------------------------------
    def open_code(self, code: str) -> None:
        """A business opened by its key (Ctrl+U: 话费充值), without the search: the form
        starts on the customer's own line like any form, focus on what is still empty."""
        business = self._services.ws.catalogue.find(code)
        if business is not None:
            self.open_form(business)

    def open_form(self, business: Business) -> None:
        self.close_form()
        view = self._view
        today = business_date(self._services.ws.clock.now())
        self.form = BusinessForm(
            business,
            lines=view.lines if view else (),
            customer_name=view.customer_name if view else None,
            today=today,
            plan_kinds={p.code: p.kind for p in self._services.ws.catalogue.plans},
            contact_phone=view.contact_phone if view else None,
            contact_address=view.contact_address if view else None,
        )
        self.form.serial_scanned = HandsetFiller(
            lambda serial, c=business.code: fill_for_serial(self._services.ws.catalogue, c, serial)
        )
        self.form.submitted.connect(self.submit)
        self.form.cancelled.connect(self.focus_search)
        attach_number_pool(self.form, self._services.ws)  # 入网: the number from the pool
        self.form_scroll.setWidget(self.form)
        self.form_scroll.show()
        self.results.hide()
        self.message.clear_message()
        self.form.focus_first()

    def _follow_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Keep the input with the focus in view when Enter moves down a long form."""
        form = self.form
        if form is not None and new is not None and form.isAncestorOf(new):
            self.form_scroll.ensureWidgetVisible(new)

    def close_form(self) -> None:
        if self.form is not None:
            self.form_scroll.takeWidget()
            self.form_scroll.hide()
            self.form.hide()
            self.form.deleteLater()
            self.form = None
        self.override_button.hide()
        self.results.show()

    def submit(self, override: Approval | None = None) -> None:
        form = self.form
        if form is None or not self._runner.idle:
            return
        if not form.check_all():
            form.message.show_error(self.tr("请先更正标红的项目。"))
            form.focus_first()
            return
        visit = self._ensure_visit()
        if visit is None:
            return
        code, values, number = form.business.code, form.values(), form.service_number()
        self._runner.run(
            lambda: self._services.intake.add_business(
                self._session(), visit, code, values, service_number=number, override=override
            ),
            self._added,
            self._refused,
            background=False,
        )

    def _added(self, item: ItemView) -> None:
        name = item.business_name_en if current_language() != "zh" else item.business_name
        self.close_form()
        self.search.clear()
        text = self.tr("“{name}”已加入受理单。").format(name=name)
        if item.warnings:
            sep = "；" if current_language() == "zh" else "; "
            text += " " + sep.join(p.text() for p in item.warnings)
        self.message.show_ok(text)
        self.added.emit(item)

    def _refused(self, exc: BaseException) -> None:
        messages = describe(exc)
        if self.form is not None:
            self.form.show_problems(messages)
        codes = [p.code for p in getattr(exc, "problems", ())]
        # only a commercial precondition may be authorised past; a legal limit never
        overridable = bool(codes) and all(is_overridable(c) for c in codes)
        self.override_button.setVisible(overridable)
        if overridable:
            self.message.show_message(
                self.tr("如确需办理，可请值班经理授权（Ctrl+Shift+A）；授权将记录在受理单上。"),
                "warning",
            )
        else:
            self.message.clear_message()

    def request_override(self) -> None:
        if self.form is None or not self.override_button.isVisible():
            return
        request_approval(
            self,
            self._services.auth,
            self._session(),
            lambda approval: self.submit(override=approval),
            action="precondition_override",
            binding={"visit_id": self._ensure_visit(), "subject": self.form.business.code},
            title=self.tr("越过办理条件：{name}").format(name=self.form.business.name_zh),
            explanation=self.form.message.text(),
        )
