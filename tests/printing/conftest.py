"""Real visits settled through the services, and readers for the PDFs they print.

Every document under test comes from a visit the intake and correction services
settled on a real workstation database; the PDFs are read back with pypdf (text) and
rendered with pypdfium2 for pyzbar to decode their barcodes (Debian libzbar0).
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from dataclasses import dataclass

import pypdf
import pypdfium2 as pdfium
import pytest
from pyzbar import pyzbar
from sqlalchemy import select

from frontdesk.core.serials import luhn_check_digit
from frontdesk.services.auth import AuthService, StaffSession
from frontdesk.services.corrections import CorrectionService
from frontdesk.services.documents import DocumentService
from frontdesk.services.intake import IntakeService, SettledSlip
from frontdesk.services.warranty import WarrantyService
from frontdesk.services.workstation import Workstation
from frontdesk.store.models import Receipt, Slip
from tests.services.helpers import PNG_SCAN, verify_person

IMEI_BODY = "86901234567890"
IMEI = IMEI_BODY + luhn_check_digit(IMEI_BODY)


def valid_iccid(body19: str = "8986011234567890123") -> str:
    return body19 + luhn_check_digit(body19)


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_compact(pdf: bytes) -> str:
    """Extracted text without whitespace: table cells and wrapped lines join up."""
    return "".join(pdf_text(pdf).split())


def decode_barcodes(pdf: bytes, dpi: int = 300) -> list[tuple[str, str]]:
    """(symbology, text) of every barcode on every page."""
    found: list[tuple[str, str]] = []
    document = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            image = page.render(scale=dpi / 72).to_pil().convert("L")
            for symbol in pyzbar.decode(image):
                found.append((symbol.type, symbol.data.decode("utf-8")))
    finally:
        document.close()
    return found


def fonts_used(pdf: bytes) -> tuple[set[str], set[str]]:
    """(embedded, not embedded) base font names over all pages."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    embedded: set[str] = set()
    referenced: set[str] = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            name = str(font["/BaseFont"])
            descriptor = font.get("/FontDescriptor")
            d = descriptor.get_object() if descriptor is not None else {}
            if any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                embedded.add(name)
            else:
                referenced.add(name)
    return embedded, referenced


