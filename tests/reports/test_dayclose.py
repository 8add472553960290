"""Day close of the built day: expected takings, difference, sign-off, and the lock."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from frontdesk.core.messages import RuleViolation
from frontdesk.services.corrections import CorrectionService
from frontdesk.services.dayclose import DayCloseService, is_closed
from frontdesk.services.intake import IntakeService
from frontdesk.store.models import AuditEntry, DayClose, OutboxEntry

from .conftest import DAY, at


def close_approval(auth, clerk, reason="日结签核"):
    return auth.authorise(
        "manager01", "Manager2026", action="day_close", reason=reason, requested_by=clerk
    )


def test_preview_expects_takings_by_method(day, demo_ws, clerk):
    p = DayCloseService(demo_ws).preview(clerk, DAY)
    # cash: 100 (V1, change given back) + 50 (V3) − 50 (void) − 30 (refund) + 20 (V6)
    assert p.expected_by_method == {
        "cash": 9_000,
        "bank_card": 604_900,
        "wechat": 10_000,
        "alipay": 3_000,
        "balance": 0,
    }
    assert p.expected_cash_fen == 9_000 and p.takings_fen == 626_900
    assert (p.sale_slips, p.sales_fen, p.receipts) == (6, 634_900, 8)
    assert p.first_receipt_no.endswith("R000001") and p.last_receipt_no.endswith("R000008")
    assert [(c.kind, c.amount_fen) for c in p.corrections] == [("void", -5_000), ("refund", -3_000)]
    assert (p.pending_visits, p.pending_paid_visits, p.pending_paid_fen) == (1, 0, 0)
    assert p.closed is None


# what the manager reads off the card, WeChat and Alipay terminals (they agree)
TERMINALS = {"bank_card": 604_900, "wechat": 10_000, "alipay": 3_000}


def test_close_needs_reason_for_a_difference_and_a_manager(day, demo_ws, clerk, auth, clock):
    service = DayCloseService(demo_ws)
    with pytest.raises(RuleViolation) as info:
        service.close(clerk, DAY, 8_800, None, None, terminal_fen=TERMINALS)
    assert info.value.codes == ["dayclose.approval_required"]
    ok = close_approval(auth, clerk)
    with pytest.raises(RuleViolation) as info:
        service.close(clerk, DAY, 8_800, "  ", ok, terminal_fen=TERMINALS)
    assert info.value.codes == ["dayclose.reason_required"]
    assert "-¥2.00" in info.value.text("zh") and "差异原因" in info.value.text("zh")
    wrong = auth.authorise(
        "manager01", "Manager2026", action="void", reason="x", requested_by=clerk
    )
    with pytest.raises(RuleViolation) as info:
        service.close(clerk, DAY, 9_000, None, wrong, terminal_fen=TERMINALS)
    assert info.value.codes == ["dayclose.approval_mismatch"]
    with pytest.raises(RuleViolation) as info:
        service.close(clerk, DAY, -1, None, ok, terminal_fen=TERMINALS)
    assert info.value.codes == ["dayclose.counted_negative"]
    with demo_ws.db.reader() as s:
        assert s.scalar(select(func.count()).select_from(DayClose)) == 0

    view = service.close(clerk, DAY, 8_800, "找零时多找 2 元", ok, terminal_fen=TERMINALS)
    assert (view.counted_cash_fen, view.difference_fen) == (8_800, -200)
    assert view.expected_by_method["cash"] == 9_000 and view.manager_id == ok.manager_id
    with demo_ws.db.reader() as s:
        assert is_closed(s, "W01", DAY) and not is_closed(s, "W01", DAY + dt.timedelta(days=1))
        row = s.scalar(select(DayClose))
        assert row.difference_reason == "找零时多找 2 元" and row.clerk_id == clerk.staff_id
        assert row.figures["sale_slips"] == 6 and len(row.figures["corrections"]) == 2
        assert s.scalar(select(func.count()).where(OutboxEntry.record_id == row.id)) == 1
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "day_close.closed"))
        assert entry.detail["difference_fen"] == -200
    with pytest.raises(RuleViolation) as info:
        service.close(clerk, DAY, 9_000, None, ok, terminal_fen=TERMINALS)
    assert info.value.codes == ["dayclose.already_closed"]
    # a recount is an amendment pointing at the close, never an edit
    amended = service.amend(clerk, DAY, 9_000, None, ok, terminal_fen=TERMINALS)
    assert (amended.kind, amended.seq, amended.difference_fen) == ("amendment", 1, 0)
    assert service.preview(clerk, DAY).closed.kind == "amendment"


def test_closed_day_refuses_slips_and_corrections_until_the_next_day(
    day, demo_ws, clerk, auth, clock, manager
):
    service = DayCloseService(demo_ws)
    service.close(
        manager, DAY, 9_000, None, None, terminal_fen=TERMINALS
    )  # a manager signs their own close
    intake = IntakeService(demo_ws)
    intake.resume(clerk, day.v8)
    with pytest.raises(RuleViolation) as info:  # refused before any money is taken
        intake.add_payment(clerk, day.v8, "cash", 1_000)
    assert info.value.codes == ["dayclose.closed"]
    assert "本柜台 2026-11-21 已日结" in info.value.text("zh")
    with pytest.raises(RuleViolation) as info:  # nor can a new visit be opened
        intake.open_visit(clerk)
    assert info.value.codes == ["dayclose.closed"]
    assert "closed" in info.value.text("en")
    ok = auth.authorise("manager01", "Manager2026", action="void", reason="x", requested_by=clerk)
    with pytest.raises(RuleViolation) as info:
        CorrectionService(demo_ws).void(clerk, day.slips["V6"], ok)
    assert info.value.codes == ["dayclose.closed"]
    # the next business day opens by itself
    clock.set(at(9, 0, DAY + dt.timedelta(days=1)))
    intake.add_payment(clerk, day.v8, "cash", 1_000)
    settled = intake.settle(clerk, day.v8)
    assert settled.slip_no.startswith("BJ0101-W01-20261122-")


def test_close_refused_while_money_sits_on_an_unsettled_visit(day, demo_ws, clerk, manager):
    intake = IntakeService(demo_ws)
    intake.resume(clerk, day.v8)
    intake.add_payment(clerk, day.v8, "cash", 1_000)
    with pytest.raises(RuleViolation) as info:
        DayCloseService(demo_ws).close(manager, DAY, 9_000, None, None, terminal_fen=TERMINALS)
    assert info.value.codes == ["dayclose.open_payments"]
    assert "¥10.00" in info.value.text("zh")
    with pytest.raises(RuleViolation) as info:
        DayCloseService(demo_ws).close(
            manager, DAY + dt.timedelta(days=1), 0, None, None, terminal_fen=TERMINALS
        )
    assert info.value.codes == ["dayclose.future_day"]


def test_each_terminal_is_reconciled_against_its_takings(day, demo_ws, clerk, auth):
    service = DayCloseService(demo_ws)
    ok = close_approval(auth, clerk)
    with pytest.raises(RuleViolation) as info:  # no terminal figures at all
        service.close(clerk, DAY, 9_000, None, ok)
    assert info.value.codes == ["dayclose.terminal_missing"] * 3
    assert "银行卡" in info.value.text("zh") and "¥6,049.00" in info.value.text("zh")
    short = {**TERMINALS, "alipay": 2_000}
    with pytest.raises(RuleViolation) as info:  # Alipay ¥10 short and cash ¥2 short, no reason
        service.close(clerk, DAY, 8_800, None, ok, terminal_fen=short)
    assert info.value.codes == ["dayclose.reason_required", "dayclose.terminal_reason_required"]
    assert "支付宝" in info.value.text("zh") and "-¥10.00" in info.value.text("zh")
    assert "reason for the difference" in info.value.text("en")
    with pytest.raises(TypeError):
        service.close(clerk, DAY, 9_000, None, ok, terminal_fen={**TERMINALS, "wechat": 100.0})
    with demo_ws.db.reader() as s:
        assert s.scalar(select(func.count()).select_from(DayClose)) == 0
    view = service.close(clerk, DAY, 8_800, "支付宝一笔撤销；找零多找 2 元", ok, terminal_fen=short)
    assert view.terminals["alipay"] == {
        "expected_fen": 3_000,
        "terminal_fen": 2_000,
        "difference_fen": -1_000,
    }
    assert view.terminals["bank_card"]["difference_fen"] == 0
    assert service.closed(DAY) == view
