"""ID-card reader data, demo cards and the simulator."""

from __future__ import annotations

import io
import logging
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from frontdesk.devices.id_reader import (
    ETHNIC_GROUPS,
    DeviceUnavailableError,
    IdCardReader,
    NoCardError,
    ReaderError,
    ReadFailedError,
    SimulatedIdCardReader,
    demo_card,
    demo_person_names,
    doc_kind_for_id_number,
    ethnicity_code_for,
    gb11643_check_digit,
    mask_id_number,
    mask_name,
)

from .conftest import FIXED_TODAY

EXPECTED_PEOPLE = {"zhang_san", "minor", "expired", "long_term", "hmt_resident", "foreigner_2023"}
_WEIGHTS_18 = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2, 1)


def independently_valid(id_number: str) -> bool:
    """GB 11643 stated the other way round: Σ aᵢ·Wᵢ over all 18 (X = 10) ≡ 1 (mod 11)."""
    values = [10 if ch == "X" else int(ch) for ch in id_number]
    return sum(v * w for v, w in zip(values, _WEIGHTS_18, strict=True)) % 11 == 1


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# ----------------------------------------------------------------------- check digit


def test_check_digit_matches_the_standards_example() -> None:
    assert gb11643_check_digit("11010519491231002") == "X"
    assert gb11643_check_digit("44030519900101001") + "" in "0123456789X"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_digit_agrees_with_the_independent_formula(first17: str) -> None:
    assert independently_valid(first17 + gb11643_check_digit(first17))


@pytest.mark.parametrize("bad", ["", "1234", "1101051949123100X", "110105194912310021"])
def test_check_digit_rejects_malformed_input(bad: str) -> None:
    with pytest.raises(ValueError):
        gb11643_check_digit(bad)


# ------------------------------------------------------------------------ demo cards


def test_the_built_in_demo_people_are_all_there() -> None:
    assert set(demo_person_names()) == EXPECTED_PEOPLE


@pytest.mark.parametrize("person", sorted(EXPECTED_PEOPLE))
@pytest.mark.parametrize("today", [FIXED_TODAY, date(2023, 3, 1), date.today()])
def test_each_demo_card_is_realistic(person: str, today: date) -> None:
    card = demo_card(person, today=today)
    assert len(card.id_number) == 18
    assert independently_valid(card.id_number)
    assert card.id_number[6:14] == card.birth_date.strftime("%Y%m%d")
    assert int(card.id_number[16]) % 2 == (1 if card.sex == "男" else 0)
    assert card.doc_kind == doc_kind_for_id_number(card.id_number)
    assert card.valid_from <= today
    assert card.birth_date < card.valid_from
    assert card.name and card.issuing_authority
    assert card.photo_bmp is not None
    with Image.open(io.BytesIO(card.photo_bmp)) as img:
        assert img.format == "BMP" and img.size == (102, 126)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_personas_hold_on_any_day(today: date) -> None:
    zhang = demo_card("zhang_san", today=today)
    assert zhang.id_number.startswith("110105") and zhang.doc_kind == "resident_id"
    assert age_on(zhang.birth_date, today) >= 18
    assert zhang.valid_to is not None and zhang.valid_to > today

    assert age_on(demo_card("minor", today=today).birth_date, today) == 15

    expired = demo_card("expired", today=today)
    assert expired.valid_to is not None and expired.valid_to < today
    assert not expired.long_term

    long_term = demo_card("long_term", today=today)
    assert age_on(long_term.birth_date, today) == 60
    assert long_term.long_term and long_term.valid_to is None

    hmt = demo_card("hmt_resident", today=today)
    assert hmt.id_number.startswith("810000") and hmt.doc_kind == "hmt_residence_permit"
    assert hmt.ethnicity_code == "" and hmt.valid_to is not None and hmt.valid_to > today

    foreigner = demo_card("foreigner_2023", today=today)
    assert foreigner.id_number.startswith("9")
    assert foreigner.doc_kind == "foreign_permanent_resident"
    assert foreigner.nationality == "USA"


