"""The workstation's SQLite schema as typed SQLAlchemy 2.x models."""

from .aftersales import Complaint, ComplaintEvent, WarrantyCard, WarrantyEvent
from .base import Base, SyncedRecord, new_id, utcnow
from .customer import Customer, Line
from .dayclose import DayClose
from .documents import ArchivedDocument, SlipSignature
from .infra import AuditEntry, NumberSequence, OutboxEntry, Setting
from .queue import QueueEvent, QueueTicket
from .settlement import Payment, Receipt, Slip, SlipItem
from .staff import Role, Staff
from .sync import SyncDataset
from .verification import DocumentScan, IdVerification, VerificationStep
from .visit import Visit, VisitEvent

__all__ = [
    "ArchivedDocument",
    "AuditEntry",
    "Base",
    "Complaint",
    "ComplaintEvent",
    "Customer",
    "DayClose",
    "DocumentScan",
    "IdVerification",
    "Line",
    "NumberSequence",
    "OutboxEntry",
    "Payment",
    "QueueEvent",
    "QueueTicket",
    "Receipt",
    "Role",
    "Setting",
    "Slip",
    "SlipItem",
    "SlipSignature",
    "Staff",
    "SyncDataset",
    "SyncedRecord",
    "VerificationStep",
    "Visit",
    "VisitEvent",
    "WarrantyCard",
    "WarrantyEvent",
    "new_id",
    "utcnow",
]

# Tables whose rows are settled facts: the migration adds triggers refusing UPDATE and
# DELETE on them (columns listed in PURGEABLE_COLUMNS may be cleared by the retention
# purge only).
APPEND_ONLY_TABLES = (
    "slip",
    "slip_item",
    "payment",
    "receipt",
    "id_verification",
    "verification_step",
    "visit_event",
    "warranty_card",
    "warranty_event",
    "complaint",
    "complaint_event",
    "audit_entry",
    "slip_signature",
    "queue_event",
    "day_close",
)
PURGEABLE_COLUMNS = {"id_verification": ("id_number_enc", "address_enc")}
