"""A business's form, generated from its catalogue entry (免填单: the clerk fills it in).

Every field of ``Business.fields`` becomes an input of the right kind (a list for
choices, a tick box for yes/no, a line for everything else); defaults are pre-filled,
the customer's name is taken from the visit, the number being served is picked from
the customer's lines. Each input is checked as the clerk types with the same
``validate_field`` the intake service applies, so mistakes show next to the field
before anything is submitted. Enter moves to the next input (a barcode scanner's
trailing Enter too), Enter on the last input or Ctrl+Enter submits, Esc backs out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..core.fields import FieldDef, FieldType, default_value, validate_field
from ..core.money import format_fen
from .i18n import current_language
from .qt import (
    QCheckBox,
    QComboBox,
    QEvent,
    QGridLayout,
    QLabel,
    QLineEdit,
    QObject,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .widgets import COLOURS, MessageLine

if TYPE_CHECKING:
    from ..core.accounts import LineState
    from ..core.catalogue import Business
    from .errors import FieldMessage

SERVICE_NUMBER = "service_number"
INVOICE_QR = "invoice_qr"  # a terminal sale's invoice QR code: fills number and date
#: A hint longer than this (characters) goes under its field, where it is read whole,
#: instead of into the field, where a narrow field cuts it before its key words.
HINT_IN_FIELD = 14
#: Each precondition rule in words: (zh, en).
RULE_TEXT = {
    "arrears_cleared": ("号码无欠费", "no arrears on the number"),
    "no_contract_lock": ("不在合约期内", "no contract in force"),
    "no_pretty_number_lock": ("无靓号协议限制", "no pretty-number agreement"),
    "no_marketing_lock": ("无营销活动限制", "no marketing lock"),
    "not_moved_without_change": ("未办理过不改号移机", "not moved without a number change"),
    "id_number_limit": (
        "一证五号：每证件不超过 {max} 个号码",
        "at most {max} numbers per ID",
    ),
    "min_age": ("年满 {years} 周岁", "aged {years} or over"),
    "line_status": ("号码状态为{in}", "number {in}"),
    "tier_at_least": ("客户级别不低于{tier}", "customer tier {tier} or higher"),
    "balance_positive": ("账户余额大于零", "a balance above zero"),
}
#: Line states in words (core.catalogue.LINE_STATUSES): (zh, en).
STATUS_TEXT = {
    "active": ("正常", "active"),
    "suspended": ("停机", "suspended"),
    "lost": ("挂失", "reported lost"),
    "closed": ("已销户", "closed"),
}


def rule_text(rule: str, params: Mapping[str, Any], tier_name=None) -> str:  # type: ignore[no-untyped-def]
    """One precondition in the clerk's language, lists written out (正常、停机)."""
    zh = current_language() == "zh"
    pair = RULE_TEXT.get(rule)
    template = (pair[0] if zh else pair[1]) if pair else rule
    shown: dict[str, Any] = {}
    for key, value in params.items():
        if key == "in" and isinstance(value, (list, tuple)):
            names = [STATUS_TEXT.get(v, (v, v))[0 if zh else 1] for v in value]
            shown[key] = ("、" if zh else " or ").join(names)
        elif key == "tier" and tier_name is not None:
            shown[key] = tier_name(str(value))
        else:
            shown[key] = value
    try:
        return template.format(**shown)
    except (KeyError, IndexError):
        return template


def _label(defn: FieldDef) -> str:
    return defn.label_zh if current_language() == "zh" else defn.label_en


