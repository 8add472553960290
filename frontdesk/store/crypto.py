"""Encryption at rest for ID numbers and document images, and keyed look-up hashes.

Personal data (PIPL; SPEC §6) never sits in the database in clear: ID numbers,
addresses and document scans are sealed with AES-256-GCM; customers are found by an
HMAC-SHA256 of the normalised ID number (a "keyed hash": without the key the hash
can't be brute-forced from the small space of valid ID numbers).

Keys live outside the database: in a key file created at ``frontdesk init`` (mode
0600) or, when configured, in the OS keyring. Two keys, two purposes:
- ``data_key`` seals values. Each ciphertext starts with a one-byte format version
  and the key id, so keys can be rotated without re-encrypting old rows at once.
- ``lookup_key`` makes look-up hashes. It must be the same on every workstation of
  the operator (head office answers 一证五号 counts by hash), so enrolment replaces a
  locally generated one with head office's before any customer is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAT_VERSION = 1
KEY_FILE_NAME = "keys.json"


class VaultError(Exception):
    """The key material is missing, unreadable or does not fit the data."""


@dataclass(frozen=True)
class KeyMaterial:
    key_id: int
    data_key: bytes
    lookup_key: bytes

    @classmethod
    def generate(cls, key_id: int = 1) -> KeyMaterial:
        return cls(key_id, secrets.token_bytes(32), secrets.token_bytes(32))

    def to_json(self) -> str:
        return json.dumps(
            {
                "key_id": self.key_id,
                "data_key": base64.b64encode(self.data_key).decode(),
                "lookup_key": base64.b64encode(self.lookup_key).decode(),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> KeyMaterial:
        try:
            raw = json.loads(text)
            material = cls(
                int(raw["key_id"]),
                base64.b64decode(raw["data_key"]),
                base64.b64decode(raw["lookup_key"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise VaultError("key file is not valid") from exc
        if len(material.data_key) != 32 or len(material.lookup_key) != 32:
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

    def seal(self, plaintext: bytes | str) -> bytes:
        data = plaintext.encode("utf-8") if isinstance(plaintext, str) else plaintext
        nonce = secrets.token_bytes(12)
        header = bytes([FORMAT_VERSION, self._material.key_id])
        return header + nonce + self._aead.encrypt(nonce, data, header)

    def open(self, sealed: bytes) -> bytes:
        if len(sealed) < 2 + 12 + 16 or sealed[0] != FORMAT_VERSION:
            raise VaultError("sealed value has an unknown format")
        if sealed[1] != self._material.key_id:
            raise VaultError(
                f"sealed with key {sealed[1]}, this workstation holds key {self._material.key_id}"
            )
        header, nonce, body = sealed[:2], sealed[2:14], sealed[14:]
        try:
            return self._aead.decrypt(nonce, body, header)
        except Exception as exc:  # InvalidTag: tampered or wrong key
            raise VaultError("sealed value failed its integrity check") from exc

    def open_text(self, sealed: bytes) -> str:
        return self.open(sealed).decode("utf-8")

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
