"""Rendering a workstation's documents from the database, without archiving them:
slip, receipt, warranty card, day-close sheet (fonts and branch letterhead included)."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from sqlalchemy import select

from ...core.clock import local_time
from ...core.messages import RuleViolation, error
from ...core.money import format_fen
from ...printing.fonts import FontSet, load_font_set
from ...printing.receipt import render_receipt
from ...printing.slip import render_slip
from ...printing.stamp import find_stamp
from ...printing.views import (
    BranchInfo,
    WarrantyCardData,
    receipt_data,
    slip_data,
    warranty_card_data,
)
from ...printing.warranty import render_warranty_card
from ..workstation import Workstation
from .refs import RECEIPT_VARIANTS


class DocumentRendering:
    """The workstation, its fonts and letterhead, and the pure renderers."""

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

    def _render_day_close(
        self,
        close_id: uuid.UUID,
        *,
        reprint_at: dt.datetime | None = None,
        check_existing: bool = False,
    ) -> tuple[str, dt.date, bytes | None]:
        """(number, business day, PDF); no PDF when ``check_existing`` finds it archived."""
        from ...core.reports import method_label
        from ...printing.day_close import DayCloseData, render_day_close
        from ...store.models import DayClose, Staff

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
