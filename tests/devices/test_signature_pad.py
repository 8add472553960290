"""Signature pad simulator."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from PIL import Image

from frontdesk.devices.signature_pad import (
    SignatureCancelledError,
    SignaturePad,
    SignaturePadError,
    SignatureTimeoutError,
    SimulatedSignaturePad,
)


@pytest.mark.parametrize(("width", "height"), [(600, 200), (400, 160), (800, 300)])
def test_signature_png_decodes_with_the_stated_size(width: int, height: int) -> None:
    pad = SimulatedSignaturePad(width=width, height=height, seed=7)
    assert isinstance(pad, SignaturePad) and pad.is_simulator
    sig = pad.capture("请在此签名确认", timeout_s=60)
    assert pad.last_prompt == "请在此签名确认"
    assert (sig.width, sig.height) == (width, height)
    with Image.open(io.BytesIO(sig.png)) as img:
        assert img.format == "PNG" and img.size == (width, height)
        img.load()
        lo, hi = img.convert("L").getextrema()
    assert lo < 64 and hi == 255  # dark ink on a white background
    assert sig.method == "pad" and sig.device == pad.name
    assert sig.captured_at <= datetime.now()


def test_strokes_are_plausible_and_inside_the_box() -> None:
    sig = SimulatedSignaturePad(seed=1).capture("签名", timeout_s=30)
    assert len(sig.strokes) >= 3
    for stroke in sig.strokes:
        assert len(stroke) >= 2
        for x, y in stroke:
            assert 0 <= x < sig.width and 0 <= y < sig.height
    xs = [x for stroke in sig.strokes for x, _ in stroke]
    assert max(xs) - min(xs) > sig.width / 2  # spans the box like a signature


def test_seed_makes_signatures_repeatable() -> None:
    a = SimulatedSignaturePad(seed=3).capture("签名", 30)
    b = SimulatedSignaturePad(seed=3).capture("签名", 30)
    assert a.strokes == b.strokes and a.png == b.png


def test_second_screen_method() -> None:
    sig = SimulatedSignaturePad(method="second_screen").capture("签名", 30)
    assert sig.method == "second_screen"


def test_repr_holds_no_image_bytes() -> None:
    sig = SimulatedSignaturePad(seed=2).capture("签名", 30)
    assert "PNG" not in repr(sig) and "\\x" not in repr(sig) and "600x200" in repr(sig)


def test_customer_cancels() -> None:
    with pytest.raises(SignatureCancelledError) as exc:
        SimulatedSignaturePad(fail_with="cancelled").capture("签名", 30)
    assert isinstance(exc.value, SignaturePadError)
    assert exc.value.code == "cancelled" and "取消" in exc.value.message_zh


def test_timeout() -> None:
    with pytest.raises(SignatureTimeoutError) as exc:
        SimulatedSignaturePad(fail_with="timeout").capture("签名", 45)
    assert exc.value.code == "timeout" and "45" in exc.value.message_zh


def test_bad_configuration() -> None:
    with pytest.raises(ValueError):
        SimulatedSignaturePad(fail_with="smudged")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        SimulatedSignaturePad(width=10, height=10)
