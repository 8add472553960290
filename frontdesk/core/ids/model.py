"""Document types, the document record, field labels and helpers every ids module uses.

Nothing here puts a full ID number into an exception, a log or a message parameter.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Literal

from frontdesk.core.messages import Language, define_field

# --------------------------------------------------------------------------- types


class DocType(enum.StrEnum):
    """Document types accepted at the counter (SPEC §2)."""

    RESIDENT_ID = "resident_id"  # 居民身份证
    TEMP_RESIDENT_ID = "temp_resident_id"  # 临时居民身份证
    HK_MACAO_PERMIT = "hk_macao_permit"  # 港澳居民来往内地通行证 (回乡证)
    TAIWAN_PERMIT = "taiwan_permit"  # 台湾居民来往大陆通行证 (台胞证)
    HMT_RESIDENCE_PERMIT = "hmt_residence_permit"  # 港澳台居民居住证
    FOREIGN_PERMANENT_RESIDENT = "foreign_permanent_resident"  # 外国人永久居留身份证
    PASSPORT = "passport"  # 护照
    UNIFIED_SOCIAL_CREDIT_CODE = "unified_social_credit_code"  # 统一社会信用代码 (units)

    def label(self, language: Language = "zh") -> str:
        return DOC_TYPE_LABELS[self][language]


DOC_TYPE_LABELS: dict[DocType, dict[Language, str]] = {
    DocType.RESIDENT_ID: {"zh": "居民身份证", "en": "Resident Identity Card"},
    DocType.TEMP_RESIDENT_ID: {"zh": "临时居民身份证", "en": "Temporary Resident Identity Card"},
    DocType.HK_MACAO_PERMIT: {
        "zh": "港澳居民来往内地通行证",
        "en": "Mainland Travel Permit for Hong Kong and Macao Residents",
    },
    DocType.TAIWAN_PERMIT: {
        "zh": "台湾居民来往大陆通行证",
        "en": "Mainland Travel Permit for Taiwan Residents",
    },
    DocType.HMT_RESIDENCE_PERMIT: {
        "zh": "港澳台居民居住证",
        "en": "Residence Permit for Hong Kong, Macao and Taiwan Residents",
    },
    DocType.FOREIGN_PERMANENT_RESIDENT: {
        "zh": "外国人永久居留身份证",
        "en": "Foreign Permanent Resident ID Card",
    },
    DocType.PASSPORT: {"zh": "护照", "en": "passport"},
    DocType.UNIFIED_SOCIAL_CREDIT_CODE: {
        "zh": "统一社会信用代码",
        "en": "unified social credit code",
    },
}


@dataclass(frozen=True)
class IdentityDocument:
    """One document as read from a card reader or (exceptionally) typed in.

    ``valid_to`` is ``None`` together with ``long_term=True`` for a 长期 card. For a
    unit's 统一社会信用代码, ``name`` is the unit's name and the dates may be empty.
    """

    doc_type: DocType
    number: str
    name: str
    sex: Literal["M", "F"] | None = None
    birth_date: date | None = None
    ethnicity: str | None = None
    address: str | None = None
    issuing_authority: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    long_term: bool = False
    nationality: str | None = None


@dataclass(frozen=True)
class ResidentIdNumber:
    """The parts of a 公民身份号码. ``number18`` is always the 18-digit form."""

    number18: str
    region_code: str
    birth_date: date
    sequence: str
    sex: Literal["M", "F"]
    legacy15: bool


# --------------------------------------------------------------------------- fields

_ID_FIELDS: dict[str, tuple[str, str]] = {
    "id_number": ("证件号码", "ID number"),
    "name": ("姓名", "name"),
    "birth_date": ("出生日期", "date of birth"),
    "valid_from": ("证件有效期起始日期", "document valid-from date"),
    "valid_to": ("证件有效期截止日期", "document expiry date"),
    "doc_type": ("证件类型", "document type"),
    "sex": ("性别", "sex"),
}
for _key, (_zh, _en) in _ID_FIELDS.items():
    define_field(_key, zh=_zh, en=_en)
define_field("credit_code", zh="统一社会信用代码", en="unified social credit code")


def define_prefixed_fields(prefix: str, *, zh: str, en: str) -> None:
    """Register the document field labels for a role, e.g. ``"agent."`` → 经办人证件号码.

    ``zh`` is put before the Chinese label (经办人 + 证件号码), ``en`` is the English
    possessive (agent's + ID number). Call it once per role at import time.
    """
    for key, (zh_label, en_label) in _ID_FIELDS.items():
        define_field(prefix + key, zh=zh + zh_label, en=f"{en} {en_label}")
    define_field(prefix + "credit_code", zh=zh + "统一社会信用代码", en=f"{en} credit code")


define_prefixed_fields("agent.", zh="经办人", en="agent's")
define_prefixed_fields("guardian.", zh="监护人", en="guardian's")
define_prefixed_fields("customer.", zh="客户", en="customer's")


_NEXT_READ = "请核对证件后重新读取或输入。"
_NEXT_READ_EN = "Please check the document and read or enter it again."


def _clean(raw: object) -> str:
    """NFKC (full-width → ASCII), drop all whitespace, upper-case."""
    text = unicodedata.normalize("NFKC", str(raw or ""))
    return "".join(text.split()).upper()


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _fmt(d: date) -> str:
    return d.isoformat()
