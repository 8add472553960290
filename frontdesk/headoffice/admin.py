"""IT's head-office operations: enrolment codes, revocation, silent counters, datasets.

Used by the command line (``frontdesk headoffice …``) and the tests; each function runs
in the caller's transaction (``with engine.begin() as conn``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from ..protocol.digest import canonical_digest
from ..protocol.wire import DATASET_KINDS, NUMBERS_SCHEMA

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud over a phone


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def issue_enrolment_code(
    conn: Connection, branch: str, workstation: str, *, valid_hours: int = 72
) -> str:
    """A one-time code for (branch, workstation); only its hash is stored."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))
    conn.execute(
        text(
            "INSERT INTO ho_enrolment_code (code_hash, branch_code, workstation_code, expires_at)"
            " VALUES (:h, :b, :w, now() + make_interval(hours => :hrs))"
        ),
        {"h": sha256_hex(code), "b": branch, "w": workstation, "hrs": valid_hours},
    )
    conn.execute(
        text(
            "INSERT INTO ho_workstation (branch_code, workstation_code, status)"
            " VALUES (:b, :w, 'active') ON CONFLICT DO NOTHING"
        ),
        {"b": branch, "w": workstation},
    )
    return "-".join(code[i : i + 4] for i in range(0, 16, 4))


def revoke(conn: Connection, branch: str, workstation: str, reason: str = "revoked by IT") -> bool:
    """Refuse this workstation's credential from now on (its stored records stay)."""
    row = conn.execute(
        text(
            "UPDATE ho_workstation SET status = 'revoked', status_reason = :r"
            " WHERE branch_code = :b AND workstation_code = :w RETURNING 1"
        ),
        {"b": branch, "w": workstation, "r": reason[:500]},
    ).first()
    return row is not None


@dataclass(frozen=True)
class SilentWorkstation:
    branch_code: str
    workstation_code: str
    status: str
    last_seen_at: dt.datetime | None


def silent_workstations(conn: Connection, hours: int = 24) -> list[SilentWorkstation]:
    """Enrolled, non-revoked counters not heard from for ``hours`` (or never)."""
    rows = conn.execute(
        text(
            "SELECT branch_code, workstation_code, status, last_seen_at FROM ho_workstation"
            " WHERE status <> 'revoked' AND enrolled_at IS NOT NULL AND (last_seen_at IS NULL"
            " OR last_seen_at < now() - make_interval(hours => :h))"
            " ORDER BY last_seen_at NULLS FIRST, branch_code, workstation_code"
        ),
        {"h": hours},
    ).all()
    return [SilentWorkstation(*r) for r in rows]


def publish_dataset(conn: Connection, kind: str, body: dict[str, Any], schema: int = 1) -> int:
    """Publish a new version of a dataset; returns the server-assigned version."""
    if kind not in DATASET_KINDS:
        raise ValueError(f"kind must be one of {', '.join(DATASET_KINDS)}")
    if kind == "catalogue":
        from ..core.catalogue import parse_catalogue

        parse_catalogue(body, "publish")  # never publish a catalogue counters would refuse
    if kind == "numbers":  # every number checked at the edge; counters of schema 1 skip it
        from ..core.messages import RuleViolation, error
        from ..core.numbers import parse_blocks

        try:
            _blocks, problems = parse_blocks(body)
        except TypeError as exc:
            raise RuleViolation([error("numbers.bad_dataset", "number_block", detail=exc)]) from exc
        if problems:
            raise RuleViolation(problems)
        schema = max(schema, NUMBERS_SCHEMA)
    version = int(conn.execute(text("SELECT nextval('ho_dataset_version_seq')")).scalar_one())
    conn.execute(
        text(
            "INSERT INTO ho_dataset (kind, version, schema, digest, body)"
            " VALUES (:k, :v, :s, :d, CAST(:b AS jsonb))"
        ),
        {
            "k": kind,
            "v": version,
            "s": schema,
            "d": canonical_digest(body),
            "b": json.dumps(body, ensure_ascii=False),
        },
    )
    return version


def own_blocks(body: Any, branch: str, workstation: str) -> list[dict[str, Any]]:
    """The blocks of a ``numbers`` dataset one counter may see: its own (号码资源)."""
    blocks = body.get("blocks", []) if isinstance(body, dict) else []
    return [
        b
        for b in blocks
        if isinstance(b, dict)
        and b.get("branch_code") == branch
        and b.get("workstation_code") == workstation
    ]


