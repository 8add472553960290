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
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core.clock import business_date, local_time
from ..core.messages import RuleViolation, define, define_field, error
from ..core.money import format_fen
from ..printing.fonts import FontSet, load_font_set
from ..printing.receipt import render_receipt
from ..printing.slip import render_slip
from ..printing.stamp import find_stamp
from ..printing.views import (
    BranchInfo,
    WarrantyCardData,
    receipt_data,
    slip_data,
    warranty_card_data,
)
from ..printing.warranty import render_warranty_card
from ..store import audit
from ..store.models import (
    ArchivedDocument,
    Receipt,
    Slip,
    SlipItem,
    SlipSignature,
    WarrantyCard,
)
from .auth import StaffSession
from .workstation import Workstation

__all__ = [
    "KIND_NAMES",
    "RECEIPT_VARIANTS",
    "SIGNING_METHODS",
    "DocumentRef",
    "DocumentService",
]

KIND_NAMES = {"slip": "业务受理单", "receipt": "收据", "warranty_card": "保修卡"}
KIND_NAMES["day_close"] = "日结单"
RECEIPT_VARIANTS = ("a4", "thermal80")
SIGNING_METHODS = ("paper", "pad", "second_screen")
MAX_SIGNATURE_BYTES = 2 * 1024 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

define_field("document", zh="单据", en="document")
define_field("signature", zh="客户签名", en="customer signature")
define_field("receipt.variant", zh="收据版式", en="receipt layout")
define_field("printer", zh="打印机", en="printer")

define(
    "document.not_found",
    zh="找不到该单据的存档记录，请刷新接待记录后重试。",
    en="The archived document was not found; please refresh the visit history and try again.",
)
define(
    "document.source_not_found",
    zh="找不到{kind}（{ref}），无法生成单据，请核对后重试。",
    en="The {kind} ({ref}) was not found, so its document can't be made; please check it.",
)
define(
    "document.file_missing",
    zh="{kind} {number} 的存档文件不见了（{path}），请联系 IT 从备份恢复存档目录。",
    en="The archive file of {kind} {number} is missing ({path}); ask IT to restore the "
    "archive folder from a backup.",
)
define(
    "document.file_changed",
    zh="{kind} {number} 的存档文件与登记的校验值不符，可能已被改动，已停止打印。请联系 IT 核查。",
    en="The archive file of {kind} {number} no longer matches its recorded digest and may "
    "have been altered; printing stopped. Please ask IT to check it.",
)
define(
    "document.variant",
    zh="收据版式“{variant}”不存在，请选择 A4 或 80mm 热敏。",
    en="There is no receipt layout “{variant}”; choose A4 or 80 mm thermal.",
)
define(
    "document.archive_unwritable",
    zh="单据无法写入存档目录（{detail}）。业务已办理成功，不受影响；请检查磁盘空间后在接待记录中重新生成。",
    en="The document could not be written to the archive ({detail}). The business itself is "
    "settled and safe; check the disk space and regenerate it from the visit history.",
)
define(
    "signature.method",
    zh="签名方式“{method}”无效，请选择纸质签字、签名板或客户屏签名。",
    en="Signing method “{method}” is unknown; choose paper, signature pad or second screen.",
)
define(
    "signature.image_required",
    zh="电子签名（签名板或客户屏）必须附带签名图像，请让客户重新签名。",
    en="A paperless signature (pad or second screen) needs the signature image; "
    "please ask the customer to sign again.",
)
define(
    "signature.image_invalid",
    zh="签名图像无效（须为不超过 2 MB 的 PNG 图片），请让客户重新签名。",
    en="The signature image is not valid (a PNG of at most 2 MB is needed); "
    "please ask the customer to sign again.",
)
define(
    "signature.signer",
    zh="签名人只能是客户本人或经办人。",
    en="The signer must be the customer or the agent.",
)


@dataclass(frozen=True)
class DocumentRef:
    """One archived PDF as the GUI lists it (visit history, retry list)."""

    document_id: uuid.UUID
    kind: str  # slip | receipt | warranty_card
    variant: str  # a4 | thermal80 | a4-signed | <variant>-r<n> for 补打 copies
    number: str
    object_id: uuid.UUID
    path: Path
    sha256: str
    size_bytes: int
    created_at: dt.datetime
    printed_at: dt.datetime | None
    print_count: int
    last_print_error: str | None

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind)

    @property
    def is_reprint(self) -> bool:
        return "-r" in self.variant

    @property
    def layout(self) -> str:
        """The page layout (``a4`` or ``thermal80``) whatever the copy: picks the printer."""
        return self.variant.split("-", 1)[0]

    @property
    def needs_printing(self) -> bool:
        """Never printed, or the last attempt failed: offered for retry."""
        return self.print_count == 0 or self.last_print_error is not None


