"""The Qt part of ``frontdesk selfcheck``: the platform plugin, the print support and the
sign-in window. Run in a child process (``frontdesk selfcheck --qt-child PLATFORM``,
started by :mod:`frontdesk.ops.selfcheck` by command line, never imported by it), so a
Qt abort cannot take the self-check's report with it."""

from __future__ import annotations

import os

from ..ops.selfcheck import QT_CHILD_MARKER


def qt_child(platform: str) -> int:
    """The Qt part, run in its own process by ``ops.selfcheck._gui_in_child``."""
    detail = _gui()
    print(f"{QT_CHILD_MARKER} {detail}", flush=True)
    return 0


def _gui() -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtPrintSupport import QPrinter

    from .qt import QApplication, printer_names
    from .signin import SignInWindow

    app = QApplication.instance() or QApplication([])
    printer = QPrinter()  # the print support plugin loads
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    window = SignInWindow("SELF01", "zh")
    window.show()
    app.processEvents()
    shown = window.isVisible()
    window.close()
    if not shown:
        raise RuntimeError("the sign-in window did not show")
    return (
        f"Qt platform {app.platformName()}, sign-in window shown, "
        f"{len(printer_names())} printers visible"
    )
