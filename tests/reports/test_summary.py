"""Every figure of the summary of a built day (see conftest.py for the timeline)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from frontdesk.core.messages import RuleViolation
from frontdesk.reporting import ReportService
from frontdesk.store.models import OutboxEntry, Slip

from .conftest import DAY


@pytest.fixture
def reports(demo_ws) -> ReportService:
    return ReportService(demo_ws)


def test_counter_summary_figures(day, reports, clerk, demo_ws):
    s = reports.summary(clerk, DAY)
    assert (s.scope, s.workstation_code, s.branch_code) == ("counter", "W01", "BJ0101")
    v = s.visits
    assert (v.total, v.settled, v.cancelled, v.suspended, v.open) == (8, 6, 1, 1, 0)
    assert (v.ever_suspended, v.with_ticket) == (2, 5)
    # money: sales 6349.00, a void of 50 and a refund of 30
    assert (s.sales_fen, s.voids_fen, s.refunds_fen) == (634_900, -5_000, -3_000)
    assert s.business_total_fen == 626_900 and s.takings_fen == 626_900
    assert s.sale_slips == 6
    methods = {m.method: m for m in s.methods}
    assert set(methods) == {"cash", "bank_card", "wechat", "alipay"}
    cash = methods["cash"]
    assert (cash.received_fen, cash.paid_out_fen, cash.net_fen) == (17_000, -8_000, 9_000)
    assert (cash.change_fen, cash.payments) == (5_000, 5)
    assert methods["bank_card"].net_fen == 604_900 and methods["bank_card"].payments == 2
    assert methods["wechat"].net_fen == 10_000 and methods["alipay"].net_fen == 3_000
    # businesses by type
    lines = {b.code: b for b in s.businesses}
    top_up = lines["TOP_UP"]
    assert (top_up.count, top_up.corrected, top_up.net_count, top_up.net_fen) == (5, 2, 3, 27_000)
    handset = lines["HANDSET_SALE"]
    assert (handset.count, handset.corrected, handset.net_count, handset.net_fen) == (
        1,
        0,
        1,
        599_900,
    )
    # by clerk: 王小丽 (clerk01) did all but V3 and made the refund; 李明 the voided V3
    clerks = {c.clerk: c for c in s.clerks}
    wang = clerks["王小丽"]
    assert (wang.visits, wang.slips, wang.businesses) == (7, 5, 5)
    assert (wang.corrections, wang.net_fen) == (1, 626_900)
    assert (clerks["李明"].visits, clerks["李明"].slips, clerks["李明"].corrections) == (1, 1, 1)
    assert clerks["李明"].net_fen == 0
    # waiting: 600, 720, 1200, 300, 60 s; V2 (gold, 10 min) and V4 (20 min) breach
    w = s.waiting
    assert (w.count, w.within, w.worst_seconds, w.p90_seconds) == (5, 3, 1200, 1200)
    assert w.average_seconds == pytest.approx(576.0)
    assert w.within_share == pytest.approx(0.6)
    # handling: 240, 360, 120, 720, 180, 480 s (V6's pause counts) against the catalogue's
    # minutes, as the counter's clock shows them: top-up 5, handset sale 10 — V2, V4 and
    # V6 breach
    h = s.handling
    assert (h.count, h.within, h.worst_seconds, h.p90_seconds) == (6, 3, 720, 720)
    assert h.average_seconds == pytest.approx(350.0)
    # VIPs by tier
    assert s.vip_visits == 2
    tiers = {t.tier: t for t in s.tiers}
    assert [t.tier for t in s.tiers] == ["diamond", "gold"]
    gold = tiers["gold"]
    assert (gold.visits, gold.waiting.within, gold.waiting_limit_minutes) == (1, 0, 10)
    assert tiers["diamond"].waiting.within == 1
    # arrivals by hour, complaints, warranty cards, sync
    assert s.hourly[9] == 5 and s.hourly[10] == 3 and sum(s.hourly) == 8
    assert (s.complaints.opened, s.complaints.closed, s.complaints.overdue) == (2, 1, 1)
    assert s.warranty_cards == 1
    assert s.unsynced == 8  # 6 sales + void + refund, nothing acknowledged yet
    corrections = [(c.kind, c.slip_no, c.original_slip_no, c.amount_fen) for c in s.corrections]
    assert corrections == [
        ("void", day.void_slip_no, day.slips["V3"], -5_000),
        ("refund", day.refund_slip_no, day.slips["V5"], -3_000),
    ]
    assert s.corrections[0].reason == "录错号码" and s.corrections[0].manager == "赵经理"
    assert s.corrections[1].methods == "现金"
    # once head office acknowledged a slip it no longer counts as unsynced
    with demo_ws.db.unit_of_work() as uow:
        slip_id = uow.session.query(Slip.id).filter(Slip.slip_no == day.slips["V1"]).scalar()
        uow.session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.record_id == slip_id)
            .values(sent_at=dt.datetime.now(dt.UTC))
        )
        uow.commit()
    assert reports.summary(clerk, DAY).unsynced == 7


def test_other_days_are_empty_and_ranges_add_up(day, reports, manager):
    other = reports.summary(manager, DAY - dt.timedelta(days=1))
    assert other.visits.total == 0 and other.takings_fen == 0 and other.waiting.count == 0
    assert other.complaints.opened == 1  # the complaint of the day before
    ranged = reports.summary(manager, DAY - dt.timedelta(days=3), DAY)
    assert ranged.takings_fen == 626_900 and ranged.visits.total == 8
    assert ranged.period_label == "2026-11-18 ~ 2026-11-21"


def test_role_checks_and_date_checks(day, reports, clerk, manager, auth):
    with pytest.raises(RuleViolation) as info:
        reports.summary(clerk, DAY, branch=True)
    assert info.value.codes == ["report.branch_managers_only"]
    assert "经理" in info.value.text("zh")
    it = auth.sign_in("it01", "ItAdmin2026")
    with pytest.raises(RuleViolation) as info:
        reports.summary(it, DAY)
    assert info.value.codes == ["report.role_not_allowed"]
    with pytest.raises(RuleViolation) as info:
        reports.summary(manager, DAY, DAY - dt.timedelta(days=1))
    assert info.value.codes == ["report.dates_reversed"]
    with pytest.raises(RuleViolation) as info:
        reports.summary(manager, DAY + dt.timedelta(days=1))
    assert info.value.codes == ["report.future_date"]
    with pytest.raises(RuleViolation) as info:
        reports.summary(manager, DAY - dt.timedelta(days=120), DAY)
    assert info.value.codes == ["report.range_too_long"]


def test_branch_offline_names_the_missing_counters(day, demo_ws, manager):
    reports = ReportService(demo_ws, known_counters=["W01", "W02", "W03"])
    s = reports.summary(manager, DAY, branch=True)
    assert s.scope == "branch" and s.source == "local"
    assert s.missing_counters == ("W02", "W03")
    assert "W02、W03" in s.notes[0] and "missing counters: W02, W03" in s.notes[0]
    assert [(c.workstation, c.slips, c.net_fen, c.source) for c in s.counters] == [
        ("W01", 8, 626_900, "local")
    ]


class FakeHeadOffice:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.asked: list[dt.date] = []

    def day_summary(self, day: dt.date) -> dict:
        self.asked.append(day)
        if self.fail:
            raise ConnectionError("link down")
        return {
            "branch": "BJ0101",
            "date": day.isoformat(),
            "workstations": [
                {"workstation": "W01", "slips": 8, "total_fen": 626_900},
                {"workstation": "W02", "slips": 3, "total_fen": 10_000},
            ],
            "payments_fen": {
                "cash": 19_000,
                "bank_card": 604_900,
                "wechat": 10_000,
                "alipay": 3_000,
            },
            "total_fen": 636_900,
        }


def test_branch_from_head_office_and_remembered_counters(day, demo_ws, manager):
    ho = FakeHeadOffice()
    reports = ReportService(demo_ws, branch_source=ho, known_counters=["W03"])
    s = reports.summary(manager, DAY, branch=True)
    assert ho.asked == [DAY] and s.source == "head_office"
    assert s.business_total_fen == 636_900 and s.takings_fen == 636_900
    assert [(c.workstation, c.slips, c.net_fen) for c in s.counters] == [
        ("W01", 8, 626_900),
        ("W02", 3, 10_000),
    ]
    assert s.missing_counters == ("W03",)  # known, but nothing reported for the day
    assert dict(s.head_office_methods)["cash"] == 19_000
    # offline later: the counters head office listed are remembered
    offline = ReportService(demo_ws, branch_source=FakeHeadOffice(fail=True))
    s = offline.summary(manager, DAY, branch=True)
    assert s.source == "local" and s.missing_counters == ("W02", "W03")

    # a source factory that can't build a client (not enrolled) is the offline path too
    def broken():
        raise RuntimeError("not enrolled")

    s = ReportService(demo_ws, branch_source=broken).summary(manager, DAY, branch=True)
    assert s.source == "local"
