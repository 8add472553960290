"""The branch's sales stamp (营业厅销售章) printed on warranty cards.

DOMAIN.md: the warranty card is stamped with the branch's sales seal. A branch's real
seal image is configured per branch by file name — ``<data folder>/stamps/<branch
code>.png`` (IT puts it on the counter), else ``resources/stamps/<branch code>.png``
(shipped with a head-office build), else ``resources/stamps/default.png``. The default
is drawn by :func:`make_stamp` (red ring, star, text on the arc) and only says
"营业厅销售专用章": it marks where the real seal goes, it is not a forgery of one.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from ..paths import resources_dir

__all__ = ["DEFAULT_STAMP_TEXT", "find_stamp", "make_stamp", "stamp_path"]

DEFAULT_STAMP_TEXT = "营业厅销售专用章"
RED = (200, 16, 16, 235)


def stamp_path(branch_code: str, data_dir: Path | None = None) -> Path | None:
    """The first stamp image that exists for the branch, in the documented order."""
    candidates = []
    if data_dir is not None:
        candidates.append(Path(data_dir) / "stamps" / f"{branch_code}.png")
    candidates += [
        resources_dir() / "stamps" / f"{branch_code}.png",
        resources_dir() / "stamps" / "default.png",
    ]
    return next((p for p in candidates if p.is_file()), None)


def find_stamp(branch_code: str, data_dir: Path | None = None) -> bytes | None:
    path = stamp_path(branch_code, data_dir)
    return path.read_bytes() if path else None


def make_stamp(
    arc_text: str, font_path: Path, *, centre_text: str = "销售专用章", size: int = 480
) -> bytes:
    """A round red seal as a transparent PNG: ``arc_text`` along the top, a star, a line."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    c = size / 2
    ring = size * 0.035
    draw.ellipse((ring, ring, size - ring, size - ring), outline=RED, width=round(ring))
    # five-pointed star
    r_out, r_in = size * 0.15, size * 0.06
    points = []
    for i in range(10):
        r = r_out if i % 2 == 0 else r_in
        a = -math.pi / 2 + i * math.pi / 5
        points.append((c + r * math.cos(a), c + r * math.sin(a)))
    draw.polygon(points, fill=RED)
    # text along the upper arc, each character rotated to face the centre
    n = max(len(arc_text), 1)
    glyph = round(size * (0.11 if n <= 10 else 0.09))
    font = ImageFont.truetype(str(font_path), glyph)
    span = math.radians(min(250, 22 * n))
    radius = size / 2 - ring * 2.2 - glyph * 0.6
    for i, char in enumerate(arc_text):
        angle = -math.pi / 2 - span / 2 + span * (i + 0.5) / n
        tile = Image.new("RGBA", (glyph * 2, glyph * 2), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((glyph, glyph), char, font=font, fill=RED, anchor="mm")
        tile = tile.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BICUBIC)
        x = c + radius * math.cos(angle) - glyph
        y = c + radius * math.sin(angle) - glyph
        image.alpha_composite(tile, (round(x), round(y)))
    small = ImageFont.truetype(str(font_path), round(size * 0.085))
    draw.text((c, c + size * 0.27), centre_text, font=small, fill=RED, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
