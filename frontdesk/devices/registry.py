"""Build the counter's devices from the workstation settings.

The IT installer picks each device in the settings; the rest of the program only sees the
protocols. A typo in the settings must stop start-up with a message naming the setting,
never silently fall back to a simulator at a live counter.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.devices.face import FaceComparer, SimulatedFaceComparer
from frontdesk.devices.id_reader import IdCardReader, SimulatedIdCardReader, demo_person_names
from frontdesk.devices.signature_pad import SignaturePad, SimulatedSignaturePad

__all__ = ["DeviceSettings", "make_face_comparer", "make_id_reader", "make_signature_pad"]


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
    face: str = "simulator"  # "simulator"
    signature: str = "simulator"  # "simulator" | "none"


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
    raise ValueError(f"setting face: unknown face comparer {settings.face!r} (simulator)")


def make_signature_pad(settings: DeviceSettings) -> SignaturePad | None:
    """The signing device chosen in ``settings``; ``None`` means signing on paper."""
    if settings.signature == "simulator":
        return SimulatedSignaturePad()
    if settings.signature == "none":
        return None
    raise ValueError(
        f"setting signature: unknown signature device {settings.signature!r} (simulator, none)"
    )
