"""The business catalogue (业务目录) as data: models, loader, cross-checks and search.

Head office is the source of record for the catalogue (DOMAIN.md): which businesses
the counter offers, their form fields, ID steps, who may do them (本人 / 代办 /
单位经办人, prepaid / postpaid — seed 000's matrix), preconditions, fees, SLA minutes,
customer tiers, plans, warranty periods and complaint deadlines. The shipped demo copy
is ``resources/catalogue/catalogue.json``; its schema is described in the README beside
it. A catalogue that breaks a rule is refused as a whole with a :class:`CatalogueError`
naming the file, the entry and the reason — the counter keeps the catalogue it had.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PositiveInt,
    PrivateAttr,
    StrictBool,
    StrictInt,
    ValidationError,
    model_validator,
)

from frontdesk.core.fields import (
    NO_DEFAULT_TYPES,
    Choice,
    FieldDef,
    FieldType,
    register_label,
    validate_field,
)
from frontdesk.core.handsets import Handset, handset_checks
from frontdesk.core.money import parse_yuan

__all__ = [
    "ACCOUNT_EFFECTS",
    "ID_STEPS",
    "LINE_PRECONDITION_RULES",
    "LINE_STATUSES",
    "PRECONDITION_RULES",
    "Business",
    "Catalogue",
    "CatalogueError",
    "ComplaintRule",
    "HandlingClass",
    "Plan",
    "Precondition",
    "Tier",
    "WarrantyPeriod",
    "default_catalogue_path",
    "load_catalogue",
    "parse_catalogue",
]

SCHEMA_VERSION = 1

#: Precondition rule name → its parameter names (all required). The meaning of each
#: rule lives in :mod:`frontdesk.core.preconditions`; this is the closed list the
#: catalogue may name.
PRECONDITION_RULES: dict[str, set[str]] = {
    "arrears_cleared": set(),
    "no_contract_lock": set(),
    "no_pretty_number_lock": set(),
    "no_marketing_lock": set(),
    "not_moved_without_change": set(),
    "id_number_limit": {"max"},
    "min_age": {"years"},
    "line_status": {"in"},
    "tier_at_least": {"tier"},
    "balance_positive": set(),
}
#: Optional parameters: ``id_number_limit.counts_when`` names the field values under
#: which a business adds a number 一证五号 counts (mobile numbers, 副卡 included).
PRECONDITION_OPTIONAL_PARAMS: dict[str, set[str]] = {"id_number_limit": {"counts_when"}}
#: Rules judged on the chosen line: only businesses with ``acts_on: "line"`` may use them.
LINE_PRECONDITION_RULES = frozenset(
    {
        "arrears_cleared",
        "no_contract_lock",
        "no_pretty_number_lock",
        "no_marketing_lock",
        "not_moved_without_change",
        "line_status",
        "balance_positive",
    }
)
#: Line states head office reports (``accounts.LineState.status``).
LINE_STATUSES = ("active", "suspended", "lost", "closed")
#: The ID verification steps of SPEC §2, in order.
ID_STEPS = ("capture", "check", "match", "retain", "limits")

AccountEffect = Literal[
    "add_line",
    "close_line",
    "suspend_line",
    "resume_line",
    "report_lost",
    "cancel_lost",
    "change_owner",
    "change_number",
    "change_plan",
    "top_up",
    "refund_balance",
    "refund_deposit",
    "replace_sim",
    "roaming_on",
    "roaming_off",
    "idd_on",
    "redeem_points",
    "password_reset",
    "unlock_account",
    "move_address",
    "change_speed",
    "reverify",
    "none",
]
ACCOUNT_EFFECTS: tuple[str, ...] = AccountEffect.__args__  # type: ignore[attr-defined]
#: Effects on one existing line (the business must act on a line).
LINE_EFFECTS = frozenset(ACCOUNT_EFFECTS) - {"add_line", "none"}

Category = Literal["account", "line", "service", "payment", "enquiry", "terminal", "complaint"]
Party = Literal["self", "agent", "unit_agent"]
PaymentMode = Literal["prepaid", "postpaid"]

_Frozen = ConfigDict(frozen=True, extra="forbid")
_NonEmpty = Annotated[str, Field(min_length=1)]
_Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]


# --------------------------------------------------------------------------- error


class CatalogueError(Exception):
    """A catalogue that can't be used: which file, which entry, why (Chinese and English)."""

    def __init__(self, source: str, entry: str, reason: str, reason_en: str | None = None):
        self.source = source
        self.entry = entry
        self.reason = reason
        self.reason_en = reason_en or reason
        super().__init__(
            f"业务目录文件 {source} 有误，条目 {entry}：{reason}。"
            "请联系总部重新发布正确的业务目录，在此之前继续使用原有目录。\n"
            f"Catalogue file {source} is invalid at {entry}: {self.reason_en}. "
            "Please ask head office to publish a corrected catalogue; the previous one stays "
            "in use until then."
        )


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