@dataclass(frozen=True)
class PublishedBlock:
    version: int
    added: int  # numbers new to this workstation's block
    total: int  # numbers in its block now


def publish_number_block(
    conn: Connection, branch: str, workstation: str, numbers: list[str]
) -> PublishedBlock:
    """Assign numbers to one workstation: a new version of the ``numbers`` dataset with
    its block grown by ``numbers``. Every number is checked (11-digit mobile of a valid
    prefix, no repeats) and none may already belong to another workstation; any problem
    refuses the whole block and nothing is published (``RuleViolation``)."""
    from ..core.messages import RuleViolation, error
    from ..core.numbers import check_numbers

    branch, workstation = branch.strip().upper(), workstation.strip().upper()
    checked, problems = check_numbers(numbers)
    if problems:
        raise RuleViolation(problems)
    # one publisher at a time: two IT sessions must not both build on the same version
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('ho_dataset:numbers'))"))
    row = conn.execute(
        text("SELECT body FROM ho_dataset WHERE kind = 'numbers' ORDER BY version DESC LIMIT 1")
    ).first()
    blocks: list[dict[str, Any]] = list(row.body.get("blocks", [])) if row is not None else []
    mine: dict[str, Any] | None = None
    owner: dict[str, str] = {}
    for block in blocks:
        here = f"{block['branch_code']}/{block['workstation_code']}"
        if block["branch_code"] == branch and block["workstation_code"] == workstation:
            mine = block
            continue
        for n in block["numbers"]:
            owner[n] = here
    taken = [
        error("numbers.assigned_elsewhere", "number_block", number=n, owner=owner[n])
        for n in checked
        if n in owner
    ]
    if taken:
        raise RuleViolation(taken)
    if mine is None:
        mine = {"branch_code": branch, "workstation_code": workstation, "numbers": []}
        blocks.append(mine)
    before = set(mine["numbers"])
    mine["numbers"] = sorted(before | set(checked))
    version = publish_dataset(conn, "numbers", {"blocks": blocks})
    return PublishedBlock(version, len(set(checked) - before), len(mine["numbers"]))


class UnflagError(Exception):
    """The workstation can't be unflagged; the message says why."""


def unflag(conn: Connection, branch: str, workstation: str, reason: str, actor: str) -> str:
    """Let a flagged workstation sync again, recording who, when and why.

    Only a *flagged* workstation can be unflagged (a revoked one must enrol again); the
    reason is required: it is what the next person reads in ``ho_admin_action``.
    Returns the reason it had been flagged for.
    """
    if len(reason.strip()) < 10:
        raise UnflagError(
            "请写明原因（至少 10 个字符），例如“恢复备份后票据号已与总部核对”。 / give a reason "
            "of at least 10 characters, e.g. 'restored a backup; numbers checked with head office'."
        )
    row = conn.execute(
        text(
            "SELECT status, status_reason FROM ho_workstation"
            " WHERE branch_code = :b AND workstation_code = :w FOR UPDATE"
        ),
        {"b": branch, "w": workstation},
    ).first()
    if row is None:
        raise UnflagError(
            f"总部没有工作站 {branch}/{workstation} / no workstation {branch}/{workstation}"
        )
    if row.status != "flagged":
        raise UnflagError(
            f"工作站 {branch}/{workstation} 的状态是 {row.status}，不是 flagged。 / "
            f"{branch}/{workstation} is {row.status}, not flagged."
        )
    conn.execute(
        text(
            "UPDATE ho_workstation SET status = 'active', status_reason = NULL"
            " WHERE branch_code = :b AND workstation_code = :w"
        ),
        {"b": branch, "w": workstation},
    )
    conn.execute(
        text(
            "INSERT INTO ho_admin_action (action, branch_code, workstation_code, reason, actor,"
            " previous_status, previous_reason) VALUES ('unflag', :b, :w, :r, :a, :s, :pr)"
        ),
        {
            "b": branch,
            "w": workstation,
            "r": reason.strip()[:500],
            "a": actor[:64],
            "s": row.status,
            "pr": row.status_reason,
        },
    )
    return str(row.status_reason or "")


def last_numbers(conn: Connection, branch: str, workstation: str) -> dict[str, int]:
    """The highest slip and receipt sequence head office holds for a workstation."""
    rows = conn.execute(
        text(
            "SELECT kind, max(seq) FROM ho_receipt_seq"
            " WHERE branch_code = :b AND workstation_code = :w GROUP BY kind"
        ),
        {"b": branch, "w": workstation},
    ).all()
    return {str(kind): int(seq) for kind, seq in rows}
