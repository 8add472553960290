"""The Qt side: printing archived PDFs through a real QPrinter, preview, signing widgets.

A QPrinter writing a PDF file stands in for "an installed printer": it goes through
the same QPainter path a physical printer does, and the output can be read back.
"""

from __future__ import annotations

import io

import pypdf
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget
from PySide6.QtTest import QTest
from sqlalchemy import select

from frontdesk.devices.signature_pad import Signature, SimulatedSignaturePad
from frontdesk.gui.printing import DocumentPrinter, pdf_page_images
from frontdesk.gui.signing import PadSigningRun, SigningWindow
from frontdesk.printing.barcodes import parse_slip_qr
from frontdesk.store.models import AuditEntry, SlipSignature

from .conftest import IMEI, decode_barcodes, pdf_compact


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "printing.ini"), QSettings.Format.IniFormat)


def pdf_printer(path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(300)
    return printer


def test_printing_sends_the_archived_pdf_and_records_it(
    qtbot, visits, documents, clerk, settings, tmp_path
):
    _, settled = visits.sale()
    ref = documents.archive_slip(settled.slip_id)
    printer_gui = DocumentPrinter(documents, clerk, settings)
    printer = printer_gui.make_printer(ref)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed-slip.pdf"
    printer.setOutputFileName(str(out))
    printer.setResolution(300)
    outcome = printer_gui.print_to(ref, printer)
    assert outcome.ok, outcome.message
    printed = out.read_bytes()
    assert len(pypdf.PdfReader(io.BytesIO(printed)).pages) == 1
    # what came out of the printer still scans: the QR code holds the slip number
    qr = [text for kind, text in decode_barcodes(printed, dpi=200) if kind == "QRCODE"]
    assert qr and parse_slip_qr(qr[0])[0] == settled.slip_no
    after = documents.document(ref.document_id)
    assert after.print_count == 1 and after.printed_at is not None
    with visits.ws.db.reader() as s:
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.action == "document.printed"))


def test_a_failed_print_is_recorded_and_can_be_retried(
    qtbot, visits, documents, clerk, settings, tmp_path
):
    _, settled = visits.top_up("20")
    ref = documents.archive_receipt(visits.receipt_id(settled.slip_id), "thermal80")
    printer_gui = DocumentPrinter(documents, clerk, settings)
    broken = pdf_printer(tmp_path / "no-such-folder" / "x.pdf")
    outcome = printer_gui.print_to(ref, broken)
    assert not outcome.ok
    assert "业务已办理成功" in outcome.message and "重新打印" in outcome.message
    failed = documents.document(ref.document_id)
    assert failed.last_print_error and failed.print_count == 0
    assert ref.document_id in [r.document_id for r in documents.documents_needing_print()]
    # retry from the visit history, on a working printer
    good = pdf_printer(tmp_path / "retry.pdf")
    assert printer_gui.print_to(ref, good).ok
    assert documents.document(ref.document_id).last_print_error is None


def test_printer_page_follows_the_document_layout(qtbot, visits, documents, clerk, settings):
    _, settled = visits.top_up("20")
    thermal = documents.archive_receipt(visits.receipt_id(settled.slip_id), "thermal80")
    a4 = documents.archive_slip(settled.slip_id)
    gui = DocumentPrinter(documents, clerk, settings)
    size = gui.make_printer(thermal).pageLayout().fullRect(QPageLayout.Unit.Millimeter)
    assert abs(size.width() - 80) < 1
    a4_rect = gui.make_printer(a4).pageLayout().fullRect(QPageLayout.Unit.Millimeter)
    assert abs(a4_rect.width() - 210) < 1 and abs(a4_rect.height() - 297) < 1
    # a printer is remembered per document kind and layout
    assert gui.settings_key(thermal) == "printing/receipt.thermal80/printer"
    assert gui.settings_key(a4) == "printing/slip.a4/printer"
    settings.setValue(gui.settings_key(thermal), "EPSON-TM-T88")
    assert gui.remembered_printer(thermal) == "EPSON-TM-T88"
    assert gui.remembered_printer(a4) == ""


def test_warranty_card_prints_landscape_and_its_barcode_survives(
    qtbot, visits, documents, clerk, settings, tmp_path
):
    _, card_id = visits.handset_sale_with_card()
    ref = documents.archive_warranty_card(card_id)
    gui = DocumentPrinter(documents, clerk, settings)
    printer = gui.make_printer(ref)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "card.pdf"))
    printer.setResolution(300)
    assert gui.print_to(ref, printer).ok
    printed = (tmp_path / "card.pdf").read_bytes()
    box = pypdf.PdfReader(io.BytesIO(printed)).pages[0].mediabox
    assert float(box.width) > float(box.height)
    assert ("CODE128", IMEI) in decode_barcodes(printed, dpi=300)


def test_preview_renders_the_archived_pages(qtbot, visits, documents, clerk, settings):
    _, settled = visits.sale()
    ref = documents.archive_slip(settled.slip_id)
    dialog = DocumentPrinter(documents, clerk, settings).preview(ref)
    qtbot.add_widget(dialog)
    painted = []
    dialog.paintRequested.connect(lambda printer: painted.append(printer))
    dialog.open()
    widget = dialog.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: widget.pageCount() == 1, timeout=5000)
    assert painted
    dialog.reject()


