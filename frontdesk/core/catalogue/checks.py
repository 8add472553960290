"""The checks a catalogue must pass as a whole, each finding in Chinese and English.

Each check yields ``(location, reason_zh, reason_en)``; the loader turns the first into
a :class:`~frontdesk.core.catalogue.loading.CatalogueError`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from frontdesk.core.catalogue.model import Business, Catalogue, Precondition
from frontdesk.core.catalogue.schema import (
    ID_STEPS,
    LINE_EFFECTS,
    LINE_PRECONDITION_RULES,
    LINE_STATUSES,
    PRECONDITION_OPTIONAL_PARAMS,
    PRECONDITION_RULES,
)
from frontdesk.core.fields import NO_DEFAULT_TYPES, FieldType, validate_field
from frontdesk.core.handsets import Handset, fill_values, looks_up_handsets

# --------------------------------------------------------------------------- cross-checks

_Finding = tuple[tuple[Any, ...], str, str]


def _duplicates(values: list[str]) -> list[int]:
    seen: set[str] = set()
    found = []
    for i, v in enumerate(values):
        if v in seen:
            found.append(i)
        seen.add(v)
    return found


def _cross_checks(c: Catalogue) -> Iterator[_Finding]:
    yield from handset_checks(c)
    for name, attr, items in (
        ("businesses", "code", c.businesses),
        ("tiers", "code", c.tiers),
        ("plans", "code", c.plans),
        ("handling_classes", "code", c.handling_classes),
        ("complaint_rules", "category", c.complaint_rules),
        ("warranty_periods", "part", c.warranty_periods),
    ):
        for i in _duplicates([getattr(item, attr) for item in items]):
            value = getattr(items[i], attr)
            yield (
                (name, i, attr),
                f"{attr} “{value}” 重复，每一项必须唯一",
                f"{attr} “{value}” is used twice; each must be unique",
            )
    for i in _duplicates([str(t.rank) for t in c.tiers]):
        yield (
            ("tiers", i, "rank"),
            f"级别序号 {c.tiers[i].rank} 重复，叫号顺序将不确定",
            f"rank {c.tiers[i].rank} is used twice; the calling order would be undefined",
        )
    if not any(t.code == "standard" and t.rank == 0 for t in c.tiers):
        yield (
            ("tiers",),
            "缺少普通客户级别（code 为 standard、rank 为 0）",
            "the standard tier (code standard, rank 0) is missing",
        )
    for i, plan in enumerate(c.plans):
        if plan.monthly_fee_fen < 0:
            yield (
                ("plans", i, "monthly_fee_fen"),
                "月费不能为负数",
                "the monthly fee cannot be negative",
            )
    for i, rule in enumerate(c.complaint_rules):
        d = rule.deadline
        if d.value_suburb is not None and d.value_suburb < d.value:
            yield (
                ("complaint_rules", i, "deadline", "value_suburb"),
                "郊县时限不能短于城区时限",
                "the suburban deadline cannot be shorter than the city one",
            )
    tiers = {t.code for t in c.tiers}
    classes = {h.code for h in c.handling_classes}
    parts = {w.part for w in c.warranty_periods}
    labels: dict[str, tuple[str, str, str, str]] = {}
    free_sim = {t.code for t in c.tiers if t.free_sim_replacement}
    for bi, b in enumerate(c.businesses):
        yield from _business_checks(c, bi, b, tiers, classes, parts, free_sim)
        for fi, f in enumerate(b.fields):
            seen = labels.setdefault(f.key, (f.label_zh, f.label_en, str(f.type), b.code))
            if seen[:3] != (f.label_zh, f.label_en, str(f.type)):
                yield (
                    ("businesses", bi, "fields", fi, "key"),
                    f"字段 “{f.key}” 在业务 {seen[3]} 中的名称或类型不同；同一个键在整个目录中"
                    "必须表示同一项内容，请改用另一个键",
                    f"field “{f.key}” has another label or type in business {seen[3]}; a key "
                    "means one thing across the catalogue, use another key",
                )


def _business_checks(
    c: Catalogue,
    bi: int,
    b: Business,
    tiers: set[str],
    classes: set[str],
    parts: set[str],
    free_sim: set[str],
) -> Iterator[_Finding]:
    at = ("businesses", bi)
    categories = {r.category for r in c.complaint_rules}
    for ci, clock in enumerate(b.clocks):
        if clock.category not in categories:
            yield (
                (*at, "clocks", ci, "category"),
                f"时限类别 “{clock.category}” 不在投诉规则中",
                f"clock category “{clock.category}” is not a complaint rule",
            )
        for key in [*clock.when, *([clock.area_field] if clock.area_field else [])]:
            if b.find_field(key) is None:
                yield (
                    (*at, "clocks", ci),
                    f"时限引用的字段 “{key}” 不存在",
                    f"the clock names field “{key}”, which the business does not have",
                )
    if b.handling_class not in classes:
        yield (
            (*at, "handling_class"),
            f"办理时限类别 “{b.handling_class}” 不存在，可用：{'、'.join(sorted(classes))}",
            f"handling class “{b.handling_class}” does not exist ({', '.join(sorted(classes))})",
        )
    if b.sla_minutes <= 0:
        yield (
            (*at, "sla_minutes"),
            "办理时限（分钟）必须大于 0",
            "sla_minutes must be above 0",
        )
    if b.fee_fen < 0:
        yield (
            (*at, "fee_fen"),
            f"收费不能为负数（{b.fee_fen} 分）；退款请用 money_direction: out",
            f"the fee cannot be negative ({b.fee_fen} fen); refunds use money_direction out",
        )
    for ti, tier in enumerate(b.free_for_tiers):
        if tier not in tiers:
            yield (
                (*at, "free_for_tiers", ti),
                f"客户级别 “{tier}” 不存在，可用：{'、'.join(sorted(tiers))}",
                f"tier “{tier}” does not exist ({', '.join(sorted(tiers))})",
            )
    if b.fee_from_field is not None:
        defn = b.find_field(b.fee_from_field)
        if defn is None or defn.type is not FieldType.MONEY or not defn.required:
            yield (
                (*at, "fee_from_field"),
                f"fee_from_field 指向的 “{b.fee_from_field}” 必须是本业务的必填金额字段",
                f"fee_from_field “{b.fee_from_field}” must name a required money field of "
                "this business",
            )
        if b.fee_fen:
            yield (
                (*at, "fee_fen"),
                "金额取自字段时 fee_fen 必须为 0",
                "fee_fen must be 0 when the amount comes from a field",
            )
        if b.free_for_tiers:
            yield (
                (*at, "free_for_tiers"),
                "金额取自字段（充值、价款、退款）时不能对客户级别免收",
                "an amount taken from a field (top-up, price, refund) cannot be waived by tier",
            )
    elif b.money_direction == "out":
        yield (
            (*at, "money_direction"),
            "退款类业务（money_direction: out）必须用 fee_from_field 指定退款金额字段",
            "a pay-out business (money_direction out) needs fee_from_field for the amount",
        )
    if b.account_effect == "replace_sim" and set(b.free_for_tiers) != free_sim:
        yield (
            (*at, "free_for_tiers"),
            "补换卡的免费级别必须与 tiers 中 free_sim_replacement 为 true 的级别一致",
            "free_for_tiers of a SIM replacement must equal the tiers with free_sim_replacement",
        )
    for si, step in enumerate(b.id_steps):
        if step not in ID_STEPS:
            yield (
                (*at, "id_steps", si),
                f"身份核验步骤 “{step}” 不存在，可用：{'、'.join(ID_STEPS)}",
                f"ID step “{step}” is unknown ({', '.join(ID_STEPS)})",
            )
    for si in _duplicates(list(b.id_steps)):
        yield ((*at, "id_steps", si), "身份核验步骤重复", "an ID step is listed twice")
    if b.face_required and "match" not in b.id_steps:
        yield (
            (*at, "face_required"),
            "需要人像比对的业务必须包含 match 步骤",
            "face_required needs the match step in id_steps",
        )
    for name, values in (("parties", b.parties), ("payment_modes", b.payment_modes)):
        for i in _duplicates(list(values)):
            yield ((*at, name, i), "取值重复", "listed twice")
    if b.account_effect == "add_line" and b.acts_on != "customer":
        yield (
            (*at, "acts_on"),
            "新增号码的业务必须作用于客户（acts_on: customer）",
            "a business adding a line must act on the customer",
        )
    if b.account_effect in LINE_EFFECTS and b.acts_on != "line":
        yield (
            (*at, "acts_on"),
            f"账户变更 “{b.account_effect}” 作用于某个号码，acts_on 必须为 line",
            f"account effect “{b.account_effect}” changes one line; acts_on must be line",
        )
    for i in _duplicates([p.rule for p in b.preconditions]):
        yield ((*at, "preconditions", i), "前置条件重复", "a precondition is listed twice")
    for pi, pre in enumerate(b.preconditions):
        yield from _precondition_checks((*at, "preconditions", pi), b, pre, tiers)
    for fi in _duplicates([f.key for f in b.fields]):
        yield (
            (*at, "fields", fi, "key"),
            f"字段键 “{b.fields[fi].key}” 在本业务中重复",
            f"field key “{b.fields[fi].key}” is used twice in this business",
        )
    for fi, f in enumerate(b.fields):
        if f.choices_from == "plans" and not c.plans:
            yield (
                (*at, "fields", fi, "choices_from"),
                "choices_from 引用了 plans，但目录中没有套餐",
                "choices_from names plans but the catalogue has none",
            )
        if f.choices_from == "complaint_rules" and not c.complaint_rules:
            yield (
                (*at, "fields", fi, "choices_from"),
                "choices_from 引用了 complaint_rules，但目录中没有投诉规则",
                "choices_from names complaint_rules but the catalogue has none",
            )
    for wi, part in enumerate(b.warranty_parts):
        if part not in parts:
            yield (
                (*at, "warranty_parts", wi),
                f"保修部件 “{part}” 在 warranty_periods 中不存在",
                f"warranty part “{part}” is not in warranty_periods",
            )
    if b.creates_warranty_card != bool(b.warranty_parts):
        yield (
            (*at, "warranty_parts"),
            "开具保修卡的业务必须列出保修部件，其他业务不能列出",
            "warranty_parts is needed exactly when creates_warranty_card is true",
        )
    if b.creates_warranty_card and not any(f.type is FieldType.IMEI for f in b.fields):
        yield (
            (*at, "creates_warranty_card"),
            "开具保修卡的业务必须有串号字段（imei 类型）",
            "a business creating a warranty card needs a serial (imei) field",
        )


def _precondition_checks(
    at: tuple[Any, ...], b: Business, pre: Precondition, tiers: set[str]
) -> Iterator[_Finding]:
    allowed = PRECONDITION_RULES.get(pre.rule)
    if allowed is None:
        yield (
            (*at, "rule"),
            f"前置条件 “{pre.rule}” 不存在，可用：{'、'.join(PRECONDITION_RULES)}",
            f"precondition rule “{pre.rule}” is unknown ({', '.join(PRECONDITION_RULES)})",
        )
        return
    given = set(pre.params) - PRECONDITION_OPTIONAL_PARAMS.get(pre.rule, set())
    if given != allowed:
        extra = ", ".join(sorted(given - allowed)) or "-"
        missing = ", ".join(sorted(allowed - given)) or "-"
        yield (
            at,
            f"前置条件 “{pre.rule}” 的参数不正确（多余：{extra}；缺少：{missing}）",
            f"wrong parameters for “{pre.rule}” (unexpected: {extra}; missing: {missing})",
        )
        return
    if pre.rule in LINE_PRECONDITION_RULES and b.acts_on != "line":
        yield (
            at,
            f"前置条件 “{pre.rule}” 针对号码判断，只能用于 acts_on 为 line 的业务",
            f"precondition “{pre.rule}” judges a line; the business must act on a line",
        )
    p = pre.params
    when = p.get("counts_when")
    if when is not None and not (
        isinstance(when, Mapping)
        and all(b.find_field(k) is not None and isinstance(v, list) and v for k, v in when.items())
    ):
        yield (
            (*at, "counts_when"),
            "counts_when 应为“本业务的字段 → 取值列表”",
            "counts_when must map a field of this business to a list of its values",
        )
    if pre.rule == "id_number_limit" and not _int_between(p["max"], 1, 99):
        yield (
            (*at, "max"),
            f"max 应为 1 到 99 的整数（当前值 {p['max']!r}）",
            f"max must be an integer 1..99 (got {p['max']!r})",
        )
    if pre.rule == "min_age" and not _int_between(p["years"], 0, 120):
        yield (
            (*at, "years"),
            f"years 应为 0 到 120 的整数（当前值 {p['years']!r}）",
            f"years must be an integer 0..120 (got {p['years']!r})",
        )
    if pre.rule == "line_status":
        value = p["in"]
        if (
            not isinstance(value, list)
            or not value
            or any(s not in LINE_STATUSES for s in value)
            or len(set(value)) != len(value)
        ):
            yield (
                (*at, "in"),
                f"in 应为号码状态列表，可用：{'、'.join(LINE_STATUSES)}（当前值 {value!r}）",
                f"in must list line states from {', '.join(LINE_STATUSES)} (got {value!r})",
            )
    if pre.rule == "tier_at_least" and p["tier"] not in tiers:
        yield (
            (*at, "tier"),
            f"客户级别 “{p['tier']}” 不存在，可用：{'、'.join(sorted(tiers))}",
            f"tier “{p['tier']}” does not exist ({', '.join(sorted(tiers))})",
        )


def _int_between(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _default_checks(c: Catalogue) -> Iterator[_Finding]:
    today = c.published_at.date()
    for bi, b in enumerate(c.businesses):
        for fi, f in enumerate(b.fields):
            if f.default is None:
                continue
            at = ("businesses", bi, "fields", fi, "default")
            if f.type in NO_DEFAULT_TYPES:
                yield (
                    at,
                    f"{f.type} 类型的字段不能有默认值（每位客户、每张卡都不同）",
                    f"a {f.type} field cannot have a default (it differs for every customer)",
                )
                continue
            if f.type is FieldType.DATE and f.default == "today":
                continue
            if f.type is FieldType.DATE and f.default is not None:
                # relative limits are judged on the day of use, not on publication
                f = f.model_copy(update={"min": None, "max": None})
            checked = validate_field(f, f.default, today=today)
            if not checked.ok:
                problem = checked.problems[0]
                yield (
                    at,
                    f"默认值 {f.default!r} 不符合字段规则：{problem.text('zh')}",
                    f"the default {f.default!r} breaks the field's rule: {problem.text('en')}",
                )


# ------------------------------------------------- the terminal catalogue (handsets)

#: Any date will do: none of the filled inputs is a date.
_ANY_DAY = date(2000, 1, 1)


def handset_checks(c: Catalogue) -> Iterator[_Finding]:
    """Cross-checks of the ``handsets`` section against the rest of the catalogue:
    codes and TACs unique, and every value it fills acceptable to each sale form that
    looks models up (the price within the price field's min/max, texts within their
    lengths), so a fill can never put the form in the wrong."""
    codes: set[str] = set()
    owner: dict[str, str] = {}
    forms = {b.code: b for b in c.businesses if looks_up_handsets(b)}
    for i, handset in enumerate(c.handsets):
        form = forms.get(handset.business)
        if form is None:
            yield (
                ("handsets", i, "business"),
                f"业务 “{handset.business}” 不存在或不是带机身串号的终端销售",
                f"business “{handset.business}” is unknown or not a terminal sale with a "
                "device serial",
            )
            continue
        if handset.code in codes:
            yield (
                ("handsets", i, "code"),
                f"code “{handset.code}” 重复，每一项必须唯一",
                f"code “{handset.code}” is used twice; each must be unique",
            )
        codes.add(handset.code)
        for t, tac in enumerate(handset.tacs):
            if tac in owner:
                yield (
                    ("handsets", i, "tacs", t),
                    f"TAC “{tac}” 已属于机型 {owner[tac]}；一个 TAC 只能对应一个机型",
                    f"TAC “{tac}” already belongs to {owner[tac]}; a TAC names one model",
                )
            owner.setdefault(tac, handset.code)
        yield from _fits_form(i, handset, form)


def _fits_form(i: int, handset: Handset, business: Business) -> Iterator[_Finding]:
    where: Mapping[str, str] = {"price": "price_fen"}
    for key, raw in fill_values(handset).items():
        defn = business.find_field(key)
        if defn is None:
            continue
        checked = validate_field(defn, raw, today=_ANY_DAY)
        if checked.ok:
            continue
        problems = [p for p in checked.problems if p.is_error]
        yield (
            ("handsets", i, where.get(key, key)),
            f"不符合业务 {business.code} 的“{defn.label_zh}”要求："
            + "；".join(p.text("zh").rstrip("。") for p in problems),
            f"does not fit “{defn.label_en}” of business {business.code}: "
            + "; ".join(p.text("en").rstrip(".") for p in problems),
        )
