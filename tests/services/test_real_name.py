"""Real-name registration by the letter of the law (issue 13): never overridable.

Each test drives the real services on the demo database and tries the forbidden path:
a manager's approval against a legal limit, an approval used for something else, twice
or too late, a minor with any adult, an absent customer in 代办, a 过户 without the
new owner.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from frontdesk.core.messages import RuleViolation
from frontdesk.services.auth import APPROVAL_VALID_MINUTES, Approval, AuthService
from frontdesk.services.intake import IntakeService
from frontdesk.services.verification import VerificationService
from frontdesk.store.crypto import sealed_at
from frontdesk.store.models import (
    AuditEntry,
    Customer,
    IdVerification,
    OutboxEntry,
    Slip,
    SlipItem,
)

from .helpers import PNG_SCAN, verify_person
from .test_intake import valid_iccid

MOBILE = {"plan": "mob_59", "new_number": "13812345678", "prepay_amount": "50"}


@pytest.fixture
def intake(demo_ws) -> IntakeService:
    return IntakeService(demo_ws)


def approve(auth: AuthService, clerk, action: str, **binding) -> Approval:
    return auth.authorise(
        "manager01", "Manager2026", action=action, reason="客户坚持", requested_by=clerk, **binding
    )


def holds_numbers(ws, person_name: str, count: int) -> None:
    """Head office's count for the ID, as the cached customer copy carries it."""
    with ws.db.unit_of_work() as uow:
        uow.session.execute(
            update(Customer).where(Customer.name == person_name).values(numbers_with_operator=count)
        )
        uow.commit()


def new_line(service: str = "mobile", number: str = "13812345678") -> dict:
    values = {"plan": "mob_59", "new_number": number, "prepay_amount": "50", "service": service}
    if service in ("fixed", "broadband"):
        values["install_address"] = "北京市朝阳区建国路88号院3号楼2单元501"
    return values


# -- 1. legal limits are never overridable; approvals are bound ---------------------------


def test_sixth_mobile_number_is_refused_even_with_a_manager_approval(demo_ws, intake, clerk, auth):
    visit = intake.open_visit(clerk)
    verify_person(demo_ws, clerk, visit, "zhang_san", purpose="new_line")
    holds_numbers(demo_ws, "张三", 5)
    VerificationService(demo_ws).check_number_limit(clerk, visit)
    with pytest.raises(RuleViolation) as info:
        intake.add_business(clerk, visit, "NEW_LINE", new_line())
    assert info.value.codes == ["precondition.id_number_limit"]
    for action in ("precondition_override", "fee_waiver"):
        ok = approve(auth, clerk, action, visit_id=visit, subject="NEW_LINE")
        with pytest.raises(RuleViolation) as info:
            intake.add_business(clerk, visit, "NEW_LINE", new_line(), override=ok)
        assert "precondition.id_number_limit" in info.value.codes
        assert "precondition.not_overridable" in info.value.codes
        assert "法定" in info.value.text("zh") and "law" in info.value.text("en")
    # a 副卡 is a mobile number too
    with pytest.raises(RuleViolation) as info:
        intake.add_business(clerk, visit, "NEW_LINE", new_line("mobile_secondary"))
    assert info.value.codes == ["precondition.id_number_limit"]
    assert intake.view(visit).items == ()
    with demo_ws.db.reader() as s:  # the refused approvals were never used
        used = s.scalars(select(AuditEntry).where(AuditEntry.action == "auth.approval_used"))
        assert list(used) == []


def test_broadband_and_fixed_installs_are_not_counted_by_the_number_limit(demo_ws, intake, clerk):
    visit = intake.open_visit(clerk)
    verify_person(demo_ws, clerk, visit, "zhang_san", purpose="new_line", limits=True)
    holds_numbers(demo_ws, "张三", 5)
    intake.add_business(clerk, visit, "NEW_LINE", new_line("broadband", "01065001234"))
    intake.add_business(clerk, visit, "NEW_LINE", new_line("fixed", "01065001235"))
    assert [i.fields["service"] for i in intake.view(visit).items] == ["broadband", "fixed"]


