"""Choosing devices from the workstation settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdesk.devices.face import SimulatedFaceComparer
from frontdesk.devices.id_reader import SimulatedIdCardReader
from frontdesk.devices.registry import (
    DeviceSettings,
    make_face_comparer,
    make_id_reader,
    make_signature_pad,
)
from frontdesk.devices.signature_pad import SimulatedSignaturePad
from frontdesk.devices.termb import TermbIdCardReader


def test_defaults_are_simulators() -> None:
    settings = DeviceSettings()
    reader = make_id_reader(settings)
    assert isinstance(reader, SimulatedIdCardReader) and reader.is_simulator
    assert isinstance(make_face_comparer(settings), SimulatedFaceComparer)
    assert isinstance(make_signature_pad(settings), SimulatedSignaturePad)


def test_simulator_card_choice() -> None:
    reader = make_id_reader(DeviceSettings(simulator_card="minor"))
    reader.open()
    assert reader.read().name == "李小明"


def test_paper_signing_means_no_pad() -> None:
    assert make_signature_pad(DeviceSettings(signature="none")) is None


def test_termb_reader(tmp_path: Path) -> None:
    lib = tmp_path / "libtermb.so"
    reader = make_id_reader(DeviceSettings(id_reader="termb", termb_library=str(lib), termb_port=5))
    assert isinstance(reader, TermbIdCardReader) and not reader.is_simulator
    assert reader.port == 5 and reader.library_path == lib


def test_termb_reader_drives_the_fake_library(fake_plain) -> None:  # type: ignore[no-untyped-def]
    settings = DeviceSettings(id_reader="termb", termb_library=str(fake_plain.path))
    reader = make_id_reader(settings)
    reader.open()
    try:
        assert reader.read(timeout_s=0.5).name == "张三"
    finally:
        reader.close()


@pytest.mark.parametrize(
    ("settings", "setting_name"),
    [
        (DeviceSettings(id_reader="usb_magic"), "id_reader"),
        (DeviceSettings(id_reader="termb"), "termb_library"),
        (DeviceSettings(id_reader="termb", termb_library="x.so", termb_port=17), "termb_port"),
        (DeviceSettings(id_reader="termb", termb_library="x.so", termb_dialect="z"), "dialect"),
        (DeviceSettings(simulator_card="nobody"), "simulator_card"),
    ],
)
def test_bad_reader_settings_name_the_setting(settings: DeviceSettings, setting_name: str) -> None:
    with pytest.raises(ValueError, match=setting_name):
        make_id_reader(settings)


def test_bad_face_setting_names_the_setting() -> None:
    with pytest.raises(ValueError, match="setting face"):
        make_face_comparer(DeviceSettings(face="webcam"))


def test_bad_signature_setting_names_the_setting() -> None:
    with pytest.raises(ValueError, match="setting signature"):
        make_signature_pad(DeviceSettings(signature="tablet"))


def test_device_layer_imports_no_qt_and_no_orm() -> None:
    """The GUI polls devices from a worker thread; the layer must stay Qt- and ORM-free."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import frontdesk.devices.registry, frontdesk.devices.termb\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy')]\n"
        "assert not bad, bad\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
