"""Preconditions of a business, judged on a customer's state (SPEC §3).

The catalogue names the rules a business needs (``arrears_cleared``,
``no_contract_lock`` …) with their parameters; this module is the one place that
knows what each rule means. A broken rule is an error :class:`Problem` on the field
``business`` that says which rule failed and what the clerk can do about it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .accounts import CustomerState, LineState
from .catalogue import LINE_PRECONDITION_RULES
from .messages import Problem, define, define_field, error
from .money import format_fen

define_field("business", zh="业务", en="Business")
define_field("service_number", zh="办理号码", en="Service number")

define(
    "precondition.arrears_cleared",
    zh="号码 {number} 尚有欠费 {amount}，按规定需先缴清欠费才能办理“{business}”。"
    "请先为客户办理缴费。",
    en="Number {number} has arrears of {amount}; they must be paid before “{business}”. "
    "Please take the payment first.",
)
define(
    "precondition.no_contract_lock",
    zh="号码 {number} 的合约（补贴/协议）期至 {until} 止，合约期内不能办理“{business}”。",
    en="Number {number} is under a contract until {until}; “{business}” is not possible "
    "during the contract.",
)
define(
    "precondition.no_pretty_number_lock",
    zh="号码 {number} 为靓号，受靓号协议约束，不能办理“{business}”。",
    en="Number {number} is a special (pretty) number bound by its agreement; "
    "“{business}” is not possible.",
)
define(
    "precondition.no_marketing_lock",
    zh="号码 {number} 参加的营销活动尚未结束，暂不能办理“{business}”。",
    en="Number {number} is in a marketing offer that has not ended; “{business}” is not "
    "possible yet.",
)
define(
    "precondition.not_moved_without_change",
    zh="号码 {number} 曾办理过不改号迁移，按规定不能再办理“{business}”。",
    en="Number {number} was moved without changing number and cannot take “{business}”.",
)
define(
    "precondition.id_number_limit",
    zh="该证件在本运营商名下已有 {count} 个号码，本次再办理将超过“一证五号”上限 {max} 个，"
    "不能办理“{business}”。",
    en="This ID already holds {count} numbers with us; “{business}” would exceed the "
    "limit of {max} numbers per ID.",
)
define(
    "precondition.min_age",
    zh="客户未满 {years} 周岁，不能以本人名义办理“{business}”，请由监护人作为经办人办理。",
    en="The customer is under {years}; “{business}” in their own name needs a guardian "
    "acting as agent.",
)
define(
    "precondition.new_owner_min_age",
    zh="新机主未满 {years} 周岁，不能办理“{business}”（过户即新机主入网，不能由他人代为承接）。",
    en="The new owner is under {years}; “{business}” is a new line for them and is not possible.",
)
define(
    "precondition.new_owner_number_limit",
    zh="新机主证件在本运营商名下已有 {count} 个号码，过户后将超过“一证五号”上限 {max} 个，"
    "不能办理“{business}”。",
    en="The new owner's ID already holds {count} numbers with us; “{business}” would "
    "exceed the limit of {max} numbers per ID.",
)
define(
    "precondition.reverify_required",
    zh="号码 {number} 已被总部标记为需二次实人认证，机主本人须在柜台读取证件并通过人像比对后"
    "才能办理“{business}”。",
    en="Number {number} is flagged by head office for re-verification: the holder must "
    "read their ID and pass a face comparison at the counter before “{business}”.",
)
define(
    "precondition.not_overridable",
    zh="“{business}”的这项规定属于法定要求，任何人都不能授权越过：{rule}",
    en="This rule of “{business}” is required by law and no one can authorise past it: {rule}",
)
define(
    "precondition.line_status",
    zh="号码 {number} 当前状态为“{status}”，“{business}”只能在号码为 {allowed} 时办理。",
    en="Number {number} is “{status}”; “{business}” needs it to be {allowed}.",
)
define(
    "precondition.tier_at_least",
    zh="“{business}”仅面向 {tier} 及以上级别客户，该客户当前级别不足。",
    en="“{business}” is for {tier} customers and above; this customer's tier is lower.",
)
define(
    "precondition.balance_positive",
    zh="号码 {number} 没有可退余额，不能办理“{business}”。",
    en="Number {number} has no balance to refund; “{business}” is not possible.",
)
define(
    "precondition.line_required",
    zh="“{business}”需要选择客户名下的一个号码，请先选择办理号码。",
    en="“{business}” acts on one of the customer's numbers; please choose the number first.",
)
define(
    "precondition.line_not_customers",
    zh="号码 {number} 不在该客户名下，请核对办理号码。",
    en="Number {number} does not belong to this customer; please check the number.",
)
define(
    "precondition.payment_mode",
    zh="号码 {number} 为{mode}用户，“{business}”仅限{allowed}用户在营业厅办理。",
    en="Number {number} is {mode}; “{business}” is available at the counter to {allowed} "
    "customers only.",
)
define(
    "precondition.party",
    zh="“{business}”不能由{party}办理，可办理方式：{allowed}。",
    en="“{business}” cannot be done by {party}; allowed: {allowed}.",
)

STATUS_LABELS = {
    "active": ("正常", "active"),
    "suspended": ("停机", "suspended"),
    "lost": ("挂失", "reported lost"),
    "closed": ("已销户", "closed"),
}
MODE_LABELS = {"prepaid": ("预付费", "prepaid"), "postpaid": ("后付费", "postpaid")}
PARTY_LABELS = {
    "self": ("本人", "the customer in person"),
    "agent": ("代办人", "an agent"),
    "unit_agent": ("单位经办人", "a unit's agent"),
}


@dataclass(frozen=True)
class PreconditionContext:
    """Everything a rule may look at for one business of one visit."""

    business_code: str
    business_name: str
    customer: CustomerState
    line: LineState | None
    party: str  # self | agent | unit_agent
    today: dt.date
    new_numbers_in_visit: int = 0  # lines this visit already adds (一证五号)
    tier_ranks: Mapping[str, int] | None = None
    tier_names: Mapping[str, str] | None = None
    fields: Mapping[str, Any] | None = None  # the business's values (what it opens)
    guardian_acts: bool = False  # a verified adult guardian acts as agent, relation recorded
    holder_reverified: bool = False  # the holder passed reader + face at this visit


#: Commercial preconditions a manager may authorise past (SPEC §6: arrears, contract
#: lock and the like). Everything else — 一证五号, the minimum age, the real-name
#: steps, an invalid or expired document, 二次实人认证 — is a legal limit: never.
OVERRIDABLE_RULES = frozenset(
    {
        "precondition.arrears_cleared",
        "precondition.no_contract_lock",
        "precondition.no_pretty_number_lock",
        "precondition.no_marketing_lock",
        "precondition.tier_at_least",
    }
)


def overridable(code: str) -> bool:
    """Whether a manager's authorisation may let a business past the problem ``code``."""
    return code in OVERRIDABLE_RULES


