"""A small status-bar widget for sync: pending count, oldest unsent age, last success,
last error, rejections (SPEC §9: the GUI always shows sync state).

Self-contained on purpose (imports no other ``frontdesk.gui`` module): whoever builds
the main window places it and hands it a *provider* — any callable returning a
:class:`~frontdesk.sync.status.SyncStatus`, typically ``SyncAgent.status``. The provider
is polled on a timer from the GUI thread; it only reads SQLite, which never blocks on
the sync thread (WAL). An optional ``on_sync_now`` callable backs the 立即同步 button.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from ..core.clock import local_time
from ..sync.status import SyncStatus, describe_age
from .i18n import current_language

LEVEL_COLOURS = {
    "ok": "#1b7f3b",
    "pending": "#8a6d00",
    "offline": "#b35c00",
    "attention": "#b00020",
}
LEVEL_TEXT = {
    "ok": ("已同步", "synced"),
    "pending": ("待上传", "pending"),
    "offline": ("离线", "offline"),
    "attention": ("需处理", "attention"),
}


def _say(zh: str, en: str) -> str:
    """The status bar speaks the interface language (it used to show both at once)."""
    return zh if current_language() == "zh" else en


def _age(text: str) -> str:
    """``describe_age`` gives "3 分钟 / 3 min": the half of the interface language."""
    if " / " not in text:
        return text
    zh, en = text.split(" / ", 1)
    return _say(zh, en)


def _when(value: dt.datetime | None) -> str:
    if value is None:
        return "—"
    return local_time(value).strftime("%m-%d %H:%M:%S")


class SyncStatusWidget(QWidget):
    """Polls ``provider`` every ``interval_ms`` and shows the result; emits ``updated``."""

    updated = Signal(object)

    def __init__(
        self,
        provider: Callable[[], SyncStatus],
        *,
        on_sync_now: Callable[[], None] | None = None,
        interval_ms: int = 2000,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._provider = provider
        self._on_sync_now = on_sync_now
        self.setObjectName("syncStatus")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        self.state_label = QLabel(self)
        self.pending_label = QLabel(self)
        self.success_label = QLabel(self)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(False)
        for label in (self.state_label, self.pending_label, self.success_label, self.error_label):
            layout.addWidget(label)
        self.sync_button = QPushButton(_say("立即同步", "Sync now"), self)
        self.sync_button.setVisible(on_sync_now is not None)
        self.sync_button.clicked.connect(self._sync_now)
        layout.addWidget(self.sync_button)
        layout.addStretch(1)
        self.last_status: SyncStatus | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def _sync_now(self) -> None:
        if self._on_sync_now is not None:
            self._on_sync_now()

    def refresh(self) -> None:
        try:
            status = self._provider()
        except Exception as exc:  # the status line must never take the window down
            self.error_label.setText(_say("状态不可用：", "status unavailable: ") + str(exc))
            return
        self.show_status(status)

    def show_status(self, status: SyncStatus) -> None:
        self.last_status = status
        level = status.level
        self.state_label.setText(_say(*LEVEL_TEXT[level]))
        self.state_label.setStyleSheet(f"color: {LEVEL_COLOURS[level]}; font-weight: bold;")
        age = _age(describe_age(status.oldest_pending_age()))
        n = status.pending
        self.pending_label.setText(
            _say(f"待上传 {n} 条（最早 {age}）", f"pending {n} (oldest {age})")
        )
        when = _when(status.last_success_at)
        self.success_label.setText(_say(f"上次成功：{when}", f"last success: {when}"))
        parts = []
        if not status.enrolled:
            parts.append(_say("未注册总部", "not enrolled"))
        if status.rejected:
            r = status.rejected
            parts.append(_say(f"总部拒收 {r} 条", f"{r} rejected"))
        if status.clock_skew_flagged:
            parts.append(_say("本机时钟偏差", "clock skew"))
        if status.last_error and not status.healthy:
            parts.append(_say("错误：", "error: ") + status.last_error[:120])
        self.error_label.setText(_say("；", "; ").join(parts))
        tips = [f"{r.record_type} {r.record_id}: {r.reason}" for r in status.recent_rejections]
        self.error_label.setToolTip("\n".join(tips) or (status.last_error or ""))
        self.updated.emit(status)
