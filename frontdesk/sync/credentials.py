"""Where the workstation keeps its head-office credential — never in the synced database.

The OS keyring is used when it has a real backend (Windows Credential Manager, macOS
Keychain, Secret Service); otherwise a file readable by the owner only (0600) in the
data folder. The database is backed up, copied and synced; a credential in it would
travel with every copy, which is exactly how identities get cloned.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

CREDENTIAL_FILE = "headoffice-credential.json"
KEYRING_SERVICE = "frontdesk-headoffice"


class CredentialError(Exception):
    """No credential, or it cannot be read; the message says to enrol."""


@dataclass(frozen=True)
class Credential:
    url: str
    branch: str
    workstation: str
    token: str
    enrolled_at: str


def _keyring_usable() -> object | None:
    if os.environ.get("FRONTDESK_NO_KEYRING"):
        return None
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:  # not installed (a headless install): the 0600 file is used
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
        return None
    return keyring


class CredentialStore:
    """Load/save the credential for the workstation whose data folder is ``data_dir``."""

    def __init__(self, data_dir: Path, *, use_keyring: bool | None = None) -> None:
        self.data_dir = Path(data_dir)
        self._keyring = _keyring_usable() if use_keyring in (None, True) else None

    @property
    def where(self) -> str:
        return "keyring" if self._keyring is not None else str(self.path)

    @property
    def path(self) -> Path:
        return self.data_dir / CREDENTIAL_FILE

    @property
    def _account(self) -> str:
        return str(self.data_dir.resolve())

    def save(self, cred: Credential) -> None:
        text = json.dumps(asdict(cred))
        if self._keyring is not None:
            self._keyring.set_password(KEYRING_SERVICE, self._account, text)  # type: ignore[attr-defined]
            return
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        tmp.replace(self.path)

    def load(self) -> Credential:
        if self._keyring is not None:
            text = self._keyring.get_password(KEYRING_SERVICE, self._account)  # type: ignore[attr-defined]
            if text is None:
                raise CredentialError(
                    "未向总部注册，请运行 frontdesk enrol。 / not enrolled with head office; "
                    "run 'frontdesk enrol'"
                )
        else:
            try:
                text = self.path.read_text(encoding="utf-8")
            except FileNotFoundError as exc:
                raise CredentialError(
                    "未向总部注册，请运行 frontdesk enrol。 / not enrolled with head office; "
                    "run 'frontdesk enrol'"
                ) from exc
        try:
            return Credential(**json.loads(text))
        except (ValueError, TypeError) as exc:
            raise CredentialError("the stored credential is damaged; enrol again") from exc

    def exists(self) -> bool:
        try:
            self.load()
        except CredentialError:
            return False
        return True
