"""Money in fen: parsing the clerk's yuan, formatting, and 大写 as receipts write it."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.core.messages import define_field
from frontdesk.core.money import (
    MAX_FEN,
    chinese_capital,
    fen_to_yuan_str,
    format_fen,
    parse_yuan,
)

define_field("test_topup", zh="充值金额", en="top-up amount")


# --------------------------------------------------------------------------- parse_yuan


@pytest.mark.parametrize(
    ("raw", "fen"),
    [
        ("12.5", 1250),
        ("12.50", 1250),
        ("12", 1200),
        ("１２．５０", 1250),
        ("¥12.50", 1250),
        ("￥12.50", 1250),
        ("12.50元", 1250),
        ("12元整", 1200),
        (" 1,234.5 ", 123450),
        ("１，２３４．５", 123450),
        ("RMB 8", 800),
        (".5", 50),
        ("12.", 1200),
        ("0", 0),
        ("0.01", 1),
        ("999999999999.99", MAX_FEN),
    ],
)
def test_parse_accepts_what_clerks_type(raw: str, fen: int) -> None:
    result = parse_yuan(raw)
    assert result.ok, result.problems
    assert result.value == fen


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "money.required"),
        ("   ", "money.required"),
        ("12.555", "money.decimals"),
        ("0.001", "money.decimals"),
        ("abc", "money.format"),
        ("12a", "money.format"),
        ("NaN", "money.format"),
        ("nan", "money.format"),
        ("inf", "money.format"),
        ("Infinity", "money.format"),
        ("1e3", "money.format"),
        ("1E-2", "money.format"),
        ("12,34", "money.format"),
        ("1,2345", "money.format"),
        ("1.2.3", "money.format"),
        ("¥", "money.format"),
        (".", "money.format"),
        ("--12", "money.format"),
        ("-12", "money.negative"),
        ("-¥12.00", "money.negative"),
        ("1000000000000", "money.too_large"),
    ],
)
def test_parse_refuses_with_a_named_rule(raw: str, code: str) -> None:
    result = parse_yuan(raw)
    assert not result.ok
    assert result.value is None
    assert [p.code for p in result.problems] == [code]
    assert result.problems[0].field == "amount"


def test_messages_name_the_field_and_say_what_to_do() -> None:
    problem = parse_yuan("12.555", "test_topup").problems[0]
    assert problem.field == "test_topup"
    zh, en = problem.text("zh"), problem.text("en")
    assert "充值金额" in zh and "两位小数" in zh and "请" in zh
    assert "top-up amount" in en and "two decimals" in en


def test_negative_allowed_when_asked() -> None:
    assert parse_yuan("-¥12.00", allow_negative=True).value == -1200
    assert parse_yuan("¥-12", allow_negative=True).value == -1200
    assert parse_yuan("-0", allow_negative=False).value == 0


def test_zero_refused_when_asked() -> None:
    assert parse_yuan("0.00", allow_zero=False).problems[0].code == "money.zero"
    assert parse_yuan("0.01", allow_zero=False).value == 1


def test_max_fen() -> None:
    assert parse_yuan("5000", max_fen=500000).value == 500000
    over = parse_yuan("5000.01", "test_topup", max_fen=500000)
    assert over.problems[0].code == "money.too_large"
    assert "¥5,000.00" in over.problems[0].text("zh")


def test_no_float_rounding() -> None:
    # 0.29 * 100 == 28.999999999999996 in binary floating point
    assert parse_yuan("0.29").value == 29
    assert parse_yuan("1.13").value == 113
    assert parse_yuan("4.35").value == 435


# --------------------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    ("fen", "shown", "plain"),
    [
        (140950, "¥1,409.50", "1409.50"),
        (0, "¥0.00", "0.00"),
        (5, "¥0.05", "0.05"),
        (-1200, "-¥12.00", "-12.00"),
        (-5, "-¥0.05", "-0.05"),
        (123456789, "¥1,234,567.89", "1234567.89"),
    ],
)
def test_format(fen: int, shown: str, plain: str) -> None:
    assert format_fen(fen) == shown
    assert fen_to_yuan_str(fen) == plain
    assert format_fen(fen, symbol=False) == shown.replace("¥", "")


@pytest.mark.parametrize("bad", [1.5, "12", True, None])
def test_format_wants_integer_fen(bad: object) -> None:
    with pytest.raises(TypeError):
        format_fen(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        chinese_capital(bad)  # type: ignore[arg-type]


fen_amounts = st.integers(min_value=-MAX_FEN, max_value=MAX_FEN)


@given(fen_amounts)
def test_parse_of_format_round_trips(fen: int) -> None:
    assert parse_yuan(format_fen(fen), allow_negative=True).value == fen
    assert parse_yuan(format_fen(fen, symbol=False), allow_negative=True).value == fen
    assert parse_yuan(fen_to_yuan_str(fen), allow_negative=True).value == fen


@given(st.integers(min_value=0, max_value=MAX_FEN))
def test_full_width_input_parses_the_same(fen: int) -> None:
    full_width = "".join(
        chr(ord(c) + 0xFEE0) if c.isdigit() or c in ".," else c for c in fen_to_yuan_str(fen)
    )
    assert unicodedata.normalize("NFKC", full_width) == fen_to_yuan_str(fen)
    assert parse_yuan(full_width + "元").value == fen


# --------------------------------------------------------------------------- 大写


@pytest.mark.parametrize(
    ("fen", "capital"),
    [
        (140950, "壹仟肆佰零玖元伍角"),
        (600714, "陆仟零柒元壹角肆分"),
        (32504, "叁佰贰拾伍元零肆分"),
        (100250, "壹仟零贰元伍角"),
        (10000, "壹佰元整"),
        (0, "零元整"),
        (5, "伍分"),
        (50, "伍角"),
        (55, "伍角伍分"),
        (1000, "壹拾元整"),
        (1050, "壹拾元伍角"),
        (10000000, "壹拾万元整"),
        (100001000, "壹佰万零壹拾元整"),
        (20000000000, "贰亿元整"),
        (12345, "壹佰贰拾叁元肆角伍分"),
        (10001000000, "壹亿零壹万元整"),
        (10010000000, "壹亿零壹拾万元整"),
        (10000000100, "壹亿零壹元整"),
        (100100000, "壹佰万零壹仟元整"),
        (MAX_FEN, "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
        (-1200, "负壹拾贰元整"),
        (-5, "负伍分"),
    ],
)
def test_chinese_capital_examples(fen: int, capital: str) -> None:
    assert chinese_capital(fen) == capital


def test_chinese_capital_limit() -> None:
    with pytest.raises(ValueError):
        chinese_capital(MAX_FEN + 1)
    with pytest.raises(ValueError):
        chinese_capital(-(MAX_FEN + 1))


_DIGIT = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
_UNIT = {"拾": 10, "佰": 100, "仟": 1000}


def _read_yuan(text: str) -> int:
    """Reference reader of a 大写 whole-yuan amount (independent of the writer)."""
    total = section = number = 0
    for char in text:
        if char in _DIGIT:
            number = _DIGIT[char]
        elif char in _UNIT:
            section += number * _UNIT[char]
            number = 0
        elif char == "万":
            total += (section + number) * 10_000
            section = number = 0
        elif char == "亿":
            total = (total + section + number) * 100_000_000
            section = number = 0
        else:
            raise AssertionError(f"unexpected {char!r} in {text!r}")
    return total + section + number


def read_capital(text: str) -> int:
    """Reference reader: 大写 back to fen."""
    sign = -1 if text.startswith("负") else 1
    text = text.removeprefix("负")
    yuan_text, _, rest = text.rpartition("元") if "元" in text else ("", "", text)
    fen = _read_yuan(yuan_text) * 100 if yuan_text else 0
    rest = rest.removesuffix("整").lstrip("零")
    if "角" in rest:
        jiao, _, rest = rest.partition("角")
        fen += _DIGIT[jiao] * 10
    if "分" in rest:
        cents, _, rest = rest.partition("分")
        fen += _DIGIT[cents]
    assert rest == "", text
    return sign * fen


def _check_capital(fen: int) -> None:
    text = chinese_capital(fen)
    assert "零零" not in text
    assert not text.endswith("零")
    assert "分整" not in text and not ("分" in text and text.endswith("整"))
    assert not text.endswith("角整")
    assert text.endswith(("整", "角", "分"))
    assert read_capital(text) == fen


@given(st.integers(min_value=0, max_value=10**10))
def test_chinese_capital_reads_back(fen: int) -> None:
    _check_capital(fen)


@given(st.integers(min_value=-MAX_FEN, max_value=MAX_FEN))
def test_chinese_capital_reads_back_whole_range(fen: int) -> None:
    _check_capital(fen)


@given(st.integers(min_value=0, max_value=10**10).map(lambda n: n - n % 100))
def test_whole_yuan_ends_with_zheng(fen: int) -> None:
    assert chinese_capital(fen).endswith("元整")


def test_every_amount_up_to_a_hundred_thousand_fen() -> None:
    for fen in range(100_001):
        _check_capital(fen)
