"""Pure slip arithmetic, preconditions and account effects (no database)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from frontdesk.core.accounts import CustomerState, LineState
from frontdesk.core.effects import apply_effect
from frontdesk.core.intake import DraftItem, VisitDraft, plan_payment, settlement_problems
from frontdesk.core.preconditions import PreconditionContext, check_preconditions

TODAY = dt.date(2026, 11, 21)


def draft_with(*fees: int) -> VisitDraft:
    return VisitDraft(items=[DraftItem("X", {}, fee, fee) for fee in fees])


@given(
    st.lists(st.integers(1, 500_000), min_size=1, max_size=5),
    st.lists(st.integers(1, 600_000), min_size=1, max_size=6),
)
def test_cash_payments_never_exceed_the_total_and_change_is_the_rest(fees, handed):
    draft = draft_with(*fees)
    for amount in handed:
        payment, problems = plan_payment(draft, "cash", amount)
        if draft.due_fen == 0:
            assert payment is None and problems[0].code == "payment.nothing_due"
            break
        assert payment is not None and not problems
        assert payment.amount_fen == min(amount, draft.due_fen)
        assert payment.change_fen == amount - payment.amount_fen
        draft.payments.append(payment)
    assert 0 <= draft.paid_fen <= draft.total_fen
    assert (settlement_problems(draft) == []) == (draft.paid_fen == draft.total_fen)


@given(st.integers(1, 100_000), st.integers(1, 200_000))
def test_card_never_overpays(total, amount):
    draft = draft_with(total)
    payment, problems = plan_payment(draft, "bank_card", amount, reference="POS1")
    if amount > total:
        assert payment is None and [p.code for p in problems] == ["payment.exceeds_due"]
    else:
        assert payment is not None and payment.amount_fen == amount == payment.tendered_fen


def test_money_paid_out_goes_back_as_cash_or_card_exactly():
    draft = draft_with(-5_000)  # refund of prepayment
    payment, problems = plan_payment(draft, "wechat", 5_000, reference="x")
    assert payment is None and "payment.refund_method" in [p.code for p in problems]
    payment, problems = plan_payment(draft, "cash", 6_000)
    assert payment is None and [p.code for p in problems] == ["payment.exceeds_due"]
    payment, problems = plan_payment(draft, "cash", 5_000)
    assert payment is not None and payment.amount_fen == -5_000
    draft.payments.append(payment)
    assert settlement_problems(draft) == []


def test_draft_round_trips_through_json():
    draft = draft_with(100, 250)
    payment, _ = plan_payment(draft, "cash", 500)
    draft.payments.append(payment)
    draft.verifications["customer"] = "abc"
    again = VisitDraft.from_json(draft.to_json())
    assert again == draft and again.change_fen == 150


def line(**kw) -> LineState:
    return LineState(
        number=kw.pop("number", "13900139000"),
        payment_mode=kw.pop("payment_mode", "postpaid"),
        **kw,
    )


def judge(state: CustomerState, number: str | None, rules, **kw):
    ctx = PreconditionContext(
        "CHANGE_NUMBER",
        "改号",
        state,
        state.line(number) if number else None,
        kw.pop("party", "self"),
        TODAY,
        **kw,
    )
    return [
        p.code
        for p in check_preconditions(
            ctx,
            rules,
            acts_on_line=number is not None or kw.get("acts", False),
            payment_modes=("postpaid",),
            parties=("self", "agent"),
        )
    ]


def test_each_precondition_rule_fails_with_its_own_code():
    locked = CustomerState(
        lines=(
            line(
                arrears_fen=100,
                contract_lock_until=TODAY,
                pretty_number_lock=True,
                marketing_lock=True,
                moved_without_change=True,
                status="suspended",
            ),
        )
    )
    rules = [
        (name, {})
        for name in (
            "arrears_cleared",
            "no_contract_lock",
            "no_pretty_number_lock",
            "no_marketing_lock",
            "not_moved_without_change",
            "balance_positive",
        )
    ]
    rules.append(("line_status", {"in": ["active"]}))
    assert judge(locked, "13900139000", rules) == [
        "precondition.arrears_cleared",
        "precondition.no_contract_lock",
        "precondition.no_pretty_number_lock",
        "precondition.no_marketing_lock",
        "precondition.not_moved_without_change",
        "precondition.balance_positive",
        "precondition.line_status",
    ]
    clean = CustomerState(
        lines=(line(balance_fen=1, contract_lock_until=TODAY - dt.timedelta(days=1)),)
    )
    assert judge(clean, "13900139000", rules) == []


def test_party_payment_mode_age_and_number_limit():
    prepaid = CustomerState(lines=(line(payment_mode="prepaid"),))
    assert judge(prepaid, "13900139000", []) == ["precondition.payment_mode"]
    assert judge(prepaid, "13900139000", [], party="unit_agent")[0] == "precondition.party"
    minor = CustomerState(birth_date=dt.date(2011, 1, 1), numbers_with_operator=5)
    rules = [("min_age", {"years": 16}), ("id_number_limit", {"max": 5})]
    assert judge(minor, None, rules) == ["precondition.min_age", "precondition.id_number_limit"]
    # any adult read as "agent" is not enough: only a verified guardian acting as agent
    assert judge(minor, None, rules, party="agent") == [
        "precondition.min_age",
        "precondition.id_number_limit",
    ]
    assert judge(minor, None, rules, party="agent", guardian_acts=True) == [
        "precondition.id_number_limit"
    ]


def test_number_limit_counts_mobile_numbers_only():
    """一证五号 counts phone cards (副卡 included); a broadband or fixed install never."""
    full = CustomerState(numbers_with_operator=5)
    rule = [
        ("id_number_limit", {"max": 5, "counts_when": {"service": ["mobile", "mobile_secondary"]}})
    ]
    for service in ("mobile", "mobile_secondary"):
        assert judge(full, None, rule, fields={"service": service}) == [
            "precondition.id_number_limit"
        ]
    for service in ("broadband", "fixed"):
        assert judge(full, None, rule, fields={"service": service}) == []


def test_only_commercial_preconditions_are_overridable():
    from frontdesk.core.preconditions import overridable

    for code in ("precondition.arrears_cleared", "precondition.no_contract_lock"):
        assert overridable(code)
    for code in (
        "precondition.id_number_limit",
        "precondition.min_age",
        "precondition.new_owner_min_age",
        "precondition.new_owner_number_limit",
        "precondition.reverify_required",
        "visit.step_failed",
        "visit.face_required",
        "visit.manual_entry_forbidden",
        "id.expired",
    ):
        assert not overridable(code), code


def test_vip_tier_is_frozen_by_arrears():
    gold = CustomerState(tier="gold", lines=(line(arrears_fen=1),))
    assert gold.effective_tier == "standard"
    assert CustomerState(tier="gold", lines=(line(),)).effective_tier == "gold"


def test_effects_project_the_slip_onto_the_accounts():
    state = CustomerState(
        numbers_with_operator=1, lines=(line(arrears_fen=3_000, status="suspended"),)
    )
    state = apply_effect(state, "top_up", line_number="13900139000", fields={}, amount_fen=5_000)
    paid = state.line("13900139000")
    assert (paid.arrears_fen, paid.balance_fen, paid.status) == (0, 2_000, "active")
    state = apply_effect(
        state, "add_line", line_number=None, fields={"new_number": "13812345678", "plan": "mob_59"}
    )
    assert state.numbers_with_operator == 2 and state.line("13812345678").plan_code == "mob_59"
    state = apply_effect(
        state, "change_number", line_number="13900139000", fields={"new_number": "13911112222"}
    )
    assert state.line("13900139000") is None and state.line("13911112222") is not None
    state = apply_effect(
        state, "refund_balance", line_number="13911112222", fields={}, amount_fen=-500
    )
    assert state.line("13911112222").balance_fen == 1_500
    state = apply_effect(state, "close_line", line_number="13812345678", fields={})
    assert state.line("13812345678").status == "closed" and state.numbers_with_operator == 1
