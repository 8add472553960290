"""Printed documents: render once, archive, reprint (补打), signatures, print bookkeeping.

SPEC §4/§6. A settled slip's documents are rendered from the database and written once
to the workstation's archive folder (``<data>/archive/<kind>/<yyyy>/<mm>/<dd>/``) —
temp file, fsync, rename, so a crash leaves either the whole PDF or none — and
recorded in :class:`ArchivedDocument` with their digest. Printing is separate from
settling: a printer jam or an unplugged printer can never lose a settled slip; the
document stays in the archive, its failure is recorded, and the clerk retries from
the visit history (:meth:`DocumentService.documents_of_visit`). A reprint is a new
rendering marked 补打 with its time, archived beside the original and written to the
audit log; so is every print.

Paperless signing: :meth:`record_signature` stores how the customer signed (paper,
signature pad, second screen). When the signature comes before archiving (the usual
paperless order) the image is in the archived slip; when the slip had already been
archived, a signed copy is archived as the ``a4-signed`` variant — the original file
is never rewritten.

The service is one class made of parts, one module each: :mod:`.rendering` (fonts,
letterhead, the pure renderers), :mod:`.archive` (write once, read back),
:mod:`.prints` (补打, print bookkeeping, signatures); :mod:`.refs` holds
:class:`DocumentRef`, the kinds and the message codes.
"""

from __future__ import annotations

from .prints import PrintsAndSignatures
from .refs import KIND_NAMES, RECEIPT_VARIANTS, SIGNING_METHODS, DocumentRef
from .refs import MAX_SIGNATURE_BYTES as MAX_SIGNATURE_BYTES  # the old module's names
from .refs import PNG_MAGIC as PNG_MAGIC

__all__ = [
    "KIND_NAMES",
    "RECEIPT_VARIANTS",
    "SIGNING_METHODS",
    "DocumentRef",
    "DocumentService",
]


class DocumentService(PrintsAndSignatures):
    """Renders, archives and keeps the print record of a workstation's documents."""