def test_approval_is_bound_to_its_action_visit_business_and_used_once(
    demo_ws, intake, clerk, auth, clock
):
    visit = intake.open_visit(clerk)
    verify_person(demo_ws, clerk, visit, "zhang_san", face=False)
    intake.add_business(
        clerk, visit, "TOP_UP", {"topup_amount": "128"}, service_number="13900139000"
    )
    change = ("CHANGE_NUMBER", {"new_number": "13912345678"})

    def override(ok):
        return intake.add_business(clerk, visit, *change, service_number="13900139000", override=ok)

    # a fee waiver's approval does not satisfy an override
    with pytest.raises(RuleViolation) as info:
        override(approve(auth, clerk, "fee_waiver", visit_id=visit, subject="CHANGE_NUMBER"))
    assert info.value.codes == ["auth.approval_mismatch"]
    assert "费用减免" in info.value.text("zh")
    # given for another visit, or another business
    other = intake.open_visit(clerk)
    for binding in ({"visit_id": other}, {"visit_id": visit, "subject": "CLOSE_LINE"}):
        with pytest.raises(RuleViolation) as info:
            override(approve(auth, clerk, "precondition_override", **binding))
        assert info.value.codes == ["auth.approval_mismatch"]
    # built in memory, never given by a manager
    forged = Approval(clerk.staff_id, "伪造", "precondition_override", "x", clock.now())
    with pytest.raises(RuleViolation) as info:
        override(forged)
    assert info.value.codes == ["auth.approval_unknown"]
    # too late
    late = approve(auth, clerk, "precondition_override", visit_id=visit, subject="CHANGE_NUMBER")
    clock.advance(minutes=APPROVAL_VALID_MINUTES + 1)
    with pytest.raises(RuleViolation) as info:
        override(late)
    assert info.value.codes == ["auth.approval_expired"]
    # the right one works once, and only once
    ok = approve(auth, clerk, "precondition_override", visit_id=visit, subject="CHANGE_NUMBER")
    item = override(ok)
    with pytest.raises(RuleViolation) as info:  # the changed number is still under contract
        intake.add_business(
            clerk,
            visit,
            "CHANGE_NUMBER",
            {"new_number": "13912345679"},
            service_number="13912345678",
            override=ok,
        )
    assert info.value.codes == ["auth.approval_used"]
    # a fee waiver is bound to its item's amount
    wrong = approve(
        auth, clerk, "fee_waiver", visit_id=visit, subject="CHANGE_NUMBER", amount_fen=1
    )
    with pytest.raises(RuleViolation) as info:
        intake.waive_fee(clerk, visit, item.item_id, wrong)
    assert info.value.codes == ["auth.approval_mismatch"]
    # a part (issue 19), so that the same waiver asked again is still a valid amount
    half = item.fee_fen // 2
    assert half > 0
    waiver = approve(
        auth,
        clerk,
        "fee_waiver",
        visit_id=visit,
        subject="CHANGE_NUMBER",
        amount_fen=half,
    )
    intake.waive_fee(clerk, visit, item.item_id, waiver, amount_fen=half)
    with pytest.raises(RuleViolation) as info:
        intake.waive_fee(clerk, visit, item.item_id, waiver, amount_fen=half)
    assert info.value.codes == ["auth.approval_used"]


def test_expired_document_can_not_be_overridden(demo_ws, intake, clerk, auth):
    visit = intake.open_visit(clerk)
    verify_person(demo_ws, clerk, visit, "expired", purpose="new_line", limits=True)
    ok = approve(auth, clerk, "precondition_override", visit_id=visit, subject="NEW_LINE")
    with pytest.raises(RuleViolation) as info:
        intake.add_business(clerk, visit, "NEW_LINE", new_line(), override=ok)
    assert "visit.step_failed" in info.value.codes
    assert "precondition.not_overridable" in info.value.codes


# -- 4. minors: only with a guardian as agent ------------------------------------------------


