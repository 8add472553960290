"""Identity documents: numbers, check characters, validity, ages and masking."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.core import ids
from frontdesk.core.ids import (
    DocType,
    IdentityDocument,
    age_on,
    check_document,
    check_min_age,
    mod11_2_check,
    normalise_number,
    parse_resident_id,
)
from frontdesk.core.messages import Problem, Severity

TODAY = date(2025, 6, 1)
VALID_ID = "11010519491231002X"  # the GB 11643 example: 北京朝阳, 1949-12-31, female


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def error_codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems if p.is_error]


def make_id(body17: str) -> str:
    return body17 + mod11_2_check(body17)


def resident(number: str = VALID_ID, **changes: object) -> IdentityDocument:
    doc = IdentityDocument(
        doc_type=DocType.RESIDENT_ID,
        number=number,
        name="张三",
        sex="F",
        birth_date=date(1949, 12, 31),
        ethnicity="汉",
        address="北京市朝阳区",
        issuing_authority="北京市公安局朝阳分局",
        valid_from=date(2010, 3, 1),
        valid_to=None,
        long_term=True,
    )
    return replace(doc, **changes)


# --------------------------------------------------------------------- resident ID numbers


def test_known_valid_example_parses() -> None:
    parsed = parse_resident_id(VALID_ID)
    assert parsed.ok
    value = parsed.unwrap()
    assert value.number18 == VALID_ID
    assert value.region_code == "110105"
    assert value.birth_date == date(1949, 12, 31)
    assert value.sequence == "002"
    assert value.sex == "F"
    assert not value.legacy15
    assert parsed.problems == ()


def test_lower_case_x_and_full_width_and_spaces_are_normalised() -> None:
    assert parse_resident_id(" 110105 19491231 002x ").unwrap().number18 == VALID_ID
    full_width = "１１０１０５１９４９１２３１００２Ｘ"
    assert parse_resident_id(full_width).unwrap().number18 == VALID_ID
    assert normalise_number(DocType.RESIDENT_ID, "11010519491231002x") == VALID_ID


def test_wrong_check_digit_is_an_error_naming_the_expected_character() -> None:
    parsed = parse_resident_id("110105194912310021")
    assert not parsed.ok
    (problem,) = parsed.problems
    assert problem.code == "id.check_digit"
    assert problem.params["expected"] == "X"
    assert problem.text("zh") == (
        "证件号码校验位不正确（GB 11643 规定的第18位校验码应为 X），请核对证件后重新读取或输入。"
    )
    assert "ID number" in problem.text("en")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "id.number_required"),
        ("1101051949123100", "id.format"),  # 16 digits
        ("11010519491231002Y", "id.format"),
        ("1101051949123100XX", "id.format"),
        ("110105194902300023", "id.birth_date_invalid"),  # 30 February (check is right)
        ("110105189912310023", "id.birth_date_invalid"),  # before 1900
        ("110105491331002", "id.birth_date_invalid"),  # 15-digit, month 13
    ],
)
def test_malformed_numbers(raw: str, code: str) -> None:
    if code == "id.birth_date_invalid" and len(raw) == 18:
        raw = make_id(raw[:17])
    parsed = parse_resident_id(raw)
    assert parsed.value is None
    assert codes(list(parsed.problems)) == [code]


def test_future_birth_date_with_today() -> None:
    number = make_id("11010520300101001")
    assert parse_resident_id(number).ok  # without today, only the calendar is checked
    parsed = parse_resident_id(number, today=TODAY)
    assert codes(list(parsed.problems)) == ["id.birth_date_future"]


def test_unknown_region_is_a_warning_and_abolished_region_is_fine() -> None:
    unknown = parse_resident_id(make_id("99990119800101001"))
    assert unknown.ok
    assert codes(unknown.warnings) == ["id.region_unknown"]
    assert unknown.warnings[0].severity is Severity.WARNING
    # 110104 宣武区 was merged into 西城区 in 2010; old numbers keep the code
    abolished = parse_resident_id(make_id("11010419800101001"))
    assert abolished.ok and abolished.problems == ()


def test_legacy_15_digits_parse_and_upgrade() -> None:
    parsed = parse_resident_id("110105491231002")
    assert parsed.ok
    value = parsed.unwrap()
    assert value.legacy15
    assert value.number18 == VALID_ID
    assert value.birth_date == date(1949, 12, 31)
    assert normalise_number(DocType.RESIDENT_ID, "110105491231002") == VALID_ID
    # other document types keep a 15-character number as it is
    assert normalise_number(DocType.PASSPORT, "110105491231002") == "110105491231002"
    # an impossible date is not upgraded
    assert normalise_number("resident_id", "110105491331002") == "110105491331002"


def test_sex_from_sequence_parity() -> None:
    assert parse_resident_id(make_id("11010519800101001")).unwrap().sex == "M"
    assert parse_resident_id(make_id("11010519800101002")).unwrap().sex == "F"


bodies = st.builds(
    lambda region, born, seq: f"{region}{born:%Y%m%d}{seq:03d}",
    st.sampled_from(["110105", "310104", "440305", "510107", "654301"]),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 1, 1)),
    st.integers(min_value=0, max_value=999),
)


@given(bodies)
def test_property_valid_body_with_computed_check_passes(body: str) -> None:
    parsed = parse_resident_id(body + mod11_2_check(body))
    assert parsed.ok
    assert parsed.unwrap().number18 == body + mod11_2_check(body)


@given(bodies, st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=10))
def test_property_any_single_character_change_fails(body: str, pos: int, delta: int) -> None:
    number = body + mod11_2_check(body)
    alphabet = "0123456789X" if pos == 17 else "0123456789"
    changed_char = alphabet[(alphabet.index(number[pos]) + delta) % len(alphabet)]
    if changed_char == number[pos]:
        return
    changed = number[:pos] + changed_char + number[pos + 1 :]
    assert not parse_resident_id(changed).ok


@given(
    st.sampled_from(["110105", "310104", "440305"]),
    st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)),
    st.integers(min_value=0, max_value=999),
)
def test_property_15_to_18_round_trip(region: str, born: date, seq: int) -> None:
    old = f"{region}{born:%y%m%d}{seq:03d}"
    new = normalise_number(DocType.RESIDENT_ID, old)
    assert len(new) == 18
    assert new[:6] + new[8:17] == old  # dropping "19" and the check gives the old number
    assert parse_resident_id(new).ok
    assert parse_resident_id(old).unwrap().number18 == new
    assert normalise_number(DocType.RESIDENT_ID, new) == new


# --------------------------------------------------------------------- check_document


def test_valid_long_term_card_has_no_problems() -> None:
    assert check_document(resident(), today=TODAY) == []
    assert check_document(resident(), today=TODAY, purpose="new_line") == []


def test_legacy_15_card_is_refused_as_a_document() -> None:
    problems = check_document(resident("110105491231002"), today=TODAY)
    assert "id.legacy_15" in error_codes(problems)
    text = next(p for p in problems if p.code == "id.legacy_15").text("zh")
    assert "证件号码" in text and "15位" in text and "换领" in text


def test_wrong_check_digit_document() -> None:
    problems = check_document(resident("110105194912310021"), today=TODAY)
    assert error_codes(problems) == ["id.check_digit"]


def test_birth_date_on_card_must_match_number() -> None:
    problems = check_document(resident(birth_date=date(1949, 12, 30)), today=TODAY)
    assert error_codes(problems) == ["id.birth_date_mismatch"]
    (problem,) = problems
    assert problem.field == "birth_date"
    assert "1949-12-31" in problem.text("zh") and "1949-12-30" in problem.text("zh")


def test_sex_mismatch_is_a_warning() -> None:
    problems = check_document(resident(sex="M"), today=TODAY)
    assert codes(problems) == ["id.sex_mismatch"]
    assert not problems[0].is_error


def test_name_required() -> None:
    problems = check_document(resident(name="  "), today=TODAY)
    assert error_codes(problems) == ["id.name_required"]
    assert problems[0].field == "name"
    assert "姓名" in problems[0].text("zh")


def test_number_required() -> None:
    assert error_codes(check_document(resident(""), today=TODAY)) == ["id.number_required"]


def test_expired_and_not_yet_valid() -> None:
    young = make_id("11010520000101001")  # male, born 2000-01-01
    base = resident(young, sex="M", birth_date=date(2000, 1, 1), long_term=False)
    expired = replace(base, valid_from=date(2015, 3, 1), valid_to=date(2020, 3, 1))  # age 15
    problems = check_document(expired, today=TODAY)
    assert error_codes(problems) == ["id.expired"]
    assert problems[0].field == "valid_to"
    assert "2020-03-01" in problems[0].text("zh")
    assert "expired" in problems[0].text("en")
    # valid through its last day
    assert check_document(expired, today=date(2020, 3, 1)) == []
    future = replace(base, valid_from=date(2025, 7, 1), valid_to=date(2035, 7, 1))
    problems = check_document(future, today=TODAY)
    assert error_codes(problems) == ["id.not_yet_valid"]
    assert problems[0].field == "valid_from"


def test_missing_or_contradictory_validity() -> None:
    assert error_codes(check_document(resident(long_term=False), today=TODAY)) == [
        "id.valid_to_required"
    ]
    both = resident(valid_to=date(2030, 1, 1))
    assert "id.validity_conflict" in error_codes(check_document(both, today=TODAY))
    reversed_dates = resident(
        long_term=False, valid_from=date(2020, 1, 1), valid_to=date(2019, 1, 1)
    )
    assert error_codes(check_document(reversed_dates, today=TODAY)) == ["id.validity_range"]


@pytest.mark.parametrize(
    ("born", "issued", "years"),
    [
        (date(2012, 5, 1), date(2021, 5, 10), 5),  # 9 at issue
        (date(2004, 5, 1), date(2020, 5, 10), 10),  # 16
        (date(1995, 5, 11), date(2020, 5, 10), 10),  # 24 (25th birthday next day)
        (date(1994, 5, 10), date(2020, 5, 10), 20),  # 26 on the day of issue
        (date(1975, 5, 11), date(2020, 5, 10), 20),  # 44
    ],
)
def test_validity_length_by_age(born: date, issued: date, years: int) -> None:
    assert ids.resident_id_validity_years(age_on(born, issued)) == years
    number = make_id(f"110105{born:%Y%m%d}001")
    doc = resident(
        number,
        sex="M",
        birth_date=born,
        long_term=False,
        valid_from=issued,
        valid_to=issued.replace(year=issued.year + years),
    )
    assert check_document(doc, today=TODAY) == []
    wrong = replace(doc, valid_to=issued.replace(year=issued.year + years + 5))
    problems = check_document(wrong, today=TODAY)
    assert codes(problems) == ["id.validity_years"]
    assert problems[0].severity is Severity.WARNING
    assert str(years) in problems[0].text("zh") and "第五条" in problems[0].text("zh")


def test_validity_boundaries() -> None:
    assert ids.resident_id_validity_years(15) == 5
    assert ids.resident_id_validity_years(16) == 10
    assert ids.resident_id_validity_years(25) == 10
    assert ids.resident_id_validity_years(26) == 20
    assert ids.resident_id_validity_years(45) == 20
    assert ids.resident_id_validity_years(46) is None


def test_over_46_should_be_long_term() -> None:
    number = make_id("11010519600101001")
    doc = resident(
        number,
        sex="M",
        birth_date=date(1960, 1, 1),
        long_term=False,
        valid_from=date(2015, 1, 1),
        valid_to=date(2035, 1, 1),
    )
    assert codes(check_document(doc, today=TODAY)) == ["id.validity_long_term"]
    young_long = resident(
        make_id("11010519900101001"),
        sex="M",
        birth_date=date(1990, 1, 1),
        valid_from=date(2015, 1, 1),
    )
    assert codes(check_document(young_long, today=TODAY)) == ["id.validity_years"]


def test_new_line_needs_age_16() -> None:
    born = date(2010, 6, 2)  # 14 on TODAY
    doc = resident(
        make_id(f"110105{born:%Y%m%d}001"),
        sex="M",
        birth_date=born,
        long_term=False,
        valid_from=date(2020, 1, 1),
        valid_to=date(2025, 1, 1) + timedelta(days=3650),
    )
    general = check_document(doc, today=TODAY)
    assert "id.min_age" not in codes(general)
    problems = check_document(doc, today=TODAY, purpose="new_line")
    assert "id.min_age" in error_codes(problems)
    text = next(p for p in problems if p.code == "id.min_age").text("zh")
    assert "16" in text and "监护人" in text


def test_check_min_age_and_age_on() -> None:
    assert age_on(date(2009, 6, 1), TODAY) == 16
    assert age_on(date(2009, 6, 2), TODAY) == 15
    assert age_on(date(2008, 2, 29), date(2025, 2, 28)) == 16
    assert age_on(date(2008, 2, 29), date(2025, 3, 1)) == 17
    assert check_min_age(date(2009, 6, 1), TODAY) == []
    (problem,) = check_min_age(date(2009, 6, 2), TODAY)
    assert problem.code == "id.min_age" and problem.params == {"years": 16, "age": 15}
    assert codes(check_min_age(None, TODAY)) == ["id.birth_date_required"]
    assert (
        check_min_age(date(2010, 1, 1), TODAY, years=18, field="agent.birth_date")[0]
        .text("zh")
        .startswith("按经办人出生日期计算，持证人未满 18 周岁")
    )


def test_future_birth_date_on_card() -> None:
    doc = IdentityDocument(
        DocType.PASSPORT,
        "E12345678",
        "JOHN SMITH",
        birth_date=date(2030, 1, 1),
        valid_from=date(2020, 1, 1),
        valid_to=date(2030, 1, 1),
    )
    assert error_codes(check_document(doc, today=TODAY, purpose="new_line")) == [
        "id.birth_date_future"
    ]


def test_resident_id_with_hmt_or_foreigner_prefix() -> None:
    hmt = resident(make_id("81000019900101002"), birth_date=date(1990, 1, 1))
    assert error_codes(check_document(hmt, today=TODAY)) == ["id.region_is_hmt"]
    fpr = resident(make_id("91115619900101002"), birth_date=date(1990, 1, 1))
    assert error_codes(check_document(fpr, today=TODAY)) == ["id.region_is_foreigner"]


def test_unknown_region_in_document_is_only_a_warning() -> None:
    doc = resident(make_id("11990119491231002"))
    problems = check_document(doc, today=TODAY)
    assert codes(problems) == ["id.region_unknown"]
    assert "119901" in problems[0].text("zh") and "GB/T 2260" in problems[0].text("zh")


def test_temporary_id_three_months() -> None:
    doc = resident(
        doc_type=DocType.TEMP_RESIDENT_ID,
        long_term=False,
        valid_from=date(2025, 5, 1),
        valid_to=date(2025, 8, 1),
    )
    assert check_document(doc, today=TODAY) == []
    longer = replace(doc, valid_to=date(2026, 5, 1))
    assert codes(check_document(longer, today=TODAY)) == ["id.temp.validity"]
