"""Ages and document validity periods.

Card validity, 居民身份证法 Art. 5: under 16 at issue → 5 years, 16–25 → 10, 26–45 → 20,
46 and over → 长期. A 临时居民身份证 is valid 3 months, a 港澳台居民居住证 5 years. A
validity that does not fit is a *warning* (the card is what it is; the clerk looks
again), an expired or not-yet-valid document is an *error*.
"""

from __future__ import annotations

from datetime import date

from frontdesk.core.ids.model import (
    _NEXT_READ,
    _NEXT_READ_EN,
    DocType,
    IdentityDocument,
    _date_or_none,
    _fmt,
)
from frontdesk.core.messages import Problem, define, error, warning

define(
    "id.birth_date_required",
    zh="请填写{field}：办理此业务需要核对年龄。",
    en="Please enter the {field}: this business needs the holder's age.",
)
define(
    "id.valid_to_required",
    zh="请填写{field}（长期有效的证件请选择“长期”）：须确认证件在有效期内才能办理。",
    en="Please enter the {field} (choose 'long-term' for a card without an end date): "
    "the document must be checked to be in force.",
)
define(
    "id.expired",
    zh="证件已过有效期（{field}为 {valid_to}），不能办理业务；请客户出示有效期内的证件，"
    "或先到签发机关换领。",
    en="The document has expired ({field} {valid_to}) and cannot be used. Please ask for a "
    "document that is in force, or ask the customer to renew it first.",
)
define(
    "id.not_yet_valid",
    zh="证件尚未生效（{field}为 {valid_from}），不能办理业务；请核对证件日期，或出示其他有效证件。",
    en="The document is not yet in force ({field} {valid_from}). Please check the dates or "
    "ask for another valid document.",
)
define(
    "id.validity_range",
    zh="{field}早于有效期起始日期，" + _NEXT_READ,
    en="The {field} is before the valid-from date. " + _NEXT_READ_EN,
)
define(
    "id.validity_conflict",
    zh="证件既标为“长期”又填写了{field}，请核对证件后只保留其中一项。",
    en="The document is marked long-term but also has a {field}; please check the card and "
    "keep only one.",
)
define(
    "id.validity_years",
    zh="{field}与签发时年龄不符：按《居民身份证法》第五条，签发时 {age} 周岁应为 {years} 年有效期；"
    "请核对证件。",
    en="The {field} does not fit the holder's age at issue: under Art. 5 of the Resident "
    "Identity Card Law, a card issued at age {age} is valid for {years} years. Please check "
    "the card.",
)
define(
    "id.validity_long_term",
    zh="{field}与签发时年龄不符：按《居民身份证法》第五条，"
    "签发时已满46周岁（{age} 周岁）应为长期有效；请核对证件。",
    en="The {field} does not fit the holder's age at issue: under Art. 5 of the Resident "
    "Identity Card Law, a card issued at 46 or older ({age}) is valid long-term. Please "
    "check the card.",
)
define(
    "id.temp.validity",
    zh="{field}与规定不符：临时居民身份证有效期为3个月；请核对证件。",
    en="The {field} is unusual: a temporary resident ID card is valid for 3 months. Please "
    "check the card.",
)
define(
    "id.hmt.validity",
    zh="{field}与规定不符：港澳台居民居住证有效期为5年；请核对证件。",
    en="The {field} is unusual: a Hong Kong/Macao/Taiwan residence permit is valid for 5 "
    "years. Please check the permit.",
)
define(
    "id.min_age",
    zh="按{field}计算，持证人未满 {years} 周岁（现 {age} 周岁），不能以本人名义办理入网；"
    "请由监护人作为经办人代为办理。",
    en="By the {field}, the holder is under {years} (now {age}) and cannot open a line in "
    "their own name; please let a guardian do it as the agent.",
)


def age_on(birth_date: date, today: date) -> int:
    """Completed years (周岁) on ``today``; a 29 February birthday counts on 1 March."""
    years = today.year - birth_date.year
    if (today.month, today.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def check_min_age(
    birth_date: date | None, today: date, years: int = 16, field: str = "birth_date"
) -> list[Problem]:
    """Error ``id.min_age`` when the holder is younger than ``years`` on ``today``."""
    if birth_date is None:
        return [error("id.birth_date_required", field)]
    age = age_on(birth_date, today)
    if age < years:
        return [error("id.min_age", field, years=years, age=max(age, 0))]
    return []


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February → 28 February
        return d.replace(year=d.year + years, day=28)


def _add_months(d: date, months: int) -> date:
    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    for day in (d.day, 30, 29, 28):
        found = _date_or_none(year, month, day)
        if found:
            return found
    raise AssertionError("unreachable")


def _near(actual: date, expected: date, slack_days: int = 1) -> bool:
    return abs((actual - expected).days) <= slack_days


def resident_id_validity_years(age_at_issue: int) -> int | None:
    """Years of validity by 居民身份证法 Art. 5; ``None`` means 长期."""
    if age_at_issue < 16:
        return 5
    if age_at_issue <= 25:
        return 10
    if age_at_issue <= 45:
        return 20
    return None


def _check_validity(
    doc: IdentityDocument, prefix: str, today: date, birth: date | None
) -> list[Problem]:
    f_from, f_to = prefix + "valid_from", prefix + "valid_to"
    problems: list[Problem] = []
    if doc.long_term and doc.valid_to is not None:
        problems.append(error("id.validity_conflict", f_to))
    needs_end = doc.doc_type is not DocType.UNIFIED_SOCIAL_CREDIT_CODE
    if doc.valid_to is None and not doc.long_term and needs_end:
        problems.append(error("id.valid_to_required", f_to))
    if doc.valid_from is not None and doc.valid_from > today:
        problems.append(error("id.not_yet_valid", f_from, valid_from=_fmt(doc.valid_from)))
    if doc.valid_to is not None:
        if doc.valid_from is not None and doc.valid_to < doc.valid_from:
            problems.append(error("id.validity_range", f_to))
            return problems
        if doc.valid_to < today:
            problems.append(error("id.expired", f_to, valid_to=_fmt(doc.valid_to)))
    if problems or doc.valid_from is None:
        return problems
    start = doc.valid_from
    if doc.doc_type is DocType.RESIDENT_ID and birth is not None:
        age = age_on(birth, start)
        years = resident_id_validity_years(age)
        if years is None:
            if not doc.long_term:
                problems.append(warning("id.validity_long_term", f_to, age=age))
        elif (
            doc.long_term
            or doc.valid_to is None
            or not _near(doc.valid_to, _add_years(start, years))
        ):
            problems.append(warning("id.validity_years", f_to, age=age, years=years))
    elif doc.doc_type is DocType.TEMP_RESIDENT_ID:
        if (
            doc.long_term
            or doc.valid_to is None
            or not _near(doc.valid_to, _add_months(start, 3), slack_days=2)
        ):
            problems.append(warning("id.temp.validity", f_to))
    elif doc.doc_type is DocType.HMT_RESIDENCE_PERMIT and (
        doc.long_term or doc.valid_to is None or not _near(doc.valid_to, _add_years(start, 5))
    ):
        problems.append(warning("id.hmt.validity", f_to))
    return problems
