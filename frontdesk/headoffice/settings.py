"""Head-office settings: a TOML file, overridden by environment variables.

``FRONTDESK_HO_CONFIG`` names the file (every server process of a deployment reads the
same one); ``FRONTDESK_HO_DATABASE_URL``, ``FRONTDESK_HO_HOST``, ``FRONTDESK_HO_PORT``
and ``FRONTDESK_HO_WORKERS`` override single keys, which is what container platforms
expect. An empty database URL means *developer mode*: a local PostgreSQL is started
from the ``pgserver`` wheel in ``dev_data_dir`` (see :mod:`.devpg`).

Example (``headoffice.toml``)::

    [server]
    host = "127.0.0.1"
    port = 8765
    workers = 2

    [database]
    url = "postgresql+psycopg://frontdesk:secret@db.internal/frontdesk"
    pool_size = 10

    [sync]
    skew_flag_seconds = 300
    silent_hours = 24
    enrolment_code_hours = 72
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

ENV_CONFIG = "FRONTDESK_HO_CONFIG"
LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}


class SettingsError(Exception):
    """The head-office configuration is unreadable or breaks a rule (key named)."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServerSection(_Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8765, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    allow_non_loopback: bool = False
    apply_effects_every_seconds: float = Field(default=1.0, gt=0, le=3600)
    # idle keep-alive: longer than a counter's sync interval (30 s), so each pass reuses
    # its connection instead of a new TCP handshake (uvicorn's own default is 5 s)
    keep_alive_seconds: float = Field(default=75.0, gt=0, le=3600)

    @field_validator("host")
    @classmethod
    def _host(cls, value: str) -> str:
        return value.strip()


class DatabaseSection(_Section):
    url: str = ""
    dev_data_dir: str = "headoffice-pgdata"
    pool_size: int = Field(default=10, ge=1, le=200)
    pool_timeout_seconds: float = Field(default=5.0, gt=0, le=60)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip()
        if value and not value.startswith(("postgresql://", "postgresql+psycopg://")):
            raise ValueError("must be a postgresql:// or postgresql+psycopg:// URL")
        return value


class SyncSection(_Section):
    skew_flag_seconds: int = Field(default=300, ge=1)
    # how long a pipelined batch waits for the one sent before it (then: 503 busy)
    push_order_wait_seconds: float = Field(default=10.0, gt=0, le=120)
    silent_hours: int = Field(default=24, ge=1)
    enrolment_code_hours: int = Field(default=72, ge=1, le=24 * 30)
    admin_token: str = ""  # empty: the admin HTTP endpoints are switched off
    # a counter's money totals are compared with what head office holds at most this
    # often (they are sums over all of its records); 0 = on every report
    integrity_totals_minutes: int = Field(default=10, ge=0, le=24 * 60)


class Settings(_Section):
    server: ServerSection = ServerSection()
    database: DatabaseSection = DatabaseSection()
    sync: SyncSection = SyncSection()
    source: str = "(defaults)"

    @property
    def sqlalchemy_url(self) -> str:
        """The URL with the psycopg 3 driver named (plain postgresql:// would pick psycopg2)."""
        url = self.database.url
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url


def load_settings(path: Path | str | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read the TOML file (if any) and apply environment overrides; validate everything."""
    env = dict(os.environ if env is None else env)
    path = path or env.get(ENV_CONFIG) or None
    raw: dict[str, Any] = {}
    source = "(defaults)"
    if path:
        p = Path(path)
        source = str(p)
        try:
            raw = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise SettingsError(f"config file {p} not found") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"config file {p} is not valid TOML: {exc}") from exc
        dev_dir = raw.get("database", {}).get("dev_data_dir")
        if isinstance(dev_dir, str) and not Path(dev_dir).is_absolute():
            raw.setdefault("database", {})["dev_data_dir"] = str(p.parent / dev_dir)
    overrides = {
        ("database", "url"): env.get("FRONTDESK_HO_DATABASE_URL"),
        ("server", "host"): env.get("FRONTDESK_HO_HOST"),
        ("server", "port"): env.get("FRONTDESK_HO_PORT"),
        ("server", "workers"): env.get("FRONTDESK_HO_WORKERS"),
        ("sync", "admin_token"): env.get("FRONTDESK_HO_ADMIN_TOKEN"),
        ("sync", "integrity_totals_minutes"): env.get("FRONTDESK_HO_INTEGRITY_TOTALS_MINUTES"),
    }
    for (section, key), value in overrides.items():
        if value is not None and value != "":
            raw.setdefault(section, {})[key] = value
    raw["source"] = source
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        lines = [".".join(str(p) for p in e["loc"]) + ": " + e["msg"] for e in exc.errors()]
        raise SettingsError(f"config {source} is invalid:\n  " + "\n  ".join(lines)) from exc
