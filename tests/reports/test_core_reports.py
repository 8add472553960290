"""The pure arithmetic: nearest-rank percentiles, SLA limits, method sums."""

from __future__ import annotations

import pytest

from frontdesk.core.catalogue import load_catalogue
from frontdesk.core.reports import (
    CloseFigures,
    PaymentGroup,
    SlaPolicy,
    expected_by_method,
    method_lines,
    nearest_rank,
    takings_fen,
    time_stats,
)


def test_nearest_rank_is_an_observed_value():
    values = [60, 300, 600, 720, 1200]
    assert nearest_rank(values, 90) == 1200  # rank ceil(4.5) = 5
    assert nearest_rank(values, 50) == 600  # rank ceil(2.5) = 3
    assert nearest_rank(values, 20) == 60  # rank 1
    assert nearest_rank(list(range(1, 11)), 90) == 9
    assert nearest_rank([], 90) is None
    with pytest.raises(ValueError):
        nearest_rank(values, 0)


def test_time_stats_share_within_limits():
    stats = time_stats([(100, 600), (700, 600), (600, 600)])
    assert (stats.count, stats.within, stats.breaches) == (3, 2, 1)
    assert stats.within_share == pytest.approx(2 / 3)
    assert stats.worst_seconds == 700 and stats.p90_seconds == 700
    assert time_stats([]).within_share is None


def test_sla_policy_from_the_catalogue():
    policy = SlaPolicy.from_catalogue(load_catalogue())
    assert policy.waiting_limit_seconds("standard") == 15 * 60
    assert policy.waiting_limit_seconds(None) == 15 * 60
    assert policy.waiting_limit_seconds("gold") == 10 * 60
    assert policy.waiting_limit_seconds("vip_3g") == 5 * 60
    assert policy.is_vip("diamond") and not policy.is_vip("standard")
    # 单项业务办理 ≤ 10 min: a three-business visit may take 30 minutes
    assert policy.handling_limit_seconds(1) == 600
    assert policy.handling_limit_seconds(3) == 1800
    assert policy.handling_limit_seconds(0) == 600


def test_methods_net_of_corrections_and_balance_not_in_takings():
    rows = [
        PaymentGroup("W01", "sale", "cash", 10_000, 5_000, 2),
        PaymentGroup("W01", "void", "cash", -4_000, 0, 1),
        PaymentGroup("W01", "sale", "balance", 2_000, 0, 1),
        PaymentGroup("W01", "sale", "wechat", 3_000, 0, 1),
    ]
    expected = expected_by_method(rows)
    assert expected == {
        "cash": 6_000,
        "bank_card": 0,
        "wechat": 3_000,
        "alipay": 0,
        "balance": 2_000,
    }
    assert takings_fen(rows) == 9_000
    lines = {m.method: m for m in method_lines(rows)}
    assert (lines["cash"].received_fen, lines["cash"].paid_out_fen, lines["cash"].net_fen) == (
        10_000,
        -4_000,
        6_000,
    )
    assert lines["cash"].change_fen == 5_000 and lines["cash"].payments == 3
    assert CloseFigures(expected, 5_800).difference_fen == -200
