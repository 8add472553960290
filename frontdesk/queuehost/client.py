"""``RemoteQueue``: a counter's :class:`~frontdesk.services.queue.QueueBackend` over the LAN.

Speaks to the queue host's API (:mod:`.app`) with httpx and answers with the same
plain views as :class:`~frontdesk.services.queue.LocalQueue`. When the host can't be
reached the counter gets a polite ``queue.unreachable`` :class:`RuleViolation` ("叫号
服务器无法连接 … 您可以继续接待散客") and carries on with walk-ins; a rule the host
refused comes back as the very same problem (code, field, parameters) it would have
raised locally.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from ..core.messages import Problem, RuleViolation, Severity, error, is_defined
from ..core.queueing import HallSnapshot, ServiceLine, TicketView


class RemoteQueue:
    """The host's API as a queue backend. With ``counter`` and ``credential_path`` the
    counter joins the host once with the branch's ``token`` and from then on speaks with
    its own credential (kept 0600 in ``credential_path``), acting only as itself."""

    def __init__(
        self,
        url: str,
        token: str = "",
        *,
        timeout: float = 3.0,
        transport: httpx.BaseTransport | None = None,
        counter: str | None = None,
        credential_path: Path | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self._token = token
        self._counter = counter
        self._path = credential_path
        self._http = httpx.Client(base_url=self.url, timeout=timeout, transport=transport)
        self._bearer: str | None = None if counter and credential_path else token
        self._lines: tuple[ServiceLine, ...] | None = None

    def close(self) -> None:
        self._http.close()

    # -- transport ------------------------------------------------------------------
    def _credential(self) -> str:
        """This counter's credential: stored, else obtained by joining the host."""
        if self._bearer is not None:
            return self._bearer
        assert self._path is not None and self._counter is not None
        try:
            stored = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = {}
        if stored.get("url") == self.url and stored.get("counter") == self._counter:
            self._bearer = str(stored["credential"])
            return self._bearer
        try:
            response = self._http.post(
                "/v1/join",
                json={"counter": self._counter},
                headers={"Authorization": f"Bearer {self._token}"},
            )
        except httpx.HTTPError:
            raise RuleViolation([error("queue.unreachable", "queue", url=self.url)]) from None
        if response.status_code != 200:
            raise _refusal(response)
        self._bearer = str(response.json()["credential"])
        record = {"url": self.url, "counter": self._counter, "credential": self._bearer}
        fd = os.open(self._path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(record, out)
        return self._bearer

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        bearer = self._credential()
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        try:
            response = self._http.request(method, path, json=body, headers=headers)
        except httpx.HTTPError:
            raise RuleViolation([error("queue.unreachable", "queue", url=self.url)]) from None
        if response.status_code == 200:
            return response.json()
        raise _refusal(response)

    @staticmethod
    def _ticket(data: dict[str, Any]) -> TicketView | None:
        raw = data.get("ticket")
        return TicketView.from_json(raw) if raw else None

    def _one(self, data: dict[str, Any]) -> TicketView:
        ticket = self._ticket(data)
        assert ticket is not None
        return ticket

    # -- the protocol ---------------------------------------------------------------
    def service_lines(self) -> tuple[ServiceLine, ...]:
        if self._lines is None:
            data = self._call("GET", "/v1/lines")
            self._lines = tuple(ServiceLine(**line) for line in data["lines"])
        return self._lines

    def issue(
        self,
        line: str,
        tier: str = "standard",
        customer_id: uuid.UUID | None = None,
        green_channel: str | None = None,
    ) -> TicketView:
        body = {
            "line": line,
            "tier": tier,
            "customer_id": str(customer_id) if customer_id else None,
            "green_channel": green_channel,
        }
        return self._one(self._call("POST", "/v1/tickets", body))

    def call_next(self, counter: str, lines: Sequence[str]) -> TicketView | None:
        return self._ticket(
            self._call("POST", "/v1/call-next", {"counter": counter, "lines": list(lines)})
        )

    def current(self, counter: str) -> TicketView | None:
        return self._ticket(self._call("GET", f"/v1/counters/{counter}/current"))

    def recall(self, ticket_id: uuid.UUID, counter: str) -> TicketView:
        return self._one(
            self._call("POST", f"/v1/tickets/{ticket_id}/recall", {"counter": counter})
        )

    def no_show(self, ticket_id: uuid.UUID, counter: str) -> TicketView:
        return self._one(
            self._call("POST", f"/v1/tickets/{ticket_id}/no-show", {"counter": counter})
        )

    def requeue(self, ticket_no: str, by: str) -> TicketView:
        body = {"ticket_no": ticket_no, "by": by}
        return self._one(self._call("POST", "/v1/tickets/requeue", body))

    def transfer(self, ticket_id: uuid.UUID, counter: str, to_counter: str) -> TicketView:
        body = {"counter": counter, "to_counter": to_counter}
        return self._one(self._call("POST", f"/v1/tickets/{ticket_id}/transfer", body))

    def start_serving(self, ticket_id: uuid.UUID, counter: str, visit_id: uuid.UUID) -> TicketView:
        body = {"counter": counter, "visit_id": str(visit_id)}
        return self._one(self._call("POST", f"/v1/tickets/{ticket_id}/serve", body))

    def finish(self, ticket_id: uuid.UUID, counter: str) -> TicketView:
        return self._one(
            self._call("POST", f"/v1/tickets/{ticket_id}/finish", {"counter": counter})
        )

    def hall_snapshot(self) -> HallSnapshot:
        return HallSnapshot.from_json(self._call("GET", "/v1/hall")["hall"])


def _refusal(response: httpx.Response) -> RuleViolation:
    """Turn the host's 4xx/5xx into the problems the counter shows."""
    try:
        data = response.json()
    except ValueError:
        data = {}
    problems: list[Problem] = []
    if data.get("error") == "rule":
        for p in data.get("problems", []):
            code = p.get("code", "")
            if is_defined(code):
                problems.append(
                    Problem(
                        code,
                        p.get("field", "queue"),
                        Severity(p.get("severity", "error")),
                        p.get("params", {}),
                    )
                )
    if problems:
        return RuleViolation(problems)
    reason = f"HTTP {response.status_code}"
    if response.status_code == 401:
        reason += " (口令不符 / token rejected)"
    elif response.status_code == 409:
        reason += " (本柜台已加入叫号主机，请 IT 重置 / counter already joined: ask IT)"
    elif response.status_code == 403:
        reason += " (只能以本柜台身份操作 / acting as another counter)"
    return RuleViolation([error("queue.refused", "queue", reason=reason)])