def test_minor_with_any_adult_as_agent_is_refused_even_with_approval(demo_ws, intake, clerk, auth):
    visit = intake.open_visit(clerk)
    verify_person(demo_ws, clerk, visit, "minor", purpose="new_line", face=False, limits=True)
    verify_person(demo_ws, clerk, visit, "long_term", party="agent")
    with pytest.raises(RuleViolation) as info:
        intake.add_business(clerk, visit, "NEW_LINE", new_line())
    assert info.value.codes == ["precondition.min_age"]
    assert "监护人" in info.value.text("zh")
    ok = approve(auth, clerk, "precondition_override", visit_id=visit, subject="NEW_LINE")
    with pytest.raises(RuleViolation) as info:
        intake.add_business(clerk, visit, "NEW_LINE", new_line(), override=ok)
    assert set(info.value.codes) == {"precondition.min_age", "precondition.not_overridable"}


def test_minor_in_own_name_is_refused(demo_ws, intake, clerk, auth):
    visit = intake.open_visit(clerk)
    verify_person(demo_ws, clerk, visit, "minor", purpose="new_line", limits=True)
    ok = approve(auth, clerk, "precondition_override", visit_id=visit, subject="NEW_LINE")
    with pytest.raises(RuleViolation) as info:
        intake.add_business(clerk, visit, "NEW_LINE", new_line(), override=ok)
    assert "precondition.min_age" in info.value.codes
    assert "precondition.not_overridable" in info.value.codes


def test_guardian_must_be_an_adult_with_a_named_relationship(demo_ws, intake, clerk):
    visit = intake.open_visit(clerk)
    verify_person(demo_ws, clerk, visit, "minor", purpose="new_line", face=False)
    with pytest.raises(RuleViolation) as info:
        intake.record_guardian(clerk, visit, "parent")
    assert info.value.codes == ["visit.guardian_agent_required"]
    verify_person(demo_ws, clerk, visit, "minor", party="agent")
    with pytest.raises(RuleViolation) as info:
        intake.record_guardian(clerk, visit, "parent")
    assert info.value.codes == ["visit.guardian_not_adult"]
    with pytest.raises(RuleViolation) as info:
        intake.record_guardian(clerk, visit, "uncle")
    assert info.value.codes == ["visit.guardian_relationship"]


def test_minor_opens_a_line_with_a_verified_guardian_printed_on_the_slip(demo_ws, intake, clerk):
    visit = intake.open_visit(clerk)
    verify_person(demo_ws, clerk, visit, "minor", purpose="new_line", face=False, limits=True)
    verify_person(demo_ws, clerk, visit, "long_term", party="agent")
    intake.record_guardian(clerk, visit, "parent")
    item = intake.add_business(clerk, visit, "NEW_LINE", {**new_line(), "sim_iccid": valid_iccid()})
    assert item.fields["guardian_relationship"] == "父母"
    assert item.fields["guardian_name"] == "刘建国" and "*" in item.fields["guardian_id_masked"]
    intake.add_payment(clerk, visit, "cash", 5_000)
    intake.record_fraud_notice(clerk, visit, "paperless")
    settled = intake.settle(clerk, visit)
    with demo_ws.db.reader() as s:
        slip = s.scalar(select(Slip).where(Slip.slip_no == settled.slip_no))
        assert slip.customer_name == "李小明" and slip.agent_name == "刘建国"
        [stored] = slip.items
        assert stored.fields["fraud_notice"] == "已签署（电子签名）"


# -- 5. personal 代办 and unit agents ----------------------------------------------------------


