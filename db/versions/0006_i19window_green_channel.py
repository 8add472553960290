"""green channel (特殊群体绿色通道): tickets and visits remember the group served first

Revision ID: 0006_i19window
Revises: 0006_i13rules
Create Date: 2026-12-06

Reception marks a ticket for an elderly, disabled or pregnant customer (seed 001); the
calling rule serves such tickets first (after anyone near their waiting limit), the
visit carries the mark and the day report counts them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_i19window"
down_revision: str | None = "0006_i13rules"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("queue_ticket") as batch:
        batch.add_column(sa.Column("green_channel", sa.String(16), nullable=True))
    with op.batch_alter_table("visit") as batch:
        batch.add_column(sa.Column("green_channel", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("visit") as batch:
        batch.drop_column("green_channel")
    with op.batch_alter_table("queue_ticket") as batch:
        batch.drop_column("green_channel")
