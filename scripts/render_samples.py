"""Render one of each printed document for real demo visits, as PDFs and PNG screenshots.

    python scripts/render_samples.py [--out docs/screenshots] [--keep-pdf] [--dpi 110]

A throw-away workstation with the demo data settles the visits through the same
services the counter uses (new line + top-up paid by WeChat and cash, signed on the
pad; a top-up voided by the manager; a handset sale with its warranty card, reprinted
after two repairs; an exchange's new card and the old one reprinted), archives
the documents with DocumentService and turns page 1 of each into a PNG with poppler's
``pdftoppm`` (Debian ``poppler-utils``). Also redraws ``resources/stamps/default.png``
with ``--stamp``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from frontdesk.core.clock import BUSINESS_TZ, FixedClock  # noqa: E402
from frontdesk.core.serials import luhn_check_digit  # noqa: E402
from frontdesk.devices.face import SimulatedFaceComparer  # noqa: E402
from frontdesk.devices.id_reader import SimulatedIdCardReader, demo_card  # noqa: E402
from frontdesk.devices.signature_pad import SimulatedSignaturePad  # noqa: E402
from frontdesk.services.auth import AuthService, StaffSession  # noqa: E402
from frontdesk.services.corrections import CorrectionService  # noqa: E402
from frontdesk.services.demo import load_demo_data  # noqa: E402
from frontdesk.services.documents import DocumentRef, DocumentService  # noqa: E402
from frontdesk.services.intake import IntakeService, SettledSlip  # noqa: E402
from frontdesk.services.verification import VerificationService  # noqa: E402
from frontdesk.services.workstation import Workstation, initialise  # noqa: E402

SAMPLE_NOW = dt.datetime(2026, 11, 21, 9, 30, tzinfo=BUSINESS_TZ)
PNG_SCAN = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
IMEI_BODY = "86901234567890"


def sample_workstation(folder: Path) -> tuple[Workstation, StaffSession, AuthService]:
    ws = initialise(
        folder / "ws",
        branch_code="BJ0101",
        workstation_code="W01",
        branch_name="北京朝阳建国路营业厅",
        clock=FixedClock(SAMPLE_NOW),
    )
    # the seller's address, phone and post code print on the 三包凭证
    from frontdesk.config import load_config, write_config

    w = ws.config.workstation.model_copy(
        update={
            "branch_address": "北京市朝阳区建国路88号",
            "branch_phone": "010-65001234",
            "branch_postcode": "100022",
        }
    )
    write_config(ws.data_dir, ws.config.model_copy(update={"workstation": w}))
    ws.config = load_config(ws.data_dir)
    load_demo_data(ws)
    auth = AuthService(ws.db, ws.config.security, ws.clock)
    return ws, auth.sign_in("clerk01", "Counter2026"), auth


def verify(ws: Workstation, clerk: StaffSession, visit, person: str, *, face: bool) -> None:
    verifier = VerificationService(ws)
    today = ws.clock.now().astimezone(BUSINESS_TZ).date()
    card = demo_card(person, today=today)
    reader = SimulatedIdCardReader(card, today=today)
    reader.open()
    verifier.read_card(clerk, visit, reader, purpose="new_line" if face else "general")
    if face:
        verifier.compare_face(clerk, visit, SimulatedFaceComparer(), card.photo_bmp)
    else:
        verifier.confirm_photo(clerk, visit)
    verifier.attach_scan(clerk, visit, PNG_SCAN, "image/png")
    if face:
        verifier.check_number_limit(clerk, visit)


def settle_sale(ws: Workstation, clerk: StaffSession) -> SettledSlip:
    """New line + top-up for 张三, split WeChat/cash payment with change."""
    intake = IntakeService(ws)
    visit = intake.open_visit(clerk, ticket_no="A023")
    verify(ws, clerk, visit, "zhang_san", face=True)
    iccid_body = "8986011234567890123"
    intake.add_business(
        clerk,
        visit,
        "NEW_LINE",
        {
            "plan": "mob_59",
            "new_number": "13812345678",
            "sim_iccid": iccid_body + luhn_check_digit(iccid_body),
            "prepay_amount": "100",
        },
    )
    intake.add_business(
        clerk, visit, "TOP_UP", {"topup_amount": "150"}, service_number="13800138000"
    )
    intake.add_payment(clerk, visit, "wechat", 10_000, reference="4200001234202611210001")
    intake.add_payment(clerk, visit, "cash", 20_000)
    return intake.settle(clerk, visit)


def settle_top_up(ws: Workstation, clerk: StaffSession, amount: str = "50") -> SettledSlip:
    intake = IntakeService(ws)
    visit = intake.open_visit(clerk)
    intake.add_business(
        clerk, visit, "TOP_UP", {"topup_amount": amount}, service_number="13600136000"
    )
    intake.add_payment(clerk, visit, "cash", intake.view(visit).due_fen)
    return intake.settle(clerk, visit)


def warranty_card(ws: Workstation, clerk: StaffSession, body: str = IMEI_BODY):
    """A handset sale and the warranty card its settlement issued."""
    from frontdesk.services.warranty import WarrantyService

    imei = body + luhn_check_digit(body)
    intake = IntakeService(ws)
    visit = intake.open_visit(clerk)
    verify(ws, clerk, visit, "zhang_san", face=False)
    today = ws.clock.now().astimezone(BUSINESS_TZ).date()
    fields = {
        "brand": "华为",
        "model": "Mate 70 Pro",
        "device_serial": imei,
        "card_serial": imei,
        "price": "5999",
        "invoice_no": "11002611210001",
        "invoice_date": today.isoformat(),  # typed from the invoice itself
        "invoice_model": "Mate 70 Pro",
        "invoice_serial": imei,
        "invoice_amount": "5999",
        "sale_date": today.isoformat(),
        "origin": "中国广东东莞",
        "accessory_models": "电池 HB526489EEW, 充电器 HW-100400C00",
        "contact_postcode": "100022",
        "customer_name": "张三",
        "contact_phone": "13800138000",
        "contact_address": "北京市朝阳区建国路88号",
        "access_label_code": "CTA-2026-1234",
    }
    business = ws.catalogue.business("HANDSET_SALE")
    fields = {k: v for k, v in fields.items() if business.find_field(k) is not None}
    intake.add_business(clerk, visit, "HANDSET_SALE", fields)
    intake.add_payment(clerk, visit, "bank_card", 599_900, reference="POS123456")
    settled = intake.settle(clerk, visit)
    [card_id] = WarrantyService(ws).cards_of_slip(settled.slip_id)  # settling issued it
    return card_id


def render_all(folder: Path) -> dict[str, DocumentRef]:
    ws, clerk, auth = sample_workstation(folder)
    documents = DocumentService(ws)
    try:
        sale = settle_sale(ws, clerk)
        pad = SimulatedSignaturePad(seed=11)
        signature = pad.capture("请签名确认", 60)
        documents.record_signature(
            clerk, sale.slip_id, "pad", image_png=signature.png, device=signature.device
        )
        refs = documents.archive_settlement(sale.slip_id, receipt_variants=("a4", "thermal80"))
        top_up = settle_top_up(ws, clerk)
        documents.archive_settlement(top_up.slip_id)
        approval = auth.authorise(
            "manager01", "Manager2026", action="void", reason="充错号码", requested_by=clerk
        )
        void = CorrectionService(ws).void(clerk, top_up.slip_no, approval)
        void_refs = documents.archive_settlement(void.slip_id, receipt_variants=("a4",))
        void_80mm = documents.archive_settlement(void.slip_id, receipt_variants=("thermal80",))[1]
        card = documents.archive_warranty_card(warranty_card(ws, clerk))
        return {
            "slip": refs[0],
            "receipt_a4": refs[1],
            "receipt_80mm": refs[2],
            "void_receipt": void_refs[1],
            "void_receipt_80mm": void_80mm,
            "warranty_card": card,
            **after_sales(ws, clerk, auth, documents, card),
        }
    finally:
        ws.close()


def after_sales(ws, clerk, auth, documents, card) -> dict[str, DocumentRef]:
    """补打 of a card after two repairs; an exchange's new card and the old one, reprinted."""
    from frontdesk.services.warranty import WarrantyService

    warranty = WarrantyService(ws)
    day = SAMPLE_NOW.date()
    for taken, back, fault, cause, handling in (
        (3, 5, "无法开机", "电源管理芯片虚焊", "重新焊接"),
        (20, 27, "通话无声", "听筒排线损坏", "更换听筒排线"),
    ):
        warranty.record_event(
            clerk,
            card.number,
            "repair_in",
            on=day + dt.timedelta(days=taken),
            detail={"fault": fault},
        )
        warranty.record_event(
            clerk,
            card.number,
            "repair_out",
            on=day + dt.timedelta(days=back),
            detail={"fixed": True, "cause": cause, "handling": handling, "technician": "刘师傅"},
        )
    repaired = documents.reprint(clerk, card.document_id, reason="维修后补打")
    other = warranty_card(ws, clerk, "86901234567891")
    with ws.db.reader() as s:
        from frontdesk.store.models import WarrantyCard

        old_no = s.get(WarrantyCard, other).card_no
    approval = auth.authorise(
        "manager01",
        "Manager2026",
        action="warranty_exchange",
        reason="开箱屏幕坏点",
        requested_by=clerk,
    )
    body = "86901234567892"
    new_no = warranty.exchange_device(clerk, old_no, body + luhn_check_digit(body), approval)
    [new_view] = warranty.lookup(clerk, new_no)
    new_card = documents.archive_warranty_card(new_view.card_id)
    old_card = documents.reprint(clerk, documents.archive_warranty_card(other).document_id)
    return {
        "warranty_card_repaired": repaired,
        "warranty_card_exchange_new": new_card,
        "warranty_card_exchange_old": old_card,
    }


def to_png(pdf: Path, png: Path, dpi: int) -> None:
    stem = png.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--dpi", type=int, default=110)
    parser.add_argument("--keep-pdf", action="store_true", help="copy the PDFs beside the PNGs")
    parser.add_argument("--stamp", action="store_true", help="redraw resources/stamps/default.png")
    args = parser.parse_args(argv)
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found: install poppler-utils", file=sys.stderr)
        return 2
    if args.stamp:
        from frontdesk.printing.fonts import load_font_set
        from frontdesk.printing.stamp import make_stamp

        stamp = make_stamp("营业厅", load_font_set().path)
        (ROOT / "resources" / "stamps" / "default.png").write_bytes(stamp)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="frontdesk-samples-") as tmp:
        refs = render_all(Path(tmp))
        for name, ref in refs.items():
            dpi = args.dpi * 2 if name.endswith("80mm") else args.dpi
            png = args.out / f"{name}.png"
            to_png(ref.path, png, dpi)
            if args.keep_pdf:
                shutil.copy(ref.path, args.out / f"{name}.pdf")
            print(f"{png.relative_to(ROOT) if png.is_relative_to(ROOT) else png}  ←  {ref.number}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