def test_personal_agent_with_the_absent_customers_card(demo_ws, intake, clerk):
    visit = intake.open_visit(clerk)
    verify_person(demo_ws, clerk, visit, "long_term", party="agent")  # present: face-compared
    with pytest.raises(RuleViolation) as info:
        intake.add_business(clerk, visit, "NEW_LINE", new_line())
    assert "visit.customer_document_required" in info.value.codes
    # the customer is absent: their card is read, no face comparison is asked of them
    verify_person(demo_ws, clerk, visit, "zhang_san", face=False, scan=False, limits=True)
    intake.add_business(clerk, visit, "NEW_LINE", {**new_line(), "sim_iccid": valid_iccid()})
    intake.add_payment(clerk, visit, "cash", 5_000)
    intake.record_fraud_notice(clerk, visit, "paper")
    settled = intake.settle(clerk, visit)
    with demo_ws.db.reader() as s:
        slip = s.scalar(select(Slip).where(Slip.slip_no == settled.slip_no))
        assert (slip.customer_name, slip.agent_name) == ("张三", "刘建国")
        parties = set(
            s.scalars(select(IdVerification.party).where(IdVerification.visit_id == visit))
        )
        assert parties == {"customer", "agent"}


def test_personal_agent_must_pass_the_face_comparison_in_person(demo_ws, intake, clerk):
    visit = intake.open_visit(clerk)
    verify_person(demo_ws, clerk, visit, "long_term", party="agent", face=False)
    verify_person(demo_ws, clerk, visit, "zhang_san", face=False, limits=True)
    with pytest.raises(RuleViolation) as info:
        intake.add_business(clerk, visit, "NEW_LINE", new_line())
    assert info.value.codes == ["visit.face_required"]


def test_absent_customers_typed_in_document_needs_its_copy(demo_ws, intake, clerk, auth):
    from frontdesk.core.ids import DocType, IdentityDocument
    from frontdesk.devices.id_reader import demo_card

    from .helpers import today

    visit = intake.open_visit(clerk)
    verify_person(demo_ws, clerk, visit, "long_term", party="agent")
    card = demo_card("hmt_resident", today=today(demo_ws))
    doc = IdentityDocument(
        DocType.HMT_RESIDENCE_PERMIT,
        card.id_number,
        card.name,
        birth_date=card.birth_date,
        valid_from=card.valid_from,
        valid_to=card.valid_to,
    )
    verifier = VerificationService(demo_ws)
    ok = approve(auth, clerk, "manual_id_entry", visit_id=visit)
    verifier.capture(clerk, visit, doc, method="manual", approval=ok)
    with pytest.raises(RuleViolation) as info:
        intake.add_business(
            clerk,
            visit,
            "PLAN_CHANGE",
            {"plan": "mob_59", "effective": "next_month"},
            service_number="13600136000",
        )
    assert info.value.codes == ["visit.customer_document_required"]
    verifier.attach_scan(clerk, visit, PNG_SCAN, "image/png")
    intake.add_business(
        clerk,
        visit,
        "PLAN_CHANGE",
        {"plan": "mob_59", "effective": "next_month"},
        service_number="13600136000",
    )
    # the manual-entry approval was used once, for this visit
    with pytest.raises(RuleViolation) as info:
        verifier.capture(clerk, visit, doc, method="manual", approval=ok)
    assert info.value.codes == ["auth.approval_used"]


def test_unit_agent_is_face_compared_for_a_new_line(demo_ws, intake, clerk):
    from frontdesk.services.demo import DEMO_UNIT_CREDIT_CODE

    visit = intake.open_visit(clerk)
    verifier = VerificationService(demo_ws)
    verifier.register_unit(
        clerk, visit, unit_name="北京示例科技有限公司", credit_code=DEMO_UNIT_CREDIT_CODE
    )
    verify_person(demo_ws, clerk, visit, "long_term", party="agent", face=False)
    verifier.attach_scan(
        clerk, visit, PNG_SCAN, "image/png", party="agent", kind="authorisation_letter"
    )
    with pytest.raises(RuleViolation) as info:
        intake.add_business(clerk, visit, "NEW_LINE", new_line())
    assert info.value.codes == ["visit.face_required"]
    from frontdesk.devices.face import SimulatedFaceComparer

    verifier.compare_face(clerk, visit, SimulatedFaceComparer(), b"photo", party="agent")
    intake.add_business(clerk, visit, "NEW_LINE", {**new_line(), "sim_iccid": valid_iccid()})


# -- 3. 过户 is 入网 for the new owner -----------------------------------------------------------


