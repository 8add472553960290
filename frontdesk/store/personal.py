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
import uuid

from .crypto import Vault, VaultError, sealed_at


def seal_birth_date(
    vault: Vault, birth_date: dt.date | None, table: str, row_id: uuid.UUID | str
) -> bytes | None:
    """The sealed birth date (``None`` stays ``None``: unit customers have none), bound to
    its row of ``table`` (``customer`` or ``id_verification``) like every sealed value."""
    if birth_date is None:
        return None
    return vault.seal(birth_date.isoformat(), sealed_at(table, "birth_date_enc", row_id))


def open_birth_date(
    vault: Vault, sealed: bytes | None, table: str, row_id: uuid.UUID | str
) -> dt.date | None:
    """The birth date, or ``None`` when none was kept (purged, or never captured).

    A sealed value that does not open (wrong key, tampered) raises ``VaultError``: an age
    rule must never be judged as if the date were simply unknown.
    """
    if sealed is None:
        return None
    text = vault.open_text(sealed, sealed_at(table, "birth_date_enc", row_id))
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise VaultError("sealed birth date is not a date") from exc
