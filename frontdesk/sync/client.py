"""HTTP client for head office (httpx), shared by the pusher, the puller and services.

Failures come in two kinds, and the callers treat them differently:
- :class:`HeadOfficeUnreachable` (a ``ConnectionError``): no answer, a timeout or a 5xx —
  transient; retry later, the counter carries on offline.
- :class:`HeadOfficeRefused`: a 4xx — head office understood and said no (revoked,
  flagged, malformed); retrying the same thing won't help, a person must look.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
import orjson

from .. import __version__ as APP_VERSION
from ..core.accounts import CustomerState, LineState
from ..protocol.wire import (
    DATASET_SCHEMA,
    H_APP,
    H_DEVICE_TIME,
    H_MANAGER,
    H_PROTOCOL,
    H_SCHEMA,
    PROTOCOL_VERSION,
)

REPORT_ROWS_TIMEOUT = 60.0  # seconds: the branch's report rows (see report_rows)


class HeadOfficeUnreachable(ConnectionError):
    """Head office did not answer (network down, timeout, server error)."""

    url = ""  # set by the client: which head office, for IT's message


class HeadOfficeRefused(Exception):
    """Head office answered with a 4xx: the request itself was refused."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(f"{status} {error}: {message}")
        self.status = status
        self.error = error
        self.message = message


@dataclass(frozen=True)
class PushAck:
    stored: int
    duplicates: int
    rejected: dict[int, str] = field(default_factory=dict)  # batch index → reason
    skew_flagged: bool = False


class AccountSource(Protocol):
    """Head office's current view of a customer's accounts, by keyed ID hash.

    Returns ``None`` for a customer billing does not know; raises ``ConnectionError``
    when head office can't be asked (the caller then judges on its cache and flags the
    slip for re-check, SPEC §3).
    """

    def account_state(self, id_hash: str) -> CustomerState | None: ...


def _schema_label() -> str:
    """The schema this build ships: the scripts the workstation itself was migrated with,
    so they are always readable where a client runs."""
    from ..store.migrate import head_revision

    return head_revision()


