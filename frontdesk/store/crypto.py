"""Encryption at rest for ID numbers and document images, and keyed look-up hashes.

Personal data (PIPL; SPEC §6) never sits in the database in clear: ID numbers,
addresses and document scans are sealed with AES-256-GCM; customers are found by an
HMAC-SHA256 of the normalised ID number (a "keyed hash": without the key the hash
can't be brute-forced from the small space of valid ID numbers).

Keys live outside the database: in a key file created at ``frontdesk init`` (mode
0600) or, when configured, in the OS keyring. Two keys, two purposes:
- ``data_key`` seals values. Each ciphertext starts with a one-byte format version
  and the key id, so keys can be rotated without re-encrypting old rows at once.
  A sealed value is bound to its place (table, column, row id: :func:`sealed_at`)
  through AES-GCM's associated data, so a ciphertext pasted into another row or
  column fails to open (format 2; format 1, unbound, is read only by the migration
  that re-seals it).
- ``lookup_key`` makes look-up hashes. It must be the same on every workstation of
  the operator (head office answers 一证五号 counts by hash), so enrolment replaces a
  locally generated one with head office's before any customer is stored.
- ``audit_key`` keys the audit chain's HMAC (:mod:`frontdesk.store.audit`);
  ``audit_keyed_from`` is the first chain position it covers (older entries of a
  workstation upgraded from the unkeyed chain keep their SHA-256 links).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAT_VERSION = 2  # bound to table, column and row (associated data)
LEGACY_FORMAT = 1  # unbound; opened only to re-seal it (migration 0006)
KEY_FILE_NAME = "keys.json"


def sealed_at(table: str, column: str, row_id: uuid.UUID | str) -> bytes:
    """Where a sealed value lives: the associated data binding it to its row and column.

    Every seal and open names the place: ``vault.seal(v, sealed_at("customer",
    "id_number_enc", customer.id))``. The row id must be known before the seal, so
    set ``id=new_id()`` when building a row whose id the database would assign.
    """
    return f"{table}.{column}/{str(row_id).lower()}".encode()


class VaultError(Exception):
    """The key material is missing, unreadable or does not fit the data."""


@dataclass(frozen=True)
class KeyMaterial:
    key_id: int
    data_key: bytes
    lookup_key: bytes
    audit_key: bytes | None = None
    audit_keyed_from: int = 1

    @classmethod
    def generate(cls, key_id: int = 1) -> KeyMaterial:
        return cls(
            key_id, secrets.token_bytes(32), secrets.token_bytes(32), secrets.token_bytes(32)
        )

    def with_audit_key(self, keyed_from: int) -> KeyMaterial:
        """The same keys plus an audit-chain key covering positions from ``keyed_from``.

        Derived from the data key (HMAC-SHA256, fixed label), not random: two processes
        upgrading the same workstation at once write the very same key file."""
        derived = hmac.new(self.data_key, b"frontdesk audit chain key v1", hashlib.sha256)
        return replace(self, audit_key=derived.digest(), audit_keyed_from=keyed_from)

    def to_json(self) -> str:
        raw: dict[str, object] = {
            "key_id": self.key_id,
            "data_key": base64.b64encode(self.data_key).decode(),
            "lookup_key": base64.b64encode(self.lookup_key).decode(),
        }
        if self.audit_key is not None:
            raw["audit_key"] = base64.b64encode(self.audit_key).decode()
            raw["audit_keyed_from"] = self.audit_keyed_from
        return json.dumps(raw)

    @classmethod
    def from_json(cls, text: str) -> KeyMaterial:
        try:
            raw = json.loads(text)
            material = cls(
                int(raw["key_id"]),
                base64.b64decode(raw["data_key"]),
                base64.b64decode(raw["lookup_key"]),
                base64.b64decode(raw["audit_key"]) if "audit_key" in raw else None,
                int(raw.get("audit_keyed_from", 1)),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise VaultError("key file is not valid") from exc
        if len(material.data_key) != 32 or len(material.lookup_key) != 32:
            raise VaultError("key file holds keys of the wrong length")
        if material.audit_key is not None and len(material.audit_key) != 32:
            raise VaultError("key file holds keys of the wrong length")
        return material


def create_key_file(data_dir: Path) -> Path:
    """Create the workstation's key file once; refuse to overwrite an existing one."""
    path = data_dir / KEY_FILE_NAME
    material = KeyMaterial.generate()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(material.to_json())
        fh.flush()
        os.fsync(fh.fileno())
    return path


