"""日结 dialog: expected takings by method, counted cash, difference, manager sign-off.

Each terminal method (bank card, WeChat Pay, Alipay) with takings has a field for the
settlement figure the manager reads off that terminal; the dialog shows each
difference as it is typed. On closing, the day-close slip (日结单) is archived and
printed (Ctrl+P prints it again as a 补打). A closed day opens read-only with the
recorded figures.

Self-contained: it calls :class:`~frontdesk.services.dayclose.DayCloseService` (and
:class:`~frontdesk.services.auth.AuthService` for the duty manager's credentials when
the person closing is not a manager) and shows every refusal next to the form.
"""

from __future__ import annotations

import datetime as dt

from ..core.messages import RuleViolation
from ..core.money import format_fen, parse_yuan
from ..core.reports import CloseFigures, method_label
from ..services.auth import AuthService, StaffSession
from ..services.dayclose import APPROVAL_ACTION, TERMINAL_METHODS, DayCloseService, DayCloseView
from .errors import describe
from .qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from .widgets import shortcut


class DayCloseDialog(QDialog):
    def __init__(
        self,
        service: DayCloseService,
        auth: AuthService | None,
        staff: StaffSession,
        day: dt.date,
        parent: QWidget | None = None,
        *,
        documents: object | None = None,
        print_folder: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("DayCloseDialog")
        self._documents = documents
        self._print_folder = print_folder
        self.slip_message = ""
        self._service = service
        self._auth = auth
        self._staff = staff
        self._day = day
        self.result_view: DayCloseView | None = None
        self.preview = service.preview(staff, day)
        self.setWindowTitle(f"日结 {day.isoformat()} · 柜台 {self.preview.workstation_code}")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        for method, fen in self.preview.expected_by_method.items():
            form.addRow(f"应收{method_label(method)}：", QLabel(format_fen(fen)))
        form.addRow("实收合计（不含余额）：", QLabel(format_fen(self.preview.takings_fen)))
        corrections = "；".join(
            f"{'作废' if c.kind == 'void' else '退款'} {c.slip_no} {format_fen(c.amount_fen)}"
            for c in self.preview.corrections
        )
        self.corrections_label = QLabel(corrections or "无")
        self.corrections_label.setWordWrap(True)
        form.addRow("作废与退款：", self.corrections_label)
        form.addRow(
            "收据号：",
            QLabel(
                f"{self.preview.first_receipt_no} … {self.preview.last_receipt_no}"
                f"（{self.preview.receipts} 张）"
                if self.preview.receipts
                else "当日无收据"
            ),
        )
        self.counted = QLineEdit()
        self.counted.setPlaceholderText("清点的现金金额（元），不含备用金")
        self.counted.textChanged.connect(self._update_difference)
        form.addRow("实点现金：", self.counted)
        self.difference = QLabel("—")
        form.addRow("差异：", self.difference)
        # each terminal's settlement figure, read off the terminal by the manager
        self.terminals: dict[str, QLineEdit] = {}
        self.terminal_differences: dict[str, QLabel] = {}
        for method in TERMINAL_METHODS:
            if not self.preview.expected_by_method.get(method):
                continue
            edit = QLineEdit()
            edit.setObjectName(f"terminal_{method}")
            edit.setPlaceholderText("终端结算单上的金额（元）")
            edit.textChanged.connect(self._update_difference)
            diff = QLabel("—")
            self.terminals[method] = edit
            self.terminal_differences[method] = diff
            form.addRow(f"{method_label(method)}终端结算：", edit)
            form.addRow(f"{method_label(method)}差异：", diff)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("有差异时必须填写")
        form.addRow("差异原因：", self.reason)
        self.manager_user = QLineEdit()
        self.manager_password = QLineEdit()
        self.manager_password.setEchoMode(QLineEdit.EchoMode.Password)
        if not staff.is_manager:
            form.addRow("签核经理工号：", self.manager_user)
            form.addRow("经理密码：", self.manager_password)
        layout.addLayout(form)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #B03A2E;")
        layout.addWidget(self.message)
        if self.preview.closed is not None:
            closed = self.preview.closed
            self.message.setText(
                f"该日已日结（只读）：实点 {format_fen(closed.counted_cash_fen)}，"
                f"差异 {format_fen(closed.difference_fen)}。"
            )
            self._show_closed(closed)
        elif self.preview.pending_visits:
            self.message.setText(f"提示：还有 {self.preview.pending_visits} 个未结算的接待。")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("日结")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(self.preview.closed is None)
        self.print_button = QPushButton("打印日结单 (Ctrl+P)")
        self.print_button.setObjectName("printDayClose")
        self.print_button.setEnabled(self.preview.closed is not None)
        self.print_button.clicked.connect(self.print_slip)
        shortcut(self, "Ctrl+P", self.print_slip)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(buttons)

    def _show_closed(self, closed: DayCloseView) -> None:
        """A closed day is read-only: the recorded figures, nothing to edit."""
        self.counted.setText(f"{closed.counted_cash_fen / 100:.2f}")
        self.reason.setText(closed.difference_reason or "")
        for method, edit in self.terminals.items():
            recorded = closed.terminals.get(method)
            if recorded is not None:
                edit.setText(f"{recorded['terminal_fen'] / 100:.2f}")
        for edit in (
            self.counted,
            self.reason,
            self.manager_user,
            self.manager_password,
            *self.terminals.values(),
        ):
            edit.setReadOnly(True)

    def print_slip(self) -> None:
        """Print the day-close slip; once printed, a 补打 copy."""
        view = self.result_view or self.preview.closed
        if view is None or self._documents is None:
            return
        from .printing import DocumentPrinter

        try:
            ref = self._documents.archive_day_close(view.close_id)  # type: ignore[attr-defined]
            printer = DocumentPrinter(
                self._documents,  # type: ignore[arg-type]
                self._staff,
                print_folder=self._print_folder or None,
            )
            if ref.print_count:
                outcome = printer.print_direct(
                    self._documents.reprint(self._staff, ref.document_id),
                    self,  # type: ignore[attr-defined]
                )
                done = f"已补打日结单 {ref.number}。"
            else:
                outcome = printer.print_direct(ref, self)
                done = f"已打印日结单 {ref.number}。"
        except RuleViolation as exc:  # the archive can't be written: the close stands
            self.slip_message = "\n".join(m.text for m in describe(exc))
            self.message.setText(self.slip_message)
            return
        self.slip_message = done if outcome.ok else outcome.message
        self.message.setText(self.slip_message)

    def _counted_fen(self) -> int | None:
        checked = parse_yuan(self.counted.text(), "close.counted_cash")
        return checked.value if checked.ok else None

    def _update_difference(self) -> None:
        self._update_terminals()
        fen = self._counted_fen()
        if fen is None:
            self.difference.setText("—")
            return
        diff = CloseFigures(self.preview.expected_by_method, fen).difference_fen
        word = "相符" if diff == 0 else ("长款" if diff > 0 else "短款")
        self.difference.setText(f"{format_fen(diff)}（{word}）")

    def _terminal_fen(self) -> dict[str, int]:
        """The terminal figures typed so far (raises RuleViolation on a bad amount)."""
        return {
            method: parse_yuan(edit.text(), "close.terminal").unwrap()
            for method, edit in self.terminals.items()
            if edit.text().strip()
        }

    def _update_terminals(self) -> None:
        for method, edit in self.terminals.items():
            checked = parse_yuan(edit.text(), "close.terminal")
            label = self.terminal_differences[method]
            if not edit.text().strip() or not checked.ok:
                label.setText("—")
                continue
            diff = checked.value - self.preview.expected_by_method.get(method, 0)
            word = "相符" if diff == 0 else ("长款" if diff > 0 else "短款")
            label.setText(f"{format_fen(diff)}（{word}）")

    def submit(self) -> None:
        """Authorise (when needed) and close; on a refusal keep the form and say why."""
        try:
            checked = parse_yuan(self.counted.text(), "close.counted_cash")
            fen = checked.unwrap()
            approval = None
            if not self._staff.is_manager:
                if self._auth is None:
                    raise RuntimeError("no auth service for the manager's sign-off")
                approval = self._auth.authorise(
                    self.manager_user.text(),
                    self.manager_password.text(),
                    action=APPROVAL_ACTION,
                    reason=self.reason.text().strip() or f"日结 {self._day.isoformat()}",
                    requested_by=self._staff,
                )
            terminals = self._terminal_fen()
            self.result_view = self._service.close(
                self._staff, self._day, fen, self.reason.text(), approval, terminal_fen=terminals
            )
        except (RuleViolation, LookupError, OSError) as exc:
            self.message.setText("\n".join(m.text for m in describe(exc)))
            return
        finally:
            self.manager_password.clear()
        self.print_slip()  # the day-close slip: archived, and printed for signing
        self.accept()
