"""Limits every request meets before any authentication or database work.

- :class:`BodyLimit` (ASGI middleware): a request body is read here, counted while it
  arrives — declared (``Content-Length``) or chunked — and refused with 413 the moment
  it passes the limit, so a 300 MB upload costs at most the limit in memory; a body
  that is not ``application/json`` is refused with 415 before it is read. The body read
  is handed to the application unchanged. Shared by head office and the queue host.
- :class:`CredentialGate`: how many requests of one kind a single credential may have
  in progress at once (per server process). A counter keeps two pushes on the wire; a
  credential sending more — a buggy or hostile client whose far-future ``follows``
  would each wait for the push turn — gets 503 "busy" at once instead of holding
  threads and connections every other branch needs.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from typing import Any

import orjson

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


def _problem(error: str, field: str, message: str) -> bytes:
    return orjson.dumps({"error": error, "problems": [{"field": field, "message": message}]})


async def _answer(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuse a body over ``max_bytes`` while reading it, and one that is not JSON."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _WITH_BODY:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        too_large = _problem(
            "too_large", "body", f"request body larger than {self.max_bytes} bytes"
        )
        length = headers.get(b"content-length")  # uvicorn already refused a malformed one
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await _answer(send, 413, too_large)
            return
        media = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if media != b"application/json":
            await _answer(
                send,
                415,
                _problem(
                    "unsupported_media_type",
                    "Content-Type",
                    "Content-Type must be application/json",
                ),
            )
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await _answer(send, 413, too_large)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class CredentialGate:
    """At most ``limit`` requests in progress per credential (one event loop: no lock)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._busy: dict[str, int] = {}

    @contextlib.contextmanager
    def enter(self, authorization: str | None) -> Iterator[bool]:
        """Yield True when admitted; False when this credential already has ``limit``."""
        key = hashlib.sha256((authorization or "").encode("utf-8", "replace")).hexdigest()
        if self._busy.get(key, 0) >= self.limit:
            yield False
            return
        self._busy[key] = self._busy.get(key, 0) + 1
        try:
            yield True
        finally:
            left = self._busy[key] - 1
            if left:
                self._busy[key] = left
            else:
                del self._busy[key]
