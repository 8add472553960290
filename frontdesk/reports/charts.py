"""Charts of the summary PDF (reportlab.graphics): hourly visits, business mix, SLA share.

Labels go through :class:`~frontdesk.printing.fonts.FontSet` runs like every printed
text: the embedded CJK font has no Latin glyphs, so digits and Latin letters are drawn
in Helvetica beside it (:func:`label`), never as empty boxes.
"""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Group, Rect, String
from reportlab.lib import colors

from ..core.reports import DaySummary, SlaPolicy
from ..printing.fonts import FontSet

PALETTE = [
    colors.HexColor(c)
    for c in ("#2F6DB5", "#E07B39", "#3A9E5C", "#C0392B", "#8E6BB8", "#C9A227", "#7F8C8D")
]
GOOD = colors.HexColor("#3A9E5C")
BAD = colors.HexColor("#C0392B")
TRACK = colors.HexColor("#E5E8EC")


def label(
    fonts: FontSet,
    x: float,
    y: float,
    text: str,
    size: float = 8,
    *,
    anchor: str = "start",
    color: colors.Color = colors.black,
) -> Group:
    """Mixed CJK/Latin text as String runs; ``anchor`` start | middle | end."""
    width = fonts.width(text, size)
    if anchor == "middle":
        x -= width / 2
    elif anchor == "end":
        x -= width
    group = Group()
    for font, run in fonts.runs(text):
        group.add(String(x, y, run, fontName=font, fontSize=size, fillColor=color))
        x += fonts.width(run, size)
    return group


def hourly_chart(summary: DaySummary, fonts: FontSet, width: float, height: float) -> Drawing:
    """Visits by hour of arrival over the opening hours that saw visitors."""
    d = Drawing(width, height)
    d.add(label(fonts, 0, height - 11, "分时接待量", 9))
    used = [h for h, n in enumerate(summary.hourly) if n]
    first, last = (min(used), max(used)) if used else (8, 18)
    hours = list(range(first, last + 1))
    chart = VerticalBarChart()
    chart.x, chart.y = 28, 18
    chart.width, chart.height = width - 36, height - 40
    chart.data = [[summary.hourly[h] for h in hours]]
    chart.categoryAxis.categoryNames = [str(h) for h in hours]
    chart.categoryAxis.labels.fontName = fonts.latin
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = fonts.latin
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.forceZero = True
    peak = max(summary.hourly) if any(summary.hourly) else 1
    chart.valueAxis.valueMax = max(1, peak)
    chart.valueAxis.valueStep = max(1, -(-peak // 4))
    chart.bars[0].fillColor = PALETTE[0]
    chart.bars[0].strokeColor = None
    chart.barSpacing = 1
    d.add(chart)
    d.add(label(fonts, width - 2, 2, "时", 7, anchor="end", color=colors.grey))
    return d


def mix_chart(summary: DaySummary, fonts: FontSet, width: float, height: float) -> Drawing:
    """Business mix by net count: the six largest businesses and the rest as 其他."""
    d = Drawing(width, height)
    d.add(label(fonts, 0, height - 11, "业务构成", 9))
    lines = [b for b in summary.businesses if b.net_count > 0]
    top = lines[:6]
    rest = sum(b.net_count for b in lines[6:])
    parts = [(b.name, b.net_count) for b in top] + ([("其他", rest)] if rest else [])
    if not parts:
        d.add(label(fonts, width / 2, height / 2, "（无业务）", 9, anchor="middle"))
        return d
    size = min(height - 26, width * 0.42)
    pie = Pie()
    pie.x, pie.y = 4, (height - 14 - size) / 2
    pie.width = pie.height = size
    pie.data = [n for _, n in parts]
    pie.labels = None
    pie.simpleLabels = 1
    pie.slices.strokeColor = colors.white
    pie.slices.strokeWidth = 0.5
    for i in range(len(parts)):
        pie.slices[i].fillColor = PALETTE[i % len(PALETTE)]
    d.add(pie)
    total = sum(n for _, n in parts)
    x0 = size + 14
    y = height - 26
    step = min(13.0, (height - 24) / max(1, len(parts)))
    for i, (name, n) in enumerate(parts):
        d.add(Rect(x0, y, 7, 7, fillColor=PALETTE[i % len(PALETTE)], strokeColor=None))
        d.add(label(fonts, x0 + 10, y, f"{name} {n} ({n * 100 / total:.0f}%)", 7))
        y -= step
    return d


def sla_chart(
    summary: DaySummary, policy: SlaPolicy, fonts: FontSet, width: float, height: float
) -> Drawing:
    """Share within the SLA: waiting, handling and each VIP tier, as 0–100 % bars."""
    d = Drawing(width, height)
    d.add(label(fonts, 0, height - 11, "服务时限达标率", 9))
    rows = [
        (f"等候≤{policy.waiting_standard_minutes}分", summary.waiting),
        (f"办理≤{policy.handling_minutes_per_business}分/项", summary.handling),
    ] + [
        (f"{policy.tier_label(t.tier)}≤{t.waiting_limit_minutes}分", t.waiting)
        for t in summary.tiers
    ]
    left, right = 78, 34
    bar_w = width - left - right
    step = min(18.0, (height - 22) / max(1, len(rows)))
    y = height - 22 - step * 0.6
    for text, stats in rows:
        d.add(label(fonts, left - 4, y + 1, text, 7.5, anchor="end"))
        d.add(Rect(left, y - 1, bar_w, 9, fillColor=TRACK, strokeColor=None))
        share = stats.within_share
        if share is not None:
            colour = GOOD if share >= 0.9 else BAD
            d.add(Rect(left, y - 1, bar_w * share, 9, fillColor=colour, strokeColor=None))
            value = f"{share * 100:.1f}%"
        else:
            value = "—"
        d.add(label(fonts, width - 2, y + 1, value, 7.5, anchor="end"))
        y -= step
    return d
