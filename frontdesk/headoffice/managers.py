"""Managers at head office: a short-lived token that lets a counter read its branch's
report rows (SPEC §7: branch-wide figures are for managers).

Head office publishes the staff accounts itself (the ``staff`` dataset: argon2 hashes,
roles, branches), so it can check a manager's password without trusting the counter:

- :func:`check_manager` verifies ``username`` + ``password`` against the newest staff
  dataset. The answer is the same, and takes one argon2 check, whether the user is
  unknown, inactive, of another branch, a clerk, or typed a wrong password.
- :class:`AttemptLimit` counts failures per (branch, username) — known or not, so the
  lock-out confirms nothing — and refuses further tries for a while.
- :func:`issue_token` / :func:`token_holder`: the token is ``payload.signature``,
  an HMAC-SHA256 under a head-office secret (``ho_secret`` ``manager_token_key``, made
  once and shared by every process); it names branch, staff and expiry and is valid for
  :data:`TOKEN_SECONDS`. Nothing is stored: the counter keeps it in memory only.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

import orjson
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, text

TOKEN_SECONDS = 600  # a manager's branch session: ten minutes
MAX_FAILURES = 5  # failed tries per (branch, username) before a pause
LOCK_SECONDS = 300
BRANCH_ROLES = frozenset({"manager", "it_admin"})
_KEY_NAME = "manager_token_key"
_hasher = PasswordHasher()
# checked when the user is unknown, so every refusal costs one argon2 verification
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class ManagerToken:
    branch: str
    username: str
    role: str
    expires_at: dt.datetime


def token_key(conn: Connection) -> bytes:
    """The signing key, made by the first process that needs it."""
    candidate = base64.b64encode(secrets.token_bytes(32)).decode()
    conn.execute(
        text("INSERT INTO ho_secret (name, value) VALUES (:n, :v) ON CONFLICT (name) DO NOTHING"),
        {"n": _KEY_NAME, "v": candidate},
    )
    value = conn.execute(
        text("SELECT value FROM ho_secret WHERE name = :n"), {"n": _KEY_NAME}
    ).scalar_one()
    return base64.b64decode(str(value))


def _staff_entry(conn: Connection, username: str) -> dict[str, Any] | None:
    body = conn.execute(
        text("SELECT body FROM ho_dataset WHERE kind = 'staff' ORDER BY version DESC LIMIT 1")
    ).scalar()
    entries = body.get("staff") if isinstance(body, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and entry.get("username") == username:
            return entry
    return None


def check_manager(conn: Connection, branch: str, username: str, password: str) -> str | None:
    """The role of an active manager (or IT admin) of ``branch`` whose password this is;
    None for every other case, after the same amount of work."""
    entry = _staff_entry(conn, username)
    stored = entry.get("password_hash") if entry else None
    try:
        ok = _hasher.verify(stored if isinstance(stored, str) else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or entry is None or entry.get("active", True) is not True:
        return None
    role = entry.get("role")
    home = entry.get("branch_code")
    if role == "manager" and home == branch:
        return "manager"
    if role == "it_admin" and home in (branch, ""):
        return "it_admin"
    return None


class AttemptLimit:
    """Failed tries per (branch, username) in this process; a success clears them."""

    def __init__(self, limit: int = MAX_FAILURES, lock_seconds: float = LOCK_SECONDS) -> None:
        self._limit, self._lock = limit, lock_seconds
        self._failures: dict[tuple[str, str], tuple[int, float]] = {}
        self._guard = threading.Lock()

    def locked(self, branch: str, username: str) -> bool:
        with self._guard:
            count, since = self._failures.get((branch, username), (0, 0.0))
            if count >= self._limit and time.monotonic() - since < self._lock:
                return True
            if count >= self._limit:  # the pause is over: start counting again
                self._failures.pop((branch, username), None)
            return False

    def failed(self, branch: str, username: str) -> None:
        with self._guard:
            if len(self._failures) > 100_000:  # bounded: forget the oldest half
                for k in sorted(self._failures, key=lambda k: self._failures[k][1])[:50_000]:
                    del self._failures[k]
            count, _ = self._failures.get((branch, username), (0, 0.0))
            self._failures[(branch, username)] = (count + 1, time.monotonic())

    def succeeded(self, branch: str, username: str) -> None:
        with self._guard:
            self._failures.pop((branch, username), None)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def issue_token(
    key: bytes, branch: str, username: str, role: str, now: dt.datetime
) -> tuple[str, dt.datetime]:
    expires = now + dt.timedelta(seconds=TOKEN_SECONDS)
    payload = _b64(
        orjson.dumps({"b": branch, "u": username, "r": role, "exp": int(expires.timestamp())})
    )
    signature = _b64(hmac.new(key, payload.encode(), hashlib.sha256).digest())
    return f"{payload}.{signature}", expires


def token_holder(key: bytes, token: str | None, now: dt.datetime) -> ManagerToken | None:
    """Who this token was issued to, or None if it is absent, forged or expired."""
    if not token or len(token) > 1000 or token.count(".") != 1:
        return None
    payload, signature = token.split(".")
    expected = _b64(hmac.new(key, payload.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        return None
    data = orjson.loads(_unb64(payload))  # signed by us: well formed
    expires = dt.datetime.fromtimestamp(int(data["exp"]), dt.UTC)
    if expires <= now:
        return None
    return ManagerToken(str(data["b"]), str(data["u"]), str(data["r"]), expires)
