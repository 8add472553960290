"""The after-sales window's actions: 送修/取机/备机, 退货 and 换货 (a manager's approval
first), and printing the refund slip, the new warranty card and 补打 copies.

A part of :class:`~frontdesk.gui.aftersales.AfterSalesWindow` (a mixin it inherits).
Each action is one service call; afterwards the card is looked up again, so the window
never shows a state the database doesn't hold, and a refusal is shown beside the action.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..core.intake import METHOD_LABELS
from ..core.money import format_fen
from .aftersales_parts import ACTION_BY_NAME, CONTEXT
from .authorise import request_approval
from .i18n import current_language, translate

if TYPE_CHECKING:
    from ..services.auth import Approval, StaffSession
    from ..services.warranty import CardView, WarrantyService
    from .aftersales_parts import ActionForm
    from .context import CounterServices
    from .operations import OperationRunner
    from .qt import QLineEdit, QTableView, Signal
    from .widgets import MessageLine


def _t(text: str) -> str:
    return translate(CONTEXT, text)


class AfterSalesActions:
    """Recording and printing (mixed into AfterSalesWindow)."""

    _services: CounterServices
    _staff: StaffSession
    _warranty: WarrantyService
    runner: OperationRunner
    action_form: ActionForm
    cards: QTableView
    search: QLineEdit
    message: MessageLine
    changed: Signal
    last_key: str
    last_new_card_no: str
    last_refund_slip_no: str

    def start_action(self, name: str) -> None:
        """Open the action's inputs under the card (or say why it can't be done now)."""
        view = self.current
        if view is None:
            self.message.show_error(self.tr("请先查询并选择一张保修卡。"))
            self.focus_search()
            return
        reason = self._why_not(name, view)
        if reason:
            self.message.show_message(reason, "warning")
            return
        spec = ACTION_BY_NAME[name]
        self.action_form.open_for(
            spec,
            self.tr("{action}　保修卡 {card}　{brand} {model}").format(
                action=_t(spec.title), card=view.card_no, brand=view.brand, model=view.model
            ),
        )

    def _cancel_action(self) -> None:
        self.action_form.close_form()
        self.focus_search()

    def _submit(self, action: str, values: dict[str, Any]) -> None:
        view = self.current
        if view is None:
            self.action_form.close_form()
            return
        if action in ("return", "exchange"):
            self._ask_manager(view, action, values)
        elif action == "reprint":
            self._reprint(view, str(values["reason"]))
        else:
            self._record(view, action, values)

    def _done(
        self, text: str, select: str | None = None, then: Callable[[], None] | None = None
    ) -> None:
        self.action_form.close_form()
        self.message.show_ok(text)
        self.refresh(select, then)
        self.changed.emit(select or "")

    def _record(self, view: CardView, action: str, values: dict[str, Any]) -> None:
        detail: dict[str, Any] = dict(values)
        if action == "loan_out":
            detail["loan_serial"] = "".join(str(values["loan_serial"]).split()).upper()
        done = {
            "repair_in": self.tr("已登记送修：{card}。保修期自今天起按维修天数顺延。"),
            "repair_out": self.tr("已登记取机：{card}。"),
            "loan_out": self.tr("已登记借出备机 {serial}：{card}。"),
            "loan_back": self.tr("已登记备机归还：{card}。"),
        }[action]
        card_no = view.card_no
        self.runner.run(
            lambda: self._warranty.record_event(self._staff, card_no, action, detail=detail),
            lambda _v: self._done(
                done.format(card=card_no, serial=detail.get("loan_serial", "")), card_no
            ),
            self.action_form.fail,
            background=False,
        )

    def _ask_manager(self, view: CardView, action: str, values: dict[str, Any]) -> None:
        if action == "return":
            method = str(values["method"])
            zh, en = METHOD_LABELS[method]
            title = self.tr("退货：保修卡 {card}").format(card=view.card_no)
            explanation = self.tr(
                "{brand} {model}（{serial}），退还 {amount}，退款方式：{method}。"
            ).format(
                brand=view.brand,
                model=view.model,
                serial=view.serial,
                amount=format_fen(view.amount_fen),
                method=zh if current_language() == "zh" else en,
            )
            reason = self.tr("七日内退货")
        else:
            title = self.tr("换货：保修卡 {card}").format(card=view.card_no)
            explanation = self.tr("{brand} {model}：原机 {old} 换新机 {new}。").format(
                brand=view.brand, model=view.model, old=view.serial, new=values["new_serial"]
            )
            reason = self.tr("十五日内性能故障换货")
            if view.status.can_return:  # days 0–7: the customer chose exchange over return
                reason = self.tr("七日内性能故障，客户选择换货")

        def approved(approval: Approval) -> None:
            if action == "return":
                self._return(view, values, approval)
            else:
                self._exchange(view, values, approval)

        request_approval(
            self,
            self._services.auth,
            self._staff,
            approved,
            action=f"warranty_{action}",
            title=title,
            explanation=explanation,
            reason=reason,
        )

    def _return(self, view: CardView, values: dict[str, Any], approval: Approval) -> None:
        method = str(values["method"])
        reference = str(values.get("reference") or "") or None
        card_no = view.card_no

        def ok(slip_no: str) -> None:
            self.last_refund_slip_no = slip_no
            self._done(
                self.tr(
                    "退货完成：退款受理单 {slip}，请退还客户 {amount}。串号 {serial} 已可重新销售。"
                ).format(slip=slip_no, amount=format_fen(view.amount_fen), serial=view.serial),
                card_no,
                lambda: self.print_refund(slip_no),
            )

        self.runner.run(
            lambda: self._warranty.return_device(
                self._staff, card_no, approval, method=method, reference=reference
            ),
            ok,
            self.action_form.fail,
            background=False,
        )

    def _exchange(self, view: CardView, values: dict[str, Any], approval: Approval) -> None:
        card_no, new_serial = view.card_no, str(values["new_serial"])

        def ok(new_card_no: str) -> None:
            self.last_new_card_no = new_card_no
            if view.slip_no:  # the old and the new card side by side
                self.search.setText(view.slip_no)
                self.last_key = view.slip_no
            self._done(
                self.tr(
                    "换货完成：新保修卡 {card}，原保修卡 {old} 已关闭。请打印新保修卡交给客户。"
                ).format(card=new_card_no, old=card_no),
                new_card_no,
                lambda: self.print_new_card(new_card_no),
            )

        self.runner.run(
            lambda: self._warranty.exchange_device(self._staff, card_no, new_serial, approval),
            ok,
            self.action_form.fail,
            background=False,
        )

    def _printer(self) -> Any:
        from .printing import DocumentPrinter

        return DocumentPrinter(self._services.documents, self._staff)

    def print_refund(self, slip_no: str) -> None:
        """The refund's slip and receipt, archived and offered for printing at once: the
        customer leaves with proof of the money given back (一单清), as after any refund."""
        documents = self._services.documents
        layout = self._services.prefs.receipt_layout

        def archive() -> list[Any]:
            slip_id = documents.slip_id_of(slip_no)
            return documents.archive_settlement(slip_id, receipt_variants=(layout,))

        def archived(refs: list[Any]) -> None:
            printer = self._printer()
            done = [ref for ref in refs if (o := printer.print_with_dialog(ref, self)) and o.ok]
            if len(done) == len(refs):
                note = self.tr("已打印退款受理单和收据。")
            else:
                note = self.tr("退款单据未全部打印，已存档，可在接待记录中重新打印。")
            self.message.show_ok(f"{self.message.text()}\n{note}")

        self.runner.run(archive, archived)

    def print_new_card(self, card_no: str) -> None:
        """The exchanged device's own card: archived and offered for printing at once."""
        view = next((v for v in self.cards.rows() if v.card_no == card_no), None)
        if view is None or view.card_id is None:
            return
        documents = self._services.documents
        card_id = view.card_id

        def archived(ref: Any) -> None:
            outcome = self._printer().print_with_dialog(ref, self)
            if outcome is not None and outcome.ok:
                printed = self.tr("已打印保修卡 {card}。").format(card=card_no)
                self.message.show_ok(f"{self.message.text()}\n{printed}")

        self.runner.run(lambda: documents.archive_warranty_card(card_id), archived)

    def _reprint(self, view: CardView, reason: str) -> None:
        """补打: a marked copy of the archived card (archived first if it never was)."""
        if view.card_id is None:  # pragma: no cover - every looked-up card has its id
            return
        documents = self._services.documents  # built here, not on the worker thread
        staff, card_id, card_no = self._staff, view.card_id, view.card_no

        def copy() -> Any:
            original = documents.archive_warranty_card(card_id)
            return documents.reprint(staff, original.document_id, reason=reason)

        def made(ref: Any) -> None:
            self.action_form.close_form()
            outcome = self._printer().print_with_dialog(ref, self)
            if outcome is None:
                self.message.show_message(
                    self.tr("补打副本已存档（{card}），未打印：打印已取消。").format(card=card_no),
                    "warning",
                )
            elif outcome.ok:
                self.message.show_ok(
                    self.tr("已补打保修卡 {card}（{printer}）。").format(
                        card=card_no, printer=outcome.printer
                    )
                )
            else:
                self.message.show_error(outcome.message)
            self.focus_search()

        self.runner.run(copy, made, self.action_form.fail)
