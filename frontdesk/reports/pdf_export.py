"""Summary PDF: header, overview, three charts, then every table (A4 portrait).

Text goes through the embedded CJK font set of :mod:`frontdesk.printing.fonts` (no
tofu on any printer). Cells that are pure ASCII are plain strings in Helvetica; the
others are paragraphs with font runs — a month's tables stay fast to lay out.
Built with ``invariant=1`` so the same figures give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import (
    Table as RlTable,
)

from ..core.clock import local_time
from ..core.reports import DaySummary, SlaPolicy, Table, format_cell
from ..printing.common import Styles, draw_text
from ..printing.fonts import FontSet
from .charts import hourly_chart, mix_chart, sla_chart

NUMERIC = {"int", "fen", "share", "minutes"}
HEAD_BG = colors.HexColor("#DDE6F0")


def _cell(styles: Styles, text: str, *, align: str, head: bool = False) -> object:
    if text.isascii() and not head:
        return text
    return styles.p(text, 8, align=align, bold=head)


def _table_flowable(styles: Styles, table: Table, width: float, language: str) -> object:
    cols = table.columns
    header = [_cell(styles, c.label(language), align="center", head=True) for c in cols]
    body = []
    for r, row in enumerate(table.rows):
        cells = []
        for c, value in enumerate(row):
            kind = table.kind(r, c)
            cells.append(
                _cell(
                    styles,
                    format_cell(value, kind),
                    align="right" if kind in NUMERIC else "left",
                )
            )
        body.append(cells)
    weights = [2.2 if c.kind not in NUMERIC else 1.0 for c in cols]
    if table.key == "corrections":
        weights = [2.6, 0.8, 2.6, 1.1, 1.2, 2.0, 1.0, 1.0, 1.9]
    total = sum(weights)
    widths = [width * w / total for w in weights]
    flow = RlTable([header, *body], colWidths=widths, repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 8),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#9AA5B1")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for c, col in enumerate(cols):
        if col.kind in NUMERIC:
            style.append(("ALIGN", (c, 1), (c, -1), "RIGHT"))
    flow.setStyle(TableStyle(style))
    title = styles.p(table.title(language), 10.5, bold=True)
    if not table.rows:
        empty = styles.p("（无）" if language == "zh" else "(none)", 8)
        return KeepTogether([title, Spacer(1, 2), empty, Spacer(1, 6)])
    return [KeepTogether([title, Spacer(1, 2), flow]), Spacer(1, 8)]


def render_pdf(
    summary: DaySummary,
    tables: Sequence[Table],
    fonts: FontSet,
    *,
    branch_name: str,
    language: str = "zh",
    policy: SlaPolicy | None = None,
) -> bytes:
    zh = language == "zh"
    policy = policy or SlaPolicy()
    styles = Styles(fonts, base_size=9)
    buf = io.BytesIO()
    scope = (
        ("全营业厅" if zh else "Whole branch")
        if summary.scope == "branch"
        else (f"柜台 {summary.workstation_code}" if zh else f"Counter {summary.workstation_code}")
    )
    title = f"{'营业日报' if zh else 'Daily summary'} {summary.period_label}"
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=title,
        author="frontdesk",
        creator="frontdesk",
        invariant=1,
    )
    width = doc.width
    generated = local_time(summary.generated_at).strftime("%Y-%m-%d %H:%M")
    story: list[object] = [
        styles.p(title, 16, bold=True),
        Spacer(1, 2),
        styles.p(
            f"{branch_name}（{summary.branch_code}） · {scope} · "
            f"{'生成于' if zh else 'generated'} {generated}",
            9,
        ),
        Spacer(1, 4),
    ]
    for note in summary.notes:
        story += [styles.p(note, 8, color=colors.HexColor("#B03A2E")), Spacer(1, 2)]
    overview = tables[0]
    pairs = [
        (str(row[0]), format_cell(row[1], overview.kind(r, 1)))
        for r, row in enumerate(overview.rows)
    ]
    half = (len(pairs) + 1) // 2
    grid = []
    for i in range(half):
        left = pairs[i]
        right = pairs[i + half] if i + half < len(pairs) else ("", "")
        grid.append(
            [
                _cell(styles, left[0], align="left"),
                _cell(styles, left[1], align="right"),
                _cell(styles, right[0], align="left"),
                _cell(styles, right[1], align="right"),
            ]
        )
    ov = RlTable(grid, colWidths=[width * 0.3, width * 0.2, width * 0.3, width * 0.2])
    ov.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "Helvetica", 8.5),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("ALIGN", (3, 0), (3, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#C8CED6")),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    story += [ov, Spacer(1, 8)]
    chart_w = (width - 12) / 2
    charts = RlTable(
        [
            [hourly_chart(summary, fonts, chart_w, 130), mix_chart(summary, fonts, chart_w, 130)],
            [sla_chart(summary, policy, fonts, chart_w, 110), ""],
        ],
        colWidths=[chart_w + 6, chart_w + 6],
    )
    charts.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [charts, Spacer(1, 8)]
    for table in tables[1:]:
        part = _table_flowable(styles, table, width, language)
        story += part if isinstance(part, list) else [part]

    def footer(canvas: object, doc_: object) -> None:
        page = canvas.getPageNumber()  # type: ignore[attr-defined]
        draw_text(
            canvas,  # type: ignore[arg-type]
            fonts,
            A4[0] - 14 * mm,
            8 * mm,
            f"{summary.branch_code} · {summary.period_label} · 第 {page} 页",
            7,
            align="right",
            color=colors.grey,
        )

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
