"""The ``[queue]`` section of ``frontdesk.toml``: where the queue lives and how it calls.

Parsed here, on its own, so the queue can be provisioned without touching the rest of
the configuration model (``frontdesk.queuehost.settings`` re-exports it for the queue
host's commands). Keys (all optional)::

    [queue]
    url = "http://192.168.1.20:8766"  # the queue host; empty = this PC hosts the queue
    token = "…"                       # shared secret between the host and its counters
    counter_lines = ["A", "V", "B"]   # lines this counter calls (empty = every line)
    host = "0.0.0.0"                  # `frontdesk queue serve` bind address
    port = 8766                       # (8765 is the developer head office's port)
    timeout_seconds = 3.0
    margin_minutes = 3                # urgent when this close to the waiting limit
    fairness_every = 4                # every N-th call goes to the oldest standard ticket
    counters = ["W01", "W02", "W03"]  # shown idle in the hall view before their first call

    [[queue.lines]]                   # replaces the default lines A / V / B
    code = "A"
    name_zh = "综合业务"
    name_en = "General"
    vip_only = false
    vip_3g = false
"""

from __future__ import annotations

import ipaddress
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..core.queue import DEFAULT_LINES, QueuePolicy, QueueSetup, ServiceLine

CONFIG_FILE_NAME = "frontdesk.toml"
DEFAULT_PORT = 8766


class QueueConfigError(ValueError):
    """The ``[queue]`` section breaks a rule; the message names the key."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LineSection(_Section):
    code: str = Field(pattern=r"^[A-Z]{1,2}$")
    name_zh: str = Field(min_length=1, max_length=16)
    name_en: str = Field(min_length=1, max_length=32)
    vip_only: bool = False
    vip_3g: bool = False


class QueueSection(_Section):
    url: str = ""
    token: str = ""
    counter_lines: tuple[str, ...] = ()
    host: str = "127.0.0.1"
    port: int = Field(default=DEFAULT_PORT, ge=1, le=65535)
    timeout_seconds: float = Field(default=3.0, gt=0, le=30)
    margin_minutes: int = Field(default=3, ge=0, le=30)
    fairness_every: int = Field(default=4, ge=2, le=20)
    counters: tuple[str, ...] = ()
    lines: tuple[LineSection, ...] = ()

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("token")
    @classmethod
    def _token(cls, value: str) -> str:
        value = value.strip()
        if value and len(value) < 16:
            raise ValueError("must be at least 16 characters")
        return value

    @field_validator("counter_lines", "counters")
    @classmethod
    def _codes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(v.strip().upper() for v in value if v.strip())

    @property
    def hosts_itself(self) -> bool:
        return not self.url

    @property
    def is_loopback(self) -> bool:
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return self.host == "localhost"

    def setup(self) -> QueueSetup:
        lines = (
            tuple(ServiceLine(**line.model_dump()) for line in self.lines)
            if self.lines
            else DEFAULT_LINES
        )
        return QueueSetup(
            lines=lines,
            policy=QueuePolicy(self.margin_minutes * 60, self.fairness_every),
            counters=self.counters,
        )

    def lines_for_counter(self, setup: QueueSetup) -> tuple[str, ...]:
        return self.counter_lines or tuple(line.code for line in setup.lines)


def parse_queue_section(raw: dict[str, Any] | None, source: str = CONFIG_FILE_NAME) -> QueueSection:
    try:
        section = QueueSection.model_validate(raw or {})
    except ValidationError as exc:
        problems = [
            "queue." + ".".join(str(p) for p in err["loc"]) + f": {err['msg']}"
            for err in exc.errors()
        ]
        raise QueueConfigError(
            f"配置文件 {source} 的 [queue] 有误 / [queue] in {source} is invalid:\n  "
            + "\n  ".join(problems)
        ) from exc
    codes = [line.code for line in section.lines]
    if len(set(codes)) != len(codes):
        raise QueueConfigError(f"[queue] lines: 业务类别代码重复 / duplicate line code in {codes}")
    known = set(codes) if codes else {line.code for line in DEFAULT_LINES}
    unknown = [c for c in section.counter_lines if c not in known]
    if unknown:
        raise QueueConfigError(
            f"[queue] counter_lines: 未定义的业务类别 / unknown line(s) {', '.join(unknown)}"
        )
    return section


def load_queue_section(data_dir: Path) -> QueueSection:
    """Read ``[queue]`` from the workstation's config file (defaults when absent)."""
    path = Path(data_dir) / CONFIG_FILE_NAME
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return QueueSection()
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise QueueConfigError(
            f"配置文件 {path} 格式错误 / {path} is not valid TOML: {exc}"
        ) from exc
    return parse_queue_section(raw.get("queue"), str(path))
