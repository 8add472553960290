"""统一社会信用代码 (GB 32100) and the organisation code inside it (GB 11714)."""

from __future__ import annotations

import re

from frontdesk.core.ids.model import _clean
from frontdesk.core.ids.permits import _icao_value
from frontdesk.core.messages import Checked, define, error, failed, passed, warning

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
