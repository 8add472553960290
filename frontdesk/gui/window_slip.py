"""The counter window's slip actions: payments, removals, fee waivers and settling.

A part of :class:`~frontdesk.gui.main_window.CounterWindow` (a mixin it inherits), kept
apart so the window module stays about the visit's lifecycle. Each action is one
``IntakeService`` call through the window's operations runner, after which the window
refreshes from the service's view; settling archives every document at once, asks for
the 涉诈风险告知书 first where one is due, and ``print_all`` (P) prints them all.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from ..core.money import format_fen
from .authorise import request_approval
from .i18n import current_language
from .settled_dialog import SettledDialog, archive_settled

if TYPE_CHECKING:
    from ..services.auth import StaffSession
    from ..services.intake import SettledSlip, VisitView
    from .business_panel import BusinessPanel
    from .context import CounterServices
    from .operations import OperationRunner
    from .queue_strip import QueueStrip
    from .slip_panel import SlipPanel
    from .widgets import MessageLine


class SlipActions:
    """The slip's requests, answered through the services (mixed into CounterWindow)."""

    services: CounterServices
    session: StaffSession
    runner: OperationRunner
    visit_id: uuid.UUID | None
    view: VisitView | None
    last_settled: SettledSlip | None
    message: MessageLine
    slip: SlipPanel
    business: BusinessPanel
    queue: QueueStrip

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

    def add_payment(
        self, method: str, amount: int, reference: str, number: str, settle_print: bool = False
    ) -> None:
        """Take a payment; ``settle_print`` (P on the amount) then settles and prints."""
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
            lambda _p: (
                self.refresh(),
                self.slip.payment_taken(),
                settle_print and self.settle_and_print(),
            ),
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
                binding=self._waiver_binding(visit, item_id, amount),
            )

        dialog.confirmed.connect(amount_chosen)
        dialog.open()

    def _waiver_binding(self, visit: uuid.UUID, item_id: str, amount: int) -> dict[str, object]:
        """A fee waiver is approved for this visit, this business and this amount only."""
        item = next(
            (i for i in (self.view.items if self.view else ()) if i.item_id == item_id), None
        )
        if item is None:
            return {"visit_id": visit}
        return {"visit_id": visit, "subject": item.business_code, "amount_fen": amount}

    def settle_and_print(self) -> None:
        """P on 结算: settle (the fraud notice first where one is due), then print every
        document of the slip at once, as P on the settled dialog would (issue 19 #12)."""
        self.settle(print_all=True)

    def settle(self, print_all: bool = False) -> None:
        if self.visit_id is None:
            self.message.show_error(self.tr("尚未开始接待，没有可结算的受理单。"))
            return
        visit = self.visit_id

        def settle_and_archive() -> tuple[SettledSlip, list, str]:
            settled = self.services.intake.settle(self.session, visit)
            # every document is archived at settle, printed or not (接待记录 has it)
            return (settled, *archive_settled(self.services, settled.slip_id))

        self.runner.run(
            settle_and_archive,
            lambda result: self._settled(*result, print_all=print_all),
            lambda exc: self._settle_refused(visit, exc, print_all=print_all),
            background=False,
        )

    def _settle_refused(
        self, visit: uuid.UUID, exc: BaseException, *, print_all: bool = False
    ) -> None:
        """入网/过户 not yet covered by a signed 涉诈风险告知书: have it signed, then settle."""
        codes = [p.code for p in getattr(exc, "problems", ())]
        if codes != ["visit.fraud_notice_required"]:
            self.slip.message.show_exception(exc)
            return
        from ..printing.slip import FRAUD_NOTICE_TEXT
        from .fraud_notice import FraudNoticeDialog

        dialog = FraudNoticeDialog(FRAUD_NOTICE_TEXT, self)

        def signed(method: str) -> None:
            self.runner.run(
                lambda: self.services.intake.record_fraud_notice(self.session, visit, method),
                lambda _r: self.settle(print_all=print_all),
                self.slip.message.show_exception,
                background=False,
            )

        dialog.signed.connect(signed)
        dialog.open()

    def _settled(
        self,
        settled: SettledSlip,
        documents: list,
        problem: str = "",
        *,
        print_all: bool = False,
    ) -> None:
        self.last_settled = settled
        self._end_visit()
        self.business.reload_usage()  # most-used businesses first in the picker
        self.message.show_ok(
            self.tr("结算完成：受理单 {slip}，收据 {receipt}。").format(
                slip=settled.slip_no, receipt=settled.receipt_no
            )
        )
        dialog = SettledDialog(
            self.services,
            settled,
            self,
            staff=self.session,
            documents=None if problem else documents,
        )
        dialog.finished.connect(lambda _r: self._ready_for_next())
        dialog.open()
        if print_all and dialog.refs:
            dialog.print_all()
        self.visit_settled.emit(settled)

    def _ready_for_next(self) -> None:
        self.activateWindow()
        self.queue.walk_in_button.setFocus()
