"""One push, from credential to commit, in four round trips to PostgreSQL.

The push is the request head office serves most — every counter every few seconds, and
thousands of records a second when a counter catches up — so its path is kept short:

1. :func:`authenticate_push`: one statement checks the credential, takes the
   workstation's push turn (a transaction-scoped advisory lock) and reads how far the
   counter's outbox is already stored;
2. :func:`~.ingest.store_batch`: one statement stores the whole batch;
3. the workstation's bookkeeping (last push, versions, skew, outbox position);
4. commit — and only then is the batch acknowledged.

The turn keeps one counter's batches from inserting side by side, so their arrival
numbers (``rx_seq``, the order account effects are replayed in) follow the counter's
outbox; a pipelined batch that ``follows`` one still on the wire waits until that one
is stored (docs/sync.md, "Pipelined push").
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

from sqlalchemy import Connection, text

from .admin import sha256_hex
from .api_types import ApiError, ClientVersions, Credential, bearer_token, credential_refusal
from .ingest import BatchResult, ClonedIdentity, store_batch

log = logging.getLogger("frontdesk.headoffice")

MAX_SKEW_SECONDS = 2**31 - 1  # the skew columns are 32-bit integers
_TURN_SQL = text(
    "SELECT branch_code, workstation_code, status, status_reason, last_outbox_seq,"
    " pg_advisory_xact_lock(hashtextextended("
    "'push/' || branch_code || '/' || workstation_code, 0)) AS turn"
    " FROM ho_workstation WHERE token_hash = :h"
)
_STORED_TO_SQL = text(
    "SELECT last_outbox_seq FROM ho_workstation WHERE branch_code = :b AND workstation_code = :w"
)
_LOCK_SQL = text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))")
_BOOKKEEPING_SQL = text(
    "UPDATE ho_workstation SET last_push_at = now(), last_seen_at = now(),"
    " last_skew_seconds = :s, last_outbox_seq = greatest(last_outbox_seq, :to),"
    " last_app_version = :a, last_protocol = :p, last_schema = :v"
    " WHERE branch_code = :b AND workstation_code = :w"
)


def authenticate_push(
    conn: Connection, authorization: str | None, follows: int | None, wait_seconds: float
) -> Credential:
    """The pushing workstation, holding its push turn inside the open transaction."""
    row = conn.execute(_TURN_SQL, {"h": sha256_hex(bearer_token(authorization))}).first()
    refusal = credential_refusal(row)
    if refusal is not None:
        conn.rollback()
        raise refusal
    assert row is not None
    cred = Credential(row.branch_code, row.workstation_code)
    if follows is not None and (row.last_outbox_seq is None or row.last_outbox_seq < follows):
        _wait_for_predecessor(conn, cred, follows, wait_seconds)
    return cred


def _wait_for_predecessor(
    conn: Connection, cred: Credential, follows: int, wait_seconds: float
) -> None:
    """Hold back until the batch this one follows is stored; if it never is (it failed),
    turn this one away as "busy": the counter sends both again, in order.

    The first look may be stale — it was read before the turn was granted — so the
    position is read again, after the lock, in a fresh snapshot, before waiting."""
    deadline = time.monotonic() + wait_seconds
    key = f"push/{cred.branch}/{cred.workstation}"
    where = {"b": cred.branch, "w": cred.workstation}
    while True:
        stored_to = conn.execute(_STORED_TO_SQL, where).scalar()
        if stored_to is not None and stored_to >= follows:
            return
        conn.rollback()  # gives the turn to the batch this one waits for
        if time.monotonic() >= deadline:
            raise ApiError(
                503,
                "busy",
                f"the batch before this one (up to outbox {follows}) has not arrived;"
                " retry shortly",
                "follows",
            )
        time.sleep(0.005)
        conn.execute(_LOCK_SQL, {"k": key})


def store_push(
    conn: Connection,
    records: list[Any],
    *,
    cred: Credential,
    versions: ClientVersions,
    outbox_to: int | None,
    now: dt.datetime,
    skew_limit: int,
) -> BatchResult:
    """Store the batch and the workstation's bookkeeping, and commit; a cloned identity
    rolls everything back, flags the workstation and is refused with 409."""
    skew = None
    if versions.device_time is not None:
        # a clock decades off is still only a flagged skew: kept inside the column
        seconds = int((now - versions.device_time).total_seconds())
        skew = max(-MAX_SKEW_SECONDS, min(MAX_SKEW_SECONDS, seconds))
    try:
        result = store_batch(
            conn,
            records,
            branch=cred.branch,
            workstation=cred.workstation,
            skew_seconds=skew,
            skew_limit=skew_limit,
        )
    except ClonedIdentity as exc:
        conn.rollback()
        conn.execute(
            text(
                "UPDATE ho_workstation SET status = 'flagged', status_reason = :r"
                " WHERE branch_code = :b AND workstation_code = :w"
            ),
            {"r": f"cloned identity suspected: {exc}", "b": cred.branch, "w": cred.workstation},
        )
        conn.commit()
        log.warning("workstation %s/%s flagged: %s", cred.branch, cred.workstation, exc)
        raise ApiError(409, "workstation_flagged", f"cloned identity suspected: {exc}") from exc
    conn.execute(
        _BOOKKEEPING_SQL,
        {
            "s": skew,
            "to": outbox_to,
            "a": versions.app,
            "p": versions.protocol,
            "v": versions.schema,
            "b": cred.branch,
            "w": cred.workstation,
        },
    )
    conn.commit()
    return result
