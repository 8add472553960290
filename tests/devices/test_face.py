"""Face comparison simulator."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from frontdesk.devices.face import (
    FaceComparer,
    FaceDeviceError,
    FaceMatch,
    SimulatedFaceComparer,
)
from frontdesk.devices.id_reader import demo_card

PHOTO = demo_card("zhang_san").photo_bmp


def test_pass() -> None:
    comparer = SimulatedFaceComparer.scenario("pass")
    assert isinstance(comparer, FaceComparer) and comparer.is_simulator
    before = datetime.now()
    match = comparer.compare(PHOTO)
    assert match.passed and match.liveness_passed
    assert (match.score, match.threshold) == (0.93, 0.80)
    assert match.device == comparer.name
    assert before <= match.compared_at <= datetime.now()


def test_result_holds_no_image() -> None:
    fields = {f.name for f in dataclasses.fields(FaceMatch)}
    assert fields == {"score", "threshold", "passed", "liveness_passed", "device", "compared_at"}
    match = SimulatedFaceComparer().compare(PHOTO)
    assert not any(isinstance(getattr(match, f), bytes) for f in fields)


def test_low_score_fails() -> None:
    match = SimulatedFaceComparer.scenario("low_score").compare(PHOTO)
    assert not match.passed and match.liveness_passed and match.score < match.threshold


def test_liveness_failure_fails_even_with_a_high_score() -> None:
    match = SimulatedFaceComparer.scenario("liveness_fail").compare(PHOTO)
    assert match.score >= match.threshold
    assert not match.liveness_passed and not match.passed


def test_score_exactly_at_threshold_passes() -> None:
    assert SimulatedFaceComparer(score=0.8, threshold=0.8).compare(PHOTO).passed


def test_device_error() -> None:
    with pytest.raises(FaceDeviceError) as exc:
        SimulatedFaceComparer.scenario("device_error").compare(PHOTO, timeout_s=1)
    assert exc.value.code == "camera_fault" and "设备" in exc.value.message_zh


def test_custom_error() -> None:
    err = FaceDeviceError("timeout", "人像比对超时。", "Face comparison timed out.")
    with pytest.raises(FaceDeviceError) as exc:
        SimulatedFaceComparer(fail_with=err).compare(PHOTO)
    assert exc.value is err


@pytest.mark.parametrize("photo", [None, b""])
def test_no_id_photo_cannot_be_compared(photo: bytes | None) -> None:
    with pytest.raises(FaceDeviceError) as exc:
        SimulatedFaceComparer().compare(photo)
    assert exc.value.code == "no_id_photo"


@pytest.mark.parametrize(("score", "threshold"), [(1.2, 0.8), (-0.1, 0.8), (0.9, 1.5)])
def test_scores_are_similarities(score: float, threshold: float) -> None:
    with pytest.raises(ValueError):
        SimulatedFaceComparer(score=score, threshold=threshold)
    with pytest.raises(ValueError):
        FaceMatch(score, threshold, True, True, "x", datetime.now())


def test_unknown_scenario() -> None:
    with pytest.raises(ValueError):
        SimulatedFaceComparer.scenario("smile")  # type: ignore[arg-type]
