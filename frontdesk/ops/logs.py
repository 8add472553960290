"""Logging to the platform's log folder, rotated, with no personal data.

Log lines carry codes, numbers of records and masked keys only (SPEC §6). As a last
line of defence a filter masks anything that looks like a mainland ID number or mobile
number before a record is written, so a careless ``log.info(f"...{number}")`` in a
future change can't leak one.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

from ..paths import default_log_dir

LOG_FILE_NAME = "frontdesk.log"
MAX_BYTES = 5 * 1024 * 1024
BACKUP_COUNT = 10

_ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])"  # 18 characters
    r"|(?<![0-9A-Za-z])(\d{6})(\d{5})(\d{4})(?![0-9A-Za-z])"  # legacy 15 digits
)
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def mask_personal(text: str) -> str:
    def _id(match: re.Match[str]) -> str:
        head, middle, tail = (g for g in match.groups() if g is not None)
        return head + "*" * len(middle) + tail

    text = _ID_NUMBER.sub(_id, text)
    return _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def configure_logging(log_dir: Path | None = None, *, level: int = logging.INFO) -> Path:
    """Send frontdesk's logs to ``<log_dir>/frontdesk.log`` (5 MB × 10 files)."""
    folder = Path(log_dir or default_log_dir())
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE_NAME
    root = logging.getLogger("frontdesk")
    for handler in list(root.handlers):
        if getattr(handler, "_frontdesk", False):
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
    )
    handler._frontdesk = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(PersonalDataFilter())
    root.addHandler(handler)
    root.setLevel(level)
    return path
