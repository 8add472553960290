"""The number pool (号码资源) through the real intake service on the demo database.

A mobile 入网 holds a free number of the pool; the same number is never held twice at
once; removing the item, cancelling the visit or voiding the slip frees it; settling
marks it used in the settle transaction; a number outside the pool or not free is
refused with nothing recorded.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from frontdesk.core.messages import RuleViolation
from frontdesk.services import numbers as number_pool
from frontdesk.services.corrections import CorrectionService
from frontdesk.services.demo import demo_pool
from frontdesk.services.intake import IntakeService
from frontdesk.services.numbers import NumberPoolService
from frontdesk.store.models import PoolNumber, Slip, Visit

from .helpers import verify_person
from .test_intake import valid_iccid

FIRST = "13812340001"  # the lowest number of the demo pool


def new_line(number: str, service: str = "mobile") -> dict:
    values = {
        "plan": "mob_59",
        "new_number": number,
        "prepay_amount": "50",
        "service": service,
        "sim_iccid": valid_iccid(),
    }
    if service in ("fixed", "broadband"):
        values["install_address"] = "北京市朝阳区建国路88号院3号楼2单元501"
        del values["sim_iccid"]
    return values


@pytest.fixture
def intake(demo_ws) -> IntakeService:
    return IntakeService(demo_ws)


@pytest.fixture
def pool(demo_ws) -> NumberPoolService:
    return NumberPoolService(demo_ws)


def verified_visit(ws, intake, clerk):
    visit = intake.open_visit(clerk)
    verify_person(ws, clerk, visit, "zhang_san", purpose="new_line", limits=True)
    return visit


def row(ws, number: str) -> PoolNumber | None:
    with ws.db.reader() as s:
        found = s.get(PoolNumber, number)
        if found is not None:
            s.expunge(found)
        return found


def items(ws, visit) -> list:
    with ws.db.reader() as s:
        return s.get(Visit, visit).draft.get("items", [])


def test_the_demo_counter_offers_its_pool_in_order(pool):
    free = pool.free_numbers()
    assert free == sorted(demo_pool()) and pool.first_free() == FIRST
    assert pool.free_numbers("8888") == ["15601018888", "18601018888"]
    assert pool.counts().total == len(demo_pool()) == pool.counts().free


def test_a_new_line_holds_its_number_and_settling_marks_it_used(demo_ws, intake, pool, clerk):
    visit = verified_visit(demo_ws, intake, clerk)
    item = intake.add_business(clerk, visit, "NEW_LINE", new_line(FIRST))
    held = row(demo_ws, FIRST)
    assert (held.state, held.visit_id, held.item_id) == ("held", visit, item.item_id)
    assert FIRST not in pool.free_numbers() and pool.first_free() == "13812345670"
    intake.suspend(clerk, visit)  # a suspended visit keeps its number
    assert pool.state_of(FIRST) == "held"
    intake.resume(clerk, visit)
    intake.add_payment(clerk, visit, "cash", 5_000)
    intake.record_fraud_notice(clerk, visit, "paper")
    settled = intake.settle(clerk, visit)
    used = row(demo_ws, FIRST)
    with demo_ws.db.reader() as s:
        slip = s.scalar(select(Slip).where(Slip.slip_no == settled.slip_no))
        assert used.state == "used" and used.slip_id == slip.id and used.visit_id is None
        assert [i.service_number for i in slip.items] == [FIRST]
    assert pool.counts().used == 1


def test_a_refused_settle_leaves_the_number_held_not_used(demo_ws, intake, pool, clerk):
    visit = verified_visit(demo_ws, intake, clerk)
    intake.add_business(clerk, visit, "NEW_LINE", new_line(FIRST))
    with pytest.raises(RuleViolation):
        intake.settle(clerk, visit)  # nothing paid, no fraud notice: nothing settled
    assert pool.state_of(FIRST) == "held"


def test_a_number_is_never_held_twice_at_once(demo_ws, intake, pool, clerk):
    first = verified_visit(demo_ws, intake, clerk)
    intake.add_business(clerk, first, "NEW_LINE", new_line(FIRST))
    # the same visit again
    with pytest.raises(RuleViolation) as info:
        intake.add_business(clerk, first, "NEW_LINE", new_line(FIRST))
    assert info.value.codes == ["numbers.not_free"]
    # another visit
    second = verified_visit(demo_ws, intake, clerk)
    with pytest.raises(RuleViolation) as info:
        intake.add_business(clerk, second, "NEW_LINE", new_line(FIRST))
    assert info.value.codes == ["numbers.not_free"]
    assert "新号码“13812340001”已被其他受理单占用" in info.value.text("zh")
    assert "New number 13812340001 is already held" in info.value.text("en")
    assert items(demo_ws, second) == [] and len(items(demo_ws, first)) == 1
    assert row(demo_ws, FIRST).visit_id == first  # still the first visit's


def test_hold_refuses_a_number_taken_since_it_was_checked(demo_ws, intake, clerk):
    """The conditional UPDATE: two counters' transactions can't both take one number."""
    visit = verified_visit(demo_ws, intake, clerk)
    business = demo_ws.catalogue.business("NEW_LINE")
    with demo_ws.db.unit_of_work() as uow:
        s = uow.session
        number_pool.hold(s, business, {"service": "mobile", "new_number": FIRST}, visit, "a")
        with pytest.raises(RuleViolation) as info:
            number_pool.hold(s, business, {"service": "mobile", "new_number": FIRST}, visit, "b")
        assert info.value.codes == ["numbers.not_free"]


def test_a_typed_number_outside_the_pool_is_refused_and_nothing_recorded(
    demo_ws, intake, pool, clerk
):
    visit = verified_visit(demo_ws, intake, clerk)
    with pytest.raises(RuleViolation) as info:
        intake.add_business(clerk, visit, "NEW_LINE", new_line("13312345678"))
    assert info.value.codes == ["numbers.not_in_pool"]
    [problem] = info.value.problems
    assert problem.field == "new_number"
    assert problem.text("zh").startswith("新号码“13312345678”不在本工位的号码资源中")
    assert "press Down" in problem.text("en")
    assert items(demo_ws, visit) == [] and pool.counts().held == 0
    assert row(demo_ws, "13312345678") is None
    # a 副卡 is a mobile number too
    with pytest.raises(RuleViolation) as info:
        intake.add_business(clerk, visit, "NEW_LINE", new_line("13312345678", "mobile_secondary"))
    assert info.value.codes == ["numbers.not_in_pool"]


def test_removing_the_item_or_cancelling_the_visit_frees_the_number(demo_ws, intake, pool, clerk):
    visit = verified_visit(demo_ws, intake, clerk)
    item = intake.add_business(clerk, visit, "NEW_LINE", new_line(FIRST))
    intake.remove_business(clerk, visit, item.item_id)
    assert pool.state_of(FIRST) == "free" and pool.first_free() == FIRST
    intake.add_business(clerk, visit, "NEW_LINE", new_line(FIRST))
    other = intake.add_business(clerk, visit, "NEW_LINE", new_line("18601018888"))
    assert pool.counts().held == 2
    intake.suspend(clerk, visit)
    intake.cancel(clerk, visit, "客户改天再来")  # a suspended visit cancelled frees them
    assert pool.state_of(FIRST) == pool.state_of("18601018888") == "free"
    assert other.service_number == "18601018888"
    # freed numbers are offered again to the next customer
    again = verified_visit(demo_ws, intake, clerk)
    intake.add_business(clerk, again, "NEW_LINE", new_line("18601018888"))
    assert row(demo_ws, "18601018888").visit_id == again


def test_a_voided_new_line_gives_its_number_back(demo_ws, intake, pool, clerk, auth):
    visit = verified_visit(demo_ws, intake, clerk)
    intake.add_business(clerk, visit, "NEW_LINE", new_line(FIRST))
    intake.add_payment(clerk, visit, "cash", 5_000)
    intake.record_fraud_notice(clerk, visit, "paper")
    settled = intake.settle(clerk, visit)
    assert pool.state_of(FIRST) == "used"
    later = verified_visit(demo_ws, intake, clerk)
    with pytest.raises(RuleViolation) as info:  # used: never offered again ...
        intake.add_business(clerk, later, "NEW_LINE", new_line(FIRST))
    assert info.value.codes == ["numbers.not_free"]
    ok = auth.authorise(
        "manager01", "Manager2026", action="void", reason="开错", requested_by=clerk
    )
    CorrectionService(demo_ws).void(clerk, settled.slip_no, ok)
    assert pool.state_of(FIRST) == "free"  # ... until the slip that used it is voided
    intake.add_business(clerk, later, "NEW_LINE", new_line(FIRST))


def test_an_exhausted_pool_says_so(demo_ws, intake, clerk):
    with demo_ws.db.unit_of_work() as uow:
        uow.session.execute(delete(PoolNumber).where(PoolNumber.number != FIRST))
        uow.commit()
    visit = verified_visit(demo_ws, intake, clerk)
    intake.add_business(clerk, visit, "NEW_LINE", new_line(FIRST))
    with pytest.raises(RuleViolation) as info:
        intake.add_business(clerk, visit, "NEW_LINE", new_line("13312345678"))
    assert info.value.codes == ["numbers.pool_exhausted"]
    assert "号码资源已全部占用" in info.value.text("zh") and "ask IT" in info.value.text("en")


def test_without_any_pool_a_typed_number_is_taken_as_before(demo_ws, intake, pool, clerk):
    """Decision: before head office rolls number resources out to a counter, 入网 works
    with a typed number (docs/decisions.md, "Number pool")."""
    with demo_ws.db.unit_of_work() as uow:
        uow.session.execute(delete(PoolNumber))
        uow.commit()
    visit = verified_visit(demo_ws, intake, clerk)
    item = intake.add_business(clerk, visit, "NEW_LINE", new_line("13312345678"))
    assert item.service_number == "13312345678" and pool.counts().total == 0


def test_fixed_lines_and_broadband_do_not_use_the_mobile_pool(demo_ws, intake, pool, clerk):
    visit = verified_visit(demo_ws, intake, clerk)
    intake.add_business(clerk, visit, "NEW_LINE", new_line("01065001234", "fixed"))
    intake.add_business(clerk, visit, "NEW_LINE", new_line("01065001235", "broadband"))
    assert pool.counts().held == 0


def test_the_pool_table_refuses_a_held_number_without_its_visit(demo_ws):
    """The table's own checks: no state outside free/held/used, held names its visit."""
    from sqlalchemy.exc import IntegrityError

    with demo_ws.db.unit_of_work() as uow, pytest.raises(IntegrityError):
        uow.session.execute(
            update(PoolNumber).where(PoolNumber.number == FIRST).values(state="held")
        )
        uow.session.flush()
    with demo_ws.db.unit_of_work() as uow, pytest.raises(IntegrityError):
        uow.session.execute(
            update(PoolNumber).where(PoolNumber.number == FIRST).values(state="sold")
        )


def test_demo_numbers_are_checked_like_head_offices(demo_ws):
    with demo_ws.db.unit_of_work() as uow:
        with pytest.raises(RuleViolation) as info:
            number_pool.load_numbers(uow.session, [FIRST, "2345"], source="demo")
        assert info.value.codes == ["numbers.bad_number"]
        assert number_pool.load_numbers(uow.session, [FIRST], source="demo") == 0
