"""Permits and foreigner cards: formats and check digits by document type.

港澳居民来往内地通行证, 台湾居民来往大陆通行证, 港澳台居民居住证 (a GB 11643 number
starting 810000 / 820000 / 830000), 外国人永久居留身份证 (2017: ICAO 9303 7-3-1 check;
2023: MOD 11-2 as GB 11643) and passports.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from frontdesk.core.ids.model import _NEXT_READ, _NEXT_READ_EN, _date_or_none, _fmt
from frontdesk.core.ids.resident import mod11_2_check
from frontdesk.core.messages import Problem, define, error

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