def transfer_visit(demo_ws, intake, clerk, *, new_owner: str | None = "zhang_san", **kw):
    visit = intake.open_visit(clerk)
    verify_person(demo_ws, clerk, visit, "long_term")  # 刘建国 owns 13700137000 (postpaid)
    if new_owner:
        verify_person(demo_ws, clerk, visit, new_owner, party="new_owner", limits=True, **kw)
    return visit


def transfer(intake, clerk, visit, **kw):
    return intake.add_business(
        clerk,
        visit,
        "CHANGE_OWNER",
        {"new_owner_phone": "13812340000", "new_owner_id_number": "should-never-be-kept"},
        service_number="13700137000",
        **kw,
    )


def test_change_owner_without_the_new_owner_is_refused(demo_ws, intake, clerk, auth):
    visit = transfer_visit(demo_ws, intake, clerk, new_owner=None)
    ok = approve(auth, clerk, "precondition_override", visit_id=visit, subject="CHANGE_OWNER")
    with pytest.raises(RuleViolation) as info:
        transfer(intake, clerk, visit, override=ok)
    assert "visit.party_step_missing" in info.value.codes
    assert "新机主" in info.value.text("zh")


def test_change_owner_needs_the_new_owners_face_comparison(demo_ws, intake, clerk):
    visit = transfer_visit(demo_ws, intake, clerk, face=False)
    with pytest.raises(RuleViolation) as info:
        transfer(intake, clerk, visit)
    assert info.value.codes == ["visit.party_face_required"]


def test_change_owner_counts_the_new_owners_numbers(demo_ws, intake, clerk, auth):
    visit = intake.open_visit(clerk)
    verify_person(demo_ws, clerk, visit, "long_term")
    holds_numbers(demo_ws, "张三", 5)
    verify_person(demo_ws, clerk, visit, "zhang_san", party="new_owner", limits=True)
    ok = approve(auth, clerk, "precondition_override", visit_id=visit, subject="CHANGE_OWNER")
    with pytest.raises(RuleViolation) as info:
        transfer(intake, clerk, visit, override=ok)
    assert set(info.value.codes) == {
        "precondition.new_owner_number_limit",
        "precondition.not_overridable",
    }


def test_change_owner_to_a_minor_is_refused(demo_ws, intake, clerk):
    visit = transfer_visit(demo_ws, intake, clerk, new_owner="minor")
    with pytest.raises(RuleViolation) as info:
        transfer(intake, clerk, visit)
    assert info.value.codes == ["precondition.new_owner_min_age"]


def test_change_owner_records_both_parties_masked_and_seals_the_new_owners_number(
    demo_ws, intake, clerk
):
    from frontdesk.devices.id_reader import demo_card

    from .helpers import today

    visit = transfer_visit(demo_ws, intake, clerk)
    item = transfer(intake, clerk, visit)
    assert item.fields["new_owner_name"] == "张三"
    assert "*" in item.fields["new_owner_id_masked"]
    assert "new_owner_id_number" not in item.fields
    with pytest.raises(RuleViolation) as info:
        intake.settle(clerk, visit)
    assert info.value.codes == ["visit.fraud_notice_required"]
    intake.record_fraud_notice(clerk, visit, "paper")
    settled = intake.settle(clerk, visit)
    full = demo_card("zhang_san", today=today(demo_ws)).id_number
    with demo_ws.db.reader() as s:
        slip = s.scalar(select(Slip).where(Slip.slip_no == settled.slip_no))
        assert slip.customer_name == "刘建国"
        [stored] = s.scalars(select(SlipItem).where(SlipItem.slip_id == slip.id)).all()
        assert stored.fields["new_owner_name"] == "张三"
        assert stored.fields["fraud_notice"] == "已签署（纸质签署）"
        assert full not in str(stored.fields)
        new_owner = s.scalar(
            select(IdVerification).where(
                IdVerification.visit_id == visit, IdVerification.party == "new_owner"
            )
        )
        assert full.encode() not in new_owner.id_number_enc
        assert (
            demo_ws.vault.open_text(
                new_owner.id_number_enc,
                sealed_at("id_verification", "id_number_enc", new_owner.id),
            )
            == full
        )
        payloads = " ".join(str(o.payload) for o in s.scalars(select(OutboxEntry)))
        assert full not in payloads


