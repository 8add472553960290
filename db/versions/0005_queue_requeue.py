"""queue tickets remember when a no-show was put back in line (过号重排)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

A customer who missed the call and comes back is put back in the queue once; their
place in line (and the urgency clock of the calling rule) starts at that moment, so
they never overtake people who kept waiting (docs/queue.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("queue_ticket") as batch:
        batch.add_column(sa.Column("requeued_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("queue_ticket") as batch:
        batch.drop_column("requeued_at")
