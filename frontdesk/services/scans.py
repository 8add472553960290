"""Viewing and exporting a retained document copy (复印留存), watermarked and audited.

MIIT Order 25: a retained copy of an ID document is annotated with the operator's name,
the purpose and the date. Scans are stored sealed (``DocumentScan.ciphertext``) and are
never handed out as they are: every rendering — on screen or exported — is a PDF made
here, the scan drawn on it and the annotation written across it (tiled, diagonal, over
the image) and under it, so no copy exists without the annotation. Only a manager may
render one, a purpose is required, and each view or export is an audit entry naming the
scan, the purpose and the operator (never the person's number).
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from ..core.clock import business_date, local_time
from ..core.messages import RuleViolation, define, define_field, error
from ..store import audit
from ..store.crypto import sealed_at
from ..store.models import DocumentScan, IdVerification
from .auth import StaffSession
from .workstation import Workstation

define_field("scan_purpose", zh="用途", en="Purpose")
define(
    "scan.manager_only",
    zh="查看或导出留存证件仅限值班经理，请经理登录后操作。",
    en="Only a manager may view or export a retained document; please ask a manager to sign in.",
)
define(
    "scan.purpose_required",
    zh="请填写查看或导出留存证件的用途（如：资料稽核）。",
    en="Please give the purpose of viewing or exporting the retained document (e.g. audit).",
)
define(
    "scan.not_found",
    zh="未找到该留存证件，请刷新列表后重试。",
    en="That retained document was not found; please refresh the list and try again.",
)
define(
    "scan.purged",
    zh="该留存证件已按保存期限清除（{purged_on}），无法查看。",
    en="That retained document was purged at the end of its retention period ({purged_on}).",
)
define(
    "scan.unreadable",
    zh="留存证件的图像无法读取（文件已损坏或格式不支持），请联系 IT 人员。",
    en="The retained document's image cannot be read (damaged or unsupported); please call IT.",
)

PURPOSE_MAX = 60
PAGE_W, PAGE_H = 595.27, 841.89  # A4 in points


@dataclass(frozen=True)
class ScanRow:
    """One retained copy as the manager's list shows it (masked, never the number)."""

    scan_id: uuid.UUID
    created_at: dt.datetime
    kind: str
    party: str
    name: str
    id_masked: str
    purged: bool


@dataclass(frozen=True)
class RenderedScan:
    scan_id: uuid.UUID
    pdf: bytes
    watermark: str  # the annotation drawn on every page
    path: Path | None = None


def _page_images(data: bytes, mime: str) -> list[object]:
    """The scan as Pillow images (one per page); raises ``scan.unreadable``."""
    from PIL import Image, UnidentifiedImageError

    if mime == "application/pdf":
        import pypdfium2 as pdfium

        try:
            doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise RuleViolation([error("scan.unreadable", "scan")]) from exc
        try:
            return [doc[i].render(scale=2).to_pil().convert("RGB") for i in range(len(doc))]
        finally:
            doc.close()
    try:
        image = Image.open(io.BytesIO(data))
        pages = []
        for index in range(getattr(image, "n_frames", 1)):  # multi-page TIFF
            image.seek(index)
            pages.append(image.convert("RGB"))
    except (UnidentifiedImageError, OSError, ValueError, EOFError) as exc:
        raise RuleViolation([error("scan.unreadable", "scan")]) from exc
    return pages


