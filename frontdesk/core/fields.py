"""Typed form fields declared by the business catalogue, and their validation.

The catalogue (``resources/catalogue/catalogue.json``) declares for every business the
fields the clerk fills in (or a reader/scanner fills); the GUI builds the form from
these definitions and :func:`validate_field` turns what was typed or scanned into the
normalised value stored on the slip:

======== ==========================================================================
type     normalised value
======== ==========================================================================
text     stripped ``str`` (length limits and an optional regular expression)
choice   the choice's ``value``
mobile   11-digit mainland mobile number (``serials.check_mobile_number``)
money    ``int`` fen (a ``str`` is the clerk's yuan, an ``int`` is already fen)
date     ISO date ``str``; ``min``/``max`` are day offsets from today
integer  ``int`` within ``min``/``max``
bool     ``bool``
imei     device serial value: IMEI / IMEISV / MEID / S/N (``serials.check_device_serial``)
iccid    SIM/UIM serial (``serials.check_iccid``)
id_number 18-digit 居民身份证 number (``ids.parse_resident_id``; 15-digit refused)
address  stripped ``str``
email    ``str`` with a lower-cased domain
postcode 6-digit ``str``
======== ==========================================================================

An optional field left empty validates to :data:`EMPTY` (``""``), a ``bool`` to
``False``. A value that is already normalised validates to itself, so stored values can
be checked again. Field defaults are for pre-filling the form (:func:`default_value`);
:func:`validate_field` never substitutes them.
"""

from __future__ import annotations

import contextlib
import enum
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)

from frontdesk.core.messages import (
    Checked,
    Problem,
    define,
    define_field,
    error,
    failed,
    passed,
)
from frontdesk.core.money import format_fen, parse_yuan

__all__ = [
    "EMPTY",
    "Choice",
    "FieldDef",
    "FieldSource",
    "FieldType",
    "default_value",
    "register_label",
    "validate_field",
]

EMPTY = ""


class FieldType(enum.StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    MOBILE = "mobile"
    MONEY = "money"
    DATE = "date"
    INTEGER = "integer"
    BOOL = "bool"
    IMEI = "imei"  # device serial: IMEI / MEID / S/N
    ICCID = "iccid"
    ID_NUMBER = "id_number"
    ADDRESS = "address"
    EMAIL = "email"
    POSTCODE = "postcode"


FieldSource = Literal["clerk", "reader", "scanner", "visit"]

#: Types whose ``min``/``max`` mean something (money: fen; date: days from today).
RANGE_TYPES = frozenset({FieldType.INTEGER, FieldType.MONEY, FieldType.DATE})
#: Types with ``min_length``/``max_length``.
LENGTH_TYPES = frozenset({FieldType.TEXT, FieldType.ADDRESS, FieldType.EMAIL})
#: Types that identify one thing (a person, a SIM, a handset): a default makes no sense.
NO_DEFAULT_TYPES = frozenset(
    {FieldType.MOBILE, FieldType.IMEI, FieldType.ICCID, FieldType.ID_NUMBER}
)
_DEFAULT_MAX_LENGTH = {FieldType.TEXT: 500, FieldType.ADDRESS: 200, FieldType.EMAIL: 100}

_Frozen = ConfigDict(frozen=True, extra="forbid")
_NonEmpty = Annotated[str, Field(min_length=1)]


class Choice(BaseModel):
    model_config = _Frozen

    value: _NonEmpty
    label_zh: _NonEmpty
    label_en: _NonEmpty


class FieldDef(BaseModel):
    """One input of a business form, as the catalogue declares it."""

    model_config = _Frozen

    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
    label_zh: _NonEmpty
    label_en: _NonEmpty
    type: FieldType
    required: bool = False
    choices: tuple[Choice, ...] = ()
    choices_from: Literal["plans", "complaint_rules"] | None = None
    default: StrictBool | StrictInt | StrictStr | None = None
    source: FieldSource = "clerk"
    min: StrictInt | None = None
    max: StrictInt | None = None
    min_length: Annotated[StrictInt, Field(ge=0)] | None = None
    max_length: Annotated[StrictInt, Field(ge=1)] | None = None
    pattern: str | None = None
    help_zh: str | None = None
    help_en: str | None = None

    @field_validator("pattern")
    @classmethod
    def _pattern_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(
                    f"正则表达式无法编译（{exc}） / the regular expression does not compile ({exc})"
                ) from None
        return value

    @model_validator(mode="after")
    def _consistent(self) -> FieldDef:
        t = self.type
        if t is FieldType.CHOICE:
            if not self.choices and self.choices_from is None:
                raise ValueError(
                    "选择型字段必须列出 choices 或指定 choices_from / "
                    "a choice field needs choices or choices_from"
                )
            if self.choices and self.choices_from is not None:
                raise ValueError(
                    "choices 与 choices_from 只能二选一 / give choices or choices_from, not both"
                )
            values = [c.value for c in self.choices]
            if len(set(values)) != len(values):
                raise ValueError("选项值重复 / duplicate choice values")
        elif self.choices or self.choices_from is not None:
            raise ValueError(
                f"只有选择型字段可以有选项（本字段类型为 {t}） / only choice fields have choices"
            )
        if (self.min is not None or self.max is not None) and t not in RANGE_TYPES:
            raise ValueError(
                f"min/max 只适用于 integer、money、date 类型（本字段类型为 {t}） / "
                "min/max only apply to integer, money and date fields"
            )
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} 大于 max {self.max} / min is above max")
        if (self.min_length is not None or self.max_length is not None) and (t not in LENGTH_TYPES):
            raise ValueError(
                f"min_length/max_length 只适用于 text、address、email 类型（本字段类型为 {t}）"
                " / length limits only apply to text, address and email fields"
            )
        if (
            self.min_length is not None
            and self.max_length is not None
            and self.min_length > self.max_length
        ):
            raise ValueError("min_length 大于 max_length / min_length is above max_length")
        if self.pattern is not None and t is not FieldType.TEXT:
            raise ValueError(
                f"pattern 只适用于 text 类型（本字段类型为 {t}） / pattern only applies to text"
            )
        return self

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)


