"""What a settled business does to the customer's accounts (``account_effect``).

Used twice: while the clerk builds the slip, each business is judged on the state
*after* the businesses before it on the same slip (pay the arrears, then change number —
一台清 in one visit); and after settling, the counter's cached copy of the accounts is
brought up to date until head office's own answer arrives through sync.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from .accounts import CustomerState, LineState


def _replace_line(state: CustomerState, old: LineState, new: LineState | None) -> CustomerState:
    lines = [line for line in state.lines if line is not old]
    if new is not None:
        lines.append(new)
    return dataclasses.replace(state, lines=tuple(lines))


def apply_effect(
    state: CustomerState,
    effect: str,
    *,
    line_number: str | None,
    fields: Mapping[str, Any],
    amount_fen: int = 0,
) -> CustomerState:
    """The customer's state after one business; unknown or neutral effects change nothing."""
    if effect == "add_line":
        number = str(fields.get("new_number") or fields.get("number") or "")
        mode = str(fields.get("payment_mode") or "prepaid")
        new = LineState(
            number=number,
            payment_mode=mode,  # type: ignore[arg-type]
            plan_code=fields.get("plan"),
            # a 副卡 is a mobile number of its own: one more for 一证五号
            service="mobile"
            if fields.get("service") == "mobile_secondary"
            else str(fields.get("service", "mobile")),
        )
        counted = 1 if new.service == "mobile" else 0
        state = dataclasses.replace(
            state, numbers_with_operator=state.numbers_with_operator + counted
        )
        return dataclasses.replace(state, lines=(*state.lines, new))
    line = state.line(line_number) if line_number else None
    if line is None:
        return state
    replace = dataclasses.replace
    if effect == "top_up":
        paid_to_arrears = min(line.arrears_fen, amount_fen)
        new_line = replace(
            line,
            arrears_fen=line.arrears_fen - paid_to_arrears,
            balance_fen=line.balance_fen + amount_fen - paid_to_arrears,
        )
        if new_line.status == "suspended" and new_line.arrears_fen == 0 and line.arrears_fen:
            new_line = replace(new_line, status="active")  # paid-up lines come back on
        return _replace_line(state, line, new_line)
    simple: dict[str, dict[str, Any]] = {
        "close_line": {"status": "closed"},
        "suspend_line": {"status": "suspended"},
        "resume_line": {"status": "active"},
        "report_lost": {"status": "lost"},
        "cancel_lost": {"status": "active"},
        "roaming_on": {"roaming_enabled": True},
        "roaming_off": {"roaming_enabled": False},
        "refund_deposit": {"deposit_fen": 0},
        "reverify": {"reverify_required": False},  # 二次实人认证 done at the counter
    }
    if effect in simple:
        new_line = replace(line, **simple[effect])
        if effect == "close_line" and line.service == "mobile":
            state = replace(state, numbers_with_operator=max(0, state.numbers_with_operator - 1))
        return _replace_line(state, line, new_line)
    if effect == "refund_balance":
        return _replace_line(
            state, line, replace(line, balance_fen=max(0, line.balance_fen - abs(amount_fen)))
        )
    if effect == "change_plan" and fields.get("plan"):
        return _replace_line(state, line, replace(line, plan_code=str(fields["plan"])))
    if effect == "change_number" and fields.get("new_number"):
        return _replace_line(state, line, replace(line, number=str(fields["new_number"])))
    if effect == "change_owner":
        # the line leaves this customer (the new owner's account gains it at head office)
        return _replace_line(state, line, None)
    return state
