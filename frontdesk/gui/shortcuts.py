"""The counter's keyboard shortcuts, in one table: the window, its help line and docs.

``docs/gui.md`` lists the same table; ``tests/gui`` checks they agree, so a shortcut
can't be added without being documented and shown on screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from .qt import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class Shortcut:
    name: str
    keys: str
    label: str  # Simplified Chinese source text, translated through "Shortcuts"


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("call", "F1", QT_TRANSLATE_NOOP("Shortcuts", "叫号 / 输入票号")),
    Shortcut("walk_in", "Ctrl+N", QT_TRANSLATE_NOOP("Shortcuts", "散客接待")),
    Shortcut("read", "F2", QT_TRANSLATE_NOOP("Shortcuts", "读取证件")),
    Shortcut("manual", "Ctrl+M", QT_TRANSLATE_NOOP("Shortcuts", "手工录入证件（经理授权）")),
    Shortcut("face", "F3", QT_TRANSLATE_NOOP("Shortcuts", "人像比对")),
    Shortcut("confirm", "F4", QT_TRANSLATE_NOOP("Shortcuts", "确认人证一致")),
    Shortcut("scan", "F5", QT_TRANSLATE_NOOP("Shortcuts", "留存扫描件（扫描文件夹）")),
    Shortcut("scan_file", "Shift+F5", QT_TRANSLATE_NOOP("Shortcuts", "留存扫描件（选择文件）")),
    Shortcut("unit", "F6", QT_TRANSLATE_NOOP("Shortcuts", "单位客户")),
    Shortcut("business", "F7", QT_TRANSLATE_NOOP("Shortcuts", "办理业务（搜索）")),
    Shortcut("pay", "F8", QT_TRANSLATE_NOOP("Shortcuts", "收款")),
    Shortcut("settle", "F10", QT_TRANSLATE_NOOP("Shortcuts", "结算")),
    Shortcut("waive", "Ctrl+D", QT_TRANSLATE_NOOP("Shortcuts", "减免费用（经理授权）")),
    Shortcut(
        "override", "Ctrl+Shift+A", QT_TRANSLATE_NOOP("Shortcuts", "越过办理条件（经理授权）")
    ),
    Shortcut("top_up", "Ctrl+U", QT_TRANSLATE_NOOP("Shortcuts", "话费充值（本人号码已填）")),
    Shortcut("suspend", "F11", QT_TRANSLATE_NOOP("Shortcuts", "挂起接待")),
    Shortcut("resume", "Shift+F11", QT_TRANSLATE_NOOP("Shortcuts", "恢复挂起的接待")),
    Shortcut("cancel", "F12", QT_TRANSLATE_NOOP("Shortcuts", "取消接待")),
    Shortcut("lock", "Ctrl+L", QT_TRANSLATE_NOOP("Shortcuts", "锁屏")),
    Shortcut("sign_out", "Ctrl+Q", QT_TRANSLATE_NOOP("Shortcuts", "签退")),
    Shortcut("settings", "Ctrl+,", QT_TRANSLATE_NOOP("Shortcuts", "设置")),
    Shortcut("aftersales", "Ctrl+W", QT_TRANSLATE_NOOP("Shortcuts", "售后三包查询")),
    Shortcut("complaint", "Ctrl+J", QT_TRANSLATE_NOOP("Shortcuts", "投诉登记（每诉必录）")),
    Shortcut("hall", "Ctrl+H", QT_TRANSLATE_NOOP("Shortcuts", "大厅监控")),
    Shortcut("reception", "Ctrl+T", QT_TRANSLATE_NOOP("Shortcuts", "导办台取号")),
    Shortcut("reports", "Ctrl+R", QT_TRANSLATE_NOOP("Shortcuts", "营业报表与日结")),
    Shortcut("history", "F9", QT_TRANSLATE_NOOP("Shortcuts", "接待记录（预览 / 打印 / 补打）")),
)

BY_NAME = {s.name: s for s in SHORTCUTS}
#: Shown in the help line at the bottom of the counter window.
HELP_LINE = ("call", "walk_in", "read", "face", "confirm", "scan", "business", "pay",
             "settle", "suspend", "cancel", "lock")  # fmt: skip
