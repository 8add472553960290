"""居民身份证 numbers (GB 11643-1999): check character, parsing, 15 → 18 upgrade.

6-digit GB/T 2260 address code + birth date YYYYMMDD + 3-digit sequence (odd = male) +
ISO 7064 MOD 11-2 check character. The 15-digit numbers of GB 11643-1989 (YYMMDD, no
check) are still *parsed* and upgraded to 18 digits by :func:`normalise_number`; as a
document presented today a 15-digit card is refused (``id.legacy_15``, in
:mod:`.documents`). Address codes missing from the GB/T 2260 table are a *warning*.
"""

from __future__ import annotations

import re
from datetime import date

from frontdesk.core import regions
from frontdesk.core.ids.model import (
    _NEXT_READ,
    _NEXT_READ_EN,
    DocType,
    ResidentIdNumber,
    _clean,
    _date_or_none,
    _fmt,
)
from frontdesk.core.messages import Checked, Problem, define, error, failed, passed, warning

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

_MOD11_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_MOD11_CHARS = "10X98765432"
_RE_18 = re.compile(r"[0-9]{17}[0-9X]")
_RE_15 = re.compile(r"[0-9]{15}")


def mod11_2_check(body17: str) -> str:
    """ISO 7064 MOD 11-2 check character of a 17-digit body (GB 11643)."""
    if len(body17) != 17 or not (body17.isascii() and body17.isdigit()):
        raise ValueError("body must be 17 digits")
    total = sum(int(c) * w for c, w in zip(body17, _MOD11_WEIGHTS, strict=True))
    return _MOD11_CHARS[total % 11]


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
