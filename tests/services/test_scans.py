"""A retained document copy is rendered only watermarked, only for a manager, audited."""

from __future__ import annotations

import io
import uuid

import pytest
from sqlalchemy import select

from frontdesk.core.messages import RuleViolation
from frontdesk.services.intake import IntakeService
from frontdesk.services.scans import ScanService
from frontdesk.services.verification import VerificationService
from frontdesk.store.models import AuditEntry, DocumentScan

from .helpers import PNG_SCAN, today, verify_person


def white_png(width: int = 600, height: int = 380) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), "white")
    ImageDraw.Draw(image).rectangle((20, 20, 120, 150), outline="black", width=3)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def red_share_over_the_image(pdf: bytes) -> float:
    """Share of the scan's (white) area now covered by the red annotation."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    image = doc[0].render(scale=1).to_pil().convert("RGB")
    doc.close()
    w, h = image.size
    box = image.crop((int(w * 0.2), int(h * 0.12), int(w * 0.8), int(h * 0.3)))
    raw = box.tobytes()
    pixels = [raw[i : i + 3] for i in range(0, len(raw), 3)]
    reddish = sum(1 for r, g, b in pixels if r > g + 40 and r > b + 40)
    return reddish / len(pixels)


def retained_scan(ws, clerk, data: bytes = b"", mime: str = "image/png") -> uuid.UUID:
    intake = IntakeService(ws)
    visit = intake.open_visit(clerk)
    verify_person(ws, clerk, visit, "zhang_san", face=False, scan=False)
    VerificationService(ws).attach_scan(clerk, visit, data or white_png(), mime)
    with ws.db.reader() as s:
        return s.scalars(select(DocumentScan.id).order_by(DocumentScan.created_at.desc())).first()


def audits(ws, action: str) -> list[AuditEntry]:
    with ws.db.reader() as s:
        found = list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))
        s.expunge_all()
    return found


def test_a_manager_views_a_scan_watermarked_with_name_purpose_and_date(demo_ws, clerk, manager):
    scan_id = retained_scan(demo_ws, clerk)
    service = ScanService(demo_ws)
    rows = service.list_scans(manager, today(demo_ws))
    assert [(r.scan_id, r.party, r.name) for r in rows] == [(scan_id, "customer", "张三")]
    assert "*" in rows[0].id_masked
    rendered = service.render(manager, scan_id, "资料稽核")
    text = pdf_text(rendered.pdf)
    assert "赵经理" in text and "资料稽核" in text and "2026-11-21" in text
    assert red_share_over_the_image(rendered.pdf) > 0.02  # drawn across the image itself
    (entry,) = audits(demo_ws, "scan.view")
    assert entry.object_id == str(scan_id) and entry.actor_id == manager.staff_id
    assert entry.detail["purpose"] == "资料稽核"
    assert "110105" not in str(entry.detail)
    assert audits(demo_ws, "scan.list")[0].detail["count"] == 1


def test_an_export_is_the_watermarked_pdf_and_is_audited(demo_ws, clerk, manager, tmp_path):
    scan_id = retained_scan(demo_ws, clerk)
    path = tmp_path / "copy.pdf"
    ScanService(demo_ws).export(manager, scan_id, "  公安机关  协查 ", path)
    data = path.read_bytes()
    text = pdf_text(data)
    assert "公安机关 协查" in text and "赵经理" in text and "2026-11-21" in text
    assert red_share_over_the_image(data) > 0.02
    (entry,) = audits(demo_ws, "scan.export")
    assert entry.detail == {"purpose": "公安机关 协查", "operator": "赵经理", "exported": True}


def test_a_pdf_scan_is_rendered_page_by_page_with_the_mark(demo_ws, clerk, manager):
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out)
    for _ in range(2):
        canvas.drawString(100, 700, "scan page")
        canvas.showPage()
    canvas.save()
    scan_id = retained_scan(demo_ws, clerk, out.getvalue(), "application/pdf")
    rendered = ScanService(demo_ws).render(manager, scan_id, "资料稽核")
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(rendered.pdf)).pages
    assert len(pages) == 2 and all("赵经理" in p.extract_text() for p in pages)


def test_a_clerk_can_neither_list_nor_view_nor_export(demo_ws, clerk, tmp_path):
    scan_id = retained_scan(demo_ws, clerk)
    service = ScanService(demo_ws)
    for call in (
        lambda: service.list_scans(clerk, today(demo_ws)),
        lambda: service.render(clerk, scan_id, "资料稽核"),
        lambda: service.export(clerk, scan_id, "资料稽核", tmp_path / "x.pdf"),
    ):
        with pytest.raises(RuleViolation) as info:
            call()
        assert info.value.codes == ["scan.manager_only"]
    assert not (tmp_path / "x.pdf").exists()
    assert not audits(demo_ws, "scan.view") and not audits(demo_ws, "scan.export")


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("no_purpose", "scan.purpose_required"),
        ("unknown", "scan.not_found"),
        ("damaged_image", "scan.unreadable"),
        ("damaged_pdf", "scan.unreadable"),
        ("purged", "scan.purged"),
    ],
)
def test_refusals_name_the_rule(demo_ws, clerk, manager, clock, case, code):
    import datetime as dt

    from sqlalchemy import update

    from frontdesk.services.retention import RetentionService
    from frontdesk.store.models import Line

    data, mime, purpose = b"", "image/png", "资料稽核"
    if case == "damaged_image":
        data = PNG_SCAN  # a PNG signature and nothing after it
    if case == "damaged_pdf":
        data, mime = b"%PDF-1.4 not really", "application/pdf"
    if case == "no_purpose":
        purpose = "   "
    scan_id = retained_scan(demo_ws, clerk, data, mime)
    if case == "unknown":
        scan_id = uuid.uuid4()
    if case == "purged":
        with demo_ws.db.unit_of_work() as uow:
            uow.session.execute(update(Line).values(status="closed", state_as_of=clock.now()))
            uow.commit()
        RetentionService(demo_ws).purge(None, clock.now() + dt.timedelta(days=3 * 366))
        with demo_ws.db.reader() as s:
            assert s.get(DocumentScan, scan_id).ciphertext is None
    with pytest.raises(RuleViolation) as info:
        ScanService(demo_ws).render(manager, scan_id, purpose)
    assert info.value.codes == [code]
    assert info.value.text("zh") and info.value.text("en")
    assert not audits(demo_ws, "scan.view")
