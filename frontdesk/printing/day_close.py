"""The day-close slip (日结单), A4: what the counter took, what was counted, who signed.

It lists the expected takings by payment method, the counted cash and its difference,
each terminal (card, WeChat Pay, Alipay) reconciled against the figure the manager
read off it, the reason for any difference, the receipts used, the voids and refunds,
and the clerk and the signing manager, with a signature line for each. An amendment
says 日结更正 and its sequence.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from ..core.money import format_fen
from .common import GREY, RED, RULE, Styles, fmt_datetime
from .fonts import FontSet
from .views import BranchInfo

__all__ = ["DayCloseData", "render_day_close"]


@dataclass(frozen=True)
class DayCloseData:
    branch: BranchInfo
    number: str
    day: dt.date
    kind: str  # close | amendment
    seq: int
    closed_at: dt.datetime  # local time
    expected: tuple[tuple[str, int], ...]  # (method label, fen)
    takings_fen: int
    counted_cash_fen: int
    difference_fen: int
    reason: str | None
    terminals: tuple[tuple[str, int, int, int], ...]  # (label, expected, terminal, diff)
    receipts: str
    corrections: tuple[str, ...]
    clerk: str
    manager: str
    reprint_at: dt.datetime | None = None  # local time of a 补打 copy


def _grid(rows: list[list[object]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths)
    table.hAlign = "LEFT"
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _word(diff: int) -> str:
    return "相符" if diff == 0 else ("长款" if diff > 0 else "短款")


def render_day_close(data: DayCloseData, fonts: FontSet) -> bytes:
    from reportlab.platypus import SimpleDocTemplate

    st = Styles(fonts)
    buf = io.BytesIO()
    margin = 20 * mm
    width = A4[0] - 2 * margin - 12
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=18 * mm,
        bottomMargin=16 * mm,
        title=f"日结单 {data.number}",
        author=data.branch.name,
        subject="日结单",
        creator="frontdesk",
        invariant=1,
    )
    title = "日结单" if data.kind == "close" else f"日结更正单（第 {data.seq} 次）"
    story: list[object] = [
        st.p(data.branch.name, 11, align="center"),
        st.p(title, 20, align="center", bold=True),
        Spacer(1, 3 * mm),
    ]
    head = [
        ("单号", data.number),
        ("营业日", data.day.isoformat()),
        ("柜台", f"{data.branch.code} / {data.branch.workstation_code}"),
        ("日结时间", fmt_datetime(data.closed_at)),
        ("收据", data.receipts),
    ]
    label_w = 30 * mm
    story.append(
        _grid([[st.p(k, 10, color=GREY), st.p(v, 10)] for k, v in head], [label_w, width - label_w])
    )
    story += [Spacer(1, 4 * mm), st.p("应收（按支付方式，已扣作废与退款）", 11, bold=True)]
    rows = [
        [st.p(label, 10), st.p(format_fen(fen), 10, align="right")] for label, fen in data.expected
    ]
    rows.append(
        [
            st.p("实收合计（不含余额）", 10, bold=True),
            st.p(format_fen(data.takings_fen), 10, align="right", bold=True),
        ]
    )
    story.append(_grid(rows, [width - 40 * mm, 40 * mm]))
    story += [Spacer(1, 4 * mm), st.p("现金", 11, bold=True)]
    expected_cash = data.counted_cash_fen - data.difference_fen
    cash = [
        ("应收现金", format_fen(expected_cash)),
        ("实点现金", format_fen(data.counted_cash_fen)),
        ("差异", f"{format_fen(data.difference_fen)}（{_word(data.difference_fen)}）"),
    ]
    story.append(
        _grid(
            [[st.p(k, 10), st.p(v, 10, align="right")] for k, v in cash],
            [width - 40 * mm, 40 * mm],
        )
    )
    story += [Spacer(1, 4 * mm), st.p("终端对账", 11, bold=True)]
    if data.terminals:
        rows = [
            [st.p(h, 10, bold=True) for h in ("支付方式", "应收", "终端结算", "差异")],
            *[
                [
                    st.p(label, 10),
                    st.p(format_fen(expected), 10, align="right"),
                    st.p(format_fen(terminal), 10, align="right"),
                    st.p(f"{format_fen(diff)}（{_word(diff)}）", 10, align="right"),
                ]
                for label, expected, terminal, diff in data.terminals
            ],
        ]
        story.append(_grid(rows, [width * 0.25] * 4))
    else:
        story.append(st.p("当日无银行卡、微信、支付宝收款。", 10, color=GREY))
    story += [
        Spacer(1, 4 * mm),
        st.p(f"差异原因：{data.reason or '无'}", 10),
        st.p("作废与退款：" + ("；".join(data.corrections) or "无"), 10),
        Spacer(1, 12 * mm),
        st.p(
            f"营业员：{data.clerk}　　签字：__________　　"
            f"签核经理：{data.manager}　　签字：__________",
            10,
        ),
    ]
    if data.reprint_at is not None:
        story.insert(
            2,
            st.p(
                f"补打（副本）  补打时间：{fmt_datetime(data.reprint_at)}",
                11,
                align="center",
                bold=True,
                color=RED,
            ),
        )
    doc.build(story)
    return buf.getvalue()
