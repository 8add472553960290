"""The handset model from its IMEI, for the sale form (no database: catalogue only).

The counter asks :func:`fill_for_serial` when the clerk scans a device serial on a
terminal sale; what comes back is shown on the form for the clerk to keep or change.
The intake service never fills or corrects these inputs itself: the item on the slip
holds exactly what the form showed (docs/decisions.md, "Handset model from the IMEI").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..core.catalogue import Catalogue
from ..core.handsets import (
    FILLED,
    PRICE_CHANGED,
    UNKNOWN_TAC,
    fill_values,
    find_handset,
    looks_up_handsets,
    tac_of,
)
from ..core.messages import Problem, warning
from ..core.money import format_fen, parse_yuan


@dataclass(frozen=True)
class HandsetFill:
    """What a scan gives the form: the inputs to fill (none for an unknown TAC), the
    message to show, and the catalogue's retail price (fen) to compare a changed
    price with."""

    message: Problem
    values: Mapping[str, str] = field(default_factory=dict)
    listed_price_fen: int | None = None


def fill_for_serial(catalogue: Catalogue, business_code: str, serial: str) -> HandsetFill | None:
    """The catalogue's model for a scanned serial. ``None`` where nothing applies: the
    business does not look models up, the terminal catalogue lists no model for it, or
    the serial is no IMEI (an MEID or S/N has no TAC). An IMEI of a model the catalogue
    does not list: no values, a polite message."""
    business = catalogue.find(business_code)
    if business is None or not looks_up_handsets(business):
        return None
    if not any(h.business == business.code for h in catalogue.handsets):
        return None  # the terminal catalogue does not cover this sale: nothing to say
    tac = tac_of(serial)
    if tac is None:
        return None
    handset = find_handset(catalogue.handsets, serial, business.code)
    if handset is None:
        return HandsetFill(warning(UNKNOWN_TAC, "device_serial", tac=tac))
    keys = {f.key for f in business.fields}
    values = {k: v for k, v in fill_values(handset).items() if k in keys}
    message = warning(
        FILLED,
        "device_serial",
        brand=handset.brand,
        model=handset.model,
        price=format_fen(handset.price_fen),
        origin=handset.origin,
    )
    return HandsetFill(message, values, handset.price_fen)


def price_note(fill: HandsetFill, raw_price: str) -> Problem | None:
    """A price the clerk changed from the catalogue's: a warning to show beside it (the
    invoice must carry the same amount, which the sale checks). ``None`` when it is the
    listed price, or not a price yet (the form's own check names that)."""
    if fill.listed_price_fen is None:
        return None
    parsed = parse_yuan(raw_price, "price")
    if parsed.value is None or parsed.value == fill.listed_price_fen:
        return None
    return warning(PRICE_CHANGED, "price", listed=format_fen(fill.listed_price_fen))