# --------------------------------------------------------------------------- messages

define(
    "field.required",
    zh="请填写{field}：本业务必须登记此项。",
    en="Please fill in the {field}: this business needs it.",
)
define(
    "field.control_chars",
    zh="{field}含有不可见的控制字符（例如从别处粘贴带入）。请删除后重新输入。",
    en="The {field} contains invisible control characters (pasted from elsewhere?). "
    "Please remove them and type it again.",
)
define(
    "field.too_short",
    zh="{field}至少需要 {min_length} 个字，当前只有 {length} 个字。请补充完整后再提交。",
    en="The {field} needs at least {min_length} characters; it has {length}. Please complete it.",
)
define(
    "field.too_long",
    zh="{field}最多 {max_length} 个字，当前有 {length} 个字。请精简后再提交。",
    en="The {field} may have at most {max_length} characters; it has {length}. Please shorten it.",
)
define(
    "field.pattern",
    zh="{field}的格式不符合要求（{hint_zh}）。请核对后重新输入。",
    en="The {field} is not in the expected format ({hint_en}). Please check and re-enter it.",
)
define(
    "field.choice",
    zh="{field}“{value}”不在可选范围内。请从列表中选择：{allowed_zh}。",
    en="The {field} “{value}” is not one of the options. Please pick one of: {allowed_en}.",
)
define(
    "field.integer",
    zh="{field}“{value}”不是整数。请输入阿拉伯数字，例如 3。",
    en="The {field} “{value}” is not a whole number. Please enter digits, e.g. 3.",
)
define(
    "field.min",
    zh="{field}不能小于 {min}（您输入的是 {value}）。请核对后重新输入。",
    en="The {field} cannot be below {min} (you entered {value}). Please check it.",
)
define(
    "field.max",
    zh="{field}不能大于 {max}（您输入的是 {value}）。请核对后重新输入。",
    en="The {field} cannot be above {max} (you entered {value}). Please check it.",
)
define(
    "field.money_type",
    zh="{field}应为金额（以“元”输入，例如 12.50）。请重新输入。",
    en="The {field} must be an amount in yuan, e.g. 12.50. Please enter it again.",
)
define(
    "field.date_format",
    zh="{field}“{value}”不是有效日期。请按“年-月-日”输入，例如 2024-05-01。",
    en="The {field} “{value}” is not a valid date. Please enter it as year-month-day, "
    "e.g. 2024-05-01.",
)
define(
    "field.date_min",
    zh="{field}不能早于 {limit}（您输入的是 {value}）。请核对日期。",
    en="The {field} cannot be before {limit} (you entered {value}). Please check the date.",
)
define(
    "field.date_max",
    zh="{field}不能晚于 {limit}（您输入的是 {value}）。请核对日期。",
    en="The {field} cannot be after {limit} (you entered {value}). Please check the date.",
)
define(
    "field.bool",
    zh="{field}请选择“是”或“否”（收到的是“{value}”）。",
    en="The {field} must be yes or no (got “{value}”).",
)
define(
    "field.email",
    zh="{field}“{value}”不是有效的电子邮箱地址。请按 name@example.com 的格式核对后重新输入。",
    en="The {field} “{value}” is not a valid e-mail address. Please check it (name@example.com).",
)
define(
    "field.postcode",
    zh="{field}“{value}”不正确：邮政编码为 6 位数字。请核对后重新输入。",
    en="The {field} “{value}” is wrong: a post code has 6 digits. Please check it.",
)


