"""Re-export: the workstation lock is store-level (:mod:`frontdesk.store.lock`), because
the services open a workstation under it; IT's commands keep importing it from here."""

from __future__ import annotations

from ..store.lock import LOCK_FILE_NAME, WorkstationInUse, WorkstationLock

__all__ = ["LOCK_FILE_NAME", "WorkstationInUse", "WorkstationLock"]
