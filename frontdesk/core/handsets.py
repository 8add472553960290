"""The terminal catalogue (终端目录): the handsets the operator sells, found by IMEI.

Head office publishes the models a branch sells as the ``handsets`` section of the
business catalogue (one file, one version; docs/decisions.md "Handset model from the
IMEI"). Each model lists its TACs — the first 8 digits of an IMEI (Type Allocation
Code, DOMAIN.md: 8-digit TAC + 6-digit serial + Luhn check) — with the brand, model,
产地, retail price in fen and the accessory models the 三包 card prints.

Scanning a handset's IMEI at the counter then fills brand, model, price, 产地 and
accessory models on the sale form (:func:`fill_values`); the clerk sees them and may
change any. Nothing here is applied by a service behind the clerk's back: the item
holds what the form showed.

The loader checks the section (``core.catalogue.checks.handset_checks``) so a section that breaks
a rule is refused with the same bilingual "file, entry, reason" as the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Annotated, Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, field_validator

from .messages import define
from .money import fen_to_yuan_str

UNKNOWN_TAC = define(
    "handset.unknown_tac",
    zh="串号 {tac} 开头的机型不在终端目录中，未自动填写；请照包装录入品牌、型号、售价和产地。",
    en="Handsets whose serial starts {tac} are not in the terminal catalogue; nothing was "
    "filled in. Please type the brand, model, price and origin from the box.",
)
FILLED = define(
    "handset.filled",
    zh="已按终端目录填写：{brand} {model}，零售价 {price}，产地 {origin}；如与实物不符请直接修改。",
    en="Filled in from the terminal catalogue: {brand} {model}, retail price {price}, "
    "origin {origin}; change anything that differs from the device.",
)
PRICE_CHANGED = define(
    "handset.price_changed",
    zh="{field}与终端目录零售价 {listed} 不同；请确认发票金额与此售价一致。",
    en="{field} differs from the terminal catalogue's retail price {listed}; make sure the "
    "invoice shows this price.",
)

#: The sale form's keys this module fills, in the order the clerk reads them.
FILLED_KEYS = ("brand", "model", "price", "origin", "accessory_models")
#: The form field whose scan looks the model up.
SERIAL_KEY = "device_serial"
_TAC = re.compile(r"[0-9]{8}")


class Handset(BaseModel):
    """One model in the terminal catalogue."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")]
    business: Annotated[str, Field(min_length=1)]  # the sale it is sold under (HANDSET_SALE)
    tacs: Annotated[tuple[StrictStr, ...], Field(min_length=1)]
    brand: Annotated[str, Field(min_length=1)]
    model: Annotated[str, Field(min_length=1)]
    origin: Annotated[str, Field(min_length=1)]
    price_fen: StrictInt
    accessory_models: tuple[Annotated[str, Field(min_length=1)], ...] = ()

    @field_validator("tacs")
    @classmethod
    def _eight_digits(cls, tacs: tuple[str, ...]) -> tuple[str, ...]:
        for tac in tacs:
            if not (tac.isascii() and _TAC.fullmatch(tac)):
                raise ValueError(
                    f"TAC “{tac}” 应为 8 位数字（IMEI 的前 8 位）"
                    f" / TAC “{tac}” must be 8 digits (the first 8 of an IMEI)"
                )
        return tacs


def tac_of(serial: str) -> str | None:
    """The TAC of a 15-digit IMEI or a 16-digit IMEISV; ``None`` for anything else
    (an MEID or a plain S/N carries no TAC). ``serial`` is as the clerk scanned it;
    spaces and dashes a scanner may add are ignored."""
    compact = re.sub(r"[\s-]", "", serial)
    if compact.isascii() and compact.isdigit() and len(compact) in (15, 16):
        return compact[:8]
    return None


def find_handset(handsets: Iterable[Handset], serial: str, business: str) -> Handset | None:
    """The model sold under ``business`` whose TAC starts ``serial``, or ``None``
    (unknown TAC, a model of another sale, or no IMEI)."""
    tac = tac_of(serial)
    if tac is None:
        return None
    return next((h for h in handsets if tac in h.tacs and h.business == business), None)


def fill_values(handset: Handset) -> dict[str, str]:
    """The sale form's inputs as the clerk would type them (price in yuan)."""
    values = {
        "brand": handset.brand,
        "model": handset.model,
        "price": fen_to_yuan_str(handset.price_fen),
        "origin": handset.origin,
    }
    if handset.accessory_models:
        values["accessory_models"] = "，".join(handset.accessory_models)
    return values


class _Form(Protocol):
    """What a look-up needs of a business (core.catalogue.Business): its fields."""

    @property
    def fields(self) -> Sequence[Any]: ...


def looks_up_handsets(business: _Form) -> bool:
    """Whether scanning this business's serial fills the model (a terminal sale form
    with a device serial and at least one of the filled inputs)."""
    keys = {f.key for f in business.fields}
    return SERIAL_KEY in keys and any(k in keys for k in FILLED_KEYS)
