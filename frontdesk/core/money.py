"""Money: integer fen (分) end to end, parsed from what a clerk types, written as receipts do.

* :func:`parse_yuan` reads the clerk's input in yuan ("12.5", "１２．５０", "¥1,234.50",
  "12.50元") into fen with :mod:`decimal` — never a float — and reports a
  :class:`~frontdesk.core.messages.Problem` naming the field when it can't.
* :func:`format_fen` / :func:`fen_to_yuan_str` write fen for screens and files.
* :func:`chinese_capital` writes the amount in Chinese capitals (大写) as receipts and
  invoices do under the 支付结算办法: 壹贰叁肆伍陆柒捌玖 with 拾佰仟万亿; "整" after 元
  when there are no 角 and 分 (not after 角 — DOMAIN.md writes ¥1409.50 as
  壹仟肆佰零玖元伍角 — and never after 分); a run of zeros inside the number is written
  零 once; 10 is 壹拾 (the receipt convention, so nobody can add a digit in front).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from frontdesk.core.messages import Checked, define, define_field, error, failed, passed

__all__ = [
    "MAX_FEN",
    "chinese_capital",
    "fen_to_yuan_str",
    "format_fen",
    "parse_yuan",
]

#: The largest amount the core writes in 大写 and accepts from a clerk: < 1e12 yuan.
MAX_FEN = 10**14 - 1

define_field("amount", zh="金额", en="amount")

_TRY_AGAIN = "请按“元”输入金额，例如 12.50，最多两位小数。"
_TRY_AGAIN_EN = "Please enter the amount in yuan, e.g. 12.50, with at most two decimals."

define(
    "money.required",
    zh="请填写{field}。" + _TRY_AGAIN,
    en="Please enter the {field}. " + _TRY_AGAIN_EN,
)
define(
    "money.format",
    zh="{field}“{raw}”不是有效的金额。" + _TRY_AGAIN,
    en="The {field} “{raw}” is not a valid amount. " + _TRY_AGAIN_EN,
)
define(
    "money.decimals",
    zh="{field}“{raw}”超过两位小数（人民币最小单位为分）。请核对后重新输入，最多保留到分。",
    en="The {field} “{raw}” has more than two decimals (the smallest unit is the fen). "
    "Please check it and enter at most two decimals.",
)
define(
    "money.negative",
    zh="{field}不能为负数（您输入的是 {amount}）。请输入大于或等于零的金额。",
    en="The {field} cannot be negative (you entered {amount}). "
    "Please enter an amount of zero or more.",
)
define(
    "money.zero",
    zh="{field}不能为零。请输入大于零的金额。",
    en="The {field} cannot be zero. Please enter an amount greater than zero.",
)
define(
    "money.too_large",
    zh="{field} {amount} 超过本业务允许的上限 {max}。请核对金额，如确需办理请联系值班经理。",
    en="The {field} {amount} is above the limit of {max} for this business. "
    "Please check the amount; if it is right, ask the duty manager.",
)

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ("", "拾", "佰", "仟")
_SECTIONS = ("", "万", "亿")

# digits, optionally grouped by thousands with commas, then an optional fraction
_RE_AMOUNT = re.compile(r"(?P<int>\d+|\d{1,3}(?:,\d{3})+)?(?:\.(?P<frac>\d*))?")
_PREFIXES = ("¥", "RMB", "CNY", "人民币")
_SUFFIXES = ("元", "圆", "RMB", "CNY")


def _normalise(raw: str) -> tuple[bool, str]:
    """NFKC (full-width → ASCII), drop whitespace and currency marks; returns (negative, body)."""
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(text.split()).upper().replace("−", "-").replace("￥", "¥")
    negative = False
    for _ in range(2):  # "-¥12" and "¥-12" are both written
        if text.startswith("-") and not negative:
            negative, text = True, text[1:]
        for prefix in _PREFIXES:
            if text.startswith(prefix):
                text = text[len(prefix) :]
                break
    for suffix in _SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    if text.endswith("整"):  # "12元整"
        text = text[:-1]
        for suffix in _SUFFIXES:
            if text.endswith(suffix):
                text = text[: -len(suffix)]
                break
    return negative, text


def parse_yuan(
    raw: str,
    field: str = "amount",
    *,
    allow_zero: bool = True,
    allow_negative: bool = False,
    max_fen: int | None = None,
) -> Checked[int]:
    """The clerk's yuan amount as integer fen, or the problem found (naming ``field``).

    Accepted: "12", "12.5", "12.50", ".5", full-width digits and points, thousands
    commas in the right places, a leading "¥"/"RMB"/"人民币" and a trailing "元".
    Refused: empty input, letters, exponents, NaN/inf, more than two decimals, a
    negative amount unless ``allow_negative``, zero unless ``allow_zero``, anything
    above ``max_fen`` (and always anything of 1e12 yuan or more).
    """
    if not isinstance(raw, str):
        raw = "" if raw is None else str(raw)
    shown = raw.strip()[:40]
    if not shown:
        return failed(error("money.required", field))
    negative, body = _normalise(raw)
    match = _RE_AMOUNT.fullmatch(body)
    if match is None or not (match["int"] or match["frac"]):
        return failed(error("money.format", field, raw=shown))
    frac = match["frac"] or ""
    if len(frac) > 2:
        return failed(error("money.decimals", field, raw=shown))
    whole = (match["int"] or "0").replace(",", "")
    if len(whole.lstrip("0")) > 12:
        limit = MAX_FEN if max_fen is None else min(max_fen, MAX_FEN)
        return failed(error("money.too_large", field, amount=shown, max=format_fen(limit)))
    try:
        fen = int(Decimal(f"{whole}.{frac or '0'}").scaleb(2))
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        return failed(error("money.format", field, raw=shown))
    if negative and fen:
        fen = -fen
    if fen < 0 and not allow_negative:
        return failed(error("money.negative", field, amount=format_fen(fen)))
    if fen == 0 and not allow_zero:
        return failed(error("money.zero", field))
    limit = MAX_FEN if max_fen is None else min(max_fen, MAX_FEN)
    if abs(fen) > limit:
        return failed(
            error("money.too_large", field, amount=format_fen(fen), max=format_fen(limit))
        )
    return passed(fen)


def _require_int(fen: object) -> int:
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"money must be integer fen, not {type(fen).__name__}")
    return fen


def fen_to_yuan_str(fen: int) -> str:
    """Plain yuan with two decimals, no separators: 140950 → "1409.50", -5 → "-0.05"."""
    fen = _require_int(fen)
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan}.{cents:02d}"


def format_fen(fen: int, *, symbol: bool = True) -> str:
    """For screens and slips: 140950 → "¥1,409.50", -1200 → "-¥12.00"."""
    fen = _require_int(fen)
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{'¥' if symbol else ''}{yuan:,}.{cents:02d}"


def _capital_yuan(yuan: int) -> str:
    """大写 of a whole number of yuan, 0 < yuan < 10**12 (without 元)."""
    out: list[str] = []
    zero_pending = False
    groups = []
    while yuan:
        yuan, group = divmod(yuan, 10_000)
        groups.append(group)
    for section in range(len(groups) - 1, -1, -1):
        group = groups[section]
        if group == 0:
            zero_pending = zero_pending or bool(out)
            continue
        for position in range(3, -1, -1):
            digit = group // 10**position % 10
            if digit == 0:
                zero_pending = zero_pending or bool(out)
                continue
            if zero_pending:
                out.append("零")
                zero_pending = False
            out.append(_DIGITS[digit] + _UNITS[position])
        out.append(_SECTIONS[section])
    return "".join(out)


def chinese_capital(fen: int) -> str:
    """Amount in Chinese capitals as receipts write it (支付结算办法).

    ¥1409.50 → 壹仟肆佰零玖元伍角; ¥325.04 → 叁佰贰拾伍元零肆分; ¥100 → 壹佰元整;
    0 → 零元整; ¥0.05 → 伍分; negative amounts start with 负. Amounts of 1e12 yuan or
    more raise :class:`ValueError`.
    """
    fen = _require_int(fen)
    if abs(fen) > MAX_FEN:
        raise ValueError("amount too large to write in capitals (limit: below 1e12 yuan)")
    if fen == 0:
        return "零元整"
    sign = "负" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    jiao, fen_digit = divmod(cents, 10)
    text = _capital_yuan(yuan) + "元" if yuan else ""
    if jiao == 0 and fen_digit == 0:
        return sign + text + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan:
        text += "零"  # ¥325.04 → 叁佰贰拾伍元零肆分
    if fen_digit:
        text += _DIGITS[fen_digit] + "分"
    return sign + text