# --------------------------------------------------------------------------- pinyin


_RE_BRACKETS = re.compile(r"[(（][^)）]*[)）]")
_RE_NAME_SPLIT = re.compile(r"[/／、]")
_RE_NOT_WORD = re.compile(r"[^\w]|_")


def _name_variants(name: str, aliases: tuple[str, ...]) -> list[str]:
    """Main name first (first part, brackets dropped), then every other spelling."""
    variants: list[str] = []
    for text in (name, *aliases):
        parts = [p for p in _RE_NAME_SPLIT.split(text) if p.strip()]
        for part in [*parts, text]:
            variants.append(_RE_BRACKETS.sub("", part))  # 补(换)卡 → 补卡
            variants.append(_RE_NOT_WORD.sub("", part))  # 补(换)卡 → 补换卡
    return [v for v in dict.fromkeys(_RE_NOT_WORD.sub("", v) for v in variants) if v]


def _spell(text: str) -> tuple[str, str]:
    """(full pinyin, initials) by phrase, lower-case, punctuation ignored: 补卡 → buka, bk."""
    from pypinyin import lazy_pinyin

    syllables = [_RE_NOT_WORD.sub("", s.lower()) for s in lazy_pinyin(text)]
    syllables = [s for s in syllables if s]
    return "".join(syllables), "".join(s[0] for s in syllables)


def _spell_readings(text: str, limit: int = 32) -> list[tuple[str, str]]:
    """Every reading of the characters' other pronunciations (重置 → chongzhi and
    zhongzhi), at most ``limit`` of them, so a clerk finds a name however they read it."""
    from pypinyin import pinyin

    readings: list[tuple[str, str]] = [("", "")]
    for char in text:
        options = [_RE_NOT_WORD.sub("", o.lower()) for o in pinyin(char, heteronym=True)[0]]
        options = list(dict.fromkeys(o for o in options if o)) or [char.lower()]
        readings = [(full + o, ini + o[0]) for full, ini in readings for o in options][:limit]
    return readings


def _score(b: Business, text: str, compact: str, upper: str) -> int | None:
    code = b.code.upper()
    if code == upper:
        return 0
    if compact == b.pinyin_initials:
        return 1
    if compact in b.search_initials:
        return 2
    if b.pinyin_initials.startswith(compact):
        return 3
    if any(i.startswith(compact) for i in b.search_initials):
        return 4
    if code.startswith(upper):
        return 5
    if text in b.name_zh or any(text in a for a in b.aliases_zh):
        return 6
    if any(p.startswith(compact) for p in b.search_pinyin):
        return 7
    if len(compact) >= 3 and text.casefold() in b.name_en.casefold():
        return 8
    return None


# --------------------------------------------------------------------------- loading


