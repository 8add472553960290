"""Exports read back: XLSX with openpyxl, CSV with the csv module, PDF text extracted;
every export audited; the CLI drives the same service."""

from __future__ import annotations

import argparse
import csv
import io
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from frontdesk.cli import reports as report_cli
from frontdesk.core.messages import RuleViolation
from frontdesk.reporting import ReportService
from frontdesk.store.models import AuditEntry

from .conftest import DAY


@pytest.fixture
def reports(demo_ws) -> ReportService:
    return ReportService(demo_ws, known_counters=["W01", "W02"])


def audit_of(ws, action="report.exported"):
    """(actor, detail) of the export entries, read inside the session."""
    with ws.db.reader() as s:
        rows = s.execute(
            select(AuditEntry.actor_id, AuditEntry.detail).where(AuditEntry.action == action)
        ).all()
        return [argparse.Namespace(actor_id=a, detail=d) for a, d in rows]


def test_xlsx_one_sheet_per_table_with_number_formats(day, reports, manager, demo_ws, tmp_path):
    result = reports.export(manager, DAY, None, branch=False, fmt="xlsx", path=tmp_path / "d.xlsx")
    wb = load_workbook(result.path)
    assert wb.sheetnames[:4] == ["概况", "收款方式", "业务类型", "营业员"]
    assert {"服务时限", "VIP 客户", "分时接待量", "作废与退款"} <= set(wb.sheetnames)
    methods = wb["收款方式"]
    assert methods.freeze_panes == "A2"
    header = [c.value for c in methods[1]]
    assert header == ["支付方式", "笔数", "收入", "退出", "净额", "找零"]
    rows = {r[0].value: r for r in methods.iter_rows(min_row=2)}
    cash = rows["现金"]
    assert (cash[2].value, cash[3].value, cash[4].value) == (170, -80, 90)
    assert cash[4].number_format == "#,##0.00"
    overview = {r[0].value: r[1] for r in wb["概况"].iter_rows(min_row=2)}
    assert overview["接待量"].value == 8
    assert overview["实收（不含余额）"].value == 6269
    assert overview["等候达标率"].value == pytest.approx(0.6)
    assert overview["等候达标率"].number_format == "0.0%"
    sla = wb["服务时限"]
    waiting = next(sla.iter_rows(min_row=2))
    assert waiting[3].value == pytest.approx(9.6) and waiting[4].value == 20.0
    corrections = list(wb["作废与退款"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in corrections] == ["作废", "退款"]
    assert corrections[0][3] == -50
    [entry] = audit_of(demo_ws)
    assert entry.actor_id == manager.staff_id and entry.detail["format"] == "xlsx"
    assert entry.detail["scope"] == "counter" and entry.detail["from"] == "2026-11-21"


def test_csv_has_a_bom_and_reads_back(day, reports, manager, demo_ws, tmp_path):
    result = reports.export(manager, DAY, None, branch=True, fmt="csv", path=tmp_path / "d.csv")
    raw = result.path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["营业汇总", "BJ0101", "全营业厅", "2026-11-21"]
    assert "W02" in rows[1][0]  # the offline note names the missing counter
    start = rows.index(["收款方式"])
    assert rows[start + 1] == ["支付方式", "笔数", "收入", "退出", "净额", "找零"]
    assert rows[start + 2] == ["现金", "5", "170.00", "-80.00", "90.00", "50.00"]
    overview = {r[0]: r[1] for r in rows[rows.index(["概况"]) + 2 : start - 1]}
    assert overview["缺少的柜台"] == "W02" and overview["办理达标率"] == "50.0%"
    [entry] = audit_of(demo_ws)
    assert entry.detail["missing_counters"] == ["W02"] and entry.detail["scope"] == "branch"


def test_pdf_text_has_the_figures(day, reports, manager, tmp_path):
    result = reports.export(manager, DAY, None, branch=False, fmt="pdf", path=tmp_path / "d.pdf")
    reader = PdfReader(str(result.path))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ("营业日报", "2026-11-21", "6269.00", "60.0%", "50.0%", "作废与退款"):
        assert expected in text, expected
    assert day.void_slip_no in text and "录错号码" in text
    assert reader.metadata.title == "营业日报 2026-11-21"


def test_export_refused_writes_nothing_and_audits_nothing(day, reports, clerk, demo_ws, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    with pytest.raises(RuleViolation):
        reports.export(clerk, DAY, None, branch=True, fmt="pdf", path=tmp_path / "x.pdf")
    with pytest.raises(RuleViolation) as info:
        reports.export(clerk, DAY, None, branch=False, fmt="doc", path=tmp_path / "x.doc")
    assert info.value.codes == ["report.unknown_format"]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(RuleViolation) as info:
        reports.export(clerk, DAY, None, branch=False, fmt="csv", path=blocker / "sub" / "x.csv")
    assert info.value.codes == ["report.cannot_write"]
    assert audit_of(demo_ws) == []
    assert list(tmp_path.iterdir()) == [blocker]


def cli(demo_ws, monkeypatch, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="frontdesk")
    parser.add_argument("--data-dir")
    report_cli.register(parser.add_subparsers(dest="command"))
    monkeypatch.setattr(report_cli, "open_workstation", lambda args: _Unclosed(demo_ws))
    args = parser.parse_args(list(argv))
    return args.func(args)


class _Unclosed:
    """The fixture's workstation, left open when the command closes it."""

    def __init__(self, ws) -> None:
        self._ws = ws

    def __getattr__(self, name):
        return getattr(self._ws, name)

    def close(self) -> None:
        pass


def test_cli_summary_and_close_preview(day, demo_ws, monkeypatch, tmp_path, capsys):
    out = tmp_path / "job.xlsx"
    code = cli(
        demo_ws, monkeypatch, "report", "summary", "--date", "today", "--branch",
        "--format", "xlsx", "--out", str(out), "--counters", "W01,W02",
    )  # fmt: skip
    assert code == 0 and out.exists()
    printed = capsys.readouterr()
    assert "8 visits" in printed.out and "W02" in printed.err
    [entry] = audit_of(demo_ws)
    assert entry.actor_id is None and entry.detail["via"] == "cli"
    code = cli(
        demo_ws, monkeypatch, "report", "summary", "--date", "2026-11-21", "--user", "clerk01",
        "--branch", "--format", "csv", "--out", str(tmp_path / "c.csv"),
    )  # fmt: skip
    assert code == 1 and "经理" in capsys.readouterr().err
    code = cli(
        demo_ws, monkeypatch, "report", "summary", "--date", "21/11/2026",
        "--format", "csv", "--out", str(tmp_path / "c.csv"),
    )  # fmt: skip
    assert code == 2
    assert cli(demo_ws, monkeypatch, "report", "close-preview", "--date", "today", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["expected_by_method_fen"]["cash"] == 9_000 and data["receipts"] == 8
    assert cli(demo_ws, monkeypatch, "report", "close-preview", "--date", "2026-11-21") == 0
    assert "¥6,049.00" in capsys.readouterr().out
