"""Typing a document in by hand — the exception path of SPEC §2 step 1.

Used when the reader is broken or the document is one the reader can't read
(a passport, say). The dialog only collects what is printed on the document; the
panel then asks the duty manager to authorise it with a reason, and the verification
service records the capture as ``manual`` with the approval and runs the same checks
as for a read card. 入网/过户 of a 居民身份证 holder still refuse a hand-typed card
(the intake service says so when the business is added).
"""

from __future__ import annotations

import datetime as dt
import itertools

from ..core.ids import DocType, IdentityDocument, check_document
from .i18n import current_language
from .qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .widgets import CounterDialog, MessageLine

PERSON_DOC_TYPES = [t for t in DocType if t is not DocType.UNIFIED_SOCIAL_CREDIT_CODE]


def _date(text: str) -> dt.date | None:
    text = text.strip().replace("/", "-").replace(".", "-")
    if not text:
        return None
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return dt.date.fromisoformat(text)


class ManualEntryDialog(CounterDialog):
    """Collects an :class:`IdentityDocument`; emits ``entered(doc)``."""

    entered = Signal(object)

    def __init__(
        self, party_label: str, parent: QWidget | None = None, *, today: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self._today = today or dt.date.today()
        self.setObjectName("ManualEntryDialog")
        self.setWindowTitle(self.tr("手工录入证件"))
        layout = QVBoxLayout(self)
        note = QLabel(
            self.tr(
                "手工录入是例外操作（读卡器故障或证件无法读取），提交后需值班经理授权并填写原因。"
                "请严格按证件原件录入：{party}"
            ).format(party=party_label)
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.doc_type = QComboBox()
        self.doc_type.setObjectName("docType")
        for t in PERSON_DOC_TYPES:
            self.doc_type.addItem(t.label(current_language()), t.value)
        self.number = QLineEdit()
        self.number.setObjectName("docNumber")
        self.name = QLineEdit()
        self.name.setObjectName("docName")
        self.sex = QComboBox()
        self.sex.setObjectName("docSex")
        self.sex.addItem(self.tr("男"), "M")
        self.sex.addItem(self.tr("女"), "F")
        self.birth = QLineEdit()
        self.birth.setObjectName("docBirth")
        self.valid_from = QLineEdit()
        self.valid_from.setObjectName("docValidFrom")
        self.valid_to = QLineEdit()
        self.valid_to.setObjectName("docValidTo")
        self.long_term = QCheckBox(self.tr("长期有效"))
        self.long_term.setObjectName("docLongTerm")
        self.address = QLineEdit()
        self.address.setObjectName("docAddress")
        for edit in (self.birth, self.valid_from, self.valid_to):
            edit.setPlaceholderText(self.tr("年-月-日，如 1990-05-01"))
        form.addRow(self.tr("证件类型"), self.doc_type)
        form.addRow(self.tr("证件号码"), self.number)
        form.addRow(self.tr("姓名"), self.name)
        form.addRow(self.tr("性别"), self.sex)
        form.addRow(self.tr("出生日期"), self.birth)
        form.addRow(self.tr("有效期起"), self.valid_from)
        form.addRow(self.tr("有效期止"), self.valid_to)
        form.addRow("", self.long_term)
        form.addRow(self.tr("住址"), self.address)
        layout.addLayout(form)
        self.message = MessageLine()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("提交经理授权 (Ctrl+Enter)")
        )
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消 (Esc)"))
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._fields = {
            "id_number": self.number,
            "name": self.name,
            "sex": self.sex,
            "birth_date": self.birth,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
        }
        edits = [self.number, self.name, self.birth, self.valid_from, self.valid_to, self.address]
        for edit, following in itertools.pairwise(edits):
            edit.returnPressed.connect(lambda e=edit, f=following: self._advance(e, f))
        self.address.returnPressed.connect(self._submit)
        self.long_term.toggled.connect(lambda on: self.valid_to.setEnabled(not on))
        self._waiting = False
        self.number.setFocus()

    def keyPressEvent(self, event) -> None:
        from .qt import Qt

        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self._submit()
            return
        super().keyPressEvent(event)

    def document(self) -> IdentityDocument:
        """The document as typed; raises ``ValueError`` naming a date that isn't one."""
        dates = {}
        for key, edit, label in (
            ("birth_date", self.birth, self.tr("出生日期")),
            ("valid_from", self.valid_from, self.tr("有效期起")),
            ("valid_to", self.valid_to, self.tr("有效期止")),
        ):
            try:
                dates[key] = _date(edit.text())
            except ValueError:
                edit.setFocus()
                raise ValueError(
                    self.tr(
                        "{label}“{value}”不是有效日期，请按“年-月-日”输入，例如 2024-05-01。"
                    ).format(label=label, value=edit.text())
                ) from None
        long_term = self.long_term.isChecked()
        return IdentityDocument(
            doc_type=DocType(self.doc_type.currentData()),
            number=self.number.text().strip(),
            name=self.name.text().strip(),
            sex=self.sex.currentData(),
            birth_date=dates["birth_date"],
            address=self.address.text().strip() or None,
            valid_from=dates["valid_from"],
            valid_to=None if long_term else dates["valid_to"],
            long_term=long_term,
        )

    def _field_of(self, widget: QWidget) -> str | None:
        return next((k for k, w in self._fields.items() if w is widget), None)

    def problems(self) -> list[str]:
        """Errors of the typed document, each with the field it names (checked first);
        focuses the first field in error. Empty when the document may be submitted."""
        try:
            doc = self.document()
        except ValueError as exc:
            return [str(exc)]
        found = [p for p in check_document(doc, today=self._today) if p.is_error]
        if found:
            widget = self._fields.get(found[0].field or "")
            if widget is not None:
                widget.setFocus()
        return [p.text() for p in found]

    def _advance(self, edit: QLineEdit, following: QWidget) -> None:
        """Enter: on to the next field, unless this one has an error (then it stays)."""
        key = self._field_of(edit)
        try:
            doc = self.document()
        except ValueError as exc:
            if self.focusWidget() is edit:
                self.message.show_error(str(exc))
                return
            doc = None  # a later date isn't typed yet: judge this field alone
        if doc is not None and key is not None:
            mine = [
                p for p in check_document(doc, today=self._today) if p.is_error and p.field == key
            ]
            if mine:
                self.message.show_error("；".join(p.text() for p in mine))
                edit.setFocus()
                edit.selectAll()
                return
        self.message.clear_message()
        following.setFocus()

    def _submit(self) -> None:
        if self.result() == QDialog.DialogCode.Accepted or self._waiting:
            return  # Enter also reaches the default button: act once
        problems = self.problems()
        if problems:
            self.message.show_error(
                self.tr("请先更正：") + "；".join(problems) + self.tr("（尚未请经理授权）")
            )
            return
        self.message.clear_message()
        self._waiting = True
        self.entered.emit(self.document())

    def authorisation_ended(self, error: BaseException | None = None) -> None:
        """The manager declined or the capture was refused: the typed fields stay."""
        self._waiting = False
        if error is not None:
            self.message.show_exception(error)
        self.activateWindow()
        self.number.setFocus()

    def captured(self) -> None:
        self._waiting = False
        self.accept()
