"""birth dates are kept sealed, never in clear beside the masked ID number

Revision ID: 0006_i13privacy
Revises: 0005
Create Date: 2026-12-06

The 6+4 mask of an ID number (110105********1239) hides only the birth date; a birth
date in clear beside it gives the whole number back (DOMAIN.md, PIPL). ``birth_date``
of ``id_verification`` and ``customer`` is replaced by ``birth_date_enc`` (AES-GCM,
``frontdesk/store/personal.py``). Migrations hold no keys, so existing clear dates are
dropped, not sealed: the next card read of the customer seals it again, and the age
rule of 入网 is judged on the card read of the visit in any case. ``secure_delete``
zeroes the freed pages so the dropped dates do not linger in the file.

``id_verification`` is append-only: its update trigger names every column but the
purgeable ones, so it is recreated with ``birth_date_enc`` purgeable (the retention
purge clears it with the sealed number and address).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_i13privacy"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PURGEABLE = ("id_number_enc", "address_enc", "birth_date_enc")


def _recreate_update_trigger(purgeable: Sequence[str]) -> None:
    bind = op.get_bind()
    columns = [c["name"] for c in sa.inspect(bind).get_columns("id_verification")]
    guarded = [c for c in columns if c not in purgeable]
    op.execute(
        "CREATE TRIGGER id_verification_no_update BEFORE UPDATE OF "
        f"{', '.join(guarded)} ON id_verification "
        "BEGIN SELECT RAISE(ABORT, 'id_verification is append-only'); END"
    )


def upgrade() -> None:
    op.execute("PRAGMA secure_delete = ON")
    op.execute("DROP TRIGGER IF EXISTS id_verification_no_update")
    # SQLite >= 3.35 drops a column in place (no table copy, the other triggers stay)
    op.execute("ALTER TABLE id_verification DROP COLUMN birth_date")
    op.add_column("id_verification", sa.Column("birth_date_enc", sa.LargeBinary(), nullable=True))
    op.execute("ALTER TABLE customer DROP COLUMN birth_date")
    op.add_column("customer", sa.Column("birth_date_enc", sa.LargeBinary(), nullable=True))
    _recreate_update_trigger(PURGEABLE)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS id_verification_no_update")
    op.execute("ALTER TABLE id_verification DROP COLUMN birth_date_enc")
    op.add_column("id_verification", sa.Column("birth_date", sa.Date(), nullable=True))
    op.execute("ALTER TABLE customer DROP COLUMN birth_date_enc")
    op.add_column("customer", sa.Column("birth_date", sa.Date(), nullable=True))
    _recreate_update_trigger(("id_number_enc", "address_enc"))
