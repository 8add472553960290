"""What the counter knows of a customer's accounts when it judges a business.

A plain snapshot (no database) built by the services from head office's answer or
the local cache; preconditions are evaluated on it. ``source`` says whether the state
is fresh from head office or a cached copy, so a slip judged on a cache is flagged for
head-office re-check (SPEC §3).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

StateSource = Literal["head_office", "cache", "new"]
PaymentMode = Literal["prepaid", "postpaid"]


@dataclass(frozen=True)
class LineState:
    number: str
    payment_mode: PaymentMode
    status: str = "active"  # active | suspended | lost | closed
    service: str = "mobile"
    plan_code: str | None = None
    balance_fen: int = 0
    arrears_fen: int = 0
    deposit_fen: int = 0
    contract_lock_until: dt.date | None = None
    pretty_number_lock: bool = False
    marketing_lock: bool = False
    moved_without_change: bool = False
    roaming_enabled: bool = False
    reverify_required: bool = False  # 二次实人认证 flagged by head office


@dataclass(frozen=True)
class CustomerState:
    kind: Literal["person", "unit"] = "person"
    tier: str = "standard"
    tier_frozen: bool = False
    birth_date: dt.date | None = None
    numbers_with_operator: int = 0  # 一证五号: mobile numbers under this ID, operator-wide
    lines: tuple[LineState, ...] = field(default_factory=tuple)
    source: StateSource = "new"

    def line(self, number: str) -> LineState | None:
        return next((line for line in self.lines if line.number == number), None)

    @property
    def open_lines(self) -> tuple[LineState, ...]:
        return tuple(line for line in self.lines if line.status != "closed")

    @property
    def in_arrears(self) -> bool:
        return any(line.arrears_fen > 0 for line in self.open_lines)

    @property
    def effective_tier(self) -> str:
        """VIP membership is frozen while any line is in arrears (DOMAIN.md)."""
        return "standard" if self.tier_frozen or self.in_arrears else self.tier
