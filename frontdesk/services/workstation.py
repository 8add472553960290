"""One counter's world: its data folder, config, database, keys and catalogue.

``initialise`` provisions a new workstation (IT's ``frontdesk init``); ``open`` is what
every start does: read the config, load the keys, bring the database to this build's
schema (backing it up first) and load the catalogue. Services are built from it and
receive what they need explicitly — there is no global app object.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from ..config import Config, ConfigError, load_config, parse_config, write_config
from ..core.catalogue import Catalogue, load_catalogue
from ..core.clock import Clock, SystemClock, set_business_zone
from ..paths import default_data_dir
from ..store.crypto import Vault, create_key_file, load_key_file
from ..store.database import Database, WorkstationIdentity
from ..store.migrate import MigrationResult, upgrade
from ..store.models import Setting, SyncDataset

DB_FILE_NAME = "frontdesk.db"


class WorkstationError(Exception):
    """The workstation can't start or be provisioned; the message says why and what to do."""


@dataclass
class Workstation:
    data_dir: Path
    config: Config
    db: Database
    vault: Vault
    catalogue: Catalogue
    clock: Clock = field(default_factory=SystemClock)
    migration: MigrationResult | None = None

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_FILE_NAME

    @property
    def backup_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def identity(self) -> WorkstationIdentity:
        ws = self.config.workstation
        return WorkstationIdentity(ws.branch_code, ws.workstation_code)

    @classmethod
    def open(
        cls,
        data_dir: Path | None = None,
        *,
        clock: Clock | None = None,
        catalogue: Catalogue | None = None,
    ) -> Workstation:
        data_dir = Path(data_dir or default_data_dir())
        config = load_config(data_dir)
        set_business_zone(config.workstation.time_zone)
        try:
            vault = Vault(load_key_file(data_dir))
        except Exception as exc:
            raise WorkstationError(str(exc)) from exc
        identity = WorkstationIdentity(
            config.workstation.branch_code, config.workstation.workstation_code
        )
        db = Database.open(data_dir / DB_FILE_NAME, identity)
        migration = upgrade(db.engine, data_dir / DB_FILE_NAME, data_dir / "backups")
        _check_identity(db, identity)
        return cls(
            data_dir=data_dir,
            config=config,
            db=db,
            vault=vault,
            catalogue=catalogue or _catalogue_in_force(db),
            clock=clock or SystemClock(),
            migration=migration,
        )

    def close(self) -> None:
        self.db.dispose()


def _catalogue_in_force(db: Database) -> Catalogue:
    """The newer of the shipped catalogue and the last one pulled from head office.

    Without this a restarted counter would serve the shipped catalogue until its first
    sync pass; the pulled one is read only when one was ever applied (the sync client's
    import cost is not paid by workstations that never synced).
    """
    shipped = load_catalogue()
    with db.reader() as s:
        pulled_version = s.scalar(
            select(SyncDataset.version).where(SyncDataset.kind == "catalogue")
        )
    if pulled_version is None or pulled_version < shipped.version:
        return shipped
    from ..sync.puller import pulled_catalogue

    return pulled_catalogue(db) or shipped


def _check_identity(db: Database, identity: WorkstationIdentity) -> None:
    """The database remembers which counter it belongs to; a copied config can't rename it."""
    with db.unit_of_work() as uow:
        stored = {
            s.key: s.value
            for s in uow.session.scalars(
                select(Setting).where(Setting.key.in_(["branch_code", "workstation_code"]))
            )
        }
        if not stored:
            uow.session.add_all(
                [
                    Setting(key="branch_code", value=identity.branch_code),
                    Setting(key="workstation_code", value=identity.workstation_code),
                ]
            )
            uow.commit()
            return
    if (stored.get("branch_code"), stored.get("workstation_code")) != (
        identity.branch_code,
        identity.workstation_code,
    ):
        raise WorkstationError(
            f"数据库属于 {stored.get('branch_code')}/{stored.get('workstation_code')}，"
            f"与配置 {identity.branch_code}/{identity.workstation_code} 不符，已停止以免混账。 / "
            f"the database belongs to {stored.get('branch_code')}/"
            f"{stored.get('workstation_code')}, the config says {identity.branch_code}/"
            f"{identity.workstation_code}; refusing to mix their records."
        )


def initialise(
    data_dir: Path,
    *,
    branch_code: str,
    workstation_code: str,
    branch_name: str = "营业厅",
    head_office_url: str = "",
    clock: Clock | None = None,
) -> Workstation:
    """Provision a workstation: folder, config, key file, database. Refuses to redo one."""
    data_dir = Path(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        probe = data_dir / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise WorkstationError(
            f"数据目录 {data_dir} 不可写：{exc.strerror}。 / data folder {data_dir} is not "
            f"writable: {exc.strerror}"
        ) from exc
    if (data_dir / DB_FILE_NAME).exists() or (data_dir / "keys.json").exists():
        raise WorkstationError(
            f"{data_dir} 已经初始化过，不能重复初始化。 / {data_dir} is already initialised."
        )
    try:
        config = parse_config(
            {
                "workstation": {
                    "branch_code": branch_code,
                    "workstation_code": workstation_code,
                    "branch_name": branch_name,
                },
                "head_office": {"url": head_office_url},
            }
        )
    except ConfigError as exc:
        raise WorkstationError(str(exc)) from exc
    write_config(data_dir, config)
    create_key_file(data_dir)
    if os.name == "posix":
        os.chmod(data_dir, 0o700)
    return Workstation.open(data_dir, clock=clock)
