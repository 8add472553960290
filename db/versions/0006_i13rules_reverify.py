"""lines head office flagged for 二次实人认证 (Anti-Telecom-Fraud Law)

Revision ID: 0006_i13rules
Revises: 0006_i18tamper
Create Date: 2026-12-06

Head office flags an abnormal card; the flag arrives with the customer's accounts and
the counter accepts no business on the line until its holder re-verifies in person.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_i13rules"
down_revision: str | None = "0006_i18tamper"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # a plain ADD COLUMN (no table copy, no free pages left behind): SQLite allows it
    # with a constant default
    op.add_column(
        "line",
        sa.Column("reverify_required", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("line") as batch:
        batch.drop_column("reverify_required")
