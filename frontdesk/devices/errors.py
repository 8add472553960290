"""Error base shared by every counter device (ID reader, face comparer, signature pad).

Every device failure carries a stable machine ``code`` (for the audit trail and for the GUI
to choose what to do next) plus a ready-to-show message in Chinese — the clerks' language —
and in English. Messages never contain personal data, so an error can be logged as is.
"""

from __future__ import annotations


class DeviceError(Exception):
    """A counter device could not do what was asked.

    ``vendor_rc`` keeps the raw return code of a vendor SDK call when there was one, because
    the vendor's support line asks for it; it is not meant for program logic.
    """

    def __init__(
        self,
        code: str,
        message_zh: str,
        message_en: str,
        *,
        vendor_rc: int | None = None,
    ) -> None:
        super().__init__(f"[{code}] {message_en}")
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        self.vendor_rc = vendor_rc

    def __repr__(self) -> str:
        rc = "" if self.vendor_rc is None else f", vendor_rc={self.vendor_rc}"
        return f"{type(self).__name__}(code={self.code!r}{rc})"
