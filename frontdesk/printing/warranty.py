"""The warranty card (保修卡 / 三包凭证), A5 landscape.

DOMAIN.md's 三包凭证 fields: customer name, address, post code and contact phone
(masked here: the card travels with the handset), purchase date, brand, model, the S/N
barcode (粘贴S/N条码 — printed as Code 128 beside the text, so a repair desk can scan
it), origin (产地), 进网标志扰码号, invoice / agreement number, amount, accessory models
and serials, warranty periods, the seller's name, address, post code and phone with
the branch's sales seal (laid out in its own cell, so it never covers the terms), the
7/15-day windows with their last days and the day-counting rule, and the repair log.
After an exchange the new card names the replaced device and card, and the old card,
reprinted, says 已换货 with the new card's number. The card is rendered from a plain
:class:`WarrantyCardData`, so the after-sales issue only has to supply the data.
"""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Image, SimpleDocTemplate, Spacer, Table, TableStyle

from ..core.money import chinese_capital, format_fen
from ..core.warranty import DAY_COUNTING_RULE_ZH, period_end
from .barcodes import code128
from .common import GREY, INK, RED, RULE, Styles, overlay_marks
from .fonts import FontSet
from .views import WarrantyCardData

__all__ = ["render_warranty_card"]

PAGE = landscape(A5)
MARGIN = 8 * mm
SERIAL_NAMES = {"imei": "IMEI", "meid": "MEID", "sn": "S/N"}
STAMP_SIZE = 26 * mm


def _grid() -> TableStyle:
    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 1.2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
        ]
    )