def test_unknown_demo_person_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="zhang_san"):
        demo_card("nobody")


def test_doc_kind_covers_the_old_foreigner_card() -> None:
    assert doc_kind_for_id_number("USA110079061512") == "foreign_permanent_resident"
    assert doc_kind_for_id_number("820000199001011234") == "hmt_residence_permit"
    assert doc_kind_for_id_number("11010519491231002X") == "resident_id"


# --------------------------------------------------------------------------- CardRead


def test_sex_and_ethnicity_are_normalised() -> None:
    card = demo_card("zhang_san", today=FIXED_TODAY)
    assert (card.sex, card.sex_code) == ("男", "M")
    assert (card.ethnicity_code, card.ethnicity) == ("01", "汉")
    assert demo_card("expired", today=FIXED_TODAY).sex_code == "F"


def test_ethnic_group_table_is_gb3304() -> None:
    assert [f"{i:02d}" for i in range(1, 57)] == [c for c in ETHNIC_GROUPS if c <= "56"]
    assert len(set(ETHNIC_GROUPS.values())) == len(ETHNIC_GROUPS)
    assert ETHNIC_GROUPS["01"] == "汉" and ETHNIC_GROUPS["56"] == "基诺"


@pytest.mark.parametrize(
    ("raw", "code"),
    [("01", "01"), ("1", "01"), ("汉", "01"), ("汉族", "01"), ("维吾尔", "05"), ("", "")],
)
def test_ethnicity_code_for_accepts_what_vendors_return(raw: str, code: str) -> None:
    assert ethnicity_code_for(raw) == code


@pytest.mark.parametrize("raw", ["99", "火星", "USA"])
def test_ethnicity_code_for_refuses_garbage(raw: str) -> None:
    with pytest.raises(ValueError):
        ethnicity_code_for(raw)


def test_card_read_refuses_inconsistent_values() -> None:
    card = demo_card("zhang_san", today=FIXED_TODAY)
    import dataclasses

    with pytest.raises(ValueError):
        dataclasses.replace(card, sex="M")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        dataclasses.replace(card, long_term=True)
    with pytest.raises(ValueError):
        dataclasses.replace(card, ethnicity_code="77")
    with pytest.raises(ValueError):
        dataclasses.replace(card, doc_kind="passport")  # type: ignore[arg-type]


@pytest.mark.parametrize("person", sorted(EXPECTED_PEOPLE))
def test_repr_never_reveals_personal_data(person: str, caplog: pytest.LogCaptureFixture) -> None:
    card = demo_card(person, today=FIXED_TODAY)
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("frontdesk.test").info("read %s / %r", card, card)
    for text in (repr(card), str(card), f"{card}", caplog.text, repr([card])):
        assert card.id_number not in text
        assert card.id_number[6:14] not in text  # birth date hidden inside the number
        assert card.name not in text
        if card.address:
            assert card.address not in text
        assert card.issuing_authority not in text
    assert mask_id_number(card.id_number) in repr(card)


def test_masks() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number("12345") == "1***5"  # short numbers never show more than half
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("") == ""


# -------------------------------------------------------------------------- simulator


def opened(reader: SimulatedIdCardReader) -> SimulatedIdCardReader:
    reader.open()
    return reader


def test_simulator_is_an_id_card_reader() -> None:
    reader = SimulatedIdCardReader(today=FIXED_TODAY)
    assert isinstance(reader, IdCardReader)
    assert reader.is_simulator and reader.name


@pytest.mark.parametrize("person", sorted(EXPECTED_PEOPLE))
def test_simulator_reads_each_named_card(person: str) -> None:
    reader = opened(SimulatedIdCardReader(person, today=FIXED_TODAY))
    card = reader.read()
    assert card.id_number == demo_card(person, today=FIXED_TODAY).id_number
    assert independently_valid(card.id_number)


