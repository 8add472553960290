"""Build the counter's devices from the workstation settings.

The IT installer picks each device in the settings; the rest of the program only sees the
protocols. A typo in the settings must stop start-up with a message naming the setting,
never silently fall back to a simulator at a live counter.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.devices.face import FaceComparer, FaceDeviceError, FaceMatch, SimulatedFaceComparer
from frontdesk.devices.id_reader import (
    CardRead,
    DeviceUnavailableError,
    IdCardReader,
    SimulatedIdCardReader,
    demo_person_names,
)
from frontdesk.devices.signature_pad import SignaturePad, SimulatedSignaturePad

__all__ = [
    "DeviceSettings",
    "UnconfiguredFaceComparer",
    "UnconfiguredIdCardReader",
    "make_face_comparer",
    "make_id_reader",
    "make_signature_pad",
]


@dataclass(frozen=True)
class DeviceSettings:
    """Device choices of one workstation (from its config file).

    ``signature = "none"`` means customers sign on paper. ``termb_dialect`` is normally
    ``"auto"``; set it only for a vendor library whose exports confuse detection.
    """

    id_reader: str = "simulator"  # "simulator" | "termb"
    termb_library: str | None = None
    termb_port: int = 1001
    termb_dialect: str = "auto"
    simulator_card: str = "zhang_san"
    face: str = "simulator"  # "simulator" | "vendor"
    signature: str = "simulator"  # "simulator" | "none"
    face_library: str | None = None
    face_camera: int = 0
    face_threshold: float = 0.80

    def simulated(self) -> list[str]:
        """The devices these settings leave simulated (named by health and selfcheck)."""
        found = [name for name in ("id_reader", "face") if getattr(self, name) == "simulator"]
        return found + (["signature"] if self.signature == "simulator" else [])


def make_id_reader(settings: DeviceSettings) -> IdCardReader:
    """The ID-card reader chosen in ``settings`` (not opened yet)."""
    if settings.id_reader == "simulator":
        if settings.simulator_card not in demo_person_names():
            raise ValueError(
                f"setting simulator_card: unknown demo person {settings.simulator_card!r}"
            )
        return SimulatedIdCardReader(settings.simulator_card)
    if settings.id_reader == "termb":
        from frontdesk.devices.termb import DIALECTS, TermbIdCardReader, valid_port

        if not settings.termb_library:
            raise ValueError("setting termb_library: path to termb.dll / libtermb.so needed")
        if not valid_port(settings.termb_port):
            raise ValueError(
                f"setting termb_port: {settings.termb_port} is not 1-16 (serial) or 1001-1016 (USB)"
            )
        if settings.termb_dialect != "auto" and settings.termb_dialect not in DIALECTS:
            raise ValueError(f"setting termb_dialect: unknown dialect {settings.termb_dialect!r}")
        return TermbIdCardReader(
            settings.termb_library, settings.termb_port, dialect=settings.termb_dialect
        )
    raise ValueError(f"setting id_reader: unknown reader {settings.id_reader!r} (simulator, termb)")


def make_face_comparer(settings: DeviceSettings) -> FaceComparer:
    """The face comparison device chosen in ``settings``."""
    if settings.face == "simulator":
        return SimulatedFaceComparer()
    if settings.face == "vendor":
        from frontdesk.devices.face_vendor import VendorFaceComparer

        if not settings.face_library:
            raise ValueError("setting face_library: path to the face comparison SDK needed")
        if not 0.0 < settings.face_threshold <= 1.0:
            raise ValueError(f"setting face_threshold: {settings.face_threshold} is not in (0, 1]")
        if settings.face_camera < 0:
            raise ValueError(f"setting face_camera: {settings.face_camera} is not 0 or more")
        return VendorFaceComparer(
            settings.face_library, camera=settings.face_camera, threshold=settings.face_threshold
        )
    raise ValueError(f"setting face: unknown face comparer {settings.face!r} (simulator, vendor)")


class UnconfiguredIdCardReader:
    """Stands where a misconfigured real reader should be: never a simulator in disguise.

    Every read fails with the setting's problem, so the clerk and IT see exactly what to
    fix (issue: a bad termb path once fell back silently to the simulator).
    """

    is_simulator: bool = False

    def __init__(self, problem: str) -> None:
        self.problem = problem
        self.name = "读卡器配置错误 (misconfigured)"

    def _error(self) -> DeviceUnavailableError:
        return DeviceUnavailableError(
            "misconfigured",
            f"读卡器配置有误，请 IT 人员修改设置：{self.problem}",
            f"The ID-card reader is misconfigured; IT must fix the settings: {self.problem}",
        )

    def open(self) -> None:
        raise self._error()

    def close(self) -> None:
        return None

    def read(self, timeout_s: float = 5.0) -> CardRead:
        raise self._error()


def make_signature_pad(settings: DeviceSettings) -> SignaturePad | None:
    """The signing device chosen in ``settings``; ``None`` means signing on paper."""
    if settings.signature == "simulator":
        return SimulatedSignaturePad()
    if settings.signature == "none":
        return None
    raise ValueError(
        f"setting signature: unknown signature device {settings.signature!r} (simulator, none)"
    )


class UnconfiguredFaceComparer:
    """Stands where a misconfigured face device should be: every comparison fails with
    the setting's problem (a simulated pass must never stand in for the real device)."""

    is_simulator: bool = False

    def __init__(self, problem: str) -> None:
        self.problem = problem
        self.name = "人像比对配置错误 (misconfigured)"

    def compare(self, id_photo: bytes | None, *, timeout_s: float = 10.0) -> FaceMatch:
        raise FaceDeviceError(
            "misconfigured",
            f"人像比对设备配置有误，请 IT 人员修改设置：{self.problem}",
            f"The face comparison device is misconfigured; IT must fix the settings: "
            f"{self.problem}",
        )
