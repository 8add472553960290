"""Identity documents other than the resident ID card: permits, passports, foreigner
cards, the unified social credit code, and masking (moved from test_ids.py)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.core import ids
from frontdesk.core.ids import (
    DocType,
    IdentityDocument,
    check_credit_code,
    check_document,
    icao_check_digit,
    mask_id_number,
    mask_name,
    mask_phone,
)
from frontdesk.core.messages import field_label
from tests.core.test_ids import TODAY, VALID_ID, codes, error_codes, make_id, resident


def hmt_permit(number: str = "", **changes: object) -> IdentityDocument:
    doc = IdentityDocument(
        DocType.HMT_RESIDENCE_PERMIT,
        number or make_id("81000019940823002"),
        "陈大文",
        sex="F",
        birth_date=date(1994, 8, 23),
        valid_from=date(2022, 1, 10),
        valid_to=date(2027, 1, 10),
    )
    return replace(doc, **changes)


def test_hmt_residence_permit() -> None:
    assert make_id("81000019940823002") == "810000199408230021"  # 北京市公安局公布的样式号码
    assert check_document(hmt_permit(), today=TODAY) == []
    taiwan = hmt_permit("830000199201300022", birth_date=date(1992, 1, 30))
    assert check_document(taiwan, today=TODAY) == []
    assert error_codes(check_document(hmt_permit("110105194912310021"), today=TODAY)) == [
        "id.hmt.format"
    ]
    assert error_codes(check_document(hmt_permit("810000199408230022"), today=TODAY)) == [
        "id.check_digit"
    ]
    odd = hmt_permit(valid_to=date(2032, 1, 10))
    assert codes(check_document(odd, today=TODAY)) == ["id.hmt.validity"]


@pytest.mark.parametrize(
    ("doc_type", "good", "bad", "code"),
    [
        (DocType.HK_MACAO_PERMIT, "H12345678", "H1234567", "id.hk_macao.format"),
        (DocType.HK_MACAO_PERMIT, "m1234567890", "X12345678", "id.hk_macao.format"),
        (DocType.TAIWAN_PERMIT, "12345678", "1234567", "id.taiwan.format"),
        (DocType.TAIWAN_PERMIT, "1234567890B", "123456789", "id.taiwan.format"),
        (DocType.PASSPORT, "e 1234 5678", "E12", "id.passport.format"),
        (DocType.PASSPORT, "ＥＡ１２３４５６７", "E1234-5678", "id.passport.format"),
    ],
)
def test_permit_and_passport_formats(doc_type: DocType, good: str, bad: str, code: str) -> None:
    doc = IdentityDocument(
        doc_type, good, "LI MING", valid_from=date(2020, 1, 1), valid_to=date(2030, 1, 1)
    )
    assert check_document(doc, today=TODAY) == []
    assert error_codes(check_document(replace(doc, number=bad), today=TODAY)) == [code]


def test_icao_check_digit_known_values() -> None:
    # ICAO 9303 part 3 specimen: document number L898902C3 → 6, birth date 740812 → 2
    assert icao_check_digit("L898902C3") == "6"
    assert icao_check_digit("740812") == "2"
    assert icao_check_digit("120415") == "9"
    assert icao_check_digit("L898902C<") == "3"


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=20))
def test_property_icao_731(data: str) -> None:
    weights = [7, 3, 1]
    values = [int(c, 36) for c in data]
    total = sum(v * weights[i % 3] for i, v in enumerate(values))
    assert icao_check_digit(data) == str(total % 10)
    # a single changed digit is always caught (weights 7, 3, 1 are coprime to 10)
    if data[0].isdigit():
        changed = str((int(data[0]) + 1) % 10) + data[1:]
        assert icao_check_digit(changed) != icao_check_digit(data)


def fpr_2017(body14: str) -> str:
    return body14 + icao_check_digit(body14)


def test_foreign_permanent_resident_2017_and_2023() -> None:
    number_2017 = fpr_2017("USA11008503151")  # USA, 北京 1100, born 1985-03-15
    doc = IdentityDocument(
        DocType.FOREIGN_PERMANENT_RESIDENT,
        number_2017,
        "SMITH, JOHN",
        sex="M",
        birth_date=date(1985, 3, 15),
        valid_from=date(2018, 1, 1),
        valid_to=date(2028, 1, 1),
        nationality="USA",
    )
    assert check_document(doc, today=TODAY) == []
    wrong_check = number_2017[:14] + str((int(number_2017[14]) + 1) % 10)
    problems = check_document(replace(doc, number=wrong_check), today=TODAY)
    assert error_codes(problems) == ["id.fpr.check_digit"]
    assert "7-3-1" in problems[0].text("zh")
    mismatch = replace(doc, birth_date=date(1985, 3, 16))
    assert error_codes(check_document(mismatch, today=TODAY)) == ["id.birth_date_mismatch"]
    # 2023: 9 + province 11 + nationality 840 + YYYYMMDD + sequence + check
    number_2023 = make_id("91184019850315001")
    assert check_document(replace(doc, number=number_2023), today=TODAY) == []
    bad = number_2023[:17] + ("0" if number_2023[17] != "0" else "1")
    assert error_codes(check_document(replace(doc, number=bad), today=TODAY)) == ["id.check_digit"]
    assert error_codes(check_document(replace(doc, number="US110085031512"), today=TODAY)) == [
        "id.fpr.format"
    ]


def test_agent_prefixed_fields_render_their_own_labels() -> None:
    doc = resident("110105194912310021", name="")
    problems = check_document(doc, today=TODAY, field_prefix="agent.")
    fields = {p.field for p in problems}
    assert fields == {"agent.id_number", "agent.name"}
    check = next(p for p in problems if p.code == "id.check_digit")
    assert check.text("zh").startswith("经办人证件号码校验位不正确")
    assert "agent's ID number" in check.text("en")
    assert field_label("agent.valid_to", "zh") == "经办人证件有效期截止日期"
    assert field_label("guardian.birth_date", "en") == "guardian's date of birth"


def test_doc_type_labels() -> None:
    assert DocType.RESIDENT_ID.label() == "居民身份证"
    assert DocType.HK_MACAO_PERMIT.label("zh") == "港澳居民来往内地通行证"
    assert DocType.PASSPORT.label("en") == "passport"
    for doc_type in DocType:
        assert doc_type.label("zh") and doc_type.label("en")
    assert DocType("resident_id") is DocType.RESIDENT_ID


def test_all_message_templates_render_in_both_languages_with_field_label() -> None:
    params = {
        "expected": "X",
        "value": "19491231",
        "from_number": "1949-12-31",
        "on_card": "1949-12-30",
        "region": "999901",
        "valid_to": "2020-01-01",
        "valid_from": "2030-01-01",
        "age": 30,
        "years": 20,
    }
    from frontdesk.core import messages

    our_codes = [c for c in messages._templates if c.startswith(("id.", "credit."))]
    assert len(our_codes) > 30
    for code in our_codes:
        problem = messages.error(code, "id_number", **params)
        zh, en = problem.text("zh"), problem.text("en")
        assert "证件号码" in zh, code
        assert "ID number" in en, code
        assert "请" in zh, code  # polite and says what to do next
        assert "{" not in zh and "{" not in en


def test_no_full_number_in_message_params() -> None:
    problems = check_document(resident("110105194912310021", name=""), today=TODAY)
    for problem in problems:
        for value in problem.params.values():
            assert "110105194912310021" not in str(value)
            assert not re.fullmatch(r"\d{15,18}X?", str(value))


# --------------------------------------------------------------------- credit code


@pytest.mark.parametrize(
    "code",
    [
        "914403001922038216",  # 华为技术有限公司
        "91110000600037341L",
        "91350100M000100Y43",
    ],
)
def test_credit_code_valid(code: str) -> None:
    checked = check_credit_code(code.lower())
    assert checked.ok and checked.value == code


def test_credit_code_errors() -> None:
    assert check_credit_code("").problems[0].code == "credit.required"
    assert check_credit_code("91440300192203821").problems[0].code == "credit.format"
    assert check_credit_code("91440300I92203821" + "6").problems[0].code == "credit.format"
    bad = check_credit_code("914403001922038217")
    assert bad.value is None
    (problem,) = bad.problems
    assert problem.code == "credit.check_char"
    assert problem.params["expected"] == "6"
    assert "统一社会信用代码" in problem.text("zh") and "GB 32100" in problem.text("zh")


def test_credit_code_org_code_check_is_a_warning() -> None:
    body = "91440300192203826"  # organisation-code check changed from 1 to 6
    code = body + ids.credit_check_char(body)
    checked = check_credit_code(code)
    assert checked.ok
    assert codes(checked.warnings) == ["credit.org_code_check"]
    assert checked.warnings[0].params["expected"] == "1"


def test_org_code_check_char() -> None:
    assert ids.org_code_check_char("19220382") == "1"
    assert ids.org_code_check_char("60003734") == "1"


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=17, max_size=17))
def test_property_credit_code_check(body: str) -> None:
    code = body + ids.credit_check_char(body)
    assert check_credit_code(code).value == code
    wrong = next(c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if c != code[17])
    assert check_credit_code(body + wrong).value is None


def test_credit_code_as_document() -> None:
    doc = IdentityDocument(DocType.UNIFIED_SOCIAL_CREDIT_CODE, "914403001922038216", "华为")
    assert check_document(doc, today=TODAY, purpose="new_line") == []
    bad = replace(doc, number="914403001922038217")
    assert error_codes(check_document(bad, today=TODAY)) == ["credit.check_char"]


# --------------------------------------------------------------------- masking


def test_mask_examples() -> None:
    assert mask_id_number(VALID_ID) == "110105********002X"
    assert mask_id_number("110105491231002") == "110105*****1002"
    assert mask_id_number("H12345678") == "H1*****78"
    assert mask_id_number("E1234") == "E***4"
    assert mask_id_number("1234") == "****"
    assert mask_id_number("") == ""
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("JOHN SMITH") == "J*** *****"
    assert mask_name("张") == "*"
    assert mask_name("") == ""
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138-1234-5678") == "138****5678"
    assert mask_phone("01012345") == "01****45"


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRSTUVWXYZ", max_size=24))
def test_property_mask_never_reveals_more_than_6_plus_4_or_half(number: str) -> None:
    masked = mask_id_number(number)
    assert len(masked) == len(number)
    shown = [i for i, c in enumerate(masked) if c != "*"]
    for i in shown:
        assert masked[i] == number[i]
        assert i < 6 or i >= len(number) - 4
    if len(number) < 15:
        assert len(shown) <= len(number) // 2
    else:
        assert len(shown) == 10


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_property_mask_phone(number: str) -> None:
    masked = mask_phone(number)
    assert masked == number[:3] + "****" + number[-4:]


def test_doc_type_given_as_plain_string() -> None:
    doc = replace(resident(), doc_type="resident_id")  # type: ignore[arg-type]
    assert check_document(doc, today=TODAY) == []
