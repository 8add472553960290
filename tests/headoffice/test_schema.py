"""The ingest schema on its own: every rule answers with the field and the reason."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from frontdesk.headoffice.ingest import store_batch
from frontdesk.headoffice.schema import SCHEMAS, check_data, parse_time, storable
from frontdesk.sync.protocol import RECORD_TYPES

from .factory import unique_branch

GOOD_SLIP = {
    "created_at": "2026-11-21T09:00:00+08:00",
    "seq": 1,
    "total_fen": 100,
    "paid_fen": 100,
    "business_date": "2026-11-21",
    "recheck_required": False,
    "recheck_reasons": ["x"],
}


def test_every_record_type_has_a_schema():
    assert set(SCHEMAS) == set(RECORD_TYPES)
    assert check_data("slip", GOOD_SLIP) is None


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("seq", None, "data.seq: required"),
        ("seq", True, "integer"),
        ("catalogue_version", 2**63, "64 bits"),
        ("recheck_required", "yes", "true or false"),
        ("business_date", "2026-11-21T00:00:00", "YYYY-MM-DD"),
        ("business_date", "1066-10-14", "YYYY-MM-DD"),
        ("settled_at", "2026-11-21T09:00:00", "offset"),
        ("settled_at", "2026-11-21T09:00:00-16:00", "±15:59"),
        ("recheck_reasons", [[[[]]]] * 1 + [float("inf")], "finite"),
        ("recheck_reasons", {"a\x00": 1}, "NUL"),
        ("recheck_reasons", object(), "not a JSON value"),
        ("clerk_id", "not-a-uuid", "UUID"),
        ("slip_no", 7, "text"),
    ],
)
def test_a_field_that_breaks_its_rule_is_named(field, value, words):
    problem = check_data("slip", {**GOOD_SLIP, field: value})
    assert problem is not None and problem.startswith(f"data.{field}") and words in problem


def test_nesting_and_names_and_nested_times():
    deep: object = 1
    for _ in range(40):
        deep = [deep]
    assert storable(deep) == "nested deeper than 32 levels"
    assert "field name" in check_data("slip", {**GOOD_SLIP, "x\x00": 1})
    event = {"created_at": "2026-11-21T09:00:00+08:00", "visit_id": str(uuid.uuid4())}
    bad = {**event, "event": "opened", "detail": {"called_at": "2026-02-30T09:00:00+08:00"}}
    assert "detail: called_at" in check_data("visit_event", bad)
    assert check_data("nope", {}) == "type: no schema for 'nope'"
    assert parse_time("2026-11-21T09:00:00+08:00") == parse_time("2026-11-21T09:00:00+08:00")


def test_a_python_integer_past_64_bits_is_quarantined_readably(ho_engine):
    """Only a caller inside head office can hand over such an integer (JSON parsers turn
    it into a float): the quarantine still stores the record as text."""
    branch = unique_branch()
    rid = str(uuid.uuid4())
    record = {
        "v": 1,
        "type": "slip",
        "id": rid,
        "branch": branch,
        "workstation": "W01",
        "data": {**GOOD_SLIP, "id": rid, "total_fen": 2**70},
    }
    with ho_engine.begin() as conn:
        result = store_batch(
            conn, [record], branch=branch, workstation="W01", skew_seconds=0, skew_limit=300
        )
        raw = conn.execute(
            text("SELECT raw FROM ho_quarantine WHERE record_id = :i"), {"i": rid}
        ).scalar_one()
    assert result.stored == 0 and "total_fen" in result.rejected[0].reason
    assert str(2**70) in raw
