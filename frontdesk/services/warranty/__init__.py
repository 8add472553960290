"""Warranty cards (保修卡 / 三包凭证) for handsets and data cards sold at the counter.

A terminal sale is a business on the slip like any other; this package is its one rule
module (SPEC §5): before the sale goes on the slip, the serial must be free (sold before
only if that card was closed: returned, exchanged or voided), the warranty card's S/N
barcode must agree with the device, and the invoice or access agreement — its own data,
typed from the paper or read from the invoice's QR code — must agree with the card; when
the slip settles, the card is issued in the same transaction (so it syncs like every
record). After-sales look-up and the 三包 events (repair, loan phone, return, exchange)
are here too; a return refunds the sale item and frees the serial atomically, and a
void of the sale closes its cards in the void's transaction (:func:`void_cards`).

:mod:`.cards` holds the functions other services call inside their own transactions
(intake's add and settle, corrections); :mod:`.service` is the after-sales service.
"""

from __future__ import annotations

from ..warranty_cards import (
    card_from_fields,
    device_label_problems,
    issue_cards,
    open_cards_of_items,
    periods_for,
    read_invoice_qr,
    refund_problems,
    sale_problems,
    unreturned_card,
    void_cards,
)
from .service import CardView, WarrantyService

__all__ = [
    "CardView",
    "WarrantyService",
    "card_from_fields",
    "device_label_problems",
    "issue_cards",
    "open_cards_of_items",
    "periods_for",
    "read_invoice_qr",
    "refund_problems",
    "sale_problems",
    "unreturned_card",
    "void_cards",
]