# -- 9. 二次实人认证: a flagged line takes no business until its holder re-verifies ----------


def flag_line(ws, number: str) -> None:
    """As pulled from head office with the customer's accounts."""
    from frontdesk.store.models import Line

    with ws.db.unit_of_work() as uow:
        uow.session.execute(
            update(Line).where(Line.number == number).values(reverify_required=True)
        )
        uow.commit()


def test_flagged_line_takes_no_business_until_the_holder_reverifies(demo_ws, intake, clerk, auth):
    flag_line(demo_ws, "13900139000")
    visit = intake.open_visit(clerk)
    with pytest.raises(RuleViolation) as info:  # not even a top-up by whoever comes
        intake.add_business(
            clerk, visit, "TOP_UP", {"topup_amount": "128"}, service_number="13900139000"
        )
    assert info.value.codes == ["precondition.reverify_required"]
    # the holder, card read, photo only confirmed by the clerk: not a re-verification
    verify_person(demo_ws, clerk, visit, "zhang_san", face=False)
    ok = approve(auth, clerk, "precondition_override", visit_id=visit, subject="TOP_UP")
    with pytest.raises(RuleViolation) as info:
        intake.add_business(
            clerk,
            visit,
            "TOP_UP",
            {"topup_amount": "128"},
            service_number="13900139000",
            override=ok,
        )
    assert set(info.value.codes) == {
        "precondition.reverify_required",
        "precondition.not_overridable",
    }
    with pytest.raises(RuleViolation) as info:
        intake.add_business(clerk, visit, "REVERIFY", {}, service_number="13900139000")
    assert "visit.face_required" in info.value.codes
    # the holder in person passes the face comparison: the line takes business again
    verify_person(demo_ws, clerk, visit, "zhang_san")
    intake.add_business(clerk, visit, "REVERIFY", {}, service_number="13900139000")
    intake.add_business(
        clerk, visit, "TOP_UP", {"topup_amount": "128"}, service_number="13900139000"
    )
    intake.add_payment(clerk, visit, "cash", 12_800)
    intake.settle(clerk, visit)
    from frontdesk.store.models import Line

    with demo_ws.db.reader() as s:  # the cached copy follows until head office answers
        assert not s.scalar(select(Line.reverify_required).where(Line.number == "13900139000"))


def test_agent_can_not_reverify_for_the_holder(demo_ws, intake, clerk):
    flag_line(demo_ws, "13900139000")
    visit = intake.open_visit(clerk)
    verify_person(demo_ws, clerk, visit, "long_term", party="agent")
    verify_person(demo_ws, clerk, visit, "zhang_san", face=False, limits=True)
    with pytest.raises(RuleViolation) as info:
        intake.add_business(clerk, visit, "REVERIFY", {}, service_number="13900139000")
    assert "precondition.reverify_required" in info.value.codes
    assert "precondition.party" in info.value.codes


def test_change_owner_to_an_expired_document_is_refused(demo_ws, intake, clerk, auth):
    visit = transfer_visit(demo_ws, intake, clerk, new_owner="expired")
    ok = approve(auth, clerk, "precondition_override", visit_id=visit, subject="CHANGE_OWNER")
    with pytest.raises(RuleViolation) as info:
        transfer(intake, clerk, visit, override=ok)
    assert "visit.party_step_failed" in info.value.codes
    assert "precondition.not_overridable" in info.value.codes
    assert "新机主" in info.value.text("zh") and "new owner" in info.value.text("en")


def test_fraud_notice_is_signed_on_paper_or_paperless_only(intake, clerk):
    visit = intake.open_visit(clerk)
    with pytest.raises(RuleViolation) as info:
        intake.record_fraud_notice(clerk, visit, "verbal")
    assert info.value.codes == ["visit.fraud_notice_method"]
