"""过户 reaches billing: head office moves the line to the verified new owner (issue 13).

The new owner's card was read, checked, face-compared and counted at the counter; only
their keyed hash and masked number travel, and head office applies the owner change.
"""

from __future__ import annotations

import random
import time

from sqlalchemy import select, text

from frontdesk.core.accounts import CustomerState, LineState
from frontdesk.devices.id_reader import demo_card
from frontdesk.headoffice.accounts import apply_pending_effects, load_state, save_state
from frontdesk.services.auth import AuthService
from frontdesk.services.demo import load_demo_data
from frontdesk.services.intake import IntakeService
from frontdesk.services.syncpass import run_pass
from frontdesk.store.models import Customer, IdVerification, Line
from frontdesk.sync.service import client_for
from tests.services.helpers import today, verify_person

from .conftest import enrol
from .factory import new_workstation


def test_head_office_applies_the_change_of_owner(tmp_path, ho_engine, ho_server):
    ws = new_workstation(tmp_path)
    enrol(ws, ho_engine, ho_server.url)
    load_demo_data(ws)
    number = "137" + "".join(random.choices("0123456789", k=8))
    with ws.db.unit_of_work() as uow:
        liu = uow.session.scalar(select(Customer).where(Customer.name == "刘建国"))
        uow.session.add(
            Line(customer_id=liu.id, number=number, payment_mode="postpaid", plan_code="mob_129")
        )
        old_hash = liu.id_hash
        uow.commit()
    with ho_engine.begin() as conn:  # billing knows the line under its current owner
        save_state(conn, old_hash, CustomerState(lines=(LineState(number, "postpaid"),)))

    clerk = AuthService(ws.db, ws.config.security, ws.clock).sign_in("clerk01", "Counter2026")
    intake = IntakeService(ws)
    visit = intake.open_visit(clerk)
    verify_person(ws, clerk, visit, "long_term")
    verify_person(ws, clerk, visit, "zhang_san", party="new_owner", limits=True)
    intake.add_business(
        clerk, visit, "CHANGE_OWNER", {"new_owner_phone": "13812340000"}, service_number=number
    )
    intake.record_fraud_notice(clerk, visit, "paperless")
    intake.settle(clerk, visit)
    with ws.db.reader() as s:
        new_hash = s.scalar(
            select(IdVerification.id_hash).where(IdVerification.party == "new_owner")
        )
    with client_for(ws) as client:
        run_pass(ws, client)
    for _ in range(100):  # the server's own applier may hold the row: wait for its commit
        with ho_engine.begin() as conn:
            apply_pending_effects(conn)
            logged = conn.execute(
                text(
                    "SELECT 1 FROM ho_effect_log l JOIN ho_record r ON r.id = l.item_id"
                    " WHERE r.data->>'service_number' = :n"
                ),
                {"n": number},
            ).scalar()
        if logged:
            break
        time.sleep(0.1)
    with ho_engine.begin() as conn:
        apply_pending_effects(conn)
        outcome = conn.execute(
            text(
                "SELECT l.outcome FROM ho_effect_log l JOIN ho_record r ON r.id = l.item_id"
                " WHERE r.data->>'service_number' = :n"
            ),
            {"n": number},
        ).scalar()
        assert outcome == "applied: change_owner"
        assert number in [ln.number for ln in load_state(conn, new_hash).lines]
        assert number not in [ln.number for ln in load_state(conn, old_hash).lines]
        full = demo_card("zhang_san", today=today(ws)).id_number
        sent = conn.execute(
            text("SELECT data::text FROM ho_record WHERE branch_code = :b"),
            {"b": ws.identity.branch_code},
        ).scalars()
        assert not [row for row in sent if full in row]
    ws.close()
