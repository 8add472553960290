"""One identity document checked by every rule of its type (:func:`check_document`).

Nothing here puts a full ID number into an exception, a log or a message parameter;
messages carry :func:`~frontdesk.core.ids.masking.mask_id_number` output at most.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Literal

from frontdesk.core.ids.credit import check_credit_code
from frontdesk.core.ids.model import (
    _NEXT_READ,
    _NEXT_READ_EN,
    DocType,
    IdentityDocument,
    _clean,
    _fmt,
)
from frontdesk.core.ids.permits import (
    _HMT_REGIONS,
    _RE_HK_MACAO,
    _RE_PASSPORT,
    _RE_TAIWAN,
    _check_fpr,
)
from frontdesk.core.ids.resident import _RE_15, _RE_18, parse_resident_id
from frontdesk.core.ids.validity import _check_validity, check_min_age
from frontdesk.core.messages import Problem, define, error, warning

define(
    "id.birth_date_mismatch",
    zh="{field}与证件号码中的出生日期不一致（号码中为 {from_number}，证件上为 {on_card}），"
    + _NEXT_READ,
    en="The {field} does not match the date of birth in the ID number (number: "
    "{from_number}, card: {on_card}). " + _NEXT_READ_EN,
)
define(
    "id.sex_mismatch",
    zh="{field}与证件号码不一致（号码第17位奇数为男、偶数为女），请核对证件。",
    en="The {field} does not match the ID number (an odd 17th digit means male, even "
    "female). Please check the document.",
)
define(
    "id.name_required",
    zh="请填写{field}：须与证件上的姓名一致。",
    en="Please enter the {field} exactly as it appears on the document.",
)


def _check_number(
    doc: IdentityDocument, number: str, field: str, today: date
) -> tuple[list[Problem], date | None, Literal["M", "F"] | None]:
    """Format/check problems, plus the birth date and sex the number carries, if any."""
    kind = doc.doc_type
    if kind in (DocType.RESIDENT_ID, DocType.TEMP_RESIDENT_ID):
        if _RE_18.fullmatch(number) or _RE_15.fullmatch(number):
            if number[:2] in ("81", "82", "83"):
                return [error("id.region_is_hmt", field, region=number[:2])], None, None
            if number[0] == "9":
                return [error("id.region_is_foreigner", field)], None, None
        parsed = parse_resident_id(number, field, today=today)
        if parsed.value is None:
            return list(parsed.problems), None, None
        problems = list(parsed.problems)
        if parsed.value.legacy15:
            problems.insert(0, error("id.legacy_15", field))
        return problems, parsed.value.birth_date, parsed.value.sex
    if kind is DocType.HMT_RESIDENCE_PERMIT:
        if not _RE_18.fullmatch(number) or number[:6] not in _HMT_REGIONS:
            return [error("id.hmt.format", field)], None, None
        parsed = parse_resident_id(number, field, today=today)
        if parsed.value is None:
            return list(parsed.problems), None, None
        # 81/82/83 are in the table; any region warning would be noise here
        errors = [found for found in parsed.problems if found.is_error]
        return errors, parsed.value.birth_date, parsed.value.sex
    if kind is DocType.FOREIGN_PERMANENT_RESIDENT:
        return _check_fpr(number, field, today)
    if kind is DocType.HK_MACAO_PERMIT:
        ok = bool(_RE_HK_MACAO.fullmatch(number))
        return ([] if ok else [error("id.hk_macao.format", field)]), None, None
    if kind is DocType.TAIWAN_PERMIT:
        ok = bool(_RE_TAIWAN.fullmatch(number))
        return ([] if ok else [error("id.taiwan.format", field)]), None, None
    if kind is DocType.PASSPORT:
        ok = bool(_RE_PASSPORT.fullmatch(number))
        return ([] if ok else [error("id.passport.format", field)]), None, None
    if kind is DocType.UNIFIED_SOCIAL_CREDIT_CODE:
        return list(check_credit_code(number, field).problems), None, None
    raise ValueError(f"unknown document type {kind!r}")


def check_document(
    doc: IdentityDocument, *, today: date, purpose: str = "general", field_prefix: str = ""
) -> list[Problem]:
    """Every rule for the document's type; errors block, warnings are shown.

    ``purpose="new_line"`` adds the age ≥ 16 rule for opening a line in one's own name.
    Field keys are ``field_prefix`` + id_number / name / birth_date / valid_from /
    valid_to / sex; labels exist for no prefix and for "agent.", "guardian." and
    "customer." (see :func:`define_prefixed_fields`).
    """
    if not isinstance(doc.doc_type, DocType):  # a plain string from storage or a form
        doc = replace(doc, doc_type=DocType(doc.doc_type))
    p = field_prefix
    number = _clean(doc.number)  # a 15-digit number stays 15 here, to be refused
    problems: list[Problem] = []
    birth_from_number: date | None = None
    sex_from_number: Literal["M", "F"] | None = None
    if not number:
        code = (
            "credit.required"
            if doc.doc_type is DocType.UNIFIED_SOCIAL_CREDIT_CODE
            else "id.number_required"
        )
        problems.append(error(code, p + "id_number"))
    else:
        found, birth_from_number, sex_from_number = _check_number(
            doc, number, p + "id_number", today
        )
        problems.extend(found)

    if not (doc.name or "").strip():
        problems.append(error("id.name_required", p + "name"))

    if doc.birth_date is not None:
        if doc.birth_date > today:
            problems.append(
                error("id.birth_date_future", p + "birth_date", value=_fmt(doc.birth_date))
            )
        elif birth_from_number is not None and doc.birth_date != birth_from_number:
            problems.append(
                error(
                    "id.birth_date_mismatch",
                    p + "birth_date",
                    from_number=_fmt(birth_from_number),
                    on_card=_fmt(doc.birth_date),
                )
            )
    if doc.sex is not None and sex_from_number is not None and doc.sex != sex_from_number:
        problems.append(warning("id.sex_mismatch", p + "sex"))

    birth = birth_from_number or doc.birth_date
    problems.extend(_check_validity(doc, p, today, birth))

    is_person = doc.doc_type is not DocType.UNIFIED_SOCIAL_CREDIT_CODE
    # a birth date in the future was reported above; no age message on top of it
    if purpose == "new_line" and is_person and (birth is None or birth <= today):
        problems.extend(check_min_age(birth, today, 16, p + "birth_date"))
    return problems
