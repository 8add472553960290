"""The branch queue on the host's database: numbering, calling order, the counter's
actions, the hall view, and the ticket's times carried onto the slip."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from frontdesk.core.messages import RuleViolation
from frontdesk.core.queue import QueuePolicy
from frontdesk.services.intake import IntakeService
from frontdesk.services.queue import (
    CounterDesk,
    LocalQueue,
    QueueBackend,
    QueueSetup,
    ServiceLine,
)
from frontdesk.store.models import OutboxEntry, QueueEvent, QueueTicket, Slip

ALL = ("A", "V", "B")


@pytest.fixture
def queue(ws) -> LocalQueue:
    return LocalQueue.for_workstation(ws, QueueSetup(counters=("W01", "W02", "W03")))


def codes(exc: pytest.ExceptionInfo[RuleViolation]) -> list[str]:
    return [p.code for p in exc.value.problems]


def test_local_queue_is_a_queue_backend(queue):
    assert isinstance(queue, QueueBackend)


def test_numbers_per_line_and_a_daily_reset(ws, clock, queue):
    assert [queue.issue("A").ticket_no for _ in range(3)] == ["A001", "A002", "A003"]
    assert queue.issue("v", "gold").ticket_no == "V001"
    assert queue.issue("B").ticket_no == "B001"
    clock.advance(days=1)
    again = queue.issue("A")
    assert again.ticket_no == "A001"
    assert again.business_date == dt.date(2026, 11, 22)
    # yesterday's tickets are not called today
    assert queue.call_next("W01", ["A"]).ticket_id == again.ticket_id
    assert queue.call_next("W02", ["A"]) is None


def test_issue_refuses_unknown_lines_and_tiers_and_standard_on_the_vip_desk(queue):
    with pytest.raises(RuleViolation) as info:
        queue.issue("Z")
    assert codes(info) == ["queue.unknown_line"]
    assert "A 综合业务" in info.value.problems[0].text("zh")
    with pytest.raises(RuleViolation) as info:
        queue.issue("A", "platinum")
    assert codes(info) == ["queue.unknown_tier"]
    with pytest.raises(RuleViolation) as info:
        queue.issue("V")
    assert codes(info) == ["queue.vip_line"]


def test_vip_tiers_are_called_first(clock, queue):
    standard = queue.issue("A")
    clock.advance(minutes=1)
    gold = queue.issue("A", "gold")
    clock.advance(minutes=1)
    supreme = queue.issue("V", "supreme")
    clock.advance(minutes=1)
    order = []
    for _ in range(3):
        ticket = queue.call_next("W01", ALL)
        order.append(ticket.ticket_no)
        queue.finish(ticket.ticket_id, "W01")
    assert order == [supreme.ticket_no, gold.ticket_no, standard.ticket_no]


def test_every_fourth_call_goes_to_a_waiting_standard_ticket(clock, queue):
    standard = queue.issue("A")
    vips = [queue.issue("V", "diamond") for _ in range(5)]
    called = []
    for _ in range(5):
        clock.advance(seconds=30)
        ticket = queue.call_next("W01", ALL)
        called.append(ticket.ticket_no)
        queue.finish(ticket.ticket_id, "W01")
    assert called[:3] == [v.ticket_no for v in vips[:3]]
    assert called[3] == standard.ticket_no
    with queue._db.reader() as s:
        reasons = s.scalars(select(QueueEvent.detail).where(QueueEvent.event == "called")).all()
    assert [r["reason"] for r in reasons].count("fairness") == 1


def test_a_standard_ticket_near_its_limit_is_called_before_fresh_vips(clock, queue):
    standard = queue.issue("A")
    clock.advance(minutes=12)  # 15-minute limit, 3-minute margin
    queue.issue("V", "supreme")
    ticket = queue.call_next("W01", ALL)
    assert ticket.ticket_no == standard.ticket_no
    assert ticket.waiting_limit_seconds == 15 * 60


def test_a_3g_vip_desk_has_the_five_minute_limit(ws):
    setup = QueueSetup(lines=(ServiceLine("G", "3G VIP", "3G VIP", vip_only=True, vip_3g=True),))
    queue = LocalQueue.for_workstation(ws, setup)
    assert queue.issue("G", "silver").waiting_limit_seconds == 5 * 60


def test_a_counter_calls_one_ticket_at_a_time_and_only_its_lines(clock, queue):
    queue.issue("B")
    assert queue.call_next("W01", ["A"]) is None
    ticket = queue.call_next("W01", ["A", "B"])
    assert ticket.status == "called" and ticket.counter == "W01"
    queue.issue("A")
    with pytest.raises(RuleViolation) as info:
        queue.call_next("W01", ["A"])
    assert codes(info) == ["queue.counter_busy"]
    assert queue.current("W01").ticket_id == ticket.ticket_id
    with pytest.raises(RuleViolation) as info:
        queue.call_next("W01", [])
    assert codes(info) == ["queue.no_lines"]
    with pytest.raises(RuleViolation) as info:
        queue.call_next("counter 1", ["A"])
    assert codes(info) == ["queue.bad_counter"]


def test_recall_and_no_show(clock, queue):
    queue.issue("A")
    second = queue.issue("A")
    ticket = queue.call_next("W01", ["A"])
    clock.advance(seconds=40)
    assert queue.recall(ticket.ticket_id, "W01").recalls == 1
    assert queue.recall(ticket.ticket_id, "W01").recalls == 2
    with pytest.raises(RuleViolation) as info:
        queue.recall(ticket.ticket_id, "W02")
    assert codes(info) == ["queue.not_this_counter"]
    skipped = queue.no_show(ticket.ticket_id, "W01")
    assert skipped.status == "no_show" and skipped.ended_at == clock.now()
    with pytest.raises(RuleViolation) as info:
        queue.recall(ticket.ticket_id, "W01")
    assert codes(info) == ["queue.wrong_state"]
    assert "过号" in info.value.problems[0].text("zh")
    assert queue.current("W01") is None
    assert queue.call_next("W01", ["A"]).ticket_id == second.ticket_id
    hall = queue.hall_snapshot()
    assert hall.no_show_today == 1


def test_a_missed_ticket_goes_back_in_line_once_behind_those_who_kept_waiting(ws, clock, queue):
    missed = queue.issue("A")  # A001, 09:30
    clock.advance(minutes=1)
    queue.issue("A")  # A002
    called = queue.call_next("W01", ["A"])
    assert called.ticket_no == "A001"
    queue.no_show(called.ticket_id, "W01")
    clock.advance(minutes=20)  # A001 is now far past its 15-minute limit...
    queue.issue("A")  # A003, issued before the customer comes back
    clock.advance(seconds=30)
    back = queue.requeue(" a001 ", "reception")
    assert back.status == "waiting" and back.ticket_id == missed.ticket_id
    assert back.counter is None and back.issued_at == missed.issued_at  # its own times
    # ...yet it goes behind everyone already waiting: its place counts from its return
    order = [t.ticket_no for t in queue.hall_snapshot().waiting]
    assert order == ["A002", "A003", "A001"]
    assert [queue.call_next(c, ["A"]).ticket_no for c in ("W01", "W02", "W03")] == [
        "A002",
        "A003",
        "A001",
    ]
    # first call kept on the ticket (waiting = issue → first call, as for a transfer)
    with ws.db.reader() as s:
        ticket = s.get(QueueTicket, missed.ticket_id)
        assert ticket.called_at == missed.issued_at + dt.timedelta(minutes=1)
        requeued = s.scalar(select(QueueEvent).where(QueueEvent.event == "requeued"))
        assert requeued.counter == "RECEPTION" and requeued.detail["ticket_no"] == "A001"
    # missed again: a new ticket, not a second requeue
    queue.no_show(missed.ticket_id, "W03")
    with pytest.raises(RuleViolation) as info:
        queue.requeue("A001", "RECEPTION")
    assert codes(info) == ["queue.requeued_once"]
    assert "重新取号" in info.value.problems[0].text("zh")


def test_only_a_missed_ticket_of_today_can_be_requeued(clock, queue):
    waiting = queue.issue("A")
    with pytest.raises(RuleViolation) as info:
        queue.requeue(waiting.ticket_no, "RECEPTION")
    assert codes(info) == ["queue.not_no_show"]
    assert "等候中" in info.value.problems[0].text("zh")
    assert info.value.problems[0].field == "ticket_no"
    with pytest.raises(RuleViolation) as info:
        queue.requeue("A999", "RECEPTION")
    assert codes(info) == ["queue.ticket_unknown"]
    called = queue.call_next("W01", ["A"])
    queue.no_show(called.ticket_id, "W01")
    clock.advance(days=1)  # yesterday's missed ticket is gone with yesterday
    with pytest.raises(RuleViolation) as info:
        queue.requeue("A001", "RECEPTION")
    assert codes(info) == ["queue.ticket_unknown"]


def test_transfer_puts_the_ticket_first_at_the_other_counter(clock, queue):
    ticket = queue.issue("A")
    queue.issue("V", "supreme")
    called = queue.call_next("W01", ["A"])
    clock.advance(minutes=2)
    with pytest.raises(RuleViolation) as info:
        queue.transfer(called.ticket_id, "W01", "W01")
    assert codes(info) == ["queue.same_counter"]
    with pytest.raises(RuleViolation) as info:
        queue.transfer(called.ticket_id, "W01", "")
    assert codes(info) == ["queue.bad_counter"]
    moved = queue.transfer(called.ticket_id, "W01", "w02")
    assert (moved.status, moved.transfer_to) == ("transferred", "W02")
    assert queue.current("W01") is None
    # W03 does not get it; W02 gets it before the supreme VIP, with its first call time kept
    assert queue.call_next("W03", ["B"]) is None
    again = queue.call_next("W02", ALL)
    assert again.ticket_id == ticket.ticket_id
    assert again.called_at == called.called_at
    assert again.counter == "W02"
    assert queue.call_next("W01", ALL).tier == "supreme"


def test_serving_and_finishing_and_the_events_that_sync(ws, clock, queue):
    import uuid

    queue.issue("A")
    ticket = queue.call_next("W01", ["A"])
    visit_id = uuid.uuid4()
    serving = queue.start_serving(ticket.ticket_id, "W01", visit_id)
    assert (serving.status, serving.visit_id) == ("serving", visit_id)
    with pytest.raises(RuleViolation):
        queue.start_serving(ticket.ticket_id, "W01", visit_id)
    clock.advance(minutes=6)
    done = queue.finish(ticket.ticket_id, "W01")
    assert done.status == "done"
    with ws.db.reader() as s:
        events = s.scalars(select(QueueEvent.event).order_by(QueueEvent.created_at)).all()
        outbox = s.execute(
            select(func.count()).where(OutboxEntry.record_type == "queue_event")
        ).scalar_one()
        last = s.scalars(select(QueueEvent.detail).where(QueueEvent.event == "done")).one()
    assert events == ["issued", "called", "serving", "done"]
    assert outbox == 4
    assert last["handling_seconds"] == 360


def test_an_unknown_ticket_is_refused_politely(queue):
    import uuid

    with pytest.raises(RuleViolation) as info:
        queue.recall(uuid.uuid4(), "W01")
    assert codes(info) == ["queue.ticket_not_found"]


def test_hall_snapshot(clock, queue):
    queue.issue("A")
    clock.advance(minutes=13)
    queue.issue("A")
    queue.issue("V", "gold")
    clock.advance(minutes=9)  # A001 waited 22 min (over), V001 9 of 10 (near)
    busy = queue.call_next("W02", ["B", "V"])
    clock.advance(minutes=1)
    hall = queue.hall_snapshot()
    by_line = {line.line: line for line in hall.lines}
    assert by_line["A"].waiting == 2 and by_line["A"].oldest_wait_seconds == 23 * 60
    assert by_line["A"].over_limit == 1 and by_line["A"].near_limit == 0
    assert by_line["V"].waiting == 0 and by_line["B"].waiting == 0
    counters = {c.counter: c for c in hall.counters}
    assert counters["W02"].busy and counters["W02"].ticket_no == busy.ticket_no
    assert not counters["W01"].busy and not counters["W03"].busy
    assert [t.ticket_no for t in hall.waiting] == ["A001", "A002"]
    assert hall.waiting_total == 2 and hall.oldest_wait_seconds == 23 * 60
    assert hall.issued_today == 3
    again = type(hall).from_json(hall.to_json())
    assert again == hall


def test_policy_comes_from_the_setup(ws, clock):
    queue = LocalQueue.for_workstation(ws, QueueSetup(policy=QueuePolicy(fairness_every=2)))
    standard = queue.issue("A")
    queue.issue("V", "gold")
    queue.issue("V", "gold")
    first = queue.call_next("W01", ALL)
    queue.finish(first.ticket_id, "W01")
    assert first.tier == "gold"
    assert queue.call_next("W01", ALL).ticket_id == standard.ticket_id


def test_waiting_and_handling_times_reach_the_slip(demo_ws, clerk):
    clock = demo_ws.clock
    queue = LocalQueue.for_workstation(demo_ws)
    desk = CounterDesk(queue, "W01", ALL)
    intake = IntakeService(demo_ws)
    issued = queue.issue("V", "gold")
    clock.advance(minutes=7)
    ticket = desk.call_next()
    assert ticket.ticket_no == issued.ticket_no
    visit = desk.start_visit(intake, clerk)
    assert desk.ticket.status == "serving" and desk.ticket.visit_id == visit
    view = intake.view(visit)
    assert view.ticket_no == "V001"
    clock.advance(minutes=4, seconds=30)
    intake.add_business(
        clerk, visit, "TOP_UP", {"topup_amount": "50"}, service_number="13800138000"
    )
    intake.add_payment(clerk, visit, "cash", 5_000)
    settled = intake.settle(clerk, visit)
    done = desk.finish()
    assert done.status == "done" and desk.ticket is None
    with demo_ws.db.reader() as s:
        slip = s.scalars(select(Slip).where(Slip.slip_no == settled.slip_no)).one()
        row = s.get(QueueTicket, issued.ticket_id)
        assert (slip.ticket_no, slip.waiting_seconds, slip.handling_seconds) == ("V001", 420, 270)
        assert row.visit_id == visit


def test_a_desk_resumes_its_ticket_and_handles_walk_ins(ws):
    queue = LocalQueue.for_workstation(ws)
    queue.issue("A")
    first = CounterDesk(queue, "W01", ["A"])
    ticket = first.call_next()
    restarted = CounterDesk(queue, "W01", ["A"])
    assert restarted.resume().ticket_id == ticket.ticket_id
    assert restarted.recall().recalls == 1
    assert restarted.no_show().status == "no_show"
    assert restarted.ticket is None
    assert restarted.finish() is None  # a walk-in had no ticket
    with pytest.raises(RuleViolation):
        restarted.recall()


def test_green_channel_tickets_are_called_first_and_carried_to_the_visit(demo_ws, clerk):
    queue = LocalQueue.for_workstation(demo_ws, QueueSetup(counters=("W01",)))
    clock = demo_ws.clock
    queue.issue("A")
    clock.advance(minutes=1)
    gold = queue.issue("A", "gold")
    clock.advance(minutes=1)
    elder = queue.issue("A", green_channel="elderly")
    assert elder.green_channel == "elderly"
    with pytest.raises(RuleViolation) as info:
        queue.issue("A", green_channel="children")
    assert codes(info) == ["queue.unknown_green_group"]
    assert "老年人" in info.value.text("zh") and "elderly" in info.value.text("en")
    assert "老年人" not in info.value.text("en")
    desk = CounterDesk(queue, "W01", ["A"])
    assert desk.call_next().ticket_no == elder.ticket_no  # before the gold customer
    intake = IntakeService(demo_ws)
    visit = desk.start_visit(intake, clerk)
    desk.finish()
    assert desk.call_next().ticket_no == gold.ticket_no
    with demo_ws.db.reader() as s:
        stored = s.scalar(select(QueueTicket).where(QueueTicket.ticket_no == elder.ticket_no))
        assert stored.green_channel == "elderly"
        issued = s.scalars(
            select(QueueEvent.detail).where(
                QueueEvent.ticket_id == stored.id, QueueEvent.event == "issued"
            )
        ).one()
        assert issued["green_channel"] == "elderly"
    from frontdesk.reporting import ReportService
    from frontdesk.store.models import Visit

    with demo_ws.db.reader() as s:
        assert s.get(Visit, visit).green_channel == "elderly"
    intake.cancel(clerk, visit, "测试")
    day = clock.now().date()
    summary = ReportService(demo_ws).summary(clerk, day, day)
    assert summary.green_visits == 1
    overview = ReportService(demo_ws).tables(summary)[0]
    assert ("绿色通道接待", 1) in [(row[0], row[1]) for row in overview.rows]
