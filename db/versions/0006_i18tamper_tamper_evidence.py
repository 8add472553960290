"""settled rows refuse INSERT OR REPLACE; sealed values bound to their row and column

Revision ID: 0006_i18tamper
Revises: 0006_i13privacy
Create Date: 2026-12-06

- Every table guarded by ``<table>_no_delete`` gets ``<table>_no_replace``: a BEFORE
  INSERT trigger refusing a row whose primary or unique key is already taken. An
  ``INSERT OR REPLACE`` (or ``REPLACE INTO``) deletes the old row without delete
  triggers unless ``recursive_triggers`` is on — the app turns it on for its own
  connections; this trigger refuses it on any connection (the sqlite3 tool too).
- Sealed values move from format 1 (unbound) to format 2 (bound to table, column and
  row id through AES-GCM associated data): each is opened once and sealed again.
  The keys are not the migration's: the workstation hands in ``Vault.reseal``
  (``frontdesk.store.migrate.upgrade``); run by hand with sealed data present, the
  migration stops and says so.
- ``id_verification``'s sealed columns may still be cleared (retention purge) but no
  longer replaced by another value: ``id_verification_sealed_clear_only``.
- The audit chain becomes keyed (HMAC) from the next entry on: the position is noted
  as setting ``audit_keyed_from`` for a key file that has no audit key yet.
- Two outbox indexes for the checks: (record_type, record_id) finds outbox rows whose
  record was deleted without reading the payloads; a partial index of the few rows
  head office rejected keeps them out of the totals a sync reports.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

revision: str = "0006_i18tamper"
down_revision: str | None = "0006_i13privacy"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column) holding sealed values at this point of the schema's history
SEALED = (
    ("customer", "id_number_enc"),
    ("id_verification", "id_number_enc"),
    ("id_verification", "address_enc"),
    ("document_scan", "ciphertext"),
)
LEGACY_FORMAT = 1


def _guarded_tables(bind: sa.Connection) -> list[str]:
    rows = bind.exec_driver_sql(
        "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_no\\_delete'"
        " ESCAPE '\\' ORDER BY tbl_name"
    )
    return [r[0] for r in rows]


def _unique_keys(bind: sa.Connection, table: str) -> list[list[str]]:
    keys: list[list[str]] = []
    pk = [
        r[1]
        for r in sorted(bind.exec_driver_sql(f"PRAGMA table_info({table})"), key=lambda r: r[5])
        if r[5]
    ]
    if pk:
        keys.append(pk)
    for index in bind.exec_driver_sql(f"PRAGMA index_list({table})").fetchall():
        name, unique = index[1], index[2]
        if unique:
            columns = [r[2] for r in bind.exec_driver_sql(f"PRAGMA index_info('{name}')")]
            if columns and columns not in keys:
                keys.append(columns)
    return keys


def _create_no_replace(bind: sa.Connection, table: str) -> None:
    taken = " OR ".join(
        f"EXISTS (SELECT 1 FROM {table} WHERE " + " AND ".join(f"{c} = NEW.{c}" for c in key) + ")"
        for key in _unique_keys(bind, table)
    )
    op.execute(
        f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} WHEN {taken} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
    )


def _reseal(bind: sa.Connection) -> None:
    reseal = context.config.attributes.get("reseal")
    for table, column in SEALED:
        rows = bind.exec_driver_sql(
            f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL"
            f" AND substr({column}, 1, 1) = x'0{LEGACY_FORMAT}'"
        ).fetchall()
        if rows and reseal is None:
            raise RuntimeError(
                "sealed personal data must be re-sealed with the workstation's key: "
                "upgrade by starting frontdesk (or 'frontdesk health'), not with alembic"
            )
        for row_id, sealed in rows:
            # the row id as the app knows it: a UUID (stored as 32 hex digits)
            key = str(row_id)
            if len(key) == 32:
                key = f"{key[:8]}-{key[8:12]}-{key[12:16]}-{key[16:20]}-{key[20:]}"
            at = f"{table}.{column}/{key.lower()}".encode()
            bind.execute(
                sa.text(f"UPDATE {table} SET {column} = :v WHERE id = :i"),
                {"v": reseal(bytes(sealed), at), "i": row_id},
            )


def upgrade() -> None:
    bind = op.get_bind()
    for table in _guarded_tables(bind):
        _create_no_replace(bind, table)
    _reseal(bind)
    op.execute("CREATE INDEX ix_outbox_type_record ON outbox (record_type, record_id)")
    op.execute(
        "CREATE INDEX ix_outbox_rejected ON outbox (record_id) WHERE rejected_reason IS NOT NULL"
    )
    op.execute(
        "INSERT OR IGNORE INTO setting (key, value)"
        " SELECT 'audit_keyed_from', coalesce(max(seq), 0) + 1 FROM audit_entry"
    )
    op.execute(
        "CREATE TRIGGER id_verification_sealed_clear_only BEFORE UPDATE OF id_number_enc,"
        " address_enc, birth_date_enc ON id_verification WHEN (NEW.id_number_enc IS NOT NULL"
        " AND NEW.id_number_enc IS NOT OLD.id_number_enc) OR (NEW.address_enc IS NOT NULL AND"
        " NEW.address_enc IS NOT OLD.address_enc) OR (NEW.birth_date_enc IS NOT NULL AND"
        " NEW.birth_date_enc IS NOT OLD.birth_date_enc)"
        " BEGIN SELECT RAISE(ABORT, 'id_verification is append-only'); END"
    )


def downgrade() -> None:
    bind = op.get_bind()
    op.execute("DELETE FROM setting WHERE key = 'audit_keyed_from'")
    op.execute("DROP INDEX IF EXISTS ix_outbox_rejected")
    op.execute("DROP INDEX IF EXISTS ix_outbox_type_record")
    op.execute("DROP TRIGGER IF EXISTS id_verification_sealed_clear_only")
    for table in _guarded_tables(bind):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")
    # re-sealed values stay in the bound format (the older build never opens them)
