"""The head-office HTTP API (FastAPI). Start it with ``frontdesk headoffice serve``.

Every request states protocol, app and schema versions in headers; every answer to bad
input is a 4xx whose body names the field (``{"error": ..., "problems": [{"field",
"message"}]}``) — never a 500. A push is acknowledged only after its transaction
committed. Endpoints (docs/sync.md has the full contract):

- ``GET  /health`` — liveness + database reachability (no credential)
- ``POST /v1/enrol`` — one-time code → workstation credential + operator look-up key
- ``POST /v1/push`` — a batch of outbox envelopes → stored / duplicates / rejected
- ``POST /v1/pull`` — datasets newer than the versions the counter holds
- ``GET  /v1/number-count/{id_hash}`` — 一证五号 count by keyed hash
- ``GET  /v1/accounts/{id_hash}`` — a customer's current account state by keyed hash
- ``GET  /v1/number-count-all/{id_hash}`` — 一证通查: numbers across operators (adapter)
- ``GET  /v1/summary?date=`` — branch-wide day summary for the caller's branch
- ``POST /v1/manager-session`` — a manager's password → a 10-minute branch token
- ``GET  /v1/report-rows?from=&to=`` — the branch's grouped report rows (every counter),
  for a manager's token of that branch only (header ``X-Frontdesk-Manager``)
- ``GET  /v1/admin/silent`` — counters silent for more than N hours (admin token)
- ``GET  /v1/admin/work-orders?branch=`` — a branch's escalated complaints (admin token)
- ``POST /v1/admin/work-orders/{complaint_id}`` — head office's status change (admin token)
- ``GET  /v1/work-orders/updates?after=`` — the caller's work-order changes since a cursor
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator

from fastapi import FastAPI
from sqlalchemy import Engine

from ..protocol.limits import BodyLimit
from ..protocol.wire import MAX_BODY_BYTES, PROTOCOL_VERSION
from . import accounts, routes_admin, routes_branch, routes_counter
from .db import make_engine, resolve_url
from .http import (  # noqa: F401  (re-exported: tests and tools import them from here)
    ERRORS,
    MAX_PUSHES_PER_CREDENTIAL,
    AppState,
    EnrolRequest,
    ManagerSessionRequest,
    PullRequest,
    PushRequest,
    WorkOrderUpdateRequest,
    install_error_handlers,
)
from .settings import Settings, load_settings

log = logging.getLogger("frontdesk.headoffice")
FAULT_ENV = "FRONTDESK_HO_FAULT"  # test-only fault injection, see _Fault


def create_app(settings: Settings | None = None, url: str | None = None) -> FastAPI:
    """Build the app; ``uvicorn --factory frontdesk.headoffice.app:create_app`` works too.

    The routes live in ``routes_counter`` (a counter's credential), ``routes_branch``
    (branch figures, managers) and ``routes_admin`` (admin token); the plumbing they share
    (models, dependencies, parsing, error answers) in ``http``.
    """
    settings = settings or load_settings()
    db_url = url or resolve_url(settings)
    engine = make_engine(
        db_url, settings.database.pool_size, settings.database.pool_timeout_seconds
    )
    fault = _Fault(os.environ.get(FAULT_ENV, ""))

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(
            _effect_loop(engine, settings.server.apply_effects_every_seconds)
        )
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            engine.dispose()

    # No /docs, /redoc or /openapi.json: head office faces every counter of the province,
    # and its schema is for the test suite (``create_app(...).openapi()``), not the world.
    app = FastAPI(
        title="frontdesk head office",
        version=str(PROTOCOL_VERSION),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.engine = engine
    app.state.settings = settings
    app.state.frontdesk = AppState(settings=settings, after_commit=fault.after_commit)
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    install_error_handlers(app)
    app.include_router(routes_counter.router)
    app.include_router(routes_branch.router)
    app.include_router(routes_admin.router)
    return app


class _Fault:
    """Test-only fault injection (``FRONTDESK_HO_FAULT=die_after_commit:N``): the process
    dies with SIGKILL semantics right after the N-th push commit, before answering — the
    exact moment the acceptance tests must survive. Unset in production."""

    def __init__(self, spec: str) -> None:
        self.kind, _, count = spec.partition(":")
        self.remaining = int(count) if count.isdigit() else 1

    def after_commit(self) -> None:
        if self.kind != "die_after_commit":
            return
        self.remaining -= 1
        if self.remaining <= 0:
            os._exit(137)


async def _effect_loop(engine: Engine, every: float) -> None:
    """Apply queued account effects in the background; several processes may run it."""
    while True:
        await asyncio.sleep(every)
        try:
            await asyncio.to_thread(_apply_effects, engine)
        except Exception:  # keep the loop alive; the next pass retries
            log.exception("applying account effects failed")


def _apply_effects(engine: Engine) -> None:
    with engine.begin() as conn:
        while accounts.apply_pending_effects(conn) >= 500:
            pass
