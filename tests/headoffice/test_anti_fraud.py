"""Anti-Telecom-Fraud Law through head office (issue 13, item 9).

二次实人认证: head office flags an abnormal card; the flag comes with the accounts, the
counter takes no business on the line until its holder re-verifies in person, and the
REVERIFY business clears the flag at head office. 一证通查: head office answers the
count across operators — its own billing data plus the national service's adapter.
"""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select, text

from frontdesk.core.accounts import CustomerState, LineState
from frontdesk.core.messages import RuleViolation
from frontdesk.devices.face import SimulatedFaceComparer
from frontdesk.devices.id_reader import SimulatedIdCardReader, demo_card
from frontdesk.headoffice.accounts import (
    apply_pending_effects,
    flag_for_reverification,
    load_state,
    save_state,
)
from frontdesk.services.auth import AuthService
from frontdesk.services.demo import load_demo_data
from frontdesk.services.intake import IntakeService
from frontdesk.services.syncpass import run_pass
from frontdesk.services.verification import VerificationService
from frontdesk.store.models import Customer, Line, VerificationStep
from frontdesk.sync.service import client_for
from tests.services.helpers import PNG_SCAN, today

from .conftest import enrol
from .factory import new_workstation


def counter(tmp_path, ho_engine, ho_server):
    ws = new_workstation(tmp_path)
    enrol(ws, ho_engine, ho_server.url)
    load_demo_data(ws)
    clerk = AuthService(ws.db, ws.config.security, ws.clock).sign_in("clerk01", "Counter2026")
    with ws.db.reader() as s:
        id_hash = s.scalar(select(Customer.id_hash).where(Customer.name == "张三"))
    return ws, clerk, id_hash


def read_zhang(ws, clerk, visit, verifier, *, face: bool) -> None:
    card = demo_card("zhang_san", today=today(ws))
    reader = SimulatedIdCardReader(card, today=today(ws))
    reader.open()
    verifier.read_card(clerk, visit, reader)
    if face:
        verifier.compare_face(clerk, visit, SimulatedFaceComparer(), card.photo_bmp)
    else:
        verifier.confirm_photo(clerk, visit)
    verifier.attach_scan(clerk, visit, PNG_SCAN, "image/png")


def test_flagged_line_waits_for_the_holder_and_head_office_clears_it(
    tmp_path, ho_engine, ho_server
):
    ws, clerk, id_hash = counter(tmp_path, ho_engine, ho_server)
    number = "139" + "".join(random.choices("0123456789", k=8))
    with ho_engine.begin() as conn:
        save_state(conn, id_hash, CustomerState(lines=(LineState(number, "prepaid"),)))
        assert flag_for_reverification(conn, number)
        assert not flag_for_reverification(conn, "13000000000")  # unknown to billing
    intake = IntakeService(ws)
    with client_for(ws) as client:
        verifier = VerificationService(ws, limits=client, accounts=client)
        visit = intake.open_visit(clerk)
        read_zhang(ws, clerk, visit, verifier, face=False)  # pulls the accounts
        with ws.db.reader() as s:
            assert s.scalar(select(Line.reverify_required).where(Line.number == number))
        with pytest.raises(RuleViolation) as info:
            intake.add_business(
                clerk, visit, "TOP_UP", {"topup_amount": "50"}, service_number=number
            )
        assert info.value.codes == ["precondition.reverify_required"]
        read_zhang(ws, clerk, visit, verifier, face=True)  # the holder, face-compared
        intake.add_business(clerk, visit, "REVERIFY", {}, service_number=number)
        intake.add_business(clerk, visit, "TOP_UP", {"topup_amount": "50"}, service_number=number)
        intake.add_payment(clerk, visit, "cash", 5_000)
        intake.settle(clerk, visit)
        run_pass(ws, client)
    with ho_engine.begin() as conn:
        apply_pending_effects(conn)
        line = next(ln for ln in load_state(conn, id_hash).lines if ln.number == number)
        assert not line.reverify_required and line.balance_fen == 5_000
    ws.close()


def test_one_id_check_across_operators_through_head_office(tmp_path, ho_engine, ho_server):
    ws, clerk, id_hash = counter(tmp_path, ho_engine, ho_server)
    with ho_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO ho_national_sim (id_hash, operator, numbers) VALUES"
                " (:h, 'china_telecom', 2), (:h, 'china_unicom', 1)"
            ),
            {"h": id_hash},
        )
    intake = IntakeService(ws)
    with client_for(ws) as client:
        answer = client.count_all_operators(id_hash)
        assert answer["other_operators"] == {"china_telecom": 2, "china_unicom": 1}
        assert answer["total"] == answer["this_operator"] + 3 and answer["source"] == "simulator"
        verifier = VerificationService(ws, limits=client, accounts=client)
        visit = intake.open_visit(clerk)
        read_zhang(ws, clerk, visit, verifier, face=True)
        count, source = verifier.check_number_limit(clerk, visit)
    assert source == "head_office"
    with ws.db.reader() as s:
        step = s.scalar(select(VerificationStep).where(VerificationStep.step == "limits"))
        assert step.detail["all_operators"] == count + 3
        assert step.detail["other_operators"] == {"china_telecom": 2, "china_unicom": 1}
    ws.close()
