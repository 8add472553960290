"""The acceptance slip (业务受理单), A4: every business of one visit on one slip (一单清).

The slip is what the customer signs (免填单: the clerk fills in, the customer only
signs), so it carries everything agreed: who (customer with masked ID, agent, unit),
where and by whom (branch, counter, clerk), each business with the data collected and
the catalogue's terms, fees and payments, and a QR code holding the slip number and
its verification code, so the paper can later be checked against the archive. A
paperless signature is drawn into the signature box, with how it was given.
"""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Image as RLImage
from reportlab.platypus import (
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ..core.money import chinese_capital, format_fen
from .barcodes import qr_code, slip_qr_payload
from .common import GREY, RED, RULE, Styles, fmt_datetime, overlay_marks
from .fonts import FontSet
from .views import PARTY_FIELD_LABELS, SlipData

__all__ = ["render_slip"]

MARGIN = 14 * mm
CONTENT_WIDTH = A4[0] - 2 * MARGIN
GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
)


def _header(data: SlipData, st: Styles) -> Table:
    title = [
        st.p(data.branch.name, 10, align="center", color=GREY),
        st.p(data.title, 20, align="center", bold=True),
        st.p(f"受理单号：{data.slip_no}", 10, align="center"),
    ]
    qr = qr_code(slip_qr_payload(data.slip_no, data.verification_code), size=26 * mm)
    right = [qr, st.p(f"验证码 {data.verification_code}", 8, align="center")]
    table = Table([[Spacer(30 * mm, 1), title, right]], colWidths=[32 * mm, None, 32 * mm])
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (2, 0), (2, 0), "CENTER")])
    )
    return table


def _info(data: SlipData, st: Styles) -> Table:
    b = data.branch
    cells = [
        ("营业厅", f"{b.name}（{b.code}）"),
        ("受理台席", b.workstation_code),
        ("受理时间", fmt_datetime(data.settled_at)),
        ("营业员", data.clerk_name),
    ]
    if data.ticket_no:
        cells.append(("排队号", data.ticket_no))
    if data.unit_name:
        cells += [("单位名称", data.unit_name), ("统一社会信用代码", data.unit_credit_code or "")]
    if data.customer_name:
        cells += [("客户名称", data.customer_name), ("证件号码", data.customer_id_masked or "")]
    if data.agent_name:
        who = "单位经办人" if data.unit_name else "代办人"
        cells += [(who, data.agent_name), (f"{who}证件", data.agent_id_masked or "")]
    if data.original_slip_no:
        cells.append(("原受理单号", data.original_slip_no))
    if data.reason:
        cells.append(("原因", data.reason))
    if len(cells) % 2:
        cells.append(("", ""))
    rows = []
    for i in range(0, len(cells), 2):
        (k1, v1), (k2, v2) = cells[i], cells[i + 1]
        rows.append([st.p(k1, color=GREY), st.p(v1), st.p(k2, color=GREY), st.p(v2)])
    table = Table(rows, colWidths=[24 * mm, 67 * mm, 28 * mm, None])
    table.setStyle(GRID)
    return table


def _lines(data: SlipData, st: Styles) -> Table:
    rows = [[st.p(h, bold=True) for h in ("序号", "业务", "服务号码", "受理内容", "费用")]]
    for line in data.lines:
        detail = "\n".join(f"{f.label}：{f.value}" for f in line.fields) or "—"
        fee = format_fen(line.fee_fen)
        if line.waiver_reason is not None:
            fee += f"\n原价 {format_fen(line.list_fee_fen)}\n减免：{line.waiver_reason}"
        rows.append(
            [
                st.p(str(line.line_no), align="center"),
                st.p(line.business_name),
                st.p(line.service_number or "—"),
                st.p(detail, 9),
                st.p(fee, align="right"),
            ]
        )
    table = Table(rows, colWidths=[11 * mm, 30 * mm, 28 * mm, None, 27 * mm], repeatRows=1)
    style = TableStyle(
        [*GRID.getCommands(), ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.93, 0.93))]
    )
    table.setStyle(style)
    return table


def _totals(data: SlipData, st: Styles) -> Table:
    label = "合计" if data.total_fen >= 0 else "合计（退还客户）"
    rows = [
        [
            st.p(label, bold=True),
            st.p(
                f"{format_fen(data.total_fen)}    大写：{chinese_capital(data.total_fen)}",
                10.5,
                bold=True,
            ),
        ],
    ]
    for p in data.payments:
        text = f"{p.method_name}  {format_fen(p.amount_fen)}"
        if p.detail:
            text += f"  （{p.detail}）"
        rows.append([st.p("支付", color=GREY), st.p(text)])
    if data.change_fen:
        rows.append([st.p("找零", color=GREY), st.p(format_fen(data.change_fen))])
    table = Table(rows, colWidths=[24 * mm, None])
    table.setStyle(GRID)
    return table


