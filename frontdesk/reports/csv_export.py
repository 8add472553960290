"""CSV export: UTF-8 with a byte-order mark, so Excel on Chinese Windows opens it right.

Without the BOM Excel guesses the ANSI code page (GBK) and shows mojibake. The file is
one sheet of sections — a title row, the header row, the data rows, a blank row —
because CSV has no sheets; money is yuan with two decimals, shares are percentages.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from ..core.reports import DaySummary, Table, format_cell


def render_csv(summary: DaySummary, tables: Sequence[Table], *, language: str = "zh") -> bytes:
    zh = language == "zh"
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    scope = (
        ("全营业厅" if zh else "branch")
        if summary.scope == "branch"
        else (summary.workstation_code or "")
    )
    writer.writerow(
        ["营业汇总" if zh else "Daily summary", summary.branch_code, scope, summary.period_label]
    )
    for note in summary.notes:
        writer.writerow([note])
    writer.writerow([])
    for table in tables:
        writer.writerow([table.title(language)])
        writer.writerow([c.label(language) for c in table.columns])
        for r, row in enumerate(table.rows):
            writer.writerow([format_cell(value, table.kind(r, c)) for c, value in enumerate(row)])
        writer.writerow([])
    return out.getvalue().encode("utf-8-sig")
