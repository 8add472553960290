"""The workstation database and its unit of work.

Services never commit on their own: they open a :class:`UnitOfWork`, do everything a
step of the visit needs, and commit once (cosmicpython's pattern). Leaving the block
without commit rolls back, so nothing half-done is ever stored. Read-only work uses
:meth:`Database.reader`, which takes no write lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from .audit import CHAIN_KEY_INFO, ChainKey
from .engine import make_engine, write_engine
from .outbox import install_outbox


@dataclass(frozen=True)
class WorkstationIdentity:
    branch_code: str
    workstation_code: str


class StorageError(Exception):
    """The disk refused a write (full, read-only, gone). Nothing was committed."""


_STORAGE_MESSAGES = (
    (
        "disk is full",
        "磁盘空间已满，本次操作未保存，已录入的内容仍保留。请联系 IT 清理磁盘后重试。",
        "the disk is full; nothing was saved and what you typed is kept. Ask IT to free space.",
    ),
    (
        "readonly",
        "数据目录只读，本次操作未保存。请联系 IT 检查数据目录权限。",
        "the data folder is read-only; nothing was saved. Ask IT to check its permissions.",
    ),
    (
        "disk i/o error",
        "磁盘读写错误，本次操作未保存。请联系 IT 检查磁盘。",
        "a disk I/O error occurred; nothing was saved. Ask IT to check the disk.",
    ),
)


def storage_error(exc: BaseException | None) -> StorageError | None:
    """A clear, bilingual error for the disk failures SQLite reports, else None."""
    if exc is None or isinstance(exc, StorageError):
        return None
    text = str(getattr(exc, "orig", exc)).lower()
    if not isinstance(exc, OperationalError | sqlite3.OperationalError):
        return None
    for needle, zh, en in _STORAGE_MESSAGES:
        if needle in text:
            return StorageError(f"{zh} / {en}")
    return None


class FrontdeskSession(Session):
    """Session class that carries the outbox listener."""


install_outbox(FrontdeskSession)


class UnitOfWork:
    """One write transaction: ``with db.unit_of_work() as uow: ...; uow.commit()``."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._committed = False

    def commit(self) -> None:
        try:
            self.session.commit()
        except OperationalError as exc:
            storage = storage_error(exc)
            if storage is not None:
                raise storage from exc
            raise
        self._committed = True

    def rollback(self) -> None:
        self.session.rollback()

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, _tb: object
    ) -> None:
        try:
            if not self._committed:
                self.session.rollback()
        finally:
            self.session.close()
        storage = storage_error(exc)
        if storage is not None:
            raise storage from exc


class Database:
    def __init__(self, engine: Engine, identity: WorkstationIdentity | None = None) -> None:
        self.engine = engine
        self.identity = identity
        self.chain_key: ChainKey | None = None  # the audit chain's HMAC key (Workstation)
        self._writer = sessionmaker(
            bind=write_engine(engine), class_=FrontdeskSession, expire_on_commit=False
        )
        self._reader = sessionmaker(bind=engine, class_=FrontdeskSession, expire_on_commit=False)

    @classmethod
    def open(cls, path: Path | str, identity: WorkstationIdentity | None = None) -> Database:
        return cls(make_engine(path), identity)

    def set_identity(self, identity: WorkstationIdentity) -> None:
        self.identity = identity

    def unit_of_work(self) -> UnitOfWork:
        session = self._writer()
        session.info["workstation"] = self.identity
        session.info[CHAIN_KEY_INFO] = self.chain_key
        return UnitOfWork(session)

    @contextmanager
    def reader(self) -> Iterator[Session]:
        session = self._reader()
        session.info["workstation"] = self.identity
        session.info[CHAIN_KEY_INFO] = self.chain_key
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
