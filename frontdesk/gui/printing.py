"""Print preview and printing of archived documents to any installed printer (SPEC §4).

The PDF in the archive is what gets printed — never a second rendering — so paper and
archive always agree. Qt can't draw a PDF onto a ``QPrinter`` by itself (QtPdf is not
part of PySide6-Essentials), so each page is rasterised with pdfium (pypdfium2, the
PDF engine of Chromium) at the printer's resolution and painted onto the page, scaled
to fit with its aspect kept. The printer chosen for each document layout (A4 slip,
80 mm receipt, warranty card) is remembered in ``QSettings``, so the thermal receipt
goes to the roll printer and the slip to the laser without the clerk choosing again.

A print that fails (no printer, spooler refuses) is recorded on the document through
:class:`~frontdesk.services.documents.DocumentService` and the clerk is told politely;
the settled slip is never affected and the visit history offers the retry.
This module depends on no other ``frontdesk.gui`` module.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, QSettings, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from ..core.messages import RuleViolation
from ..services.auth import StaffSession
from ..services.documents import DocumentRef, DocumentService

__all__ = ["DocumentPrinter", "PrintOutcome", "paint_pdf", "pdf_page_images"]

SETTINGS_GROUP = "printing"
MAX_DPI = 600  # enough for any barcode; caps memory on 1200-dpi drivers
# the sheet of each document layout; a roll's length follows the document
LAYOUT_WIDTH_MM = {"a4": 210.0, "thermal80": 80.0}
MM_PER_PT = 25.4 / 72


def layout_page_size(layout: str, height_pt: float) -> QPageSize:
    """The page size a layout prints on: A4 by name, the 80 mm roll as a custom size."""
    if layout == "a4":
        return QPageSize(QPageSize.PageSizeId.A4)
    width = LAYOUT_WIDTH_MM.get(layout)
    if width is None:  # a layout without a sheet of its own (a warranty card): its PDF
        return QPageSize(QSizeF(0, 0), QPageSize.Unit.Millimeter)
    return QPageSize(
        QSizeF(width, round(height_pt * MM_PER_PT, 1)),
        QPageSize.Unit.Millimeter,
        f"{int(width)}mm Roll",
        QPageSize.SizeMatchPolicy.ExactMatch,
    )


@dataclass(frozen=True)
class PrintOutcome:
    ok: bool
    printer: str
    message: str = ""


def pdf_page_images(pdf: bytes, dpi: float) -> list[QImage]:
    """Every page as a QImage at ``dpi`` (greyscale-safe RGB, white background)."""
    document = pdfium.PdfDocument(pdf)
    images: list[QImage] = []
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72)
            pil = bitmap.to_pil().convert("RGB")
            data = pil.tobytes("raw", "RGB")
            image = QImage(data, pil.width, pil.height, pil.width * 3, QImage.Format.Format_RGB888)
            images.append(image.copy())  # own the pixels before `data` goes away
            page.close()
    finally:
        document.close()
    return images


def _page_sizes_pt(pdf: bytes) -> list[tuple[float, float]]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [document[i].get_size() for i in range(len(document))]
    finally:
        document.close()


def paint_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Paint every page of ``pdf`` onto ``printer`` (one sheet per page); returns pages.

    Each page is drawn at its own physical size (an 80 mm receipt stays 80 mm wide),
    scaled down only when the sheet is smaller — never enlarged to fill a larger sheet
    a driver may have kept (US Letter).
    Raises :class:`RuntimeError` when the printer can't be opened (Qt reports no more).
    """
    resolution = min(printer.resolution(), MAX_DPI)
    physical = printer.resolution() / resolution  # image pixels → device pixels, 1:1 size
    images = pdf_page_images(pdf, resolution)
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("打印机无法开始打印 / the printer could not start the job")
    try:
        for number, image in enumerate(images):
            if number:
                printer.newPage()
            target = printer.pageLayout().paintRectPixels(printer.resolution())
            area = QRectF(0, 0, target.width(), target.height())
            scale = min(physical, area.width() / image.width(), area.height() / image.height())
            w, h = image.width() * scale, image.height() * scale
            painter.drawImage(QRectF((area.width() - w) / 2, 0, w, h), image)
    finally:
        painter.end()
    return len(images)


