"""The billing side of head office: customers' accounts and the counters' effects on them.

Settled slip items carry ``account_effect`` (:mod:`frontdesk.core.effects`). The push
transaction only *queues* them (``ho_pending_effect``) so pushing stays fast and never
fails because billing data is missing; :func:`apply_pending_effects` applies them with
the very same rule code the counter used to judge the slip, exactly once each
(``ho_effect_log``), in the order head office received them. An item whose slip or
customer verification has not arrived yet simply waits for the next pass.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from ..core.accounts import CustomerState, LineState
from ..core.effects import apply_effect

LINE_COLUMNS = (
    "number",
    "service",
    "payment_mode",
    "status",
    "plan_code",
    "balance_fen",
    "arrears_fen",
    "deposit_fen",
    "contract_lock_until",
    "pretty_number_lock",
    "marketing_lock",
    "moved_without_change",
    "roaming_enabled",
    "reverify_required",
)
MAX_ATTEMPTS_BEFORE_SKIP = 1000
_UUID_TEXT = "^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"
log = logging.getLogger("frontdesk.headoffice")


def load_state(conn: Connection, id_hash: str, *, lock: bool = False) -> CustomerState | None:
    """The customer's accounts as the core's snapshot type (``None`` when unknown)."""
    row = conn.execute(
        text(
            "SELECT kind, tier, tier_frozen FROM ho_customer WHERE id_hash = :h"
            + (" FOR UPDATE" if lock else "")
        ),
        {"h": id_hash},
    ).first()
    if row is None:
        return None
    lines = conn.execute(
        text(f"SELECT {', '.join(LINE_COLUMNS)} FROM ho_line WHERE id_hash = :h ORDER BY number"),
        {"h": id_hash},
    ).mappings()
    line_states = tuple(LineState(**dict(m)) for m in lines)
    return CustomerState(
        kind=row.kind,
        tier=row.tier,
        tier_frozen=row.tier_frozen,
        # no birth date at head office: beside the masked number it rebuilds the whole one
        numbers_with_operator=sum(
            1 for ln in line_states if ln.service == "mobile" and ln.status != "closed"
        ),
        lines=line_states,
        source="head_office",
    )


def save_state(conn: Connection, id_hash: str, state: CustomerState) -> None:
    """Write a customer's state back (upsert customer, replace this customer's lines)."""
    conn.execute(
        text(
            "INSERT INTO ho_customer (id_hash, kind, tier, tier_frozen)"
            " VALUES (:h, :k, :t, :f) ON CONFLICT (id_hash) DO UPDATE SET kind = :k,"
            " tier = :t, tier_frozen = :f, updated_at = now()"
        ),
        {
            "h": id_hash,
            "k": state.kind,
            "t": state.tier,
            "f": state.tier_frozen,
        },
    )
    numbers = [ln.number for ln in state.lines]
    conn.execute(
        text("DELETE FROM ho_line WHERE id_hash = :h AND NOT (number = ANY(:n))"),
        {"h": id_hash, "n": numbers},
    )
    for line in state.lines:
        values = {c: getattr(line, c) for c in LINE_COLUMNS}
        cols = ", ".join(LINE_COLUMNS)
        binds = ", ".join(f":{c}" for c in LINE_COLUMNS)
        updates = ", ".join(f"{c} = :{c}" for c in LINE_COLUMNS if c != "number")
        conn.execute(
            text(
                f"INSERT INTO ho_line (id_hash, {cols}) VALUES (:h, {binds})"
                f" ON CONFLICT (number) DO UPDATE SET id_hash = :h, {updates}, updated_at = now()"
            ),
            {"h": id_hash, **values},
        )


def count_numbers(conn: Connection, id_hash: str) -> int:
    """一证五号: open mobile numbers held under this ID hash, operator-wide."""
    return int(
        conn.execute(
            text(
                "SELECT count(*) FROM ho_line WHERE id_hash = :h AND service = 'mobile'"
                " AND status <> 'closed'"
            ),
            {"h": id_hash},
        ).scalar_one()
    )


def flag_for_reverification(conn: Connection, number: str) -> bool:
    """二次实人认证: flag an abnormal card; counters pull the flag with the accounts and
    take no business on it until its holder re-verifies (the REVERIFY business clears
    it). Returns whether the number is known to billing."""
    done = conn.execute(
        text("UPDATE ho_line SET reverify_required = true, updated_at = now() WHERE number = :n"),
        {"n": number},
    )
    return bool(done.rowcount)


def _party_hash(conn: Connection, branch: Any, visit_id: Any, party: str) -> str | None:
    value = conn.execute(
        text(
            "SELECT data->>'id_hash' FROM ho_record WHERE branch_code = :b"
            " AND record_type = 'id_verification'"
            " AND data->>'visit_id' = :v AND data->>'party' = :p ORDER BY rx_seq DESC LIMIT 1"
        ),
        {"b": str(branch), "v": str(visit_id), "p": party},
    ).scalar()
    return str(value) if value else None


def apply_pending_effects(conn: Connection, limit: int = 500) -> int:
    """Apply queued effects whose records have all arrived; return how many were settled.

    Rows are taken with ``FOR UPDATE SKIP LOCKED`` so several server processes can run
    the applier at once without applying anything twice. Runs in the caller's
    transaction. Each effect is applied in its own savepoint: one that fails (a record
    the ingest schema should have refused, a billing row that no longer fits) is
    counted and retried, and after ``MAX_ATTEMPTS_BEFORE_SKIP`` attempts it is logged
    as skipped — it never holds back the effects of any other item or branch.
    """
    pending = conn.execute(
        text(
            "SELECT p.item_id, p.attempts, p.last_problem, i.data AS item, s.data AS slip"
            " FROM ho_pending_effect p"
            " JOIN ho_record i ON i.branch_code = p.branch_code AND i.id = p.item_id"
            " LEFT JOIN ho_record s ON s.branch_code = i.branch_code"
            " AND s.id = CASE WHEN i.data->>'slip_id' ~ :uuid"
            " THEN (i.data->>'slip_id')::uuid END"
            " ORDER BY p.attempts, i.rx_seq LIMIT :n FOR UPDATE OF p SKIP LOCKED"
        ),
        {"n": limit, "uuid": _UUID_TEXT},
    ).all()
    done = 0
    for item_id, attempts, last_problem, item, slip in pending:
        if attempts >= MAX_ATTEMPTS_BEFORE_SKIP:
            outcome = f"skipped after {attempts} attempts: {last_problem or 'no reason'}"
        else:
            try:
                with conn.begin_nested():
                    outcome = _apply_one(conn, item, slip)
            except (DBAPIError, ValueError, TypeError, AttributeError, KeyError) as exc:
                log.warning("account effect of item %s failed: %s", item_id, exc)
                outcome = None
                problem = f"failed: {type(exc).__name__}: {exc}"
            else:
                problem = "waiting for related records"
        if outcome is None:  # its slip or verification has not arrived yet, or it failed
            conn.execute(
                text(
                    "UPDATE ho_pending_effect SET attempts = attempts + 1,"
                    " last_problem = :p WHERE item_id = :i"
                ),
                {"i": item_id, "p": _storable(problem, 500)},
            )
            continue
        conn.execute(text("DELETE FROM ho_pending_effect WHERE item_id = :i"), {"i": item_id})
        conn.execute(
            text(
                "INSERT INTO ho_effect_log (item_id, effect, outcome) VALUES (:i, :e, :o)"
                " ON CONFLICT DO NOTHING"
            ),
            {
                "i": item_id,
                "e": _storable(item.get("account_effect"), 24),
                "o": _storable(outcome, 200),
            },
        )
        done += 1
    return done


def _storable(value: Any, limit: int) -> str:
    """Text for a log column: no NUL, at most ``limit`` characters."""
    return str(value).replace("\x00", "\\u0000")[:limit]


def _apply_one(conn: Connection, item: dict[str, Any], slip: dict[str, Any] | None) -> str | None:
    if slip is None:
        return None
    effect = str(item.get("account_effect") or "none")
    fields = item.get("fields") or {}
    number = item.get("service_number")
    if effect == "add_line":
        owner = _party_hash(conn, slip.get("branch_code"), slip.get("visit_id"), "customer")
        if owner is None:
            return None
    else:
        if not number:
            return "skipped: no service number"
        owner = conn.execute(
            text("SELECT id_hash FROM ho_line WHERE number = :n"), {"n": number}
        ).scalar()
        if owner is None:
            return f"skipped: number {number} unknown to billing"
    state = load_state(conn, owner, lock=True) or CustomerState(source="head_office")
    if effect == "add_line":
        new_number = str(fields.get("new_number") or fields.get("number") or "")
        if not new_number:
            return "skipped: no new number"
        taken = conn.execute(
            text("SELECT id_hash FROM ho_line WHERE number = :n"), {"n": new_number}
        ).scalar()
        if taken is not None and taken != owner:
            return f"skipped: number {new_number} belongs to another customer"
    new_state = apply_effect(
        state,
        effect,
        line_number=number,
        fields=fields,
        amount_fen=int(item.get("fee_fen") or 0),
    )
    if effect == "change_owner" and number:
        new_owner = _party_hash(conn, slip.get("branch_code"), slip.get("visit_id"), "new_owner")
        line = state.line(number)
        if new_owner is None or line is None:
            return "skipped: new owner not verified"
        save_state(conn, owner, new_state)
        target = load_state(conn, new_owner, lock=True) or CustomerState(source="head_office")
        save_state(conn, new_owner, dataclasses.replace(target, lines=(*target.lines, line)))
        return f"applied: {effect}"
    save_state(conn, owner, new_state)
    return f"applied: {effect}"


def state_json(state: CustomerState) -> dict[str, Any]:
    """The account state on the wire: no names, no ID numbers, only what rules need."""

    def conv(value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date) else value

    return {
        "kind": state.kind,
        "tier": state.tier,
        "tier_frozen": state.tier_frozen,
        "numbers_with_operator": state.numbers_with_operator,
        "lines": [
            {k: conv(v) for k, v in dataclasses.asdict(line).items()} for line in state.lines
        ],
    }