class BusinessForm(QWidget):
    """Emits ``submitted`` (Enter on the last input, Ctrl+Enter) and ``cancelled`` (Esc)."""

    submitted = Signal()
    cancelled = Signal()

    def __init__(
        self,
        business: Business,
        *,
        lines: Sequence[LineState],
        customer_name: str | None,
        today: dt.date,
        plan_kinds: Mapping[str, str] | None = None,
        contact_phone: str | None = None,
        contact_address: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("BusinessForm")
        self.business = business
        self._today = today
        self._lines = {line.number: line for line in lines}
        self._plan_kinds = dict(plan_kinds or {})
        self._customer_known = customer_name is not None
        self.inputs: dict[str, QWidget] = {}
        self._long_hints: dict[str, str] = {}
        self.notes: dict[str, QLabel] = {}
        self._defs: dict[str, FieldDef] = {}
        self._order: list[QWidget] = []
        #: Called when Enter leaves a valid device serial (gui/handset_fill.py).
        self.serial_scanned: Callable[[BusinessForm], None] | None = None
        #: filled inputs the form still stops on for the clerk to confirm (a pre-filled
        #: pool number, gui/number_picker.py)
        self.confirm: set[str] = set()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        name = business.name_zh if current_language() == "zh" else business.name_en
        header = QLabel(f"<b>{name}</b>  <span style='color:#555'>{business.code}</span>")
        header.setObjectName("formTitle")
        layout.addWidget(header)
        info = QLabel(self._explain())
        info.setObjectName("formInfo")
        info.setWordWrap(True)
        info.setStyleSheet("color: #444444;")
        layout.addWidget(info)
        grid = QGridLayout()
        row = 0
        if business.acts_on == "line":
            combo = QComboBox()
            combo.setEditable(True)
            combo.setObjectName(SERVICE_NUMBER)
            for line in lines:
                if line.status != "closed":
                    combo.addItem(line.number, line.number)
            combo.setCurrentIndex(0 if combo.count() else -1)
            combo.lineEdit().setPlaceholderText(self.tr("客户办理的号码"))
            row = self._add_row(grid, row, SERVICE_NUMBER, self.tr("服务号码") + " *", combo)
        for defn in business.fields:
            widget = self._make_input(defn, customer_name)
            self._defs[defn.key] = defn
            label = _label(defn) + (" *" if defn.required else "")
            if defn.source == "scanner":
                label += self.tr(" [扫码]")
            row = self._add_row(grid, row, defn.key, label, widget)
        layout.addLayout(grid)
        for key, text in self._long_hints.items():
            self._note(key, text, "info")
        self._prefill(contact_phone, contact_address)
        self.message = MessageLine()
        self.message.setObjectName("formMessage")
        layout.addWidget(self.message)
        hint = QLabel(self.tr("Enter 下一项 · Ctrl+Enter 加入受理单 · Esc 返回业务列表"))
        hint.setStyleSheet("color: #777777;")
        layout.addWidget(hint)

    # -- building -------------------------------------------------------------------
    def _explain(self) -> str:
        b = self.business
        parts = []
        if b.fee_from_field:
            field = b.find_field(b.fee_from_field)
            parts.append(self.tr("金额：按“{field}”").format(field=_label(field) if field else ""))
        elif b.fee_fen:
            from ..core.money import format_fen

            parts.append(self.tr("费用：{fee}").format(fee=format_fen(b.fee_fen)))
        else:
            parts.append(self.tr("免费"))
        parts.append(self.tr("办理时限 {m} 分钟").format(m=b.sla_minutes))
        if b.face_required:
            parts.append(self.tr("须人像比对"))
        zh = current_language() == "zh"
        rules = [rule_text(rule, params) for rule, params in b.precondition_pairs()]
        if rules:
            parts.append(self.tr("办理条件：") + ("、" if zh else ", ").join(rules))
        note = b.conditional_note_zh if zh else b.conditional_note_en
        if note:
            parts.append(note)
        # one sentence: no "。；" where a catalogue note ends with its own full stop
        parts = [p.rstrip("。；;. ") for p in parts if p.strip()]
        return ("；" if zh else "; ").join(parts) + ("。" if zh else ".")

    def _add_row(self, grid: QGridLayout, row: int, key: str, label: str, widget: QWidget) -> int:
        caption = QLabel(label)
        # a long English label wraps instead of widening the form past its panel (a
        # horizontal scroll would shift every label's start off the screen on focus)
        caption.setWordWrap(True)
        natural = caption.fontMetrics().horizontalAdvance(label)
        caption.setMinimumWidth(min(natural, 22 * caption.fontMetrics().averageCharWidth()))
        grid.addWidget(caption, row, 0)
        grid.addWidget(widget, row, 1)
        note = QLabel()
        note.setObjectName(f"note_{key}")
        note.setWordWrap(True)
        note.hide()
        grid.addWidget(note, row + 1, 1)
        self.inputs[key] = widget
        self.notes[key] = note
        widget.installEventFilter(self)
        if isinstance(widget, QComboBox) and widget.isEditable():
            widget.lineEdit().installEventFilter(self)  # keys may reach either
        self._order.append(widget)
        return row + 2

    def _make_input(self, defn: FieldDef, customer_name: str | None) -> QWidget:
        default = default_value(defn, today=self._today)
        if defn.type is FieldType.CHOICE:
            combo = QComboBox()
            combo.setObjectName(defn.key)
            for choice in defn.choices:
                combo.addItem(
                    choice.label_zh if current_language() == "zh" else choice.label_en,
                    choice.value,
                )
            combo.setCurrentIndex(combo.findData(default) if default is not None else -1)
            combo.currentIndexChanged.connect(lambda _i, k=defn.key: self._check(k, typing=False))
            return combo
        if defn.type is FieldType.BOOL:
            box = QCheckBox()
            box.setObjectName(defn.key)
            box.setChecked(bool(default))
            return box
        edit = QLineEdit()
        edit.setObjectName(defn.key)
        if default is not None:
            if defn.type is FieldType.MONEY and isinstance(default, int):
                from ..core.money import fen_to_yuan_str

                edit.setText(fen_to_yuan_str(default))
            else:
                edit.setText(str(default))
        elif defn.source == "visit" and customer_name and defn.key == "customer_name":
            edit.setText(customer_name)
        help_text = defn.help_zh if current_language() == "zh" else defn.help_en
        if help_text and len(help_text) > HINT_IN_FIELD:
            self._long_hints[defn.key] = help_text  # shown whole under the field
        elif help_text:
            edit.setPlaceholderText(help_text)
        elif defn.type is FieldType.DATE:
            edit.setPlaceholderText(self.tr("年-月-日"))
        edit.textEdited.connect(lambda _t, k=defn.key: self._check(k, typing=True))
        edit.editingFinished.connect(lambda k=defn.key: self._check(k, typing=False))
        return edit

    # -- what the system already knows -------------------------------------------------
    def _prefill(self, phone: str | None, address: str | None) -> None:
        """Fill in what the visit already knows, so the clerk only confirms it.

        A top-up starts on the number in arrears with the arrears as the amount; the
        plan list holds the plans of the chosen number's service with its current plan
        marked; a contact phone and address come from the customer's record and ID.
        """
        known = {"contact_phone": phone, "contact_address": address}
        for key, value in known.items():
            defn = self._defs.get(key)
            widget = self.inputs.get(key)
            if (
                value
                and defn is not None
                and defn.source != "visit"
                and isinstance(widget, QLineEdit)
                and not widget.text()
            ):
                widget.setText(value)
        combo = self.inputs.get(SERVICE_NUMBER)
        if not isinstance(combo, QComboBox):
            return
        owed = [line for line in self._lines.values() if line.arrears_fen > 0]
        if self.business.account_effect == "top_up" and owed:
            combo.setCurrentIndex(max(0, combo.findData(owed[0].number)))
        combo.currentTextChanged.connect(lambda _t: self._number_changed())
        self._number_changed()

    def _number_changed(self) -> None:
        line = self._lines.get(self._raw(SERVICE_NUMBER) or "")
        if self.business.account_effect == "top_up":
            amount = self.inputs.get(self.business.fee_from_field or "")
            if isinstance(amount, QLineEdit) and line is not None and line.arrears_fen > 0:
                from ..core.money import fen_to_yuan_str

                amount.setText(fen_to_yuan_str(line.arrears_fen))
                self._note(
                    self.business.fee_from_field or "",
                    self.tr("该号码欠费 {a}，已按欠费金额填写。").format(
                        a=format_fen(line.arrears_fen)
                    ),
                    "info",
                )
        plan = self.inputs.get("plan")
        defn = self._defs.get("plan")
        if isinstance(plan, QComboBox) and defn is not None and self._plan_kinds:
            self._fill_plans(plan, defn, line)

    def _fill_plans(self, combo: QComboBox, defn: FieldDef, line: LineState | None) -> None:
        """The plans of the line's service (bundles go with any), its current one marked."""
        chosen = combo.currentData()
        current = line.plan_code if line is not None else None
        service = line.service if line is not None else None
        zh = current_language() == "zh"
        combo.blockSignals(True)
        combo.clear()
        for choice in defn.choices:
            kind = self._plan_kinds.get(choice.value)
            if service is not None and kind not in (service, "bundle"):
                continue
            label = choice.label_zh if zh else choice.label_en
            if choice.value == current:
                label += self.tr("（当前套餐）")
            combo.addItem(label, choice.value)
        index = combo.findData(chosen) if chosen is not None else -1
        combo.setCurrentIndex(index)
        combo.blockSignals(False)

    # -- keyboard -------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.submitted.emit()
                return True
            self._advance(watched)
            return True
        if key == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return True
        return False

    def _advance(self, watched: QObject) -> None:
        """Enter: on to the next input that still needs the clerk; none left → submit.

        Optional inputs are skipped (Tab reaches them), so a form whose required inputs
        are filled goes onto the slip with one Enter.
        """
        current = next(
            (
                i
                for i, w in enumerate(self._order)
                if w is watched or (isinstance(w, QComboBox) and w.lineEdit() is watched)
            ),
            None,
        )
        if current is None:
            self.submitted.emit()
            return
        keys = list(self.inputs)
        if keys[current] == INVOICE_QR and self._raw(INVOICE_QR) and not self._read_invoice_qr():
            return  # the code could not be read: say so here, the clerk scans again
        if not self._stays_ok(keys[current]):
            return  # a mistake here: the next scan must land in this field again
        if keys[current] == "device_serial" and self.serial_scanned is not None:
            self.serial_scanned(self)  # the model from the IMEI: filled inputs are skipped
        for key in keys[current + 1 :]:
            if self._needs_input(key):
                self.inputs[key].setFocus()
                return
        self.submitted.emit()

    def _read_invoice_qr(self) -> bool:
        """An invoice's QR code was scanned: fill in its number and date from it (the
        service reads the code; the sale is checked against it again when added)."""
        from ..core.messages import RuleViolation
        from ..services.warranty import read_invoice_qr

        try:
            number, issued_on = read_invoice_qr(str(self._raw(INVOICE_QR)))
        except RuleViolation as exc:
            self._note(INVOICE_QR, exc.text(current_language()), "error")
            self.inputs[INVOICE_QR].setFocus()
            return False
        if "invoice_no" in self.inputs and not self._raw("invoice_no"):
            self.set_value("invoice_no", number)
        if "invoice_date" in self.inputs:
            self.set_value("invoice_date", issued_on.isoformat())
        self.message.show_ok(
            self.tr("已读取：发票号码 {number}，开票日期 {date}").format(
                number=number, date=issued_on.isoformat()
            )
        )
        return True

    def _stays_ok(self, key: str) -> bool:
        """Enter on ``key``: may the clerk move on? Not while the field shows an error.

        A barcode scanner's trailing Enter after a bad IMEI or ICCID would otherwise
        carry the next scan into the wrong field; here the error stays next to the
        field, the focus stays in it and its text is selected, so the next scan
        replaces it.
        """
        if key == SERVICE_NUMBER or self._filled_from_visit(key):
            return True
        defn = self._defs[key]
        raw = self._raw(key)
        if not defn.required and (raw is None or raw == ""):
            return True
        if self._check(key, typing=False):
            return True
        widget = self.inputs[key]
        widget.setFocus()
        if isinstance(widget, QLineEdit):
            widget.selectAll()
        return False

    def _filled_from_visit(self, key: str) -> bool:
        """Left empty, a "visit" field is filled by the service from the customer's record."""
        defn = self._defs.get(key)
        return (
            defn is not None
            and defn.source == "visit"
            and self._customer_known
            and not self._raw(key)
        )

    def _needs_input(self, key: str) -> bool:
        if key in self.confirm:
            return True
        if key == SERVICE_NUMBER:
            return not self._raw(key)
        defn = self._defs[key]
        if self._filled_from_visit(key):
            return False
        if defn.source == "scanner" and not self._raw(key):
            return True  # a serial to scan: the scanner's own Enter moves on
        return defn.required and not validate_field(defn, self._raw(key), today=self._today).ok

    def focus_first(self) -> None:
        """Focus the first input that still needs the clerk (empty or invalid)."""
        for key, widget in self.inputs.items():
            if self._needs_input(key):
                widget.setFocus()
                return
        (self._order[-1] if self._order else self).setFocus()

    # -- values and messages ----------------------------------------------------------
    def _raw(self, key: str) -> Any:
        widget = self.inputs[key]
        if isinstance(widget, QComboBox):
            if widget.isEditable():
                return widget.currentText().strip()
            return widget.currentData() if widget.currentIndex() >= 0 else ""
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        return widget.text()  # type: ignore[attr-defined]

    def service_number(self) -> str | None:
        if SERVICE_NUMBER not in self.inputs:
            return None
        return self._raw(SERVICE_NUMBER) or None

    def values(self) -> dict[str, Any]:
        """What the clerk entered, raw; the service validates and normalises it."""
        out: dict[str, Any] = {}
        for key in self._defs:
            raw = self._raw(key)
            if raw is not None and raw != "":
                out[key] = raw
        return out

    def set_value(self, key: str, value: str) -> None:
        """Fill an input from a device (the ID reader) and check it."""
        widget = self.inputs.get(key)
        if isinstance(widget, QLineEdit):
            widget.setText(value)
            self._check(key, typing=False)

    def _note(self, key: str, text: str, kind: str) -> None:
        note = self.notes.get(key)
        if note is None:
            return
        note.setText(text)
        note.setProperty("kind", kind)
        note.setStyleSheet(f"color: {COLOURS.get(kind, COLOURS['info'])};")
        note.setVisible(bool(text))

    def _check(self, key: str, *, typing: bool) -> bool:
        defn = self._defs.get(key)
        if defn is None:
            return True
        if self._filled_from_visit(key):
            self._note(key, self.tr("留空则按客户资料填写"), "info")
            return True
        checked = validate_field(defn, self._raw(key), today=self._today)
        if checked.ok:
            warnings = [p.text() for p in checked.problems]
            self._note(key, "；".join(warnings), "warning" if warnings else "ok")
            return True
        text = "；".join(p.text() for p in checked.problems if p.is_error)
        # while typing, a half-typed serial is not yet a mistake: a grey hint
        self._note(key, text, "info" if typing else "error")
        return False

    def check_all(self) -> bool:
        return all([self._check(key, typing=False) for key in self._defs])

    def show_problems(self, messages: Iterable[FieldMessage]) -> None:
        """Put each service message next to its field; the rest above the buttons."""
        general = []
        for m in messages:
            key = SERVICE_NUMBER if m.field in ("service_number",) else m.field
            if key in self.notes:
                self._note(key, m.text, "error" if m.is_error else "warning")
            else:
                general.append(m.text)
        if general:
            self.message.show_error("\n".join(general))
        else:
            self.message.clear_message()
