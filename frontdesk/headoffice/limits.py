"""Re-export: the request limits live in the neutral package (:mod:`frontdesk.protocol.limits`)
because head office and the counter's queue host both use them."""

from __future__ import annotations

from ..protocol.limits import BodyLimit, CredentialGate

__all__ = ["BodyLimit", "CredentialGate"]
