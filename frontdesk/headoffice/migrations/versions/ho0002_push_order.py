"""Push order: the last outbox position of each workstation head office has stored.

A counter may keep two batches on the wire at once (docs/sync.md, "Pipelined push");
head office commits them in the counter's order by making a batch that ``follows``
another wait until that one is stored, which this column records.

Revision ID: ho0002
Revises: ho0001
Create Date: 2026-11-22 03:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ho0002"
down_revision: str | None = "ho0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("ho_workstation", sa.Column("last_outbox_seq", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    op.drop_column("ho_workstation", "last_outbox_seq")
