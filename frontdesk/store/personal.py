"""Sealing the birth date, the one field that turns a masked ID number back into a whole one.

The common mask of a 居民身份证 number (first 6 + last 4, ``110105********1239``) hides
exactly the birth date (positions 7-14). A birth date stored or synced in clear beside
the mask gives the whole number back, so it is kept only sealed (AES-GCM, the workstation
vault) and opened in memory where a rule needs it (the minimum age of 入网). Head office
never receives it (``IdVerification.__sync_exclude__``) and stores none.

Every birth date sealed or opened goes through these two functions, so a change of the
sealing API touches one place.
"""

from __future__ import annotations

import datetime as dt

from .crypto import Vault, VaultError


def seal_birth_date(vault: Vault, birth_date: dt.date | None) -> bytes | None:
    """The sealed birth date (``None`` stays ``None``: unit customers have none)."""
    return vault.seal(birth_date.isoformat()) if birth_date is not None else None


def open_birth_date(vault: Vault, sealed: bytes | None) -> dt.date | None:
    """The birth date, or ``None`` when none was kept (purged, or never captured).

    A sealed value that does not open (wrong key, tampered) raises ``VaultError``: an age
    rule must never be judged as if the date were simply unknown.
    """
    if sealed is None:
        return None
    text = vault.open_text(sealed)
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise VaultError("sealed birth date is not a date") from exc
