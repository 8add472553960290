"""One counter's world: its data folder, config, database, keys and catalogue.

``initialise`` provisions a new workstation (IT's ``frontdesk init``); ``open`` is what
every start does: read the config, load the keys, bring the database to this build's
schema (backing it up first) and load the catalogue. Services are built from it and
receive what they need explicitly — there is no global app object.
"""

from __future__ import annotations

import base64
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from ..config import (
    CONFIG_FILE_NAME,
    Config,
    ConfigError,
    load_config,
    parse_config,
    write_config,
)
from ..core.catalogue import Catalogue, load_catalogue
from ..core.clock import Clock, SystemClock, set_business_zone
from ..paths import default_data_dir
from ..store.audit import ChainKey
from ..store.crypto import (
    KEY_FILE_NAME,
    Vault,
    VaultError,
    create_key_file,
    load_key_file,
    sealed_at,
    write_key_file,
)
from ..store.database import Database, WorkstationIdentity
from ..store.lock import LOCK_FILE_NAME, WorkstationLock
from ..store.migrate import MigrationResult, upgrade
from ..store.models import AuditEntry, Setting, SyncDataset

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
    lock: WorkstationLock | None = None  # shared while open; restore needs it alone

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
        lock: bool = True,
    ) -> Workstation:
        data_dir = Path(data_dir or default_data_dir())
        config = load_config(data_dir)
        set_business_zone(config.workstation.time_zone)
        try:
            vault = Vault(load_key_file(data_dir))
        except (VaultError, OSError) as exc:
            raise WorkstationError(str(exc)) from exc
        identity = WorkstationIdentity(
            config.workstation.branch_code, config.workstation.workstation_code
        )
        held = WorkstationLock(data_dir).acquire() if lock else None
        db = None
        try:
            db = Database.open(data_dir / DB_FILE_NAME, identity)
            migration = upgrade(
                db.engine, data_dir / DB_FILE_NAME, data_dir / "backups", reseal=vault.reseal
            )
            _check_identity(db, identity)
            _check_key(db, vault, data_dir)
            vault = _with_audit_key(data_dir, db, vault)
            _ensure_key_check(db, vault)
            db.chain_key = ChainKey(
                vault.material.audit_key or b"", vault.material.audit_keyed_from
            )
            return cls(
                data_dir=data_dir,
                config=config,
                db=db,
                vault=vault,
                catalogue=catalogue or _catalogue_in_force(db),
                clock=clock or SystemClock(),
                migration=migration,
                lock=held,
            )
        except BaseException:
            if db is not None:
                db.dispose()
            if held is not None:
                held.release()
            raise

    def close(self) -> None:
        self.db.dispose()
        if self.lock is not None:
            self.lock.release()


def _with_audit_key(data_dir: Path, db: Database, vault: Vault) -> Vault:
    """A key file from before the keyed audit chain gets its audit key now; the key
    covers the chain from the next entry on (older entries keep their SHA-256 links)."""
    if vault.material.audit_key is not None:
        return vault
    with db.reader() as s:
        noted = s.get(Setting, "audit_keyed_from")  # written by migration 0006
        keyed_from = (
            int(noted.value) if noted else (s.scalar(select(func.max(AuditEntry.seq))) or 0) + 1
        )
    material = vault.material.with_audit_key(keyed_from)
    write_key_file(data_dir, material)
    return Vault(material)


KEY_CHECK = "key_check"  # a value sealed at first start: health opens it (wrong key?)


def key_check_place() -> bytes:
    return sealed_at("setting", "value", KEY_CHECK)


def _ensure_key_check(db: Database, vault: Vault) -> None:
    with db.reader() as s:
        if s.get(Setting, KEY_CHECK) is not None:
            return
    with db.unit_of_work() as uow:
        sealed = vault.seal(b"frontdesk key check", key_check_place())
        uow.session.merge(Setting(key=KEY_CHECK, value=base64.b64encode(sealed).decode()))
        uow.commit()


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


def _check_key(db: Database, vault: Vault, data_dir: Path) -> None:
    """The database remembers the data key that seals its ID numbers; another counter's
    key file (or a replacement PC's own fresh one after a restore) is refused here."""
    from ..store.keyfiles import FINGERPRINT_SETTING

    mine = vault.fingerprint()
    with db.unit_of_work() as uow:
        stored = uow.session.get(Setting, FINGERPRINT_SETTING)
        if stored is None:
            uow.session.add(Setting(key=FINGERPRINT_SETTING, value=mine))
            uow.commit()
            return
        if stored.value == mine:
            return
    raise VaultError(
        f"{data_dir / KEY_FILE_NAME} 不是这个数据库的密钥文件（来自另一台柜台，或换机后未导入原机"
        "密钥）。请用 frontdesk keys import 导入原机导出的密钥。 / "
        f"{data_dir / KEY_FILE_NAME} is not the key file of this database (another counter's, "
        "or a replacement PC's own after a restore); import the old PC's keys with "
        "'frontdesk keys import'."
    )


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


