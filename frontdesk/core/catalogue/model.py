"""The catalogue's typed models: frozen pydantic classes and their look-ups.

A :class:`Catalogue` is only built by :func:`~frontdesk.core.catalogue.loading.parse_catalogue`,
which checks it as a whole first.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PositiveInt,
    PrivateAttr,
    StrictBool,
    StrictInt,
    model_validator,
)

from frontdesk.core.catalogue.schema import AccountEffect, Category, Party, PaymentMode
from frontdesk.core.catalogue.search import _name_variants, _score, _spell, _spell_readings
from frontdesk.core.fields import FieldDef
from frontdesk.core.handsets import Handset
from frontdesk.core.money import parse_yuan

_Frozen = ConfigDict(frozen=True, extra="forbid")
_NonEmpty = Annotated[str, Field(min_length=1)]
_Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]


# --------------------------------------------------------------------------- models


class WaitingMinutes(BaseModel):
    model_config = _Frozen

    standard: PositiveInt
    vip: PositiveInt
    vip_3g: PositiveInt


class Sla(BaseModel):
    model_config = _Frozen

    waiting_minutes: WaitingMinutes
    handling_minutes_default: PositiveInt


class HandlingClass(BaseModel):
    """One of seed 001's handling-time classes (办理时限)."""

    model_config = _Frozen

    code: _Code
    name_zh: _NonEmpty
    name_en: _NonEmpty
    minutes: PositiveInt


class Tier(BaseModel):
    """Customer tier (客户级别); a higher rank is served first."""

    model_config = _Frozen

    code: _Code
    name_zh: _NonEmpty
    name_en: _NonEmpty
    rank: Annotated[StrictInt, Field(ge=0)]
    waiting_minutes: PositiveInt
    free_sim_replacement: StrictBool = False


class Plan(BaseModel):
    model_config = _Frozen

    code: _Code
    name_zh: _NonEmpty
    name_en: _NonEmpty
    kind: Literal["mobile", "fixed", "broadband", "bundle"] = "mobile"
    monthly_fee_fen: StrictInt


class WarrantyPeriod(BaseModel):
    """三包 period of one part, in months from the invoice date."""

    model_config = _Frozen

    part: _Code
    name_zh: _NonEmpty
    name_en: _NonEmpty
    months: PositiveInt


class Deadline(BaseModel):
    model_config = _Frozen

    kind: Literal["working_days", "hours"]
    value: PositiveInt
    value_suburb: PositiveInt | None = None
    value_rural: PositiveInt | None = None  # 农村 (rural broadband repair: 48 h)


class ComplaintRule(BaseModel):
    model_config = _Frozen

    category: _Code
    name_zh: _NonEmpty
    name_en: _NonEmpty
    deadline: Deadline
    note_zh: str | None = None
    note_en: str | None = None
    # what stops the clock: the close (solved), or the first reply to the customer
    # (a mobile network complaint: "2 个工作日内 100% 回复")
    judged_on: Literal["close", "first_reply"] = "close"


class ServiceClock(BaseModel):
    """A business that starts a service clock (装机 72 h, 修障 24/36/48 h) when settled.

    ``category`` names a complaint rule (its deadline); ``when`` limits it to field
    values (``{"service": ["broadband"]}``); ``area_field`` names the field holding the
    area (city / suburb / rural) the deadline depends on.
    """

    model_config = _Frozen

    category: _Code
    when: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    area_field: str | None = None

    def applies(self, values: Mapping[str, Any]) -> bool:
        return all(str(values.get(k, "")) in allowed for k, allowed in self.when.items())


