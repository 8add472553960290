"""The branch's report rows, from every counter's records (``GET /v1/report-rows``).

A branch-wide summary must include every counter (SPEC §7). Head office holds every
counter's settled facts, so it answers with the same grouped rows a counter reads from
its own database (:class:`frontdesk.core.reports.ReportRows`), and the counter computes
the branch's summary with the very arithmetic it uses for itself
(``core.reports.build_summary``): one set of rules, two sources of rows.

Head office has no visit rows (a visit is the counter's scratch pad); it rebuilds each
visit from its insert-only ``visit_event`` facts and its sale slip, as documented in
docs/reports.md. Clerks and managers travel as staff ids; the counter names them from
its staff list (pulled from head office).

Every query is bounded by ``ho_record``'s (branch, record type, device time) index: a
slip's items, payments and receipt carry the same device time as the slip, and its
business date is the local date of that time.
"""

from __future__ import annotations

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import Connection, text

from ..core.clock import BUSINESS_TZ, utc_bounds

MAX_REPORT_DAYS = 92  # a quarter per request, as the counter's own reports
_SNAPSHOT_ID = re.compile(r"[0-9A-F]+-[0-9A-F]+(-[0-9]+)?")
_MARGIN = dt.timedelta(days=1)  # clock differences between a counter's records
# a visit's later events (resumed, settled) are looked for this long after it opened: a
# visit suspended for longer is reported as suspended by head office
_VISIT_SPAN = dt.timedelta(days=31)

