"""The queue host's HTTP API (FastAPI): the branch's counters and kiosk call it on the LAN.

Thin on purpose: every endpoint is one :class:`~frontdesk.services.queue.LocalQueue`
call, so the rules live in one place and the host behaves exactly like a lone counter's
in-process queue. A broken rule answers 422 with the rule's code, field and parameters so
the counter shows the same polite message it would show locally. Bad input is a 4xx,
never a 500; bodies are JSON of at most ``MAX_BODY_BYTES`` (counted while read).

Credentials: the ``[queue] token`` only lets a counter *join* (``POST /v1/join``
``{counter}``), once; the host answers with a credential of that counter alone, kept
hashed in the host's database. Every other call carries ``Authorization: Bearer
<counter credential>`` and may act only as that counter (call, recall, no-show,
transfer, serve, finish, requeue name it). IT lets a counter join again after a
reinstall with ``frontdesk queue forget --counter W01``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from ..core.messages import RuleViolation
from ..protocol.limits import BodyLimit
from ..services.queue import LocalQueue, ServiceLine

API_VERSION = 1
MAX_BODY_BYTES = 64 * 1024  # the biggest real body is a few hundred bytes
CREDENTIAL_SETTING = "queue.counter."  # + counter code -> SHA-256 of its credential


class JoinBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    counter: str = Field(pattern=r"^[A-Z0-9]{1,16}$")


class CounterCredentials:
    """Which counter each credential belongs to (only SHA-256 hashes are kept)."""

    def __init__(
        self,
        known: dict[str, str] | None = None,
        save: Callable[[str, str | None], None] | None = None,
    ) -> None:
        self._hash_of = dict(known or {})  # counter -> hash
        self._save = save

    @staticmethod
    def _digest(credential: str) -> str:
        return hashlib.sha256(credential.encode("utf-8", "replace")).hexdigest()

    def join(self, counter: str) -> str | None:
        """A new credential for ``counter``; None when it already joined."""
        if counter in self._hash_of:
            return None
        credential = secrets.token_urlsafe(32)
        self._hash_of[counter] = self._digest(credential)
        if self._save is not None:
            self._save(counter, self._hash_of[counter])
        return credential

    def forget(self, counter: str) -> bool:
        if self._hash_of.pop(counter, None) is None:
            return False
        if self._save is not None:
            self._save(counter, None)
        return True

    def counter_of(self, credential: str) -> str | None:
        digest = self._digest(credential)
        for counter, known in self._hash_of.items():
            if hmac.compare_digest(known, digest):
                return counter
        return None


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IssueBody(_Body):
    line: str = Field(min_length=1, max_length=4)
    tier: str = Field(default="standard", min_length=1, max_length=16)
    customer_id: uuid.UUID | None = None
    green_channel: str | None = Field(default=None, min_length=1, max_length=16)


class CounterBody(_Body):
    counter: str = Field(min_length=1, max_length=16)


class RequeueBody(_Body):
    ticket_no: str = Field(min_length=2, max_length=16)
    by: str = Field(min_length=1, max_length=16)


class CallBody(CounterBody):
    lines: list[str] = Field(min_length=1, max_length=20)


class TransferBody(CounterBody):
    to_counter: str = Field(min_length=1, max_length=16)


class ServeBody(CounterBody):
    visit_id: uuid.UUID


def _line_json(line: ServiceLine) -> dict[str, Any]:
    return {
        "code": line.code,
        "name_zh": line.name_zh,
        "name_en": line.name_en,
        "vip_only": line.vip_only,
        "vip_3g": line.vip_3g,
    }


def create_app(
    queue: LocalQueue, token: str, credentials: CounterCredentials | None = None
) -> FastAPI:
    """The API over ``queue``. ``token`` is the branch's join secret; empty means no
    check at all (a loopback-only host, one PC). ``credentials`` holds the counters that
    joined (in memory when not given)."""
    app = FastAPI(
        title="frontdesk queue host",
        version=str(API_VERSION),
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    expected = token.encode("utf-8")
    joined = credentials or CounterCredentials()

    def _bearer(authorization: str | None) -> bytes:
        if not authorization or not authorization.startswith("Bearer "):
            raise HTTPException(status_code=401, detail="Authorization: Bearer <credential>")
        return authorization[len("Bearer ") :].strip().encode("utf-8", "replace")

    def caller(authorization: Annotated[str | None, Header()] = None) -> str | None:
        """The counter this credential belongs to (None on an open loopback host)."""
        if not expected:
            return None
        counter = joined.counter_of(_bearer(authorization).decode("utf-8", "replace"))
        if counter is None:
            raise HTTPException(status_code=401, detail="unknown credential: join the host")
        return counter

    def acting_as(who: str | None, counter: str) -> None:
        if who is not None and who != counter:
            raise HTTPException(
                status_code=403, detail=f"this credential belongs to {who}, not {counter}"
            )

    @app.exception_handler(RuleViolation)
    async def _rule(_request: Request, exc: RuleViolation) -> JSONResponse:
        problems = [
            {
                "code": p.code,
                "field": p.field,
                "severity": str(p.severity),
                "params": dict(p.params),
            }
            for p in exc.problems
        ]
        return JSONResponse({"error": "rule", "problems": problems}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _body(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"field": ".".join(str(x) for x in err["loc"]), "message": err["msg"]}
            for err in exc.errors()
        ]
        return JSONResponse({"error": "body", "problems": problems}, status_code=400)

    @app.exception_handler(HTTPException)
    async def _http(_request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": "http", "detail": exc.detail}, status_code=exc.status_code)

    auth = [Depends(caller)]

    @app.post("/v1/join")
    def join(
        body: JoinBody, authorization: Annotated[str | None, Header()] = None
    ) -> dict[str, Any]:
        if expected and not hmac.compare_digest(_bearer(authorization), expected):
            raise HTTPException(status_code=401, detail="bad queue token")
        credential = joined.join(body.counter) if expected else ""
        if credential is None:
            raise HTTPException(
                status_code=409,
                detail=f"{body.counter} already joined; IT: frontdesk queue forget"
                f" --counter {body.counter}",
            )
        return {"counter": body.counter, "credential": credential}

    @app.get("/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "api": API_VERSION}

    @app.get("/v1/lines", dependencies=auth)
    def lines() -> dict[str, Any]:
        return {"lines": [_line_json(line) for line in queue.service_lines()]}

    @app.post("/v1/tickets", dependencies=auth)
    def issue(body: IssueBody) -> dict[str, Any]:
        ticket = queue.issue(body.line, body.tier, body.customer_id, body.green_channel)
        return {"ticket": ticket.to_json()}

    @app.post("/v1/call-next")
    def call_next(body: CallBody, who: str | None = Depends(caller)) -> dict[str, Any]:
        acting_as(who, body.counter)
        ticket = queue.call_next(body.counter, body.lines)
        return {"ticket": ticket.to_json() if ticket else None}

    @app.get("/v1/counters/{counter}/current", dependencies=auth)
    def current(counter: str) -> dict[str, Any]:
        ticket = queue.current(counter)
        return {"ticket": ticket.to_json() if ticket else None}

    @app.post("/v1/tickets/{ticket_id}/recall")
    def recall(
        ticket_id: uuid.UUID, body: CounterBody, who: str | None = Depends(caller)
    ) -> dict[str, Any]:
        acting_as(who, body.counter)
        return {"ticket": queue.recall(ticket_id, body.counter).to_json()}

    @app.post("/v1/tickets/{ticket_id}/no-show")
    def no_show(
        ticket_id: uuid.UUID, body: CounterBody, who: str | None = Depends(caller)
    ) -> dict[str, Any]:
        acting_as(who, body.counter)
        return {"ticket": queue.no_show(ticket_id, body.counter).to_json()}

    @app.post("/v1/tickets/requeue")
    def requeue(body: RequeueBody, who: str | None = Depends(caller)) -> dict[str, Any]:
        acting_as(who, body.by)
        return {"ticket": queue.requeue(body.ticket_no, body.by).to_json()}

    @app.post("/v1/tickets/{ticket_id}/transfer")
    def transfer(
        ticket_id: uuid.UUID, body: TransferBody, who: str | None = Depends(caller)
    ) -> dict[str, Any]:
        acting_as(who, body.counter)
        return {"ticket": queue.transfer(ticket_id, body.counter, body.to_counter).to_json()}

    @app.post("/v1/tickets/{ticket_id}/serve")
    def serve(
        ticket_id: uuid.UUID, body: ServeBody, who: str | None = Depends(caller)
    ) -> dict[str, Any]:
        acting_as(who, body.counter)
        return {"ticket": queue.start_serving(ticket_id, body.counter, body.visit_id).to_json()}

    @app.post("/v1/tickets/{ticket_id}/finish")
    def finish(
        ticket_id: uuid.UUID, body: CounterBody, who: str | None = Depends(caller)
    ) -> dict[str, Any]:
        acting_as(who, body.counter)
        return {"ticket": queue.finish(ticket_id, body.counter).to_json()}

    @app.get("/v1/hall", dependencies=auth)
    def hall() -> dict[str, Any]:
        return {"hall": queue.hall_snapshot().to_json()}

    return app
