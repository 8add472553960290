"""Daily automatic backups and the restore command's safety checks (SPEC §10).

A restore replaces a counter's whole history, so it refuses a backup taken on another
workstation (a copied file would mix two counters' receipt sequences) unless IT forces
it, and refuses a backup written by a newer build.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..store.backup import (
    BackupDamaged,
    BackupError,
    BackupInfo,
    check_backup,
    list_backups,
    restore_backup,
    take_backup,
)

DAILY = "daily"


@dataclass(frozen=True)
class BackupIdentity:
    branch_code: str | None
    workstation_code: str | None
    schema_revision: str | None


def backup_identity(path: Path) -> BackupIdentity:
    """Which workstation a backup file belongs to, read without changing it."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        settings = dict(
            conn.execute(
                "SELECT key, value FROM setting WHERE key IN ('branch_code', 'workstation_code')"
            ).fetchall()
        )
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupDamaged(path, f"not a frontdesk backup: {exc}") from exc
    finally:
        conn.close()
    return BackupIdentity(
        settings.get("branch_code"),
        settings.get("workstation_code"),
        revision[0] if revision else None,
    )


def ensure_daily_backup(
    db_path: Path, backup_dir: Path, *, keep: int, now: dt.datetime | None = None
) -> BackupInfo | None:
    """Take today's backup unless one younger than a day exists (called at start-up
    and by the background timer)."""
    now = now or dt.datetime.now(dt.UTC)
    latest = list_backups(backup_dir, DAILY)
    if latest:
        age = now.timestamp() - latest[-1].stat().st_mtime
        if age < 24 * 3600:
            return None
    return take_backup(db_path, backup_dir, DAILY, keep=keep)


def restore(
    backup: Path,
    db_path: Path,
    *,
    branch_code: str,
    workstation_code: str,
    known_revisions: set[str],
    force: bool = False,
) -> tuple[BackupIdentity, Path | None]:
    """Restore ``backup`` over ``db_path`` after checking whose it is; returns the
    backup's identity and the timestamped copy of the replaced database."""
    if not backup.exists():
        raise BackupError(f"备份文件不存在 / backup not found: {backup}")
    check_backup(backup)
    identity = backup_identity(backup)
    if identity.schema_revision not in known_revisions:
        raise BackupError(
            f"备份的数据库版本 {identity.schema_revision} 比本程序新，不能恢复。 / the backup's "
            f"schema {identity.schema_revision} is newer than this program."
        )
    mine = (branch_code, workstation_code)
    theirs = (identity.branch_code, identity.workstation_code)
    if theirs != mine and not force:
        raise BackupError(
            f"该备份属于 {theirs[0]}/{theirs[1]}，不是本机 {mine[0]}/{mine[1]}；恢复会混淆两台"
            f"柜台的票据号。确需恢复请加 --force。 / the backup belongs to {theirs[0]}/"
            f"{theirs[1]}, not {mine[0]}/{mine[1]}; use --force to restore it anyway."
        )
    kept = restore_backup(backup, db_path)
    return identity, kept


RESTORED_SETTING = "restored_from"  # = store.numbering.RESTORED_SETTING (no ORM import here)


def mark_restored(db_path: Path, backup_name: str) -> None:
    """Note in the restored database that its slip and receipt numbers may be behind
    head office's: settling waits until a sync pass has confirmed them."""
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            conn.execute(
                "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE"
                " SET value = excluded.value",
                (RESTORED_SETTING, backup_name),
            )
    finally:
        conn.close()
