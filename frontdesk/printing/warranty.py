"""The warranty card (保修卡 / 三包凭证), A5 landscape.

DOMAIN.md's required fields: customer name, contact phone (masked here: the card
travels with the handset), purchase date, the S/N barcode (粘贴S/N条码 — printed as
Code 128 beside the text, so a repair desk can scan it), invoice number, amount,
warranty periods and the branch's sales stamp. The card is rendered from a plain
:class:`WarrantyCardData`, so the after-sales issue only has to supply the data.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from ..core.money import chinese_capital, format_fen
from ..core.warranty import DAY_COUNTING_RULE_ZH, period_end
from .barcodes import code128
from .common import GREY, RULE, Styles, image_reader, overlay_marks
from .fonts import FontSet
from .views import WarrantyCardData

__all__ = ["render_warranty_card"]

PAGE = landscape(A5)
MARGIN = 10 * mm
SERIAL_NAMES = {"imei": "IMEI", "meid": "MEID", "sn": "S/N"}


def _grid() -> TableStyle:
    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
    )


def render_warranty_card(data: WarrantyCardData, fonts: FontSet) -> bytes:
    st = Styles(fonts, base_size=9)
    return_until = period_end(data.purchase_date, days=data.return_days)
    exchange_until = period_end(data.purchase_date, days=data.exchange_days)
    serial_name = SERIAL_NAMES.get(data.serial_kind, data.serial_kind.upper())
    barcode = code128(data.serial, bar_height=11 * mm)

    def row(k1: str, v1: str, k2: str, v2: str) -> list:
        return [st.p(k1, color=GREY), st.p(v1), st.p(k2, color=GREY), st.p(v2)]

    rows = [
        row("保修卡号", data.card_no, "购机日期", data.purchase_date.isoformat()),
        row("客户姓名", data.customer_name, "联系电话", data.customer_phone_masked),
        row("品牌", data.brand, "型号", data.model),
        [
            st.p(f"机身串号（{serial_name}）", color=GREY),
            st.p(data.serial, 11, bold=True),
            barcode,
            "",
        ],
        row("发票号码", data.invoice_no or "—", "入网协议号", data.agreement_no or "—"),
        row(
            "金额",
            f"{format_fen(data.amount_fen)}（{chinese_capital(data.amount_fen)}）",
            "进网标志扰码号",
            data.access_label_code or "—",
        ),
    ]
    if data.customer_address:
        rows.append([st.p("客户地址", color=GREY), st.p(data.customer_address), "", ""])
    for acc in data.accessory_serials:
        rows.append([st.p(acc.label, color=GREY), st.p(acc.value), "", ""])
    table = Table(rows, colWidths=[30 * mm, 68 * mm, 26 * mm, None])
    style = _grid()
    style.add("SPAN", (2, 3), (3, 3))
    for i in range(6, len(rows)):
        style.add("SPAN", (1, i), (3, i))
    table.setStyle(style)

    period_cells = [
        [st.p("保修项目", bold=True), st.p("保修期", bold=True), st.p("保修至", bold=True)]
    ]
    for period in data.periods:
        period_cells.append(
            [st.p(period.part_name), st.p(f"{period.months} 个月"), st.p(period.until.isoformat())]
        )
    periods = Table(period_cells, colWidths=[40 * mm, 26 * mm, 30 * mm])
    periods.setStyle(_grid())
    seller = [
        st.p("销售单位（盖章）", color=GREY),
        st.p(data.branch.name, 10, bold=True),
        st.p(f"营业员：{data.clerk_name}"),
    ]
    if data.branch.address:
        seller.append(st.p(f"地址：{data.branch.address}", 8))
    if data.branch.phone:
        seller.append(st.p(f"电话：{data.branch.phone}", 8))
    bottom = Table([[periods, seller]], colWidths=[100 * mm, None])
    bottom.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )

    story = [
        st.p("移动电话机商品三包凭证  保修卡", 15, align="center", bold=True),
        Spacer(1, 2 * mm),
        table,
        Spacer(1, 2 * mm),
        bottom,
        Spacer(1, 1.5 * mm),
        st.p(
            f"购机后 {data.return_days} 日内（至 {return_until.isoformat()}）出现性能故障，"
            "可选择退货、换货或修理；"
            f"{data.exchange_days} 日内（至 {exchange_until.isoformat()}）可选择换货或修理；"
            "此后在三包有效期内免费修理，维修占用时间顺延。请妥善保管本卡及发票。",
            7.5,
            color=GREY,
        ),
        st.p(DAY_COUNTING_RULE_ZH, 7, color=GREY),
    ]
    stamp = data.stamp_png

    def on_page(canvas: Canvas, doc: object) -> None:
        overlay_marks(fonts, reprint_at=data.reprint_at, big=False)(canvas, doc)
        if stamp:
            size = 32 * mm  # over "销售单位（盖章）", where a clerk would press the seal
            x = MARGIN + 118 * mm
            y = PAGE[1] - MARGIN - 96 * mm
            canvas.drawImage(image_reader(stamp), x, y, size, size, mask="auto")

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"保修卡 {data.card_no}",
        author=data.branch.name,
        subject="保修卡",
        creator="frontdesk",
        invariant=1,
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()