def counts_against_limit(params: Mapping[str, Any], fields: Mapping[str, Any] | None) -> bool:
    """Whether a business with these ``fields`` adds a number 一证五号 counts.

    The catalogue says it: ``counts_when: {"service": ["mobile", "mobile_secondary"]}``
    — only mobile numbers (phone cards, 副卡 included) count; a broadband or fixed-line
    install never does. Without ``counts_when`` every use counts.
    """
    when = params.get("counts_when")
    if not when:
        return True
    values = fields or {}
    return all(
        str(values.get(key, "")) in [str(v) for v in allowed] for key, allowed in when.items()
    )


Rule = Callable[[PreconditionContext, Mapping[str, Any]], Problem | None]
RULES: dict[str, Rule] = {}
LINE_RULES = LINE_PRECONDITION_RULES  # one list: the catalogue checks it, rules skip by it


def rule(name: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES[name] = fn
        return fn

    return register


def _fail(code: str, ctx: PreconditionContext, **params: object) -> Problem:
    return error(f"precondition.{code}", "business", business=ctx.business_name, **params)


@rule("arrears_cleared")
def _arrears(ctx: PreconditionContext, _p: Mapping[str, Any]) -> Problem | None:
    assert ctx.line is not None
    if ctx.line.arrears_fen > 0:
        return _fail(
            "arrears_cleared", ctx, number=ctx.line.number, amount=format_fen(ctx.line.arrears_fen)
        )
    return None


@rule("no_contract_lock")
def _contract(ctx: PreconditionContext, _p: Mapping[str, Any]) -> Problem | None:
    assert ctx.line is not None
    until = ctx.line.contract_lock_until
    if until is not None and until >= ctx.today:
        return _fail("no_contract_lock", ctx, number=ctx.line.number, until=until.isoformat())
    return None


@rule("no_pretty_number_lock")
def _pretty(ctx: PreconditionContext, _p: Mapping[str, Any]) -> Problem | None:
    assert ctx.line is not None
    if ctx.line.pretty_number_lock:
        return _fail("no_pretty_number_lock", ctx, number=ctx.line.number)
    return None


@rule("no_marketing_lock")
def _marketing(ctx: PreconditionContext, _p: Mapping[str, Any]) -> Problem | None:
    assert ctx.line is not None
    if ctx.line.marketing_lock:
        return _fail("no_marketing_lock", ctx, number=ctx.line.number)
    return None


@rule("not_moved_without_change")
def _moved(ctx: PreconditionContext, _p: Mapping[str, Any]) -> Problem | None:
    assert ctx.line is not None
    if ctx.line.moved_without_change:
        return _fail("not_moved_without_change", ctx, number=ctx.line.number)
    return None


@rule("id_number_limit")
def _id_limit(ctx: PreconditionContext, params: Mapping[str, Any]) -> Problem | None:
    limit = int(params.get("max", 5))
    if not counts_against_limit(params, ctx.fields):
        return None
    count = ctx.customer.numbers_with_operator + ctx.new_numbers_in_visit
    if count + 1 > limit:
        return _fail("id_number_limit", ctx, count=count, max=limit)
    return None


@rule("min_age")
def _min_age(ctx: PreconditionContext, params: Mapping[str, Any]) -> Problem | None:
    years = int(params.get("years", 16))
    birth = ctx.customer.birth_date
    if ctx.customer.kind != "person" or birth is None:
        return None
    if age_on(birth, ctx.today) < years and not (ctx.party == "agent" and ctx.guardian_acts):
        # under 16: only with a verified guardian as agent (any other agent is not enough)
        return _fail("min_age", ctx, years=years)
    return None


def age_on(birth: dt.date, today: dt.date) -> int:
    """Whole years of age on ``today``."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def reverify_problem(ctx: PreconditionContext) -> Problem | None:
    """二次实人认证: a line head office flagged takes no business until its holder
    re-verifies (reader + face) at the counter; never overridable."""
    line = ctx.line
    if line is None or not getattr(line, "reverify_required", False) or ctx.holder_reverified:
        return None
    return _fail("reverify_required", ctx, number=line.number)


@rule("line_status")
def _line_status(ctx: PreconditionContext, params: Mapping[str, Any]) -> Problem | None:
    assert ctx.line is not None
    allowed = list(params.get("in", ["active"]))
    if ctx.line.status not in allowed:
        zh = "、".join(STATUS_LABELS.get(s, (s, s))[0] for s in allowed)
        label = STATUS_LABELS.get(ctx.line.status, (ctx.line.status, ctx.line.status))[0]
        return _fail("line_status", ctx, number=ctx.line.number, status=label, allowed=zh)
    return None


@rule("tier_at_least")
def _tier(ctx: PreconditionContext, params: Mapping[str, Any]) -> Problem | None:
    ranks = ctx.tier_ranks or {}
    needed = str(params["tier"])
    if ranks.get(ctx.customer.effective_tier, 0) < ranks.get(needed, 0):
        name = (ctx.tier_names or {}).get(needed, needed)
        return _fail("tier_at_least", ctx, tier=name)
    return None


@rule("balance_positive")
def _balance(ctx: PreconditionContext, _p: Mapping[str, Any]) -> Problem | None:
    assert ctx.line is not None
    if ctx.line.balance_fen <= 0:
        return _fail("balance_positive", ctx, number=ctx.line.number)
    return None


def check_preconditions(
    ctx: PreconditionContext,
    preconditions: Iterable[tuple[str, Mapping[str, Any]]],
    *,
    acts_on_line: bool,
    payment_modes: Iterable[str],
    parties: Iterable[str],
) -> list[Problem]:
    """Every broken rule for one business (empty list: it may proceed)."""
    problems: list[Problem] = []
    allowed_parties = list(parties)
    if ctx.party not in allowed_parties:
        problems.append(
            _fail(
                "party",
                ctx,
                party=PARTY_LABELS.get(ctx.party, (ctx.party,))[0],
                allowed="、".join(PARTY_LABELS.get(p, (p,))[0] for p in allowed_parties),
            )
        )
    if acts_on_line:
        if ctx.line is None:
            problems.append(_fail("line_required", ctx))
            return problems
        modes = list(payment_modes)
        if ctx.line.payment_mode not in modes:
            problems.append(
                _fail(
                    "payment_mode",
                    ctx,
                    number=ctx.line.number,
                    mode=MODE_LABELS[ctx.line.payment_mode][0],
                    allowed="、".join(MODE_LABELS.get(m, (m,))[0] for m in modes),
                )
            )
    reverify = reverify_problem(ctx)
    if reverify is not None:
        problems.append(reverify)
    for name, params in preconditions:
        if name in LINE_RULES and ctx.line is None:
            continue  # a customer-level business (e.g. new line) has no line to judge
        found = RULES[name](ctx, params)
        if found is not None:
            problems.append(found)
    return problems
