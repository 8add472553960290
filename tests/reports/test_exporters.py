"""The report service is given its exporters: the composed service has one for every
format; a service built without them refuses an export politely and writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from frontdesk.core.messages import RuleViolation
from frontdesk.reporting import EXPORTERS
from frontdesk.reporting import ReportService as ComposedReportService
from frontdesk.services.reports import FORMATS, ReportService
from frontdesk.store.models import AuditEntry

from .conftest import DAY


def test_the_composed_service_exports_every_format(day, manager, demo_ws, tmp_path):
    assert set(EXPORTERS) == set(FORMATS)
    reports = ComposedReportService(demo_ws)
    sizes = {
        fmt: reports.export(manager, DAY, None, branch=False, fmt=fmt, path=tmp_path / f"d.{fmt}")
        for fmt in FORMATS
    }
    assert (tmp_path / "d.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "d.xlsx").read_bytes().startswith(b"PK")
    assert "营业汇总" in (tmp_path / "d.csv").read_bytes().decode("utf-8-sig")
    assert all(result.size > 0 for result in sizes.values())


def test_a_service_without_an_exporter_refuses_the_format_and_writes_nothing(
    day, manager, demo_ws, tmp_path
):
    out = tmp_path / "out"
    bare = ReportService(demo_ws)
    assert bare.summary(manager, DAY).visits.total == 8  # figures need no exporter
    for fmt in FORMATS:
        with pytest.raises(RuleViolation) as info:
            bare.export(manager, DAY, None, branch=False, fmt=fmt, path=out / f"x.{fmt}")
        assert info.value.codes == ["report.unknown_format"]
        assert f"“{fmt}” is not supported" in info.value.text("en")
    only_csv = ReportService(demo_ws, exporters={"csv": EXPORTERS["csv"]})
    with pytest.raises(RuleViolation) as info:
        only_csv.render(only_csv.summary(manager, DAY), "pdf")
    assert info.value.codes == ["report.unknown_format"]
    assert only_csv.render(only_csv.summary(manager, DAY), "csv")
    with demo_ws.db.reader() as s:
        assert (
            s.scalars(select(AuditEntry).where(AuditEntry.action == "report.exported")).all() == []
        )
    assert not out.exists()