class DocumentPrinter:
    """Preview and print archived documents; remembers a printer per document layout."""

    def __init__(
        self,
        documents: DocumentService,
        staff: StaffSession,
        settings: QSettings | None = None,
        *,
        print_folder: str | Path | None = None,
    ) -> None:
        self._documents = documents
        self._staff = staff
        self._settings = settings or QSettings()
        # "print to folder" (a counter without a printer, or one that files PDFs)
        self._print_folder = Path(print_folder) if print_folder else None
        self._preview_errors: list[str] = []

    # -- remembered printers ---------------------------------------------------------
    @staticmethod
    def settings_key(ref: DocumentRef) -> str:
        return f"{SETTINGS_GROUP}/{ref.kind}.{ref.layout}/printer"

    def remembered_printer(self, ref: DocumentRef) -> str:
        return str(self._settings.value(self.settings_key(ref), "") or "")

    def remember_printer(self, ref: DocumentRef, printer: QPrinter) -> None:
        name = printer.printerName()
        if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat and name:
            self._settings.setValue(self.settings_key(ref), name)
            self._settings.sync()

    def make_printer(self, ref: DocumentRef) -> QPrinter:
        """A printer set up for the document: remembered device, its page size, no margins."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if self._print_folder is not None:
            # if it can't be made, the printer can't open its file: a recorded failed print
            with contextlib.suppress(OSError):
                self._print_folder.mkdir(parents=True, exist_ok=True)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(
                str(self._print_folder / f"{ref.kind}-{ref.number}-{ref.variant}.pdf")
            )
        else:
            remembered = self.remembered_printer(ref)
            if remembered and remembered in QPrinterInfo.availablePrinterNames():
                printer.setPrinterName(remembered)
        pdf_sizes = _page_sizes_pt(self._documents.read_pdf(ref.document_id))
        if pdf_sizes:
            w, h = pdf_sizes[0]
            size = layout_page_size(ref.layout, max(w, h))
            if not size.isValid():
                size = QPageSize(
                    QSizeF(w, h), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch
                )
            orientation = (
                QPageLayout.Orientation.Landscape if w > h else QPageLayout.Orientation.Portrait
            )
            if w > h and ref.layout not in LAYOUT_WIDTH_MM:
                size = QPageSize(
                    QSizeF(h, w), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch
                )
            printer.setPageSize(size)
            printer.setPageOrientation(orientation)
        printer.setFullPage(True)
        printer.setDocName(f"{ref.kind_name} {ref.number}")
        return printer

    # -- printing ----------------------------------------------------------------------
    def print_to(self, ref: DocumentRef, printer: QPrinter) -> PrintOutcome:
        """Send the archived PDF to ``printer`` and record the outcome on the document."""
        name = printer.printerName() or printer.outputFileName()
        try:
            pdf = self._documents.read_pdf(ref.document_id)
            paint_pdf(pdf, printer)
        except RuleViolation as exc:  # archive file missing or altered: nothing printed
            message = exc.text()
            self._documents.mark_print_failed(self._staff, ref.document_id, message, name)
            return PrintOutcome(False, name, message)
        except (RuntimeError, OSError, pdfium.PdfiumError) as exc:
            message = (
                f"{ref.kind_name} {ref.number} 未能打印（{exc}）。业务已办理成功，不受影响；"
                "请检查打印机后在接待记录中点击“重新打印”。"
            )
            self._documents.mark_print_failed(self._staff, ref.document_id, str(exc), name)
            return PrintOutcome(False, name, message)
        self._documents.mark_printed(self._staff, ref.document_id, name)
        self.remember_printer(ref, printer)
        return PrintOutcome(True, name)

    def print_direct(self, ref: DocumentRef, parent: QWidget | None = None) -> PrintOutcome:
        """Print on the layout's remembered printer with no dialog ("print all").

        No message box either: the caller shows the outcome's message where the clerk
        is looking (one line for all the documents)."""
        return self.print_to(ref, self.make_printer(ref))

    def print_or_reprint(
        self, ref: DocumentRef, parent: QWidget | None = None, *, reason: str = ""
    ) -> tuple[PrintOutcome, DocumentRef]:
        """First print of ``ref``; once it was printed, a 补打 copy (audited) instead.

        Returns the outcome and the document that went to the printer.
        """
        if ref.print_count > 0 and not ref.is_reprint:
            ref = self._documents.reprint(self._staff, ref.document_id, reason=reason)
        return self.print_direct(ref, parent), ref

    def print_with_dialog(
        self, ref: DocumentRef, parent: QWidget | None = None
    ) -> PrintOutcome | None:
        """Qt's print dialog on the remembered printer; ``None`` when the clerk cancels."""
        printer = self.make_printer(ref)
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(f"打印{ref.kind_name} {ref.number}")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return self._report(self.print_to(ref, printer), parent)

    def preview(self, ref: DocumentRef, parent: QWidget | None = None) -> QPrintPreviewDialog:
        """A print preview dialog of the archived PDF (not yet shown).

        Use :meth:`preview_and_print` to show it and record a print made from it.
        """
        printer = self.make_printer(ref)
        dialog = QPrintPreviewDialog(printer, parent)
        # the dialog only borrows the printer: keep it alive as long as the dialog
        dialog._frontdesk_printer = printer  # type: ignore[attr-defined]
        dialog.setWindowTitle(f"打印预览 — {ref.kind_name} {ref.number}")
        pdf = self._documents.read_pdf(ref.document_id)
        self._documents.mark_previewed(self._staff, ref.document_id)  # personal data shown
        errors: list[str] = []

        def paint(target: QPrinter) -> None:
            try:
                paint_pdf(pdf, target)
            except (RuntimeError, OSError, pdfium.PdfiumError) as exc:
                errors.append(str(exc))

        dialog.paintRequested.connect(paint)
        dialog.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self._preview_errors = errors
        return dialog

    def preview_and_print(
        self, ref: DocumentRef, parent: QWidget | None = None
    ) -> PrintOutcome | None:
        """Show the preview; its 打印 button prints and closes it (QDialog accepted).

        ``None`` when the clerk closes the preview without printing.
        """
        dialog = self.preview(ref, parent)
        errors = self._preview_errors
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        printer = dialog.printer()
        name = printer.printerName() or printer.outputFileName()
        if errors:
            self._documents.mark_print_failed(self._staff, ref.document_id, errors[-1], name)
            outcome = PrintOutcome(
                False,
                name,
                f"{ref.kind_name} {ref.number} 未能打印（{errors[-1]}）。业务已办理成功，不受影响；"
                "请检查打印机后在接待记录中点击“重新打印”。",
            )
            return self._report(outcome, parent)
        self._documents.mark_printed(self._staff, ref.document_id, name)
        self.remember_printer(ref, printer)
        return PrintOutcome(True, name)

    def reprint(
        self, ref: DocumentRef, parent: QWidget | None = None, *, reason: str = ""
    ) -> PrintOutcome | None:
        """补打: the service archives a marked copy (audited); it goes to the print dialog."""
        copy = self._documents.reprint(self._staff, ref.document_id, reason=reason)
        return self.print_with_dialog(copy, parent)

    def retry(self, document_id: uuid.UUID, parent: QWidget | None = None) -> PrintOutcome | None:
        """Print a document again after a failure (the same archived file)."""
        return self.print_with_dialog(self._documents.document(document_id), parent)

    @staticmethod
    def _report(outcome: PrintOutcome, parent: QWidget | None) -> PrintOutcome:
        if not outcome.ok and parent is not None:
            QMessageBox.warning(parent, "打印未完成", outcome.message)
        return outcome
