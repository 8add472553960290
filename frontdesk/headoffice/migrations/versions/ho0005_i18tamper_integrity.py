"""each counter's reported audit-chain head and money totals (tamper evidence)

Every sync pass a counter reports its audit chain's head and the money totals of the
records head office acknowledged (``POST /v1/integrity``). ``ho_integrity`` keeps the
last report per workstation, how far head office has walked the links of the audit
entries it stores, and what it found: a counter whose history changed after it was
pushed (rewritten, truncated, amounts edited) is listed until IT clears it.
A partial expression index finds a workstation's audit entries by chain position.

Revision ID: ho0005_i18tamper
Revises: ho0005_i13privacy
Create Date: 2026-12-06 03:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "ho0005_i18tamper"
down_revision: str | None = "ho0005_i13privacy"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE ho_integrity (
            branch_code varchar(16) NOT NULL,
            workstation_code varchar(16) NOT NULL,
            anchored_at timestamptz,
            audit_seq bigint NOT NULL DEFAULT 0,
            audit_head varchar(64),
            checked_seq bigint NOT NULL DEFAULT 0,
            checked_hash varchar(64) NOT NULL DEFAULT repeat('0', 64),
            outbox_to bigint,
            totals jsonb,
            totals_checked_at timestamptz,
            status varchar(12) NOT NULL DEFAULT 'ok',
            findings jsonb NOT NULL DEFAULT '[]'::jsonb,
            changed_at timestamptz,
            CONSTRAINT pk_ho_integrity PRIMARY KEY (branch_code, workstation_code)
        )
        """
    )
    op.execute(
        "CREATE INDEX ix_ho_record_audit_seq ON ho_record"
        " (branch_code, workstation_code, ((data->>'seq')::bigint))"
        " WHERE record_type = 'audit_entry'"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_ho_record_audit_seq")
    op.execute("DROP TABLE IF EXISTS ho_integrity")
