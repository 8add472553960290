"""The one-stop visit (一台清 / 一单清 / 免填单): open → verify → businesses → pay → settle.

Application layer: each public method is one unit of work. The visit's draft slip is
kept on the visit row (JSON), so a suspended visit, a crash or a restart loses nothing
the clerk entered; only :meth:`IntakeService.settle` turns it into settled records —
slip, items, payments, receipt (with its gapless number), visit event, audit entry
and their outbox rows — in a single transaction, so a settled slip is always whole.

The service is one class made of parts, one module each (see docs/decisions.md,
"Splitting the intake, documents and warranty services"):

- :mod:`.lifecycle` — open, suspend, resume, cancel, the suspended list, the visit view;
- :mod:`.items` — add / remove a business, waive a fee, guardian and anti-fraud notice;
- :mod:`.judging` — the ID steps and preconditions a business must pass;
- :mod:`.settle` — payments and the settle transaction;
- :mod:`.base` — the shared helpers; :mod:`.views` — the frozen results the GUI reads;
  :mod:`.messages` — the message codes and labels.
"""

from __future__ import annotations

from .items import BusinessItems
from .lifecycle import VisitLifecycle
from .messages import (
    FRAUD_NOTICE_EFFECTS,
    FRAUD_NOTICE_METHODS,
    GUARDIAN_MIN_AGE,
    GUARDIAN_RELATIONSHIPS,
    STEP_LABELS,
)
from .settle import PaymentsAndSettle
from .views import ItemView, SettledSlip, SuspendedVisit, VisitView, customer_state

__all__ = [
    "FRAUD_NOTICE_EFFECTS",
    "FRAUD_NOTICE_METHODS",
    "GUARDIAN_MIN_AGE",
    "GUARDIAN_RELATIONSHIPS",
    "STEP_LABELS",
    "IntakeService",
    "ItemView",
    "SettledSlip",
    "SuspendedVisit",
    "VisitView",
    "customer_state",
]


class IntakeService(VisitLifecycle, BusinessItems, PaymentsAndSettle):
    """The counter's intake: one instance per workstation, one unit of work per call."""
