"""What every layout shares: styles, mixed CJK/Latin text, document metadata, overlays.

Paragraph text always goes through :meth:`FontSet.markup` and canvas text through
:func:`draw_text`, so no string reaches reportlab in a font that lacks its glyphs.
Documents are built with ``invariant=1``: the same data gives the same bytes, which
keeps the archive's digests meaningful and the benchmarks honest.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from .fonts import FontSet

__all__ = [
    "PageOverlay",
    "Styles",
    "draw_text",
    "fmt_datetime",
    "image_reader",
    "overlay_marks",
]

INK = colors.black
RED = colors.Color(0.80, 0.05, 0.05)
WATERMARK_RED = colors.Color(0.80, 0.05, 0.05, alpha=0.28)
GREY = colors.Color(0.45, 0.45, 0.45)
RULE = colors.Color(0.6, 0.6, 0.6)


def fmt_datetime(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class Styles:
    """Paragraph styles sized for one page kind; ``p()`` makes mixed-font paragraphs."""

    fonts: FontSet
    base_size: float = 9.5

    def style(
        self, size: float | None = None, *, align: int = TA_LEFT, color: colors.Color = INK
    ) -> ParagraphStyle:
        size = size or self.base_size
        return ParagraphStyle(
            f"fd-{size}-{align}",
            fontName=self.fonts.cjk,
            fontSize=size,
            leading=size * 1.35,
            alignment=align,
            textColor=color,
            wordWrap="CJK",  # break anywhere between Chinese characters
        )

    def p(
        self,
        text: str,
        size: float | None = None,
        *,
        align: str = "left",
        bold: bool = False,
        color: colors.Color = INK,
    ) -> Paragraph:
        alignment = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}[align]
        markup = self.fonts.markup(text, bold=bold).replace("\n", "<br/>")
        return Paragraph(markup, self.style(size, align=alignment, color=color))


def draw_text(
    canvas: Canvas,
    fonts: FontSet,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    align: str = "left",
    bold: bool = False,
    color: colors.Color = INK,
) -> float:
    """Draw ``text`` on one line in the right fonts; returns its width.

    ``bold`` thickens CJK glyphs by stroking their outline too (render mode 2): the
    shipped CJK font has no bold face, and a fake bold still prints sharply.
    """
    width = fonts.width(text, size, bold=bold)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    canvas.saveState()
    canvas.setFillColor(color)
    canvas.setStrokeColor(color)
    text_obj = canvas.beginText(x, y)
    if bold:
        text_obj.setTextRenderMode(2)
        canvas.setLineWidth(size / 30)
    for font, run in fonts.runs(text, bold=bold):
        text_obj.setFont(font, size)
        text_obj.textOut(run)
    canvas.drawText(text_obj)
    canvas.restoreState()
    return width


def image_reader(png: bytes) -> ImageReader:
    return ImageReader(io.BytesIO(png))


PageOverlay = Callable[[Canvas, object], None]


def overlay_marks(
    fonts: FontSet,
    *,
    void_text: Sequence[str] = (),
    watermark: bool | None = None,
    reprint_at: dt.datetime | None = None,
    footer: str = "",
    big: bool = True,
    watermark_text: str = "作废",
) -> PageOverlay:
    """An onPage callback: red 作废 watermark with its reason, 补打 banner, page footer.

    ``watermark`` defaults to "whenever there is void text"; the thermal layout prints
    its void lines in the text flow and asks for the watermark alone. ``watermark_text``
    is what the watermark says: 作废 on a voided original, 冲正 on a void's own
    (red-letter) receipt, 已换货 on a card replaced by an exchange.
    """
    show_watermark = bool(void_text) if watermark is None else watermark

    def draw(canvas: Canvas, doc: object) -> None:
        width, height = canvas._pagesize
        canvas.saveState()
        if show_watermark:
            canvas.saveState()
            canvas.translate(width / 2, height / 2)
            canvas.rotate(30)
            size = min(width, height) / (3.2 if big else 2.6)
            draw_text(
                canvas,
                fonts,
                0,
                -size / 3,
                watermark_text,
                size,
                align="center",
                bold=True,
                color=WATERMARK_RED,
            )
            canvas.restoreState()
        if void_text:
            y = height - (18 if not big else 28)
            for line in void_text:
                draw_text(
                    canvas,
                    fonts,
                    width / 2,
                    y,
                    line,
                    8 if not big else 9,
                    align="center",
                    color=RED,
                )
                y -= 11
        if reprint_at is not None:
            label = f"补打（副本） {fmt_datetime(reprint_at)}"
            size = 8 if not big else 9
            draw_text(
                canvas,
                fonts,
                width - 10,
                height - 10,
                label,
                size,
                align="right",
                bold=True,
                color=RED,
            )
        if footer:
            page = canvas.getPageNumber()
            draw_text(
                canvas,
                fonts,
                width / 2,
                14,
                f"{footer}  第 {page} 页",
                7,
                align="center",
                color=GREY,
            )
        canvas.restoreState()

    return draw
