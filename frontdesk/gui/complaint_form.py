"""The complaint form (投诉登记, 每诉必录 / 首问负责): record, and settle or escalate it.

One dialog for what the clerk does when a customer complains: pick the category (its
time limit from the catalogue is shown at once, computed with working days and
holidays), confirm who the customer is (taken from the current visit when there is
one), write what happened, and choose how it goes on:

- 登记待处理 — recorded; it stays on the manager's list until closed;
- 当场解决 — recorded and closed with the answer given to the customer;
- 升级总部工单 — recorded and sent to head office as a work order.

The clerk who records it is its first-responsible (首问负责人). Messages name the
field and the rule; nothing typed is lost when a rule refuses it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.clock import local_time
from .i18n import current_language
from .qt import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from .widgets import CounterDialog, MessageLine, shortcut

if TYPE_CHECKING:
    import uuid

    from ..services.auth import StaffSession
    from ..services.complaints import ComplaintService, ComplaintView

MODES = ("record", "solve", "escalate")
INVALID_STYLE = "border: 1px solid #b3261e;"


class ComplaintDialog(CounterDialog):
    """``result_view`` holds the recorded complaint after a successful save."""

    def __init__(
        self,
        service: ComplaintService,
        staff: StaffSession,
        *,
        visit_id: uuid.UUID | None = None,
        customer_name: str = "",
        contact_phone: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ComplaintDialog")
        self.setWindowTitle(self.tr("投诉登记（每诉必录）"))
        self.setMinimumWidth(560)
        self._service = service
        self._staff = staff
        self._visit_id = visit_id
        self.result_view: ComplaintView | None = None

        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.category = QComboBox()
        self.category.setObjectName("category")
        for rule in service.categories():
            self.category.addItem(
                rule.name_zh if current_language() == "zh" else rule.name_en, rule.category
            )
        form.addRow(self.tr("投诉类别"), self.category)
        self.area = QComboBox()
        self.area.setObjectName("area")
        self.area.addItem(self.tr("城区"), "city")
        self.area.addItem(self.tr("郊县 / 农村"), "suburb")
        form.addRow(self.tr("所在区域"), self.area)
        self.deadline = QLabel()
        self.deadline.setObjectName("deadline")
        self.deadline.setStyleSheet("font-weight: bold; color: #0b57d0;")
        form.addRow(self.tr("处理时限"), self.deadline)
        self.customer = QLineEdit(customer_name)
        self.customer.setObjectName("customerName")
        form.addRow(self.tr("客户姓名"), self.customer)
        self.phone = QLineEdit(contact_phone)
        self.phone.setObjectName("contactPhone")
        form.addRow(self.tr("联系电话"), self.phone)
        if visit_id is not None:
            hint = QLabel(self.tr("客户信息将从当前接待带入（如已读取证件）。"))
            hint.setStyleSheet("color: #555555;")
            form.addRow("", hint)
        self.description = QPlainTextEdit()
        self.description.setObjectName("description")
        self.description.setPlaceholderText(self.tr("客户反映的问题、时间、地点、涉及号码等"))
        self.description.setTabChangesFocus(True)
        form.addRow(self.tr("投诉内容"), self.description)
        self.mode = QComboBox()
        self.mode.setObjectName("mode")
        self.mode.addItem(self.tr("登记待处理"), "record")
        self.mode.addItem(self.tr("当场解决（填写答复）"), "solve")
        self.mode.addItem(self.tr("升级总部工单（填写说明）"), "escalate")
        form.addRow(self.tr("处理方式"), self.mode)
        self.follow_up = QPlainTextEdit()
        self.follow_up.setObjectName("followUp")
        self.follow_up.setTabChangesFocus(True)
        self.follow_up.setMaximumHeight(80)
        form.addRow(self.tr("答复 / 说明"), self.follow_up)
        form.addRow(self.tr("首问负责人"), QLabel(staff.display_name))
        layout.addLayout(form)
        self.message = MessageLine()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.save_button = QPushButton(self.tr("保存 (Ctrl+S)"))
        self.save_button.setObjectName("saveComplaint")
        self.save_button.setAutoDefault(False)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("取消 (Esc)"))
        cancel.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        shortcut(self, "Ctrl+S", self.save)
        layout.addWidget(buttons)
        self._fields = {
            "complaint_category": self.category,
            "complaint_area": self.area,
            "complaint_customer": self.customer,
            "complaint_phone": self.phone,
            "complaint_description": self.description,
            "complaint_answer": self.follow_up,
            "complaint_note": self.follow_up,
        }
        self.category.currentIndexChanged.connect(self._rule_changed)
        self.area.currentIndexChanged.connect(self.update_deadline)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self._rule_changed()
        self._mode_changed()
        self.category.setFocus()

    # -- live hints -----------------------------------------------------------------
    def _rule(self):
        code = self.category.currentData()
        return next((r for r in self._service.categories() if r.category == code), None)

    def _rule_changed(self) -> None:
        rule = self._rule()
        has_suburb = bool(rule and rule.deadline.value_suburb)
        self.area.setEnabled(has_suburb)
        if not has_suburb:
            self.area.setCurrentIndex(0)
        self.update_deadline()

    def update_deadline(self) -> None:
        rule = self._rule()
        if rule is None:
            self.deadline.setText("")
            return
        due = self._service.preview_deadline(rule.category, self.area.currentData())
        zh = current_language() == "zh"
        text = rule.note_zh if zh else rule.note_en
        note = (f"（{text}）" if zh else f" ({text})") if text else ""
        self.deadline.setText(
            self.tr("{due} 前{note}").format(
                due=local_time(due).strftime("%Y-%m-%d %H:%M"), note=note
            )
        )

    def _mode_changed(self) -> None:
        mode = self.mode.currentData()
        self.follow_up.setEnabled(mode != "record")
        self.follow_up.setPlaceholderText(
            {
                "record": self.tr("（登记后由首问负责人跟进）"),
                "solve": self.tr("已给客户的答复及处理结果"),
                "escalate": self.tr("需要总部处理的原因及已做的核查"),
            }[mode]
        )

    # -- saving ---------------------------------------------------------------------
    def _mark(self, fields: set[str]) -> None:
        invalid = {id(w) for key, w in self._fields.items() if key in fields}
        for widget in self._fields.values():
            widget.setStyleSheet(INVALID_STYLE if id(widget) in invalid else "")

    def save(self) -> None:
        """Record the complaint, then settle or escalate it as chosen."""
        self._mark(set())
        mode = self.mode.currentData()
        follow_up = self.follow_up.toPlainText().strip()
        if self.result_view is None:
            try:
                self.result_view = self._service.record(
                    self._staff,
                    category=self.category.currentData() or "",
                    description=self.description.toPlainText(),
                    visit_id=self._visit_id,
                    customer_name=self.customer.text(),
                    contact_phone=self.phone.text(),
                    area=self.area.currentData(),
                )
            except Exception as exc:
                messages = self.message.show_exception(exc)
                self._mark({m.field for m in messages})
                return
            self._lock_recorded()
        view = self.result_view
        try:
            if mode == "solve":
                self.result_view = self._service.solve_at_counter(
                    self._staff, view.complaint_id, follow_up
                )
            elif mode == "escalate":
                self.result_view = self._service.escalate(self._staff, view.complaint_id, follow_up)
        except Exception as exc:
            messages = self.message.show_exception(exc)
            self._mark({m.field for m in messages})
            self.message.show_message(
                self.tr("投诉单 {number} 已登记。").format(number=view.complaint_no)
                + "\n"
                + self.message.text(),
                "error",
            )
            return
        self.accept()

    def _lock_recorded(self) -> None:
        """Once recorded, the complaint itself can't change — only how it goes on."""
        for widget in (self.category, self.area, self.customer, self.phone, self.description):
            widget.setEnabled(False)
