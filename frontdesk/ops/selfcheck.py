"""Self-check of an installed bundle (``frontdesk selfcheck``), for installers and CI.

Runs the real parts end to end in a throw-away workstation: migrations from the
bundle, the catalogue, a demo visit settled through the services, the CJK font and one
archived PDF with the font embedded, and (unless ``--no-gui``) the Qt platform plugin
and the sign-in window. Prints one line per check; exit code 0 only when all pass.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class SelfCheckReport:
    lines: list[str] = field(default_factory=list)
    failed: bool = False

    def run(self, name: str, check: Callable[[], str]) -> None:
        try:
            detail = check()
        except Exception as exc:  # a self-check reports every failure, never raises
            self.failed = True
            self.lines.append(f"FAIL {name}: {type(exc).__name__}: {exc}")
            self.lines.extend("     " + ln for ln in traceback.format_exc().splitlines()[-4:])
        else:
            self.lines.append(f"ok   {name}: {detail}")


def run_selfcheck(*, gui: bool = True, data_dir: Path | None = None) -> SelfCheckReport:
    from .. import __version__

    report = SelfCheckReport([f"frontdesk {__version__} self-check"])
    folder = Path(tempfile.mkdtemp(prefix="frontdesk-selfcheck-"))
    state: dict[str, object] = {}
    try:
        report.run("database", lambda: _database(folder, state))
        report.run("catalogue", lambda: _catalogue(state))
        report.run("visit", lambda: _visit(state))
        report.run("pdf", lambda: _pdf(state))
        if gui:
            report.run("gui", _gui)
        if data_dir is not None and (data_dir / "frontdesk.toml").exists():
            report.run("devices", lambda: _devices(data_dir, report))
    finally:
        ws = state.get("ws")
        if ws is not None:
            ws.close()  # type: ignore[attr-defined]
        shutil.rmtree(folder, ignore_errors=True)
    return report


def _database(folder: Path, state: dict[str, object]) -> str:
    from ..services.demo import load_demo_data
    from ..services.workstation import initialise

    ws = initialise(folder / "ws", branch_code="SELF01", workstation_code="W01")
    load_demo_data(ws)
    state["ws"] = ws
    return f"schema {ws.migration.after if ws.migration else '?'} at {ws.db_path.name}"


def _catalogue(state: dict[str, object]) -> str:
    ws = state["ws"]
    catalogue = ws.catalogue  # type: ignore[attr-defined]
    return f"version {catalogue.version}, {len(catalogue.businesses)} businesses"


def _visit(state: dict[str, object]) -> str:
    from sqlalchemy import select

    from ..services.auth import StaffSession
    from ..services.intake import IntakeService
    from ..store.models import Staff

    ws = state["ws"]
    with ws.db.reader() as s:  # type: ignore[attr-defined]
        staff = s.scalar(select(Staff).where(Staff.username == "clerk01"))
        clerk = StaffSession.of(staff, ws.clock.now())  # type: ignore[attr-defined]
    intake = IntakeService(ws)  # type: ignore[arg-type]
    visit = intake.open_visit(clerk)
    intake.add_business(
        clerk, visit, "TOP_UP", {"topup_amount": "50"}, service_number="13800138000"
    )
    intake.add_payment(clerk, visit, "cash", 10_000)
    settled = intake.settle(clerk, visit)
    state["slip_id"] = settled.slip_id
    return f"settled {settled.slip_no}, change {settled.change_fen} fen"


def _pdf(state: dict[str, object]) -> str:
    from ..services.documents import DocumentService

    docs = DocumentService(state["ws"])  # type: ignore[arg-type]
    refs = docs.archive_settlement(state["slip_id"])  # type: ignore[arg-type]
    data = docs.read_pdf(refs[0].document_id)
    if not data.startswith(b"%PDF") or b"/FontFile2" not in data:
        raise RuntimeError("the slip PDF has no embedded TrueType font")
    return f"{len(refs)} documents, slip {len(data):,} bytes, CJK font embedded"


def _gui() -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtPrintSupport import QPrinter

    from ..gui.qt import QApplication, printer_names

    app = QApplication.instance() or QApplication([])
    printer = QPrinter()  # the print support plugin loads
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    return f"Qt platform {app.platformName()}, {len(printer_names())} printers visible"


def _devices(data_dir: Path, report: SelfCheckReport) -> str:
    """The configured devices of the installed workstation: a real vendor library must
    load and export its API; a simulated device is named (a warning, not a failure)."""
    from ..config import load_config
    from ..devices.face_vendor import VendorFaceComparer
    from ..devices.registry import make_face_comparer, make_id_reader
    from ..devices.termb import TermbIdCardReader

    settings = load_config(data_dir).devices.settings()
    reader = make_id_reader(settings)
    if isinstance(reader, TermbIdCardReader):
        reader._ensure_loaded()  # loads the library and picks its dialect; no port opened
    face = make_face_comparer(settings)
    if isinstance(face, VendorFaceComparer):
        face.check_library()
    simulated = settings.simulated()
    if simulated:
        report.lines.append(
            "WARN devices: simulated " + ", ".join(simulated) + " (demo and training only)"
        )
    return f"id_reader={settings.id_reader}, face={settings.face}, signature={settings.signature}"
