"""Identity data is erased after service + 2 years; settled records stay whole."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update

from frontdesk.services.intake import IntakeService
from frontdesk.services.retention import RetentionService
from frontdesk.store.audit import verify_chain
from frontdesk.store.models import AuditEntry, Customer, DocumentScan, IdVerification, Line

from .helpers import verify_person


def _close_all_lines(ws, name: str, when: dt.datetime) -> None:
    with ws.db.unit_of_work() as uow:
        customer_id = uow.session.scalar(select(Customer.id).where(Customer.name == name))
        uow.session.execute(
            update(Line)
            .where(Line.customer_id == customer_id)
            .values(status="closed", state_as_of=when)
        )
        uow.commit()


def test_purge_erases_only_customers_closed_for_longer_than_the_period(demo_ws, clerk, clock):
    intake = IntakeService(demo_ws)
    for person in ("zhang_san", "long_term"):
        visit = intake.open_visit(clerk)
        verify_person(demo_ws, clerk, visit, person, face=False)  # sealed number + a scan
        intake.cancel(clerk, visit, "只做核验")
    start = clock.now()
    _close_all_lines(demo_ws, "张三", start + dt.timedelta(days=1))
    _close_all_lines(demo_ws, "刘建国", start + dt.timedelta(days=2 * 365))
    now = start + dt.timedelta(days=2 * 365 + 30)  # Zhang closed 2 years ago, Liu not yet
    retention = RetentionService(demo_ws)
    report = retention.purge(clerk, now)
    assert (report.customers, report.verifications, report.scans) == (1, 1, 1)
    with demo_ws.db.reader() as s:
        zhang = s.scalar(select(Customer).where(Customer.name == "张三"))
        liu = s.scalar(select(Customer).where(Customer.name == "刘建国"))
        assert zhang.id_number_enc is None and liu.id_number_enc is not None
        assert zhang.birth_date_enc is None and zhang.contact_phone is None
        assert liu.birth_date_enc is not None
        purged = s.scalar(select(IdVerification).where(IdVerification.id_hash == zhang.id_hash))
        assert purged.id_number_enc is None and purged.address_enc is None
        assert purged.birth_date_enc is None
        assert purged.id_masked and purged.name == "张三"  # the record of the check stays
        kept = s.scalar(select(IdVerification).where(IdVerification.id_hash == liu.id_hash))
        assert kept.id_number_enc is not None and kept.birth_date_enc is not None
        scans = s.scalars(select(DocumentScan).order_by(DocumentScan.created_at)).all()
        assert sorted(x.ciphertext is None for x in scans) == [False, True]
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "retention.purge"))
        assert entry.detail["customers"] == 1 and entry.detail["parties"] == ["customer"]
        assert verify_chain(s).intact
    again = retention.purge(clerk, now)  # nothing left to erase, still audited
    assert (again.customers, again.verifications, again.scans) == (0, 0, 0)
    with demo_ws.db.reader() as s:
        assert s.scalar(select(func.count()).where(AuditEntry.action == "retention.purge")) == 2


def test_ten_years_on_agents_unit_agents_walk_ins_and_scans_are_purged(
    demo_ws, clerk, clock, caplog
):
    """Order 25: service + 2 years for every identity record, not only account holders."""
    from frontdesk.services.demo import DEMO_UNIT_CREDIT_CODE
    from frontdesk.services.verification import VerificationService

    from .helpers import PNG_SCAN

    intake = IntakeService(demo_ws)
    # a personal agent (代办) for Zhang
    visit = intake.open_visit(clerk)
    verify_person(demo_ws, clerk, visit, "zhang_san", face=False)
    verify_person(demo_ws, clerk, visit, "hmt_resident", party="agent", face=False)
    intake.cancel(clerk, visit, "演示")
    # a unit's agent (单位经办人) with the authorisation letter
    visit = intake.open_visit(clerk)
    verifier = VerificationService(demo_ws)
    verifier.register_unit(
        clerk, visit, unit_name="北京示例科技有限公司", credit_code=DEMO_UNIT_CREDIT_CODE
    )
    verify_person(demo_ws, clerk, visit, "long_term", party="agent", face=False)
    verifier.attach_scan(
        clerk, visit, PNG_SCAN, "image/png", party="agent", kind="authorisation_letter"
    )
    intake.cancel(clerk, visit, "演示")
    # a walk-in who never held a line (an enquiry), and a visit that identified nobody
    visit = intake.open_visit(clerk)
    verify_person(demo_ws, clerk, visit, "minor", face=False)
    intake.cancel(clerk, visit, "只做咨询")
    start = clock.now()
    _close_all_lines(demo_ws, "张三", start + dt.timedelta(days=30))
    _close_all_lines(demo_ws, "北京示例科技有限公司", start + dt.timedelta(days=30))
    retention = RetentionService(demo_ws)

    schedule = retention.schedule()
    with demo_ws.db.reader() as s:
        identity_records = s.scalar(select(func.count(IdVerification.id))) + s.scalar(
            select(func.count(Customer.id))
        )
    assert len(schedule) == identity_records
    by_party = {}
    for entry in schedule:
        by_party.setdefault((entry.kind, entry.party), []).append(entry.purge_after)
    # every record whose service ended has a date (Liu's and Chen's lines are open)
    assert all(by_party[("id_verification", p)] for p in ("agent", "customer"))
    assert all(d is not None for d in by_party[("customer", "unit")])
    agent_dates = by_party[("id_verification", "agent")]
    assert all(d is not None for d in agent_dates)

    a_year_on = retention.purge(None, start + dt.timedelta(days=365))
    assert (a_year_on.verifications, a_year_on.scans) == (0, 0)  # within service + 2 years

    with caplog.at_level("INFO", logger="frontdesk.retention"):
        report = retention.purge(None, start + dt.timedelta(days=3652))
    # Zhang, his agent, the unit's agent, the walk-in: 4 records, 5 scans (+ the letter)
    assert report.verifications == 4 and report.scans == 5
    assert report.customers == 3  # Zhang, the unit, the walk-in; Liu and Chen hold lines
    with demo_ws.db.reader() as s:
        left = s.execute(select(IdVerification.party, IdVerification.id_number_enc.is_(None))).all()
        assert all(gone for _, gone in left), left
        assert sorted(p for p, _ in left) == ["agent", "agent", "customer", "customer"]
        assert all(x.ciphertext is None for x in s.scalars(select(DocumentScan)))
        minor = s.scalar(select(Customer).where(Customer.name == "李小明"))
        assert minor.id_number_enc is None and minor.birth_date_enc is None
        liu = s.scalar(select(Customer).where(Customer.name == "刘建国"))
        assert liu.id_number_enc is not None  # his lines are open: his service runs
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "retention.purge")).all()[
            -1
        ]
        assert entry.detail["parties"] == ["agent", "customer"]
    logged = [r.getMessage() for r in caplog.records if r.name == "frontdesk.retention"]
    # counts only (the purge a year on, with nothing due, may be logged before it)
    assert logged[-1] == "retention purge: 3 customers, 4 verifications (agent, customer), 5 scans"
    assert all(line.startswith("retention purge: ") for line in logged)
    assert not any("张三" in m or "李小明" in m for m in logged)


def test_purge_command_for_scheduled_jobs(demo_ws, capsys):
    from frontdesk.cli import main

    demo_ws.close()
    assert main(["--data-dir", str(demo_ws.data_dir), "purge-identities"]) == 0
    assert "purged: 0 customers" in capsys.readouterr().out
