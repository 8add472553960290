"""Code 128 (serials on warranty cards) and QR codes (slip verification), as reportlab art.

Both come from reportlab's own barcode package, so there is no second imaging library
to ship. The slip's QR code carries a small, versioned text payload — the slip number
and its verification code — that a phone or a counter scanner reads back with
:func:`parse_slip_qr`, so a customer's paper copy can be checked against the archive.
"""

from __future__ import annotations

from reportlab.graphics.barcode import createBarcodeDrawing
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm

__all__ = ["SLIP_QR_PREFIX", "code128", "parse_slip_qr", "qr_code", "slip_qr_payload"]

SLIP_QR_PREFIX = "FDSLIP1"


def slip_qr_payload(slip_no: str, verification_code: str) -> str:
    """``FDSLIP1|<slip no>|<verification code>`` — ASCII only, so every reader decodes it."""
    return f"{SLIP_QR_PREFIX}|{slip_no}|{verification_code}"


def parse_slip_qr(text: str) -> tuple[str, str] | None:
    """(slip no., verification code) from a scanned payload, or ``None`` if it isn't ours."""
    parts = text.strip().split("|")
    if len(parts) != 3 or parts[0] != SLIP_QR_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def code128(value: str, *, bar_height: float = 12 * mm, module: float = 0.33 * mm) -> Drawing:
    """A Code 128 symbol of ``value`` (no human-readable line: the layout prints the text).

    0.33 mm modules print cleanly on 203-dpi thermal and office laser printers alike and
    keep a 15-digit IMEI under 45 mm wide (Code 128 switches to digit pairs, set C).
    """
    if not value or not value.isascii():
        raise ValueError("Code 128 needs a non-empty ASCII value")
    return createBarcodeDrawing(
        "Code128",
        value=value,
        barWidth=module,
        barHeight=bar_height,
        humanReadable=False,
        quiet=True,
        lquiet=10 * module,
        rquiet=10 * module,
    )


def qr_code(payload: str, *, size: float = 28 * mm) -> Drawing:
    """A QR code (error correction M) scaled into a ``size`` square, quiet zone included."""
    widget = QrCodeWidget(payload, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    width, height = x1 - x0, y1 - y0
    drawing = Drawing(size, size, transform=[size / width, 0, 0, size / height, 0, 0])
    drawing.add(widget)
    return drawing