def render_warranty_card(data: WarrantyCardData, fonts: FontSet) -> bytes:
    st = Styles(fonts, base_size=8.5)
    return_until = period_end(data.purchase_date, days=data.return_days)
    exchange_until = period_end(data.purchase_date, days=data.exchange_days)
    serial_name = SERIAL_NAMES.get(data.serial_kind, data.serial_kind.upper())
    barcode = code128(data.serial, bar_height=8 * mm)

    def row(k1: str, v1: str, k2: str, v2: str) -> list:
        return [st.p(k1, color=GREY), st.p(v1), st.p(k2, color=GREY), st.p(v2)]

    def wide(key: str, value: str, *, color: Color | None = None, bold: bool = False) -> list:
        return [
            st.p(key, color=color or GREY, bold=bold),
            st.p(value, color=color or INK, bold=bold),
            "",
            "",
        ]

    rows = [
        row("保修卡号", data.card_no, "购机日期", data.purchase_date.isoformat()),
        row("客户姓名", data.customer_name, "联系电话", data.customer_phone_masked),
        row("客户地址", data.customer_address or "—", "邮政编码", data.customer_postcode or "—"),
        row("品牌", data.brand, "型号", data.model),
        [
            st.p(f"机身串号（{serial_name}）", color=GREY),
            st.p(data.serial, 11, bold=True),
            barcode,
            "",
        ],
        row(
            "金额",
            f"{format_fen(data.amount_fen)}（{chinese_capital(data.amount_fen)}）",
            "产地",
            data.origin or "—",
        ),
        row("发票号码", data.invoice_no or "—", "入网协议号", data.agreement_no or "—"),
        row(
            "进网标志扰码号",
            data.access_label_code or "—",
            "配件型号",
            data.accessory_models or "—",
        ),
    ]
    rows += [wide(acc.label, acc.value) for acc in data.accessory_serials]
    if data.exchanged_from is not None:
        link = data.exchanged_from
        rows.append(
            wide(
                "换货记录",
                f"{link.on.isoformat()} 换货发出：换下原机串号 {link.serial}，"
                f"原保修卡号 {link.card_no}；三包有效期自换货之日起重新计算",
                color=RED,
            )
        )
    if data.exchanged_to is not None:
        link = data.exchanged_to
        rows.append(
            wide(
                "已换货",
                f"{link.on.isoformat()} 已换货：新机串号 {link.serial}，"
                f"新保修卡号 {link.card_no}；本卡不再享受三包，以新保修卡为准",
                color=RED,
                bold=True,
            )
        )
    if data.closed_note:
        rows.append(wide("状态", data.closed_note, color=RED, bold=True))
    table = Table(rows, colWidths=[26 * mm, 72 * mm, 24 * mm, None])
    style = _grid()
    style.add("SPAN", (2, 4), (3, 4))
    for i in range(8, len(rows)):
        style.add("SPAN", (1, i), (3, i))
    table.setStyle(style)

    period_cells = [
        [st.p("保修项目", bold=True), st.p("保修期", bold=True), st.p("保修至", bold=True)]
    ]
    extra = data.repair_days
    for period in data.periods:
        until = period.until.isoformat()
        if extra:  # a 补打 after repairs: the periods run on by the days in repair
            later = period.until + dt.timedelta(days=extra)
            until = f"{later.isoformat()}（含维修 {extra} 天）"
        period_cells.append([st.p(period.part_name), st.p(f"{period.months} 个月"), st.p(until)])
    periods = Table(period_cells, colWidths=[30 * mm, 18 * mm, 46 * mm])
    periods.setStyle(_grid())
    seller = [
        st.p("销售单位（盖章）", color=GREY),
        st.p(data.branch.name, 9.5, bold=True),
        st.p(f"营业员：{data.clerk_name}", 8),
    ]
    if data.branch.address:
        seller.append(st.p(f"地址：{data.branch.address}", 7.5))
    if data.branch.postcode:
        seller.append(st.p(f"邮编：{data.branch.postcode}", 7.5))
    if data.branch.phone:
        seller.append(st.p(f"电话：{data.branch.phone}", 7.5))
    # the seal sits in its own cell beside the seller's name, where a clerk presses it:
    # it is laid out, not drawn over the page, so it can never cover the terms below
    seal: object = (
        Image(io.BytesIO(data.stamp_png), STAMP_SIZE, STAMP_SIZE)
        if data.stamp_png
        else Spacer(STAMP_SIZE, STAMP_SIZE)
    )
    seller_box = Table([[seller, seal]], colWidths=[None, STAMP_SIZE + 2 * mm])
    seller_box.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    bottom = Table([[periods, seller_box]], colWidths=[94 * mm, None])
    bottom.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
                ("LEFTPADDING", (1, 0), (1, 0), 4 * mm),
            ]
        )
    )

    story: list = [
        st.p("移动电话机商品三包凭证  保修卡", 13, align="center", bold=True),
        Spacer(1, 1 * mm),
        table,
        Spacer(1, 1 * mm),
        bottom,
        Spacer(1, 1 * mm),
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
    if data.repairs:
        story += [Spacer(1, 1 * mm), st.p("维修记录", 8.5, bold=True), _repair_log(data, st)]
    watermark = "已换货" if data.exchanged_to is not None else None

    def on_page(canvas: Canvas, doc: object) -> None:
        overlay_marks(
            fonts,
            reprint_at=data.reprint_at,
            big=False,
            watermark=watermark is not None,
            watermark_text=watermark or "作废",
        )(canvas, doc)

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


def _repair_log(data: WarrantyCardData, st: Styles) -> Table:
    """维修记录: date in, fault, cause, handling, date back, technician (DOMAIN.md)."""
    head = ["送修日期", "故障现象", "故障原因", "处理情况", "取机日期", "维修人员"]
    cells = [[st.p(h, 7.5, bold=True) for h in head]]
    for r in data.repairs:
        handling = r.handling or ""
        if r.fixed is False:
            handling = f"{handling}（未修复）" if handling else "未修复"
        back = r.handed_back.isoformat() if r.handed_back else "维修中"
        cells.append(
            [
                st.p(r.taken_in.isoformat(), 7.5),
                st.p(r.fault or "—", 7.5),
                st.p(r.cause or "—", 7.5),
                st.p(handling or "—", 7.5),
                st.p(back, 7.5),
                st.p(r.technician or "—", 7.5),
            ]
        )
    table = Table(
        cells, colWidths=[22 * mm, 40 * mm, 40 * mm, 44 * mm, 22 * mm, None], repeatRows=1
    )
    table.setStyle(_grid())
    return table
