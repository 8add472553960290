"""Bring the workstation database to the schema this build expects.

Before any migration an online backup is taken (SPEC §10); a database written by a
newer build is refused rather than touched.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine

from ..paths import migrations_dir
from .backup import take_backup

log = logging.getLogger("frontdesk.migrate")


class SchemaTooNewError(Exception):
    """The database was written by a newer frontdesk; this build must not touch it."""


@dataclass(frozen=True)
class MigrationResult:
    before: str | None
    after: str
    backup: Path | None


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


@functools.cache
def head_revision() -> str:
    """The newest migration this build ships (read once: reading the scripts costs
    ~20 ms, and every head-office client names it in its requests)."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def upgrade(
    engine: Engine,
    db_path: Path | None,
    backup_dir: Path | None,
    *,
    reseal: Callable[[bytes, bytes], bytes] | None = None,
) -> MigrationResult:
    """Migrate to head; back up first when the database already holds a schema.

    ``reseal`` (the workstation's ``Vault.reseal``) lets a migration re-seal personal
    data in a new format; migrations never see the keys otherwise."""
    script = ScriptDirectory.from_config(alembic_config())
    before = current_revision(engine)
    head = head_revision()
    if before is not None and before != head and not _known(script, before):
        raise SchemaTooNewError(
            f"database schema {before} is newer than this program (knows up to {head})"
        )
    if before == head:
        return MigrationResult(before, head, None)
    backup = None
    if before is not None and db_path is not None and backup_dir is not None:
        backup = take_backup(db_path, backup_dir, "pre-migration").path
    cfg = alembic_config()
    log.info("migrating database %s from schema %s to %s", db_path, before, head)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        cfg.attributes["reseal"] = reseal
        command.upgrade(cfg, "head")
    log.info("database %s is at schema %s (backup before: %s)", db_path, head, backup)
    return MigrationResult(before, head, backup)
