"""Online backups of the workstation database (SQLite backup API) and restore.

A backup is a consistent copy taken while the app runs; it is written to a temporary
name, checked with ``PRAGMA integrity_check`` and only then renamed into place, so a
crash or full disk mid-backup never leaves a file that looks like a good backup.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

BACKUP_SUFFIX = ".db"


class BackupError(Exception):
    pass


class BackupDamaged(BackupError):
    """The backup file is damaged or not a database at all; nothing was restored."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"{path.name} is damaged: {detail}")
        self.path = path
        self.detail = detail


BEFORE_RESTORE = "before-restore"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    reason: str
    taken_at: dt.datetime


def take_backup(db_path: Path, backup_dir: Path, reason: str, *, keep: int = 14) -> BackupInfo:
    """Copy ``db_path`` into ``backup_dir`` and keep the newest ``keep`` backups per reason."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    final = backup_dir / f"frontdesk-{now:%Y%m%dT%H%M%S%f}Z-{reason}{BACKUP_SUFFIX}"
    partial = final.with_suffix(".partial")
    source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
            verdict = target.execute("PRAGMA integrity_check").fetchone()[0]
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"backup of {db_path.name} failed: {exc}") from exc
    finally:
        source.close()
    if verdict != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"backup copy failed its integrity check: {verdict}")
    with open(partial, "rb") as fh:
        os.fsync(fh.fileno())
    partial.replace(final)
    prune(backup_dir, reason, keep)
    return BackupInfo(final, reason, now)


def list_backups(backup_dir: Path, reason: str | None = None) -> list[Path]:
    if not backup_dir.exists():
        return []
    pattern = f"frontdesk-*-{reason}{BACKUP_SUFFIX}" if reason else f"frontdesk-*{BACKUP_SUFFIX}"
    return sorted(backup_dir.glob(pattern))


def prune(backup_dir: Path, reason: str, keep: int) -> None:
    for old in list_backups(backup_dir, reason)[:-keep] if keep > 0 else []:
        old.unlink(missing_ok=True)


def check_backup(backup_path: Path) -> None:
    """Raise :class:`BackupDamaged` unless the file passes SQLite's integrity check."""
    try:
        check = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
        try:
            verdict = check.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            check.close()
    except sqlite3.DatabaseError as exc:
        raise BackupDamaged(backup_path, str(exc)) from exc
    if verdict != "ok":
        raise BackupDamaged(backup_path, str(verdict).splitlines()[0])


def keep_before_restore(db_path: Path, backup_dir: Path, *, now: dt.datetime | None = None) -> Path:
    """Copy the database about to be replaced, as it is (even damaged), to a new
    timestamped file among the backups; earlier copies are never overwritten."""
    now = now or dt.datetime.now(dt.UTC)
    backup_dir.mkdir(parents=True, exist_ok=True)
    final = backup_dir / f"frontdesk-{now:%Y%m%dT%H%M%S%f}Z-{BEFORE_RESTORE}{BACKUP_SUFFIX}"
    partial = final.with_suffix(".partial")
    try:
        shutil.copyfile(db_path, partial)
        wal = Path(str(db_path) + "-wal")
        if wal.exists() and wal.stat().st_size:
            shutil.copyfile(wal, str(final) + "-wal")
        with open(partial, "rb") as fh:
            os.fsync(fh.fileno())
    except BaseException:
        partial.unlink(missing_ok=True)
        Path(str(final) + "-wal").unlink(missing_ok=True)
        raise
    partial.replace(final)
    return final


def prune_before_restore(backup_dir: Path, *, days: int, keep: Path | None = None) -> list[Path]:
    """Delete pre-restore copies older than ``days`` (never ``keep``, the newest one)."""
    cutoff = dt.datetime.now(dt.UTC).timestamp() - days * 86_400
    removed = []
    for old in list_backups(backup_dir, BEFORE_RESTORE):
        if old != keep and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
            Path(str(old) + "-wal").unlink(missing_ok=True)
            removed.append(old)
    return removed


def restore_backup(backup_path: Path, db_path: Path, backup_dir: Path | None = None) -> Path | None:
    """Replace the database with a backup (nothing else may have the workstation open).

    The backup is checked first (a damaged one changes nothing). The current database
    is then kept as a new timestamped ``*-before-restore.db`` in ``backup_dir`` (default:
    ``backups`` beside it) so a wrong restore can itself be undone; its path is returned.
    """
    check_backup(backup_path)
    kept = None
    if db_path.exists():
        kept = keep_before_restore(db_path, backup_dir or db_path.parent / "backups")
    partial = db_path.with_suffix(".restoring")
    src = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    for suffix in ("-wal", "-shm"):  # the replaced database's, kept in the copy above
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    partial.replace(db_path)
    return kept
