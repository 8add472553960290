"""IT's ``frontdesk keys export|import`` (docs/install.md §4). The key-file code is
store-level (:mod:`frontdesk.store.keyfiles`: the services check a database's key
fingerprint when they open a workstation); this module re-exports it for IT's commands."""

from __future__ import annotations

from ..store.keyfiles import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    FINGERPRINT_SETTING,
    MIN_PASSPHRASE,
    database_fingerprint,
    export_keys,
    import_keys,
    read_export,
)

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "FINGERPRINT_SETTING",
    "MIN_PASSPHRASE",
    "database_fingerprint",
    "export_keys",
    "import_keys",
    "read_export",
]
