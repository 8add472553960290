"""Business picker and form: find a business by name, pinyin initials or code, fill it in.

Typing "bk" lists 补(换)卡 first (``Catalogue.search``), Down/Up move in the list,
Enter opens the business's form. Submitting puts the business on the slip through
``IntakeService.add_business``; when the service refuses it, each reason is shown
next to its field or above the form, in the rule's own words. A refusal that only
concerns preconditions (arrears, contract lock, …) can be overridden with a
manager's approval (Ctrl+Shift+A), which the service records on the item.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..core.clock import business_date
from ..core.preconditions import overridable as is_overridable
from .authorise import request_approval
from .business_form import BusinessForm
from .context import CounterServices
from .errors import describe
from .i18n import current_language
from .operations import OperationRunner
from .qt import (
    QEvent,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QObject,
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
        self.form_host = QVBoxLayout()
        self.form_host.addStretch(1)  # the form sits at the top when the list is hidden
        self._layout.addLayout(self.form_host, 1)
        self.override_button = EnterButton(key_hint(self.tr("经理授权办理"), "Ctrl+Shift+A"))
        self.override_button.setObjectName("overrideButton")
        self.override_button.hide()
        self.override_button.clicked.connect(self.request_override)
        self._layout.addWidget(self.override_button)
        self.message = MessageLine()
        self.message.setObjectName("businessMessage")
        self._layout.addWidget(self.message)
        self.search.textChanged.connect(self._search)
        self._search("")

    # -- search ---------------------------------------------------------------------
    def set_visit(self, view: VisitView | None) -> None:
        self._view = view

    def focus_search(self) -> None:
        self.close_form()
        self.search.setFocus()
        self.search.selectAll()

    def _search(self, text: str) -> None:
        self.results.clear()
        zh = current_language() == "zh"
        for b in self._services.ws.catalogue.search(text)[:MAX_RESULTS]:
            item = QListWidgetItem(f"{b.name_zh if zh else b.name_en}    {b.code}")
            item.setData(Qt.ItemDataRole.UserRole, b.code)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                row = self.results.currentRow() + (1 if key == Qt.Key.Key_Down else -1)
                self.results.setCurrentRow(max(0, min(row, self.results.count() - 1)))
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
        if item is None:
            self.message.show_error(
                self.tr("没有找到相符的业务，请换个名称、拼音首字母或编码再试。")
            )
            return
        self.open_form(self._services.ws.catalogue.business(item.data(Qt.ItemDataRole.UserRole)))

    # -- form -----------------------------------------------------------------------
    def open_form(self, business: Business) -> None:
        self.close_form()
        view = self._view
        today = business_date(self._services.ws.clock.now())
        self.form = BusinessForm(
            business,
            lines=view.lines if view else (),
            customer_name=view.customer_name if view else None,
            today=today,
        )
        self.form.submitted.connect(self.submit)
        self.form.cancelled.connect(self.focus_search)
        self.form_host.insertWidget(0, self.form)
        self.results.hide()
        self.message.clear_message()
        self.form.focus_first()

    def close_form(self) -> None:
        if self.form is not None:
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
        name = item.business_name
        self.close_form()
        self.search.clear()
        text = self.tr("“{name}”已加入受理单。").format(name=name)
        if item.warnings:
            text += " " + "；".join(p.text() for p in item.warnings)
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