#: 涉诈风险告知书 (Anti-Telecom-Fraud Law 2022), printed on every 入网/过户 slip and signed
#: with it (on paper, or paperless on the signature pad); archived with the slip PDF.
FRAUD_NOTICE_TEXT = (
    "根据《中华人民共和国反电信网络诈骗法》，本人已知悉：电话卡仅限本人（或本单位）依法使用，"
    "不得出租、出借、转让或出售；不得为他人实施电信网络诈骗提供支持或帮助；违反者将承担相应"
    "法律责任，运营商可依法限制、暂停有关电话卡功能。对涉诈异常电话卡，运营商将要求重新实名核验"
    "（二次实人认证），核验前暂停办理业务。"
)


def _terms(data: SlipData, st: Styles) -> list:
    out: list = [st.p("业务条款", 10.5, bold=True)]
    for line in data.lines:
        if line.terms:
            out.append(st.p(f"{line.line_no}. {line.business_name}：{line.terms}", 8.5))
    out.append(
        st.p(
            "客户（经办人）确认：以上业务信息由营业员根据本人要求代为录入，本人已核对无误，"
            "并已阅读、理解和同意上述业务条款。",
            8.5,
        )
    )
    if any(f.label == PARTY_FIELD_LABELS["fraud_notice"] for ln in data.lines for f in ln.fields):
        out.append(st.p("涉诈风险告知书", 10.5, bold=True))
        out.append(st.p(FRAUD_NOTICE_TEXT, 8.5))
    if data.recheck_required:
        out.append(
            st.p(
                "注：本单部分办理条件依据本地缓存资料判断，将由总部复核，如有异议营业厅将与您联系。",
                8.5,
                color=RED,
            )
        )
    return out


def _signature(data: SlipData, st: Styles) -> Table:
    sig = data.signature
    if sig is not None and sig.image_png:
        image = RLImage(
            io.BytesIO(sig.image_png), width=60 * mm, height=20 * mm, kind="proportional"
        )
        box = [image]
    else:
        box = [Spacer(1, 20 * mm)]
    who = "经办人" if data.agent_name else "客户"
    how = (
        f"签署方式：{sig.method_name}  {fmt_datetime(sig.signed_at)}"
        if sig
        else "签署方式：纸质签字"
    )
    left = [
        st.p(f"{who}签名："),
        *box,
        st.p(how, 8, color=GREY),
        st.p("日期：________年____月____日" if not sig else "", 9),
    ]
    right = [
        st.p("营业员："),
        st.p(data.clerk_name, 11),
        Spacer(1, 10 * mm),
        st.p(f"{data.branch.name}（业务专用章）", 8, color=GREY),
    ]
    table = Table([[left, right]], colWidths=[CONTENT_WIDTH * 0.6, None])
    table.setStyle(GRID)
    return table


def render_slip(data: SlipData, fonts: FontSet) -> bytes:
    """The slip as PDF bytes (A4, as many pages as the businesses need)."""
    st = Styles(fonts)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=12 * mm,
        bottomMargin=14 * mm,
        title=f"{data.title} {data.slip_no}",
        author=data.branch.name,
        subject="业务受理单",
        creator="frontdesk",
        invariant=1,
    )
    story = [
        _header(data, st),
        Spacer(1, 3 * mm),
        _info(data, st),
        Spacer(1, 3 * mm),
        _lines(data, st),
        Spacer(1, 2 * mm),
        _totals(data, st),
        Spacer(1, 3 * mm),
        *_terms(data, st),
        Spacer(1, 3 * mm),
        KeepTogether([_signature(data, st)]),
    ]
    void_text = (
        [f"已作废  作废单号：{data.voided_by_slip_no}", f"作废原因：{data.void_reason or ''}"]
        if data.voided_by_slip_no
        else []
    )
    overlay = overlay_marks(
        fonts,
        void_text=void_text,
        reprint_at=data.reprint_at,
        footer=f"{data.branch.name} · {data.slip_no}",
    )
    doc.build(story, onFirstPage=overlay, onLaterPages=overlay)
    return buf.getvalue()
