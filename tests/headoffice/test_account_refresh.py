"""A customer served at one counter is known, fresh, at the next (SPEC §3).

Counter W01 opens a new line for 张三 (so head office's billing gains the number);
counter W02 of the same branch then reads 张三's card: it asks head office, replaces its
cached copy of his accounts, and answers 一证五号 from head office — no re-check flag.
"""

from __future__ import annotations

from sqlalchemy import select

from frontdesk.headoffice.accounts import apply_pending_effects
from frontdesk.services.auth import AuthService
from frontdesk.services.demo import load_demo_data
from frontdesk.services.intake import IntakeService
from frontdesk.services.syncpass import run_pass
from frontdesk.services.verification import VerificationService
from frontdesk.store.models import Customer, Line
from frontdesk.sync.service import client_for
from tests.services.helpers import verify_person
from tests.services.test_intake import valid_iccid

from .conftest import enrol
from .factory import new_workstation, unique_branch


def test_second_counter_sees_head_offices_fresh_accounts(tmp_path, ho_engine, ho_server):
    branch = unique_branch()
    first = new_workstation(tmp_path, branch, "W01")
    second = new_workstation(tmp_path, branch, "W02")
    for ws in (first, second):
        enrol(ws, ho_engine, ho_server.url)  # both take head office's look-up key
        load_demo_data(ws)
    clerk = AuthService(first.db, first.config.security, first.clock).sign_in(
        "clerk01", "Counter2026"
    )
    intake = IntakeService(first)
    visit = intake.open_visit(clerk)
    verify_person(first, clerk, visit, "zhang_san", purpose="new_line", limits=True)
    intake.add_business(
        clerk,
        visit,
        "NEW_LINE",
        {
            "plan": "mob_59",
            "new_number": "13812340001",
            "sim_iccid": valid_iccid(),
            "prepay_amount": "100",
        },
    )
    intake.add_payment(clerk, visit, "cash", 10_000)
    intake.record_fraud_notice(clerk, visit, "paper")
    assert intake.settle(clerk, visit).recheck_required  # first counter was offline
    with client_for(first) as client:
        run_pass(first, client)
    with ho_engine.begin() as conn:
        apply_pending_effects(conn)

    clerk2 = AuthService(second.db, second.config.security, second.clock).sign_in(
        "clerk02", "Counter2026b"
    )
    with client_for(second) as client:
        verifier = VerificationService(second, limits=client, accounts=client)
        intake2 = IntakeService(second)
        visit2 = intake2.open_visit(clerk2)
        from frontdesk.devices.face import SimulatedFaceComparer
        from frontdesk.devices.id_reader import SimulatedIdCardReader, demo_card
        from tests.services.helpers import today

        card = demo_card("zhang_san", today=today(second))
        reader = SimulatedIdCardReader(card, today=today(second))
        reader.open()
        verifier.read_card(clerk2, visit2, reader, purpose="new_line")
        with second.db.reader() as s:
            customer = s.scalar(select(Customer).where(Customer.name == "张三"))
            assert customer.state_source == "head_office"
            numbers = set(
                s.scalars(
                    select(Line.number).where(
                        Line.customer_id == customer.id, Line.status != "closed"
                    )
                )
            )
            assert "13812340001" in numbers
        verifier.compare_face(clerk2, visit2, SimulatedFaceComparer(), card.photo_bmp)
        count, source = verifier.check_number_limit(clerk2, visit2)
        # head office (billing) knows the numbers it received from counters; the demo
        # lines seeded only into the local cache are not among them
        assert source == "head_office" and count == len(numbers)
        # only numbers head office knows remain (other tests of this session's shared
        # head-office database may have opened lines for the same demo customer)
        assert "13812340001" in numbers and not numbers & {"13800138000", "13900139000"}
        assert intake2.view(visit2).recheck_reasons == ()
    for ws in (first, second):
        ws.close()
