"""The termb adapter, driven end to end against the compiled fake vendor library."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from frontdesk.devices.id_reader import (
    DeviceUnavailableError,
    IdCardReader,
    NoCardError,
    ReadFailedError,
    demo_card,
)
from frontdesk.devices.termb import DIALECTS, TermbIdCardReader

from .conftest import FIXED_TODAY, FakeTermb


def make_reader(fake: FakeTermb, **kwargs: object) -> TermbIdCardReader:
    kwargs.setdefault("poll_interval_s", 0.01)
    return TermbIdCardReader(fake.path, 1001, **kwargs)  # type: ignore[arg-type]


def test_reads_the_default_card_in_every_dialect(fake_termb: FakeTermb) -> None:
    with make_reader(fake_termb) as reader:
        assert isinstance(reader, IdCardReader) and not reader.is_simulator
        assert reader.dialect is not None
        assert fake_termb.path.name == f"libtermb_{reader.dialect.key}.so"  # auto-detected
        card = reader.read(timeout_s=0.5)
    assert card.name == "张三"  # GBK decoded, padding stripped
    assert (card.sex, card.sex_code) == ("男", "M")
    assert (card.ethnicity_code, card.ethnicity) == ("01", "汉")
    assert card.birth_date == date(1990, 3, 7)
    assert card.address == "北京市朝阳区建国路88号"
    assert card.id_number == "110105199003071239"
    assert card.issuing_authority == "北京市公安局朝阳分局"
    assert (card.valid_from, card.valid_to, card.long_term) == (
        date(2015, 1, 1),
        date(2035, 1, 1),
        False,
    )
    assert card.doc_kind == "resident_id"
    assert fake_termb.last_port() == 1001
    assert fake_termb.last_active() == 1  # Read_Content(1) = text + photo
    assert fake_termb.close_calls() == 1


def test_photo_file_is_read_then_deleted(fake_termb: FakeTermb) -> None:
    with make_reader(fake_termb) as reader:
        card = reader.read(timeout_s=0.5)
    assert card.photo_bmp is not None
    with Image.open(io.BytesIO(card.photo_bmp)) as img:
        assert img.size == (102, 126)
    assert not (Path.cwd() / "zp.bmp").exists()


def test_stale_photo_of_a_previous_customer_is_never_attached(fake_plain: FakeTermb) -> None:
    (Path.cwd() / "zp.bmp").write_bytes(b"BM stale photo of somebody else")
    fake_plain.mode("nophoto")
    with make_reader(fake_plain) as reader:
        card = reader.read(timeout_s=0.5)
    assert card.photo_bmp is None


def test_photo_dir_setting(fake_plain: FakeTermb, tmp_path: Path) -> None:
    photos = tmp_path / "vendor_photos"
    photos.mkdir()
    fake_plain.lib.fake_set_photo_dir(str(photos).encode())
    with make_reader(fake_plain, photo_dir=photos) as reader:
        card = reader.read(timeout_s=0.5)
    assert card.photo_bmp is not None and card.photo_bmp[:2] == b"BM"
    assert not (photos / "zp.bmp").exists()


def test_long_term_card(fake_termb: FakeTermb) -> None:
    fake_termb.set_field("end_date", "长期")
    with make_reader(fake_termb) as reader:
        card = reader.read(timeout_s=0.5)
    assert card.long_term and card.valid_to is None


def test_a_simulator_card_round_trips_through_the_vendor_api(fake_termb: FakeTermb) -> None:
    source = demo_card("hmt_resident", today=FIXED_TODAY)
    for key, value in {
        "name": "欧阳娜娜",
        "sex": "女",
        "nation": "",
        "birthday": source.birth_date.strftime("%Y%m%d"),
        "address": source.address,
        "idno": source.id_number,
        "department": source.issuing_authority,
        "start_date": source.valid_from.strftime("%Y%m%d"),
        "end_date": source.valid_to.strftime("%Y%m%d") if source.valid_to else "长期",
    }.items():
        fake_termb.set_field(key, value)
    with make_reader(fake_termb) as reader:
        card = reader.read(timeout_s=0.5)
    assert card.doc_kind == "hmt_residence_permit"
    assert card.name == "欧阳娜娜" and card.sex_code == "F" and card.ethnicity_code == ""
    assert (card.birth_date, card.valid_from, card.valid_to) == (
        source.birth_date,
        source.valid_from,
        source.valid_to,
    )


def test_foreigner_card_keeps_nationality(fake_plain: FakeTermb) -> None:
    source = demo_card("foreigner_2023", today=FIXED_TODAY)
    fake_plain.set_field("idno", source.id_number)
    fake_plain.set_field("nation", "USA")
    fake_plain.set_field("name", "SMITH, JOHN")
    with make_reader(fake_plain) as reader:
        card = reader.read(timeout_s=0.5)
    assert card.doc_kind == "foreign_permanent_resident"
    assert (card.nationality, card.ethnicity_code) == ("USA", "")


@pytest.mark.parametrize(("raw", "code"), [("01", "01"), ("汉族", "01"), ("蒙古", "02")])
def test_ethnicity_code_or_name(fake_plain: FakeTermb, raw: str, code: str) -> None:
    fake_plain.set_field("nation", raw)
    with make_reader(fake_plain) as reader:
        assert reader.read(timeout_s=0.5).ethnicity_code == code


def test_rare_name_characters_beyond_gbk(fake_plain: FakeTermb) -> None:
    fake_plain.set_field("name", "王䶮", encoding="gb18030")  # 䶮 is not in GBK
    with make_reader(fake_plain) as reader:
        assert reader.read(timeout_s=0.5).name == "王䶮"


def test_sex_as_code(fake_plain: FakeTermb) -> None:
    fake_plain.set_field("sex", "2")
    with make_reader(fake_plain) as reader:
        assert reader.read(timeout_s=0.5).sex == "女"


def test_card_must_be_lifted_between_reads(fake_termb: FakeTermb) -> None:
    with make_reader(fake_termb) as reader:
        reader.read(timeout_s=0.5)
        with pytest.raises(NoCardError) as exc:
            reader.read(timeout_s=0.05)
        assert "拿起" in exc.value.message_zh
        fake_termb.lift()
        assert reader.read(timeout_s=0.5).name == "张三"


def test_no_card_waits_for_the_timeout(fake_termb: FakeTermb) -> None:
    fake_termb.mode("nocard")
    with make_reader(fake_termb) as reader, pytest.raises(NoCardError) as exc:
        reader.read(timeout_s=0.05)
    assert exc.value.vendor_rc in {0, 2}
    assert "读卡器" in exc.value.message_zh


def test_no_card_mode_from_the_environment(
    fake_plain: FakeTermb, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_TERMB_MODE", "nocard")
    fake_plain.lib.fake_reset()
    with make_reader(fake_plain) as reader, pytest.raises(NoCardError):
        reader.read(timeout_s=0.02)


def test_authentication_failure(fake_termb: FakeTermb) -> None:
    fake_termb.mode("authfail")
    with make_reader(fake_termb) as reader, pytest.raises(ReadFailedError) as exc:
        reader.read(timeout_s=5)  # not a "no card" answer: no waiting for the timeout
    assert exc.value.code == "authenticate_failed" and exc.value.vendor_rc == 3
    assert "认证失败" in exc.value.message_zh


def test_read_content_failure(fake_termb: FakeTermb) -> None:
    fake_termb.mode("readfail")
    with make_reader(fake_termb) as reader, pytest.raises(ReadFailedError) as exc:
        reader.read(timeout_s=0.5)
    assert exc.value.code == "read_failed" and exc.value.vendor_rc == 0


def test_getter_failure(fake_plain: FakeTermb) -> None:
    fake_plain.mode("getterfail")
    with make_reader(fake_plain) as reader, pytest.raises(ReadFailedError) as exc:
        reader.read(timeout_s=0.5)
    assert exc.value.code == "getter_failed"


def test_reader_disconnected_mid_session(fake_termb: FakeTermb) -> None:
    with make_reader(fake_termb) as reader:
        fake_termb.mode("disconnected")
        with pytest.raises(DeviceUnavailableError) as exc:
            reader.read(timeout_s=0.5)
    assert exc.value.vendor_rc == 4


@pytest.mark.parametrize(
    ("field", "value"),
    [("birthday", "19901345"), ("start_date", "2015"), ("sex", "X"), ("nation", "火星")],
)
def test_garbled_fields_are_read_failures_not_guesses(
    fake_plain: FakeTermb, field: str, value: str
) -> None:
    fake_plain.set_field(field, value)
    with make_reader(fake_plain) as reader, pytest.raises(ReadFailedError) as exc:
        reader.read(timeout_s=0.5)
    assert exc.value.code == "garbled_field"
    assert "110105199003071239" not in str(exc.value)


def test_port_cannot_be_opened(fake_termb: FakeTermb) -> None:
    fake_termb.mode("noport")
    reader = make_reader(fake_termb)
    with pytest.raises(DeviceUnavailableError) as exc:
        reader.open()
    assert exc.value.code == "port_unavailable" and "1001" in exc.value.message_zh


def test_serial_port_numbers_are_passed_through(fake_plain: FakeTermb) -> None:
    with TermbIdCardReader(fake_plain.path, 3) as reader:
        reader.read(timeout_s=0.5)
    assert fake_plain.last_port() == 3


@pytest.mark.parametrize("port", [0, 17, 1000, 1017, -1])
def test_invalid_ports_are_refused_before_touching_the_device(port: int) -> None:
    with pytest.raises(ValueError, match="1001-1016"):
        TermbIdCardReader("/nonexistent/libtermb.so", port)


def test_missing_library(tmp_path: Path) -> None:
    reader = TermbIdCardReader(tmp_path / "libtermb.so", 1001)
    with pytest.raises(DeviceUnavailableError) as exc:
        reader.open()
    assert exc.value.code == "library_missing"


def test_read_before_open(fake_plain: FakeTermb) -> None:
    with pytest.raises(DeviceUnavailableError) as exc:
        make_reader(fake_plain).read(timeout_s=0.1)
    assert exc.value.code == "not_open"


def test_explicit_dialect_must_match_the_exports(fake_termb_builds: dict[str, Path]) -> None:
    reader = TermbIdCardReader(fake_termb_builds["termb"], 1001, dialect="cvr")
    with pytest.raises(DeviceUnavailableError) as exc:
        reader.open()
    assert exc.value.code == "library_unsupported"
    with pytest.raises(ValueError):
        TermbIdCardReader(fake_termb_builds["termb"], 1001, dialect="martian")


def test_a_library_without_the_termb_api_is_refused(tmp_path: Path) -> None:
    import ctypes.util

    libc = ctypes.util.find_library("c")
    assert libc is not None
    with pytest.raises(DeviceUnavailableError) as exc:
        TermbIdCardReader(libc, 1001).open()
    assert exc.value.code == "library_unsupported"


def test_dialect_table_is_complete() -> None:
    for dialect in DIALECTS.values():
        assert len(set(dialect.getters.values())) == 9
