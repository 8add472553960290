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

The loader (``core.catalogue``) calls :func:`handset_checks` so a section that breaks
a rule is refused with the same bilingual "file, entry, reason" as the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, field_validator

from .fields import validate_field
from .messages import define
from .money import fen_to_yuan_str

if TYPE_CHECKING:
    from .catalogue import Business, Catalogue

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


def looks_up_handsets(business: Business) -> bool:
    """Whether scanning this business's serial fills the model (a terminal sale form
    with a device serial and at least one of the filled inputs)."""
    keys = {f.key for f in business.fields}
    return SERIAL_KEY in keys and any(k in keys for k in FILLED_KEYS)


# -------------------------------------------------------------------- load checks

_Finding = tuple[tuple[Any, ...], str, str]
#: Any date will do: none of the filled inputs is a date.
_ANY_DAY = date(2000, 1, 1)


def handset_checks(c: Catalogue) -> Iterator[_Finding]:
    """Cross-checks of the ``handsets`` section against the rest of the catalogue:
    codes and TACs unique, and every value it fills acceptable to each sale form that
    looks models up (the price within the price field's min/max, texts within their
    lengths), so a fill can never put the form in the wrong."""
    codes: set[str] = set()
    owner: dict[str, str] = {}
    forms = {b.code: b for b in c.businesses if looks_up_handsets(b)}
    for i, handset in enumerate(c.handsets):
        form = forms.get(handset.business)
        if form is None:
            yield (
                ("handsets", i, "business"),
                f"业务 “{handset.business}” 不存在或不是带机身串号的终端销售",
                f"business “{handset.business}” is unknown or not a terminal sale with a "
                "device serial",
            )
            continue
        if handset.code in codes:
            yield (
                ("handsets", i, "code"),
                f"code “{handset.code}” 重复，每一项必须唯一",
                f"code “{handset.code}” is used twice; each must be unique",
            )
        codes.add(handset.code)
        for t, tac in enumerate(handset.tacs):
            if tac in owner:
                yield (
                    ("handsets", i, "tacs", t),
                    f"TAC “{tac}” 已属于机型 {owner[tac]}；一个 TAC 只能对应一个机型",
                    f"TAC “{tac}” already belongs to {owner[tac]}; a TAC names one model",
                )
            owner.setdefault(tac, handset.code)
        yield from _fits_form(i, handset, form)


def _fits_form(i: int, handset: Handset, business: Business) -> Iterator[_Finding]:
    where: Mapping[str, str] = {"price": "price_fen"}
    for key, raw in fill_values(handset).items():
        defn = business.find_field(key)
        if defn is None:
            continue
        checked = validate_field(defn, raw, today=_ANY_DAY)
        if checked.ok:
            continue
        problems = [p for p in checked.problems if p.is_error]
        yield (
            ("handsets", i, where.get(key, key)),
            f"不符合业务 {business.code} 的“{defn.label_zh}”要求："
            + "；".join(p.text("zh").rstrip("。") for p in problems),
            f"does not fit “{defn.label_en}” of business {business.code}: "
            + "; ".join(p.text("en").rstrip(".") for p in problems),
        )
