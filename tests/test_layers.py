"""The core and device layers import no Qt and no SQLAlchemy (STYLE.md traps)."""

from __future__ import annotations

import subprocess
import sys


def test_core_and_devices_import_no_qt_and_no_sqlalchemy():
    code = (
        "import sys, pkgutil, importlib, frontdesk.core, frontdesk.devices\n"
        "for pkg in (frontdesk.core, frontdesk.devices):\n"
        "    for m in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(pkg.__name__ + '.' + m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('PySide6', 'sqlalchemy'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""