class HeadOfficeClient:
    """One head office, one workstation credential (``token`` may be empty to enrol)."""

    def __init__(
        self,
        url: str,
        token: str = "",
        *,
        timeout: float = 10.0,
        protocol: int = PROTOCOL_VERSION,
        app_version: str = APP_VERSION,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.protocol = protocol
        headers = {
            H_PROTOCOL: str(protocol),
            H_APP: app_version,
            H_SCHEMA: _schema_label(),
            "Accept": "application/json",
        }
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.Client(
            base_url=self.url,
            headers=headers,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 3.0)),
            transport=transport,
            trust_env=False,
            # kept open between the agent's 30 s passes (head office keeps idle
            # connections 75 s): no new TCP handshake per pass
            limits=httpx.Limits(keepalive_expiry=60.0),
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HeadOfficeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing --------------------------------------------------------------------
    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = kwargs.pop("headers", {})
        if self.protocol >= 2:
            headers[H_DEVICE_TIME] = dt.datetime.now(dt.UTC).isoformat()
        try:
            response = self._http.request(method, path, headers=headers, **kwargs)
        except httpx.HTTPError as exc:
            down = HeadOfficeUnreachable(f"head office unreachable: {exc!s}"[:300])
            down.url = self.url
            raise down from exc
        if response.status_code >= 500:
            down = HeadOfficeUnreachable(f"head office error {response.status_code}")
            down.url = self.url
            raise down
        try:
            body = orjson.loads(response.content) if response.content else {}
        except orjson.JSONDecodeError as exc:
            if response.status_code >= 400:
                raise HeadOfficeRefused(response.status_code, "http_error", "") from exc
            raise HeadOfficeUnreachable("head office answered with something not JSON") from exc
        if response.status_code >= 400:
            problems = body.get("problems") or [{}]
            first = problems[0]
            message = f"{first.get('field', '')}: {first.get('message', '')}".strip(": ")
            raise HeadOfficeRefused(response.status_code, str(body.get("error", "")), message)
        return body

    # -- endpoints -------------------------------------------------------------------
    def health(self) -> bool:
        try:
            response = self._http.get("/health", timeout=2.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    def enrol(self, code: str, branch: str, workstation: str) -> dict[str, Any]:
        return dict(
            self._request(
                "POST",
                "/v1/enrol",
                json={"code": code, "branch": branch, "workstation": workstation},
            )
        )

    def push(
        self,
        payloads: Sequence[str | bytes],
        batch_id: str | None = None,
        *,
        outbox_to: int | None = None,
        follows: int | None = None,
    ) -> PushAck:
        """Send outbox envelopes as they were stored (no re-encoding: they are JSON).

        ``outbox_to`` is the outbox position of the last envelope; ``follows`` that of
        the batch sent just before, when it may still be on the wire — head office then
        stores this one only after that one (docs/sync.md, "Pipelined push").
        """
        parts = [p.encode("utf-8") if isinstance(p, str) else p for p in payloads]
        head = b'{"records":['
        if self.protocol >= 2:
            order = {"outbox_to": outbox_to, "follows": follows}
            head = (
                b'{"batch_id":'
                + orjson.dumps(batch_id or str(uuid.uuid4()))
                + b"".join(
                    b',"' + k.encode() + b'":' + orjson.dumps(v)
                    for k, v in order.items()
                    if v is not None
                )
                + b',"records":['
            )
        body = head + b",".join(parts) + b"]}"
        answer = self._request(
            "POST", "/v1/push", content=body, headers={"Content-Type": "application/json"}
        )
        return PushAck(
            stored=int(answer.get("stored", 0)),
            duplicates=int(answer.get("duplicates", 0)),
            rejected={int(r["index"]): str(r["reason"]) for r in answer.get("rejected", [])},
            skew_flagged=bool(answer.get("skew_flagged", False)),
        )

    def report_anchor(self, anchor: dict[str, Any]) -> dict[str, Any]:
        """Tell head office this counter's audit-chain head and totals (sync/anchor.py).

        A head office older than this counter (404) does not keep them yet: the pass
        goes on and says so."""
        try:
            return dict(self._request("POST", "/v1/integrity", json=anchor))
        except HeadOfficeRefused as exc:
            if exc.status != 404:
                raise
            return {"status": "not_supported"}

    def pull(self, have: dict[str, int], schema: int = DATASET_SCHEMA) -> list[dict[str, Any]]:
        answer = self._request("POST", "/v1/pull", json={"have": have, "schema": schema})
        return list(answer.get("datasets", []))

    def last_numbers(self) -> dict[str, int]:
        """Head office's highest slip and receipt sequence for this workstation."""
        answer = self._request("GET", "/v1/last-numbers")
        return {str(k): int(v) for k, v in dict(answer.get("numbers", {})).items()}

    def count_numbers(self, id_hash: str) -> int:
        """:class:`~frontdesk.services.verification.NumberLimitSource` for 一证五号."""
        try:
            return int(self._request("GET", f"/v1/number-count/{id_hash}")["count"])
        except HeadOfficeRefused as exc:  # the counter goes on; the slip gets a re-check
            raise HeadOfficeUnreachable(str(exc)) from exc

    def count_all_operators(self, id_hash: str) -> dict[str, Any]:
        """一证通查 through head office: this operator's and the other operators' counts."""
        try:
            return dict(self._request("GET", f"/v1/number-count-all/{id_hash}"))
        except HeadOfficeRefused as exc:
            raise HeadOfficeUnreachable(str(exc)) from exc

    def account_state(self, id_hash: str) -> CustomerState | None:
        """:class:`AccountSource`: the billing system's current state of a customer."""
        try:
            answer = self._request("GET", f"/v1/accounts/{id_hash}")
        except HeadOfficeRefused as exc:
            raise HeadOfficeUnreachable(str(exc)) from exc
        if not answer.get("known"):
            return None
        return state_from_json(answer["state"])

    def work_order_updates(self, after: int) -> dict[str, Any]:
        """Head office's changes to this workstation's escalated complaints after ``after``."""
        return dict(self._request("GET", "/v1/work-orders/updates", params={"after": after}))

    def manager_session(self, username: str, password: str) -> dict[str, Any]:
        """A manager's short-lived branch token (``token``, ``expires_in`` seconds):
        head office checks the password against the staff accounts it published."""
        return dict(
            self._request(
                "POST", "/v1/manager-session", json={"username": username, "password": password}
            )
        )

    def report_rows(
        self, date_from: dt.date, date_to: dt.date, manager_token: str | None = None
    ) -> dict[str, Any]:
        """The branch's grouped report rows, every counter (docs/reports.md); head office
        answers only with a manager's token of this branch (:meth:`manager_session`).

        A quarter of a busy branch is tens of thousands of visit rows that take head
        office seconds to gather: this one question may take up to a minute before the
        manager's report falls back to head office's day totals."""
        return dict(
            self._request(
                "GET",
                "/v1/report-rows",
                params={"from": date_from.isoformat(), "to": date_to.isoformat()},
                headers={H_MANAGER: manager_token} if manager_token else {},
                timeout=httpx.Timeout(REPORT_ROWS_TIMEOUT, connect=3.0),
            )
        )

    def day_summary(self, day: dt.date) -> dict[str, Any]:
        """Branch-wide totals of a business day, as head office has received them."""
        return dict(self._request("GET", "/v1/summary", params={"date": day.isoformat()}))


def state_from_json(raw: dict[str, Any]) -> CustomerState:
    def date(value: Any) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    lines = []
    for line in raw.get("lines", []):
        values = dict(line)
        values["contract_lock_until"] = date(values.get("contract_lock_until"))
        lines.append(LineState(**values))
    return CustomerState(
        kind=raw.get("kind", "person"),
        tier=raw.get("tier", "standard"),
        tier_frozen=bool(raw.get("tier_frozen")),
        birth_date=date(raw.get("birth_date")),
        numbers_with_operator=int(raw.get("numbers_with_operator", 0)),
        lines=tuple(lines),
        source="head_office",
    )
