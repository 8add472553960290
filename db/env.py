"""Alembic environment for the workstation's SQLite database.

Run through :mod:`frontdesk.store.migrate` (which backs the database up first), or by
hand: ``alembic -c db/alembic.ini -x db=/path/to/frontdesk.db upgrade head``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from frontdesk.store.models import Base
from frontdesk.store.models.base import UTCDateTime

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    db_path = context.get_x_argument(as_dictionary=True).get("db")
    if not db_path:
        raise SystemExit("give the database: alembic -x db=PATH upgrade head")
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.connect() as conn:
        _run(conn)


def _render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Render the app's UTCDateTime as a plain DateTime: migrations must not import app
    types (they change; a migration is frozen history). Storage is identical."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def _run(connection: object) -> None:
    context.configure(
        render_item=_render_item,
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copy-and-move
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported for SQLite")
run_migrations_online()
