"""Self-check of an installed bundle (``frontdesk selfcheck``), for installers and CI.

Runs the real parts end to end in a throw-away workstation: migrations from the
bundle, the catalogue, a demo visit settled through the services, the CJK font and one
archived PDF with the font embedded, and (unless ``--no-gui``) the Qt platform plugin,
the print support and the sign-in window. Each line is printed as soon as its check is
decided; a check that needs one that failed says so instead of failing on its own.
Qt is started in a child process: a missing platform plugin or system library makes Qt
abort the whole process (exit 134), which must not take the report with it. The child is
``frontdesk selfcheck --qt-child`` (a command line, not an import: this module is below
the GUI), which runs :func:`frontdesk.gui.selfcheck.qt_child`.
``--platform xcb`` (or ``windows``, ``wayland``…) checks the real display instead of
``offscreen``. Exit code 0 only when all pass.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

QT_CHILD_MARKER = "qt-ok:"


@dataclass
class SelfCheckReport:
    lines: list[str] = field(default_factory=list)
    failed: bool = False
    emit: Callable[[str], None] | None = None  # prints each line as it is decided
    passed: set[str] = field(default_factory=set)

    def add(self, line: str) -> None:
        self.lines.append(line)
        if self.emit is not None:
            self.emit(line)

    def run(self, name: str, check: Callable[[], str], needs: Sequence[str] = ()) -> None:
        missing = [n for n in needs if n not in self.passed]
        if missing:
            self.failed = True
            self.add(f"FAIL {name}: not checked, it needs {', '.join(missing)}, which failed")
            return
        try:
            detail = check()
        except Exception as exc:  # a self-check reports every failure, never raises
            self.failed = True
            self.add(f"FAIL {name}: {type(exc).__name__}: {exc}")
            for ln in traceback.format_exc().splitlines()[-4:]:
                self.add("     " + ln)
        else:
            self.passed.add(name)
            self.add(f"ok   {name}: {detail}")


def run_selfcheck(
    *,
    gui: bool = True,
    platform: str = "offscreen",
    emit: Callable[[str], None] | None = None,
    data_dir: Path | None = None,
) -> SelfCheckReport:
    from .. import __version__

    report = SelfCheckReport(emit=emit)
    report.add(f"frontdesk {__version__} self-check")
    state: dict[str, object] = {}
    folder: Path | None = None
    try:
        try:
            folder = Path(tempfile.mkdtemp(prefix="frontdesk-selfcheck-"))
        except OSError as exc:
            report.add(f"FAIL temporary folder: {exc}")
            report.failed = True
        else:
            report.run("database", lambda: _database(folder, state))
        report.run("catalogue", lambda: _catalogue(state), needs=["database"])
        report.run("visit", lambda: _visit(state), needs=["database", "catalogue"])
        report.run("pdf", lambda: _pdf(state), needs=["visit"])
        if gui:
            report.run("gui", lambda: _gui_in_child(platform))
        if data_dir is not None and (data_dir / "frontdesk.toml").exists():
            report.run("devices", lambda: _devices(data_dir, report))
    finally:
        ws = state.get("ws")
        if ws is not None:
            ws.close()  # type: ignore[attr-defined]
        if folder is not None:
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


def _qt_command(platform: str) -> list[str]:
    if getattr(sys, "frozen", False):  # the bundle's executable is the command line itself
        return [sys.executable, "selfcheck", "--qt-child", platform]
    return [sys.executable, "-m", "frontdesk.cli", "selfcheck", "--qt-child", platform]


def _gui_in_child(platform: str) -> str:
    env = dict(os.environ)
    if platform == "default":
        env.pop("QT_QPA_PLATFORM", None)
    else:
        env["QT_QPA_PLATFORM"] = platform
    done = subprocess.run(
        _qt_command(platform), capture_output=True, text=True, env=env, check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith(QT_CHILD_MARKER):
            return line[len(QT_CHILD_MARKER) :].strip()
    code = done.returncode
    how = f"exit {code}"
    if code < 0 or code == 128 + signal.SIGABRT:
        how += " (Qt aborted)"
    tail = [ln for ln in (done.stderr or "").splitlines() if ln.strip()][-6:]
    raise RuntimeError(
        f"Qt could not start on platform {platform!r} ({how}). "
        "On Linux install the xcb libraries (docs/install.md: libxcb-cursor0 …). "
        + " | ".join(tail)
    )


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
        report.add("WARN devices: simulated " + ", ".join(simulated) + " (demo and training only)")
    return f"id_reader={settings.id_reader}, face={settings.face}, signature={settings.signature}"
