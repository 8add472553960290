"""ho_line.reverify_required (二次实人认证) and ho_national_sim (一证通查's simulator).

Head office flags an abnormal card; counters pull the flag with the accounts and take
no business on the line until its holder re-verifies at the counter (the REVERIFY
business clears it when head office applies it).

Revision ID: ho0005_i13rules
Revises: ho0005_i18tamper
Create Date: 2026-12-06 03:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ho0005_i13rules"
down_revision: str | None = "ho0005_i18tamper"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # 一证通查's simulator: other operators' counts per ID hash (demo and tests only)
    op.create_table(
        "ho_national_sim",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("operator", sa.String(16), primary_key=True),
        sa.Column("numbers", sa.Integer(), nullable=False),
    )
    op.add_column(
        "ho_line",
        sa.Column("reverify_required", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("ho_line", "reverify_required")
    op.drop_table("ho_national_sim")
