"""The queue host's HTTP API (FastAPI): the branch's counters and kiosk call it on the LAN.

Thin on purpose: every endpoint is one :class:`~frontdesk.services.queue.LocalQueue`
call, so the rules live in one place and the host behaves exactly like a lone counter's
in-process queue. Requests carry ``Authorization: Bearer <[queue] token>`` (compared in
constant time); a broken rule answers 422 with the rule's code, field and parameters so
the counter shows the same polite message it would show locally. Bad input is a 4xx,
never a 500.
"""

from __future__ import annotations

import hmac
import uuid
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from ..core.messages import RuleViolation
from ..services.queue import LocalQueue, ServiceLine

API_VERSION = 1


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


def create_app(queue: LocalQueue, token: str) -> FastAPI:
    """The API over ``queue``; ``token`` empty means no check (loopback-only hosts)."""
    app = FastAPI(title="frontdesk queue host", version=str(API_VERSION), docs_url=None)
    expected = token.encode("utf-8")

    def authorised(authorization: Annotated[str | None, Header()] = None) -> None:
        if not expected:
            return
        given = (authorization or "").removeprefix("Bearer ").strip().encode("utf-8")
        if not hmac.compare_digest(given, expected):
            raise HTTPException(status_code=401, detail="bad or missing queue token")

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

    auth = [Depends(authorised)]

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

    @app.post("/v1/call-next", dependencies=auth)
    def call_next(body: CallBody) -> dict[str, Any]:
        ticket = queue.call_next(body.counter, body.lines)
        return {"ticket": ticket.to_json() if ticket else None}

    @app.get("/v1/counters/{counter}/current", dependencies=auth)
    def current(counter: str) -> dict[str, Any]:
        ticket = queue.current(counter)
        return {"ticket": ticket.to_json() if ticket else None}

    @app.post("/v1/tickets/{ticket_id}/recall", dependencies=auth)
    def recall(ticket_id: uuid.UUID, body: CounterBody) -> dict[str, Any]:
        return {"ticket": queue.recall(ticket_id, body.counter).to_json()}

    @app.post("/v1/tickets/{ticket_id}/no-show", dependencies=auth)
    def no_show(ticket_id: uuid.UUID, body: CounterBody) -> dict[str, Any]:
        return {"ticket": queue.no_show(ticket_id, body.counter).to_json()}

    @app.post("/v1/tickets/requeue", dependencies=auth)
    def requeue(body: RequeueBody) -> dict[str, Any]:
        return {"ticket": queue.requeue(body.ticket_no, body.by).to_json()}

    @app.post("/v1/tickets/{ticket_id}/transfer", dependencies=auth)
    def transfer(ticket_id: uuid.UUID, body: TransferBody) -> dict[str, Any]:
        return {"ticket": queue.transfer(ticket_id, body.counter, body.to_counter).to_json()}

    @app.post("/v1/tickets/{ticket_id}/serve", dependencies=auth)
    def serve(ticket_id: uuid.UUID, body: ServeBody) -> dict[str, Any]:
        return {"ticket": queue.start_serving(ticket_id, body.counter, body.visit_id).to_json()}

    @app.post("/v1/tickets/{ticket_id}/finish", dependencies=auth)
    def finish(ticket_id: uuid.UUID, body: CounterBody) -> dict[str, Any]:
        return {"ticket": queue.finish(ticket_id, body.counter).to_json()}

    @app.get("/v1/hall", dependencies=auth)
    def hall() -> dict[str, Any]:
        return {"hall": queue.hall_snapshot().to_json()}

    return app
