"""Hypothesis: malformed-but-well-shaped records — a real day's records with one field
replaced by something nasty (NUL and control characters, offsets past ±15:59, month 13,
integers past 64 bits, floats, wrong types, deep nesting) — go through push → applier →
report rows → work orders. Head office answers 200 to every push, accounts for every
record (stored or quarantined with a reason), and every reader of the branch keeps
answering 200."""

from __future__ import annotations

import datetime as dt
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontdesk.headoffice.accounts import apply_pending_effects
from frontdesk.headoffice.schema import SCHEMAS

from .test_untrusted import counter, ho_admin, readers_answer  # noqa: F401  (fixtures)

TYPES = ("visit_event", "slip", "slip_item", "payment", "complaint", "complaint_event")

nasty_text = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12).map(lambda s: s + "\x00"),
    st.sampled_from(["\x00", "a\x07b", "\ud7ff", "𝄞", "", " ", "null", "1e999", "NaN"]),
)
nasty_time = st.one_of(
    st.sampled_from(
        [
            "2026-13-01T09:00:00+00:00",
            "2026-02-30T09:00:00+00:00",
            "2026-11-21T09:00:00+20:00",
            "2026-11-21T09:00:00-16:00",
            "2026-11-21T25:00:00+00:00",
            "0001-01-01T00:00:00+15:59",
            "9999-12-31T23:59:59-15:59",
            "2026-11-21",
            "2026-11-21T09:00:00",
            "2026-W47-1T09:00:00+00:00",
            "nope",
        ]
    ),
    st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)).map(
        lambda d: d.isoformat() + "+08:00"
    ),
)
nasty_number = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([2**53, 2**63, -(2**63) - 1, 0.5, 1e30]),
)
json_leaf = st.one_of(st.none(), st.booleans(), nasty_number, nasty_text, st.text(max_size=8))
nasty_json = st.recursive(
    json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
nasty_value = st.one_of(nasty_text, nasty_time, nasty_number, nasty_json)


@st.composite
def poisoned_field(draw):
    kind = draw(st.sampled_from(TYPES))
    fields = [*sorted(set(SCHEMAS[kind]) - {"id"}), "detail.ticket_issued_at", "extra"]
    return kind, draw(st.sampled_from(fields)), draw(nasty_value)


@settings(
    max_examples=2 * int(os.environ.get("FRONTDESK_FUZZ_EXAMPLES", "10")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
@given(poisons=st.lists(poisoned_field(), min_size=1, max_size=3))
def test_malformed_records_never_stop_push_billing_reports_or_work_orders(
    counter,  # noqa: F811
    ho_engine,
    poisons,
):
    day = counter.day()
    for kind, field, value in poisons:
        record = next(r for r in day if r["type"] == kind)
        if field.startswith("detail."):
            record["data"]["detail"] = {field.split(".", 1)[1]: value}
        else:
            record["data"][field] = value
    r = counter.push(day)
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["stored"] + answer["duplicates"] + len(answer["rejected"]) == len(day)
    assert all(x["reason"] for x in answer["rejected"])
    with ho_engine.begin() as conn:
        apply_pending_effects(conn)
    readers_answer(counter)
