"""What the counter window shows about the visit: the customer line, the ticket being
served, the suspended-visit count, the 日结 banner and the simulator banner.

A part of :class:`~frontdesk.gui.main_window.CounterWindow` (a mixin it inherits), kept
apart so the window module stays about the visit's lifecycle. Everything shown comes
from the service's :class:`VisitView` and the catalogue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.money import format_fen
from .i18n import current_language
from .qt import QLabel

if TYPE_CHECKING:
    from ..services.intake import VisitView
    from .context import CounterServices
    from .queue_strip import QueueStrip, Ticket


class VisitDisplay:
    """The window's read-only lines about the visit (mixed into CounterWindow)."""

    services: CounterServices
    ticket: Ticket | None
    queue: QueueStrip
    customer: QLabel
    closed_banner: QLabel
    suspended_count: QLabel

    def _simulator_banner(self) -> QLabel:
        """Red banner outside ``frontdesk demo`` while any device is a simulator: a
        simulated face comparison always passes, so no real 入网 may be done here."""
        names = {
            "id_reader": self.tr("读卡器"),
            "face": self.tr("人像比对"),
            "signature": self.tr("签名板"),
        }
        simulated = [] if self.services.demo else self.services.simulated_devices()
        banner = QLabel(
            self.tr(
                "模拟设备：{devices} — 仅供演示和培训，不得办理真实业务。"
                "请 IT 人员在设置中配置真实设备。"
            ).format(devices=self.tr("、").join(names[d] for d in simulated))
        )
        banner.setObjectName("simulatorBanner")
        banner.setWordWrap(True)
        banner.setStyleSheet("background: #C0392B; color: white; font-weight: bold; padding: 6px;")
        banner.setVisible(bool(simulated))
        return banner

    def _show_suspended(self) -> None:
        count = self.services.intake.suspended_count()
        self.suspended_count.setText(
            self.tr("挂起待恢复：{n}（Shift+F11）").format(n=count) if count else ""
        )
        self.suspended_count.setStyleSheet(
            "color: #8a5a00; font-weight: bold; padding: 0 6px;" if count else ""
        )

    def _closed_today(self) -> object | None:
        """This counter's close record of today (日结), or None while the day is open."""
        from ..services.dayclose import DayCloseService

        return DayCloseService(self.services.ws).closed()

    def _show_closed(self, closed: object | None) -> None:
        if closed is None:
            self.closed_banner.hide()
            return
        self.closed_banner.setText(
            self.tr(
                "本柜台今日（{day}）已日结，不能开始新的接待或收款。"
                "请引导客户到其他柜台办理；接待记录（F9）和报表仍可查看。"
            ).format(day=closed.day.isoformat())  # type: ignore[attr-defined]
        )
        self.closed_banner.show()

    def _show_ticket(self, view: VisitView) -> None:
        tier_code = view.ticket_tier or (self.ticket.tier if self.ticket else None)
        name = ""
        if tier_code:
            try:
                t = self.services.ws.catalogue.tier(tier_code)
                name = t.name_zh if current_language() == "zh" else t.name_en
            except KeyError:
                name = tier_code
        green = self.ticket.green_channel if self.ticket else None
        if green:
            from ..core.queue import GREEN_GROUPS

            zh, en = GREEN_GROUPS.get(green, (green, green))
            group = zh if current_language() == "zh" else en
            label = self.tr("绿色通道·{group}").format(group=group)
            name = f"{name}，{label}" if name else label
        self.queue.show_serving(view.ticket_no, name)

    def _show_customer(self, view: VisitView) -> None:
        if view.customer_name is None:
            self.customer.setText(self.tr("客户：尚未识别（充值等无需证件的业务可直接办理）"))
            return
        tier = ""
        if view.tier:
            try:
                t = self.services.ws.catalogue.tier(view.tier)
                tier = t.name_zh if current_language() == "zh" else t.name_en
            except KeyError:
                tier = view.tier
        if view.frozen_tier:
            try:
                held = self.services.ws.catalogue.tier(view.frozen_tier)
                held_name = held.name_zh if current_language() == "zh" else held.name_en
            except KeyError:
                held_name = view.frozen_tier
            owed = [line for line in view.lines if line.arrears_fen > 0 and line.status != "closed"]
            if owed:
                why = self.tr("{number} 欠费 {a}，缴清后恢复").format(
                    number=owed[0].number, a=format_fen(owed[0].arrears_fen)
                )
            else:
                why = self.tr("总部已冻结该客户的级别")
            tier = self.tr("{held}（已冻结：{why}；现按{tier}服务）").format(
                held=held_name, why=why, tier=tier
            )
        lines = []
        for line in view.lines:
            if line.status == "closed":
                continue
            mode = self.tr("预付费") if line.payment_mode == "prepaid" else self.tr("后付费")
            zh = current_language() == "zh"
            text = f"{line.number}{'（' if zh else ' ('}{mode}"
            text += self.tr("，余额 {b}").format(b=format_fen(line.balance_fen))
            if line.arrears_fen:
                text += self.tr("，欠费 {a}").format(a=format_fen(line.arrears_fen))
            lines.append(text + ("）" if zh else ")"))
        self.customer.setText(
            self.tr("客户：{name}　{id}　{tier}　号码：{lines}").format(
                name=view.customer_name,
                id=view.customer_id_masked or "",
                tier=tier,
                lines=("；" if current_language() == "zh" else "; ").join(lines) or self.tr("无"),
            )
        )
