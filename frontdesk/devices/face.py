"""Face comparison (人像比对) device interface and simulator.

Since 2019-12-01 opening a line (入网) at a counter needs a face comparison pass between
the person at the counter and the photo on their ID card (SPEC §2 step 3). The device
captures the live image itself and returns only the score and the verdicts: the live face
image is neither returned nor kept anywhere in this program (PIPL — face data stays on
the device). The application records score, threshold, pass/fail, liveness and device.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol, runtime_checkable

from frontdesk.devices.errors import DeviceError

__all__ = ["FaceComparer", "FaceDeviceError", "FaceMatch", "SimulatedFaceComparer"]


class FaceDeviceError(DeviceError):
    """The comparison could not be made (camera fault, timeout, no ID photo)."""


@dataclass(frozen=True)
class FaceMatch:
    """The outcome of one comparison — numbers and verdicts only, never an image.

    ``passed`` is the device's overall verdict: similarity at or above ``threshold`` and
    the liveness check (活体检测) passed.
    """

    score: float
    threshold: float
    passed: bool
    liveness_passed: bool
    device: str
    compared_at: datetime = field(default_factory=datetime.now)

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0 or not 0.0 <= self.threshold <= 1.0:
            raise ValueError("score and threshold are similarities between 0 and 1")


@runtime_checkable
class FaceComparer(Protocol):
    """What the counter needs from a face comparison device (blocking; worker thread)."""

    name: str
    is_simulator: bool

    def compare(self, id_photo: bytes | None, *, timeout_s: float = 10.0) -> FaceMatch: ...


FaceScenario = Literal["pass", "low_score", "liveness_fail", "device_error"]


class SimulatedFaceComparer:
    """A face comparer without a camera, returning a chosen score for demos and tests.

    ``fail_with`` makes every comparison raise that error (a camera fault, say).
    """

    is_simulator: bool = True

    def __init__(
        self,
        score: float = 0.93,
        threshold: float = 0.80,
        liveness: bool = True,
        fail_with: FaceDeviceError | None = None,
        *,
        name: str = "模拟人像比对 (simulator)",
    ) -> None:
        if not 0.0 <= score <= 1.0 or not 0.0 <= threshold <= 1.0:
            raise ValueError("score and threshold are similarities between 0 and 1")
        self.name = name
        self.score = score
        self.threshold = threshold
        self.liveness = liveness
        self.fail_with = fail_with

    @classmethod
    def scenario(cls, scenario: FaceScenario) -> SimulatedFaceComparer:
        """A simulator for one of the named scenarios used by the GUI and the tests."""
        if scenario == "pass":
            return cls()
        if scenario == "low_score":
            return cls(score=0.42)
        if scenario == "liveness_fail":
            return cls(liveness=False)
        if scenario == "device_error":
            return cls(
                fail_with=FaceDeviceError(
                    "camera_fault",
                    "人像比对设备故障，请检查摄像头连接。",
                    "The face comparison device reported a camera fault.",
                )
            )
        raise ValueError(f"unknown face scenario {scenario!r}")

    def compare(self, id_photo: bytes | None, *, timeout_s: float = 10.0) -> FaceMatch:
        if self.fail_with is not None:
            raise self.fail_with
        if not id_photo:
            # Comparing needs the chip photo; a card read without one cannot be matched.
            raise FaceDeviceError(
                "no_id_photo",
                "没有证件照片，无法进行人像比对，请重新读取证件。",
                "No ID photo to compare against. Read the card again.",
            )
        return FaceMatch(
            score=self.score,
            threshold=self.threshold,
            passed=self.liveness and self.score >= self.threshold,
            liveness_passed=self.liveness,
            device=self.name,
            compared_at=datetime.now(),
        )