# the command-line option that sets each config key, for init's messages
_INIT_OPTIONS = {
    "workstation.branch_code": "--branch",
    "workstation.workstation_code": "--workstation",
    "workstation.branch_name": "--branch-name",
    "head_office.url": "--head-office-url",
}


def _options_config(
    branch_code: str | None,
    workstation_code: str | None,
    branch_name: str | None,
    head_office_url: str | None,
    written: Config | None,
) -> Config:
    """The config init writes: IT's own file, checked against the options given, or
    one made from the options, with every message naming the option."""
    given = {
        "workstation.branch_code": branch_code,
        "workstation.workstation_code": workstation_code,
        "workstation.branch_name": branch_name,
        "head_office.url": head_office_url,
    }
    if written is not None:
        current = {
            "workstation.branch_code": written.workstation.branch_code,
            "workstation.workstation_code": written.workstation.workstation_code,
            "workstation.branch_name": written.workstation.branch_name,
            "head_office.url": written.head_office.url,
        }
        clashes = []
        for key, value in given.items():
            if not value:
                continue
            if key.endswith("_code"):
                value = value.strip().upper()
            if value != current[key]:
                clashes.append(f"{_INIT_OPTIONS[key]} {value} ≠ {key} = {current[key]!r}")
        if clashes:
            raise WorkstationError(
                "命令行选项与已写好的 frontdesk.toml 不一致（未做任何更改）/ the options "
                "disagree with the frontdesk.toml already in the folder (nothing was changed): "
                + "; ".join(clashes)
            )
        return written
    missing = [_INIT_OPTIONS[k] for k in list(given)[:2] if not given[k]]
    if missing:
        raise WorkstationError(
            f"缺少选项 {' '.join(missing)}（或事先写好 frontdesk.toml）。 / missing "
            f"option {' '.join(missing)} (or a frontdesk.toml written beforehand)."
        )
    try:
        return parse_config(
            {
                "workstation": {
                    "branch_code": branch_code,
                    "workstation_code": workstation_code,
                    "branch_name": branch_name or "营业厅",
                },
                "head_office": {"url": head_office_url or ""},
            },
            "init",
        )
    except ConfigError as exc:
        text = str(exc)
        for key, option in _INIT_OPTIONS.items():
            text = text.replace(f"{key}:", f"{option}:")
        raise WorkstationError(text) from exc


def initialise(
    data_dir: Path,
    *,
    branch_code: str | None = None,
    workstation_code: str | None = None,
    branch_name: str | None = None,
    head_office_url: str | None = None,
    clock: Clock | None = None,
) -> Workstation:
    """Provision a workstation: folder, config, key file, database. Refuses to redo one.

    A ``frontdesk.toml`` IT wrote beforehand is kept (and validated; options that
    disagree with it are refused). Everything is built in a temporary folder beside
    the data folder and moved into place only when complete, so a failed init (full
    disk, bad option) leaves the folder as it was and can simply be run again.
    """
    data_dir = Path(data_dir).absolute()
    if (data_dir / DB_FILE_NAME).exists() or (data_dir / KEY_FILE_NAME).exists():
        raise WorkstationError(
            f"{data_dir} 已经初始化过，不能重复初始化。 / {data_dir} is already initialised."
        )
    existed = data_dir.exists()
    if existed:
        extra = sorted(p.name for p in data_dir.iterdir() if p.name != CONFIG_FILE_NAME)
        if extra:
            raise WorkstationError(
                f"数据目录 {data_dir} 不是空的（{', '.join(extra[:5])}）；只能预先放入 "
                f"frontdesk.toml。 / the data folder {data_dir} is not empty "
                f"({', '.join(extra[:5])}); only a frontdesk.toml may be there beforehand."
            )
    written = load_config(data_dir) if (data_dir / CONFIG_FILE_NAME).exists() else None
    config = _options_config(branch_code, workstation_code, branch_name, head_office_url, written)
    # a new folder is built beside it and renamed; an existing one (IT may have set its
    # owner and permissions for the clerks' accounts) gets a build folder inside it
    parent = data_dir if existed else data_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=f".{data_dir.name}.init-", dir=parent))
    try:
        if written is not None:  # IT's file, byte for byte (comments and all)
            shutil.copyfile(data_dir / CONFIG_FILE_NAME, build / CONFIG_FILE_NAME)
        else:
            write_config(build, config)
        create_key_file(build)
        Workstation.open(build, clock=clock, lock=False).close()
        if existed:  # everything made, the database last (it marks "initialised")
            skip = {LOCK_FILE_NAME, DB_FILE_NAME} | ({CONFIG_FILE_NAME} if written else set())
            for entry in sorted(build.iterdir()):
                if entry.name not in skip:
                    os.replace(entry, data_dir / entry.name)
            os.replace(build / DB_FILE_NAME, data_dir / DB_FILE_NAME)
            shutil.rmtree(build)
        else:
            os.replace(build, data_dir)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    return Workstation.open(data_dir, clock=clock)
