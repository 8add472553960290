"""Ask before another person's document replaces the customer of a visit in progress.

When the visit already has businesses or payments and the document read (or typed in)
belongs to someone else, the verification service records nothing and raises
:class:`~frontdesk.services.verification.CustomerChangeNeedsConfirmation`. This asks
the clerk — "keep" is the default, so a stray Enter changes nothing — and on "change"
captures the same document again with ``replace_customer=True``: the previous
customer's businesses leave the slip, money taken stays listed for the clerk to settle.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .i18n import translate
from .qt import QMessageBox, QWidget

if TYPE_CHECKING:
    from ..services.auth import StaffSession
    from ..services.verification import CustomerChangeNeedsConfirmation, VerificationView
    from .context import CounterServices
    from .operations import OperationRunner


def confirm_customer_change(
    parent: QWidget,
    services: CounterServices,
    runner: OperationRunner,
    staff: StaffSession,
    visit: object,
    refusal: CustomerChangeNeedsConfirmation,
    done: Callable[[VerificationView], None],
    failed: Callable[[BaseException], None],
) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("ReplaceCustomerDialog")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(translate("ReplaceCustomerDialog", "更换客户？"))
    box.setText(refusal.text())
    change = box.addButton(
        translate("ReplaceCustomerDialog", "更换客户并移除其业务 (&Y)"),
        QMessageBox.ButtonRole.YesRole,
    )
    change.setObjectName("replaceCustomerButton")
    keep = box.addButton(
        translate("ReplaceCustomerDialog", "保留原客户 (Esc)"), QMessageBox.ButtonRole.NoRole
    )
    keep.setObjectName("keepCustomerButton")
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)

    def answered() -> None:
        parent.window().activateWindow()  # the counter's keys work again at once
        if box.clickedButton() is not change:
            return
        runner.run(
            lambda: services.verification.capture(
                staff,
                visit,  # type: ignore[arg-type]
                refusal.document,
                party="customer",
                method=refusal.method,
                device=refusal.device,
                approval=refusal.approval,
                purpose=refusal.purpose,
                replace_customer=True,
            ),
            done,
            failed,
            background=False,
        )

    box.finished.connect(lambda _r: answered())
    box.open()
    box.activateWindow()
    return box
