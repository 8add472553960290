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


def bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer …`` header, or a 401 naming the header."""
    if not authorization or not authorization.startswith("Bearer "):
        raise ApiError(
            401, "missing_credential", "Authorization: Bearer <token> required", "Authorization"
        )
    return authorization[len("Bearer ") :].strip()


def credential_refusal(row: Any) -> ApiError | None:
    """Why a workstation credential is refused — ``row`` is its ``ho_workstation`` row
    (status, status_reason), None when not known at all — or None for an active one:
    the same answer from every endpoint."""
    if row is None:
        return ApiError(
            401, "unknown_credential", "credential not recognised; enrol again", "Authorization"
        )
    if row.status == "revoked":
        return ApiError(403, "revoked", f"credential revoked: {row.status_reason}", "Authorization")
    if row.status == "flagged":
        return ApiError(
            409, "workstation_flagged", f"workstation flagged: {row.status_reason}", "Authorization"
        )
    return None
