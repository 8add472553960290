"""Re-export: the ``[queue]`` section of ``frontdesk.toml`` is part of the configuration
(:mod:`frontdesk.config.queue`), which every layer reads; the queue host uses it here."""

from __future__ import annotations

from ..config.queue import (
    CONFIG_FILE_NAME,
    DEFAULT_PORT,
    LineSection,
    QueueConfigError,
    QueueSection,
    load_queue_section,
    parse_queue_section,
)

__all__ = [
    "CONFIG_FILE_NAME",
    "DEFAULT_PORT",
    "LineSection",
    "QueueConfigError",
    "QueueSection",
    "load_queue_section",
    "parse_queue_section",
]
