"""The workstation lock: who has a counter's data folder open.

Everything that opens a workstation (the counter application and its sync agent, every
``frontdesk`` command) holds a *shared* lock on ``<data>/frontdesk.lock`` while it has
the database open; ``restore`` needs it *exclusively*, so a restore is refused while
anything else has the folder open (a running app would otherwise keep writing into the
database it had open and silently undo the restore). The lock is an OS lock on an open
file: it goes away with the process, so a crashed app never leaves a stale lock.

POSIX: ``flock`` shared/exclusive. Windows: ``msvcrt.locking`` has no shared mode, so a
shared holder locks one byte at a random place of a 1 MB range and the exclusive holder
locks the whole range.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import IO

LOCK_FILE_NAME = "frontdesk.lock"
_WINDOWS_RANGE = 1_000_000


class WorkstationInUse(Exception):
    """The folder is open elsewhere (shared wanted while a restore runs, or exclusive
    wanted while anything has it open)."""


def _in_use(data_dir: Path, exclusive: bool) -> WorkstationInUse:
    from ..core import it_failures as F
    from ..core import messages

    holder = (
        "另一个程序正打开该工作站 / another program has this workstation open: "
        if exclusive
        else "正在恢复备份 / a restore is running: "
    ) + str(data_dir)
    problem = messages.error(F.IN_USE, "data_dir", holder=holder)
    return WorkstationInUse(f"{problem.text('zh')} / {problem.text('en')}")


class WorkstationLock:
    """``WorkstationLock(data_dir).acquire(exclusive=False)``; ``release()`` when done."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / LOCK_FILE_NAME
        self._fh: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._fh is not None

    def acquire(self, *, exclusive: bool = False) -> WorkstationLock:
        if self._fh is not None:
            return self
        fh = open(self.path, "a+b")  # noqa: SIM115 - kept open while the lock is held
        try:
            if os.name == "nt":  # pragma: no cover - Windows only
                self._lock_windows(fh, exclusive)
            else:
                import fcntl

                mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
                try:
                    fcntl.flock(fh.fileno(), mode | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise _in_use(self.data_dir, exclusive) from None
        except BaseException:
            fh.close()
            raise
        self._fh = fh
        return self

    def _lock_windows(self, fh: IO[bytes], exclusive: bool) -> None:  # pragma: no cover
        import msvcrt

        if exclusive:
            fh.seek(0)
            try:
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, _WINDOWS_RANGE + 1)
            except OSError:
                raise _in_use(self.data_dir, exclusive) from None
            return
        for _ in range(8):
            fh.seek(1 + secrets.randbelow(_WINDOWS_RANGE))
            try:
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
                return
            except OSError:
                continue
        raise _in_use(self.data_dir, exclusive)

    def release(self) -> None:
        fh, self._fh = self._fh, None
        if fh is not None:
            fh.close()  # closing the file drops the OS lock

    def __enter__(self) -> WorkstationLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
