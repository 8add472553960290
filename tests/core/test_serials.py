"""IMEI, IMEISV, MEID, device S/N, mobile numbers and ICCIDs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.core import messages
from frontdesk.core.serials import (
    DeviceSerial,
    check_device_serial,
    check_iccid,
    check_imei,
    check_imeisv,
    check_meid,
    check_mobile_number,
    luhn_check_digit,
    luhn_valid,
)

IMEI = "490154203237518"  # the 3GPP/Wikipedia example IMEI


def only_code(checked: messages.Checked) -> str:
    assert checked.value is None
    (problem,) = checked.problems
    return problem.code


# --------------------------------------------------------------------- Luhn


def test_luhn_known_values() -> None:
    assert luhn_check_digit("49015420323751") == "8"
    assert luhn_check_digit("35890180697241") == "7"
    assert luhn_check_digit("7992739871") == "3"
    # base-16 example: MEID AF 01 23 45 0A BC DE → check C
    assert luhn_check_digit("AF0123450ABCDE", 16) == "C"
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")
    with pytest.raises(ValueError):
        luhn_check_digit("12A", 10)
    with pytest.raises(ValueError):
        luhn_check_digit("12", 8)


@given(st.from_regex(r"[0-9]{14}", fullmatch=True))
def test_property_generated_imeis_pass(body: str) -> None:
    imei = body + luhn_check_digit(body)
    assert check_imei(imei).value == imei
    assert check_device_serial(imei).value == DeviceSerial("imei", imei)


@given(
    st.from_regex(r"[0-9]{14}", fullmatch=True),
    st.integers(min_value=0, max_value=14),
    st.integers(min_value=1, max_value=9),
)
def test_property_single_digit_change_fails_luhn(body: str, pos: int, delta: int) -> None:
    imei = body + luhn_check_digit(body)
    changed = imei[:pos] + str((int(imei[pos]) + delta) % 10) + imei[pos + 1 :]
    assert check_imei(changed).value is None


@given(st.from_regex(r"[0-9A-F]{14}", fullmatch=True))
def test_property_meid_check(meid: str) -> None:
    base = 10 if meid.isdigit() else 16
    check = luhn_check_digit(meid, base)
    assert check_meid(meid + check).value == meid
    wrong = next(c for c in "0123456789ABCDEF"[:base] if c != check)
    assert check_meid(meid + wrong).value is None


# --------------------------------------------------------------------- IMEI


def test_imei_valid_with_separators_and_full_width() -> None:
    assert check_imei(IMEI).value == IMEI
    assert check_imei("49-015420-323751-8").value == IMEI
    assert check_imei("４９０１５４ ２０３２３７５１８").value == IMEI


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "imei.required"),
        ("49015420323751", "imei.missing_check"),
        ("490154203237519", "imei.luhn"),
        ("4901542032375180", "imei.is_imeisv"),
        ("4901542032375", "imei.format"),
        ("49015420323751A", "imei.format"),
    ],
)
def test_imei_errors(raw: str, code: str) -> None:
    assert only_code(check_imei(raw)) == code


def test_imei_messages() -> None:
    (problem,) = check_imei("49015420323751").problems
    assert "IMEI 串号" in problem.text("zh") and "第15位" in problem.text("zh")
    assert "15th" in problem.text("en")
    (problem,) = check_imei("490154203237519").problems
    assert "Luhn" in problem.text("zh") and "IMEI" in problem.text("en")


def test_imeisv() -> None:
    assert check_imeisv("3554660210123456").value == "3554660210123456"
    assert only_code(check_imeisv("355466021012345")) == "imeisv.format"
    assert only_code(check_imeisv("")) == "imei.required"


# --------------------------------------------------------------------- MEID


def test_meid() -> None:
    assert check_meid("af0123450abcde").value == "AF0123450ABCDE"
    assert check_meid("AF 0123450A BCDE C").value == "AF0123450ABCDE"
    assert check_meid("A0000000002329").value == "A0000000002329"
    decimal = "99000012345678"
    assert check_meid(decimal + luhn_check_digit(decimal)).value == decimal
    problems = check_meid("AF0123450ABCDE1").problems
    assert problems[0].code == "meid.check" and problems[0].params["expected"] == "C"
    assert only_code(check_meid("AF0123450ABCDG")) == "meid.format"
    assert only_code(check_meid("AF0123450ABC")) == "meid.format"
    assert only_code(check_meid(" ")) == "meid.required"


# --------------------------------------------------------------------- device serial


@pytest.mark.parametrize(
    ("raw", "kind", "value"),
    [
        (IMEI, "imei", IMEI),
        ("3554660210123456", "imeisv", "3554660210123456"),
        ("A0000000002329", "meid", "A0000000002329"),
        ("AF0123450ABCDEC", "meid", "AF0123450ABCDE"),
        ("99000012345678", "meid", "99000012345678"),
        ("f2lxk1abcd12", "sn", "F2LXK1ABCD12"),
        ("SN-2024-00017", "sn", "SN-2024-00017"),
        ("R58 M12 3ABC", "sn", "R58M123ABC"),
    ],
)
def test_device_serial_shapes(raw: str, kind: str, value: str) -> None:
    checked = check_device_serial(raw)
    assert checked.ok
    assert checked.value == DeviceSerial(kind, value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "serial.required"),
        ("490154203237519", "imei.luhn"),
        ("AF0123450ABCDE1", "meid.check"),
        ("AB12", "serial.format"),
        ("-ABC123", "serial.format"),
        ("ABC_123456", "serial.format"),
        ("A" * 31, "serial.format"),
    ],
)
def test_device_serial_errors(raw: str, code: str) -> None:
    assert only_code(check_device_serial(raw)) == code


def test_device_serial_keeps_the_callers_field() -> None:
    (problem,) = check_device_serial("490154203237519", field="serial").problems
    assert problem.field == "serial"
    assert problem.text("zh").startswith("设备序列号")


# --------------------------------------------------------------------- mobile numbers


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "0086-13812345678",
        "8613812345678",
        "１３８１２３４５６７８",
    ],
)
def test_mobile_number_valid(raw: str) -> None:
    assert check_mobile_number(raw).value == "13812345678"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "phone.required"),
        ("12812345678", "phone.format"),
        ("1381234567", "phone.format"),
        ("138123456789", "phone.format"),
        ("010-12345678", "phone.format"),
        ("+1 415 555 0100", "phone.format"),
    ],
)
def test_mobile_number_errors(raw: str, code: str) -> None:
    checked = check_mobile_number(raw)
    assert only_code(checked) == code
    assert "手机号码" in checked.problems[0].text("zh")
    assert "mobile number" in checked.problems[0].text("en")


# --------------------------------------------------------------------- ICCID


def test_iccid() -> None:
    body = "8986011234567890123"
    iccid20 = body + luhn_check_digit(body)
    assert check_iccid(iccid20).value == iccid20
    assert check_iccid(body).value == body  # 19 digits, no check, as issued in China
    assert check_iccid("8986 0112 3456 7890 123").value == body
    wrong = iccid20[:19] + str((int(iccid20[19]) + 1) % 10)
    problems = check_iccid(wrong).problems
    assert problems[0].code == "iccid.luhn"
    assert problems[0].params["expected"] == iccid20[19]
    assert only_code(check_iccid("")) == "iccid.required"
    assert only_code(check_iccid("1986011234567890123")) == "iccid.format"
    assert only_code(check_iccid("898601123456789012")) == "iccid.format"
    assert only_code(check_iccid("89860112345678901234X")) == "iccid.format"


def test_iccid_known_value() -> None:
    assert luhn_valid("89014103211118510720")  # a published AT&T ICCID example


# --------------------------------------------------------------------- messages


def test_all_serial_messages_render_with_field_label() -> None:
    labels = {
        "imei": ("IMEI 串号", "IMEI"),
        "meid": ("MEID 串号", "MEID"),
        "serial": ("设备序列号", "device serial number"),
        "phone": ("手机号码", "mobile number"),
        "iccid": ("SIM 卡号（ICCID）", "SIM card number (ICCID)"),
    }
    prefixes = ("imei.", "imeisv.", "meid.", "serial.", "phone.", "iccid.")
    our_codes = [c for c in messages._templates if c.startswith(prefixes)]
    assert len(our_codes) >= 15
    for code in our_codes:
        key = "imei" if code.startswith("imeisv") else code.split(".")[0]
        problem = messages.error(code, key, expected="7")
        zh_label, en_label = labels[key]
        assert zh_label in problem.text("zh"), code
        assert en_label in problem.text("en"), code
        assert "请" in problem.text("zh"), code
        assert "Please" in problem.text("en"), code
