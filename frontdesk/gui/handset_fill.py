"""Scan the IMEI, see the model: a terminal sale form filled from the terminal catalogue.

The business form calls :class:`HandsetFiller` when Enter (the scanner's own) leaves
the device serial; it asks the service for the model and puts brand, model, price,
产地 and accessory models into the form, where the clerk sees them and may change any.
An unknown TAC fills nothing and says so. A price changed from the catalogue's gets a
note beside it (the invoice must show that amount).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..core.handsets import SERIAL_KEY
from ..services.handsets import HandsetFill, price_note
from .i18n import current_language
from .qt import QLineEdit

if TYPE_CHECKING:
    from .business_form import BusinessForm

LookUp = Callable[[str], "HandsetFill | None"]


class HandsetFiller:
    """One per form: remembers what it filled, so a second scan (another box) replaces
    only values the clerk has not changed since."""

    def __init__(self, look_up: LookUp) -> None:
        self._look_up = look_up
        self._filled: dict[str, str] = {}
        self._fill: HandsetFill | None = None
        self._watching = False

    def __call__(self, form: BusinessForm) -> None:
        serial = str(form.values().get(SERIAL_KEY, ""))
        fill = self._look_up(serial)
        if fill is None:
            return
        language = current_language()
        for key, value in self._filled.items():  # the previous scan's values go
            if key not in fill.values and form.values().get(key) == value:
                form.set_value(key, "")
        filled: dict[str, str] = {}
        for key, value in fill.values.items():
            current = form.values().get(key)
            if current in (None, "") or current == self._filled.get(key):
                form.set_value(key, value)
                filled[key] = value
        self._filled = filled
        self._fill = fill
        if fill.values:
            form.message.show_ok(fill.message.text(language))
        else:
            form.message.show_message(fill.message.text(language), "warning")
        self._watch_price(form)

    def _watch_price(self, form: BusinessForm) -> None:
        price = form.inputs.get("price")
        if self._watching or not isinstance(price, QLineEdit):
            return
        self._watching = True
        price.editingFinished.connect(lambda: self._price_changed(form, price))

    def _price_changed(self, form: BusinessForm, price: QLineEdit) -> None:
        if self._fill is None:
            return
        note = price_note(self._fill, price.text())
        if note is not None:
            form._note("price", note.text(current_language()), "warning")