class DocumentService:
    """Renders, archives and keeps the print record of a workstation's documents."""

    def __init__(self, ws: Workstation, *, font_path: Path | str | None = None) -> None:
        self._ws = ws
        self._font_path = font_path
        self._fonts: FontSet | None = None

    # -- basics -----------------------------------------------------------------------
    @property
    def fonts(self) -> FontSet:
        """The embedded CJK font (loaded on first use; see :mod:`frontdesk.printing.fonts`)."""
        if self._fonts is None:
            self._fonts = load_font_set(self._font_path, self._ws.data_dir)
        return self._fonts

    @property
    def archive_dir(self) -> Path:
        return self._ws.archive_dir

    def branch(self) -> BranchInfo:
        w = self._ws.config.workstation
        return BranchInfo(
            w.branch_code,
            w.branch_name,
            w.workstation_code,
            w.branch_address,
            w.branch_phone,
            w.branch_postcode,
        )

    def _now(self) -> dt.datetime:
        return self._ws.clock.now()

    # -- pure rendering (no archive) ----------------------------------------------------
    def render_warranty_card(self, data: WarrantyCardData) -> bytes:
        """A warranty card from plain data (the after-sales issue supplies the data)."""
        return render_warranty_card(data, self.fonts)

    def render_slip(self, slip_id: uuid.UUID, *, reprint_at: dt.datetime | None = None) -> bytes:
        with self._ws.db.reader() as s:
            data = slip_data(s, slip_id, self._ws.catalogue, self.branch(), reprint_at=reprint_at)
        return render_slip(data, self.fonts)

    def render_receipt(
        self,
        receipt_id: uuid.UUID,
        variant: str = "a4",
        *,
        reprint_at: dt.datetime | None = None,
    ) -> bytes:
        self._check_variant(variant)
        with self._ws.db.reader() as s:
            data = receipt_data(s, receipt_id, self.branch(), reprint_at=reprint_at)
        return render_receipt(data, self.fonts, variant)

    def _render_card(self, card_id: uuid.UUID, *, reprint_at: dt.datetime | None = None) -> bytes:
        branch = self.branch()
        stamp = find_stamp(branch.code, self._ws.data_dir)
        with self._ws.db.reader() as s:
            data = warranty_card_data(
                s, card_id, self._ws.catalogue, branch, stamp_png=stamp, reprint_at=reprint_at
            )
        return render_warranty_card(data, self.fonts)

    @staticmethod
    def _check_variant(variant: str) -> None:
        if variant not in RECEIPT_VARIANTS:
            raise RuleViolation([error("document.variant", "receipt.variant", variant=variant)])

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

    def _render_day_close(
        self,
        close_id: uuid.UUID,
        *,
        reprint_at: dt.datetime | None = None,
        check_existing: bool = False,
    ) -> tuple[str, dt.date, bytes | None]:
        """(number, business day, PDF); no PDF when ``check_existing`` finds it archived."""
        from ..core.reports import method_label
        from ..printing.day_close import DayCloseData, render_day_close
        from ..store.models import DayClose, Staff

        with self._ws.db.reader() as s:
            row = s.get(DayClose, close_id)
            if row is None:
                raise self._source_missing("日结单", close_id)
            number = f"RJ{row.workstation_code}{row.business_date:%Y%m%d}" + (
                "" if row.kind == "close" else f"-G{row.seq}"
            )
            if check_existing and self._existing(s, "day_close", number, "a4") is not None:
                return number, row.business_date, None
            names = {r[0]: r[1] for r in s.execute(select(Staff.id, Staff.display_name))}
            figures = row.figures
            data = DayCloseData(
                branch=self.branch(),
                number=number,
                day=row.business_date,
                kind=row.kind,
                seq=row.seq,
                closed_at=local_time(row.closed_at),
                expected=tuple(
                    (method_label(m), int(v)) for m, v in row.expected_by_method.items()
                ),
                takings_fen=int(figures.get("takings_fen", 0)),
                counted_cash_fen=row.counted_cash_fen,
                difference_fen=row.difference_fen,
                reason=row.difference_reason,
                terminals=tuple(
                    (
                        method_label(m),
                        int(v["expected_fen"]),
                        int(v["terminal_fen"]),
                        int(v["difference_fen"]),
                    )
                    for m, v in (figures.get("terminals") or {}).items()
                ),
                receipts=(
                    f"{figures.get('first_receipt_no')} … {figures.get('last_receipt_no')}"
                    f"（{figures.get('receipts')} 张）"
                    if figures.get("receipts")
                    else "当日无收据"
                ),
                corrections=tuple(
                    f"{'作废' if c['kind'] == 'void' else '退款'} {c['slip_no']} "
                    f"{format_fen(int(c['amount_fen']))}"
                    for c in figures.get("corrections") or ()
                ),
                clerk=names.get(row.clerk_id, ""),
                manager=names.get(row.manager_id, ""),
                reprint_at=local_time(reprint_at) if reprint_at else None,
            )
            day = row.business_date
        return number, day, render_day_close(data, self.fonts)

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
