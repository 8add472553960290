"""The vendor face-comparison adapter, against a fake vendor library compiled at test time."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from frontdesk.config import DevicesSection
from frontdesk.devices.face import FaceComparer, FaceDeviceError, FaceMatch
from frontdesk.devices.face_vendor import VendorFaceComparer
from frontdesk.devices.id_reader import demo_card
from frontdesk.devices.registry import DeviceSettings, make_face_comparer

PHOTO = demo_card("zhang_san").photo_bmp


def test_a_pass_reports_score_and_liveness_only(fake_face) -> None:
    comparer = VendorFaceComparer(fake_face.path, camera=2, threshold=0.85)
    assert isinstance(comparer, FaceComparer) and not comparer.is_simulator
    match = comparer.compare(PHOTO, timeout_s=3)
    assert (match.score, match.threshold, match.passed, match.liveness_passed) == (
        0.91,
        0.85,
        True,
        True,
    )
    assert match.device == comparer.name and "libfacecmp.so" in match.device
    # the chip photo went in whole; the camera and timeout were passed through
    assert fake_face.hook("last_len") == len(PHOTO) and fake_face.hook("photo_is_bmp") == 1
    assert (fake_face.hook("last_camera"), fake_face.hook("last_timeout")) == (2, 3000)
    assert not any(isinstance(getattr(match, f.name), bytes) for f in dataclasses.fields(match))
    comparer.compare(PHOTO)
    assert fake_face.hook("init_calls") == 1  # opened once
    comparer.close()
    assert fake_face.hook("close_calls") == 1


@pytest.mark.parametrize(
    ("score", "liveness", "passed"),
    [(0.79, True, False), (0.80, True, True), (0.99, False, False)],
)
def test_the_operators_threshold_and_liveness_decide(fake_face, score, liveness, passed) -> None:
    fake_face.result(score, liveness)
    match = VendorFaceComparer(fake_face.path).compare(PHOTO)
    assert isinstance(match, FaceMatch) and match.passed is passed
    assert match.liveness_passed is liveness


@pytest.mark.parametrize(
    ("mode", "code", "rc"),
    [
        ("nocamera", "no_camera", -1),
        ("licence", "licence_invalid", -2),
        ("noface", "no_face", 1),
        ("badphoto", "photo_unreadable", 2),
        ("fault", "camera_fault", -3),
        ("weird", "vendor_error", 77),
        ("garbled", "garbled_score", None),
    ],
)
def test_vendor_failures_become_device_errors(fake_face, mode, code, rc) -> None:
    fake_face.mode(mode)
    with pytest.raises(FaceDeviceError) as info:
        VendorFaceComparer(fake_face.path).compare(PHOTO)
    assert info.value.code == code and info.value.vendor_rc == rc
    assert info.value.message_zh and info.value.message_en


def test_a_reset_terminal_is_opened_again(fake_face) -> None:
    comparer = VendorFaceComparer(fake_face.path)
    comparer.compare(PHOTO)
    fake_face.mode("reset")
    with pytest.raises(FaceDeviceError) as info:
        comparer.compare(PHOTO)
    assert info.value.code == "not_open"
    assert comparer.compare(PHOTO).passed and fake_face.hook("init_calls") == 2


def test_no_photo_is_refused_before_the_device(fake_face) -> None:
    with pytest.raises(FaceDeviceError) as info:
        VendorFaceComparer(fake_face.path).compare(b"")
    assert info.value.code == "no_id_photo" and fake_face.hook("init_calls") == 0


def test_missing_or_foreign_library(tmp_path: Path, fake_termb_builds) -> None:
    with pytest.raises(FaceDeviceError) as info:
        VendorFaceComparer(tmp_path / "nowhere.so").compare(PHOTO)
    assert info.value.code == "library_missing" and "nowhere.so" in info.value.message_zh
    with pytest.raises(FaceDeviceError) as info:
        VendorFaceComparer(fake_termb_builds["termb"]).compare(PHOTO)  # a reader, not a face SDK
    assert info.value.code == "library_unsupported" and "FC_Init" in info.value.message_en


@pytest.mark.parametrize(("camera", "threshold"), [(-1, 0.8), (0, 0.0), (0, 1.5)])
def test_bad_arguments(camera: int, threshold: float) -> None:
    with pytest.raises(ValueError):
        VendorFaceComparer("x.so", camera=camera, threshold=threshold)


def test_selected_in_the_config(fake_face) -> None:
    section = DevicesSection(face="vendor", face_library=str(fake_face.path), face_threshold=0.9)
    comparer = make_face_comparer(section.settings())
    assert isinstance(comparer, VendorFaceComparer) and comparer.threshold == 0.9
    assert comparer.compare(PHOTO).passed
    assert section.settings().simulated() == ["id_reader"]
    assert DevicesSection().settings().simulated() == ["id_reader", "face"]


@pytest.mark.parametrize(
    ("settings", "name"),
    [
        (DeviceSettings(face="vendor"), "face_library"),
        (DeviceSettings(face="vendor", face_library="x.so", face_threshold=0), "face_threshold"),
        (DeviceSettings(face="vendor", face_library="x.so", face_camera=-1), "face_camera"),
    ],
)
def test_bad_face_settings_name_the_setting(settings: DeviceSettings, name: str) -> None:
    with pytest.raises(ValueError, match=f"setting {name}"):
        make_face_comparer(settings)


def test_selfcheck_loads_the_configured_vendor_libraries(
    tmp_path: Path, fake_face, fake_termb_builds, capsys
) -> None:
    from frontdesk.cli import main
    from frontdesk.config import load_config, write_config
    from frontdesk.services.workstation import initialise

    ws = initialise(tmp_path / "ws", branch_code="BJ0101", workstation_code="W08")
    data_dir = ws.data_dir
    ws.close()
    config = load_config(data_dir)
    devices = config.devices.model_copy(
        update={
            "id_reader": "termb",
            "termb_library": str(fake_termb_builds["termb"]),
            "face": "vendor",
            "face_library": str(fake_face.path),
        }
    )
    write_config(data_dir, config.model_copy(update={"devices": devices}))
    assert main(["--data-dir", str(data_dir), "selfcheck", "--no-gui"]) == 0
    out = capsys.readouterr().out
    assert "ok   devices: id_reader=termb, face=vendor, signature=none" in out
    assert "WARN" not in out
    assert fake_face.hook("init_calls") == 0  # the library is checked, the camera not opened
