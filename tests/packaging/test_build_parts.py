"""Parts of packaging/build.py that go wrong without building the whole bundle."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _build_module():
    spec = importlib.util.spec_from_file_location("fd_build", ROOT / "packaging" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_installed_size_counts_a_symlinked_file_once(tmp_path):
    stage = tmp_path / "stage"
    (stage / "opt" / "frontdesk").mkdir(parents=True)
    (stage / "usr" / "bin").mkdir(parents=True)
    (stage / "DEBIAN").mkdir()
    (stage / "DEBIAN" / "control").write_bytes(b"x" * 4096)
    (stage / "opt" / "frontdesk" / "frontdesk").write_bytes(b"\0" * 100 * 1024)
    (stage / "opt" / "frontdesk" / "libQt6Core.so.6").write_bytes(b"\0" * 50 * 1024)
    (stage / "opt" / "frontdesk" / "libQt6Core.so").symlink_to("libQt6Core.so.6")
    (stage / "usr" / "bin" / "frontdesk").symlink_to(stage / "opt" / "frontdesk" / "frontdesk")
    assert _build_module().installed_size_kb(stage) == 150


def test_lrelease_is_found_next_to_this_python_without_path(tmp_path):
    # the venv not activated (PATH without its bin folder): the build still finds the
    # lrelease of the Python that runs it, not another one
    env = {**os.environ, "PATH": str(tmp_path), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from frontdesk.gui.i18n import find_lrelease; print(find_lrelease())",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    tool = Path(done.stdout.strip())
    assert tool.parent == Path(sys.executable).parent and tool.name.startswith("pyside6-lrelease")
    ts = tmp_path / "t.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="en">'
        "<context><name>X</name><message><source>是</source><translation>Yes</translation>"
        "</message></context></TS>",
        encoding="utf-8",
    )
    subprocess.run(
        [str(tool), "-silent", str(ts), "-qm", str(tmp_path / "t.qm")], check=True, env=env
    )
    assert (tmp_path / "t.qm").stat().st_size > 0
