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
    now = clock.now()
    _close_all_lines(demo_ws, "张三", now - dt.timedelta(days=2 * 365 + 10))
    _close_all_lines(demo_ws, "刘建国", now - dt.timedelta(days=365))  # still within 2 years
    retention = RetentionService(demo_ws)
    report = retention.purge(clerk)
    assert (report.customers, report.verifications, report.scans) == (1, 1, 1)
    with demo_ws.db.reader() as s:
        zhang = s.scalar(select(Customer).where(Customer.name == "张三"))
        liu = s.scalar(select(Customer).where(Customer.name == "刘建国"))
        assert zhang.id_number_enc is None and liu.id_number_enc is not None
        purged = s.scalar(select(IdVerification).where(IdVerification.id_hash == zhang.id_hash))
        assert purged.id_number_enc is None and purged.address_enc is None
        assert purged.id_masked and purged.name == "张三"  # the record of the check stays
        kept = s.scalar(select(IdVerification).where(IdVerification.id_hash == liu.id_hash))
        assert kept.id_number_enc is not None
        scans = s.scalars(select(DocumentScan).order_by(DocumentScan.created_at)).all()
        assert [x.ciphertext is None for x in scans] == [True, False]
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "retention.purge"))
        assert entry.detail["customers"] == 1
        assert verify_chain(s).intact
    again = retention.purge(clerk)  # nothing left to erase, still audited
    assert (again.verifications, again.scans) == (0, 0)
    with demo_ws.db.reader() as s:
        assert s.scalar(select(func.count()).where(AuditEntry.action == "retention.purge")) == 2


def test_purge_command_for_scheduled_jobs(demo_ws, capsys):
    from frontdesk.cli import main

    demo_ws.close()
    assert main(["--data-dir", str(demo_ws.data_dir), "purge-identities"]) == 0
    assert "purged: 0 customers" in capsys.readouterr().out
