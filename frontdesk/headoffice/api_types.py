"""Types every head-office endpoint shares: who is asking (credential, versions) and the
one way a request is refused — an HTTP status, a code and the field at fault
(``{"error": ..., "problems": [{"field", "message"}]}``), never a bare 500."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ClientVersions:
    protocol: int
    app: str
    schema: str
    device_time: dt.datetime | None


@dataclass(frozen=True)
class Credential:
    branch: str
    workstation: str


class ApiError(Exception):
    """A refusal with an HTTP status, a machine code and the field at fault."""

    def __init__(self, status: int, error: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.field = field


def problem_body(error: str, problems: list[dict[str, str]]) -> dict[str, Any]:
    return {"error": error, "problems": problems}