def write_key_file(data_dir: Path, material: KeyMaterial) -> Path:
    """Replace the key file atomically (0600); the old one stays whole until the swap."""
    path = data_dir / KEY_FILE_NAME
    tmp = path.with_suffix(".json.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(material.to_json())
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)
    return path


def load_key_file(data_dir: Path) -> KeyMaterial:
    path = data_dir / KEY_FILE_NAME
    try:
        return KeyMaterial.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise VaultError(f"key file {path} not found; run 'frontdesk init' first") from exc


class Vault:
    """Seals and opens personal data; makes look-up hashes."""

    def __init__(self, material: KeyMaterial) -> None:
        self._material = material
        self._aead = AESGCM(material.data_key)

    @property
    def material(self) -> KeyMaterial:
        return self._material

    def seal(self, plaintext: bytes | str, at: bytes) -> bytes:
        """Seal ``plaintext`` for the place ``at`` (:func:`sealed_at`)."""
        data = plaintext.encode("utf-8") if isinstance(plaintext, str) else plaintext
        nonce = secrets.token_bytes(12)
        header = bytes([FORMAT_VERSION, self._material.key_id])
        return header + nonce + self._aead.encrypt(nonce, data, header + at)

    def open(self, sealed: bytes, at: bytes) -> bytes:
        """Open a value sealed for ``at``; a value sealed for another place fails."""
        if len(sealed) >= 1 and sealed[0] == LEGACY_FORMAT:
            raise VaultError("sealed value is in the old unbound format; it must be re-sealed")
        return self._decrypt(sealed, FORMAT_VERSION, at)

    def open_text(self, sealed: bytes, at: bytes) -> str:
        return self.open(sealed, at).decode("utf-8")

    def reseal(self, sealed: bytes, at: bytes) -> bytes:
        """A value in the bound format for ``at``: an old unbound value is opened (the one
        place format 1 is still read) and sealed again; a bound one must open for ``at``."""
        if len(sealed) >= 1 and sealed[0] == LEGACY_FORMAT:
            return self.seal(self._decrypt(sealed, LEGACY_FORMAT, b""), at)
        self.open(sealed, at)
        return sealed

    def _decrypt(self, sealed: bytes, version: int, at: bytes) -> bytes:
        if len(sealed) < 2 + 12 + 16 or sealed[0] != version:
            raise VaultError("sealed value has an unknown format")
        if sealed[1] != self._material.key_id:
            raise VaultError(
                f"sealed with key {sealed[1]}, this workstation holds key {self._material.key_id}"
            )
        header, nonce, body = sealed[:2], sealed[2:14], sealed[14:]
        try:
            return self._aead.decrypt(nonce, body, header + at)
        except InvalidTag as exc:  # tampered, moved to another row or column, or wrong key
            raise VaultError("sealed value failed its integrity check") from exc

    def fingerprint(self) -> str:
        """Names the data key without revealing it: the database records it, so a key
        file from another counter is recognised before anything fails to open."""
        return hmac.new(
            self._material.data_key, b"frontdesk data key fingerprint v1", hashlib.sha256
        ).hexdigest()[:32]

    def lookup_hash(self, normalised_value: str) -> str:
        return hmac.new(
            self._material.lookup_key, normalised_value.encode("utf-8"), hashlib.sha256
        ).hexdigest()
