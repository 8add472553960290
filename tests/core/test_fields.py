"""Typed form fields: each type's normalised value and the rule each refusal names."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from frontdesk.core.fields import (
    EMPTY,
    FieldDef,
    FieldType,
    default_value,
    validate_field,
)

TODAY = date(2024, 6, 15)


def fd(key: str = "test_field", type: str = "text", **kw: object) -> FieldDef:
    return FieldDef.model_validate(
        {"key": key, "label_zh": "测试项", "label_en": "test item", "type": type, **kw}
    )


def codes(result) -> list[str]:
    return [p.code for p in result.problems]


def test_every_type_has_a_validator() -> None:
    samples = {
        "text": "abc",
        "choice": "a",
        "mobile": "13800138000",
        "money": "12.50",
        "date": "2024-06-01",
        "integer": "3",
        "bool": "是",
        "imei": "490154203237518",
        "iccid": "89860112345678901237",
        "id_number": "11010519491231002X",
        "address": "北京市朝阳区建国路1号",
        "email": "a@example.com",
        "postcode": "100020",
    }
    assert set(samples) == {t.value for t in FieldType}
    for type_, raw in samples.items():
        extra = {"choices": [{"value": "a", "label_zh": "甲", "label_en": "A"}]}
        defn = fd(f"t_{type_}", type_, **(extra if type_ == "choice" else {}))
        result = validate_field(defn, raw, today=TODAY)
        assert result.ok, (type_, [p.text("en") for p in result.problems])


# --------------------------------------------------------------------------- required / empty


@pytest.mark.parametrize("type_", [t.value for t in FieldType if t is not FieldType.CHOICE])
def test_required_but_empty(type_: str) -> None:
    defn = fd("test_required", type_, required=True)
    for raw in (None, "", "   "):
        result = validate_field(defn, raw, today=TODAY)
        assert codes(result) == ["field.required"]
        assert result.problems[0].field == "test_required"
    text = validate_field(defn, "", today=TODAY).problems[0].text("zh")
    assert "测试项" in text and "请填写" in text


def test_optional_empty_is_empty() -> None:
    assert validate_field(fd(type="text"), "  ", today=TODAY).value == EMPTY
    assert validate_field(fd("t_money", "money"), None, today=TODAY).value == EMPTY
    assert validate_field(fd("t_bool", "bool"), None, today=TODAY).value is False
    result = validate_field(fd("t_date", "date"), "", today=TODAY)
    assert result.ok and result.value == EMPTY


# --------------------------------------------------------------------------- text


def test_text_length_and_pattern() -> None:
    defn = fd(min_length=2, max_length=5, pattern=r"[A-Z]+", help_zh="大写字母", help_en="capitals")
    assert validate_field(defn, "  ABC ", today=TODAY).value == "ABC"
    assert codes(validate_field(defn, "A", today=TODAY)) == ["field.too_short"]
    assert codes(validate_field(defn, "ABCDEF", today=TODAY)) == ["field.too_long"]
    bad = validate_field(defn, "abc", today=TODAY)
    assert codes(bad) == ["field.pattern"]
    assert "大写字母" in bad.problems[0].text("zh")
    assert "capitals" in bad.problems[0].text("en")


def test_text_default_length_cap() -> None:
    assert codes(validate_field(fd(), "字" * 501, today=TODAY)) == ["field.too_long"]


def test_address_collapses_whitespace() -> None:
    defn = fd("t_addr", "address", min_length=6)
    assert validate_field(defn, " 北京市  朝阳区\n建国路1号 ", today=TODAY).value == (
        "北京市 朝阳区 建国路1号"
    )
    assert codes(validate_field(defn, "北京", today=TODAY)) == ["field.too_short"]


# --------------------------------------------------------------------------- choice


def test_choice() -> None:
    defn = fd(
        "t_choice",
        "choice",
        choices=[
            {"value": "lost", "label_zh": "丢失", "label_en": "Lost"},
            {"value": "damaged", "label_zh": "损坏", "label_en": "Damaged"},
        ],
    )
    assert validate_field(defn, "lost", today=TODAY).value == "lost"
    assert validate_field(defn, "LOST", today=TODAY).value == "lost"
    assert validate_field(defn, "损坏", today=TODAY).value == "damaged"
    bad = validate_field(defn, "stolen", today=TODAY)
    assert codes(bad) == ["field.choice"]
    assert "丢失、损坏" in bad.problems[0].text("zh")
    assert "Lost, Damaged" in bad.problems[0].text("en")


# --------------------------------------------------------------------------- numbers


def test_integer() -> None:
    defn = fd("t_int", "integer", min=1, max=12)
    assert validate_field(defn, "３", today=TODAY).value == 3
    assert validate_field(defn, 12, today=TODAY).value == 12
    assert codes(validate_field(defn, "0", today=TODAY)) == ["field.min"]
    assert codes(validate_field(defn, 13, today=TODAY)) == ["field.max"]
    assert codes(validate_field(defn, "3.5", today=TODAY)) == ["field.integer"]
    assert codes(validate_field(defn, "three", today=TODAY)) == ["field.integer"]
    assert codes(validate_field(defn, True, today=TODAY)) == ["field.integer"]


def test_money_from_yuan_text_or_fen() -> None:
    defn = fd("t_money", "money", min=100, max=500000)
    assert validate_field(defn, "¥50", today=TODAY).value == 5000
    assert validate_field(defn, 5000, today=TODAY).value == 5000  # already fen
    low = validate_field(defn, "0.99", today=TODAY)
    assert codes(low) == ["field.min"]
    assert "¥1.00" in low.problems[0].text("zh")
    assert codes(validate_field(defn, "5000.01", today=TODAY)) == ["money.too_large"]
    assert codes(validate_field(defn, 500001, today=TODAY)) == ["money.too_large"]
    assert codes(validate_field(defn, "12.345", today=TODAY)) == ["money.decimals"]
    assert codes(validate_field(defn, "-5", today=TODAY)) == ["money.negative"]
    assert codes(validate_field(defn, -5, today=TODAY)) == ["money.negative"]
    assert codes(validate_field(defn, 12.5, today=TODAY)) == ["field.money_type"]
    assert codes(validate_field(defn, True, today=TODAY)) == ["field.money_type"]
    assert validate_field(defn, "0.5", today=TODAY).problems[0].field == "t_money"


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "raw",
    ["2024-06-01", "2024/6/1", "2024.06.01", "20240601", "2024年6月1日", "２０２４－０６－０１"],
)
def test_date_formats(raw: str) -> None:
    assert validate_field(fd("t_date", "date"), raw, today=TODAY).value == "2024-06-01"


def test_date_objects_and_bad_dates() -> None:
    defn = fd("t_date", "date")
    assert validate_field(defn, date(2024, 2, 29), today=TODAY).value == "2024-02-29"
    assert codes(validate_field(defn, "2023-02-29", today=TODAY)) == ["field.date_format"]
    assert codes(validate_field(defn, "yesterday", today=TODAY)) == ["field.date_format"]


def test_date_limits_are_days_from_today() -> None:
    defn = fd("t_date", "date", min=-7, max=0)
    assert validate_field(defn, "2024-06-08", today=TODAY).ok
    before = validate_field(defn, "2024-06-07", today=TODAY)
    assert codes(before) == ["field.date_min"]
    assert "2024-06-08" in before.problems[0].text("zh")
    after = validate_field(defn, "2024-06-16", today=TODAY)
    assert codes(after) == ["field.date_max"]
    assert "2024-06-15" in after.problems[0].text("en")


# --------------------------------------------------------------------------- bool, email, postcode


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (True, True),
        (False, False),
        ("是", True),
        ("否", False),
        ("yes", True),
        ("0", False),
        (1, True),
    ],
)
def test_bool(raw: object, value: bool) -> None:
    assert validate_field(fd("t_bool", "bool"), raw, today=TODAY).value is value


def test_bool_refuses_other_text() -> None:
    assert codes(validate_field(fd("t_bool", "bool"), "maybe", today=TODAY)) == ["field.bool"]


def test_email() -> None:
    defn = fd("t_email", "email")
    assert validate_field(defn, " Li.Lei@Example.COM ", today=TODAY).value == "Li.Lei@example.com"
    for bad in ("li.lei", "li@", "@example.com", "li lei@example.com", "li@example"):
        assert codes(validate_field(defn, bad, today=TODAY)) == ["field.email"], bad


def test_postcode() -> None:
    defn = fd("t_post", "postcode")
    assert validate_field(defn, "１０００２０", today=TODAY).value == "100020"
    for bad in ("10002", "1000200", "10002A"):
        assert codes(validate_field(defn, bad, today=TODAY)) == ["field.postcode"], bad


# --------------------------------------------------------------------------- serials and IDs
# These use frontdesk.core.serials / frontdesk.core.ids (imported lazily by fields.py).


def test_mobile() -> None:
    defn = fd("t_mobile", "mobile", required=True)
    assert validate_field(defn, "+86 138 0013 8000", today=TODAY).value == "13800138000"
    bad = validate_field(defn, "12345", today=TODAY)
    assert not bad.ok
    assert all(p.field == "t_mobile" for p in bad.problems)
    assert "测试项" in bad.problems[0].text("zh")


def test_device_serial() -> None:
    defn = fd("t_serial", "imei", required=True)
    assert validate_field(defn, "49-015420-323751-8", today=TODAY).value == "490154203237518"
    assert validate_field(defn, "sn-ab12cd34", today=TODAY).value == "SN-AB12CD34"
    bad = validate_field(defn, "490154203237519", today=TODAY)  # Luhn fails
    assert not bad.ok and bad.problems[0].field == "t_serial"


def test_iccid() -> None:
    defn = fd("t_iccid", "iccid", required=True)
    assert validate_field(defn, "8986 0112 3456 7890 1237", today=TODAY).value == (
        "89860112345678901237"
    )
    bad = validate_field(defn, "12345", today=TODAY)
    assert not bad.ok and bad.problems[0].field == "t_iccid"


def test_id_number() -> None:
    defn = fd("t_id", "id_number", required=True)
    assert validate_field(defn, "11010519491231002x", today=TODAY).value == "11010519491231002X"
    wrong_check = validate_field(defn, "110105194912310021", today=TODAY)
    assert not wrong_check.ok and wrong_check.problems[0].field == "t_id"
    legacy = validate_field(defn, "110105491231002", today=TODAY)
    assert codes(legacy) == ["id.legacy_15"]


# --------------------------------------------------------------------------- general


@pytest.mark.parametrize(
    ("type_", "raw"),
    [
        ("text", " x "),
        ("money", "¥1,234.50"),
        ("date", "2024年6月1日"),
        ("integer", "０７"),
        ("bool", "是"),
        ("email", "A@B.CN"),
        ("postcode", "１００１００"),
        ("mobile", "+8613800138000"),
        ("imei", "490154203237518"),
        ("iccid", "89860112345678901237"),
    ],
)
def test_normalised_values_validate_to_themselves(type_: str, raw: object) -> None:
    defn = fd(f"t_{type_}", type_)
    first = validate_field(defn, raw, today=TODAY)
    assert first.ok
    again = validate_field(defn, first.value, today=TODAY)
    assert again.ok and again.value == first.value


def test_definition_rules() -> None:
    with pytest.raises(ValidationError, match="choices"):
        fd(type="choice")
    with pytest.raises(ValidationError, match="only choice fields"):
        fd(type="text", choices=[{"value": "a", "label_zh": "甲", "label_en": "A"}])
    with pytest.raises(ValidationError, match="min/max"):
        fd(type="text", min=1)
    with pytest.raises(ValidationError, match="min is above max"):
        fd(type="integer", min=5, max=1)
    with pytest.raises(ValidationError, match="length limits"):
        fd(type="integer", max_length=3)
    with pytest.raises(ValidationError, match="pattern"):
        fd(type="text", pattern="[")
    with pytest.raises(ValidationError, match="pattern only applies"):
        fd(type="mobile", pattern="1")
    with pytest.raises(ValidationError, match="duplicate choice"):
        fd(
            type="choice",
            choices=[
                {"value": "a", "label_zh": "甲", "label_en": "A"},
                {"value": "a", "label_zh": "乙", "label_en": "B"},
            ],
        )
    with pytest.raises(ValidationError):
        fd(type="colour")
    with pytest.raises(ValidationError):
        fd(key="Bad Key")
    with pytest.raises(ValidationError):
        fd(unknown_option=True)


def test_default_value() -> None:
    assert default_value(fd("t_date", "date", default="today"), today=TODAY) == "2024-06-15"
    assert default_value(fd("t_money", "money", default=5000), today=TODAY) == 5000
    assert default_value(fd("t_int", "integer", default=3), today=TODAY) == 3
    assert default_value(fd(), today=TODAY) is None


@pytest.mark.parametrize("type_", [t.value for t in FieldType if t is not FieldType.CHOICE])
@pytest.mark.parametrize("bad", ["abc\x00", "a\x07b", "\x1b[2J", "x\x7f"])
def test_control_characters_are_refused_in_every_field_naming_it(type_: str, bad: str) -> None:
    result = validate_field(fd("test_typed", type_), bad, today=TODAY)
    assert codes(result) == ["field.control_chars"]
    assert result.problems[0].field == "test_typed"
    assert "测试项" in result.problems[0].text("zh")
    assert "test item" in result.problems[0].text("en")


def test_tabs_and_line_breaks_are_whitespace_not_control() -> None:
    assert validate_field(fd(type="address"), "北京市\t朝阳区\n1号", today=TODAY).ok