def test_card_must_be_lifted_between_reads() -> None:
    reader = opened(SimulatedIdCardReader("zhang_san", today=FIXED_TODAY))
    first = reader.read()
    with pytest.raises(NoCardError) as exc:
        reader.read()
    assert exc.value.code == "card_not_lifted"
    assert "拿起" in exc.value.message_zh
    reader.lift()
    second = reader.read()
    assert second.id_number == first.id_number
    assert second.read_at >= first.read_at
    with pytest.raises(NoCardError):
        reader.read()


def test_placing_another_card_rearms_the_reader() -> None:
    reader = opened(SimulatedIdCardReader("zhang_san", today=FIXED_TODAY))
    reader.read()
    reader.place("minor")
    assert reader.read().name == "李小明"
    custom = demo_card("long_term", today=FIXED_TODAY)
    reader.place(custom)
    assert reader.read().id_number == custom.id_number


def test_removed_card_means_no_card() -> None:
    reader = opened(SimulatedIdCardReader("zhang_san", today=FIXED_TODAY))
    reader.remove()
    with pytest.raises(NoCardError) as exc:
        reader.read()
    assert exc.value.code == "no_card"
    reader.lift()  # lifting nothing leaves nothing
    with pytest.raises(NoCardError):
        reader.read()


def test_no_card_scenario() -> None:
    reader = opened(SimulatedIdCardReader.scenario("no_card", today=FIXED_TODAY))
    with pytest.raises(NoCardError) as exc:
        reader.read(timeout_s=0.1)
    assert has_chinese(exc.value.message_zh) and exc.value.message_en


def test_read_failure_scenario_fails_every_time() -> None:
    reader = opened(SimulatedIdCardReader.scenario("read_failure", today=FIXED_TODAY))
    for _ in range(3):
        with pytest.raises(ReadFailedError) as exc:
            reader.read()
        assert has_chinese(exc.value.message_zh)
        assert isinstance(exc.value, ReaderError)


def test_glitch_then_success_scenario() -> None:
    reader = opened(SimulatedIdCardReader.scenario("glitch", today=FIXED_TODAY))
    with pytest.raises(ReadFailedError):
        reader.read()
    assert reader.read().name == "张三"


def test_expired_scenario_reads_an_expired_card() -> None:
    reader = opened(SimulatedIdCardReader.scenario("expired", today=FIXED_TODAY))
    card = reader.read()
    assert card.valid_to is not None and card.valid_to < FIXED_TODAY


def test_unavailable_scenario_cannot_open() -> None:
    reader = SimulatedIdCardReader.scenario("unavailable", today=FIXED_TODAY)
    with pytest.raises(DeviceUnavailableError) as exc:
        reader.open()
    assert has_chinese(exc.value.message_zh)


def test_reading_before_open_is_a_device_error() -> None:
    reader = SimulatedIdCardReader(today=FIXED_TODAY)
    with pytest.raises(DeviceUnavailableError):
        reader.read()
    with reader:
        reader.read()
    with pytest.raises(DeviceUnavailableError):
        reader.read()


def test_unknown_scenario_is_refused() -> None:
    with pytest.raises(ValueError):
        SimulatedIdCardReader.scenario("meteor")  # type: ignore[arg-type]


def test_reader_errors_carry_code_and_both_languages() -> None:
    for err in (NoCardError(), ReadFailedError(), DeviceUnavailableError()):
        assert err.code and has_chinese(err.message_zh) and err.message_en
        assert err.code in str(err) and err.code in repr(err)


def test_minor_is_fifteen_around_leap_days() -> None:
    for today in (date(2024, 2, 29), date(2025, 2, 28), date(2025, 3, 1)):
        for shift in range(-2, 3):
            day = today + timedelta(days=shift)
            assert age_on(demo_card("minor", today=day).birth_date, day) == 15
