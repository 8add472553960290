"""ho_record's one secondary index gains the device time: (branch, type, time).

Branch-wide report rows (``GET /v1/report-rows``) read a branch's records of a few
days; with the time in the index they are a range scan instead of every record of that
type the branch ever sent. Same number of indexes, so pushing costs the same.

Revision ID: ho0003
Revises: ho0002
Create Date: 2026-11-22 03:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "ho0003"
down_revision: str | None = "ho0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_ho_record_branch_type_time", "ho_record", ["branch_code", "record_type", "device_time"]
    )
    op.drop_index("ix_ho_record_branch_type", table_name="ho_record")


def downgrade() -> None:
    op.create_index("ix_ho_record_branch_type", "ho_record", ["branch_code", "record_type"])
    op.drop_index("ix_ho_record_branch_type_time", table_name="ho_record")