# One row per visit opened in the period, rebuilt from its events and its sale slip.
_VISITS = text(
    """
WITH v AS (
    SELECT workstation_code AS ws, data->>'visit_id' AS visit_id, device_time AS opened_at,
           data->'detail'->>'ticket_tier' AS ticket_tier,
           CASE WHEN data->'detail'->>'ticket_issued_at' ~ :iso
                THEN (data->'detail'->>'ticket_issued_at')::timestamptz END AS issued_at,
           CASE WHEN data->'detail'->>'called_at' ~ :iso
                THEN (data->'detail'->>'called_at')::timestamptz END AS called_at
    FROM ho_record
    WHERE branch_code = :b AND record_type = 'visit_event' AND data->>'event' = 'opened'
      AND device_time >= :start AND device_time < :end
), e AS (
    SELECT data->>'visit_id' AS visit_id, data->>'event' AS event, data->>'staff_id' AS staff,
           data->'detail'->>'tier' AS tier, device_time, rx_seq
    FROM ho_record
    WHERE branch_code = :b AND record_type = 'visit_event'
      AND device_time >= :since AND device_time < :until
      AND data->>'visit_id' IN (SELECT visit_id FROM v)
), agg AS (
    SELECT visit_id,
           (array_agg(event ORDER BY device_time DESC, rx_seq DESC))[1] AS last_event,
           (array_agg(staff ORDER BY device_time DESC, rx_seq DESC)
                FILTER (WHERE event IN ('opened', 'resumed')))[1] AS clerk,
           bool_or(event = 'suspended') AS suspended,
           max(tier) FILTER (WHERE event IN ('settled', 'cancelled')) AS end_tier
    FROM e GROUP BY visit_id
), s AS (
    SELECT id, data->>'visit_id' AS visit_id, (data->>'waiting_seconds')::bigint AS waiting,
           (data->>'handling_seconds')::bigint AS handling
    FROM ho_record
    WHERE branch_code = :b AND record_type = 'slip' AND device_time >= :since
      AND device_time < :until AND data->>'kind' = 'sale'
      AND data->>'visit_id' IN (SELECT visit_id FROM v)
), n AS (
    SELECT data->>'slip_id' AS slip_id, count(*) AS items FROM ho_record
    WHERE branch_code = :b AND record_type = 'slip_item' AND device_time >= :since
      AND device_time < :until AND data->>'slip_id' IN (SELECT id::text FROM s)
    GROUP BY 1
)
SELECT v.ws, agg.clerk AS staff,
       CASE agg.last_event WHEN 'opened' THEN 'open' WHEN 'resumed' THEN 'open'
            ELSE agg.last_event END AS status,
       coalesce(v.ticket_tier, agg.end_tier, 'standard') AS tier,
       extract(hour FROM coalesce(v.issued_at, v.opened_at) AT TIME ZONE :tz)::int AS hour,
       CASE WHEN v.issued_at IS NULL THEN NULL
            ELSE coalesce(s.waiting, greatest(0, floor(extract(epoch FROM
                 coalesce(v.called_at, v.opened_at) - v.issued_at) + 0.001)::bigint))
       END AS waiting,
       s.handling, coalesce(n.items, 0) AS businesses, agg.suspended
FROM v
JOIN agg USING (visit_id)
LEFT JOIN s ON s.visit_id = v.visit_id
LEFT JOIN n ON n.slip_id = s.id::text
"""
)
# what a counter writes (datetime.isoformat, with its UTC offset): anything else in a
# time field is ignored rather than allowed to fail the whole report
_ISO_TIME = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$"
_SLIPS_IN_RANGE = (
    "SELECT id, device_time, workstation_code, data->>'clerk_id' AS clerk,"
    " data->>'kind' AS kind, (data->>'total_fen')::bigint AS fen, data"
    " FROM ho_record WHERE branch_code = :b"
    " AND record_type = 'slip' AND device_time >= :lo AND device_time < :hi"
    " AND data->>'business_date' BETWEEN :d_from AND :d_to"
)
# Slips, their items and their payments, grouped, from ONE pass over the period's slips:
# a row per group, tagged by what it is (columns unused by a tag are NULL).
_MONEY = text(
    f"WITH s AS MATERIALIZED ({_SLIPS_IN_RANGE}),"
    " k AS (SELECT id::text AS id, workstation_code, clerk, kind FROM s)"
    " SELECT 'slip' AS tag, workstation_code, clerk, kind, NULL AS code, NULL AS name,"
    "  NULL AS method, count(*) AS n, sum(fen) AS fen, NULL::bigint AS change"
    "  FROM s GROUP BY 2, 3, 4"
    " UNION ALL"
    " SELECT 'item', k.workstation_code, k.clerk, k.kind, i.data->>'business_code',"
    "  max(i.data->>'business_name'), NULL, count(*), sum((i.data->>'fee_fen')::bigint), NULL"
    "  FROM k JOIN ho_record i ON i.branch_code = :b AND i.record_type = 'slip_item'"
    "  AND i.device_time >= :lo AND i.device_time < :hi AND i.data->>'slip_id' = k.id"
    "  GROUP BY 2, 3, 4, 5"
    " UNION ALL"
    " SELECT 'payment', k.workstation_code, NULL, k.kind, NULL, NULL, p.data->>'method',"
    "  count(*), sum((p.data->>'amount_fen')::bigint), sum((p.data->>'change_fen')::bigint)"
    "  FROM k JOIN ho_record p ON p.branch_code = :b AND p.record_type = 'payment'"
    "  AND p.device_time >= :lo AND p.device_time < :hi AND p.data->>'slip_id' = k.id"
    "  GROUP BY 2, 4, 7"
)
# Corrections are few: each one's payments are found by an index lookup at its own
# device time (a slip's payments are written in its transaction, with its time).
_CORRECTIONS = text(
    f"WITH s AS ({_SLIPS_IN_RANGE} AND data->>'kind' IN ('void', 'refund'))"
    " SELECT s.workstation_code, s.data->>'slip_no' AS slip_no, s.kind,"
    " o.data->>'slip_no' AS original, s.fen, s.data->>'reason' AS reason, s.clerk,"
    " s.data->>'authorised_by' AS manager, s.data->>'settled_at' AS settled_at, m.methods"
    " FROM s JOIN ho_record o ON o.branch_code = :b"
    " AND o.id = (s.data->>'original_slip_id')::uuid"
    " LEFT JOIN LATERAL (SELECT string_agg(p.data->>'method', ',' ORDER BY p.rx_seq)"
    "  AS methods FROM ho_record p WHERE p.branch_code = :b AND p.record_type = 'payment'"
    "  AND p.device_time = s.device_time AND p.data->>'slip_id' = s.id::text) m ON true"
    " ORDER BY s.data->>'settled_at', s.data->>'slip_no'"
)
_COMPLAINTS = text(
    "WITH closed AS (SELECT data->>'complaint_id' AS id, min(device_time) AS at FROM ho_record"
    "  WHERE branch_code = :b AND record_type = 'complaint_event' AND data->>'event' = 'closed'"
    "  GROUP BY 1)"
    " SELECT"
    " (SELECT count(*) FROM ho_record WHERE branch_code = :b AND record_type = 'complaint'"
    "  AND device_time >= :start AND device_time < :end) AS opened,"
    " (SELECT count(*) FROM closed WHERE at >= :start AND at < :end) AS closed,"
    " (SELECT count(*) FROM ho_record c LEFT JOIN closed x ON x.id = c.id::text"
    "  WHERE c.branch_code = :b AND c.record_type = 'complaint' AND c.device_time < :end"
    "  AND (c.data->>'deadline_at')::timestamptz < :cutoff"
    "  AND (x.at IS NULL OR x.at >= :end)) AS overdue,"
    " (SELECT count(*) FROM ho_record WHERE branch_code = :b AND record_type = 'warranty_card'"
    "  AND device_time >= :start AND device_time < :end) AS cards"
)
_WORKSTATIONS = text(
    "SELECT workstation_code FROM ho_workstation WHERE branch_code = :b AND status <> 'revoked'"
)


