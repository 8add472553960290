"""Engine, sessions and schema migrations of head office's PostgreSQL.

One engine per process (a connection pool); one transaction per request, owned by the
request handler — the repository functions in :mod:`.store` never commit on their own
(cosmicpython's unit of work; STYLE.md). Migrations are Alembic scripts in
``frontdesk/headoffice/migrations`` and run with ``frontdesk headoffice init-db``.
"""

from __future__ import annotations

import base64
import secrets
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, create_engine, text

from .settings import Settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def resolve_url(settings: Settings) -> str:
    """The database URL, starting the developer PostgreSQL when none is configured."""
    if settings.sqlalchemy_url:
        return settings.sqlalchemy_url
    from .devpg import start_dev_postgres

    return start_dev_postgres(settings.database.dev_data_dir)


def make_engine(url: str, pool_size: int = 10, pool_timeout: float = 5.0) -> Engine:
    """``pool_timeout``: how long a request waits for a connection before head office
    answers 503 "busy, retry" (the counter backs off); never the 30 s default.

    No ping before each checkout: it would cost every request a round trip. A
    connection PostgreSQL dropped fails its first statement instead; SQLAlchemy then
    discards the pool's stale connections and the request is answered 503 (the
    counter retries) — the same outcome, paid only when it happens."""
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=pool_timeout,
        pool_pre_ping=False,
        pool_recycle=1800,
    )


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(url: str) -> None:
    """Bring the schema to head and make sure the operator's look-up key exists."""
    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url, pool_size=1)
    try:
        ensure_lookup_key(engine)
    finally:
        engine.dispose()


def ensure_lookup_key(engine: Engine) -> str:
    """The operator-wide HMAC key for ID hashes, made once and shared by all processes."""
    candidate = base64.b64encode(secrets.token_bytes(32)).decode()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO ho_secret (name, value) VALUES ('lookup_key', :v) "
                "ON CONFLICT (name) DO NOTHING"
            ),
            {"v": candidate},
        )
        return str(
            conn.execute(text("SELECT value FROM ho_secret WHERE name = 'lookup_key'")).scalar_one()
        )
