"""The closed lists a catalogue may name: precondition rules, account effects, ID steps."""

from __future__ import annotations

from typing import Literal

SCHEMA_VERSION = 1

#: Precondition rule name → its parameter names (all required). The meaning of each
#: rule lives in :mod:`frontdesk.core.preconditions`; this is the closed list the
#: catalogue may name.
PRECONDITION_RULES: dict[str, set[str]] = {
    "arrears_cleared": set(),
    "no_contract_lock": set(),
    "no_pretty_number_lock": set(),
    "no_marketing_lock": set(),
    "not_moved_without_change": set(),
    "id_number_limit": {"max"},
    "min_age": {"years"},
    "line_status": {"in"},
    "tier_at_least": {"tier"},
    "balance_positive": set(),
}
#: Optional parameters: ``id_number_limit.counts_when`` names the field values under
#: which a business adds a number 一证五号 counts (mobile numbers, 副卡 included).
PRECONDITION_OPTIONAL_PARAMS: dict[str, set[str]] = {"id_number_limit": {"counts_when"}}
#: Rules judged on the chosen line: only businesses with ``acts_on: "line"`` may use them.
LINE_PRECONDITION_RULES = frozenset(
    {
        "arrears_cleared",
        "no_contract_lock",
        "no_pretty_number_lock",
        "no_marketing_lock",
        "not_moved_without_change",
        "line_status",
        "balance_positive",
    }
)
#: Line states head office reports (``accounts.LineState.status``).
LINE_STATUSES = ("active", "suspended", "lost", "closed")
#: The ID verification steps of SPEC §2, in order.
ID_STEPS = ("capture", "check", "match", "retain", "limits")

AccountEffect = Literal[
    "add_line",
    "close_line",
    "suspend_line",
    "resume_line",
    "report_lost",
    "cancel_lost",
    "change_owner",
    "change_number",
    "change_plan",
    "top_up",
    "refund_balance",
    "refund_deposit",
    "replace_sim",
    "roaming_on",
    "roaming_off",
    "idd_on",
    "redeem_points",
    "password_reset",
    "unlock_account",
    "move_address",
    "change_speed",
    "reverify",
    "none",
]
ACCOUNT_EFFECTS: tuple[str, ...] = AccountEffect.__args__  # type: ignore[attr-defined]
#: Effects on one existing line (the business must act on a line).
LINE_EFFECTS = frozenset(ACCOUNT_EFFECTS) - {"add_line", "none"}

Category = Literal["account", "line", "service", "payment", "enquiry", "terminal", "complaint"]
Party = Literal["self", "agent", "unit_agent"]
PaymentMode = Literal["prepaid", "postpaid"]
