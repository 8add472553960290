"""`frontdesk health` and `frontdesk selfcheck` name every simulated device; selfcheck
loads a configured vendor library and fails loudly when it is missing."""

from __future__ import annotations

from frontdesk.cli import main
from frontdesk.config import load_config, write_config
from frontdesk.services.workstation import initialise


def _workstation(tmp_path, **devices):
    ws = initialise(tmp_path / "ws", branch_code="BJ0101", workstation_code="W09")
    data_dir = ws.data_dir
    ws.close()
    if devices:
        config = load_config(data_dir)
        section = config.devices.model_copy(update=devices)
        write_config(data_dir, config.model_copy(update={"devices": section}))
    return data_dir


def test_health_names_simulated_devices(tmp_path, capsys):
    data_dir = _workstation(tmp_path)
    assert main(["--data-dir", str(data_dir), "health"]) == 0
    out = capsys.readouterr().out
    assert "warning: simulated devices: id_reader, face" in out
    assert "不得办理真实业务" in out


def test_health_is_quiet_about_real_devices(tmp_path, capsys):
    data_dir = _workstation(
        tmp_path, id_reader="termb", termb_library="/opt/x.so", face="vendor", face_library="/x"
    )
    assert main(["--data-dir", str(data_dir), "health"]) == 0
    assert "simulated" not in capsys.readouterr().out


def test_selfcheck_warns_about_simulators(tmp_path, capsys):
    data_dir = _workstation(tmp_path)
    assert main(["--data-dir", str(data_dir), "selfcheck", "--no-gui"]) == 0
    out = capsys.readouterr().out
    assert "WARN devices: simulated id_reader, face" in out
    assert "ok   devices: id_reader=simulator, face=simulator" in out


def test_selfcheck_fails_on_a_missing_vendor_library(tmp_path, capsys):
    data_dir = _workstation(tmp_path, face="vendor", face_library=str(tmp_path / "libfacecmp.so"))
    assert main(["--data-dir", str(data_dir), "selfcheck", "--no-gui"]) == 1
    out = capsys.readouterr().out
    assert "FAIL devices" in out and "libfacecmp.so" in out


def test_selfcheck_fails_on_a_misconfigured_reader(tmp_path, capsys):
    data_dir = _workstation(tmp_path, id_reader="termb", termb_library="")
    assert main(["--data-dir", str(data_dir), "selfcheck", "--no-gui"]) == 1
    assert "FAIL devices: ValueError: setting termb_library" in capsys.readouterr().out
