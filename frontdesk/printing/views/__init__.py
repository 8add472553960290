"""Plain data the layouts print, built from the database in one place.

Layouts (:mod:`.slip`, :mod:`.receipt`, :mod:`.warranty`) receive only these frozen
dataclasses: they never see SQLAlchemy, so they can be tested, benchmarked and reused
(the warranty issue supplies a :class:`WarrantyCardData` of its own) without a
database, and nothing a layout does can write to one. Everything printed is decided
here: masking, field labels and choice names from the catalogue, payment method names,
local times. Personal data arrives already masked where paper must not show it.

Split in two, every name importable from ``frontdesk.printing.views`` as before:
:mod:`.data` holds the frozen dataclasses and the printed names (no SQLAlchemy);
:mod:`.builders` reads the rows and fills them in.
"""

from __future__ import annotations

from ...core.warranty import add_months
from .builders import receipt_data, slip_data, warranty_card_data
from .data import ACCESSORY_LABELS as ACCESSORY_LABELS
from .data import PARTY_FIELD_LABELS as PARTY_FIELD_LABELS
from .data import (
    PAYMENT_METHOD_NAMES,
    SIGNING_METHOD_NAMES,
    BranchInfo,
    ExchangeLink,
    FieldLine,
    PaymentLine,
    ReceiptData,
    ReceiptLine,
    RepairLine,
    SignatureData,
    SlipData,
    SlipLineData,
    WarrantyCardData,
    WarrantyPeriodLine,
)
from .data import RECEIPT_TITLES as RECEIPT_TITLES
from .data import SLIP_TITLES as SLIP_TITLES

__all__ = [
    "PAYMENT_METHOD_NAMES",
    "SIGNING_METHOD_NAMES",
    "BranchInfo",
    "ExchangeLink",
    "FieldLine",
    "PaymentLine",
    "ReceiptData",
    "ReceiptLine",
    "RepairLine",
    "SignatureData",
    "SlipData",
    "SlipLineData",
    "WarrantyCardData",
    "WarrantyPeriodLine",
    "add_months",
    "receipt_data",
    "slip_data",
    "warranty_card_data",
]
