"""Developer mode: a local PostgreSQL started from the ``pgserver`` wheel.

On a laptop nobody should have to install PostgreSQL to try head office; production
always names its PostgreSQL by URL. The server listens on a Unix socket inside the data
folder (no TCP port at all), and is stopped when the last process using it exits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

_servers: dict[str, Any] = {}


def start_dev_postgres(data_dir: Path | str) -> str:
    """Start (or join) the dev PostgreSQL in ``data_dir``; return its SQLAlchemy URL."""
    import pgserver  # test/dev dependency; imported only in developer mode

    key = str(Path(data_dir).resolve())
    server = _servers.get(key)
    if server is None:
        Path(key).mkdir(parents=True, exist_ok=True)
        server = pgserver.get_server(key, cleanup_mode="stop")
        _servers[key] = server
    uri: str = server.get_uri()
    return "postgresql+psycopg://" + uri[len("postgresql://") :]
