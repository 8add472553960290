"""The records a counter sends and head office stores: kinds, envelope, integer fields.

``RECORD_TYPES`` is the ``__sync_type__`` of every SyncedRecord model of the workstation
schema (``frontdesk.store.models``). It is listed here, not derived, because this
package sits below the store (it imports neither side); a hand-kept copy once missed
``day_close`` and head office quarantined every day close as an unknown type, so
``tests/sync/test_protocol_package.py`` compares this list with the models and fails on
any difference.
"""

from __future__ import annotations

# Record envelope versions (frontdesk.store.outbox.ENVELOPE_VERSION) head office reads.
SUPPORTED_ENVELOPES = frozenset({1})

# Record types head office stores (the SyncedRecord kinds of the workstation schema).
RECORD_TYPES = frozenset(
    {
        "audit_entry",
        "complaint",
        "complaint_event",
        "day_close",
        "id_verification",
        "payment",
        "queue_event",
        "receipt",
        "slip",
        "slip_item",
        "slip_signature",
        "verification_step",
        "visit_event",
        "warranty_card",
        "warranty_event",
    }
)

# Work orders (escalated complaints, docs/complaints.md): head office's status changes
# are ``complaint_event`` records it writes itself; the counter pulls them by arrival
# order and stores each under the same UUID, so the copy its outbox sends back is a
# duplicate at head office — one fact, stored once on both sides.
WORK_ORDER_STATUSES = ("accepted", "in_progress", "replied", "closed")
WORK_ORDER_LABELS = {"accepted": "总部已受理", "in_progress": "总部处理中", "replied": "总部已答复"}
MAX_WORK_ORDER_UPDATES = 500


def work_order_event(status: str, text: str | None) -> tuple[str, str]:
    """The complaint event (kind, text) a head-office status change becomes, on both sides."""
    body = (text or "").strip()[:1900]
    if status == "closed":
        return "closed", body or "总部已办结"
    return "hq_update", f"[{status}] {body or WORK_ORDER_LABELS.get(status, status)}"


# Fields that must be integers (fen or sequence numbers) per record type: a record that
# breaks this can never be summed correctly, so head office quarantines it.
INTEGER_FIELDS: dict[str, tuple[str, ...]] = {
    "slip": ("total_fen", "paid_fen", "seq"),
    "slip_item": ("fee_fen", "list_fee_fen", "line_no"),
    "payment": ("amount_fen", "tendered_fen", "line_no"),
    "receipt": ("total_fen", "seq"),
}
