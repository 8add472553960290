"""Identity documents (身份证件): numbers, check characters, validity and masking.

Rules and their sources (DOMAIN.md "Rules from law and standards"):

* 居民身份证 number, GB 11643-1999: 6-digit GB/T 2260 address code + birth date
  YYYYMMDD + 3-digit sequence (odd = male) + ISO 7064 MOD 11-2 check character.
  The 15-digit numbers of GB 11643-1989 (YYMMDD, no check) are still *parsed* and are
  upgraded to 18 digits by :func:`normalise_number`, so the same person is found either
  way; as a document presented today a 15-digit card is refused (``id.legacy_15``).
* Card validity, 居民身份证法 Art. 5: under 16 at issue → 5 years, 16–25 → 10,
  26–45 → 20, 46 and over → 长期. A 临时居民身份证 is valid 3 months, a 港澳台居民居住证
  5 years. A validity that does not fit is a *warning* (the card is what it is; the clerk
  looks again), an expired or not-yet-valid document is an *error*.
* Address codes missing from the GB/T 2260 table are a *warning*: abolished counties'
  codes stay in old numbers and the table may lag behind new ones.

Nothing here puts a full ID number into an exception, a log or a message parameter;
messages carry :func:`mask_id_number` output at most.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from frontdesk.core import regions
from frontdesk.core.messages import (
    Checked,
    Language,
    Problem,
    define,
    define_field,
    error,
    failed,
    passed,
    warning,
)
from frontdesk.core.serials import normalise_phone

__all__ = [
    "DocType",
    "IdentityDocument",
    "ResidentIdNumber",
    "age_on",
    "check_credit_code",
    "check_document",
    "check_min_age",
    "define_prefixed_fields",
    "icao_check_digit",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "mod11_2_check",
    "normalise_number",
    "parse_resident_id",
]


# --------------------------------------------------------------------------- types


class DocType(enum.StrEnum):
    """Document types accepted at the counter (SPEC §2)."""

    RESIDENT_ID = "resident_id"  # 居民身份证
    TEMP_RESIDENT_ID = "temp_resident_id"  # 临时居民身份证
    HK_MACAO_PERMIT = "hk_macao_permit"  # 港澳居民来往内地通行证 (回乡证)
    TAIWAN_PERMIT = "taiwan_permit"  # 台湾居民来往大陆通行证 (台胞证)
    HMT_RESIDENCE_PERMIT = "hmt_residence_permit"  # 港澳台居民居住证
    FOREIGN_PERMANENT_RESIDENT = "foreign_permanent_resident"  # 外国人永久居留身份证
    PASSPORT = "passport"  # 护照
    UNIFIED_SOCIAL_CREDIT_CODE = "unified_social_credit_code"  # 统一社会信用代码 (units)

    def label(self, language: Language = "zh") -> str:
        return DOC_TYPE_LABELS[self][language]


DOC_TYPE_LABELS: dict[DocType, dict[Language, str]] = {
    DocType.RESIDENT_ID: {"zh": "居民身份证", "en": "Resident Identity Card"},
    DocType.TEMP_RESIDENT_ID: {"zh": "临时居民身份证", "en": "Temporary Resident Identity Card"},
    DocType.HK_MACAO_PERMIT: {
        "zh": "港澳居民来往内地通行证",
        "en": "Mainland Travel Permit for Hong Kong and Macao Residents",
    },
    DocType.TAIWAN_PERMIT: {
        "zh": "台湾居民来往大陆通行证",
        "en": "Mainland Travel Permit for Taiwan Residents",
    },
    DocType.HMT_RESIDENCE_PERMIT: {
        "zh": "港澳台居民居住证",
        "en": "Residence Permit for Hong Kong, Macao and Taiwan Residents",
    },
    DocType.FOREIGN_PERMANENT_RESIDENT: {
        "zh": "外国人永久居留身份证",
        "en": "Foreign Permanent Resident ID Card",
    },
    DocType.PASSPORT: {"zh": "护照", "en": "passport"},
    DocType.UNIFIED_SOCIAL_CREDIT_CODE: {
        "zh": "统一社会信用代码",
        "en": "unified social credit code",
    },
}


@dataclass(frozen=True)
class IdentityDocument:
    """One document as read from a card reader or (exceptionally) typed in.

    ``valid_to`` is ``None`` together with ``long_term=True`` for a 长期 card. For a
    unit's 统一社会信用代码, ``name`` is the unit's name and the dates may be empty.
    """

    doc_type: DocType
    number: str
    name: str
    sex: Literal["M", "F"] | None = None
    birth_date: date | None = None
    ethnicity: str | None = None
    address: str | None = None
    issuing_authority: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    long_term: bool = False
    nationality: str | None = None


@dataclass(frozen=True)
class ResidentIdNumber:
    """The parts of a 公民身份号码. ``number18`` is always the 18-digit form."""

    number18: str
    region_code: str
    birth_date: date
    sequence: str
    sex: Literal["M", "F"]
    legacy15: bool


# --------------------------------------------------------------------------- fields

_ID_FIELDS: dict[str, tuple[str, str]] = {
    "id_number": ("证件号码", "ID number"),
    "name": ("姓名", "name"),
    "birth_date": ("出生日期", "date of birth"),
    "valid_from": ("证件有效期起始日期", "document valid-from date"),
    "valid_to": ("证件有效期截止日期", "document expiry date"),
    "doc_type": ("证件类型", "document type"),
    "sex": ("性别", "sex"),
}
for _key, (_zh, _en) in _ID_FIELDS.items():
    define_field(_key, zh=_zh, en=_en)
define_field("credit_code", zh="统一社会信用代码", en="unified social credit code")


def define_prefixed_fields(prefix: str, *, zh: str, en: str) -> None:
    """Register the document field labels for a role, e.g. ``"agent."`` → 经办人证件号码.

    ``zh`` is put before the Chinese label (经办人 + 证件号码), ``en`` is the English
    possessive (agent's + ID number). Call it once per role at import time.
    """
    for key, (zh_label, en_label) in _ID_FIELDS.items():
        define_field(prefix + key, zh=zh + zh_label, en=f"{en} {en_label}")
    define_field(prefix + "credit_code", zh=zh + "统一社会信用代码", en=f"{en} credit code")


define_prefixed_fields("agent.", zh="经办人", en="agent's")
define_prefixed_fields("guardian.", zh="监护人", en="guardian's")
define_prefixed_fields("customer.", zh="客户", en="customer's")


# --------------------------------------------------------------------------- messages

_NEXT_READ = "请核对证件后重新读取或输入。"
_NEXT_READ_EN = "Please check the document and read or enter it again."

define(
    "id.number_required",
    zh="请填写{field}：办理业务须登记有效证件的号码。",
    en="Please enter the {field}: the business needs the number of a valid document.",
)
define(
    "id.format",
    zh="{field}格式不正确（居民身份证号码应为18位：前17位为数字，最后一位为数字或X），"
    + _NEXT_READ,
    en="The {field} is not in the right format (a resident ID number has 18 characters: "
    "17 digits and a final digit or X). " + _NEXT_READ_EN,
)
define(
    "id.check_digit",
    zh="{field}校验位不正确（GB 11643 规定的第18位校验码应为 {expected}），" + _NEXT_READ,
    en="The {field} has a wrong check character (under GB 11643 the 18th character should "
    "be {expected}). " + _NEXT_READ_EN,
)
define(
    "id.legacy_15",
    zh="{field}为15位旧号码（GB 11643-1989），该证件已停止使用，不能作为有效证件办理业务；"
    "请客户出示18位号码的有效居民身份证，或先到公安机关换领。",
    en="The {field} is an old 15-digit number (GB 11643-1989); such cards are no longer "
    "valid for business. Please ask for a valid card with an 18-digit number, or ask the "
    "customer to have the card replaced at the public security office first.",
)
define(
    "id.birth_date_invalid",
    zh="{field}中的出生日期（{value}）不是有效日期，" + _NEXT_READ,
    en="The date of birth inside the {field} ({value}) is not a real date. " + _NEXT_READ_EN,
)
define(
    "id.birth_date_future",
    zh="{field}晚于今天（{value}），出生日期不可能在将来，" + _NEXT_READ,
    en="The {field} ({value}) is after today; a date of birth cannot be in the future. "
    + _NEXT_READ_EN,
)
define(
    "id.birth_date_mismatch",
    zh="{field}与证件号码中的出生日期不一致（号码中为 {from_number}，证件上为 {on_card}），"
    + _NEXT_READ,
    en="The {field} does not match the date of birth in the ID number (number: "
    "{from_number}, card: {on_card}). " + _NEXT_READ_EN,
)
define(
    "id.birth_date_required",
    zh="请填写{field}：办理此业务需要核对年龄。",
    en="Please enter the {field}: this business needs the holder's age.",
)
define(
    "id.sex_mismatch",
    zh="{field}与证件号码不一致（号码第17位奇数为男、偶数为女），请核对证件。",
    en="The {field} does not match the ID number (an odd 17th digit means male, even "
    "female). Please check the document.",
)
define(
    "id.region_unknown",
    zh="{field}的地址码 {region} 不在行政区划代码表（GB/T 2260）中，"
    "可能是新设区县或已撤销区县的代码；请核对证件，确认无误后可继续办理。",
    en="The address code {region} of the {field} is not in the administrative division table "
    "(GB/T 2260); it may belong to a new or abolished county. Please check the document; "
    "if it is right you may continue.",
)
define(
    "id.region_is_hmt",
    zh="{field}以 {region} 开头，这是港澳台居民居住证的号码；"
    "请将证件类型选为“港澳台居民居住证”后重新核验。",
    en="The {field} starts with {region}, which is a Hong Kong/Macao/Taiwan residence permit "
    "number; please choose that document type and check again.",
)
define(
    "id.region_is_foreigner",
    zh="{field}以 9 开头，这是外国人永久居留身份证的号码；"
    "请将证件类型选为“外国人永久居留身份证”后重新核验。",
    en="The {field} starts with 9, which is a Foreign Permanent Resident ID number; please "
    "choose that document type and check again.",
)
define(
    "id.hmt.format",
    zh="{field}格式不正确（港澳台居民居住证号码应为18位，以 810000、820000 或 830000 开头，"
    "最后一位为数字或X），" + _NEXT_READ,
    en="The {field} is not in the right format (a residence permit number has 18 "
    "characters, starts with 810000, 820000 or 830000 and ends with a digit or X). "
    + _NEXT_READ_EN,
)
define(
    "id.hk_macao.format",
    zh="{field}格式不正确（港澳居民来往内地通行证号码应为 H 或 M 加8位数字，"
    "旧证为 H 或 M 加10位数字），" + _NEXT_READ,
    en="The {field} is not in the right format (a Hong Kong/Macao permit number is H or M "
    "followed by 8 digits, or 10 digits on older permits). " + _NEXT_READ_EN,
)
define(
    "id.taiwan.format",
    zh="{field}格式不正确（台湾居民来往大陆通行证号码应为8位数字，旧证为10位数字，可带一位字母），"
    + _NEXT_READ,
    en="The {field} is not in the right format (a Taiwan permit number has 8 digits, or 10 "
    "digits and an optional letter on older permits). " + _NEXT_READ_EN,
)
define(
    "id.fpr.format",
    zh="{field}格式不正确（外国人永久居留身份证号码应为18位且以9开头，或2017版的3位字母加12位数字），"
    + _NEXT_READ,
    en="The {field} is not in the right format (a Foreign Permanent Resident ID number has "
    "18 characters starting with 9, or on the 2017 card 3 letters and 12 digits). " + _NEXT_READ_EN,
)
define(
    "id.fpr.check_digit",
    zh="{field}校验位不正确（按 ICAO 9303 的 7-3-1 规则，第15位应为 {expected}），" + _NEXT_READ,
    en="The {field} has a wrong check digit (by the ICAO 9303 7-3-1 rule the 15th "
    "character should be {expected}). " + _NEXT_READ_EN,
)
define(
    "id.passport.format",
    zh="{field}格式不正确（护照号码应为5至17位字母或数字），" + _NEXT_READ,
    en="The {field} is not in the right format (a passport number has 5 to 17 letters or "
    "digits). " + _NEXT_READ_EN,
)
define(
    "id.name_required",
    zh="请填写{field}：须与证件上的姓名一致。",
    en="Please enter the {field} exactly as it appears on the document.",
)
define(
    "id.valid_to_required",
    zh="请填写{field}（长期有效的证件请选择“长期”）：须确认证件在有效期内才能办理。",
    en="Please enter the {field} (choose 'long-term' for a card without an end date): "
    "the document must be checked to be in force.",
)
define(
    "id.expired",
    zh="证件已过有效期（{field}为 {valid_to}），不能办理业务；请客户出示有效期内的证件，"
    "或先到签发机关换领。",
    en="The document has expired ({field} {valid_to}) and cannot be used. Please ask for a "
    "document that is in force, or ask the customer to renew it first.",
)
define(
    "id.not_yet_valid",
    zh="证件尚未生效（{field}为 {valid_from}），不能办理业务；请核对证件日期，或出示其他有效证件。",
    en="The document is not yet in force ({field} {valid_from}). Please check the dates or "
    "ask for another valid document.",
)
define(
    "id.validity_range",
    zh="{field}早于有效期起始日期，" + _NEXT_READ,
    en="The {field} is before the valid-from date. " + _NEXT_READ_EN,
)
define(
    "id.validity_conflict",
    zh="证件既标为“长期”又填写了{field}，请核对证件后只保留其中一项。",
    en="The document is marked long-term but also has a {field}; please check the card and "
    "keep only one.",
)
define(
    "id.validity_years",
    zh="{field}与签发时年龄不符：按《居民身份证法》第五条，签发时 {age} 周岁应为 {years} 年有效期；"
    "请核对证件。",
    en="The {field} does not fit the holder's age at issue: under Art. 5 of the Resident "
    "Identity Card Law, a card issued at age {age} is valid for {years} years. Please check "
    "the card.",
)
define(
    "id.validity_long_term",
    zh="{field}与签发时年龄不符：按《居民身份证法》第五条，"
    "签发时已满46周岁（{age} 周岁）应为长期有效；请核对证件。",
    en="The {field} does not fit the holder's age at issue: under Art. 5 of the Resident "
    "Identity Card Law, a card issued at 46 or older ({age}) is valid long-term. Please "
    "check the card.",
)
define(
    "id.temp.validity",
    zh="{field}与规定不符：临时居民身份证有效期为3个月；请核对证件。",
    en="The {field} is unusual: a temporary resident ID card is valid for 3 months. Please "
    "check the card.",
)
define(
    "id.hmt.validity",
    zh="{field}与规定不符：港澳台居民居住证有效期为5年；请核对证件。",
    en="The {field} is unusual: a Hong Kong/Macao/Taiwan residence permit is valid for 5 "
    "years. Please check the permit.",
)
define(
    "id.min_age",
    zh="按{field}计算，持证人未满 {years} 周岁（现 {age} 周岁），不能以本人名义办理入网；"
    "请由监护人作为经办人代为办理。",
    en="By the {field}, the holder is under {years} (now {age}) and cannot open a line in "
    "their own name; please let a guardian do it as the agent.",
)
define(
    "credit.required",
    zh="请填写{field}：单位客户办理业务须登记营业执照上的统一社会信用代码。",
    en="Please enter the {field} from the unit's business licence.",
)
define(
    "credit.format",
    zh="{field}格式不正确（应为18位，由数字和大写字母组成，不含 I、O、Z、S、V），"
    "请对照营业执照重新输入。",
    en="The {field} is not in the right format (18 digits and capital letters, without I, "
    "O, Z, S, V). Please enter it again from the business licence.",
)
define(
    "credit.check_char",
    zh="{field}校验码不正确（GB 32100 规定的第18位应为 {expected}），请对照营业执照重新输入。",
    en="The {field} has a wrong check character (under GB 32100 the 18th character should "
    "be {expected}). Please enter it again from the business licence.",
)
define(
    "credit.org_code_check",
    zh="{field}第9至17位的组织机构代码校验位与 GB 11714 不符（应为 {expected}），"
    "请对照营业执照核对；确认无误后可继续办理。",
    en="The organisation code in characters 9–17 of the {field} does not pass the GB 11714 "
    "check (expected {expected}). Please compare it with the business licence; if it is "
    "right you may continue.",
)

# --------------------------------------------------------------------------- numbers

_MOD11_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_MOD11_CHARS = "10X98765432"
_RE_18 = re.compile(r"[0-9]{17}[0-9X]")
_RE_15 = re.compile(r"[0-9]{15}")


def _clean(raw: object) -> str:
    """NFKC (full-width → ASCII), drop all whitespace, upper-case."""
    text = unicodedata.normalize("NFKC", str(raw or ""))
    return "".join(text.split()).upper()


def mod11_2_check(body17: str) -> str:
    """ISO 7064 MOD 11-2 check character of a 17-digit body (GB 11643)."""
    if len(body17) != 17 or not (body17.isascii() and body17.isdigit()):
        raise ValueError("body must be 17 digits")
    total = sum(int(c) * w for c, w in zip(body17, _MOD11_WEIGHTS, strict=True))
    return _MOD11_CHARS[total % 11]


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _upgrade15(number15: str) -> str:
    body = number15[:6] + "19" + number15[6:]
    return body + mod11_2_check(body)


def normalise_number(doc_type: DocType | str, raw: object) -> str:
    """The number as stored and looked up: ASCII, no spaces, upper-case.

    For a 居民身份证 a 15-digit number with a real birth date is upgraded to its 18-digit
    form (insert "19", compute the check), so both forms find the same person.
    """
    number = _clean(raw)
    if (
        DocType(doc_type) is DocType.RESIDENT_ID
        and _RE_15.fullmatch(number)
        and _date_or_none(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    ):
        return _upgrade15(number)
    return number


def _fmt(d: date) -> str:
    return d.isoformat()


def parse_resident_id(
    raw: object, field: str = "id_number", *, today: date | None = None
) -> Checked[ResidentIdNumber]:
    """Parse a 15- or 18-digit 公民身份号码.

    Errors: format, unreal birth date (or one after ``today`` when given, or before
    1900), wrong check character. Warning: address code not in GB/T 2260. A 15-digit
    number parses (``legacy15=True``); refusing it as a document is
    :func:`check_document`'s job.
    """
    number = _clean(raw)
    if not number:
        return failed(error("id.number_required", field))
    legacy = bool(_RE_15.fullmatch(number))
    if legacy:
        year, month, day = 1900 + int(number[6:8]), int(number[8:10]), int(number[10:12])
        raw_date = "19" + number[6:12]
    elif _RE_18.fullmatch(number):
        year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
        raw_date = number[6:14]
    else:
        return failed(error("id.format", field))
    born = _date_or_none(year, month, day)
    if born is None or year < 1900:
        return failed(error("id.birth_date_invalid", field, value=raw_date))
    if today is not None and born > today:
        return failed(error("id.birth_date_future", field, value=_fmt(born)))
    if legacy:
        number18 = _upgrade15(number)
    else:
        expected = mod11_2_check(number[:17])
        if number[17] != expected:
            return failed(error("id.check_digit", field, expected=expected))
        number18 = number
    warnings: list[Problem] = []
    region_code = number18[:6]
    if not regions.is_known(region_code):
        warnings.append(warning("id.region_unknown", field, region=region_code))
    sequence = number18[14:17]
    parsed = ResidentIdNumber(
        number18=number18,
        region_code=region_code,
        birth_date=born,
        sequence=sequence,
        sex="M" if int(sequence[-1]) % 2 else "F",
        legacy15=legacy,
    )
    return passed(parsed, *warnings)


# --------------------------------------------------------------------------- ages


def age_on(birth_date: date, today: date) -> int:
    """Completed years (周岁) on ``today``; a 29 February birthday counts on 1 March."""
    years = today.year - birth_date.year
    if (today.month, today.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def check_min_age(
    birth_date: date | None, today: date, years: int = 16, field: str = "birth_date"
) -> list[Problem]:
    """Error ``id.min_age`` when the holder is younger than ``years`` on ``today``."""
    if birth_date is None:
        return [error("id.birth_date_required", field)]
    age = age_on(birth_date, today)
    if age < years:
        return [error("id.min_age", field, years=years, age=max(age, 0))]
    return []


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February → 28 February
        return d.replace(year=d.year + years, day=28)


def _add_months(d: date, months: int) -> date:
    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    for day in (d.day, 30, 29, 28):
        found = _date_or_none(year, month, day)
        if found:
            return found
    raise AssertionError("unreachable")


def _near(actual: date, expected: date, slack_days: int = 1) -> bool:
    return abs((actual - expected).days) <= slack_days


def resident_id_validity_years(age_at_issue: int) -> int | None:
    """Years of validity by 居民身份证法 Art. 5; ``None`` means 长期."""
    if age_at_issue < 16:
        return 5
    if age_at_issue <= 25:
        return 10
    if age_at_issue <= 45:
        return 20
    return None


# --------------------------------------------------------------------------- documents

_RE_HK_MACAO = re.compile(r"[HM]([0-9]{8}|[0-9]{10})")
_RE_TAIWAN = re.compile(r"[0-9]{8}|[0-9]{10}[A-Z]?")
_RE_PASSPORT = re.compile(r"[A-Z0-9]{5,17}")
_RE_FPR_2017 = re.compile(r"[A-Z]{3}[0-9]{12}")
_RE_FPR_2023 = re.compile(r"9[0-9]{16}[0-9X]")
_HMT_REGIONS = ("810000", "820000", "830000")
_ICAO_WEIGHTS = (7, 3, 1)


def _icao_value(char: str) -> int:
    if "0" <= char <= "9":
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if char == "<":
        return 0
    raise ValueError(f"character not allowed in an ICAO 9303 field: {char!r}")


def icao_check_digit(data: str) -> str:
    """ICAO 9303 check digit: weights 7-3-1 repeating, A=10 … Z=35, '<'=0, sum mod 10."""
    total = sum(_icao_value(c) * _ICAO_WEIGHTS[i % 3] for i, c in enumerate(data.upper()))
    return str(total % 10)


def _fpr_birth_date_2017(number: str, today: date) -> date | None:
    """Birth date from a 2017 number's YYMMDD, the latest century not after ``today``."""
    yy, mm, dd = int(number[7:9]), int(number[9:11]), int(number[11:13])
    for century in (2000, 1900):
        found = _date_or_none(century + yy, mm, dd)
        if found and found <= today:
            return found
    return None


def _check_number(
    doc: IdentityDocument, number: str, field: str, today: date
) -> tuple[list[Problem], date | None, Literal["M", "F"] | None]:
    """Format/check problems, plus the birth date and sex the number carries, if any."""
    kind = doc.doc_type
    if kind in (DocType.RESIDENT_ID, DocType.TEMP_RESIDENT_ID):
        if _RE_18.fullmatch(number) or _RE_15.fullmatch(number):
            if number[:2] in ("81", "82", "83"):
                return [error("id.region_is_hmt", field, region=number[:2])], None, None
            if number[0] == "9":
                return [error("id.region_is_foreigner", field)], None, None
        parsed = parse_resident_id(number, field, today=today)
        if parsed.value is None:
            return list(parsed.problems), None, None
        problems = list(parsed.problems)
        if parsed.value.legacy15:
            problems.insert(0, error("id.legacy_15", field))
        return problems, parsed.value.birth_date, parsed.value.sex
    if kind is DocType.HMT_RESIDENCE_PERMIT:
        if not _RE_18.fullmatch(number) or number[:6] not in _HMT_REGIONS:
            return [error("id.hmt.format", field)], None, None
        parsed = parse_resident_id(number, field, today=today)
        if parsed.value is None:
            return list(parsed.problems), None, None
        # 81/82/83 are in the table; any region warning would be noise here
        errors = [found for found in parsed.problems if found.is_error]
        return errors, parsed.value.birth_date, parsed.value.sex
    if kind is DocType.FOREIGN_PERMANENT_RESIDENT:
        return _check_fpr(number, field, today)
    if kind is DocType.HK_MACAO_PERMIT:
        ok = bool(_RE_HK_MACAO.fullmatch(number))
        return ([] if ok else [error("id.hk_macao.format", field)]), None, None
    if kind is DocType.TAIWAN_PERMIT:
        ok = bool(_RE_TAIWAN.fullmatch(number))
        return ([] if ok else [error("id.taiwan.format", field)]), None, None
    if kind is DocType.PASSPORT:
        ok = bool(_RE_PASSPORT.fullmatch(number))
        return ([] if ok else [error("id.passport.format", field)]), None, None
    if kind is DocType.UNIFIED_SOCIAL_CREDIT_CODE:
        return list(check_credit_code(number, field).problems), None, None
    raise ValueError(f"unknown document type {kind!r}")


def _check_fpr(
    number: str, field: str, today: date
) -> tuple[list[Problem], date | None, Literal["M", "F"] | None]:
    """外国人永久居留身份证, both versions.

    2023 version (issued from 2023-12-01): 18 characters — "9", 2-digit province code of
    the accepting office, 3-digit ISO 3166-1 numeric nationality, birth date YYYYMMDD,
    2-digit sequence, 1 sex digit (odd = male), MOD 11-2 check as GB 11643.

    2017 version: 15 characters — 3-letter ISO 3166-1 alpha-3 nationality (positions
    1–3), 4-digit code of the accepting office (positions 4–7, the first 4 digits of its
    GB/T 2260 code), birth date YYMMDD (8–13), 1 sequence digit (14) and a check digit
    (15) computed with the ICAO 9303 7-3-1 rule over positions 1–14 (letters A=10 … Z=35).
    The 2023 layout is from the National Immigration Administration's 2023 notice on the
    new card; the 2017 field layout follows independent open-source validators (the
    original 2017 rules could not be consulted), and the ICAO 7-3-1 check is verified, the
    field boundaries matter only for the birth date. No source states how digit 14 encodes
    sex, so sex is not read from a 2017 number. The century of YYMMDD is the latest one
    that does not put the birth date after today.
    """
    if _RE_FPR_2023.fullmatch(number):
        expected = mod11_2_check(number[:17])
        if number[17] != expected:
            return [error("id.check_digit", field, expected=expected)], None, None
        born = _date_or_none(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        if born is None or born.year < 1900:
            return [error("id.birth_date_invalid", field, value=number[6:14])], None, None
        if born > today:
            return [error("id.birth_date_future", field, value=_fmt(born))], None, None
        return [], born, "M" if int(number[16]) % 2 else "F"
    if _RE_FPR_2017.fullmatch(number):
        expected = icao_check_digit(number[:14])
        if number[14] != expected:
            return [error("id.fpr.check_digit", field, expected=expected)], None, None
        born = _fpr_birth_date_2017(number, today)
        if born is None:
            return [error("id.birth_date_invalid", field, value=number[7:13])], None, None
        return [], born, None
    return [error("id.fpr.format", field)], None, None


def _check_validity(
    doc: IdentityDocument, prefix: str, today: date, birth: date | None
) -> list[Problem]:
    f_from, f_to = prefix + "valid_from", prefix + "valid_to"
    problems: list[Problem] = []
    if doc.long_term and doc.valid_to is not None:
        problems.append(error("id.validity_conflict", f_to))
    needs_end = doc.doc_type is not DocType.UNIFIED_SOCIAL_CREDIT_CODE
    if doc.valid_to is None and not doc.long_term and needs_end:
        problems.append(error("id.valid_to_required", f_to))
    if doc.valid_from is not None and doc.valid_from > today:
        problems.append(error("id.not_yet_valid", f_from, valid_from=_fmt(doc.valid_from)))
    if doc.valid_to is not None:
        if doc.valid_from is not None and doc.valid_to < doc.valid_from:
            problems.append(error("id.validity_range", f_to))
            return problems
        if doc.valid_to < today:
            problems.append(error("id.expired", f_to, valid_to=_fmt(doc.valid_to)))
    if problems or doc.valid_from is None:
        return problems
    start = doc.valid_from
    if doc.doc_type is DocType.RESIDENT_ID and birth is not None:
        age = age_on(birth, start)
        years = resident_id_validity_years(age)
        if years is None:
            if not doc.long_term:
                problems.append(warning("id.validity_long_term", f_to, age=age))
        elif (
            doc.long_term
            or doc.valid_to is None
            or not _near(doc.valid_to, _add_years(start, years))
        ):
            problems.append(warning("id.validity_years", f_to, age=age, years=years))
    elif doc.doc_type is DocType.TEMP_RESIDENT_ID:
        if (
            doc.long_term
            or doc.valid_to is None
            or not _near(doc.valid_to, _add_months(start, 3), slack_days=2)
        ):
            problems.append(warning("id.temp.validity", f_to))
    elif doc.doc_type is DocType.HMT_RESIDENCE_PERMIT and (
        doc.long_term or doc.valid_to is None or not _near(doc.valid_to, _add_years(start, 5))
    ):
        problems.append(warning("id.hmt.validity", f_to))
    return problems


def check_document(
    doc: IdentityDocument, *, today: date, purpose: str = "general", field_prefix: str = ""
) -> list[Problem]:
    """Every rule for the document's type; errors block, warnings are shown.

    ``purpose="new_line"`` adds the age ≥ 16 rule for opening a line in one's own name.
    Field keys are ``field_prefix`` + id_number / name / birth_date / valid_from /
    valid_to / sex; labels exist for no prefix and for "agent.", "guardian." and
    "customer." (see :func:`define_prefixed_fields`).
    """
    if not isinstance(doc.doc_type, DocType):  # a plain string from storage or a form
        doc = replace(doc, doc_type=DocType(doc.doc_type))
    p = field_prefix
    number = _clean(doc.number)  # a 15-digit number stays 15 here, to be refused
    problems: list[Problem] = []
    birth_from_number: date | None = None
    sex_from_number: Literal["M", "F"] | None = None
    if not number:
        code = (
            "credit.required"
            if doc.doc_type is DocType.UNIFIED_SOCIAL_CREDIT_CODE
            else "id.number_required"
        )
        problems.append(error(code, p + "id_number"))
    else:
        found, birth_from_number, sex_from_number = _check_number(
            doc, number, p + "id_number", today
        )
        problems.extend(found)

    if not (doc.name or "").strip():
        problems.append(error("id.name_required", p + "name"))

    if doc.birth_date is not None:
        if doc.birth_date > today:
            problems.append(
                error("id.birth_date_future", p + "birth_date", value=_fmt(doc.birth_date))
            )
        elif birth_from_number is not None and doc.birth_date != birth_from_number:
            problems.append(
                error(
                    "id.birth_date_mismatch",
                    p + "birth_date",
                    from_number=_fmt(birth_from_number),
                    on_card=_fmt(doc.birth_date),
                )
            )
    if doc.sex is not None and sex_from_number is not None and doc.sex != sex_from_number:
        problems.append(warning("id.sex_mismatch", p + "sex"))

    birth = birth_from_number or doc.birth_date
    problems.extend(_check_validity(doc, p, today, birth))

    is_person = doc.doc_type is not DocType.UNIFIED_SOCIAL_CREDIT_CODE
    # a birth date in the future was reported above; no age message on top of it
    if purpose == "new_line" and is_person and (birth is None or birth <= today):
        problems.extend(check_min_age(birth, today, 16, p + "birth_date"))
    return problems


# --------------------------------------------------------------------------- credit code

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_RE_USCC = re.compile(f"[{_USCC_CHARS}]{{18}}")
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def credit_check_char(body17: str) -> str:
    """GB 32100 check character of the first 17 characters."""
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(body17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    """GB 11714 check character of an 8-character organisation code body.

    C9 = 11 − (Σ Cᵢ·Wᵢ mod 11) with W = 3 7 9 10 5 8 4 2, digits as themselves and
    letters A=10 … Z=35; 10 is written "X" and 11 is written "0".
    """
    total = sum(_icao_value(c) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def check_credit_code(raw: object, field: str = "credit_code") -> Checked[str]:
    """统一社会信用代码 (GB 32100): charset, length, check character.

    The organisation code inside it (characters 9–17, GB 11714) gets its own check as a
    *warning*: codes given to some registrants (e.g. individual businesses) do not
    always carry a GB 11714-conformant organisation code.
    """
    code = _clean(raw)
    if not code:
        return failed(error("credit.required", field))
    if not _RE_USCC.fullmatch(code):
        return failed(error("credit.format", field))
    expected = credit_check_char(code[:17])
    if code[17] != expected:
        return failed(error("credit.check_char", field, expected=expected))
    org_expected = org_code_check_char(code[8:16])
    if code[16] != org_expected:
        return passed(code, warning("credit.org_code_check", field, expected=org_expected))
    return passed(code)


# --------------------------------------------------------------------------- masking


def mask_id_number(number: object) -> str:
    """Mask a document number for screens and paper.

    15 characters or more: first 6 + asterisks + last 4 (110105********002X, the common
    mask of GB/T 35273 practice). Shorter numbers never show more than half of
    themselves: 8–14 characters keep the first 2 and last 2, 5–7 keep the first and the
    last one, and 4 or fewer are all asterisks. Unnormalised input is cleaned first.
    """
    text = _clean(number)
    n = len(text)
    if n >= 15:
        head, tail = 6, 4
    elif n >= 8:
        head, tail = 2, 2
    elif n >= 5:
        head, tail = 1, 1
    else:
        return "*" * n
    return text[:head] + "*" * (n - head - tail) + text[n - tail :]


_NAME_SEPARATORS = frozenset(" ·•.-")


def mask_name(name: object) -> str:
    """Keep the first character, mask the rest: 张三 → 张*, 欧阳娜娜 → 欧***.

    Separators of foreign names (space, ·) are kept. A one-character name is shown as *.
    """
    text = unicodedata.normalize("NFKC", str(name or "")).strip()
    if len(text) <= 1:
        return "*" * len(text)
    return text[0] + "".join(c if c in _NAME_SEPARATORS else "*" for c in text[1:])


def mask_phone(number: object) -> str:
    """138****5678 for a mainland mobile; other numbers show at most 3 + 4 (or 2 + 2)."""
    text = normalise_phone(number)
    n = len(text)
    if n >= 11:
        return text[:3] + "*" * (n - 7) + text[-4:]
    if n >= 7:
        return text[:2] + "*" * (n - 4) + text[-2:]
    if n >= 5:
        return "*" * (n - 2) + text[-2:]
    return "*" * n