def register_label(defn: FieldDef) -> None:
    """Make the field's label known to :mod:`messages` so every rule names it.

    Best effort: when another module (or an earlier catalogue version in this process)
    registered the key with another label, that label stays and nothing fails.
    """
    with contextlib.suppress(ValueError):
        define_field(defn.key, zh=defn.label_zh, en=defn.label_en)


# --------------------------------------------------------------------------- helpers

_TRUE = frozenset({"true", "yes", "y", "1", "on", "是", "有", "对", "√"})
_FALSE = frozenset({"false", "no", "n", "0", "off", "否", "无", "不", "×"})
_RE_INT = re.compile(r"[+-]?\d+")
_RE_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_RE_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_RE_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_RE_POSTCODE = re.compile(r"\d{6}")


# C0 controls and DEL, except tab and line breaks (whitespace the fields normalise)
_RE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_problems(text: str, key: str) -> list[Problem]:
    """Refuse control characters (NUL and the like) in typed text, naming the field:
    they can't be printed, and head office quarantines a record carrying a NUL."""
    return [error("field.control_chars", key)] if _RE_CONTROL.search(text) else []


def _is_empty(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _nfkc(raw: object) -> str:
    return unicodedata.normalize("NFKC", str(raw)).strip()


def _shown(raw: object) -> str:
    """What the clerk typed, shortened for a message."""
    text = str(raw).strip()
    return text if len(text) <= 30 else text[:29] + "…"


def _parse_date(raw: object) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = "".join(_nfkc(raw).split())
    match = _RE_DATE.fullmatch(text) or _RE_DATE_COMPACT.fullmatch(text)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _check_range(
    defn: FieldDef, value: int, shown: str, fmt: Callable[[int], str] = str
) -> list[Problem]:
    if defn.min is not None and value < defn.min:
        return [error("field.min", defn.key, min=fmt(defn.min), value=shown)]
    if defn.max is not None and value > defn.max:
        return [error("field.max", defn.key, max=fmt(defn.max), value=shown)]
    return []


def _result(value: object, problems: list[Problem]) -> Checked[object]:
    if any(p.is_error for p in problems):
        return failed(*problems)
    return passed(value, *problems)


# --------------------------------------------------------------------------- per type


def _text(defn: FieldDef, raw: object) -> Checked[object]:
    text = " ".join(str(raw).split()) if defn.type is FieldType.ADDRESS else str(raw).strip()
    length = len(text)
    max_length = defn.max_length or _DEFAULT_MAX_LENGTH.get(defn.type)
    if defn.min_length is not None and length < defn.min_length:
        return failed(error("field.too_short", defn.key, min_length=defn.min_length, length=length))
    if max_length is not None and length > max_length:
        return failed(error("field.too_long", defn.key, max_length=max_length, length=length))
    if defn.pattern is not None and re.fullmatch(defn.pattern, text) is None:
        return failed(
            error(
                "field.pattern",
                defn.key,
                hint_zh=defn.help_zh or "请参照示例填写",
                hint_en=defn.help_en or "see the example",
            )
        )
    return passed(text)


def _choice(defn: FieldDef, raw: object) -> Checked[object]:
    text = str(raw).strip()
    for c in defn.choices:
        if text == c.value:
            return passed(c.value)
    folded = _nfkc(text).casefold()
    for c in defn.choices:
        if folded in (c.value.casefold(), c.label_zh.casefold(), c.label_en.casefold()):
            return passed(c.value)
    return failed(
        error(
            "field.choice",
            defn.key,
            value=_shown(raw),
            allowed_zh="、".join(c.label_zh for c in defn.choices),
            allowed_en=", ".join(c.label_en for c in defn.choices),
        )
    )


def _integer(defn: FieldDef, raw: object) -> Checked[object]:
    if isinstance(raw, bool):
        return failed(error("field.integer", defn.key, value=_shown(raw)))
    if isinstance(raw, int):
        value = raw
    else:
        text = _nfkc(raw).replace(",", "")
        if not _RE_INT.fullmatch(text):
            return failed(error("field.integer", defn.key, value=_shown(raw)))
        value = int(text)
    return _result(value, _check_range(defn, value, str(value)))


def _money(defn: FieldDef, raw: object) -> Checked[object]:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        return failed(error("field.money_type", defn.key))
    if isinstance(raw, int):  # already fen (a default or a stored value)
        if raw < 0:
            return failed(error("money.negative", defn.key, amount=format_fen(raw)))
        if defn.max is not None and raw > defn.max:
            return failed(
                error("money.too_large", defn.key, amount=format_fen(raw), max=format_fen(defn.max))
            )
        fen = raw
    else:
        parsed = parse_yuan(raw, defn.key, max_fen=defn.max)
        if parsed.value is None:
            return parsed  # type: ignore[return-value]
        fen = parsed.value
    return _result(fen, _check_range(defn, fen, format_fen(fen), format_fen))


def _date(defn: FieldDef, raw: object, today: date) -> Checked[object]:
    value = _parse_date(raw)
    if value is None:
        return failed(error("field.date_format", defn.key, value=_shown(raw)))
    if defn.min is not None and value < today + timedelta(days=defn.min):
        limit = (today + timedelta(days=defn.min)).isoformat()
        return failed(error("field.date_min", defn.key, limit=limit, value=value.isoformat()))
    if defn.max is not None and value > today + timedelta(days=defn.max):
        limit = (today + timedelta(days=defn.max)).isoformat()
        return failed(error("field.date_max", defn.key, limit=limit, value=value.isoformat()))
    return passed(value.isoformat())


def _bool(defn: FieldDef, raw: object) -> Checked[object]:
    if isinstance(raw, bool):
        return passed(raw)
    if isinstance(raw, int) and raw in (0, 1):
        return passed(bool(raw))
    text = _nfkc(raw).casefold()
    if text in _TRUE:
        return passed(True)
    if text in _FALSE:
        return passed(False)
    return failed(error("field.bool", defn.key, value=_shown(raw)))


def _email(defn: FieldDef, raw: object) -> Checked[object]:
    text = _nfkc(raw)
    if not _RE_EMAIL.fullmatch(text):
        return failed(error("field.email", defn.key, value=_shown(raw)))
    local, domain = text.rsplit("@", 1)
    return _text(defn, f"{local}@{domain.lower()}")


def _postcode(defn: FieldDef, raw: object) -> Checked[object]:
    text = "".join(_nfkc(raw).split())
    if not _RE_POSTCODE.fullmatch(text):
        return failed(error("field.postcode", defn.key, value=_shown(raw)))
    return passed(text)


def _mobile(defn: FieldDef, raw: object) -> Checked[object]:
    from frontdesk.core.serials import check_mobile_number

    return check_mobile_number(raw, defn.key)  # type: ignore[return-value]


def _serial(defn: FieldDef, raw: object) -> Checked[object]:
    from frontdesk.core.serials import check_device_serial

    checked = check_device_serial(raw, defn.key)
    if checked.value is None:
        return failed(*checked.problems)
    return Checked(checked.value.value, checked.problems)


def _iccid(defn: FieldDef, raw: object) -> Checked[object]:
    from frontdesk.core.serials import check_iccid

    return check_iccid(raw, defn.key)  # type: ignore[return-value]


def _id_number(defn: FieldDef, raw: object, today: date) -> Checked[object]:
    from frontdesk.core.ids import parse_resident_id

    checked = parse_resident_id(raw, defn.key, today=today)
    if checked.value is None:
        return failed(*checked.problems)
    if checked.value.legacy15:
        return failed(error("id.legacy_15", defn.key))
    return Checked(checked.value.number18, checked.problems)


# --------------------------------------------------------------------------- public


def validate_field(defn: FieldDef, raw: object, *, today: date) -> Checked[object]:
    """Check one input against its definition; the normalised value or the problems.

    Every problem is reported on ``defn.key`` so the form shows it next to the field.
    """
    register_label(defn)
    if _is_empty(raw):
        if defn.required:
            return failed(error("field.required", defn.key))
        return passed(False if defn.type is FieldType.BOOL else EMPTY)
    if isinstance(raw, str) and (control := control_problems(raw, defn.key)):
        return failed(*control)
    t = defn.type
    if t in (FieldType.TEXT, FieldType.ADDRESS):
        return _text(defn, raw)
    if t is FieldType.CHOICE:
        return _choice(defn, raw)
    if t is FieldType.INTEGER:
        return _integer(defn, raw)
    if t is FieldType.MONEY:
        return _money(defn, raw)
    if t is FieldType.DATE:
        return _date(defn, raw, today)
    if t is FieldType.BOOL:
        return _bool(defn, raw)
    if t is FieldType.EMAIL:
        return _email(defn, raw)
    if t is FieldType.POSTCODE:
        return _postcode(defn, raw)
    if t is FieldType.MOBILE:
        return _mobile(defn, raw)
    if t is FieldType.IMEI:
        return _serial(defn, raw)
    if t is FieldType.ICCID:
        return _iccid(defn, raw)
    if t is FieldType.ID_NUMBER:
        return _id_number(defn, raw, today)
    raise AssertionError(f"unhandled field type {t}")  # pragma: no cover


def default_value(defn: FieldDef, *, today: date) -> object | None:
    """The value to pre-fill the form with (normalised), or ``None`` when there is none.

    A date field's default may be ``"today"``.
    """
    if defn.default is None:
        return None
    if defn.type is FieldType.DATE and defn.default == "today":
        return today.isoformat()
    return validate_field(defn, defn.default, today=today).value
