"""Build the PyInstaller bundle and the .deb on Linux, install it, self-check, remove it.

The same build script and spec feed the Windows installer (packaging/windows/), which
can only be built on a Windows runner; this is the tested path they share.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONPATH", None)
    return subprocess.run(cmd, capture_output=True, text=True, env=env, **kwargs)


@pytest.mark.slow
def test_bundle_builds_self_checks_and_installs_as_a_deb(tmp_path):
    result = _run([sys.executable, "packaging/build.py", "--selfcheck", "--deb"], cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "ok   pdf" in result.stdout and "FAIL" not in result.stdout
    bundle = ROOT / "dist" / "frontdesk"
    assert (bundle / "frontdesk").exists()
    internal = bundle / "_internal"
    assert (internal / "resources" / "catalogue" / "catalogue.json").exists()
    assert (internal / "resources" / "fonts" / "DroidSansFallbackFull.ttf").exists()
    assert (internal / "resources" / "i18n" / "frontdesk_en.qm").exists()
    assert list((internal / "db" / "versions").glob("0001_*.py"))
    assert (internal / "BUILD_INFO.json").exists()
    assert not list(internal.rglob("psycopg*")), "head-office packages must stay out"
    version = _run([str(bundle / "frontdesk"), "--version"])
    assert version.returncode == 0 and "frontdesk 0.1.0" in version.stdout
    assert "source" not in version.stdout  # the bundle's own build information

    debs = sorted((ROOT / "dist").glob("frontdesk_*.deb"))
    assert debs
    info = _run(["dpkg-deb", "--info", str(debs[-1])])
    assert "Package: frontdesk" in info.stdout
    contents = _run(["dpkg-deb", "--contents", str(debs[-1])]).stdout
    assert "./usr/share/applications/frontdesk.desktop" in contents
    assert "./opt/frontdesk/frontdesk" in contents

    if os.geteuid() != 0 or shutil.which("dpkg") is None:
        pytest.fail("installing the .deb needs root and dpkg (CI runs as root on Debian)")
    install = _run(["dpkg", "-i", str(debs[-1])])
    assert install.returncode == 0, install.stderr
    try:
        data = tmp_path / "counter"
        init = _run(
            [
                "/usr/bin/frontdesk",
                "--data-dir",
                str(data),
                "init",
                "--branch",
                "DEB01",
                "--workstation",
                "W01",
            ]
        )
        assert init.returncode == 0, init.stderr
        health = _run(["/usr/bin/frontdesk", "--data-dir", str(data), "health"])
        assert health.returncode == 0 and "status: OK" in health.stdout
        check = _run(["/usr/bin/frontdesk", "selfcheck"])
        assert check.returncode == 0, check.stdout + check.stderr
        # docs/install.md followed line by line with the installed package
        follow = _run(
            [
                "bash",
                str(ROOT / "scripts" / "follow_install_doc.sh"),
                "/usr/bin/frontdesk",
                str(tmp_path / "doc"),
            ]
        )
        assert follow.returncode == 0, follow.stdout[-3000:] + follow.stderr[-3000:]
        assert "install.md followed: ok" in follow.stdout
    finally:
        remove = _run(["dpkg", "-r", "frontdesk"])
    assert remove.returncode == 0, remove.stderr
    assert not Path("/usr/bin/frontdesk").exists()
    assert not Path("/opt/frontdesk/frontdesk").exists()
    assert (data / "frontdesk.db").exists(), "removal must keep the workstation's data"