@dataclass
class Visits:
    ws: Workstation
    clerk: StaffSession
    auth: AuthService
    intake: IntakeService

    def approval(self, action: str, reason: str):
        return self.auth.authorise(
            "manager01", "Manager2026", action=action, reason=reason, requested_by=self.clerk
        )

    def sale(self) -> tuple[uuid.UUID, SettledSlip]:
        """张三: new line + top-up of another number, paid by WeChat and cash with change."""
        intake, clerk = self.intake, self.clerk
        visit = intake.open_visit(clerk, ticket_no="A023")
        verify_person(self.ws, clerk, visit, "zhang_san", purpose="new_line", limits=True)
        intake.add_business(
            clerk,
            visit,
            "NEW_LINE",
            {
                "plan": "mob_59",
                "new_number": "13812345678",
                "sim_iccid": valid_iccid(),
                "prepay_amount": "100",
            },
        )
        intake.add_business(
            clerk, visit, "TOP_UP", {"topup_amount": "150"}, service_number="13800138000"
        )
        intake.add_payment(clerk, visit, "wechat", 10_000, reference="4200001234202611210001")
        intake.add_payment(clerk, visit, "cash", 20_000)
        intake.record_fraud_notice(clerk, visit, "paper")
        return visit, intake.settle(clerk, visit)

    def unit(self) -> tuple[uuid.UUID, SettledSlip]:
        """A unit customer served through its agent (单位经办人) with the letter on file."""
        from frontdesk.services.demo import DEMO_UNIT_CREDIT_CODE
        from frontdesk.services.verification import VerificationService

        intake, clerk = self.intake, self.clerk
        visit = intake.open_visit(clerk)
        verifier = VerificationService(self.ws)
        verifier.register_unit(
            clerk, visit, unit_name="北京示例科技有限公司", credit_code=DEMO_UNIT_CREDIT_CODE
        )
        verify_person(self.ws, clerk, visit, "long_term", party="agent", face=False)
        verifier.attach_scan(
            clerk, visit, PNG_SCAN, "image/png", party="agent", kind="authorisation_letter"
        )
        intake.add_business(
            clerk,
            visit,
            "PLAN_CHANGE",
            {"plan": "bundle_199", "effective": "next_month"},
            service_number="13500135001",
        )
        return visit, intake.settle(clerk, visit)

    def top_up(
        self, amount: str = "50", number: str = "13600136000"
    ) -> tuple[uuid.UUID, SettledSlip]:
        intake, clerk = self.intake, self.clerk
        visit = intake.open_visit(clerk)
        intake.add_business(clerk, visit, "TOP_UP", {"topup_amount": amount}, service_number=number)
        intake.add_payment(clerk, visit, "cash", intake.view(visit).due_fen)
        return visit, intake.settle(clerk, visit)

    def two_top_ups_by_card(self) -> tuple[uuid.UUID, SettledSlip]:
        intake, clerk = self.intake, self.clerk
        visit = intake.open_visit(clerk)
        intake.add_business(
            clerk, visit, "TOP_UP", {"topup_amount": "30"}, service_number="13600136000"
        )
        intake.add_business(
            clerk, visit, "TOP_UP", {"topup_amount": "20"}, service_number="13800138000"
        )
        intake.add_payment(clerk, visit, "bank_card", 5_000, reference="POS778899")
        return visit, intake.settle(clerk, visit)

    def void(self, slip_no: str, reason: str = "充错号码"):
        return CorrectionService(self.ws).void(self.clerk, slip_no, self.approval("void", reason))

    def refund_last_item(self, slip_no: str, reason: str = "重复充值"):
        with self.ws.db.reader() as s:
            slip = s.scalar(select(Slip).where(Slip.slip_no == slip_no))
            item_id = slip.items[-1].id
        return CorrectionService(self.ws).refund(
            self.clerk,
            slip_no,
            [item_id],
            self.approval("refund", reason),
            method="bank_card",
            reference="POS-R-1",
        )

    def handset_sale_with_card(self) -> tuple[uuid.UUID, uuid.UUID]:
        """A handset sale settled by intake, and the warranty card settling issued."""
        intake, clerk = self.intake, self.clerk
        visit = intake.open_visit(clerk)
        verify_person(self.ws, clerk, visit, "zhang_san", face=False)
        today = self.ws.clock.now().astimezone(dt.timezone(dt.timedelta(hours=8))).date()
        fields = {
            "brand": "华为",
            "model": "Mate 70 Pro",
            "device_serial": IMEI,
            "card_serial": IMEI,  # the S/N label stuck on the card, scanned back
            "price": "5999",
            "invoice_no": "11002611210001",
            "invoice_date": today.isoformat(),  # typed from the invoice itself
            "invoice_model": "Mate 70 Pro",
            "invoice_serial": IMEI,
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
        business = self.ws.catalogue.business("HANDSET_SALE")
        fields = {k: v for k, v in fields.items() if business.find_field(k) is not None}
        intake.add_business(clerk, visit, "HANDSET_SALE", fields)
        intake.add_payment(clerk, visit, "bank_card", 599_900, reference="POS123456")
        settled = intake.settle(clerk, visit)
        [card_id] = WarrantyService(self.ws).cards_of_slip(settled.slip_id)  # issued by settle
        return settled.slip_id, card_id

    def receipt_id(self, slip_id: uuid.UUID) -> uuid.UUID:
        with self.ws.db.reader() as s:
            return s.scalar(select(Receipt.id).where(Receipt.slip_id == slip_id))


@pytest.fixture
def visits(demo_ws, clerk, auth) -> Visits:
    return Visits(demo_ws, clerk, auth, IntakeService(demo_ws))


@pytest.fixture
def documents(demo_ws) -> DocumentService:
    return DocumentService(demo_ws)
