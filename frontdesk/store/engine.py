"""SQLite engine with the durability settings a money-handling counter needs.

- WAL journal: readers (the GUI's look-ups) never block the writer.
- ``synchronous=FULL``: a commit that returned is on disk, even after power loss.
- foreign keys on; a busy timeout so a second process waits instead of failing.
- ``recursive_triggers`` on: an ``INSERT OR REPLACE`` deletes the row it replaces
  *with* delete triggers, so the append-only triggers refuse it (off, SQLite's
  default, REPLACE would rewrite a settled row silently).
- write transactions start with ``BEGIN IMMEDIATE`` (engine option
  ``frontdesk_write``): the write lock is taken up front, so two writers never
  deadlock half-way and a gapless number can't be issued twice.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 30_000


def make_engine(db_path: Path | str, *, echo: bool = False) -> Engine:
    """An engine for the workstation database at ``db_path`` (``":memory:"`` allowed)."""
    url = "sqlite://" if str(db_path) == ":memory:" else f"sqlite:///{db_path}"
    # A small pool keeps connections (and their pragmas) open: opening a SQLite
    # connection and setting WAL on it costs more than a typical look-up.
    engine = create_engine(url, echo=echo)
    _install_pragmas(engine)
    return engine


def write_engine(engine: Engine) -> Engine:
    """The same engine, but its transactions begin IMMEDIATE (take the write lock)."""
    return engine.execution_options(frontdesk_write=True)


def _install_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own implicit
        # BEGIN would be DEFERRED and could not be made IMMEDIATE).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA recursive_triggers = ON")
        # Purged personal data (retention) is zeroed in the file, not left in free pages.
        cursor.execute("PRAGMA secure_delete = ON")
        # 32 MB page cache: keeps the upper levels of the big indexes (UUID keys of a
        # million slips) in memory so an insert touches few pages on disk.
        cursor.execute("PRAGMA cache_size = -32768")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("frontdesk_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def pragmas(engine: Engine) -> dict[str, object]:
    """The pragmas in force on a fresh connection (for the health check)."""
    with engine.connect() as conn:
        return {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in (
                "journal_mode",
                "synchronous",
                "foreign_keys",
                "busy_timeout",
                "recursive_triggers",
            )
        }
