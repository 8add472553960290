"""The canonical digest of a published dataset: head office stores it beside the body,
the counter recomputes it after a pull and refuses a body that does not match."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_digest(body: Any) -> str:
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
