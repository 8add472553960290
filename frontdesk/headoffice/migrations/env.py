"""Alembic environment for head office's PostgreSQL (not the workstation's SQLite).

Run through ``frontdesk headoffice init-db`` (which passes the URL), or by hand with
``alembic -c frontdesk/headoffice/migrations/alembic.ini -x url=postgresql+psycopg://…``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from frontdesk.headoffice.models import HoBase

config = context.config
target_metadata = HoBase.metadata


def run_migrations_online() -> None:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("give the database: -x url=postgresql+psycopg://…")
    engine = create_engine(url)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, compare_type=True)
        with context.begin_transaction():
            # one migrator at a time, whichever server process starts first
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(746347)")
            context.run_migrations()
    engine.dispose()


run_migrations_online()
