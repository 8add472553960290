"""ho_admin_action: what IT did to a workstation by hand (unflag), with the reason.

A flagged workstation (a cloned identity suspected) is refused for good until IT looks;
``frontdesk headoffice unflag`` lets it sync again, and this table keeps who/when/why.

Revision ID: ho0005_i16it
Revises: ho0005_i13rules
Create Date: 2026-12-06 03:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ho0005_i16it"
down_revision: str | None = "ho0005_i13rules"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ho_admin_action",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("branch_code", sa.String(16), nullable=False),
        sa.Column("workstation_code", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("previous_status", sa.String(12)),
        sa.Column("previous_reason", sa.String(500)),
    )


def downgrade() -> None:
    op.drop_table("ho_admin_action")
