"""Identity documents (身份证件): numbers, check characters, validity and masking.

Rules and their sources (DOMAIN.md "Rules from law and standards"):

* 居民身份证 number, GB 11643-1999: 6-digit GB/T 2260 address code + birth date
  YYYYMMDD + 3-digit sequence (odd = male) + ISO 7064 MOD 11-2 check character.
  The 15-digit numbers of GB 11643-1989 (YYMMDD, no check) are still *parsed* and are
  upgraded to 18 digits by :func:`normalise_number`, so the same person is found either
  way; as a document presented today a 15-digit card is refused (``id.legacy_15``).
* Card validity, 居民身份证法 Art. 5: under 16 at issue → 5 years, 16–25 → 10,
  26–45 → 20, 46 and over → 长期. A 临时居民身份证 is valid 3 months, a 港澳台居民居住证
  5 years. A validity that does not fit is a *warning* (the card is what it is; the clerk
  looks again), an expired or not-yet-valid document is an *error*.
* Address codes missing from the GB/T 2260 table are a *warning*: abolished counties'
  codes stay in old numbers and the table may lag behind new ones.

Nothing here puts a full ID number into an exception, a log or a message parameter;
messages carry :func:`mask_id_number` output at most.

The rules are split by document family; this package keeps every name importable from
``frontdesk.core.ids`` as before:

* :mod:`.model` — document types, the document record, field labels;
* :mod:`.resident` — 公民身份号码: GB 11643 check, parsing, 15 → 18 upgrade;
* :mod:`.permits` — permits, residence permits, foreigner cards, passports (ICAO 9303);
* :mod:`.credit` — 统一社会信用代码 (GB 32100, GB 11714);
* :mod:`.validity` — ages and validity periods (居民身份证法 Art. 5);
* :mod:`.documents` — :func:`check_document`, every rule for one document;
* :mod:`.masking` — masks for screens and paper.
"""

from __future__ import annotations

from frontdesk.core.ids.credit import check_credit_code
from frontdesk.core.ids.credit import credit_check_char as credit_check_char
from frontdesk.core.ids.credit import org_code_check_char as org_code_check_char
from frontdesk.core.ids.documents import check_document
from frontdesk.core.ids.masking import mask_id_number, mask_name, mask_phone
from frontdesk.core.ids.model import DOC_TYPE_LABELS as DOC_TYPE_LABELS
from frontdesk.core.ids.model import (
    DocType,
    IdentityDocument,
    ResidentIdNumber,
    define_prefixed_fields,
)
from frontdesk.core.ids.permits import icao_check_digit
from frontdesk.core.ids.resident import mod11_2_check, normalise_number, parse_resident_id
from frontdesk.core.ids.validity import age_on, check_min_age
from frontdesk.core.ids.validity import (
    resident_id_validity_years as resident_id_validity_years,
)

__all__ = [
    "DocType",
    "IdentityDocument",
    "ResidentIdNumber",
    "age_on",
    "check_credit_code",
    "check_document",
    "check_min_age",
    "define_prefixed_fields",
    "icao_check_digit",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "mod11_2_check",
    "normalise_number",
    "parse_resident_id",
]
