"""The CJK font every printed document embeds, found in a defined order.

reportlab embeds (subsets) TrueType-outline fonts only; CFF-based OpenType fonts such as
Noto Sans CJK can't be embedded by it, so they are never candidates. A PDF that names a
Chinese font without embedding it prints as empty boxes (tofu) on a machine that lacks
that font, so frontdesk always embeds one. The order (first usable wins):

1. an explicit path given by the caller, then ``$FRONTDESK_CJK_FONT``, then any
   ``*.ttf``/``*.ttc`` IT dropped into ``<data folder>/fonts/`` — the branch's choice;
2. the font shipped in ``resources/fonts/`` (Droid Sans Fallback, Apache-2.0), so a
   freshly installed counter prints correctly with no system font at all;
3. system TrueType CJK fonts: Windows (SimHei, SimSun, Microsoft YaHei), macOS (STHeiti,
   Songti, Arial Unicode), Linux (Droid Sans Fallback, WenQuanYi Micro/Zen Hei, AR PL).

A candidate is used only if it loads and covers the characters printed documents always
carry (:data:`PROBE_TEXT`). If none does, :func:`load_font_set` raises
:class:`FontUnavailableError` — frontdesk refuses to produce a document rather than one
with boxes; the message tells IT which file to install. (reportlab's non-embedded
``STSong-Light`` CID font is deliberately *not* a fallback: it depends on the viewer.)

Droid Sans Fallback has no Latin glyphs. Text is therefore split into runs
(:meth:`FontSet.runs`): characters the CJK font covers use it, the rest (digits, Latin,
¥) use Helvetica, a PDF standard font every viewer and printer provides.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from ..paths import resources_dir

log = logging.getLogger(__name__)

__all__ = [
    "LATIN_BOLD",
    "LATIN_REGULAR",
    "PROBE_TEXT",
    "FontSet",
    "FontUnavailableError",
    "candidate_paths",
    "load_font_set",
]

LATIN_REGULAR = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"
CJK_FONT_NAME = "FrontdeskCJK"

#: Characters every document prints; a font missing any of them is skipped.
PROBE_TEXT = "业务受理单收据保修卡作废补打壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整零营业厅签名"

BUNDLED_FONT = "DroidSansFallbackFull.ttf"

_SYSTEM_FONTS: dict[str, tuple[str, ...]] = {
    "win32": (
        "simhei.ttf",
        "simsun.ttc",
        "msyh.ttc",
        "msyh.ttf",
        "simkai.ttf",
        "simfang.ttf",
    ),
    "darwin": (
        "/System/Library/Fonts/STHeiti Light.ttc",
        "/System/Library/Fonts/STHeiti Medium.ttc",
        "/System/Library/Fonts/Supplemental/Songti.ttc",
        "/Library/Fonts/Arial Unicode.ttf",
        "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    ),
    "linux": (
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/truetype/arphic/uming.ttc",
        "/usr/share/fonts/truetype/arphic/ukai.ttc",
        "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",  # Fedora
        "/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf",  # Fedora
    ),
}


class FontUnavailableError(RuntimeError):
    """No TrueType CJK font could be loaded; documents would print as boxes."""

    def __init__(self, tried: list[tuple[Path, str]]) -> None:
        self.tried = tried
        lines = "\n".join(f"  {path}: {why}" for path, why in tried) or "  (none found)"
        super().__init__(
            "找不到可嵌入的中文字体，无法生成单据。请将 TrueType 中文字体（如 "
            f"{BUNDLED_FONT}）放入数据目录的 fonts 文件夹，或设置 FRONTDESK_CJK_FONT。\n"
            "No embeddable Chinese TrueType font found; documents can't be made. Put a "
            "TrueType CJK font into <data folder>/fonts or set FRONTDESK_CJK_FONT.\n"
            f"Tried:\n{lines}"
        )


@dataclass(frozen=True)
class FontSet:
    """The registered fonts of a process and how to split text between them."""

    cjk: str
    path: Path
    covered: frozenset[int] = field(repr=False)
    latin: str = LATIN_REGULAR
    latin_bold: str = LATIN_BOLD

    def covers(self, char: str) -> bool:
        return ord(char) in self.covered

    def runs(self, text: str, *, bold: bool = False) -> Iterator[tuple[str, str]]:
        """(font name, text) runs: CJK-covered characters in the CJK font, others Latin.

        Spaces stay with the run they are in so words are not split needlessly.
        """
        latin = self.latin_bold if bold else self.latin
        current: str | None = None
        buf: list[str] = []
        for char in text:
            if char == " " and current is not None:
                buf.append(char)
                continue
            font = self.cjk if self.covers(char) else latin
            if font != current and buf:
                yield current or latin, "".join(buf)
                buf = []
            current = font
            buf.append(char)
        if buf:
            yield current or latin, "".join(buf)

    def width(self, text: str, size: float, *, bold: bool = False) -> float:
        return sum(
            pdfmetrics.stringWidth(run, font, size) for font, run in self.runs(text, bold=bold)
        )

    def markup(self, text: str, *, bold: bool = False) -> str:
        """Paragraph markup with explicit font runs (text is XML-escaped)."""
        from xml.sax.saxutils import escape

        parts = []
        for font, run in self.runs(text, bold=bold):
            parts.append(f'<font name="{font}">{escape(run)}</font>')
        return "".join(parts)


def _system_candidates() -> list[Path]:
    if sys.platform.startswith("win"):
        windir = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        local = Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft" / "Windows" / "Fonts"
        return [d / name for name in _SYSTEM_FONTS["win32"] for d in (windir, local)]
    if sys.platform == "darwin":
        return [Path(p) for p in _SYSTEM_FONTS["darwin"]]
    return [Path(p) for p in _SYSTEM_FONTS["linux"]]


def candidate_paths(
    configured: Path | str | None = None, data_dir: Path | None = None
) -> list[Path]:
    """Every place a CJK font is looked for, in order (see the module docstring)."""
    paths: list[Path] = []
    if configured:
        paths.append(Path(configured))
    env = os.environ.get("FRONTDESK_CJK_FONT")
    if env:
        paths.append(Path(env))
    if data_dir is not None:
        font_dir = Path(data_dir) / "fonts"
        if font_dir.is_dir():
            paths.extend(
                sorted(p for p in font_dir.iterdir() if p.suffix.lower() in {".ttf", ".ttc"})
            )
    paths.append(resources_dir() / "fonts" / BUNDLED_FONT)
    paths.extend(_system_candidates())
    return paths


_lock = threading.Lock()
_loaded: dict[tuple[Path, ...], FontSet] = {}


def _try_font(path: Path, name: str) -> tuple[TTFont | None, str]:
    if not path.is_file():
        return None, "不存在 / not found"
    try:
        font = TTFont(name, str(path), subfontIndex=0)
    except TTFError as exc:  # CFF outlines, broken file, not a font
        return None, f"不可嵌入 / not embeddable: {exc}"
    except OSError as exc:
        return None, f"无法读取 / unreadable: {exc}"
    cmap = font.face.charToGlyph
    missing = [c for c in PROBE_TEXT if ord(c) not in cmap]
    if missing:
        return None, "缺字 / missing glyphs: " + "".join(missing[:10])
    return font, ""


def load_font_set(configured: Path | str | None = None, data_dir: Path | None = None) -> FontSet:
    """Register the first usable CJK font (once per process and candidate list)."""
    paths = tuple(candidate_paths(configured, data_dir))
    with _lock:
        cached = _loaded.get(paths)
        if cached is not None:
            return cached
        tried: list[tuple[Path, str]] = []
        for path in paths:
            # One registered name per file, so two font sets never shadow each other.
            name = f"{CJK_FONT_NAME}-{hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:8]}"
            if name in pdfmetrics.getRegisteredFontNames():
                font = pdfmetrics.getFont(name)
                why = ""
            else:
                font, why = _try_font(path, name)
                if font is not None:
                    pdfmetrics.registerFont(font)
            if font is None:
                tried.append((path, why))
                continue
            if tried:
                log.warning("CJK font: using %s after skipping %d candidate(s)", path, len(tried))
            result = FontSet(
                cjk=name,
                path=path,
                covered=frozenset(font.face.charToGlyph),  # type: ignore[attr-defined]
            )
            _loaded[paths] = result
            return result
        raise FontUnavailableError(tried)
