"""The real application on a real X display (Xvfb, Qt's xcb platform, not offscreen):
a system library Qt 6 needs that bootstrap did not install fails here, as it would on
a clerk's PC (``frontdesk demo`` dying with "could not load the Qt platform plugin xcb")."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("xcb_signin_driver.py")


def test_the_app_starts_on_xcb_signs_in_and_the_screen_shows_the_counter(demo_template, tmp_path):
    data = tmp_path / "ws"
    shutil.copytree(demo_template, data)
    shot = tmp_path / "screen.png"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "xcb"}
    env["FRONTDESK_LOG_DIR"] = str(tmp_path / "logs")
    done = subprocess.run(
        [
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1366x768x24",
            sys.executable,
            str(DRIVER),
            str(data),
            str(shot),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "platform xcb" in done.stdout
    image = QImage(str(shot))
    assert image.width() == 1366 and image.height() == 768
    # a real picture of the counter window, not a black screen
    colours = {image.pixel(x, y) for x in range(0, 1366, 23) for y in range(0, 768, 23)}
    assert len(colours) > 20


def test_selfcheck_checks_the_real_display_platform(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FRONTDESK_LOG_DIR": str(tmp_path / "l")}
    done = subprocess.run(
        ["xvfb-run", "-a", sys.executable, "-m", "frontdesk.cli", "selfcheck", "--platform", "xcb"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok   gui: Qt platform xcb, sign-in window shown" in done.stdout
