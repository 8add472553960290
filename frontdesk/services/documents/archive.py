"""Archiving rendered documents once (temp file, fsync, rename) and reading them back:
by slip, by visit, the ones still to print."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...core.clock import business_date
from ...core.messages import RuleViolation, error
from ...store.models import (
    ArchivedDocument,
    Receipt,
    Slip,
    SlipItem,
    WarrantyCard,
)
from .refs import DocumentRef
from .rendering import DocumentRendering


class DocumentArchive(DocumentRendering):
    """Writes each document once to the archive and records it; lists and reads them."""

    # -- archiving ------------------------------------------------------------------------
    def archive_settlement(
        self, slip_id: uuid.UUID, *, receipt_variants: Iterable[str] = ("a4",)
    ) -> list[DocumentRef]:
        """The slip and its receipt(s) of a settled (or correction) slip, archived once.

        Call it right after :meth:`IntakeService.settle` (after paperless signing, if
        any) and after a void or refund with the correction's slip id.
        """
        refs = [self.archive_slip(slip_id)]
        with self._ws.db.reader() as s:
            receipt_ids = list(s.scalars(select(Receipt.id).where(Receipt.slip_id == slip_id)))
        for receipt_id in receipt_ids:
            refs.extend(self.archive_receipt(receipt_id, v) for v in receipt_variants)
        return refs

    def slip_id_of(self, slip_no: str) -> uuid.UUID:
        """The id of the slip numbered ``slip_no`` (a refund's number is what the
        after-sales return hands back)."""
        with self._ws.db.reader() as s:
            slip_id = s.scalar(select(Slip.id).where(Slip.slip_no == slip_no))
        if slip_id is None:
            raise self._source_missing("业务受理单", slip_no)
        return slip_id

    def archive_slip(self, slip_id: uuid.UUID) -> DocumentRef:
        with self._ws.db.reader() as s:
            slip = s.get(Slip, slip_id)
            if slip is None:
                raise self._source_missing("业务受理单", slip_id)
            number, day = slip.slip_no, slip.business_date
            existing = self._existing(s, "slip", number, "a4")
        if existing is not None:
            return existing
        return self._archive("slip", "a4", number, slip_id, day, self.render_slip(slip_id))

    def archive_receipt(self, receipt_id: uuid.UUID, variant: str = "a4") -> DocumentRef:
        self._check_variant(variant)
        with self._ws.db.reader() as s:
            receipt = s.get(Receipt, receipt_id)
            if receipt is None:
                raise self._source_missing("收据", receipt_id)
            number, day = receipt.receipt_no, business_date(receipt.issued_at)
            existing = self._existing(s, "receipt", number, variant)
        if existing is not None:
            return existing
        pdf = self.render_receipt(receipt_id, variant)
        return self._archive("receipt", variant, number, receipt_id, day, pdf)

    def archive_warranty_card(self, card_id: uuid.UUID) -> DocumentRef:
        with self._ws.db.reader() as s:
            card = s.get(WarrantyCard, card_id)
            if card is None:
                raise self._source_missing("保修卡", card_id)
            number, day = card.card_no, card.sale_date
            existing = self._existing(s, "warranty_card", number, "a4")
        if existing is not None:
            return existing
        pdf = self._render_card(card_id)
        return self._archive("warranty_card", "a4", number, card_id, day, pdf)

    def archive_day_close(self, close_id: uuid.UUID) -> DocumentRef:
        """The day-close slip (日结单) of a close or amendment record, archived once."""
        number, day, pdf = self._render_day_close(close_id, check_existing=True)
        if pdf is None:
            with self._ws.db.reader() as s:
                existing = self._existing(s, "day_close", number, "a4")
            assert existing is not None
            return existing
        return self._archive("day_close", "a4", number, close_id, day, pdf)

    def _source_missing(self, kind: str, ref: object) -> RuleViolation:
        return RuleViolation([error("document.source_not_found", "document", kind=kind, ref=ref)])

    def _existing(self, s: Session, kind: str, number: str, variant: str) -> DocumentRef | None:
        row = s.scalar(
            select(ArchivedDocument).where(
                ArchivedDocument.kind == kind,
                ArchivedDocument.number == number,
                ArchivedDocument.variant == variant,
            )
        )
        return self._ref(row) if row else None

    def _relative_path(self, kind: str, number: str, variant: str, day: dt.date) -> str:
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in number)
        return f"{kind}/{day:%Y/%m/%d}/{safe}-{variant}.pdf"

    def _archive(
        self,
        kind: str,
        variant: str,
        number: str,
        object_id: uuid.UUID,
        day: dt.date,
        pdf: bytes,
    ) -> DocumentRef:
        relative = self._relative_path(kind, number, variant, day)
        try:
            _write_atomically(self.archive_dir / relative, pdf)
        except OSError as exc:
            raise RuleViolation(
                [error("document.archive_unwritable", "document", detail=exc.strerror or str(exc))]
            ) from exc
        try:
            with self._ws.db.unit_of_work() as uow:
                row = ArchivedDocument(
                    kind=kind,
                    variant=variant,
                    number=number,
                    object_id=object_id,
                    relative_path=relative,
                    sha256=hashlib.sha256(pdf).hexdigest(),
                    size_bytes=len(pdf),
                    created_at=self._now(),
                )
                uow.session.add(row)
                uow.commit()
                return self._ref(row)
        except IntegrityError:
            # Another window archived it first; theirs is the record (same content).
            with self._ws.db.reader() as s:
                existing = self._existing(s, kind, number, variant)
            if existing is None:  # pragma: no cover - the constraint said it exists
                raise
            return existing

    def _ref(self, row: ArchivedDocument) -> DocumentRef:
        return DocumentRef(
            row.id,
            row.kind,
            row.variant,
            row.number,
            row.object_id,
            self.archive_dir / row.relative_path,
            row.sha256,
            row.size_bytes,
            row.created_at,
            row.printed_at,
            row.print_count,
            row.last_print_error,
        )

    # -- reading ------------------------------------------------------------------------
    def document(self, document_id: uuid.UUID) -> DocumentRef:
        with self._ws.db.reader() as s:
            row = s.get(ArchivedDocument, document_id)
            if row is None:
                raise RuleViolation([error("document.not_found", "document")])
            return self._ref(row)

    def read_pdf(self, document_id: uuid.UUID) -> bytes:
        """The archived bytes, checked against the recorded digest before anyone prints them."""
        ref = self.document(document_id)
        try:
            data = ref.path.read_bytes()
        except FileNotFoundError:
            raise RuleViolation(
                [
                    error(
                        "document.file_missing",
                        "document",
                        kind=ref.kind_name,
                        number=ref.number,
                        path=str(ref.path),
                    )
                ]
            ) from None
        if hashlib.sha256(data).hexdigest() != ref.sha256:
            raise RuleViolation(
                [error("document.file_changed", "document", kind=ref.kind_name, number=ref.number)]
            )
        return data

    def documents_of_slip(self, slip_id: uuid.UUID) -> list[DocumentRef]:
        with self._ws.db.reader() as s:
            ids = {slip_id, *s.scalars(select(Receipt.id).where(Receipt.slip_id == slip_id))}
            ids |= set(
                s.scalars(
                    select(WarrantyCard.id)
                    .join(SlipItem, SlipItem.id == WarrantyCard.slip_item_id)
                    .where(SlipItem.slip_id == slip_id)
                )
            )
            return self._documents_for(s, ids)

    def documents_of_visit(self, visit_id: uuid.UUID) -> list[DocumentRef]:
        """Every document of a visit — sale, voids, refunds, cards — for the history/retry."""
        with self._ws.db.reader() as s:
            slip_ids = set(s.scalars(select(Slip.id).where(Slip.visit_id == visit_id)))
            ids = set(slip_ids)
            if slip_ids:
                ids |= set(s.scalars(select(Receipt.id).where(Receipt.slip_id.in_(slip_ids))))
                ids |= set(
                    s.scalars(
                        select(WarrantyCard.id)
                        .join(SlipItem, SlipItem.id == WarrantyCard.slip_item_id)
                        .where(SlipItem.slip_id.in_(slip_ids))
                    )
                )
            return self._documents_for(s, ids)

    def _documents_for(self, s: Session, object_ids: set[uuid.UUID]) -> list[DocumentRef]:
        if not object_ids:
            return []
        rows = s.scalars(
            select(ArchivedDocument)
            .where(ArchivedDocument.object_id.in_(object_ids))
            .order_by(ArchivedDocument.created_at, ArchivedDocument.kind, ArchivedDocument.variant)
        )
        return [self._ref(row) for row in rows]

    def documents_needing_print(self, limit: int = 200) -> list[DocumentRef]:
        """Never printed or last print failed, newest first (the retry list)."""
        with self._ws.db.reader() as s:
            rows = s.scalars(
                select(ArchivedDocument)
                .where(
                    (ArchivedDocument.print_count == 0)
                    | ArchivedDocument.last_print_error.is_not(None)
                )
                .order_by(ArchivedDocument.created_at.desc())
                .limit(limit)
            )
            return [self._ref(row) for row in rows]


def _write_atomically(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, rename over, fsync the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    if os.name == "posix":
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
