"""Turn an exception a command met into IT's exit code and bilingual message.

The command line calls :func:`classify` for every exception; anything it does not
recognise is an internal error (exit 70, traceback in the log, never on the screen).
Exceptions are matched on their whole chain (``__cause__``/``__context__``), so a
``StorageError`` raised from SQLite's "database or disk is full" and a bare
``sqlite3.OperationalError`` from Alembic land on the same message.
"""

from __future__ import annotations

import errno
import getpass
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from ..core import it_failures as F
from ..core import messages

_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Failure:
    exit_code: int
    text: str  # "中文 / English", or a message that is bilingual already

    @classmethod
    def of(cls, exit_code: int, code: str, field: str, **params: object) -> Failure:
        problem = messages.error(code, field, **params)
        return cls(exit_code, f"{problem.text('zh')} / {problem.text('en')}")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)  # SQLAlchemy's DBAPIError wraps sqlite3's
        if isinstance(orig, BaseException) and id(orig) not in seen:
            yield orig
            seen.add(id(orig))
        current = current.__cause__ or current.__context__


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.geteuid()) if hasattr(os, "geteuid") else "?"


_DISK_ERRNOS = {
    errno.ENOSPC,
    getattr(errno, "EDQUOT", errno.ENOSPC),
    errno.EROFS,
    errno.EACCES,
    errno.EPERM,
    errno.EIO,
}


def _os_failure(exc: OSError, where: str) -> Failure:
    path = str(exc.filename or where)
    if exc.errno == errno.ENOSPC or exc.errno == getattr(errno, "EDQUOT", -1):
        return Failure.of(F.EXIT_STORAGE, F.DISK_FULL, "data_dir", path=path)
    if exc.errno == errno.ENOENT:
        return Failure.of(F.EXIT_USAGE, F.FILE_MISSING, "data_dir", path=path)
    if exc.errno == errno.EEXIST:
        return Failure.of(F.EXIT_USAGE, F.FILE_EXISTS, "data_dir", path=path)
    if exc.errno == errno.EROFS:
        return Failure.of(F.EXIT_STORAGE, F.READ_ONLY, "data_dir", path=path)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return Failure.of(F.EXIT_STORAGE, F.NO_PERMISSION, "data_dir", path=path, user=_user())
    return Failure.of(
        F.EXIT_STORAGE, F.DISK_ERROR, "data_dir", path=path, detail=exc.strerror or str(exc)
    )


def _sqlite_failure(exc: sqlite3.Error, where: str) -> Failure | None:
    text = str(exc).lower()
    if "disk is full" in text:
        return Failure.of(F.EXIT_STORAGE, F.DISK_FULL, "data_dir", path=where)
    if "readonly" in text or "read-only" in text:
        return Failure.of(F.EXIT_STORAGE, F.READ_ONLY, "data_dir", path=where)
    if "unable to open database" in text:
        return Failure.of(F.EXIT_STORAGE, F.NO_PERMISSION, "data_dir", path=where, user=_user())
    if "database is locked" in text or "database is busy" in text:
        return Failure.of(F.EXIT_IN_USE, F.IN_USE, "data_dir", holder=where)
    if "disk i/o" in text:
        return Failure.of(F.EXIT_STORAGE, F.DISK_ERROR, "data_dir", path=where, detail=str(exc))
    if (
        "malformed" in text
        or "not a database" in text
        or not isinstance(exc, sqlite3.OperationalError)
    ):
        return Failure.of(F.EXIT_DAMAGED, F.DB_DAMAGED, "data_dir", path=where, detail=str(exc))
    return None


def classify(exc: BaseException, *, where: str = "") -> Failure | None:
    """IT's exit code and message for ``exc``; ``None`` when it is not an expected one.

    ``where`` is the data folder the command worked on (named when SQLite does not say
    which file failed).
    """
    from ..config import ConfigError
    from ..store.backup import BackupDamaged, BackupError
    from ..store.crypto import VaultError
    from ..store.lock import WorkstationInUse
    from ..store.migrate import SchemaTooNewError

    chain = list(_chain(exc))
    first = chain[0]
    # our own errors carry a bilingual message already; their cause is what IT acts on
    if isinstance(first, WorkstationInUse):
        return Failure(F.EXIT_IN_USE, str(first))
    if isinstance(first, BackupDamaged):
        return Failure.of(
            F.EXIT_DAMAGED, F.BACKUP_DAMAGED, "backup_file", path=first.path, detail=first.detail
        )
    for item in chain:  # the disk first: a full disk under a WorkstationError is a full disk
        if isinstance(item, sqlite3.Error):
            found = _sqlite_failure(item, where)
            if found is not None:
                return found
        if (
            isinstance(item, OSError)
            and not _is_network(item)
            and (item is first or item.errno in _DISK_ERRNOS)
        ):
            return _os_failure(item, where)
    vault = next((i for i in chain if isinstance(i, VaultError)), None)
    if vault is not None:
        if _CJK.search(str(vault)):  # our own bilingual message
            return Failure(F.EXIT_KEYS, str(vault))
        return Failure.of(F.EXIT_KEYS, F.KEYS, "key_file", detail=str(vault))
    ho = _head_office_failure(first)
    if ho is not None:
        return ho
    from ..services.workstation import WorkstationError

    if isinstance(first, ConfigError | WorkstationError | SchemaTooNewError | BackupError):
        return Failure(F.EXIT_USAGE, str(first))
    if isinstance(first, messages.RuleViolation):
        return Failure(F.EXIT_USAGE, f"{first.text('zh')} / {first.text('en')}")
    return None


def _is_network(exc: OSError) -> bool:
    from ..sync.client import HeadOfficeUnreachable

    if isinstance(exc, BrokenPipeError):  # our own output's reader went away
        return False
    return isinstance(exc, HeadOfficeUnreachable | ConnectionError | TimeoutError)


def _head_office_failure(exc: BaseException) -> Failure | None:
    from ..sync.client import HeadOfficeRefused, HeadOfficeUnreachable
    from ..sync.credentials import CredentialError
    from ..sync.puller import DatasetError
    from ..sync.service import EnrolmentError

    if isinstance(exc, HeadOfficeUnreachable) or (
        isinstance(exc, ConnectionError) and not isinstance(exc, BrokenPipeError)
    ):
        url = getattr(exc, "url", "") or "-"
        return Failure.of(
            F.EXIT_UNREACHABLE, F.HO_UNREACHABLE, "head_office", url=url, detail=str(exc)
        )
    if isinstance(exc, HeadOfficeRefused):
        if exc.error == "bad_enrolment_code":
            return Failure.of(
                F.EXIT_REFUSED, F.ENROL_CODE_REFUSED, "head_office", detail=exc.message
            )
        return Failure.of(
            F.EXIT_REFUSED,
            F.HO_REFUSED,
            "head_office",
            status=exc.status,
            error=exc.error,
            detail=exc.message,
        )
    if isinstance(exc, DatasetError):
        return Failure.of(F.EXIT_PROBLEM, F.DATASET_REFUSED, "head_office", detail=str(exc))
    if isinstance(exc, CredentialError | EnrolmentError):
        return Failure(F.EXIT_USAGE, str(exc))
    try:  # the head-office server is not part of the counter bundle
        from ..headoffice.admin import UnflagError
        from ..headoffice.settings import SettingsError
    except ImportError:
        return None
    if isinstance(exc, SettingsError | UnflagError):
        return Failure(F.EXIT_USAGE, str(exc))
    return None
