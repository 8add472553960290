"""选号 on the 入网 form: the new number comes from the counter's number pool.

:func:`attach_number_pool` hooks a :class:`NumberField` onto a business form whose
business opens a line with a ``new_number`` field. For a mobile service the field is
pre-filled with the first free number of the pool, selected, and the form stops on it:
Enter accepts it, typing replaces it (the service then checks the typed number against
the pool and refuses one that is not in it or not free). ↓ on the field opens the
:class:`NumberPickerDialog`: the free numbers, narrowed by the tail the clerk types
(8888 → …8888); Enter picks, Esc backs out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.numbers import NUMBER_FIELD, POOL_SERVICES, tail_digits
from ..services.numbers import NumberPoolService
from .qt import (
    QComboBox,
    QEvent,
    QLabel,
    QLineEdit,
    QListWidget,
    QObject,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .widgets import CounterDialog

if TYPE_CHECKING:
    from ..services.workstation import Workstation
    from .business_form import BusinessForm


class NumberPickerDialog(CounterDialog):
    """The pool's free numbers; typing digits keeps those ending with them. Emits
    ``picked(number)`` on Enter; Esc backs out with nothing chosen."""

    picked = Signal(str)

    def __init__(self, pool: NumberPoolService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NumberPickerDialog")
        self.setWindowTitle(self.tr("选号"))
        self._pool = pool
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("输入尾号筛选（如 8888），↑↓ 选择，Enter 选定，Esc 返回")))
        self.tail = QLineEdit()
        self.tail.setObjectName("tailFilter")
        self.tail.setPlaceholderText(self.tr("尾号"))
        layout.addWidget(self.tail)
        self.numbers = QListWidget()
        self.numbers.setObjectName("freeNumbers")
        layout.addWidget(self.numbers)
        self.status = QLabel()
        self.status.setObjectName("pickerStatus")
        layout.addWidget(self.status)
        self.tail.textEdited.connect(lambda _t: self.refresh())
        self.tail.returnPressed.connect(self._pick)
        self.tail.installEventFilter(self)
        self.numbers.itemActivated.connect(lambda _i: self._pick())
        self.refresh()
        QTimer.singleShot(0, self.tail.setFocus)

    def refresh(self) -> None:
        tail = tail_digits(self.tail.text())
        found = self._pool.free_numbers(tail)
        self.numbers.clear()
        self.numbers.addItems(found)
        if found:
            self.numbers.setCurrentRow(0)
            self.status.setText(self.tr("{n} 个空闲号码").format(n=len(found)))
        elif tail:
            self.status.setText(self.tr("没有以 {tail} 结尾的空闲号码").format(tail=tail))
        else:
            self.status.setText(self.tr("号码池中没有空闲号码"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """↑/↓ in the tail field move in the list, so the hands stay on the digits."""
        if watched is self.tail and event.type() == QEvent.Type.KeyPress:
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(event.key())
            if step and self.numbers.count():
                row = min(max(self.numbers.currentRow() + step, 0), self.numbers.count() - 1)
                self.numbers.setCurrentRow(row)
                return True
        return False

    def _pick(self) -> None:
        item = self.numbers.currentItem()
        if item is None:
            return  # nothing matches: the status line says so, the clerk types again
        self.accept()
        self.picked.emit(item.text())


class NumberField(QObject):
    """The 入网 form's new-number field fed from the pool (see the module doc)."""

    def __init__(self, form: BusinessForm, pool: NumberPoolService) -> None:
        super().__init__(form)
        self._form = form
        self._pool = pool
        self.edit: QLineEdit = form.inputs[NUMBER_FIELD]  # type: ignore[assignment]
        self._prefilled: str | None = None
        self.picker: NumberPickerDialog | None = None
        self.edit.installEventFilter(self)  # after the form's: sees the keys first
        service = form.inputs.get("service")
        if isinstance(service, QComboBox):
            service.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh()

    def _service(self) -> str:
        service = self._form.inputs.get("service")
        if isinstance(service, QComboBox) and service.currentData():
            return str(service.currentData())
        return "mobile"

    def refresh(self) -> None:
        """Pre-fill for a mobile service; leave the field to the clerk otherwise."""
        text = self.edit.text().strip()
        untouched = not text or text == self._prefilled
        if self._service() not in POOL_SERVICES:
            if untouched and self._prefilled:
                self.edit.clear()
            self._prefilled = None
            self._form.confirm.discard(NUMBER_FIELD)
            self._form._note(NUMBER_FIELD, self._form._long_hints.get(NUMBER_FIELD, ""), "info")
            return
        counts = self._pool.counts()
        if counts.total == 0:  # no resources received yet: typed as before (decision)
            self._form._note(
                NUMBER_FIELD, self.tr("本工位尚未收到号码资源，请直接输入新号码。"), "info"
            )
            return
        first = self._pool.first_free()
        if first is None:
            self._form._note(
                NUMBER_FIELD,
                self.tr("本工位的号码资源已全部占用，请联系 IT 向总部申请新的号段。"),
                "error",
            )
            return
        if untouched:
            self.edit.setText(first)
            self.edit.selectAll()
            self._prefilled = first
            self._form.confirm.add(NUMBER_FIELD)  # the form stops here: Enter accepts
        self._form._note(
            NUMBER_FIELD,
            self.tr("已选号码池中的第一个空闲号码；Enter 确认，↓ 选号（可输入尾号筛选）。"),
            "info",
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.edit or event.type() != QEvent.Type.KeyPress:
            return False
        if event.key() == Qt.Key.Key_Down and self._service() in POOL_SERVICES:
            self.open_picker()
            return True
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._form.confirm.discard(NUMBER_FIELD)  # confirmed: the form moves on
        return False

    def open_picker(self) -> None:
        self.picker = NumberPickerDialog(self._pool, self._form)
        self.picker.picked.connect(self._picked)
        self.picker.finished.connect(lambda _r: self.edit.setFocus())
        self.picker.open()

    def _picked(self, number: str) -> None:
        self.edit.setText(number)
        self._prefilled = number
        self._form.confirm.add(NUMBER_FIELD)
        self._form._check(NUMBER_FIELD, typing=False)
        self.edit.setFocus()
        self.edit.selectAll()


def attach_number_pool(form: BusinessForm, ws: Workstation) -> NumberField | None:
    """Hook the pool onto a form that opens a line with a new number; else nothing."""
    business = form.business
    if business.account_effect != "add_line" or not isinstance(
        form.inputs.get(NUMBER_FIELD), QLineEdit
    ):
        return None
    return NumberField(form, NumberPoolService(ws))
