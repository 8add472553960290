"""Moving a counter's keys to a replacement PC: a passphrase-protected export of
``keys.json`` and its import (``frontdesk keys export|import``; docs/install.md §4).

The export carries the key file's whole content as it is (whatever keys it holds now or
later), sealed with AES-256-GCM under a key derived from IT's passphrase with scrypt.
The branch/workstation and the data key's fingerprint travel in clear beside it (and
are authenticated), so IT can see whose export a file is without the passphrase.

Import refuses keys that do not fit the data folder's database: each database records
the fingerprint of the data key that seals its ID numbers (``Workstation.open`` refuses
a key file whose fingerprint differs, i.e. another counter's), so importing the wrong
export — or opening a restored database with this PC's own fresh keys — is refused
instead of every sealed value failing later.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import secrets
import sqlite3
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from .crypto import KEY_FILE_NAME, KeyMaterial, Vault, VaultError

EXPORT_FORMAT = "frontdesk-keys-export"
EXPORT_VERSION = 1
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1  # ~32 MB, a fraction of a second
MIN_PASSPHRASE = 12
FINGERPRINT_SETTING = "data_key_fingerprint"


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise VaultError(
            f"口令至少 {MIN_PASSPHRASE} 个字符 / the passphrase must have at least "
            f"{MIN_PASSPHRASE} characters"
        )


def export_keys(data_dir: Path, out: Path, passphrase: str, *, workstation: str) -> Path:
    """Write ``out`` (refusing to overwrite a file) with the sealed key file."""
    _check_passphrase(passphrase)
    raw = (data_dir / KEY_FILE_NAME).read_bytes()
    material = KeyMaterial.from_json(raw.decode("utf-8"))
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    header = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "workstation": workstation,
        "fingerprint": Vault(material).fingerprint(),
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P},
        "salt": base64.b64encode(salt).decode(),
        "nonce": base64.b64encode(nonce).decode(),
    }
    aad = json.dumps(header, sort_keys=True).encode("utf-8")
    sealed = AESGCM(_derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)).encrypt(
        nonce, raw, aad
    )
    body = json.dumps({**header, "sealed": base64.b64encode(sealed).decode()}, indent=1)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:  # a full USB stick: no half-written export left behind
        out.unlink(missing_ok=True)
        raise
    return out


def read_export(path: Path, passphrase: str) -> tuple[dict[str, object], bytes]:
    """The export's clear header and the key file's content; VaultError when the
    passphrase is wrong or the file is not an intact export."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") != EXPORT_FORMAT or doc.get("version") != EXPORT_VERSION:
            raise ValueError("not a frontdesk key export")
        sealed = base64.b64decode(doc.pop("sealed"))
        kdf = doc["kdf"]
        salt, nonce = base64.b64decode(doc["salt"]), base64.b64decode(doc["nonce"])
        key = _derive(passphrase, salt, int(kdf["n"]), int(kdf["r"]), int(kdf["p"]))
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise VaultError(
            f"{path.name} 不是 frontdesk 的密钥导出文件 / {path.name} is not a frontdesk key "
            f"export: {exc}"
        ) from exc
    aad = json.dumps(doc, sort_keys=True).encode("utf-8")
    try:
        raw = AESGCM(key).decrypt(nonce, sealed, aad)
    except InvalidTag as exc:
        raise VaultError(
            "口令错误或导出文件已损坏 / wrong passphrase, or the export file was altered"
        ) from exc
    KeyMaterial.from_json(raw.decode("utf-8"))  # still a valid key file
    return doc, raw


def database_fingerprint(db_path: Path) -> str | None:
    """The data key fingerprint a database recorded (None: not yet, or no database)."""
    if not db_path.exists():
        return None
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT value FROM setting WHERE key = ?", (FINGERPRINT_SETTING,)
        ).fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        conn.close()
    return str(row[0]) if row else None


def import_keys(data_dir: Path, export: Path, passphrase: str, db_path: Path) -> Path | None:
    """Replace ``keys.json`` with the export's content when it fits the database.

    The replaced key file is kept beside it (``keys.json.replaced-<time>``); returns its
    path, or None when there was none.
    """
    doc, raw = read_export(export, passphrase)
    wanted = database_fingerprint(db_path)
    theirs = str(doc.get("fingerprint"))
    if wanted is not None and wanted != theirs:
        raise VaultError(
            f"这些密钥不属于本机数据库（导出自 {doc.get('workstation')}）；请导入该数据库原来那台"
            f"电脑的密钥。 / these keys (exported from {doc.get('workstation')}) are not the "
            "ones this database was sealed with; import the keys of the PC the database "
            "came from."
        )
    path = data_dir / KEY_FILE_NAME
    kept = None
    if path.exists():
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        kept = path.with_name(f"{KEY_FILE_NAME}.replaced-{stamp}")
        os.replace(path, kept)
    tmp = path.with_suffix(".json.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)
    return kept
