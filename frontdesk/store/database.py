"""The workstation database and its unit of work.

Services never commit on their own: they open a :class:`UnitOfWork`, do everything a
step of the visit needs, and commit once (cosmicpython's pattern). Leaving the block
without commit rolls back, so nothing half-done is ever stored. Read-only work uses
:meth:`Database.reader`, which takes no write lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from .engine import make_engine, write_engine
from .outbox import install_outbox


@dataclass(frozen=True)
class WorkstationIdentity:
    branch_code: str
    workstation_code: str


class FrontdeskSession(Session):
    """Session class that carries the outbox listener."""


install_outbox(FrontdeskSession)


class UnitOfWork:
    """One write transaction: ``with db.unit_of_work() as uow: ...; uow.commit()``."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._committed = False

    def commit(self) -> None:
        self.session.commit()
        self._committed = True

    def rollback(self) -> None:
        self.session.rollback()

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if not self._committed:
                self.session.rollback()
        finally:
            self.session.close()


class Database:
    def __init__(self, engine: Engine, identity: WorkstationIdentity | None = None) -> None:
        self.engine = engine
        self.identity = identity
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
        return UnitOfWork(session)

    @contextmanager
    def reader(self) -> Iterator[Session]:
        session = self._reader()
        session.info["workstation"] = self.identity
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
