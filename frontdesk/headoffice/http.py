"""Head office's HTTP plumbing: request models, dependencies, body parsing, error answers.

Shared by the route modules (``routes_counter``, ``routes_branch``, ``routes_admin``) and
``app.create_app``. Every answer to bad input is a 4xx naming the field, never a 500.
Dependencies live at module level: FastAPI resolves annotations in module globals.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from ..protocol.limits import CredentialGate
from ..protocol.wire import (
    DATASET_SCHEMA,
    DEFAULT_PUSH_IN_FLIGHT,
    H_APP,
    H_DEVICE_TIME,
    H_PROTOCOL,
    H_SCHEMA,
    MAX_BATCH_RECORDS,
    MAX_BODY_BYTES,
    SUPPORTED_PROTOCOLS,
)
from .admin import sha256_hex
from .api_types import (
    ApiError,
    ClientVersions,
    Credential,
    bearer_token,
    credential_refusal,
    problem_body,
)
from .managers import AttemptLimit, token_key
from .national import SimulatedNationalCheck
from .settings import Settings

log = logging.getLogger("frontdesk.headoffice")
ID_HASH = re.compile(r"^[0-9a-f]{64}$")
BIGINT_MAX = 2**63 - 1  # PostgreSQL's bigint
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(9998, 12, 31)  # report-rows' range
# pushes one credential may have in progress in one process: the counter's pipeline
# plus one retry overlapping a batch whose connection broke
MAX_PUSHES_PER_CREDENTIAL = DEFAULT_PUSH_IN_FLIGHT + 1
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # line breaks and tabs pass


# -- request / response models ---------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EnrolRequest(_Strict):
    code: str = Field(min_length=4, max_length=40)
    branch: str = Field(pattern=r"^[A-Z0-9]{2,12}$")
    workstation: str = Field(pattern=r"^[A-Z0-9]{2,12}$")


class PushRequest(_Strict):
    batch_id: str | None = Field(default=None, max_length=64)
    records: list[Any] = Field(max_length=MAX_BATCH_RECORDS)
    # Pipelined push (docs/sync.md): the counter's outbox position of this batch's last
    # record, and of the last record of the batch it sent just before (still in flight).
    outbox_to: int | None = Field(default=None, ge=0, le=BIGINT_MAX)
    follows: int | None = Field(default=None, ge=0, le=BIGINT_MAX)


class WorkOrderUpdateRequest(_Strict):
    branch: str = Field(pattern=r"^[A-Z0-9]{2,12}$")
    status: str = Field(min_length=1, max_length=16)
    text: str | None = Field(default=None, max_length=1900)
    update_id: uuid.UUID | None = None

    @field_validator("text")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        if value is not None and _CONTROL.search(value):
            raise ValueError("control characters (NUL and the like) are not allowed")
        return value


class ManagerSessionRequest(_Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class PullRequest(_Strict):
    have: dict[str, int] = Field(default_factory=dict)
    schema_: int = Field(default=DATASET_SCHEMA, alias="schema", ge=1)


class ProblemItem(BaseModel):
    field: str
    message: str


class ProblemBody(BaseModel):
    """Every refusal: a machine code and the fields at fault."""

    error: str
    problems: list[ProblemItem]


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ProblemBody, "description": text_}
    for status, text_ in (
        (400, "a required header is missing or malformed"),
        (401, "no credential, or one head office does not know"),
        (403, "revoked credential, bad enrolment code, admin token required"),
        (404, "no such record"),
        (409, "workstation flagged, or the change conflicts with what is stored"),
        (413, "request body larger than the limit"),
        (415, "body is not application/json"),
        (422, "the request names a field that is wrong"),
        (426, "protocol version not supported"),
        (429, "too many failed manager sign-ins: wait and try again"),
        (503, "busy or database unavailable: retry shortly"),
    )
}


def body_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The request body in the OpenAPI schema: bodies are read by :func:`parse_body` (orjson,
    then the model), so FastAPI would not describe them by itself."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": model.model_json_schema()}},
        }
    }


# -- dependencies (module level: FastAPI resolves annotations in module globals) ------
def conn_dep(request: Request) -> Iterator[Connection]:
    try:
        conn = request.app.state.engine.connect()
    except PoolTimeoutError as exc:  # overloaded: every connection busy — retry shortly
        raise ApiError(503, "busy", "head office is busy; retry shortly") from exc
    except (OperationalError, DBAPIError) as exc:
        raise ApiError(503, "database_unavailable", "head office database unreachable") from exc
    try:
        yield conn
    finally:
        conn.close()


Conn = Annotated[Connection, Depends(conn_dep)]


async def versions_dep(
    protocol: Annotated[str | None, Header(alias=H_PROTOCOL)] = None,
    app_version: Annotated[str | None, Header(alias=H_APP)] = None,
    schema: Annotated[str | None, Header(alias=H_SCHEMA)] = None,
    device_time: Annotated[str | None, Header(alias=H_DEVICE_TIME)] = None,
) -> ClientVersions:
    if protocol is None:
        raise ApiError(400, "missing_header", f"header {H_PROTOCOL} is required", H_PROTOCOL)
    try:
        proto = int(protocol)
    except ValueError:
        raise ApiError(400, "bad_header", f"{H_PROTOCOL} must be an integer", H_PROTOCOL) from None
    if proto not in SUPPORTED_PROTOCOLS:
        raise ApiError(
            426,
            "unsupported_protocol",
            f"protocol {proto} not supported; this server speaks "
            f"{sorted(SUPPORTED_PROTOCOLS)} — update the counter software",
            H_PROTOCOL,
        )
    for name, value in ((H_APP, app_version), (H_SCHEMA, schema)):
        if not value:
            raise ApiError(400, "missing_header", f"header {name} is required", name)
        if len(value) > 32:
            raise ApiError(400, "bad_header", f"{name} is longer than 32 characters", name)
    when = None
    if device_time:
        try:
            when = dt.datetime.fromisoformat(device_time)
        except ValueError:
            raise ApiError(
                400, "bad_header", f"{H_DEVICE_TIME} must be an ISO 8601 time", H_DEVICE_TIME
            ) from None
        if when.tzinfo is None:
            raise ApiError(
                400, "bad_header", f"{H_DEVICE_TIME} must carry a UTC offset", H_DEVICE_TIME
            )
    elif proto >= 2:
        raise ApiError(400, "missing_header", f"header {H_DEVICE_TIME} is required", H_DEVICE_TIME)
    return ClientVersions(proto, str(app_version), str(schema), when)


Versions = Annotated[ClientVersions, Depends(versions_dep)]


def credential_dep(
    conn: Conn,
    versions: Versions,
    authorization: Annotated[str | None, Header()] = None,
) -> Credential:
    token_hash = sha256_hex(bearer_token(authorization))
    # A plain read: bookkeeping (last seen, versions) rides in the push transaction, or a
    # throttled update below, so authentication costs no extra commit (fsync) per request.
    row = conn.execute(
        text(
            "SELECT branch_code, workstation_code, status, status_reason,"
            " last_seen_at IS NULL OR last_seen_at < now() - interval '60 seconds' AS stale"
            " FROM ho_workstation WHERE token_hash = :h"
        ),
        {"h": token_hash},
    ).first()
    refusal = credential_refusal(row)
    if row is None or row.status == "revoked":
        conn.rollback()
        assert refusal is not None
        raise refusal
    if row.stale:  # a flagged workstation is still seen: IT wants to know it is alive
        conn.execute(
            text(
                "UPDATE ho_workstation SET last_seen_at = now(), last_app_version = :a,"
                " last_protocol = :p, last_schema = :s WHERE token_hash = :h"
            ),
            {"h": token_hash, "a": versions.app, "p": versions.protocol, "s": versions.schema},
        )
        conn.commit()
    else:
        conn.rollback()
    if refusal is not None:  # flagged: refused, but its bookkeeping above is kept
        raise refusal
    return Credential(row.branch_code, row.workstation_code)


Cred = Annotated[Credential, Depends(credential_dep)]


# -- per-process state the routes share (one per app) ---------------------------------
@dataclass
class AppState:
    """What ``create_app`` builds once and every route reads through the request."""

    settings: Settings
    after_commit: Any  # the test-only fault hook (app._Fault.after_commit)
    pushes: CredentialGate = field(
        default_factory=lambda: CredentialGate(MAX_PUSHES_PER_CREDENTIAL)
    )
    manager_attempts: AttemptLimit = field(default_factory=AttemptLimit)
    national: SimulatedNationalCheck = field(default_factory=SimulatedNationalCheck)
    _signing_keys: list[bytes] = field(default_factory=list)

    def manager_key(self, conn: Connection) -> bytes:
        """The manager-token key, read once per process."""
        if not self._signing_keys:
            self._signing_keys.append(token_key(conn))
            conn.commit()
        return self._signing_keys[0]


def state_of(request: Request) -> AppState:
    return request.app.state.frontdesk  # type: ignore[no-any-return]


def require_admin(settings: Settings, authorization: str | None) -> None:
    """The admin token, compared in constant time."""
    token = settings.sync.admin_token
    given = (authorization or "").encode("utf-8")
    if not token or not secrets.compare_digest(given, f"Bearer {token}".encode()):
        raise ApiError(403, "admin_only", "admin token required", "Authorization")


def checked_id_hash(id_hash: str) -> str:
    if not ID_HASH.match(id_hash):
        raise ApiError(
            422,
            "invalid_request",
            "must be 64 lowercase hex characters (keyed hash)",
            "id_hash",
        )
    return id_hash


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


M = TypeVar("M", bound=BaseModel)


async def parse_body(request: Request, model: type[M]) -> M:
    """Parse and validate the raw body; every error names its field."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise ApiError(413, "too_large", f"body larger than {MAX_BODY_BYTES} bytes", "body")
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(413, "too_large", f"body larger than {MAX_BODY_BYTES} bytes", "body")
    if not raw:
        raise ApiError(422, "invalid_request", "request body is empty; JSON expected", "body")
    try:
        # orjson builds the Python objects about twice as fast as pydantic's JSON mode
        # (a push carries thousands of records); pydantic then checks the shape of the
        # few top-level fields. Anything orjson can't read goes to pydantic's own parser,
        # whose errors name the field; what only pydantic reads (Infinity, NaN) is refused
        # — it would be stored as null.
        try:
            parsed = orjson.loads(raw)
        except orjson.JSONDecodeError:
            model.model_validate_json(raw)  # its error names what is wrong, and where
            # valid to pydantic, not to orjson: Infinity, NaN or a number past a double
            raise ApiError(
                422,
                "invalid_request",
                "body: numbers must be finite (no Infinity, NaN or 1e400)",
                "body",
            ) from None
        return model.model_validate(parsed)
    except ValidationError as exc:
        raise _validation_error(exc.errors()) from None


