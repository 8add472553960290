"""number pool (号码资源): the mobile numbers this counter may offer for 入网 (选号)

Revision ID: 0006_h2numbers
Revises: 0006_i19window (the branch's head; the integrator re-chains 0006_* linearly)
Create Date: 2026-12-06

One row per number head office assigned to this workstation: free, held by one open or
suspended visit, or used by a settled 入网. Self-contained: one new table, nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_h2numbers"
down_revision: str | None = "0006_i19window"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "number_pool",
        sa.Column("number", sa.String(11), nullable=False),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("visit_id", sa.Uuid(), nullable=True),
        sa.Column("item_id", sa.String(36), nullable=True),
        sa.Column("slip_id", sa.Uuid(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("state IN ('free', 'held', 'used')", name=op.f("ck_number_pool_state")),
        sa.CheckConstraint(
            "(state = 'held') = (visit_id IS NOT NULL AND item_id IS NOT NULL)",
            name=op.f("ck_number_pool_held_by"),
        ),
        sa.CheckConstraint(
            "(state = 'used') = (slip_id IS NOT NULL)", name=op.f("ck_number_pool_used_by")
        ),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_number_pool")),
    )
    op.create_index(op.f("ix_number_pool_state"), "number_pool", ["state"])


def downgrade() -> None:
    op.drop_index(op.f("ix_number_pool_state"), table_name="number_pool")
    op.drop_table("number_pool")