class Precondition(BaseModel):
    """A named rule with its parameters: ``{"rule": "id_number_limit", "max": 5}``."""

    model_config = _Frozen

    rule: _NonEmpty
    params: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _gather_params(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and "params" not in data:
            return {
                "rule": data.get("rule"),
                "params": {k: v for k, v in data.items() if k != "rule"},
            }
        return data

    def as_pair(self) -> tuple[str, Mapping[str, Any]]:
        return self.rule, self.params


class Business(BaseModel):
    """One business the counter offers (业务), with its form and rules."""

    model_config = _Frozen

    code: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*$", max_length=40)]
    name_zh: _NonEmpty
    name_en: _NonEmpty
    aliases_zh: tuple[_NonEmpty, ...] = ()
    category: Category
    handling_class: str
    sla_minutes: StrictInt
    fee_fen: StrictInt = 0
    fee_from_field: str | None = None
    money_direction: Literal["in", "out"] = "in"
    free_for_tiers: tuple[str, ...] = ()
    acts_on: Literal["customer", "line", "none"]
    account_effect: AccountEffect
    id_steps: tuple[str, ...] = ()
    face_required: StrictBool = False
    manual_entry_allowed: StrictBool = True
    parties: Annotated[tuple[Party, ...], Field(min_length=1)]
    payment_modes: Annotated[tuple[PaymentMode, ...], Field(min_length=1)]
    conditional_note_zh: str | None = None
    conditional_note_en: str | None = None
    preconditions: tuple[Precondition, ...] = ()
    fields: tuple[FieldDef, ...] = ()
    terms_zh: _NonEmpty
    terms_en: _NonEmpty
    creates_warranty_card: StrictBool = False
    warranty_parts: tuple[str, ...] = ()
    # service clocks the business starts when settled; the first that applies is used
    clocks: tuple[ServiceClock, ...] = ()

    _pinyin: str = PrivateAttr(default="")
    _initials: str = PrivateAttr(default="")
    _all_pinyin: tuple[str, ...] = PrivateAttr(default=())
    _all_initials: tuple[str, ...] = PrivateAttr(default=())

    def _spell_names(self) -> None:
        """Work out the pinyin on first use (pypinyin's dictionaries load on first search)."""
        if self._pinyin:
            return
        variants = _name_variants(self.name_zh, self.aliases_zh)
        spelled = [_spell(v) for v in variants]
        for v in variants:
            spelled.extend(_spell_readings(v))
        self._all_pinyin = tuple(dict.fromkeys(full for full, _ in spelled if full))
        self._all_initials = tuple(dict.fromkeys(ini for _, ini in spelled if ini))
        self._initials = spelled[0][1]
        self._pinyin = spelled[0][0]

    @property
    def pinyin(self) -> str:
        """Full pinyin of the main name, no tones or spaces: 补(换)卡 → "buka"."""
        self._spell_names()
        return self._pinyin

    @property
    def pinyin_initials(self) -> str:
        """Pinyin initials of the main name: 入网/装机 → "rw", 补(换)卡 → "bk"."""
        self._spell_names()
        return self._initials

    @property
    def search_initials(self) -> tuple[str, ...]:
        """Initials of every name variant and alias (补(换)卡 → bk, hk, bhk …)."""
        self._spell_names()
        return self._all_initials

    @property
    def search_pinyin(self) -> tuple[str, ...]:
        self._spell_names()
        return self._all_pinyin

    @property
    def acts_on_line(self) -> bool:
        return self.acts_on == "line"

    def field(self, key: str) -> FieldDef:
        for defn in self.fields:
            if defn.key == key:
                return defn
        raise KeyError(f"business {self.code} has no field {key!r}")

    def find_field(self, key: str) -> FieldDef | None:
        return next((d for d in self.fields if d.key == key), None)

    def precondition_pairs(self) -> tuple[tuple[str, Mapping[str, Any]], ...]:
        """``(rule, params)`` pairs, as :func:`preconditions.check_preconditions` takes them."""
        return tuple(p.as_pair() for p in self.preconditions)

    def fee_for(self, field_values: Mapping[str, object], tier: str | None) -> int:
        """The amount of this business in fen (always ≥ 0; see :meth:`signed_fee_for`).

        With ``fee_from_field`` it is that field's amount (a top-up, a price, a refund:
        never waived); otherwise ``fee_fen``, and 0 for a tier in ``free_for_tiers``
        (e.g. VIP free SIM replacement). Field values are the validated ones (int fen);
        a yuan string is parsed, an empty value counts 0.
        """
        if self.fee_from_field is not None:
            value = field_values.get(self.fee_from_field)
            if value is None or value == "":
                return 0
            if isinstance(value, bool):
                raise TypeError(f"{self.fee_from_field} must be money, not bool")
            if isinstance(value, int):
                return value
            return parse_yuan(str(value), self.fee_from_field).unwrap()
        if tier is not None and tier in self.free_for_tiers:
            return 0
        return self.fee_fen

    def signed_fee_for(self, field_values: Mapping[str, object], tier: str | None) -> int:
        """:meth:`fee_for` with its sign on the slip: money paid out is negative."""
        fee = self.fee_for(field_values, tier)
        return -fee if self.money_direction == "out" else fee


class Catalogue(BaseModel):
    """A published catalogue version; look-ups, search and a digest for sync."""

    model_config = _Frozen

    schema_version: Literal[1]
    version: Annotated[StrictInt, Field(ge=1)]
    published_at: datetime
    operator: _NonEmpty
    sla: Sla
    handling_classes: Annotated[tuple[HandlingClass, ...], Field(min_length=1)]
    tiers: Annotated[tuple[Tier, ...], Field(min_length=1)]
    plans: tuple[Plan, ...] = ()
    warranty_periods: tuple[WarrantyPeriod, ...] = ()
    return_days: PositiveInt
    exchange_days: PositiveInt
    complaint_rules: tuple[ComplaintRule, ...] = ()
    businesses: Annotated[tuple[Business, ...], Field(min_length=1)]
    handsets: tuple[Handset, ...] = ()  # the terminal catalogue (core/handsets.py)

    _digest: str = PrivateAttr(default="")
    _source: str = PrivateAttr(default="")

    @property
    def digest(self) -> str:
        """sha256 (hex) of the canonical JSON the catalogue was parsed from."""
        return self._digest

    @property
    def source(self) -> str:
        return self._source

    def business(self, code: str) -> Business:
        found = self.find(code)
        if found is None:
            raise KeyError(f"no business {code!r} in catalogue version {self.version}")
        return found

    def find(self, code: str) -> Business | None:
        return next((b for b in self.businesses if b.code == code), None)

    def tier(self, code: str) -> Tier:
        found = next((t for t in self.tiers if t.code == code), None)
        if found is None:
            raise KeyError(f"no tier {code!r}")
        return found

    def plan(self, code: str) -> Plan:
        found = next((p for p in self.plans if p.code == code), None)
        if found is None:
            raise KeyError(f"no plan {code!r}")
        return found

    def handling_class(self, code: str) -> HandlingClass:
        found = next((h for h in self.handling_classes if h.code == code), None)
        if found is None:
            raise KeyError(f"no handling class {code!r}")
        return found

    def warranty_period(self, part: str) -> WarrantyPeriod:
        found = next((w for w in self.warranty_periods if w.part == part), None)
        if found is None:
            raise KeyError(f"no warranty period for {part!r}")
        return found

    def complaint_rule(self, category: str) -> ComplaintRule:
        found = next((c for c in self.complaint_rules if c.category == category), None)
        if found is None:
            raise KeyError(f"no complaint rule {category!r}")
        return found

    def search(self, query: str) -> list[Business]:
        """Businesses matching what the clerk typed, best first.

        Matches the code (case-insensitive prefix), pinyin initials ("bk" → 补(换)卡,
        punctuation and bracketed parts ignored, every reading of a polyphonic
        character), the Chinese name or an alias (substring), full pinyin (prefix) and
        the English name (substring). Ranking: exact code; initials equal to the main
        name's, then to any name's; initials prefix of the main name, then of any name;
        code prefix; Chinese name; full pinyin; English name. Ties keep catalogue order.
        An empty query lists every business.
        """
        return [b for _, b in self.search_scored(query)]

    def search_scored(self, query: str) -> list[tuple[int, Business]]:
        """:meth:`search` with each match's rank (0 = exact code … 8 = English name)."""
        text = query.strip()
        if not text:
            return [(0, b) for b in self.businesses]
        compact = "".join(text.split()).lower()
        upper = text.upper()
        ranked: list[tuple[int, int, Business]] = []
        for index, b in enumerate(self.businesses):
            score = _score(b, text, compact, upper)
            if score is not None:
                ranked.append((score, index, b))
        ranked.sort(key=lambda item: (item[0], item[1]))
        return [(score, b) for score, _, b in ranked]

    def ambiguous(self, query: str) -> list[Business]:
        """The businesses whose pinyin initials equal ``query`` equally well (gh → 过户
        and 改号): the clerk must choose, the first is no better than the others.
        Empty when the best match is unique or isn't an initials match."""
        scored = self.search_scored(query)
        if not query.strip() or len(scored) < 2:
            return []
        best = scored[0][0]
        if best not in (1, 2):
            return []
        tied = [b for score, b in scored if score == best]
        return tied if len(tied) > 1 else []