def test_a_preview_of_personal_data_is_audited(qtbot, demo_ws, visits, documents, clerk, settings):
    import uuid

    from frontdesk.core.messages import RuleViolation

    _, settled = visits.sale()
    ref = documents.archive_slip(settled.slip_id)
    dialog = DocumentPrinter(documents, clerk, settings).preview(ref)
    qtbot.add_widget(dialog)
    dialog.reject()  # closed without printing: the look is still on record
    with demo_ws.db.reader() as s:
        entries = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "document.previewed")
        ).all()
        assert [(e.actor_id, e.object_id, e.detail["number"]) for e in entries] == [
            (clerk.staff_id, str(settled.slip_id), settled.slip_no)
        ]
        assert not s.scalars(
            select(AuditEntry).where(AuditEntry.action == "document.printed")
        ).all()
    with pytest.raises(RuleViolation) as info:
        documents.mark_previewed(clerk, uuid.uuid4())
    assert info.value.codes == ["document.not_found"]


def test_reprint_through_the_gui_is_a_marked_copy(
    qtbot, visits, documents, clerk, settings, tmp_path, monkeypatch
):
    _, settled = visits.top_up("20")
    ref = documents.archive_receipt(visits.receipt_id(settled.slip_id), "a4")
    gui = DocumentPrinter(documents, clerk, settings)
    sent = []
    monkeypatch.setattr(gui, "print_with_dialog", lambda copy, parent=None: sent.append(copy))
    gui.reprint(ref, reason="客户要求补打")
    assert sent and sent[0].variant == "a4-r1"
    assert "补打" in pdf_compact(documents.read_pdf(sent[0].document_id))


def test_pdf_pages_rasterise_at_the_asked_resolution():
    from reportlab.pdfgen.canvas import Canvas

    from frontdesk.printing.fonts import load_font_set

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(72, 144))
    c.setFont(load_font_set().cjk, 20)
    c.drawString(10, 60, "营业")
    c.showPage()
    c.save()
    images = pdf_page_images(buf.getvalue(), 144)
    assert len(images) == 1 and (images[0].width(), images[0].height()) == (144, 288)


# --------------------------------------------------------------------------- signing


def _draw(qtbot, canvas) -> None:
    QTest.mousePress(
        canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(40, 80)
    )
    for x in range(40, 400, 12):
        QTest.mouseMove(canvas, QPoint(x, 80 + (x % 48) - 24))
    QTest.mouseRelease(
        canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(400, 90)
    )


def test_second_screen_signature_lands_in_the_archived_slip(qtbot, visits, documents, clerk):
    _, settled = visits.sale()
    window = SigningWindow(
        slip_no=settled.slip_no,
        summary_lines=["1. 入网/装机 13812345678", "2. 话费缴纳/充值 13800138000"],
        total_text="¥250.00（贰佰伍拾元整）",
    )
    qtbot.add_widget(window)
    window.resize(800, 500)
    window.show()
    qtbot.waitExposed(window)
    assert not window.confirm_button.isEnabled()  # nothing signed yet
    _draw(qtbot, window.canvas)
    assert window.confirm_button.isEnabled()
    with qtbot.waitSignal(window.signed, timeout=2000) as blocker:
        qtbot.mouseClick(window.confirm_button, Qt.MouseButton.LeftButton)
    signature: Signature = blocker.args[0]
    assert signature.method == "second_screen" and signature.strokes
    image = Image.open(io.BytesIO(signature.png))
    assert image.getextrema()[0] < 100  # there is ink
    documents.record_signature(
        clerk, settled.slip_id, signature.method, image_png=signature.png, device=signature.device
    )
    pdf = documents.read_pdf(documents.archive_slip(settled.slip_id).document_id)
    assert "客户屏签名" in pdf_compact(pdf)
    assert sum(len(p.images) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages) >= 1
    with visits.ws.db.reader() as s:
        assert s.scalar(select(SlipSignature.method)) == "second_screen"


def test_clear_and_cancel_on_the_signing_window(qtbot):
    window = SigningWindow(slip_no="S1", summary_lines=[], total_text="¥0.00")
    qtbot.add_widget(window)
    window.show()
    _draw(qtbot, window.canvas)
    qtbot.mouseClick(window.clear_button, Qt.MouseButton.LeftButton)
    assert window.canvas.is_empty() and not window.confirm_button.isEnabled()
    with qtbot.waitSignal(window.cancelled, timeout=2000):
        qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)


def test_signature_pad_runs_off_the_gui_thread(qtbot):
    run = PadSigningRun(SimulatedSignaturePad(seed=1))
    with qtbot.waitSignal(run.signed, timeout=5000) as blocker:
        run.start()
    assert blocker.args[0].png.startswith(b"\x89PNG")
    cancelled = PadSigningRun(SimulatedSignaturePad(fail_with="cancelled"))
    with qtbot.waitSignal(cancelled.failed, timeout=5000) as blocker:
        cancelled.start()
    assert blocker.args[0] == "客户已取消签名。"
