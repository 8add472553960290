"""Device and line numbers: IMEI, IMEISV, MEID, handset S/N, mobile numbers, ICCID.

* IMEI (3GPP TS 23.003): 8-digit TAC + 6-digit serial + Luhn check digit = 15 digits.
* IMEISV: 8-digit TAC + 6-digit serial + 2-digit software version = 16 digits, no check.
* MEID (3GPP2 S.R0048): 14 hexadecimal digits. Its check digit is printed apart from it
  (15th character when given): Luhn in base 10 when all 14 digits are decimal, Luhn in
  base 16 when any letter appears. The normalised MEID is the 14 digits, without check.
* ICCID (ITU-T E.118): "89" + country + issuer + account; 20 digits with a Luhn check
  over the first 19 digits. Chinese operators also issue 19-digit ICCIDs printed without
  the check digit, so 19 digits are accepted as they are.
* Mainland mobile number: 11 digits, 1[3-9]…; +86 / 0086 / 86 prefixes are removed.

Input may contain spaces, dashes and full-width characters (typed on a Chinese IME or
read by a scanner); they are removed before checking.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from frontdesk.core.messages import Checked, define, define_field, error, failed, passed

__all__ = [
    "DeviceSerial",
    "check_device_serial",
    "check_iccid",
    "check_imei",
    "check_imeisv",
    "check_meid",
    "check_mobile_number",
    "luhn_check_digit",
    "luhn_valid",
    "normalise_phone",
]

define_field("imei", zh="IMEI 串号", en="IMEI")
define_field("meid", zh="MEID 串号", en="MEID")
define_field("serial", zh="设备序列号", en="device serial number")
define_field("phone", zh="手机号码", en="mobile number")
define_field("iccid", zh="SIM 卡号（ICCID）", en="SIM card number (ICCID)")

_RETRY = "请在包装盒、机身标签或拨 *#06# 查看后重新扫描或输入。"
_RETRY_EN = (
    "Please read it from the box, the label or by dialling *#06#, then scan or type it again."
)

define(
    "imei.required",
    zh="请填写{field}：" + _RETRY,
    en="Please enter the {field}. " + _RETRY_EN,
)
define(
    "imei.format",
    zh="{field}格式不正确（IMEI 应为15位数字），" + _RETRY,
    en="The {field} is not in the right format (an IMEI has 15 digits). " + _RETRY_EN,
)
define(
    "imei.missing_check",
    zh="{field}只有14位，缺少第15位校验位；" + _RETRY,
    en="The {field} has only 14 digits; the 15th (check) digit is missing. " + _RETRY_EN,
)
define(
    "imei.luhn",
    zh="{field}校验位不正确（第15位应符合 Luhn 校验），可能有数字输错；" + _RETRY,
    en="The {field} fails the Luhn check on its 15th digit; a digit may be mistyped. " + _RETRY_EN,
)
define(
    "imei.is_imeisv",
    zh="{field}为16位，这是 IMEISV（含软件版本号），不是15位 IMEI；" + _RETRY,
    en="The {field} has 16 digits: that is an IMEISV (with software version), not the "
    "15-digit IMEI. " + _RETRY_EN,
)
define(
    "imeisv.format",
    zh="{field}格式不正确（IMEISV 应为16位数字），" + _RETRY,
    en="The {field} is not in the right format (an IMEISV has 16 digits). " + _RETRY_EN,
)
define(
    "meid.required",
    zh="请填写{field}：" + _RETRY,
    en="Please enter the {field}. " + _RETRY_EN,
)
define(
    "meid.format",
    zh="{field}格式不正确（MEID 应为14位十六进制字符，可另带1位校验位），" + _RETRY,
    en="The {field} is not in the right format (a MEID has 14 hexadecimal characters, "
    "optionally followed by a check digit). " + _RETRY_EN,
)
define(
    "meid.check",
    zh="{field}校验位不正确（第15位应为 {expected}），可能有字符输错；" + _RETRY,
    en="The {field} check digit is wrong (the 15th character should be {expected}); a "
    "character may be mistyped. " + _RETRY_EN,
)
define(
    "serial.required",
    zh="请填写{field}：" + _RETRY,
    en="Please enter the {field}. " + _RETRY_EN,
)
define(
    "serial.format",
    zh="{field}格式不正确（应为 IMEI、MEID，或6至30位字母、数字及“-”组成的序列号），" + _RETRY,
    en="The {field} is not in the right format (an IMEI, a MEID, or a serial number of 6 "
    "to 30 letters, digits and '-'). " + _RETRY_EN,
)
define(
    "phone.required",
    zh="请填写{field}。",
    en="Please enter the {field}.",
)
define(
    "phone.format",
    zh="{field}格式不正确（内地手机号码应为11位，以13至19开头），请与客户核对后重新输入。",
    en="The {field} is not in the right format (a mainland mobile number has 11 digits "
    "starting with 13 to 19). Please confirm it with the customer and type it again.",
)
_SIM_RETRY = "请对照 SIM 卡或卡托上印的号码重新扫描或输入。"
_SIM_RETRY_EN = "Please scan or type it again from the SIM card or its holder."
define(
    "iccid.required",
    zh="请填写{field}：" + _SIM_RETRY,
    en="Please enter the {field}. " + _SIM_RETRY_EN,
)
define(
    "iccid.format",
    zh="{field}格式不正确（ICCID 应为19位或20位数字，以89开头），" + _SIM_RETRY,
    en="The {field} is not in the right format (an ICCID has 19 or 20 digits and starts "
    "with 89). " + _SIM_RETRY_EN,
)
define(
    "iccid.luhn",
    zh="{field}校验位不正确（20位卡号的最后一位应为 {expected}），可能有数字输错；" + _SIM_RETRY,
    en="The {field} check digit is wrong (the 20th digit should be {expected}); a digit may "
    "be mistyped. " + _SIM_RETRY_EN,
)

_SEPARATORS = re.compile(r"[\s\-_/.()（）]")
_HEX = "0123456789ABCDEF"


def _clean(raw: object) -> str:
    text = unicodedata.normalize("NFKC", str(raw or ""))
    return _SEPARATORS.sub("", text).upper()


def luhn_check_digit(digits: str, base: int = 10) -> str:
    """The Luhn check digit to append to ``digits`` (base 10, or 16 for MEIDs).

    From the rightmost payload digit leftwards every second digit is doubled; a doubled
    value is added as its digit sum in ``base``; the check makes the total ≡ 0.
    """
    if base not in (10, 16):
        raise ValueError("base must be 10 or 16")
    total = 0
    for i, char in enumerate(reversed(digits.upper())):
        value = _HEX.index(char) if char in _HEX else -1
        if not 0 <= value < base:
            raise ValueError("not a digit in the given base")
        if i % 2 == 0:
            value *= 2
            value = value // base + value % base
        total += value
    return _HEX[(base - total % base) % base]


def luhn_valid(number: str, base: int = 10) -> bool:
    """Whether the last digit of ``number`` is the Luhn check of the rest."""
    return len(number) >= 2 and luhn_check_digit(number[:-1], base) == number[-1].upper()


def check_imei(raw: object, field: str = "imei") -> Checked[str]:
    """15-digit IMEI with a valid Luhn check digit."""
    value = _clean(raw)
    if not value:
        return failed(error("imei.required", field))
    if not value.isdigit() or not value.isascii():
        return failed(error("imei.format", field))
    if len(value) == 14:
        return failed(error("imei.missing_check", field))
    if len(value) == 16:
        return failed(error("imei.is_imeisv", field))
    if len(value) != 15:
        return failed(error("imei.format", field))
    if not luhn_valid(value):
        return failed(error("imei.luhn", field))
    return passed(value)


def check_imeisv(raw: object, field: str = "imei") -> Checked[str]:
    """16-digit IMEISV (no check digit)."""
    value = _clean(raw)
    if not value:
        return failed(error("imei.required", field))
    if len(value) != 16 or not value.isdigit() or not value.isascii():
        return failed(error("imeisv.format", field))
    return passed(value)


def check_meid(raw: object, field: str = "meid") -> Checked[str]:
    """14 hex digits, optionally followed by its check digit; returns the 14 digits."""
    value = _clean(raw)
    if not value:
        return failed(error("meid.required", field))
    if len(value) not in (14, 15) or any(c not in _HEX for c in value):
        return failed(error("meid.format", field))
    meid = value[:14]
    if len(value) == 15:
        base = 10 if meid.isdigit() else 16
        expected = luhn_check_digit(meid, base)
        if value[14] != expected:
            return failed(error("meid.check", field, expected=expected))
    return passed(meid)


SerialKind = Literal["imei", "imeisv", "meid", "sn"]


@dataclass(frozen=True)
class DeviceSerial:
    kind: SerialKind
    value: str


_RE_SN = re.compile(r"[A-Z0-9][A-Z0-9\-]{4,28}[A-Z0-9]")


def check_device_serial(raw: object, field: str = "serial") -> Checked[DeviceSerial]:
    """Decide by shape: 15 digits → IMEI (Luhn enforced), 16 digits → IMEISV,
    14 hex digits (or 15 with letters) → MEID, otherwise a plain S/N of 6–30 letters,
    digits and inner dashes (upper-cased, spaces removed).
    """
    text = unicodedata.normalize("NFKC", str(raw or ""))
    compact = re.sub(r"\s", "", text).upper()
    if not compact:
        return failed(error("serial.required", field))
    digits = compact.replace("-", "")
    if digits.isascii() and digits.isdigit():
        if len(digits) == 15:
            return _as_serial("imei", check_imei(digits, field))
        if len(digits) == 16:
            return _as_serial("imeisv", check_imeisv(digits, field))
        if len(digits) == 14:
            return _as_serial("meid", check_meid(digits, field))
    elif len(digits) in (14, 15) and all(c in _HEX for c in digits):
        return _as_serial("meid", check_meid(digits, field))
    if not _RE_SN.fullmatch(compact):
        return failed(error("serial.format", field))
    return passed(DeviceSerial("sn", compact))


def _as_serial(kind: SerialKind, checked: Checked[str]) -> Checked[DeviceSerial]:
    if checked.value is None:
        return failed(*checked.problems)
    return Checked(DeviceSerial(kind, checked.value), checked.problems)


_RE_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def normalise_phone(raw: object) -> str:
    """Digits of a phone number; a +86 / 0086 / 86 prefix before a mobile is removed."""
    value = _clean(raw)
    for prefix in ("+86", "0086", "86"):
        rest = value[len(prefix) :]
        if value.startswith(prefix) and _RE_MOBILE.fullmatch(rest):
            return rest
    return value


def check_mobile_number(raw: object, field: str = "phone") -> Checked[str]:
    """Mainland mobile number, 11 digits starting 13–19."""
    value = normalise_phone(raw)
    if not value:
        return failed(error("phone.required", field))
    if not value.isascii() or not _RE_MOBILE.fullmatch(value):
        return failed(error("phone.format", field))
    return passed(value)


def check_iccid(raw: object, field: str = "iccid") -> Checked[str]:
    """SIM serial: "89" + 17 digits (no check), or "89" + 18 digits with a Luhn check."""
    value = _clean(raw)
    if not value:
        return failed(error("iccid.required", field))
    if (
        not value.isascii()
        or not value.isdigit()
        or len(value) not in (19, 20)
        or not value.startswith("89")
    ):
        return failed(error("iccid.format", field))
    if len(value) == 20:
        expected = luhn_check_digit(value[:19])
        if value[19] != expected:
            return failed(error("iccid.luhn", field, expected=expected))
    return passed(value)
