"""Table models of the slip being built: its businesses and its payments (一单清).

Real ``QAbstractTableModel``s (STYLE.md) over the rows of the last
:class:`~frontdesk.services.intake.VisitView`; the window replaces the rows after
every change, the views keep their selection where the row still exists.
"""

from __future__ import annotations

from typing import Any

from ..core.intake import METHOD_LABELS
from ..core.money import format_fen
from .i18n import current_language, translate
from .qt import QT_TRANSLATE_NOOP
from .table_model import RowsTableModel


class _RowsModel(RowsTableModel):
    context = "SlipModel"


class SlipItemsModel(_RowsModel):
    """Businesses on the slip: name, number served, amount, note (VIP free, waived)."""

    headers = (
        QT_TRANSLATE_NOOP("SlipModel", "业务"),
        QT_TRANSLATE_NOOP("SlipModel", "号码"),
        QT_TRANSLATE_NOOP("SlipModel", "金额"),
        QT_TRANSLATE_NOOP("SlipModel", "备注"),
    )

    def cell(self, row: Any, column: int) -> str:
        if column == 0:
            english = getattr(row, "business_name_en", "")
            return english if english and current_language() != "zh" else row.business_name
        if column == 1:
            return row.service_number or ""
        if column == 2:
            return format_fen(row.fee_fen)
        if row.waived and row.list_fee_fen != row.fee_fen:
            return translate("SlipModel", "原价 {fee}，已减免").format(
                fee=format_fen(row.list_fee_fen)
            )
        return ""

    def is_money(self, column: int) -> bool:
        return column == 2


class PaymentsModel(_RowsModel):
    """Payments taken so far: method, amount applied, tendered, change, reference."""

    headers = (
        QT_TRANSLATE_NOOP("SlipModel", "支付方式"),
        QT_TRANSLATE_NOOP("SlipModel", "金额"),
        QT_TRANSLATE_NOOP("SlipModel", "实收"),
        QT_TRANSLATE_NOOP("SlipModel", "找零"),
        QT_TRANSLATE_NOOP("SlipModel", "参考号"),
    )

    def cell(self, row: Any, column: int) -> str:
        if column == 0:
            labels = METHOD_LABELS.get(row.method, (row.method, row.method))
            return labels[0] if current_language() == "zh" else labels[1]
        if column == 1:
            return format_fen(row.amount_fen)
        if column == 2:
            return format_fen(row.tendered_fen)
        if column == 3:
            return format_fen(row.change_fen) if row.change_fen else ""
        return row.reference or row.balance_number or ""

    def is_money(self, column: int) -> bool:
        return column in (1, 2, 3)
