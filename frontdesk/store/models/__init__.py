"""The workstation's SQLite schema as typed SQLAlchemy 2.x models."""

from .aftersales import Complaint, ComplaintEvent, WarrantyCard, WarrantyEvent
from .base import Base, SyncedRecord, new_id, utcnow
from .customer import Customer, Line
from .dayclose import DayClose
from .documents import ArchivedDocument, SlipSignature
from .infra import AuditEntry, NumberSequence, OutboxEntry, Setting
from .numbers import PoolNumber
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
    "PoolNumber",
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

# Tables whose rows are settled facts (every synced record): the migrations add
# triggers refusing UPDATE and DELETE on them (columns listed in PURGEABLE_COLUMNS may be
# cleared by the retention purge only). tests/store checks each has its triggers.
APPEND_ONLY_TABLES = tuple(
    sorted(m.__tablename__ for m in SyncedRecord.__subclasses__() if hasattr(m, "__tablename__"))
)
PURGEABLE_COLUMNS = {"id_verification": ("id_number_enc", "address_enc", "birth_date_enc")}

# Columns holding sealed values, each bound to its place by crypto.sealed_at(table,
# column, row id). `frontdesk health` opens them (document scans: the newest few).
# A branch adding a sealed column appends it here.
SEALED_COLUMNS: dict[str, tuple[str, ...]] = {
    "customer": ("id_number_enc", "birth_date_enc"),
    "id_verification": ("id_number_enc", "address_enc", "birth_date_enc"),
    "document_scan": ("ciphertext",),
}
