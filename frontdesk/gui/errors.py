"""Turn any failure into a polite, specific message that says what to do next.

Services raise :class:`RuleViolation` (each problem names its field and rule in the
clerk's language), devices raise :class:`DeviceError` (with ready Chinese and English
text). Anything else is unexpected: the clerk gets a calm message and the details go
to the log (exception type and traceback only — never the values the clerk typed, so
no personal data reaches a log file, SPEC §6).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .i18n import current_language, translate

log = logging.getLogger("frontdesk.gui")


@dataclass(frozen=True)
class FieldMessage:
    """One message; ``field`` is the form field it belongs to ("" for the whole form)."""

    field: str
    text: str
    is_error: bool = True


def describe(exc: BaseException) -> list[FieldMessage]:
    """Messages for ``exc`` in the current language, field by field when known."""
    from ..core.messages import RuleViolation
    from ..devices.errors import DeviceError

    lang = current_language()
    if isinstance(exc, RuleViolation):
        return [FieldMessage(p.field, p.text(lang), p.is_error) for p in exc.problems]
    if isinstance(exc, DeviceError):
        text = exc.message_zh if lang == "zh" else exc.message_en
        return [FieldMessage("", text)]
    if isinstance(exc, LookupError):
        return [
            FieldMessage(
                "",
                translate(
                    "errors",
                    "要处理的记录已不存在（可能已被结算、取消或在其他窗口中处理）。"
                    "请刷新后重试；如需继续，请重新开始接待。",
                ),
            )
        ]
    if isinstance(exc, OSError):
        log.error("I/O failure in the counter window: %s", type(exc).__name__)
        return [
            FieldMessage(
                "",
                translate(
                    "errors",
                    "读写文件或设备时出错，您输入的内容已保留。请检查磁盘空间、文件或设备后重试；"
                    "如仍不成功，请联系 IT。",
                ),
            )
        ]
    log.error("unexpected failure in the counter window", exc_info=exc)
    return [
        FieldMessage(
            "",
            translate(
                "errors",
                "系统遇到意外问题，本次操作没有完成，您输入的内容已保留。请再试一次；"
                "如仍不成功，请联系 IT 并告知发生时间。",
            ),
        )
    ]


def message_text(exc: BaseException) -> str:
    """All messages of ``exc`` as one text, one message a line."""
    return "\n".join(m.text for m in describe(exc))
