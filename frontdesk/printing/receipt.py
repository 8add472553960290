"""The receipt (收据), in two layouts: 80 mm thermal roll and A4.

A receipt shows title, unique number, date, payer, payee (the branch), what was paid
for, the amount in figures and in 大写, the payment methods with their references, the
change given and the handler (DOMAIN.md "Receipts and invoices"). A reprint says 补打
with the time it was printed, so it can't pass for the original; a voided receipt
prints 作废 across it with the void's number and reason; a void or refund has its own
receipt naming the original — a void's is a red-letter reversal (红字冲正: 冲正 across
it, the amounts in red), never a second 作废. The change given (找零) is printed once,
on its own row. The thermal layout's page is exactly as long as its
content, as roll printers expect.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, SimpleDocTemplate, Spacer, Table, TableStyle

from ..core.money import chinese_capital, format_fen
from .common import GREY, INK, RED, RULE, Styles, fmt_datetime, overlay_marks
from .fonts import FontSet
from .views import PaymentLine, ReceiptData

__all__ = ["THERMAL_WIDTH", "render_receipt", "render_receipt_a4", "render_receipt_thermal"]

THERMAL_WIDTH = 80 * mm
THERMAL_MARGIN = 4 * mm
FRAME_PADDING = 12  # SimpleDocTemplate's frame pads 6 pt on each side


def _void_lines(data: ReceiptData) -> list[str]:
    """The red lines of a voided original (作废) or of the void's own receipt, which is
    a red-letter reversal (红字冲正) of the original, not a second voided receipt."""
    if data.voided_by_receipt_no:
        return [
            f"已作废  冲正收据号：{data.voided_by_receipt_no}",
            f"作废原因：{data.void_reason or ''}",
        ]
    if data.kind == "void":
        return [
            f"红字冲正  冲正原收据号：{data.original_receipt_no or ''}",
            f"冲正原因：{data.reason or ''}",
        ]
    return []


def _watermark(data: ReceiptData) -> str:
    return "冲正" if data.kind == "void" and not data.voided_by_receipt_no else "作废"


def _amount_colour(data: ReceiptData) -> Color:
    """Red letters (红字) for the amounts of a reversal or a refund: money going back."""
    return RED if data.kind in ("void", "refund") else INK


def _payment_detail(p: PaymentLine) -> str:
    """The reference under a payment; cash shows what was tendered, the 找零 row the change."""
    if p.method == "cash" and p.tendered_fen != p.amount_fen:
        return f"实收 {format_fen(p.tendered_fen)}"
    return p.detail


def _total_label(data: ReceiptData) -> str:
    if data.kind == "refund":
        return "退款合计"
    if data.kind == "void":
        return "冲正合计"
    return "合计"


def _story(data: ReceiptData, st: Styles, *, width: float, small: bool) -> list[Flowable]:
    size = 8 if small else 10
    title_size = 14 if small else 20
    story: list[Flowable] = [
        st.p(data.branch.name, size + 1, align="center"),
        st.p(data.title, title_size, align="center", bold=True),
        Spacer(1, 2 * mm),
    ]
    head = [
        ("收据号", data.receipt_no),
        ("受理单号", data.slip_no),
        ("日期", fmt_datetime(data.issued_at)),
    ]
    if data.payer:
        head.append(("交款人", data.payer))
    head.append(("收款单位", f"{data.branch.name}（{data.branch.code}）"))
    if data.original_receipt_no:
        head.append(("原收据号", data.original_receipt_no))
    if data.reason and data.kind != "sale":
        head.append(("原因", data.reason))
    label_w = 16 * mm if small else 24 * mm
    rows = [[st.p(k, size, color=GREY), st.p(v, size)] for k, v in head]
    info = Table(rows, colWidths=[label_w, width - label_w])
    _left(info)
    info.setStyle(_tight(small))
    story += [info, _rule(width)]

    item_rows = [[st.p("项目", size, bold=True), st.p("金额", size, align="right", bold=True)]]
    ink = _amount_colour(data)
    for line in data.lines:
        name = line.name + (f"（{line.service_number}）" if line.service_number else "")
        item_rows.append(
            [st.p(name, size), st.p(format_fen(line.amount_fen), size, align="right", color=ink)]
        )
    amount_w = 22 * mm if small else 40 * mm
    items = Table(item_rows, colWidths=[width - amount_w, amount_w])
    _left(items)
    items.setStyle(_tight(small, grid=not small))
    story += [items, _rule(width)]

    total = [
        [
            st.p(_total_label(data), size + 1, bold=True),
            st.p(format_fen(data.total_fen), size + 1, align="right", bold=True, color=ink),
        ],
    ]
    totals = Table(total, colWidths=[width - amount_w, amount_w])
    _left(totals)
    totals.setStyle(_tight(small))
    story += [totals, st.p(f"大写：{chinese_capital(data.total_fen)}", size, bold=True, color=ink)]

    pay_rows = []
    for p in data.payments:
        pay_rows.append(
            [st.p(p.method_name, size), st.p(format_fen(p.amount_fen), size, align="right")]
        )
        detail = _payment_detail(p)
        if detail:
            pay_rows.append([st.p(detail, size - 1, color=GREY), st.p("", size)])
    if data.change_fen:
        pay_rows.append(
            [st.p("找零", size), st.p(format_fen(data.change_fen), size, align="right")]
        )
    if pay_rows:
        pays = Table(pay_rows, colWidths=[width - amount_w, amount_w])
        _left(pays)
        pays.setStyle(_tight(small))
        story += [_rule(width), st.p("支付方式", size, bold=True), pays]

    story += [
        _rule(width),
        st.p(f"收款人：{data.cashier_name}", size),
        st.p(f"营业厅：{data.branch.name}  台席 {data.branch.workstation_code}", size),
    ]
    if data.branch.address:
        story.append(st.p(f"地址：{data.branch.address}", size - 1, color=GREY))
    if data.branch.phone:
        story.append(st.p(f"电话：{data.branch.phone}", size - 1, color=GREY))
    if data.reprint_at is not None:
        story.append(
            st.p(
                f"补打（副本）  补打时间：{fmt_datetime(data.reprint_at)}",
                size,
                bold=True,
                color=RED,
            )
        )
    for line in _void_lines(data):
        story.append(st.p(line, size, bold=True, color=RED))
    story.append(st.p("本收据为交款凭证，请妥善保管。", size - 1, align="center", color=GREY))
    return story


def _left(table: Table) -> Table:
    table.hAlign = "LEFT"  # flush with the paragraphs around it
    return table


def _tight(small: bool, *, grid: bool = False) -> TableStyle:
    pad = 1 if small else 3
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0 if small else 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0 if small else 4),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
    ]
    if grid:
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, RULE))
    return TableStyle(commands)


def _rule(width: float) -> HRFlowable:
    return HRFlowable(
        width=width, thickness=0.6, color=RULE, dash=(2, 2), spaceBefore=2, spaceAfter=2
    )


def _meta(data: ReceiptData) -> dict[str, object]:
    return {
        "title": f"{data.title} {data.receipt_no}",
        "author": data.branch.name,
        "subject": "收据",
        "creator": "frontdesk",
        "invariant": 1,
    }


def render_receipt_a4(data: ReceiptData, fonts: FontSet) -> bytes:
    st = Styles(fonts)
    buf = io.BytesIO()
    margin = 20 * mm
    width = A4[0] - 2 * margin - FRAME_PADDING
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=18 * mm,
        bottomMargin=16 * mm,
        **_meta(data),
    )
    overlay = overlay_marks(
        fonts,
        void_text=_void_lines(data),
        reprint_at=data.reprint_at,
        footer=f"{data.branch.name} · {data.receipt_no}",
        watermark_text=_watermark(data),
    )
    doc.build(_story(data, st, width=width, small=False), onFirstPage=overlay, onLaterPages=overlay)
    return buf.getvalue()


def _height(story: Sequence[Flowable], width: float) -> float:
    total = 0.0
    for flowable in story:
        _, h = flowable.wrap(width, 10_000)
        total += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def render_receipt_thermal(data: ReceiptData, fonts: FontSet) -> bytes:
    """80 mm roll: 72 mm printable, page height = content height (+ margins)."""
    st = Styles(fonts, base_size=8)
    width = THERMAL_WIDTH - 2 * THERMAL_MARGIN - FRAME_PADDING
    story = _story(data, st, width=width, small=True)
    height = _height(story, width) + 2 * THERMAL_MARGIN + 14 * mm
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=(THERMAL_WIDTH, height),
        leftMargin=THERMAL_MARGIN,
        rightMargin=THERMAL_MARGIN,
        topMargin=THERMAL_MARGIN + 6 * mm,
        bottomMargin=THERMAL_MARGIN,
        **_meta(data),
    )
    overlay = overlay_marks(
        fonts,
        watermark=bool(_void_lines(data)),
        reprint_at=data.reprint_at,
        big=False,
        watermark_text=_watermark(data),
    )
    doc.build(story, onFirstPage=overlay, onLaterPages=overlay)
    return buf.getvalue()


def render_receipt(data: ReceiptData, fonts: FontSet, variant: str = "a4") -> bytes:
    if variant == "a4":
        return render_receipt_a4(data, fonts)
    if variant == "thermal80":
        return render_receipt_thermal(data, fonts)
    raise ValueError(f"unknown receipt layout {variant!r} (a4 | thermal80)")
