"""Where frontdesk finds its shipped resources and keeps a workstation's data.

Resources (catalogue, region table, fonts, translations) sit in ``resources/`` at the
top of the source tree; a PyInstaller bundle puts them beside the executable. The
``FRONTDESK_RESOURCES`` environment variable overrides both (tests, packaging).
A workstation's own data (database, keys, archive, backups, logs) lives in the
platform's data folder unless a data folder is given explicitly.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "frontdesk"
APP_AUTHOR = "frontdesk"


def resources_dir() -> Path:
    override = os.environ.get("FRONTDESK_RESOURCES")
    if override:
        return Path(override)
    bundle_root = getattr(sys, "_MEIPASS", None)
    if bundle_root:
        return Path(bundle_root) / "resources"
    return Path(__file__).resolve().parents[1] / "resources"


def migrations_dir() -> Path:
    bundle_root = getattr(sys, "_MEIPASS", None)
    if bundle_root:
        return Path(bundle_root) / "db"
    return Path(__file__).resolve().parents[1] / "db"


def default_data_dir() -> Path:
    """$FRONTDESK_DATA_DIR, else the machine-wide folder the installer wrote into
    ``data_dir.txt`` beside the bundled executable (counter PCs are shared by several
    clerks' accounts), else the user's platform data folder."""
    override = os.environ.get("FRONTDESK_DATA_DIR")
    if override:
        return Path(override)
    if getattr(sys, "frozen", False):
        pointer = Path(sys.executable).resolve().parent / "data_dir.txt"
        if pointer.exists():
            text = pointer.read_text(encoding="utf-8-sig").strip()
            if text:
                return Path(text)
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def build_info() -> dict[str, str]:
    """Version, commit and build time written into the bundle by packaging/build.py."""
    import json

    from . import __version__

    bundle_root = getattr(sys, "_MEIPASS", None)
    if bundle_root:
        path = Path(bundle_root) / "BUILD_INFO.json"
        if path.exists():
            return dict(json.loads(path.read_text(encoding="utf-8")))
    return {"version": __version__, "commit": "source", "built_at": "-"}


def default_log_dir() -> Path:
    """$FRONTDESK_LOG_DIR, else the user's platform log folder."""
    override = os.environ.get("FRONTDESK_LOG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
