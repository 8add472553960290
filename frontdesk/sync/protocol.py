"""Re-export of the wire contract, which lives in the neutral package
:mod:`frontdesk.protocol` (shared by counter and head office). Kept so old importers
(``from frontdesk.sync.protocol import …``) still work; new code imports
``frontdesk.protocol.wire`` / ``frontdesk.protocol.records``."""

from __future__ import annotations

from ..protocol.records import (
    INTEGER_FIELDS,
    MAX_WORK_ORDER_UPDATES,
    RECORD_TYPES,
    SUPPORTED_ENVELOPES,
    WORK_ORDER_LABELS,
    WORK_ORDER_STATUSES,
    work_order_event,
)
from ..protocol.wire import (
    CLOCK_SKEW_FLAG_SECONDS,
    DATASET_KINDS,
    DATASET_SCHEMA,
    DEFAULT_BATCH_RECORDS,
    DEFAULT_PUSH_IN_FLIGHT,
    H_APP,
    H_DEVICE_TIME,
    H_MANAGER,
    H_PROTOCOL,
    H_SCHEMA,
    MAX_BATCH_RECORDS,
    MAX_BODY_BYTES,
    NUMBERS_SCHEMA,
    PROTOCOL_VERSION,
    SUPPORTED_PROTOCOLS,
)

__all__ = [
    "CLOCK_SKEW_FLAG_SECONDS",
    "DATASET_KINDS",
    "DATASET_SCHEMA",
    "DEFAULT_BATCH_RECORDS",
    "DEFAULT_PUSH_IN_FLIGHT",
    "H_APP",
    "H_DEVICE_TIME",
    "H_MANAGER",
    "H_PROTOCOL",
    "H_SCHEMA",
    "INTEGER_FIELDS",
    "MAX_BATCH_RECORDS",
    "MAX_BODY_BYTES",
    "MAX_WORK_ORDER_UPDATES",
    "NUMBERS_SCHEMA",
    "PROTOCOL_VERSION",
    "RECORD_TYPES",
    "SUPPORTED_ENVELOPES",
    "SUPPORTED_PROTOCOLS",
    "WORK_ORDER_LABELS",
    "WORK_ORDER_STATUSES",
    "work_order_event",
]
