"""The counter window a clerk works in all day (一台清): queue → ID → businesses → slip.

It composes the panels and owns the visit being served: it opens, suspends, resumes,
cancels and settles visits through ``IntakeService`` and refreshes every panel from
the service's :class:`VisitView` after each change — the panels hold no state of the
visit a service doesn't know. Every step has a key (``shortcuts.SHORTCUTS``, shown at
the bottom of the window); focus moves to where the next input goes.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from ..core.money import format_fen
from . import tools
from .aftersales import open_aftersales
from .authorise import request_approval
from .business_panel import BusinessPanel
from .context import CounterServices
from .i18n import current_language, translate
from .operations import OperationRunner
from .qt import QLabel, QMainWindow, QSplitter, Qt, QVBoxLayout, QWidget, Signal
from .queue_strip import QueueStrip, Ticket
from .settled_dialog import SettledDialog
from .shortcuts import BY_NAME, HELP_LINE
from .slip_panel import SlipPanel
from .verification_panel import VerificationPanel
from .visit_dialogs import CancelDialog, ResumeDialog
from .widgets import MessageLine, hline, shortcut

if TYPE_CHECKING:
    from ..services.auth import StaffSession
    from ..services.intake import SettledSlip, VisitView


class CounterWindow(QMainWindow):
    """Emits ``sign_out_requested`` / ``lock_requested`` / ``settings_requested``."""

    sign_out_requested = Signal()
    lock_requested = Signal()
    settings_requested = Signal()
    visit_settled = Signal(object)

    def __init__(self, services: CounterServices, session: StaffSession) -> None:
        super().__init__()
        self.setObjectName("CounterWindow")
        self.services = services
        self.session = session
        self.visit_id: uuid.UUID | None = None
        self.view: VisitView | None = None
        self.ticket: Ticket | None = None
        self.last_settled: SettledSlip | None = None
        self.runner = OperationRunner(self)
        ws = services.config.workstation
        self.setWindowTitle(
            self.tr("营业厅前台 — {branch}（{code}）").format(
                branch=ws.branch_name, code=f"{ws.branch_code}/{ws.workstation_code}"
            )
        )
        central = QWidget()
        layout = QVBoxLayout(central)
        self.queue = QueueStrip(services.ws.catalogue, services.ws.clock.now)
        layout.addWidget(self.queue)
        self.customer = QLabel()
        self.customer.setObjectName("customerLine")
        self.customer.setWordWrap(True)
        layout.addWidget(self.customer)
        layout.addWidget(hline())
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.verification = VerificationPanel(
            services, self.runner, lambda: self.session, self.ensure_visit
        )
        self.business = BusinessPanel(
            services, self.runner, lambda: self.session, self.ensure_visit
        )
        self.slip = SlipPanel()
        for panel in (self.verification, self.business, self.slip):
            splitter.addWidget(panel)
        splitter.setSizes([330, 420, 450])
        layout.addWidget(splitter, 1)
        self.message = MessageLine()
        self.message.setObjectName("windowMessage")
        layout.addWidget(self.message)
        self.help = QLabel(
            "  ".join(
                f"<b>{BY_NAME[n].keys}</b> {translate('Shortcuts', BY_NAME[n].label)}"
                for n in HELP_LINE
            )
        )
        self.help.setObjectName("shortcutHelp")
        self.help.setWordWrap(True)
        self.help.setStyleSheet("color: #333333; background: #eef2f6; padding: 4px;")
        layout.addWidget(self.help)
        self.setCentralWidget(central)
        from .sync_status import SyncStatusWidget

        agent = services.sync_agent
        self.sync_status = SyncStatusWidget(
            services.sync_status, on_sync_now=agent.sync_now if agent else None, parent=self
        )
        self.statusBar().addPermanentWidget(self.sync_status)
        self.statusBar().showMessage(
            self.tr("营业员：{name}（{user}）　{branch}/{ws}").format(
                name=session.display_name,
                user=session.username,
                branch=ws.branch_code,
                ws=ws.workstation_code,
            )
        )
        self._connect()
        self._shortcuts()
        from .screen import fit_to_screen

        fit_to_screen(self)  # the screen it is on, not a fixed 1280×800
        self.refresh()

    # -- wiring -----------------------------------------------------------------------
    def _connect(self) -> None:
        self.runner.failed.connect(self.message.show_exception)
        self.queue.start_requested.connect(self.start_visit)
        self.queue.call_requested.connect(self.call_next)
        self.verification.changed.connect(self.refresh)
        self.verification.completed.connect(self.business.focus_search)
        self.business.added.connect(self._business_added)
        self.slip.pay_requested.connect(self.add_payment)
        self.slip.remove_item_requested.connect(self.remove_item)
        self.slip.remove_payment_requested.connect(self.remove_payment)
        self.slip.waive_requested.connect(self.waive_fee)
        self.slip.settle_requested.connect(self.settle)

    def _shortcuts(self) -> None:
        actions = {
            "call": self.call_next,
            "walk_in": lambda: self.start_visit(None),
            "read": self.verification.read_card,
            "manual": self.verification.manual_entry,
            "face": self.verification.compare_face,
            "confirm": self.verification.confirm_photo,
            "scan": lambda: self.verification.attach_scan(pick=False),
            "scan_file": lambda: self.verification.attach_scan(pick=True),
            "unit": self.verification.focus_unit,
            "business": self.business.focus_search,
            "pay": self.slip.focus_amount,
            "settle": self.settle,
            "waive": self.slip.waive_selected,
            "override": self.business.request_override,
            "suspend": self.suspend,
            "resume": self.choose_resume,
            "cancel": self.cancel,
            "lock": self.lock_requested.emit,
            "sign_out": self.sign_out_requested.emit,
            "settings": self.settings_requested.emit,
            "aftersales": lambda: open_aftersales(self, self.services, self.session),
            "complaint": lambda: tools.open_complaint(self, self.services, self.session),
            "hall": lambda: tools.open_hall_view(self, self.services),
            "reception": lambda: tools.open_reception(self, self.services),
            "reports": lambda: tools.open_manager_screen(self, self.services, self.session),
        }
        self._keys = {name: shortcut(self, BY_NAME[name].keys, fn) for name, fn in actions.items()}

    def cover(self, covered: bool) -> None:
        """Lock screen: hide everything about the customer (name, ID, numbers, slip)."""
        central = self.centralWidget()
        if central is not None:
            central.setVisible(not covered)
        tools.cover_windows(self, covered)

    # -- visit lifecycle ------------------------------------------------------------------
    def call_next(self) -> None:
        tickets = self.services.tickets
        if self.visit_id is not None:
            self.message.show_error(
                self.tr("当前接待尚未完成：请结算（F10）、挂起（F11）或取消（F12）后再叫号。")
            )
            return
        if tickets is None:
            self.queue.focus_ticket()
            return
        self.runner.run(
            lambda: tickets.call_next(self.session),
            lambda ticket: (
                self.start_visit(ticket)
                if ticket
                else self.message.show_message(self.tr("目前没有等候的客户。"), "info")
            ),
            background=False,
        )

    def start_visit(self, ticket: Ticket | None) -> None:
        if self.visit_id is not None:
            self.message.show_error(
                self.tr(
                    "当前接待尚未完成：请结算（F10）、挂起（F11）或取消（F12）后再开始新的接待。"
                )
            )
            return

        def opened(visit_id: uuid.UUID) -> None:
            self.ticket = ticket
            self.visit_id = visit_id
            started = getattr(self.services.tickets, "visit_started", None)
            if ticket is not None and started is not None:
                self.runner.run(
                    lambda: started(visit_id), lambda _r: None, self.message.show_exception
                )
            self.verification.reset()
            self.queue.clear_ticket()
            self.message.show_ok(
                self.tr(
                    "已开始接待{ticket}。请读取客户证件（F2），或直接办理无需证件的业务（F7）。"
                ).format(ticket=f" {ticket.number}" if ticket else self.tr("（散客）"))
            )
            self.refresh()
            self.verification.read_button.setFocus()

        self.runner.run(
            lambda: self.services.intake.open_visit(
                self.session,
                ticket_no=ticket.number if ticket else None,
                ticket_tier=ticket.tier if ticket else None,
                ticket_issued_at=ticket.issued_at if ticket else None,
                called_at=ticket.called_at if ticket else None,
                green_channel=ticket.green_channel if ticket else None,
            ),
            opened,
            self.message.show_exception,
            background=False,
        )

    def ensure_visit(self) -> uuid.UUID | None:
        """The visit being served; a walk-in visit is opened when the clerk starts without one."""
        if self.visit_id is None:
            self.start_visit(None)
        return self.visit_id

    def refresh(self) -> None:
        """Reload the visit from the service and show it everywhere."""
        view = None
        if self.visit_id is not None:
            try:
                view = self.services.intake.view(self.visit_id)
            except LookupError as exc:
                self.message.show_exception(exc)
                self.visit_id = None
        self.view = view
        self.business.set_visit(view)
        self.slip.set_visit(view)
        self.queue.set_entry_enabled(view is None)
        if view is None:
            self.customer.setText(self.tr("等待接待下一位客户：F1 叫号，Ctrl+N 散客接待。"))
            self.queue.set_visit(None, None, 0, 0)
            self.queue.show_serving(None)
            return
        self._show_ticket(view)
        unit = view.customer_name if view.customer_kind == "unit" else None
        self.verification.set_views(view.verifications, unit)
        self._show_customer(view)
        catalogue = self.services.ws.catalogue
        handling = (
            sum((b.sla_minutes for i in view.items if (b := catalogue.find(i.business_code))), 0)
            or catalogue.sla.handling_minutes_default
        )
        tier_code = (self.ticket.tier if self.ticket else None) or view.tier or "standard"
        try:
            waiting = catalogue.tier(tier_code).waiting_minutes
        except KeyError:
            waiting = catalogue.sla.waiting_minutes.standard
        issued = self.ticket.issued_at if self.ticket else None
        self.queue.set_visit(issued, view.called_at, waiting, handling)

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

    def _business_added(self, _item: object) -> None:
        self.refresh()
        if self.view is not None and self.view.due_fen > 0:
            self.slip.focus_amount()
        else:
            self.slip.focus_settle()

    def _simple(self, call, done_text: str, after=None) -> None:  # type: ignore[no-untyped-def]
        def ok(_result: object) -> None:
            self.refresh()
            if done_text:
                self.message.show_ok(done_text)
            if after is not None:
                after()

        self.runner.run(call, ok, self._failed, background=False)

    def _failed(self, exc: BaseException) -> None:
        self.message.show_exception(exc)
        self.refresh()

    def add_payment(self, method: str, amount: int, reference: str, number: str) -> None:
        if self.visit_id is None:
            self.message.show_error(self.tr("尚未开始接待，无需收款。"))
            return
        visit = self.visit_id

        def failed(exc: BaseException) -> None:
            self.slip.message.show_exception(exc)

        self.runner.run(
            lambda: self.services.intake.add_payment(
                self.session,
                visit,
                method,
                amount,
                reference=reference or None,
                balance_number=number or None,
            ),
            lambda _p: (self.refresh(), self.slip.payment_taken()),
            failed,
            background=False,
        )

    def remove_item(self, item_id: str) -> None:
        if self.visit_id is not None:
            visit = self.visit_id
            self._simple(
                lambda: self.services.intake.remove_business(self.session, visit, item_id),
                self.tr("已从受理单删除该业务。"),
            )

    def remove_payment(self, payment_id: str) -> None:
        if self.visit_id is not None:
            visit = self.visit_id
            self._simple(
                lambda: self.services.intake.remove_payment(self.session, visit, payment_id),
                self.tr("已删除该笔收款，请按实际退还客户。"),
            )

    def waive_fee(self, item_id: str) -> None:
        """Ctrl+D: name the business and the amount (all or part), then the manager."""
        if self.visit_id is None or self.view is None:
            return
        visit = self.visit_id
        item = next((i for i in self.view.items if i.item_id == item_id), None)
        if item is None:
            return
        business = self.services.ws.catalogue.find(item.business_code)
        name = (
            (business.name_zh if current_language() == "zh" else business.name_en)
            if business
            else item.business_name
        )
        if item.fee_fen <= 0:
            self.slip.message.show_error(
                self.tr("“{name}”没有应收费用，无需减免。").format(name=name)
            )
            return
        from .waive_dialog import WaiveDialog

        dialog = WaiveDialog(name, item.fee_fen, self)

        def amount_chosen(amount: int) -> None:
            def approved(approval: object) -> None:
                self._simple(
                    lambda: self.services.intake.waive_fee(
                        self.session,
                        visit,
                        item_id,
                        approval,  # type: ignore[arg-type]
                        amount_fen=amount,
                    ),
                    self.tr("已减免“{name}”的费用 {amount}，授权已记录。").format(
                        name=name, amount=format_fen(amount)
                    ),
                )

            request_approval(
                self,
                self.services.auth,
                self.session,
                approved,
                action="fee_waiver",
                title=self.tr("减免费用：{name}，应收 {fee}，减免 {amount}").format(
                    name=name, fee=format_fen(item.fee_fen), amount=format_fen(amount)
                ),
                business=item.business_code,
                amount_fen=amount,
            )

        dialog.confirmed.connect(amount_chosen)
        dialog.open()

    def settle(self) -> None:
        if self.visit_id is None:
            self.message.show_error(self.tr("尚未开始接待，没有可结算的受理单。"))
            return
        visit = self.visit_id
        self.runner.run(
            lambda: self.services.intake.settle(self.session, visit),
            self._settled,
            lambda exc: self.slip.message.show_exception(exc),
            background=False,
        )

    def _settled(self, settled: SettledSlip) -> None:
        self.last_settled = settled
        self._end_visit()
        self.business.reload_usage()  # most-used businesses first in the picker
        self.message.show_ok(
            self.tr("结算完成：受理单 {slip}，收据 {receipt}。").format(
                slip=settled.slip_no, receipt=settled.receipt_no
            )
        )
        dialog = SettledDialog(self.services, settled, self, staff=self.session)
        dialog.finished.connect(lambda _r: self._ready_for_next())
        dialog.open()
        self.visit_settled.emit(settled)

    def _ready_for_next(self) -> None:
        self.activateWindow()
        self.queue.walk_in_button.setFocus()

    def _end_visit(self) -> None:
        ended = getattr(self.services.tickets, "visit_ended", None)
        if self.ticket is not None and ended is not None:
            self.runner.run(ended, lambda _r: None, self.message.show_exception)
        self.visit_id = None
        self.ticket = None
        self.verification.reset()
        self.business.close_form()
        # nothing said about this visit survives into the next one
        self.business.message.clear_message()
        self.slip.message.clear_message()
        self.refresh()

    def suspend(self, then=None) -> None:  # type: ignore[no-untyped-def]
        if self.visit_id is None:
            self.message.show_error(self.tr("当前没有进行中的接待。"))
            return
        visit = self.visit_id

        def done(_r: object) -> None:
            self._end_visit()
            self.message.show_ok(self.tr("接待已挂起，稍后可按 Shift+F11 恢复。"))
            if then is not None:
                then()

        self.runner.run(
            lambda: self.services.intake.suspend(self.session, visit),
            done,
            self._failed,
            background=False,
        )

    def choose_resume(self) -> None:
        if self.visit_id is not None:
            self.message.show_error(self.tr("请先挂起（F11）或结算当前接待，再恢复其他接待。"))
            return
        visits = self.services.intake.suspended_visits()
        if not visits:
            self.message.show_message(self.tr("没有挂起的接待。"), "info")
            return
        dialog = ResumeDialog(visits, self)
        dialog.chosen.connect(self.resume)
        dialog.open()

    def resume(self, visit_id: uuid.UUID) -> None:
        def done(_r: object) -> None:
            self.visit_id = visit_id
            self.verification.reset()
            self.refresh()
            self.message.show_ok(self.tr("已恢复挂起的接待，可继续办理。"))
            self.activateWindow()
            self.business.focus_search()

        self.runner.run(
            lambda: self.services.intake.resume(self.session, visit_id),
            done,
            self._failed,
            background=False,
        )

    def cancel(self) -> None:
        if self.visit_id is None:
            self.message.show_error(self.tr("当前没有进行中的接待。"))
            return
        visit = self.visit_id
        dialog = CancelDialog(self)

        def confirmed(reason: str) -> None:
            def done(_r: object) -> None:
                self._end_visit()
                self.message.show_ok(self.tr("接待已取消，原因已记录。"))
                self.activateWindow()
                self.queue.walk_in_button.setFocus()

            self.runner.run(
                lambda: self.services.intake.cancel(self.session, visit, reason),
                done,
                self._failed,
                background=False,
            )

        dialog.confirmed.connect(confirmed)
        dialog.open()
