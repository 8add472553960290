"""Signature capture (paperless signing) device interface and simulator.

The customer signs the acceptance slip on a signature pad or on a customer-facing second
screen (SPEC §4); the PNG is embedded in the archived slip PDF, and the stroke points are
kept with it as evidence of a hand-drawn signature. Paper signing needs no device.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol, runtime_checkable

from frontdesk.devices.errors import DeviceError

__all__ = [
    "Signature",
    "SignatureCancelledError",
    "SignaturePad",
    "SignaturePadError",
    "SignatureTimeoutError",
    "SimulatedSignaturePad",
]

Point = tuple[int, int]


class SignaturePadError(DeviceError):
    """No signature was captured."""


class SignatureCancelledError(SignaturePadError):
    """The customer pressed cancel (取消) on the pad."""

    def __init__(self) -> None:
        super().__init__(
            "cancelled",
            "客户已取消签名。",
            "The customer cancelled signing.",
        )


class SignatureTimeoutError(SignaturePadError):
    """The customer did not confirm a signature in time."""

    def __init__(self, timeout_s: float) -> None:
        super().__init__(
            "timeout",
            f"签名超时（{timeout_s:g} 秒内未确认），请重新签名。",
            f"No signature confirmed within {timeout_s:g} s. Ask the customer to sign again.",
        )


@dataclass(frozen=True, repr=False)
class Signature:
    """A captured signature: the PNG to embed plus the raw strokes in pixel coordinates."""

    png: bytes
    width: int
    height: int
    strokes: list[list[Point]]
    device: str
    captured_at: datetime = field(default_factory=datetime.now)
    method: Literal["pad", "second_screen"] = "pad"

    def __repr__(self) -> str:  # a signature is personal data: no bytes in logs
        return (
            f"Signature({self.width}x{self.height}, {len(self.strokes)} strokes, "
            f"png={len(self.png)}B, device={self.device!r}, method={self.method!r})"
        )


@runtime_checkable
class SignaturePad(Protocol):
    """What the counter needs from a signing device (blocking; worker thread)."""

    name: str
    is_simulator: bool

    def capture(self, prompt_zh: str, timeout_s: float) -> Signature: ...


def _render_png(strokes: list[list[Point]], width: int, height: int) -> bytes:
    """Draw strokes in black ink on white and encode as PNG (Pillow, via reportlab)."""
    from PIL import Image, ImageDraw  # imported late: only needed when a signature is drawn

    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    for stroke in strokes:
        if len(stroke) > 1:
            draw.line(stroke, fill=0, width=3, joint="curve")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _plausible_strokes(width: int, height: int, rng: random.Random) -> list[list[Point]]:
    """A few looping, slanted strokes across the box: looks hand-written at a glance."""
    strokes: list[list[Point]] = []
    n_glyphs = rng.randint(2, 3)
    glyph_w = width * 0.8 / n_glyphs
    mid = height / 2
    for g in range(n_glyphs):
        x0 = width * 0.1 + g * glyph_w
        for _ in range(rng.randint(2, 3)):
            loops = rng.uniform(1.0, 2.5)
            amp = height * rng.uniform(0.18, 0.32)
            phase = rng.uniform(0, math.tau)
            points: list[Point] = []
            for i in range(40):
                t = i / 39
                x = x0 + t * glyph_w * 0.9 + amp * 0.3 * math.cos(loops * math.tau * t + phase)
                y = mid + amp * math.sin(loops * math.tau * t + phase) - (x - x0) * 0.15
                points.append((min(max(round(x), 0), width - 1), min(max(round(y), 0), height - 1)))
            strokes.append(points)
    underline_y = round(height * 0.85)
    strokes.append([(round(width * 0.1 + i * width * 0.08), underline_y - i) for i in range(11)])
    return strokes


SignatureScenario = Literal["signed", "cancelled", "timeout"]


class SimulatedSignaturePad:
    """A pad without hardware: "signs" a plausible signature at once, or fails on purpose.

    ``fail_with`` is ``None`` (signs), ``"cancelled"`` or ``"timeout"``. ``seed`` makes the
    drawn strokes repeatable.
    """

    is_simulator: bool = True

    def __init__(
        self,
        *,
        width: int = 600,
        height: int = 200,
        fail_with: Literal["cancelled", "timeout"] | None = None,
        seed: int | None = None,
        method: Literal["pad", "second_screen"] = "pad",
        name: str = "模拟签名板 (simulator)",
    ) -> None:
        if width < 50 or height < 30:
            raise ValueError("signature box too small to sign in")
        if fail_with not in (None, "cancelled", "timeout"):
            raise ValueError(f"unknown signature failure {fail_with!r}")
        self.name = name
        self.width = width
        self.height = height
        self.fail_with = fail_with
        self.method = method
        self._rng = random.Random(seed)
        self.last_prompt: str | None = None

    def capture(self, prompt_zh: str, timeout_s: float) -> Signature:
        self.last_prompt = prompt_zh  # what the customer would have seen on the pad
        if self.fail_with == "cancelled":
            raise SignatureCancelledError()
        if self.fail_with == "timeout":
            raise SignatureTimeoutError(timeout_s)
        strokes = _plausible_strokes(self.width, self.height, self._rng)
        return Signature(
            png=_render_png(strokes, self.width, self.height),
            width=self.width,
            height=self.height,
            strokes=strokes,
            device=self.name,
            captured_at=datetime.now(),
            method=self.method,
        )
