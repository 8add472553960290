"""Simulated devices are never silent: a red banner outside the demo, no fallback for a
misconfigured real reader or face device."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from frontdesk.core.messages import RuleViolation
from frontdesk.devices.face_vendor import VendorFaceComparer
from frontdesk.devices.registry import UnconfiguredFaceComparer, UnconfiguredIdCardReader
from frontdesk.devices.termb import TermbIdCardReader
from frontdesk.gui.context import CounterServices
from frontdesk.gui.main_window import CounterWindow
from frontdesk.gui.qt import Qt
from frontdesk.services.intake import IntakeService
from frontdesk.store.models import IdVerification

from .conftest import Clerk


def _window(qtbot, services, clerk) -> CounterWindow:
    win = CounterWindow(services, clerk)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_a_live_counter_on_simulators_shows_a_red_banner(qtbot, demo_ws, clerk):
    services = CounterServices.build(demo_ws)  # the default config: simulated reader and face
    assert services.simulated_devices() == ["id_reader", "face"]
    win = _window(qtbot, services, clerk)
    banner = win.simulator_banner
    assert banner.isVisible()
    assert "读卡器、人像比对" in banner.text() and "不得办理真实业务" in banner.text()
    assert "#C0392B" in banner.styleSheet()


def test_the_demo_shows_no_banner(qtbot, demo_ws, clerk):
    services = CounterServices.build(demo_ws, demo=True)
    assert not _window(qtbot, services, clerk).simulator_banner.isVisible()


def test_real_devices_show_no_banner(qtbot, demo_ws, clerk, tmp_path):
    reader = TermbIdCardReader(tmp_path / "libtermb.so")
    services = CounterServices.build(
        demo_ws, reader=reader, face=VendorFaceComparer(tmp_path / "libfacecmp.so")
    )
    assert services.simulated_devices() == []
    assert not _window(qtbot, services, clerk).simulator_banner.isVisible()


def test_a_misconfigured_reader_is_an_error_never_the_simulator(qtbot, demo_ws, clerk):
    services = CounterServices.build(demo_ws)
    services.update_config(devices={"id_reader": "termb", "termb_library": ""})
    services.reload_devices()
    assert isinstance(services.reader, UnconfiguredIdCardReader)
    assert not services.reader.is_simulator and "termb_library" in services.reader_problem
    # through the service: the read is refused with the setting named
    intake = IntakeService(demo_ws)
    visit = intake.open_visit(clerk)
    with pytest.raises(RuleViolation) as info:
        services.verification.read_card(clerk, visit, services.reader)
    assert info.value.codes == ["verification.reader_failed"]
    assert "termb_library" in info.value.text("zh") and "IT" in info.value.text("zh")
    intake.cancel(clerk, visit, "测试")
    # through the window: F2 says what IT must fix, nothing is captured
    win = _window(qtbot, services, clerk)
    c = Clerk(qtbot, win)
    c.key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    c.key(Qt.Key.Key_F2)
    assert "termb_library" in win.verification.message.text()
    assert not win.simulator_banner.text().count("读卡器")  # the reader is not simulated
    with demo_ws.db.reader() as s:
        assert s.scalar(select(func.count(IdVerification.id))) == 0


def test_a_misconfigured_face_device_fails_every_comparison(demo_ws, clerk):
    from frontdesk.devices.face import FaceDeviceError

    services = CounterServices.build(demo_ws)
    services.update_config(devices={"face": "vendor", "face_library": ""})
    services.reload_devices()
    assert isinstance(services.face, UnconfiguredFaceComparer)
    assert services.simulated_devices() == ["id_reader"]
    with pytest.raises(FaceDeviceError) as info:
        services.face.compare(b"BM")
    assert info.value.code == "misconfigured" and "face_library" in info.value.message_zh


def test_frontdesk_demo_starts_the_counter_in_demo_mode(qtbot, demo_ws):
    from frontdesk.gui.app import CounterApp, open_services

    services = open_services(demo_ws.data_dir, demo=True)
    try:
        assert services.demo and services.simulated_devices() == ["id_reader", "face"]
    finally:
        services.stop_sync()
        services.ws.close()
    app = CounterApp(demo_ws.data_dir, demo=True)
    qtbot.addWidget(app.signin)
    app.start()
    qtbot.waitUntil(lambda: app.services is not None, timeout=20000)
    assert app.services.demo
    app.services.ws.close()
    plain = CounterApp(demo_ws.data_dir)  # `frontdesk gui`: the banner when simulated
    qtbot.addWidget(plain.signin)
    assert not plain.demo
