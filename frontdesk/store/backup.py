"""Online backups of the workstation database (SQLite backup API) and restore.

A backup is a consistent copy taken while the app runs; it is written to a temporary
name, checked with ``PRAGMA integrity_check`` and only then renamed into place, so a
crash or full disk mid-backup never leaves a file that looks like a good backup.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

BACKUP_SUFFIX = ".db"


class BackupError(Exception):
    pass


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


def restore_backup(backup_path: Path, db_path: Path) -> None:
    """Replace the database with a backup (the app must not be running).

    The current database is first kept beside it as ``*.before-restore`` so a wrong
    restore can itself be undone.
    """
    check = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
    try:
        verdict = check.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        check.close()
    if verdict != "ok":
        raise BackupError(f"{backup_path.name} is damaged: {verdict}")
    if db_path.exists():
        keep = db_path.with_suffix(".before-restore")
        conn = sqlite3.connect(db_path)
        try:
            target = sqlite3.connect(keep)
            conn.backup(target)
            target.close()
        finally:
            conn.close()
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(db_path)
        src.backup(dst)
        dst.close()
    finally:
        src.close()
