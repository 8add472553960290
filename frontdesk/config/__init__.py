"""The workstation's configuration file (``frontdesk.toml`` in the data folder).

IT provisions a counter with this file or with ``frontdesk init`` options, no GUI
needed. Every key is validated; a bad file is refused with the key and the rule named
(:class:`ConfigError`), never half-applied.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

CONFIG_FILE_NAME = "frontdesk.toml"
CODE_PATTERN = re.compile(r"^[A-Z0-9]{2,12}$")


class ConfigError(Exception):
    """The configuration file is missing, unreadable or breaks a rule."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WorkstationSection(_Section):
    branch_code: str
    workstation_code: str
    branch_name: str = "营业厅"
    branch_address: str = ""
    branch_phone: str = ""
    branch_postcode: str = ""  # the seller's post code on the 三包凭证
    # IANA zone every typed and shown time is in (storage stays UTC)
    time_zone: str = "Asia/Shanghai"

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        value = value.strip()
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("must be an IANA time zone name, e.g. Asia/Shanghai") from exc
        return value

    @field_validator("branch_code", "workstation_code")
    @classmethod
    def _code(cls, value: str) -> str:
        value = value.strip().upper()
        if not CODE_PATTERN.match(value):
            raise ValueError("must be 2-12 capital letters or digits, e.g. BJ0101 / W01")
        return value

    @field_validator("branch_postcode")
    @classmethod
    def _postcode(cls, value: str) -> str:
        value = value.strip()
        if value and not re.fullmatch(r"\d{6}", value):
            raise ValueError("must be a 6-digit post code (邮政编码), e.g. 100022, or empty")
        return value


_URL_PATTERN = re.compile(
    r"^https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?(/[^\s]*)?$|^https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?(/[^\s]*)?$"
)


class HeadOfficeSection(_Section):
    url: str = ""
    timeout_seconds: float = Field(default=10.0, gt=0, le=120)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip()
        if value and not _URL_PATTERN.match(value):
            raise ValueError("must be http(s)://host[:port], e.g. https://ho.example.cn:8443")
        return value.rstrip("/")


class UiSection(_Section):
    language: Literal["zh", "en"] = "zh"
    idle_lock_minutes: int = Field(default=5, ge=1, le=120)
    text_scale: float = Field(default=1.0, ge=1.0, le=2.0)  # larger text for the clerk


class DevicesSection(_Section):
    id_reader: Literal["simulator", "termb"] = "simulator"
    termb_library: str = ""
    termb_port: int = Field(default=1001, ge=1, le=1016)
    face: Literal["simulator", "vendor"] = "simulator"
    signature: Literal["simulator", "none"] = "none"
    # face = "vendor": the 人像比对 terminal's SDK (frontdesk/devices/face_vendor.py)
    face_library: str = ""
    face_camera: int = Field(default=0, ge=0, le=16)
    face_threshold: float = Field(default=0.80, gt=0, le=1)

    def settings(self) -> Any:
        """The device layer's settings (``frontdesk.devices.registry.DeviceSettings``)."""
        from ..devices.registry import DeviceSettings

        return DeviceSettings(
            id_reader=self.id_reader,
            termb_library=self.termb_library or None,
            termb_port=self.termb_port,
            face=self.face,
            signature=self.signature,
            face_library=self.face_library or None,
            face_camera=self.face_camera,
            face_threshold=self.face_threshold,
        )


class SecuritySection(_Section):
    max_failed_logins: int = Field(default=5, ge=1, le=20)
    lockout_minutes: int = Field(default=15, ge=1, le=1440)
    retention_years_after_close: int = Field(default=2, ge=2, le=30)
    # passwords are changed regularly (001: 定期更换密码); forced change at sign-in after
    password_max_age_days: int = Field(default=90, ge=1, le=365)


class BackupSection(_Section):
    keep: int = Field(default=14, ge=1, le=365)
    # copies of the database a restore replaced (backups/*-before-restore.db)
    before_restore_days: int = Field(default=90, ge=1, le=3650)


class Config(_Section):
    workstation: WorkstationSection
    head_office: HeadOfficeSection = HeadOfficeSection()
    ui: UiSection = UiSection()
    devices: DevicesSection = DevicesSection()
    security: SecuritySection = SecuritySection()
    backup: BackupSection = BackupSection()
    # [queue] is validated by the queue's own model (frontdesk.config.queue) and
    # kept here as given, so the rest of the config can be rewritten without losing it
    queue: dict[str, Any] = Field(default_factory=dict)

    @field_validator("queue")
    @classmethod
    def _queue(cls, value: dict[str, Any]) -> dict[str, Any]:
        from .queue import QueueConfigError, parse_queue_section

        try:
            parse_queue_section(value, "queue")
        except QueueConfigError as exc:
            raise ValueError(str(exc).replace("\n", " ")) from None
        return value


def load_config(data_dir: Path) -> Config:
    path = data_dir / CONFIG_FILE_NAME
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(
            f"配置文件 {path} 不存在，请先运行 frontdesk init。 / "
            f"config file {path} not found; run 'frontdesk init' first."
        ) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"配置文件 {path} 格式错误：{exc}。 / config file {path} is not valid TOML: {exc}"
        ) from exc
    return parse_config(raw, str(path))


def parse_config(raw: dict[str, Any], source: str = CONFIG_FILE_NAME) -> Config:
    try:
        return Config.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = ".".join(str(part) for part in err["loc"])
            problems.append(f"{key}: {err['msg']}")
        raise ConfigError(
            f"配置文件 {source} 有误 / config file {source} is invalid:\n  " + "\n  ".join(problems)
        ) from exc


def dump_config(config: Config) -> str:
    """The config as TOML (tomli-w: nested sections and lists such as [[queue.lines]])."""
    import tomli_w

    data = config.model_dump(mode="json")
    if not data.get("queue"):
        data.pop("queue", None)
    return tomli_w.dumps(data)


def write_config(data_dir: Path, config: Config) -> Path:
    """Write atomically (temp file + rename) so a crash never leaves half a config."""
    path = data_dir / CONFIG_FILE_NAME
    tmp = path.with_suffix(".toml.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(dump_config(config))
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)
    return path