def _validation_error(errors: Any) -> ApiError:
    problems = _problems(errors)
    first = problems[0] if problems else {"field": "body", "message": "invalid"}
    err = ApiError(422, "invalid_request", f"{first['field']}: {first['message']}", first["field"])
    err.problems = problems  # type: ignore[attr-defined]
    return err


def _problems(errors: Any) -> list[dict[str, str]]:
    out = []
    for e in list(errors)[:20]:
        loc = [str(p) for p in e.get("loc", ()) if p not in ("body",)]
        out.append({"field": ".".join(loc) or "body", "message": str(e.get("msg", "invalid"))})
    return out


def install_error_handlers(app: FastAPI) -> None:
    """Every refusal is JSON naming the field; unexpected bugs are logged, not leaked."""

    async def _drain(request: Request) -> None:
        """Read what is left of the request body before answering early (503 while the
        body is unread): otherwise the server must drop the keep-alive connection and
        a client still sending sees a reset instead of the answer."""
        with contextlib.suppress(Exception):
            await request.body()

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        if exc.status == 503:
            await _drain(_request)
        problems = getattr(exc, "problems", None) or [
            {"field": exc.field or "", "message": exc.message}
        ]
        headers = {"Retry-After": "1"} if exc.status == 503 else None
        return JSONResponse(
            problem_body(exc.error, problems), status_code=exc.status, headers=headers
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(problem_body("invalid_request", _problems(exc.errors())), 422)

    @app.exception_handler(HTTPException)
    async def _http(_request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse(
            problem_body("http_error", [{"field": "", "message": str(exc.detail)}]),
            exc.status_code,
        )

    @app.exception_handler(PoolTimeoutError)
    async def _busy(_request: Request, exc: PoolTimeoutError) -> JSONResponse:
        log.warning("all database connections busy: answering 503")
        await _drain(_request)
        return JSONResponse(
            problem_body("busy", [{"field": "", "message": "head office is busy; retry shortly"}]),
            503,
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(OperationalError)
    async def _db_down(_request: Request, exc: OperationalError) -> JSONResponse:
        log.error("database unavailable: %s", exc)
        return JSONResponse(
            problem_body("database_unavailable", [{"field": "", "message": "retry later"}]), 503
        )
