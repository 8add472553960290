"""The wire contract between a counter and head office (both sides import it).

Kept in one small module so the client and the server can never disagree about header
names, supported versions or limits. Versioning rules (docs/sync.md):

- ``PROTOCOL_VERSION`` is what this build speaks; the server accepts every version in
  ``SUPPORTED_PROTOCOLS`` (this one and the previous one), so counters can be upgraded
  branch by branch instead of all on one night.
- ``DATASET_SCHEMA`` is the shape of pulled datasets (catalogue, staff, tiers) this
  build reads; bumping it makes every counter do exactly one clean full reload.
"""

from __future__ import annotations

PROTOCOL_VERSION = 2
SUPPORTED_PROTOCOLS = frozenset({1, 2})
DATASET_SCHEMA = 2
DATASET_KINDS = ("catalogue", "staff", "tiers", "numbers")
# The ``numbers`` dataset (号码资源 for 入网, docs/decisions.md "Number pool") is
# published at schema 2: a counter of schema 1 never receives a kind it doesn't know.
NUMBERS_SCHEMA = 2

# Record envelope versions (frontdesk.store.outbox.ENVELOPE_VERSION) head office reads.
SUPPORTED_ENVELOPES = frozenset({1})

MAX_BATCH_RECORDS = 5_000
MAX_BODY_BYTES = 32 * 1024 * 1024
DEFAULT_BATCH_RECORDS = 2_000
# batches a counter keeps on the wire at once; head office stores them in sending order
DEFAULT_PUSH_IN_FLIGHT = 2
CLOCK_SKEW_FLAG_SECONDS = 300

H_PROTOCOL = "X-Frontdesk-Protocol"
H_APP = "X-Frontdesk-App"
H_SCHEMA = "X-Frontdesk-Schema"
H_DEVICE_TIME = "X-Frontdesk-Device-Time"
# a manager's short-lived head-office token (POST /v1/manager-session): branch report rows
H_MANAGER = "X-Frontdesk-Manager"


def _record_types() -> frozenset[str]:
    """Every kind of record a workstation writes to its outbox: the ``__sync_type__`` of
    each SyncedRecord model. Derived, not listed: a hand-kept copy once missed
    ``day_close``, and head office quarantined every day close as an unknown type."""
    from ..store.models import SyncedRecord

    def subclasses(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *subclasses(sub))]

    return frozenset(
        c.__sync_type__ for c in subclasses(SyncedRecord) if "__sync_type__" in c.__dict__
    )


# Record types head office stores (the SyncedRecord kinds of the workstation schema).
RECORD_TYPES = _record_types()

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
