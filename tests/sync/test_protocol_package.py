"""The neutral package frontdesk.protocol: one wire contract for counter and head office."""

from __future__ import annotations

import frontdesk.headoffice.admin as ho_admin
import frontdesk.sync.protocol as old_protocol
from frontdesk.protocol import digest, records, wire
from frontdesk.store.models import SyncedRecord


def _synced_kinds() -> set[str]:
    def subclasses(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *subclasses(sub))]

    return {c.__sync_type__ for c in subclasses(SyncedRecord) if "__sync_type__" in c.__dict__}


def test_record_kinds_are_exactly_the_synced_models_of_the_workstation_schema():
    # listed by hand below the store; a model added without its kind here (day_close
    # once) would be quarantined by head office, so the two must never differ
    assert set(records.RECORD_TYPES) == _synced_kinds()


def test_old_import_paths_give_the_same_objects():
    assert old_protocol.RECORD_TYPES is records.RECORD_TYPES
    assert old_protocol.PROTOCOL_VERSION == wire.PROTOCOL_VERSION
    assert old_protocol.work_order_event is records.work_order_event
    assert ho_admin.canonical_digest is digest.canonical_digest


def test_canonical_digest_ignores_key_order_and_keeps_chinese_text():
    a = digest.canonical_digest({"b": 1, "a": "综合业务"})
    assert a == digest.canonical_digest({"a": "综合业务", "b": 1})
    assert a != digest.canonical_digest({"a": "综合业务", "b": 2})
