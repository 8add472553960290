"""The services and devices one counter window works with, passed in explicitly.

There is no global app object (STYLE.md trap): :class:`CounterServices` is built once
from the opened :class:`~frontdesk.services.workstation.Workstation` and handed to
every window and panel that needs it. Settings changes (reader choice, language,
idle-lock minutes) go through :meth:`CounterServices.update_config`, which validates
the new configuration and writes it atomically with ``config.write_config``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Config, parse_config, write_config
from ..core.clock import business_date
from ..devices.face import FaceComparer, SimulatedFaceComparer
from ..devices.id_reader import IdCardReader, SimulatedIdCardReader
from ..devices.registry import (
    UnconfiguredFaceComparer,
    UnconfiguredIdCardReader,
    make_face_comparer,
    make_id_reader,
)
from ..services.auth import AuthService
from ..services.intake import IntakeService
from ..services.verification import VerificationService
from ..services.workstation import Workstation

if TYPE_CHECKING:
    from ..services.documents import DocumentService
    from ..services.queue import CounterDesk
    from ..sync.agent import SyncAgent
    from ..sync.client import HeadOfficeClient
    from ..sync.status import SyncStatus
    from .queue_strip import TicketSource

PREFS_FILE = "gui.json"
SCAN_SUFFIXES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".pdf": "application/pdf",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
}


@dataclass
class GuiPrefs:
    """Counter preferences the config file has no key for yet (see the report).

    Kept in ``<data>/gui.json``, written atomically: the printer to offer first and the
    folder a network scanner drops document scans into.
    """

    printer: str = ""
    scanner_folder: str = ""
    receipt_layout: str = "thermal80"  # thermal80 (80 mm roll) | a4
    print_folder: str = ""  # print to PDF files in this folder instead of a printer

    @classmethod
    def load(cls, data_dir: Path) -> GuiPrefs:
        try:
            raw = json.loads((data_dir / PREFS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        layout = str(raw.get("receipt_layout", "thermal80"))
        return cls(
            printer=str(raw.get("printer", "")),
            scanner_folder=str(raw.get("scanner_folder", "")),
            receipt_layout=layout if layout in ("thermal80", "a4") else "thermal80",
            print_folder=str(raw.get("print_folder", "")),
        )

    def save(self, data_dir: Path) -> None:
        path = data_dir / PREFS_FILE
        tmp = path.with_suffix(".json.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(
                {
                    "printer": self.printer,
                    "scanner_folder": self.scanner_folder,
                    "receipt_layout": self.receipt_layout,
                    "print_folder": self.print_folder,
                },
                fh,
            )
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)


def scan_mime_type(path: Path) -> str | None:
    return SCAN_SUFFIXES.get(path.suffix.lower())


def _head_office_client(ws: Workstation) -> HeadOfficeClient | None:
    """Head office for 一证五号 counts and fresh account state, when enrolled."""
    try:
        from ..sync.service import client_for

        return client_for(ws)
    except Exception:  # not enrolled yet: verification falls back to local records
        return None


@dataclass
class CounterServices:
    """Everything a counter window calls: services, devices and preferences."""

    ws: Workstation
    auth: AuthService
    verification: VerificationService
    intake: IntakeService
    reader: IdCardReader
    face: FaceComparer
    prefs: GuiPrefs = field(default_factory=GuiPrefs)
    tickets: TicketSource | None = None
    reader_problem: str = ""
    sync_agent: SyncAgent | None = None
    demo: bool = False  # started by `frontdesk demo`: simulators are expected, no banner

    @classmethod
    def build(
        cls,
        ws: Workstation,
        *,
        reader: IdCardReader | None = None,
        face: FaceComparer | None = None,
        demo: bool = False,
    ) -> CounterServices:
        head_office = _head_office_client(ws)
        services = cls(
            ws=ws,
            auth=AuthService(ws.db, ws.config.security, ws.clock),
            verification=VerificationService(ws, limits=head_office, accounts=head_office),
            intake=IntakeService(ws),
            reader=reader or SimulatedIdCardReader(None),
            face=face or SimulatedFaceComparer(),
            prefs=GuiPrefs.load(ws.data_dir),
            demo=demo,
        )
        if reader is None:
            services.reload_devices()
        elif face is None:
            services.face = services._configured_face()
        return services

    def simulated_devices(self) -> list[str]:
        """Devices of this counter that are simulators (a red banner outside the demo)."""
        found = []
        if getattr(self.reader, "is_simulator", False):
            found.append("id_reader")
        if getattr(self.face, "is_simulator", False):
            found.append("face")
        if self.ws.config.devices.signature == "simulator":
            found.append("signature")
        return found

    def _configured_face(self) -> FaceComparer:
        """The configured face comparer; a bad setting is an error at every comparison,
        never a simulator standing in for the real device."""
        try:
            return make_face_comparer(self.ws.config.devices.settings())
        except ValueError as exc:
            self.reader_problem = self.reader_problem or str(exc)
            return UnconfiguredFaceComparer(str(exc))

    def start_sync(self) -> None:
        """Sync in the background when this workstation is enrolled with head office."""
        if self.sync_agent is not None:
            return
        try:
            from ..services.syncpass import SyncAgent
            from ..sync.credentials import CredentialStore

            CredentialStore(self.ws.data_dir).load()
        except Exception:  # not enrolled (or no credential store): the counter works alone
            return
        self.sync_agent = SyncAgent(self.ws)
        self.sync_agent.start()

    def sync_status(self) -> SyncStatus:
        """What the status bar shows: the agent's view, or the local outbox when offline."""
        if self.sync_agent is not None:
            return self.sync_agent.status()
        from ..sync.status import read_status

        return read_status(self.ws.db, enrolled=False)

    def stop_sync(self) -> None:
        if self.sync_agent is not None:
            self.sync_agent.stop()
            self.sync_agent = None

    @property
    def config(self) -> Config:
        return self.ws.config

    @functools.cached_property
    def queue_desk(self) -> CounterDesk:
        """This counter's place in the branch queue (its own, or the queue host's)."""
        from ..queuehost.backend import counter_desk

        return counter_desk(self.ws)

    @functools.cached_property
    def documents(self) -> DocumentService:
        """Built on first use: loading the CJK font costs ~0.15 s, not at sign-in."""
        from ..services.documents import DocumentService

        return DocumentService(self.ws)

    @property
    def scanner_folder(self) -> Path:
        return (
            Path(self.prefs.scanner_folder)
            if self.prefs.scanner_folder
            else (self.ws.data_dir / "scans")
        )

    def reload_devices(self) -> None:
        """(Re)build the reader and face comparer from the config; never crash the window.

        The simulator presents cards dated from the workstation's clock so the demo
        customers are found; a real reader that can't be opened is kept, and its
        problem is shown when the clerk reads a card.
        """
        devices = self.ws.config.devices
        with contextlib.suppress(Exception):  # a broken old device must not block the new one
            self.reader.close()
        self.reader_problem = ""
        if devices.id_reader == "simulator":
            today = business_date(self.ws.clock.now())
            self.reader = SimulatedIdCardReader(None, today=today)
        else:
            try:
                self.reader = make_id_reader(devices.settings())
            except ValueError as exc:
                # never the simulator in its place: every read says what IT must fix
                self.reader_problem = str(exc)
                self.reader = UnconfiguredIdCardReader(str(exc))
        try:
            self.reader.open()
        except Exception as exc:  # shown when the clerk reads; the window still starts
            self.reader_problem = getattr(exc, "message_zh", None) or str(exc)
        self.face = self._configured_face()

    def update_config(self, **sections: dict[str, Any]) -> Config:
        """Validate and atomically write a new config with ``sections`` changed.

        ``update_config(ui={"language": "en"})``; raises ``ConfigError`` (nothing
        written) when a value breaks a rule.
        """
        raw = self.ws.config.model_dump()
        for name, values in sections.items():
            raw[name] = {**raw.get(name, {}), **values}
        config = parse_config(raw)
        write_config(self.ws.data_dir, config)
        self.ws.config = config
        return config