def default_catalogue_path() -> Path:
    """``resources/catalogue/catalogue.json`` (env ``FRONTDESK_RESOURCES`` names the
    resources folder instead)."""
    override = os.environ.get("FRONTDESK_RESOURCES")
    base = Path(override) if override else Path(__file__).resolve().parents[2] / "resources"
    return base / "catalogue" / "catalogue.json"


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Read, check and return the catalogue; :class:`CatalogueError` when it is unusable."""
    path = Path(path) if path is not None else default_catalogue_path()
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(
            source,
            "(文件 / file)",
            f"无法读取文件（{exc.strerror or exc}）",
            f"the file cannot be read ({exc.strerror or exc})",
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogueError(
            source,
            f"第 {exc.start} 字节 / byte {exc.start}",
            "文件不是 UTF-8 编码",
            "the file is not UTF-8",
        ) from exc
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise CatalogueError(
            source,
            f"第 {exc.lineno} 行第 {exc.colno} 列 / line {exc.lineno}, column {exc.colno}",
            f"JSON 语法错误（{exc.msg}）",
            f"JSON syntax error ({exc.msg})",
        ) from exc
    except _DuplicateKey as exc:
        raise CatalogueError(
            source,
            f"键 “{exc.key}” / key “{exc.key}”",
            "同一对象中该键出现了两次",
            "the key appears twice in the same object",
        ) from exc
    return parse_catalogue(data, source)


def parse_catalogue(data: dict, source: str) -> Catalogue:
    """Check a catalogue given as decoded JSON (e.g. from head office) and build it."""
    if not isinstance(data, dict):
        raise CatalogueError(source, "(顶层 / top level)", "应为 JSON 对象", "must be an object")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise CatalogueError(
            source,
            "schema_version",
            f"不支持的目录格式版本 {data.get('schema_version')!r}（本程序支持 {SCHEMA_VERSION}），"
            "请升级前台软件或联系总部",
            f"unsupported schema version {data.get('schema_version')!r} (this program reads "
            f"{SCHEMA_VERSION}); update the counter software or ask head office",
        )
    try:
        catalogue = Catalogue.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        zh, en = _explain(first)
        if len(errors) > 1:
            zh += f"（另有 {len(errors) - 1} 处问题）"
            en += f" ({len(errors) - 1} more problem(s))"
        raise CatalogueError(source, _entry(data, first["loc"]), zh, en) from None
    for loc, zh, en in _cross_checks(catalogue):
        raise CatalogueError(source, _entry(data, loc), zh, en)
    catalogue = _resolve_choices(catalogue)
    for loc, zh, en in _default_checks(catalogue):
        raise CatalogueError(source, _entry(data, loc), zh, en)
    for business in catalogue.businesses:
        for defn in business.fields:
            register_label(defn)
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    catalogue._digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    catalogue._source = source
    return catalogue


def _entry(data: Any, loc: tuple[Any, ...]) -> str:
    """JSON path of an entry, with the code of each list item: businesses[3](NEW_LINE).fee_fen."""
    out = ""
    node: Any = data
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict):
                for name in ("code", "key", "category", "part", "rule", "value"):
                    if isinstance(node.get(name), str):
                        out += f"({node[name]})"
                        break
        else:
            out += ("." if out else "") + str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out or "(顶层 / top level)"


_PYDANTIC_ZH = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的键（可能拼写有误）",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "string_type": "应为文本",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "string_pattern_mismatch": "格式不符合要求",
    "string_too_short": "不能为空",
    "string_too_long": "太长",
    "greater_than": "数值太小",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "too_short": "至少需要一项",
    "tuple_type": "应为列表",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "datetime_type": "应为 ISO 日期时间",
    "datetime_parsing": "应为 ISO 日期时间",
    "datetime_from_date_parsing": "应为 ISO 日期时间",
}


def _explain(err: Mapping[str, Any]) -> tuple[str, str]:
    kind = err["type"]
    message = str(err.get("msg", ""))
    if kind == "value_error":
        text = message.removeprefix("Value error, ")
        zh, _, en = text.partition(" / ")
        return zh, en or zh
    ctx = err.get("ctx") or {}
    zh = _PYDANTIC_ZH.get(kind, "取值无效")
    if "expected" in ctx:
        zh += f"，允许：{ctx['expected']}"
    elif "pattern" in ctx:
        zh += f"（{ctx['pattern']}）"
    elif "ge" in ctx or "gt" in ctx:
        zh += f"，应 ≥ {ctx.get('ge', ctx.get('gt'))}"
    if "input" in err and kind not in ("missing",):
        shown = repr(err["input"])
        if len(shown) <= 60:
            zh += f"（当前值 {shown}）"
    return zh, message


# --------------------------------------------------------------------------- cross-checks

_Finding = tuple[tuple[Any, ...], str, str]


def _duplicates(values: list[str]) -> list[int]:
    seen: set[str] = set()
    found = []
    for i, v in enumerate(values):
        if v in seen:
            found.append(i)
        seen.add(v)
    return found


def _cross_checks(c: Catalogue) -> Iterator[_Finding]:
    yield from handset_checks(c)
    for name, attr, items in (
        ("businesses", "code", c.businesses),
        ("tiers", "code", c.tiers),
        ("plans", "code", c.plans),
        ("handling_classes", "code", c.handling_classes),
        ("complaint_rules", "category", c.complaint_rules),
        ("warranty_periods", "part", c.warranty_periods),
    ):
        for i in _duplicates([getattr(item, attr) for item in items]):
            value = getattr(items[i], attr)
            yield (
                (name, i, attr),
                f"{attr} “{value}” 重复，每一项必须唯一",
                f"{attr} “{value}” is used twice; each must be unique",
            )
    for i in _duplicates([str(t.rank) for t in c.tiers]):
        yield (
            ("tiers", i, "rank"),
            f"级别序号 {c.tiers[i].rank} 重复，叫号顺序将不确定",
            f"rank {c.tiers[i].rank} is used twice; the calling order would be undefined",
        )
    if not any(t.code == "standard" and t.rank == 0 for t in c.tiers):
        yield (
            ("tiers",),
            "缺少普通客户级别（code 为 standard、rank 为 0）",
            "the standard tier (code standard, rank 0) is missing",
        )
    for i, plan in enumerate(c.plans):
        if plan.monthly_fee_fen < 0:
            yield (
                ("plans", i, "monthly_fee_fen"),
                "月费不能为负数",
                "the monthly fee cannot be negative",
            )
    for i, rule in enumerate(c.complaint_rules):
        d = rule.deadline
        if d.value_suburb is not None and d.value_suburb < d.value:
            yield (
                ("complaint_rules", i, "deadline", "value_suburb"),
                "郊县时限不能短于城区时限",
                "the suburban deadline cannot be shorter than the city one",
            )
    tiers = {t.code for t in c.tiers}
    classes = {h.code for h in c.handling_classes}
    parts = {w.part for w in c.warranty_periods}
    labels: dict[str, tuple[str, str, str, str]] = {}
    free_sim = {t.code for t in c.tiers if t.free_sim_replacement}
    for bi, b in enumerate(c.businesses):
        yield from _business_checks(c, bi, b, tiers, classes, parts, free_sim)
        for fi, f in enumerate(b.fields):
            seen = labels.setdefault(f.key, (f.label_zh, f.label_en, str(f.type), b.code))
            if seen[:3] != (f.label_zh, f.label_en, str(f.type)):
                yield (
                    ("businesses", bi, "fields", fi, "key"),
                    f"字段 “{f.key}” 在业务 {seen[3]} 中的名称或类型不同；同一个键在整个目录中"
                    "必须表示同一项内容，请改用另一个键",
                    f"field “{f.key}” has another label or type in business {seen[3]}; a key "
                    "means one thing across the catalogue, use another key",
                )


def _business_checks(
    c: Catalogue,
    bi: int,
    b: Business,
    tiers: set[str],
    classes: set[str],
    parts: set[str],
    free_sim: set[str],
) -> Iterator[_Finding]:
    at = ("businesses", bi)
    categories = {r.category for r in c.complaint_rules}
    for ci, clock in enumerate(b.clocks):
        if clock.category not in categories:
            yield (
                (*at, "clocks", ci, "category"),
                f"时限类别 “{clock.category}” 不在投诉规则中",
                f"clock category “{clock.category}” is not a complaint rule",
            )
        for key in [*clock.when, *([clock.area_field] if clock.area_field else [])]:
            if b.find_field(key) is None:
                yield (
                    (*at, "clocks", ci),
                    f"时限引用的字段 “{key}” 不存在",
                    f"the clock names field “{key}”, which the business does not have",
                )
    if b.handling_class not in classes:
        yield (
            (*at, "handling_class"),
            f"办理时限类别 “{b.handling_class}” 不存在，可用：{'、'.join(sorted(classes))}",
            f"handling class “{b.handling_class}” does not exist ({', '.join(sorted(classes))})",
        )
    if b.sla_minutes <= 0:
        yield (
            (*at, "sla_minutes"),
            "办理时限（分钟）必须大于 0",
            "sla_minutes must be above 0",
        )
    if b.fee_fen < 0:
        yield (
            (*at, "fee_fen"),
            f"收费不能为负数（{b.fee_fen} 分）；退款请用 money_direction: out",
            f"the fee cannot be negative ({b.fee_fen} fen); refunds use money_direction out",
        )
    for ti, tier in enumerate(b.free_for_tiers):
        if tier not in tiers:
            yield (
                (*at, "free_for_tiers", ti),
                f"客户级别 “{tier}” 不存在，可用：{'、'.join(sorted(tiers))}",
                f"tier “{tier}” does not exist ({', '.join(sorted(tiers))})",
            )
    if b.fee_from_field is not None:
        defn = b.find_field(b.fee_from_field)
        if defn is None or defn.type is not FieldType.MONEY or not defn.required:
            yield (
                (*at, "fee_from_field"),
                f"fee_from_field 指向的 “{b.fee_from_field}” 必须是本业务的必填金额字段",
                f"fee_from_field “{b.fee_from_field}” must name a required money field of "
                "this business",
            )
        if b.fee_fen:
            yield (
                (*at, "fee_fen"),
                "金额取自字段时 fee_fen 必须为 0",
                "fee_fen must be 0 when the amount comes from a field",
            )
        if b.free_for_tiers:
            yield (
                (*at, "free_for_tiers"),
                "金额取自字段（充值、价款、退款）时不能对客户级别免收",
                "an amount taken from a field (top-up, price, refund) cannot be waived by tier",
            )
    elif b.money_direction == "out":
        yield (
            (*at, "money_direction"),
            "退款类业务（money_direction: out）必须用 fee_from_field 指定退款金额字段",
            "a pay-out business (money_direction out) needs fee_from_field for the amount",
        )
    if b.account_effect == "replace_sim" and set(b.free_for_tiers) != free_sim:
        yield (
            (*at, "free_for_tiers"),
            "补换卡的免费级别必须与 tiers 中 free_sim_replacement 为 true 的级别一致",
            "free_for_tiers of a SIM replacement must equal the tiers with free_sim_replacement",
        )
    for si, step in enumerate(b.id_steps):
        if step not in ID_STEPS:
            yield (
                (*at, "id_steps", si),
                f"身份核验步骤 “{step}” 不存在，可用：{'、'.join(ID_STEPS)}",
                f"ID step “{step}” is unknown ({', '.join(ID_STEPS)})",
            )
    for si in _duplicates(list(b.id_steps)):
        yield ((*at, "id_steps", si), "身份核验步骤重复", "an ID step is listed twice")
    if b.face_required and "match" not in b.id_steps:
        yield (
            (*at, "face_required"),
            "需要人像比对的业务必须包含 match 步骤",
            "face_required needs the match step in id_steps",
        )
    for name, values in (("parties", b.parties), ("payment_modes", b.payment_modes)):
        for i in _duplicates(list(values)):
            yield ((*at, name, i), "取值重复", "listed twice")
    if b.account_effect == "add_line" and b.acts_on != "customer":
        yield (
            (*at, "acts_on"),
            "新增号码的业务必须作用于客户（acts_on: customer）",
            "a business adding a line must act on the customer",
        )
    if b.account_effect in LINE_EFFECTS and b.acts_on != "line":
        yield (
            (*at, "acts_on"),
            f"账户变更 “{b.account_effect}” 作用于某个号码，acts_on 必须为 line",
            f"account effect “{b.account_effect}” changes one line; acts_on must be line",
        )
    for i in _duplicates([p.rule for p in b.preconditions]):
        yield ((*at, "preconditions", i), "前置条件重复", "a precondition is listed twice")
    for pi, pre in enumerate(b.preconditions):
        yield from _precondition_checks((*at, "preconditions", pi), b, pre, tiers)
    for fi in _duplicates([f.key for f in b.fields]):
        yield (
            (*at, "fields", fi, "key"),
            f"字段键 “{b.fields[fi].key}” 在本业务中重复",
            f"field key “{b.fields[fi].key}” is used twice in this business",
        )
    for fi, f in enumerate(b.fields):
        if f.choices_from == "plans" and not c.plans:
            yield (
                (*at, "fields", fi, "choices_from"),
                "choices_from 引用了 plans，但目录中没有套餐",
                "choices_from names plans but the catalogue has none",
            )
        if f.choices_from == "complaint_rules" and not c.complaint_rules:
            yield (
                (*at, "fields", fi, "choices_from"),
                "choices_from 引用了 complaint_rules，但目录中没有投诉规则",
                "choices_from names complaint_rules but the catalogue has none",
            )
    for wi, part in enumerate(b.warranty_parts):
        if part not in parts:
            yield (
                (*at, "warranty_parts", wi),
                f"保修部件 “{part}” 在 warranty_periods 中不存在",
                f"warranty part “{part}” is not in warranty_periods",
            )
    if b.creates_warranty_card != bool(b.warranty_parts):
        yield (
            (*at, "warranty_parts"),
            "开具保修卡的业务必须列出保修部件，其他业务不能列出",
            "warranty_parts is needed exactly when creates_warranty_card is true",
        )
    if b.creates_warranty_card and not any(f.type is FieldType.IMEI for f in b.fields):
        yield (
            (*at, "creates_warranty_card"),
            "开具保修卡的业务必须有串号字段（imei 类型）",
            "a business creating a warranty card needs a serial (imei) field",
        )


def _precondition_checks(
    at: tuple[Any, ...], b: Business, pre: Precondition, tiers: set[str]
) -> Iterator[_Finding]:
    allowed = PRECONDITION_RULES.get(pre.rule)
    if allowed is None:
        yield (
            (*at, "rule"),
            f"前置条件 “{pre.rule}” 不存在，可用：{'、'.join(PRECONDITION_RULES)}",
            f"precondition rule “{pre.rule}” is unknown ({', '.join(PRECONDITION_RULES)})",
        )
        return
    given = set(pre.params) - PRECONDITION_OPTIONAL_PARAMS.get(pre.rule, set())
    if given != allowed:
        extra = ", ".join(sorted(given - allowed)) or "-"
        missing = ", ".join(sorted(allowed - given)) or "-"
        yield (
            at,
            f"前置条件 “{pre.rule}” 的参数不正确（多余：{extra}；缺少：{missing}）",
            f"wrong parameters for “{pre.rule}” (unexpected: {extra}; missing: {missing})",
        )
        return
    if pre.rule in LINE_PRECONDITION_RULES and b.acts_on != "line":
        yield (
            at,
            f"前置条件 “{pre.rule}” 针对号码判断，只能用于 acts_on 为 line 的业务",
            f"precondition “{pre.rule}” judges a line; the business must act on a line",
        )
    p = pre.params
    when = p.get("counts_when")
    if when is not None and not (
        isinstance(when, Mapping)
        and all(b.find_field(k) is not None and isinstance(v, list) and v for k, v in when.items())
    ):
        yield (
            (*at, "counts_when"),
            "counts_when 应为“本业务的字段 → 取值列表”",
            "counts_when must map a field of this business to a list of its values",
        )
    if pre.rule == "id_number_limit" and not _int_between(p["max"], 1, 99):
        yield (
            (*at, "max"),
            f"max 应为 1 到 99 的整数（当前值 {p['max']!r}）",
            f"max must be an integer 1..99 (got {p['max']!r})",
        )
    if pre.rule == "min_age" and not _int_between(p["years"], 0, 120):
        yield (
            (*at, "years"),
            f"years 应为 0 到 120 的整数（当前值 {p['years']!r}）",
            f"years must be an integer 0..120 (got {p['years']!r})",
        )
    if pre.rule == "line_status":
        value = p["in"]
        if (
            not isinstance(value, list)
            or not value
            or any(s not in LINE_STATUSES for s in value)
            or len(set(value)) != len(value)
        ):
            yield (
                (*at, "in"),
                f"in 应为号码状态列表，可用：{'、'.join(LINE_STATUSES)}（当前值 {value!r}）",
                f"in must list line states from {', '.join(LINE_STATUSES)} (got {value!r})",
            )
    if pre.rule == "tier_at_least" and p["tier"] not in tiers:
        yield (
            (*at, "tier"),
            f"客户级别 “{p['tier']}” 不存在，可用：{'、'.join(sorted(tiers))}",
            f"tier “{p['tier']}” does not exist ({', '.join(sorted(tiers))})",
        )


def _int_between(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _resolve_choices(c: Catalogue) -> Catalogue:
    """Fill ``choices_from`` fields with the referenced list (plans, complaint rules)."""
    sources: dict[str, tuple[Choice, ...]] = {
        "plans": tuple(
            Choice(value=p.code, label_zh=p.name_zh, label_en=p.name_en) for p in c.plans
        ),
        "complaint_rules": tuple(
            Choice(value=r.category, label_zh=r.name_zh, label_en=r.name_en)
            for r in c.complaint_rules
        ),
    }
    businesses = []
    for b in c.businesses:
        if any(f.choices_from for f in b.fields):
            fields = tuple(
                f.model_copy(update={"choices": sources[f.choices_from]}) if f.choices_from else f
                for f in b.fields
            )
            b = b.model_copy(update={"fields": fields})
        businesses.append(b)
    return c.model_copy(update={"businesses": tuple(businesses)})


def _default_checks(c: Catalogue) -> Iterator[_Finding]:
    today = c.published_at.date()
    for bi, b in enumerate(c.businesses):
        for fi, f in enumerate(b.fields):
            if f.default is None:
                continue
            at = ("businesses", bi, "fields", fi, "default")
            if f.type in NO_DEFAULT_TYPES:
                yield (
                    at,
                    f"{f.type} 类型的字段不能有默认值（每位客户、每张卡都不同）",
                    f"a {f.type} field cannot have a default (it differs for every customer)",
                )
                continue
            if f.type is FieldType.DATE and f.default == "today":
                continue
            if f.type is FieldType.DATE and f.default is not None:
                # relative limits are judged on the day of use, not on publication
                f = f.model_copy(update={"min": None, "max": None})
            checked = validate_field(f, f.default, today=today)
            if not checked.ok:
                problem = checked.problems[0]
                yield (
                    at,
                    f"默认值 {f.default!r} 不符合字段规则：{problem.text('zh')}",
                    f"the default {f.default!r} breaks the field's rule: {problem.text('en')}",
                )
