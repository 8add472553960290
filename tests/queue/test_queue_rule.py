"""The calling rule: VIPs first when nobody is near a limit, and nobody waits forever."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.core.catalogue import load_catalogue
from frontdesk.core.queue import (
    Candidate,
    QueuePolicy,
    choose_next,
    format_ticket_no,
    sla_state,
    vip_streak,
    waiting_limit_minutes,
)

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
LIMITS = {0: 15 * 60, 1: 600, 2: 600, 3: 600, 4: 600}
POLICY = QueuePolicy(margin_seconds=180, fairness_every=4)


def ticket(
    n: int, rank: int, issued_min: float, transferred_at=None, green: bool = False
) -> Candidate:
    return Candidate(
        key=str(n),
        ticket_no=f"A{n:03d}",
        number=n,
        tier_rank=rank,
        issued_at=T0 + dt.timedelta(minutes=issued_min),
        limit_seconds=LIMITS[rank],
        transferred_at=transferred_at,
        green=green,
    )


def test_highest_tier_first_then_oldest():
    waiting = [ticket(1, 0, 0), ticket(2, 2, 1), ticket(3, 4, 2), ticket(4, 4, 1.5)]
    choice = choose_next(waiting, T0 + dt.timedelta(minutes=3), streak=0, policy=POLICY)
    assert choice.candidate.number == 4 and choice.reason == "priority"


def test_a_standard_ticket_near_its_limit_beats_a_fresh_vip():
    waiting = [ticket(1, 0, 0), ticket(2, 4, 12)]
    choice = choose_next(waiting, T0 + dt.timedelta(minutes=12), streak=0, policy=POLICY)
    assert choice.candidate.number == 1 and choice.reason == "near_limit"


def test_among_urgent_tickets_the_least_time_left_goes_first():
    # standard issued at 0 (3 min left at 12), gold issued at 6 (4 min left)
    waiting = [ticket(1, 0, 0), ticket(2, 2, 6)]
    choice = choose_next(waiting, T0 + dt.timedelta(minutes=12), streak=0, policy=POLICY)
    assert choice.candidate.number == 1


def test_every_fourth_call_goes_to_the_oldest_standard_ticket():
    waiting = [ticket(1, 0, 0), ticket(2, 0, 1), ticket(3, 3, 2)]
    now = T0 + dt.timedelta(minutes=3)
    assert choose_next(waiting, now, streak=2, policy=POLICY).candidate.number == 3
    choice = choose_next(waiting, now, streak=3, policy=POLICY)
    assert choice.candidate.number == 1 and choice.reason == "fairness"


def test_transferred_tickets_come_first():
    waiting = [ticket(1, 4, 0), ticket(2, 0, 5, transferred_at=T0 + dt.timedelta(minutes=9))]
    choice = choose_next(waiting, T0 + dt.timedelta(minutes=10), streak=0, policy=POLICY)
    assert choice.candidate.number == 2 and choice.reason == "transferred"


def test_green_channel_goes_before_the_tiers_and_the_fairness_turn():
    # an elderly standard customer who arrived last is called before a supreme VIP
    waiting = [ticket(1, 0, 0), ticket(2, 4, 1), ticket(3, 0, 2, green=True)]
    now = T0 + dt.timedelta(minutes=3)
    choice = choose_next(waiting, now, streak=3, policy=POLICY)
    assert choice.candidate.number == 3 and choice.reason == "green_channel"
    # two green tickets: the older first
    waiting.append(ticket(4, 2, 0.5, green=True))
    assert choose_next(waiting, now, streak=0, policy=POLICY).candidate.number == 4


def test_green_channel_does_not_pass_someone_near_their_limit():
    waiting = [ticket(1, 0, 0), ticket(2, 0, 11, green=True)]
    choice = choose_next(waiting, T0 + dt.timedelta(minutes=12), streak=0, policy=POLICY)
    assert choice.candidate.number == 1 and choice.reason == "near_limit"


def test_nobody_waiting():
    assert choose_next([], T0, 0) is None


def test_vip_streak_counts_back_to_the_last_standard_call():
    assert vip_streak([3, 2, 0, 4]) == 2
    assert vip_streak([]) == 0
    assert vip_streak([1, 1, 1]) == 3


def test_policy_bounds():
    import pytest

    with pytest.raises(ValueError):
        QueuePolicy(fairness_every=1)
    with pytest.raises(ValueError):
        QueuePolicy(margin_seconds=-1)


def test_limits_come_from_the_catalogue():
    catalogue = load_catalogue()
    assert waiting_limit_minutes(catalogue, "standard") == 15
    assert waiting_limit_minutes(catalogue, "gold") == 10
    assert waiting_limit_minutes(catalogue, "gold", vip_3g=True) == 5
    assert waiting_limit_minutes(catalogue, "standard", vip_3g=True) == 15
    assert waiting_limit_minutes(catalogue, "nonsense") == 15


def test_sla_state_and_ticket_numbers():
    assert sla_state(100, 600) == "ok"
    assert sla_state(480, 600) == "near"
    assert sla_state(601, 600) == "over"
    assert sla_state(5, 0) == "idle"
    assert format_ticket_no("A", 7) == "A007"
    assert format_ticket_no("V", 1234) == "V1234"


ranks = st.sampled_from([0, 0, 0, 1, 2, 3, 4])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(ranks, st.integers(0, 6 * 60)), min_size=1, max_size=25),
    st.integers(0, 2),
)
def test_vips_are_served_first_when_nobody_is_near_a_limit(specs, streak):
    """Whenever no ticket is within the margin and fairness is not due, the called one
    has the highest rank waiting, and is the oldest of that rank."""
    waiting = [ticket(i + 1, rank, s / 60) for i, (rank, s) in enumerate(specs)]
    now = T0 + dt.timedelta(minutes=6)  # nobody has waited more than 6 minutes
    choice = choose_next(waiting, now, streak, POLICY)
    top = max(c.tier_rank for c in waiting)
    assert choice.reason == "priority"
    assert choice.candidate.tier_rank == top
    oldest = min((c.issued_at, c.number) for c in waiting if c.tier_rank == top)
    assert (choice.candidate.issued_at, choice.candidate.number) == oldest


@settings(max_examples=150, deadline=None)
@given(
    arrivals=st.lists(st.tuples(ranks, st.integers(0, 90)), min_size=1, max_size=60),
    vip_flood=st.integers(1, 3),
    service_seconds=st.integers(60, 300),
    green_flood=st.integers(0, 2),
    green_share=st.integers(0, 3),
)
def test_no_ticket_waits_forever(arrivals, vip_flood, service_seconds, green_flood, green_share):
    """One counter, random arrivals, and an endless stream of fresh top-tier VIPs (even
    more than the counter can serve): every ticket is still called. Once a ticket is
    within the margin of its limit, the only tickets that can still be called before it
    are ones whose own limit falls no later than its — a finite set, however many VIPs
    keep arriving (earliest-deadline-first). The same holds when the 绿色通道 (elderly,
    disabled, pregnant) is marked on some of them and on an endless stream of fresh
    green tickets as well: they are served before the tiers, never before someone
    near their limit."""
    everyone: list[Candidate] = []
    for number, (rank, s) in enumerate(sorted(arrivals, key=lambda a: a[1]), start=1):
        issued = T0 + dt.timedelta(seconds=s * 10)
        green = green_share > 0 and number % (green_share + 1) == 0
        everyone.append(
            Candidate(str(number), f"X{number}", number, rank, issued, LIMITS[rank], green=green)
        )
    originals = list(everyone)
    waiting = list(everyone)
    called_at: dict[str, dt.datetime] = {}
    calls: list[tuple[dt.datetime, Candidate]] = []
    now = T0
    recent: list[int] = []
    number = len(everyone)
    while any(c.key not in called_at for c in originals):
        assert len(calls) < 5000, "some ticket was never called"
        for _ in range(vip_flood):
            number += 1
            vip = Candidate(str(number), f"V{number}", number, 4, now, LIMITS[4])
            waiting.append(vip)
            everyone.append(vip)
        for _ in range(green_flood):
            number += 1
            elder = Candidate(str(number), f"G{number}", number, 0, now, LIMITS[0], green=True)
            waiting.append(elder)
            everyone.append(elder)
        present = [c for c in waiting if c.issued_at <= now]
        choice = choose_next(present, now, vip_streak(reversed(recent)), POLICY)
        if choice is not None:
            waiting.remove(choice.candidate)
            called_at[choice.candidate.key] = now
            calls.append((now, choice.candidate))
            recent.append(choice.candidate.tier_rank)
        now += dt.timedelta(seconds=service_seconds)
    for x in originals:
        deadline = x.issued_at + dt.timedelta(seconds=x.limit_seconds)
        urgent_from = deadline - dt.timedelta(seconds=POLICY.margin_seconds)
        passed = [c for when, c in calls if urgent_from <= when < called_at[x.key]]
        for c in passed:
            assert c.issued_at + dt.timedelta(seconds=c.limit_seconds) <= deadline


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(ranks, st.integers(0, 6 * 60), st.booleans()), min_size=1, max_size=25),
    st.integers(0, 5),
)
def test_green_channel_is_served_first_when_nobody_is_near_a_limit(specs, streak):
    """Whatever the tiers and the fairness count, a waiting green-channel ticket is
    called first (the oldest of them) while nobody is within the margin."""
    waiting = [ticket(i + 1, rank, s / 60, green=g) for i, (rank, s, g) in enumerate(specs)]
    now = T0 + dt.timedelta(minutes=6)
    choice = choose_next(waiting, now, streak, POLICY)
    greens = [c for c in waiting if c.green]
    if greens:
        assert choice.reason == "green_channel"
        assert (choice.candidate.issued_at, choice.candidate.number) == min(
            (c.issued_at, c.number) for c in greens
        )
    else:
        assert choice.reason in ("priority", "fairness")
