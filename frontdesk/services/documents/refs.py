"""What the document service names and hands out: the kinds and variants, its
message codes, and :class:`DocumentRef`, one archived PDF as the GUI lists it."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

from ...core.messages import define, define_field

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
