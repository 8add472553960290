"""ho_record partitioned by branch (16 hash partitions), SPEC §9's scale plan.

With thousands of branches reporting, one heap and one primary-key index for every
record of the operator grow without bound; hash partitions on ``branch_code`` keep
each index a sixteenth of the size, every branch query (reports, summaries, work
orders) touches one partition, and a partition can be vacuumed, moved or archived on
its own. The primary key becomes (branch_code, id): dedupe is per branch, which is
where a record can repeat — a counter only ever sends its own branch's records.

PostgreSQL before 17 has no identity columns on partitioned tables, so the arrival
number ``rx_seq`` comes from a sequence default (same values, same order).
``ho_pending_effect`` gains the item's branch so the effect applier looks items up by
the full key. The rows are copied in arrival order; on a large head office run this
migration in a maintenance window (it rewrites the table).

Revision ID: ho0004
Revises: ho0003
Create Date: 2026-11-22 03:35:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "ho0004"
down_revision: str | None = "ho0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARTITIONS = 16
COLUMNS = (
    "id, rx_seq, record_type, branch_code, workstation_code, envelope_version, data,"
    " device_time, received_at, clock_skew_seconds, skew_flagged"
)


def upgrade() -> None:
    op.execute("ALTER TABLE ho_record RENAME TO ho_record_old")
    op.execute("ALTER INDEX pk_ho_record RENAME TO pk_ho_record_old")
    op.execute("ALTER INDEX ix_ho_record_branch_type_time RENAME TO ix_ho_record_old_btt")
    op.execute("CREATE SEQUENCE ho_record_rx_seq AS bigint")
    op.execute(
        """
        CREATE TABLE ho_record (
            id uuid NOT NULL,
            rx_seq bigint NOT NULL DEFAULT nextval('ho_record_rx_seq'),
            record_type varchar(32) NOT NULL,
            branch_code varchar(16) NOT NULL,
            workstation_code varchar(16) NOT NULL,
            envelope_version integer NOT NULL,
            data jsonb NOT NULL,
            device_time timestamptz,
            received_at timestamptz NOT NULL DEFAULT now(),
            clock_skew_seconds integer,
            skew_flagged boolean NOT NULL DEFAULT false,
            CONSTRAINT pk_ho_record PRIMARY KEY (branch_code, id)
        ) PARTITION BY HASH (branch_code)
        """
    )
    op.execute("ALTER SEQUENCE ho_record_rx_seq OWNED BY ho_record.rx_seq")
    for n in range(PARTITIONS):
        op.execute(
            f"CREATE TABLE ho_record_p{n:02d} PARTITION OF ho_record"
            f" FOR VALUES WITH (MODULUS {PARTITIONS}, REMAINDER {n})"
        )
    op.execute(
        "CREATE INDEX ix_ho_record_branch_type_time"
        " ON ho_record (branch_code, record_type, device_time)"
    )
    op.execute(
        f"INSERT INTO ho_record ({COLUMNS}) SELECT {COLUMNS} FROM ho_record_old ORDER BY rx_seq"
    )
    op.execute(
        "SELECT setval('ho_record_rx_seq', coalesce((SELECT max(rx_seq) FROM ho_record), 0) + 1,"
        " false)"
    )
    op.execute("DROP TABLE ho_record_old")
    op.execute("ALTER TABLE ho_pending_effect ADD COLUMN branch_code varchar(16)")
    op.execute(
        "UPDATE ho_pending_effect p SET branch_code = r.branch_code FROM ho_record r"
        " WHERE r.id = p.item_id"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE ho_pending_effect DROP COLUMN branch_code")
    op.execute("ALTER TABLE ho_record RENAME TO ho_record_partitioned")
    op.execute("ALTER INDEX pk_ho_record RENAME TO pk_ho_record_partitioned")
    op.execute("ALTER INDEX ix_ho_record_branch_type_time RENAME TO ix_ho_record_part_btt")
    op.execute(
        """
        CREATE TABLE ho_record (
            id uuid NOT NULL,
            rx_seq bigint GENERATED ALWAYS AS IDENTITY,
            record_type varchar(32) NOT NULL,
            branch_code varchar(16) NOT NULL,
            workstation_code varchar(16) NOT NULL,
            envelope_version integer NOT NULL,
            data jsonb NOT NULL,
            device_time timestamptz,
            received_at timestamptz NOT NULL DEFAULT now(),
            clock_skew_seconds integer,
            skew_flagged boolean NOT NULL DEFAULT false,
            CONSTRAINT pk_ho_record PRIMARY KEY (id)
        )
        """
    )
    op.execute(
        f"INSERT INTO ho_record ({COLUMNS}) OVERRIDING SYSTEM VALUE"
        f" SELECT {COLUMNS} FROM ho_record_partitioned ORDER BY rx_seq"
    )
    op.execute(
        "SELECT setval(pg_get_serial_sequence('ho_record', 'rx_seq'),"
        " coalesce((SELECT max(rx_seq) FROM ho_record), 0) + 1, false)"
    )
    op.execute("DROP TABLE ho_record_partitioned")
    op.execute(
        "CREATE INDEX ix_ho_record_branch_type_time"
        " ON ho_record (branch_code, record_type, device_time)"
    )
