"""The pieces of the after-sales window: its table models and its action inputs.

Kept apart from :mod:`frontdesk.gui.aftersales` so the window module stays readable:
``CardsModel``/``PartsModel`` are real ``QAbstractTableModel``s over the service's
``CardView``s (STYLE.md), and ``ActionForm`` is the one input panel every 三包 action
uses — Enter moves on, a scanner's trailing Enter too, Enter on the last input submits.
Strings are translated in the ``AfterSalesWindow`` context, like the window's own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.intake import METHOD_LABELS
from .i18n import current_language, translate
from .qt import (
    QT_TRANSLATE_NOOP,
    QColor,
    QComboBox,
    QEvent,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .table_model import RowsTableModel
from .widgets import EnterButton, MessageLine

if TYPE_CHECKING:
    from ..core.warranty import PartStatus, WarrantyEventFact
    from ..services.warranty import CardView

__all__ = [
    "ACTIONS",
    "ACTION_BY_NAME",
    "ActionForm",
    "ActionSpec",
    "CardsModel",
    "FieldSpec",
    "PartsModel",
    "event_text",
    "status_summary",
]

CONTEXT = "AfterSalesWindow"
Index = QModelIndex | QPersistentModelIndex
REFUND_METHODS = ("cash", "bank_card", "wechat", "alipay")


def _t(text: str) -> str:
    return translate(CONTEXT, text)


EVENT_LABELS = {
    "repair_in": QT_TRANSLATE_NOOP("AfterSalesWindow", "送修"),
    "repair_out": QT_TRANSLATE_NOOP("AfterSalesWindow", "取机"),
    "loan_out": QT_TRANSLATE_NOOP("AfterSalesWindow", "借出备机"),
    "loan_back": QT_TRANSLATE_NOOP("AfterSalesWindow", "归还备机"),
    "returned": QT_TRANSLATE_NOOP("AfterSalesWindow", "退货"),
    "exchanged": QT_TRANSLATE_NOOP("AfterSalesWindow", "换货"),
    "voided": QT_TRANSLATE_NOOP("AfterSalesWindow", "随销售单作废"),
}


# -- what the clerk sees of a card -------------------------------------------------------
def status_summary(view: CardView) -> str:
    """One line for the results table: closed, in repair, windows open, still covered."""
    status = view.status
    if status.closed_by == "returned":
        return translate("AfterSalesWindow", "已退货")
    if status.closed_by == "exchanged":
        return translate("AfterSalesWindow", "已换货")
    if status.closed_by == "voided":
        return translate("AfterSalesWindow", "已作废")
    tags: list[str] = []
    if status.in_repair_since is not None:
        tags.append(translate("AfterSalesWindow", "维修中"))
    if status.loan_phone_out is not None:
        tags.append(translate("AfterSalesWindow", "备机借出"))
    if status.can_return:
        tags.append(translate("AfterSalesWindow", "可退货"))
    elif status.can_exchange:
        tags.append(translate("AfterSalesWindow", "可换货"))
    covered = [p.covered for p in status.parts]
    if covered and all(covered):
        tags.append(translate("AfterSalesWindow", "在保"))
    elif any(covered):
        tags.append(translate("AfterSalesWindow", "部分在保"))
    else:
        tags.append(translate("AfterSalesWindow", "已过保"))
    return "、".join(tags) if current_language() == "zh" else ", ".join(tags)


def event_text(event: WarrantyEventFact) -> str:
    """A history line: the date, what happened and what was written down with it."""
    detail = event.detail
    label = _t(EVENT_LABELS.get(event.event, event.event))
    parts: list[str] = []
    if event.event == "repair_in":
        parts.append(str(detail.get("fault", "")))
    elif event.event == "repair_out":
        parts.append(
            translate("AfterSalesWindow", "已修复")
            if detail.get("fixed", True)
            else translate("AfterSalesWindow", "未修复")
        )
        parts += [
            str(detail.get("cause", "")),
            str(detail.get("handling", "")),
            str(detail.get("technician", "")),
        ]
    elif event.event == "loan_out":
        parts.append(str(detail.get("loan_serial", "")))
    elif event.event == "returned":
        parts.append(
            translate("AfterSalesWindow", "退款受理单 {slip}").format(
                slip=detail.get("refund_slip_no", "")
            )
        )
    elif event.event == "voided":
        parts.append(
            translate("AfterSalesWindow", "冲正受理单 {slip}").format(
                slip=detail.get("void_slip_no", "")
            )
        )
    elif event.event == "exchanged":
        parts.append(
            translate("AfterSalesWindow", "新保修卡 {card}，新串号 {serial}").format(
                card=detail.get("new_card_no", ""), serial=detail.get("new_serial", "")
            )
        )
    text = "；".join(p for p in parts if p)
    return f"{event.occurred_on.isoformat()}  {label}" + (f"：{text}" if text else "")


class _RowsModel(RowsTableModel):
    """A read-only table over the rows of the last look-up (replaced as a whole)."""

    context = CONTEXT


class CardsModel(_RowsModel):
    """The cards a look-up found: card no., device, serial, sale date, customer, status."""

    headers = (
        QT_TRANSLATE_NOOP("AfterSalesWindow", "保修卡号"),
        QT_TRANSLATE_NOOP("AfterSalesWindow", "品牌型号"),
        QT_TRANSLATE_NOOP("AfterSalesWindow", "串号"),
        QT_TRANSLATE_NOOP("AfterSalesWindow", "销售日期"),
        QT_TRANSLATE_NOOP("AfterSalesWindow", "客户"),
        QT_TRANSLATE_NOOP("AfterSalesWindow", "状态"),
    )

    def cell(self, row: CardView, column: int) -> str:
        values = (
            lambda: row.card_no,
            lambda: f"{row.brand} {row.model}",
            lambda: row.serial,
            lambda: row.sale_date.isoformat(),
            lambda: f"{row.customer_name_masked} {row.customer_phone_masked}",
            lambda: status_summary(row),
        )
        return values[column]()

    def find(self, card_no: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.card_no == card_no), -1)


class PartsModel(_RowsModel):
    """Each part's 三包 period: covered until (repair days added), in or out of warranty."""

    headers = (
        QT_TRANSLATE_NOOP("AfterSalesWindow", "部件"),
        QT_TRANSLATE_NOOP("AfterSalesWindow", "三包期"),
        QT_TRANSLATE_NOOP("AfterSalesWindow", "保修至"),
        QT_TRANSLATE_NOOP("AfterSalesWindow", "状态"),
    )

    def __init__(self, part_name: Callable[[str], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._part_name = part_name

    def cell(self, row: PartStatus, column: int) -> str:
        if column == 0:
            return self._part_name(row.part)
        if column == 1:
            return translate("AfterSalesWindow", "{months} 个月").format(months=row.months)
        if column == 2:
            extra = (row.end - row.base_end).days
            if extra:
                return translate("AfterSalesWindow", "{end}（含维修 {days} 天）").format(
                    end=row.end.isoformat(), days=extra
                )
            return row.end.isoformat()
        return (
            translate("AfterSalesWindow", "在保")
            if row.covered
            else translate("AfterSalesWindow", "已过保")
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and index.isValid()
            and index.column() == 3
            and index.row() < len(self._rows)
        ):
            return QColor("#1b6e20" if self._rows[index.row()].covered else "#b3261e")
        return super().data(index, role)


# -- the actions -------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str = "text"  # text | yesno | method
    required: bool = True
    default: str = ""


@dataclass(frozen=True)
class ActionSpec:
    name: str
    title: str
    keys: str
    fields: tuple[FieldSpec, ...] = ()
    note: str = ""


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "repair_in",
        QT_TRANSLATE_NOOP("AfterSalesWindow", "送修"),
        "F2",
        (FieldSpec("fault", QT_TRANSLATE_NOOP("AfterSalesWindow", "故障现象")),),
    ),
    ActionSpec(
        "repair_out",
        QT_TRANSLATE_NOOP("AfterSalesWindow", "取机"),
        "F3",
        (
            FieldSpec("fixed", QT_TRANSLATE_NOOP("AfterSalesWindow", "是否修复"), "yesno"),
            FieldSpec("cause", QT_TRANSLATE_NOOP("AfterSalesWindow", "故障原因")),
            FieldSpec("handling", QT_TRANSLATE_NOOP("AfterSalesWindow", "处理情况")),
            FieldSpec("technician", QT_TRANSLATE_NOOP("AfterSalesWindow", "维修人员")),
        ),
    ),
    ActionSpec(
        "loan_out",
        QT_TRANSLATE_NOOP("AfterSalesWindow", "借出备机"),
        "F4",
        (FieldSpec("loan_serial", QT_TRANSLATE_NOOP("AfterSalesWindow", "备机串号（扫描）")),),
    ),
    ActionSpec(
        "loan_back",
        QT_TRANSLATE_NOOP("AfterSalesWindow", "归还备机"),
        "F5",
        note=QT_TRANSLATE_NOOP("AfterSalesWindow", "核对备机完好后按 Enter 登记归还。"),
    ),
    ActionSpec(
        "return",
        QT_TRANSLATE_NOOP("AfterSalesWindow", "退货"),
        "F6",
        (
            FieldSpec("method", QT_TRANSLATE_NOOP("AfterSalesWindow", "退款方式"), "method"),
            FieldSpec(
                "reference",
                QT_TRANSLATE_NOOP("AfterSalesWindow", "退款凭证号（非现金）"),
                required=False,
            ),
        ),
        QT_TRANSLATE_NOOP("AfterSalesWindow", "退货退还全部货款并释放串号，须值班经理授权。"),
    ),
    ActionSpec(
        "exchange",
        QT_TRANSLATE_NOOP("AfterSalesWindow", "换货"),
        "F7",
        (FieldSpec("new_serial", QT_TRANSLATE_NOOP("AfterSalesWindow", "新机串号（扫描）")),),
        QT_TRANSLATE_NOOP(
            "AfterSalesWindow", "换货后原保修卡关闭，新机另发保修卡，须值班经理授权。"
        ),
    ),
    ActionSpec(
        "reprint",
        QT_TRANSLATE_NOOP("AfterSalesWindow", "补打保修卡"),
        "Ctrl+P",
        (
            FieldSpec(
                "reason",
                QT_TRANSLATE_NOOP("AfterSalesWindow", "补打原因"),
                default=QT_TRANSLATE_NOOP("AfterSalesWindow", "客户保修卡遗失"),
            ),
        ),
    ),
)
ACTION_BY_NAME = {a.name: a for a in ACTIONS}


