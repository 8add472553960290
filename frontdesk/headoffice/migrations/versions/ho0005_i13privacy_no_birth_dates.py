"""head office keeps no birth date and no sex of an ID holder

A birth date beside the masked ID number (kept in each ``id_verification`` record)
gives the whole number back; head office's rules need neither it nor the sex (the
minimum age is judged at the counter on the card read). ``ho_customer.birth_date`` is
dropped and both fields are removed from the verification records already received.

Revision ID: ho0005_i13privacy
Revises: ho0004
Create Date: 2026-12-06 03:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ho0005_i13privacy"
down_revision: str | None = "ho0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_column("ho_customer", "birth_date")
    op.execute(
        "UPDATE ho_record SET data = data - 'birth_date' - 'sex' - 'birth_date_enc'"
        " WHERE record_type = 'id_verification'"
        " AND (data ? 'birth_date' OR data ? 'sex' OR data ? 'birth_date_enc')"
    )


def downgrade() -> None:
    op.add_column("ho_customer", sa.Column("birth_date", sa.Date(), nullable=True))