class ScanService:
    def __init__(self, ws: Workstation) -> None:
        self._ws = ws

    @staticmethod
    def _require_manager(staff: StaffSession) -> None:
        if not staff.is_manager:
            raise RuleViolation([error("scan.manager_only", "scan")])

    def list_scans(self, staff: StaffSession, day: dt.date) -> list[ScanRow]:
        """The copies retained on ``day`` (branch time), newest first; audited as a view."""
        self._require_manager(staff)
        start = dt.datetime.combine(day, dt.time(), tzinfo=local_time(self._ws.clock.now()).tzinfo)
        with self._ws.db.unit_of_work() as uow:
            s = uow.session
            rows = s.execute(
                select(DocumentScan, IdVerification)
                .join(IdVerification, IdVerification.id == DocumentScan.verification_id)
                .where(
                    DocumentScan.created_at >= start,
                    DocumentScan.created_at < start + dt.timedelta(days=1),
                )
                .order_by(DocumentScan.created_at.desc())
            ).all()
            found = [
                ScanRow(
                    scan.id,
                    scan.created_at,
                    scan.kind,
                    ver.party,
                    ver.name,
                    ver.id_masked,
                    scan.ciphertext is None,
                )
                for scan, ver in rows
            ]
            audit.record(
                s,
                actor_id=staff.staff_id,
                action="scan.list",
                object_type="document_scan",
                detail={"day": day.isoformat(), "count": len(found)},
            )
            uow.commit()
        return found

    def render(self, staff: StaffSession, scan_id: uuid.UUID, purpose: str) -> RenderedScan:
        """The watermarked PDF of a retained copy, for the screen (audited ``scan.view``)."""
        return self._render(staff, scan_id, purpose, "scan.view", None)

    def export(
        self, staff: StaffSession, scan_id: uuid.UUID, purpose: str, path: Path | str
    ) -> RenderedScan:
        """Write the watermarked PDF to ``path`` (audited ``scan.export``)."""
        return self._render(staff, scan_id, purpose, "scan.export", Path(path))

    def _render(
        self,
        staff: StaffSession,
        scan_id: uuid.UUID,
        purpose: str,
        action: str,
        path: Path | None,
    ) -> RenderedScan:
        self._require_manager(staff)
        purpose = " ".join(purpose.split())[:PURPOSE_MAX]
        if not purpose:
            raise RuleViolation([error("scan.purpose_required", "scan_purpose")])
        with self._ws.db.reader() as s:
            scan = s.get(DocumentScan, scan_id)
            if scan is None:
                raise RuleViolation([error("scan.not_found", "scan")])
            if scan.ciphertext is None:
                purged_on = business_date(scan.purged_at) if scan.purged_at else "-"
                raise RuleViolation([error("scan.purged", "scan", purged_on=purged_on)])
            data = self._ws.vault.open(
                scan.ciphertext, sealed_at("document_scan", "ciphertext", scan.id)
            )
            mime = scan.mime_type
        now = self._ws.clock.now()
        mark = (
            f"仅供{purpose}使用  经办人：{staff.display_name}  "
            f"{local_time(now):%Y-%m-%d %H:%M}  {self._ws.identity.branch_code}"
        )
        pdf = self._pdf(_page_images(data, mime), mark)
        if path is not None:
            path.write_bytes(pdf)
        with self._ws.db.unit_of_work() as uow:
            audit.record(
                uow.session,
                actor_id=staff.staff_id,
                action=action,
                object_type="document_scan",
                object_id=scan_id,
                detail={
                    "purpose": purpose,
                    "operator": staff.display_name,
                    "exported": path is not None,
                },
            )
            uow.commit()
        return RenderedScan(scan_id, pdf, mark, path)

    def _pdf(self, pages: list[object], mark: str) -> bytes:
        from reportlab.lib import colors
        from reportlab.lib.utils import ImageReader
        from reportlab.pdfgen.canvas import Canvas

        from ..printing.common import draw_text
        from ..printing.fonts import load_font_set

        fonts = load_font_set(None, self._ws.data_dir)
        out = io.BytesIO()
        canvas = Canvas(out, pagesize=(PAGE_W, PAGE_H))
        canvas.setTitle("留存证件复印件")
        margin = 40.0
        red = colors.Color(0.75, 0.1, 0.1)
        for image in pages:
            w, h = image.size  # type: ignore[attr-defined]
            box_w, box_h = PAGE_W - 2 * margin, PAGE_H - 2 * margin - 60
            scale = min(box_w / w, box_h / h)
            dw, dh = w * scale, h * scale
            x0, y0 = (PAGE_W - dw) / 2, PAGE_H - margin - 20 - dh
            draw_text(canvas, fonts, margin, PAGE_H - margin, "留存证件复印件（复印留存）", 12)
            canvas.drawImage(ImageReader(image), x0, y0, dw, dh)
            # the annotation across the image: diagonal, tiled, so no crop removes it
            canvas.saveState()
            path = canvas.beginPath()
            path.rect(x0, y0, dw, dh)
            canvas.clipPath(path, stroke=0, fill=0)
            canvas.setFillAlpha(0.35)
            canvas.translate(x0 + dw / 2, y0 + dh / 2)
            canvas.rotate(30)
            size = 14.0
            step = size * 3.2
            span = int((dw + dh) / step) + 2
            for row in range(-span, span + 1):
                draw_text(canvas, fonts, 0, row * step, mark, size, align="center", color=red)
            canvas.restoreState()
            draw_text(canvas, fonts, margin, y0 - 24, mark, 11, color=red)
            canvas.showPage()
        canvas.save()
        return out.getvalue()