class ActionForm(QGroupBox):
    """The inputs of one action, under the card: Enter moves on, Enter on the last submits.

    Its message line is where the service's refusal shows, beside what the clerk typed
    (which is kept so one wrong character doesn't mean typing everything again).
    """

    submitted = Signal(str, dict)  # action name, values
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actionForm")
        self.spec: ActionSpec | None = None
        self.inputs: dict[str, QLineEdit | QComboBox] = {}
        layout = QVBoxLayout(self)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555555;")
        layout.addWidget(self.note)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.message = MessageLine()
        self.message.setObjectName("actionMessage")
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.confirm = EnterButton()
        self.confirm.setObjectName("actionConfirm")
        self.cancel = EnterButton(translate("AfterSalesWindow", "返回 (Esc)"))
        self.cancel.setObjectName("actionCancel")
        row.addStretch(1)
        row.addWidget(self.confirm)
        row.addWidget(self.cancel)
        layout.addLayout(row)
        self.confirm.clicked.connect(self.submit)
        self.cancel.clicked.connect(self.cancelled.emit)
        self.hide()

    def open_for(self, spec: ActionSpec, heading: str) -> None:
        self.spec = spec
        self.setTitle(heading)
        self.note.setText(_t(spec.note) if spec.note else "")
        self.note.setVisible(bool(spec.note))
        while self.form.rowCount():
            self.form.removeRow(0)
        self.inputs = {}
        for field in spec.fields:
            widget: QLineEdit | QComboBox
            if field.kind == "yesno":
                widget = QComboBox()
                widget.addItem(translate("AfterSalesWindow", "已修复"), True)
                widget.addItem(translate("AfterSalesWindow", "未修复"), False)
            elif field.kind == "method":
                widget = QComboBox()
                for code in REFUND_METHODS:
                    zh, en = METHOD_LABELS[code]
                    widget.addItem(zh if current_language() == "zh" else en, code)
            else:
                widget = QLineEdit(_t(field.default) if field.default else "")
            widget.setObjectName(f"action_{field.name}")
            widget.installEventFilter(self)
            self.inputs[field.name] = widget
            self.form.addRow(_t(field.label), widget)
        self.confirm.setText(
            translate("AfterSalesWindow", "确认{action} (Enter)").format(action=_t(spec.title))
        )
        self.message.clear_message()
        self.show()
        first = next(iter(self.inputs.values()), None)
        (first or self.confirm).setFocus()
        if isinstance(first, QLineEdit):
            first.selectAll()

    def close_form(self) -> None:
        self.spec = None
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in an input (typed, or a scanner's trailing Enter) moves to the next one."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not (isinstance(watched, QComboBox) and watched.view().isVisible())
        ):
            self._advance(watched)
            return True
        return super().eventFilter(watched, event)

    def _missing(self, name: str) -> bool:
        spec = self.spec
        field = next(f for f in spec.fields if f.name == name) if spec else None
        widget = self.inputs[name]
        return bool(
            field and field.required and isinstance(widget, QLineEdit) and not widget.text().strip()
        )

    def _advance(self, widget: QObject) -> None:
        names = list(self.inputs)
        name = next((n for n, w in self.inputs.items() if w is widget), None)
        if name is None:
            return
        if self._missing(name):
            self._ask_for(name)
            return
        index = names.index(name)
        if index + 1 < len(names):
            nxt = self.inputs[names[index + 1]]
            nxt.setFocus()
            if isinstance(nxt, QLineEdit):
                nxt.selectAll()
        else:
            self.submit()

    def _ask_for(self, name: str) -> None:
        spec = self.spec
        label = next((f.label for f in spec.fields if f.name == name), name) if spec else name
        self.message.show_error(
            translate("AfterSalesWindow", "请填写“{field}”。").format(field=_t(label))
        )
        self.inputs[name].setFocus()

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, widget in self.inputs.items():
            if isinstance(widget, QComboBox):
                out[name] = widget.currentData()
            else:
                out[name] = widget.text().strip()
        return out

    def submit(self) -> None:
        if self.spec is None:
            return
        missing = next((n for n in self.inputs if self._missing(n)), None)
        if missing is not None:
            self._ask_for(missing)
            return
        self.message.clear_message()
        self.submitted.emit(self.spec.name, self.values())

    def fail(self, exc: BaseException) -> None:
        """The service refused: say why here, keep the inputs, focus the one at fault."""
        messages = self.message.show_exception(exc)
        target = next(
            (self.inputs[n] for n in self.inputs if any(m.field.endswith(n) for m in messages)),
            None,
        )
        if target is None and "device_serial" in {m.field for m in messages}:
            target = self.inputs.get("new_serial")
        widget = target or next(iter(self.inputs.values()), None) or self.confirm
        widget.setFocus()
        if isinstance(widget, QLineEdit):
            widget.selectAll()