def report_rows(
    conn: Connection,
    branch: str,
    date_from: dt.date,
    date_to: dt.date,
    now: dt.datetime,
    *,
    helper: Connection | None = None,
) -> dict[str, Any]:
    """The branch's grouped report rows as JSON-ready lists (the wire shape is
    documented in docs/reports.md and read by ``services.reports.rows_from_head_office``).

    With a ``helper`` connection the visits (the biggest query) are read on it while
    ``conn`` reads the money — both in one exported snapshot, so the two halves see
    exactly the same records (a month of a busy branch: 3.8 → 2.4 s on two cores)."""
    start, end = utc_bounds(date_from, date_to)
    window = {
        "b": branch,
        "start": start,
        "end": end,
        "lo": start - _MARGIN,
        "hi": end + _MARGIN,
        "since": start - _MARGIN,
        "until": end + _VISIT_SPAN,
        "d_from": date_from.isoformat(),
        "d_to": date_to.isoformat(),
        "cutoff": min(end, now),
    }
    if helper is None:
        visits = _visits(conn, window)
        money = _money(conn, window)
    else:
        _share_snapshot(conn, helper)
        with ThreadPoolExecutor(1, thread_name_prefix="ho-report") as pool:
            pending = pool.submit(_visits, helper, window)
            money = _money(conn, window)
            visits = pending.result()
    slips, items, payments, corrections, counts = money
    workstations = sorted(
        {r[0] for r in conn.execute(_WORKSTATIONS, window)}
        | {row[0] for row in slips}
        | {row[0] for row in visits}
    )
    return {
        "branch": branch,
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "workstations": workstations,
        "visits": visits,
        "slips": slips,
        "items": items,
        "payments": payments,
        "corrections": corrections,
        "complaints": {
            "opened": int(counts.opened),
            "closed": int(counts.closed),
            "overdue": int(counts.overdue),
        },
        "warranty_cards": int(counts.cards),
    }


def _share_snapshot(conn: Connection, helper: Connection) -> None:
    """Both connections read one repeatable-read snapshot (``pg_export_snapshot``)."""
    conn.execution_options(isolation_level="REPEATABLE READ")
    helper.execution_options(isolation_level="REPEATABLE READ")
    snapshot = str(conn.execute(text("SELECT pg_export_snapshot()")).scalar())
    if not _SNAPSHOT_ID.fullmatch(snapshot):  # it is spliced into SQL: SET takes no binds
        raise ValueError(f"unexpected snapshot id {snapshot!r}")
    helper.execute(text(f"SET TRANSACTION SNAPSHOT '{snapshot}'"))


def _money(conn: Connection, window: dict[str, Any]) -> tuple[Any, ...]:
    """Slip, item and payment groups, corrections, complaint and warranty-card counts."""
    slips: list[list[Any]] = []
    items: list[list[Any]] = []
    payments: list[list[Any]] = []
    for r in conn.execute(_MONEY, window):
        n, fen = int(r.n), int(r.fen or 0)
        if r.tag == "slip":
            slips.append([r.workstation_code, r.clerk, r.kind, n, fen])
        elif r.tag == "item":
            items.append([r.workstation_code, r.clerk, r.kind, r.code, r.name, n, fen])
        else:
            payments.append([r.workstation_code, r.kind, r.method, fen, int(r.change or 0), n])
    corrections = [
        [
            r.workstation_code,
            r.slip_no,
            r.kind,
            r.original,
            int(r.fen),
            r.reason or "",
            r.clerk,
            r.manager,
            r.settled_at,
            r.methods or "",
        ]
        for r in conn.execute(_CORRECTIONS, window)
    ]
    counts = conn.execute(_COMPLAINTS, window).one()
    return slips, items, payments, corrections, counts


def _visits(conn: Connection, window: dict[str, Any]) -> list[list[Any]]:
    """[workstation, clerk id, status, tier, local hour of arrival, waiting s, handling s,
    businesses, ever suspended] per visit — the fields of ``core.reports.VisitRow``."""
    # PostgreSQL can't estimate how selective a JSON field test is (``data->>'event' =
    # 'opened'``: 0.5 % assumed, 50 % true) and picks nested loops that take seconds
    # for a day; this query only ever wants hash joins.
    conn.execute(text("SET LOCAL enable_nestloop = off"))
    rows = conn.execute(_VISITS, {**window, "tz": BUSINESS_TZ.key, "iso": _ISO_TIME}).all()
    conn.execute(text("SET LOCAL enable_nestloop = on"))
    return [
        [
            r.ws,
            r.staff,
            r.status,
            r.tier,
            r.hour,
            r.waiting,
            r.handling,
            r.businesses,
            bool(r.suspended),
        ]
        for r in rows
    ]
