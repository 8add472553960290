"""Masks for screens and paper: ID numbers, names, phone numbers (GB/T 35273 practice)."""

from __future__ import annotations

import unicodedata

from frontdesk.core.ids.model import _clean
from frontdesk.core.serials import normalise_phone


def mask_id_number(number: object) -> str:
    """Mask a document number for screens and paper.

    15 characters or more: first 6 + asterisks + last 4 (110105********002X, the common
    mask of GB/T 35273 practice). Shorter numbers never show more than half of
    themselves: 8–14 characters keep the first 2 and last 2, 5–7 keep the first and the
    last one, and 4 or fewer are all asterisks. Unnormalised input is cleaned first.
    """
    text = _clean(number)
    n = len(text)
    if n >= 15:
        head, tail = 6, 4
    elif n >= 8:
        head, tail = 2, 2
    elif n >= 5:
        head, tail = 1, 1
    else:
        return "*" * n
    return text[:head] + "*" * (n - head - tail) + text[n - tail :]


_NAME_SEPARATORS = frozenset(" ·•.-")


def mask_name(name: object) -> str:
    """Keep the first character, mask the rest: 张三 → 张*, 欧阳娜娜 → 欧***.

    Separators of foreign names (space, ·) are kept. A one-character name is shown as *.
    """
    text = unicodedata.normalize("NFKC", str(name or "")).strip()
    if len(text) <= 1:
        return "*" * len(text)
    return text[0] + "".join(c if c in _NAME_SEPARATORS else "*" for c in text[1:])


def mask_phone(number: object) -> str:
    """138****5678 for a mainland mobile; other numbers show at most 3 + 4 (or 2 + 2)."""
    text = normalise_phone(number)
    n = len(text)
    if n >= 11:
        return text[:3] + "*" * (n - 7) + text[-4:]
    if n >= 7:
        return text[:2] + "*" * (n - 4) + text[-2:]
    if n >= 5:
        return "*" * (n - 2) + text[-2:]
    return "*" * n
