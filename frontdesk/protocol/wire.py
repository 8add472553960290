"""The wire contract between a counter and head office (both sides import it).

Kept in one small module so the client and the server can never disagree about header
names, supported versions or limits. Versioning rules (docs/sync.md):

- ``PROTOCOL_VERSION`` is what this build speaks; the server accepts every version in
  ``SUPPORTED_PROTOCOLS`` (this one and the previous one), so counters can be upgraded
  branch by branch instead of all on one night.
- ``DATASET_SCHEMA`` is the shape of pulled datasets (catalogue, staff, tiers, numbers) this
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
