"""XLSX export with openpyxl: one sheet per table, real numbers, frozen header row.

Money is written as a number of yuan (fen / 100, exact as a Decimal) with a ``#,##0.00``
format so sums in Excel work; shares as fractions with ``0.0%``; minutes with ``0.0``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..core.reports import DaySummary, Table

FORMATS = {
    "fen": "#,##0.00",
    "share": "0.0%",
    "minutes": "0.0",
    "int": "0",
    "datetime": "yyyy-mm-dd hh:mm:ss",
}
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_BAD_TITLE = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _cell_value(value: object, kind: str) -> object:
    if value is None:
        return None
    if kind == "fen" and isinstance(value, int):
        return Decimal(value) / 100
    return value


def _width(value: object) -> int:
    text = str(value) if value is not None else ""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def render_xlsx(summary: DaySummary, tables: Sequence[Table], *, language: str = "zh") -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "frontdesk"
    wb.properties.title = f"{summary.branch_code} {summary.period_label}"
    wb.properties.created = summary.generated_at.replace(tzinfo=None)
    wb.properties.modified = summary.generated_at.replace(tzinfo=None)
    bold = Font(bold=True)
    for table in tables:
        sheet = wb.create_sheet(table.title(language).translate(_BAD_TITLE)[:31])
        sheet.append([c.label(language) for c in table.columns])
        for cell in sheet[1]:
            cell.font = bold
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center")
        widths = [_width(c.label(language)) for c in table.columns]
        for r, row in enumerate(table.rows):
            kinds = [table.kind(r, c) for c in range(len(row))]
            sheet.append([_cell_value(v, k) for v, k in zip(row, kinds, strict=True)])
            for c, (value, kind) in enumerate(zip(row, kinds, strict=True)):
                cell = sheet.cell(row=r + 2, column=c + 1)
                if kind in FORMATS and value is not None:
                    cell.number_format = FORMATS[kind]
                widths[c] = max(widths[c], _width(value) + (3 if kind == "fen" else 0))
        for c, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(c)].width = min(60, max(8, width + 2))
        sheet.freeze_panes = "A2"
        if table.rows:
            sheet.auto_filter.ref = sheet.dimensions
    if summary.notes:
        sheet = wb.create_sheet("说明" if language == "zh" else "Notes")
        sheet.append(["说明" if language == "zh" else "Notes"])
        sheet["A1"].font = bold
        for note in summary.notes:
            sheet.append([note])
        sheet.column_dimensions["A"].width = 100
        sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
