"""After archiving: reprints (补打), the print record (printed, previewed, failed) and
the customer's signature, each written to the audit log."""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy import func, select

from ...core.clock import business_date
from ...core.messages import RuleViolation, error
from ...store import audit
from ...store.models import (
    ArchivedDocument,
    Slip,
    SlipSignature,
)
from ..auth import StaffSession
from .archive import DocumentArchive
from .refs import MAX_SIGNATURE_BYTES, PNG_MAGIC, SIGNING_METHODS, DocumentRef


class PrintsAndSignatures(DocumentArchive):
    """Reprinting, print bookkeeping and signatures of archived documents."""

    # -- reprint (补打) -------------------------------------------------------------------
    def reprint(
        self, staff: StaffSession, document_id: uuid.UUID, *, reason: str = ""
    ) -> DocumentRef:
        """A new copy marked 补打 with the time, archived beside the original and audited.

        It is rendered from the records as they stand now, so a receipt voided since
        the original was printed says 作废.
        """
        original = self.document(document_id)
        now = self._now()
        base = original.layout if original.kind == "receipt" else original.variant.split("-r")[0]
        if original.kind == "slip":
            pdf = self.render_slip(original.object_id, reprint_at=now)
        elif original.kind == "receipt":
            pdf = self.render_receipt(original.object_id, original.layout, reprint_at=now)
        elif original.kind == "warranty_card":
            pdf = self._render_card(original.object_id, reprint_at=now)
        elif original.kind == "day_close":
            pdf = self._render_day_close(original.object_id, reprint_at=now)[2]
        else:  # pragma: no cover - only these kinds are archived by this service
            raise RuleViolation([error("document.not_found", "document")])
        with self._ws.db.reader() as s:
            copies = s.scalar(
                select(func.count()).where(
                    ArchivedDocument.kind == original.kind,
                    ArchivedDocument.number == original.number,
                    ArchivedDocument.variant.like(f"{base}-r%"),
                )
            )
        variant = f"{base}-r{(copies or 0) + 1}"
        ref = self._archive(
            original.kind,
            variant,
            original.number,
            original.object_id,
            business_date(now),
            pdf,
        )
        with self._ws.db.unit_of_work() as uow:
            audit.record(
                uow.session,
                actor_id=staff.staff_id,
                action="document.reprinted",
                object_type=original.kind,
                object_id=original.object_id,
                detail={
                    "number": original.number,
                    "variant": variant,
                    "document_id": str(ref.document_id),
                    "original_document_id": str(original.document_id),
                    "reason": reason.strip(),
                    "sha256": ref.sha256,
                },
            )
            uow.commit()
        return ref

    # -- print bookkeeping --------------------------------------------------------------
    def mark_printed(
        self, staff: StaffSession, document_id: uuid.UUID, printer: str = ""
    ) -> DocumentRef:
        """The printer took the job: count it, clear any error, audit the print."""
        with self._ws.db.unit_of_work() as uow:
            row = uow.session.get(ArchivedDocument, document_id)
            if row is None:
                raise RuleViolation([error("document.not_found", "document")])
            row.print_count += 1
            row.printed_at = self._now()
            row.last_print_error = None
            audit.record(
                uow.session,
                actor_id=staff.staff_id,
                action="document.printed",
                object_type=row.kind,
                object_id=row.object_id,
                detail={
                    "number": row.number,
                    "variant": row.variant,
                    "printer": printer[:120],
                    "copy": row.print_count,
                },
            )
            uow.commit()
            return self._ref(row)

    def mark_previewed(self, staff: StaffSession, document_id: uuid.UUID) -> None:
        """A print preview shows the customer's data on screen: audited like a print
        (SPEC §6: every view of customer data is logged), numbers only."""
        with self._ws.db.unit_of_work() as uow:
            row = uow.session.get(ArchivedDocument, document_id)
            if row is None:
                raise RuleViolation([error("document.not_found", "document")])
            audit.record(
                uow.session,
                actor_id=staff.staff_id,
                action="document.previewed",
                object_type=row.kind,
                object_id=row.object_id,
                detail={"number": row.number, "variant": row.variant},
            )
            uow.commit()

    def mark_print_failed(
        self, staff: StaffSession, document_id: uuid.UUID, reason: str, printer: str = ""
    ) -> DocumentRef:
        """Keep the failure on the document so the visit history offers a retry."""
        text = f"{printer}: {reason}" if printer else reason
        with self._ws.db.unit_of_work() as uow:
            row = uow.session.get(ArchivedDocument, document_id)
            if row is None:
                raise RuleViolation([error("document.not_found", "document")])
            row.last_print_error = text[:500] or "打印失败"
            uow.commit()
            return self._ref(row)

    # -- signatures -----------------------------------------------------------------------
    def record_signature(
        self,
        staff: StaffSession,
        slip_id: uuid.UUID,
        method: str,
        *,
        image_png: bytes | None = None,
        signer: str = "customer",
        device: str | None = None,
    ) -> DocumentRef | None:
        """Record how the slip was signed; returns the signed copy if one had to be archived.

        Paper: no image (the signed paper is the record). Pad / second screen: the PNG
        is kept with the signature and drawn into the slip's signature box.
        """
        problems = []
        if method not in SIGNING_METHODS:
            problems.append(error("signature.method", "signature", method=method))
        if signer not in ("customer", "agent"):
            problems.append(error("signature.signer", "signature"))
        if method in ("pad", "second_screen"):
            if not image_png:
                problems.append(error("signature.image_required", "signature"))
            elif not image_png.startswith(PNG_MAGIC) or len(image_png) > MAX_SIGNATURE_BYTES:
                problems.append(error("signature.image_invalid", "signature"))
        if problems:
            raise RuleViolation(problems)
        image = image_png if method != "paper" else None
        with self._ws.db.unit_of_work() as uow:
            slip = uow.session.get(Slip, slip_id)
            if slip is None:
                raise self._source_missing("业务受理单", slip_id)
            uow.session.add(
                SlipSignature(
                    slip_id=slip_id,
                    method=method,
                    signer=signer,
                    image_png=image,
                    image_sha256=hashlib.sha256(image).hexdigest() if image else None,
                    device=(device or "")[:64] or None,
                    staff_id=staff.staff_id,
                    created_at=self._now(),
                )
            )
            number, day = slip.slip_no, slip.business_date
            archived = self._existing(uow.session, "slip", number, "a4") is not None
            uow.commit()
        if image is None or not archived:
            return None
        with self._ws.db.reader() as s:
            existing = self._existing(s, "slip", number, "a4-signed")
        if existing is not None:
            return existing
        return self._archive("slip", "a4-signed", number, slip_id, day, self.render_slip(slip_id))
