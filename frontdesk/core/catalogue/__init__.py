"""The business catalogue (业务目录) as data: models, loader, cross-checks and search.

Head office is the source of record for the catalogue (DOMAIN.md): which businesses
the counter offers, their form fields, ID steps, who may do them (本人 / 代办 /
单位经办人, prepaid / postpaid — seed 000's matrix), preconditions, fees, SLA minutes,
customer tiers, plans, warranty periods and complaint deadlines. The shipped demo copy
is ``resources/catalogue/catalogue.json``; its schema is described in the README beside
it. A catalogue that breaks a rule is refused as a whole with a :class:`CatalogueError`
naming the file, the entry and the reason — the counter keeps the catalogue it had.

The package is split along its seams; every name stays importable from
``frontdesk.core.catalogue``:

* :mod:`.schema` — the closed lists the catalogue may name (rules, effects, steps);
* :mod:`.model` — the typed, frozen models and their look-ups;
* :mod:`.search` — pinyin spellings and the ranking of what the clerk typed;
* :mod:`.loading` — reading the file, :class:`CatalogueError`, the digest;
* :mod:`.checks` — the cross-checks a catalogue must pass as a whole.
"""

from __future__ import annotations

from frontdesk.core.catalogue.loading import (
    CatalogueError,
    default_catalogue_path,
    load_catalogue,
    parse_catalogue,
)
from frontdesk.core.catalogue.model import (
    Business,
    Catalogue,
    ComplaintRule,
    HandlingClass,
    Plan,
    Precondition,
    Tier,
    WarrantyPeriod,
)
from frontdesk.core.catalogue.model import Deadline as Deadline
from frontdesk.core.catalogue.model import ServiceClock as ServiceClock
from frontdesk.core.catalogue.model import Sla as Sla
from frontdesk.core.catalogue.model import WaitingMinutes as WaitingMinutes
from frontdesk.core.catalogue.schema import (
    ACCOUNT_EFFECTS,
    ID_STEPS,
    LINE_PRECONDITION_RULES,
    LINE_STATUSES,
    PRECONDITION_RULES,
)
from frontdesk.core.catalogue.schema import LINE_EFFECTS as LINE_EFFECTS
from frontdesk.core.catalogue.schema import (
    PRECONDITION_OPTIONAL_PARAMS as PRECONDITION_OPTIONAL_PARAMS,
)
from frontdesk.core.catalogue.schema import SCHEMA_VERSION as SCHEMA_VERSION
from frontdesk.core.catalogue.schema import AccountEffect as AccountEffect
from frontdesk.core.catalogue.schema import Category as Category
from frontdesk.core.catalogue.schema import Party as Party
from frontdesk.core.catalogue.schema import PaymentMode as PaymentMode

__all__ = [
    "ACCOUNT_EFFECTS",
    "ID_STEPS",
    "LINE_PRECONDITION_RULES",
    "LINE_STATUSES",
    "PRECONDITION_RULES",
    "Business",
    "Catalogue",
    "CatalogueError",
    "ComplaintRule",
    "HandlingClass",
    "Plan",
    "Precondition",
    "Tier",
    "WarrantyPeriod",
    "default_catalogue_path",
    "load_catalogue",
    "parse_catalogue",
]
