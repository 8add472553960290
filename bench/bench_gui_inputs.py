"""Clerk effort (SPEC §12): count the clerk's inputs for the four standard scenarios.

A scripted run of the real counter window (offscreen) on a fresh demo workstation.
Every input goes to the widget that has the focus — exactly what a clerk's keyboard
does — so a count is only possible if every step is reachable without the mouse and
focus lands where the next input goes. Counted: each key press (a chord such as
Ctrl+N is one), each mouse click (none are needed), each barcode scan as one trigger
pull (the keystrokes the scanner types are reported separately), placing the ID card
on the reader, laying a document on the scanner (only where the clerk keeps a scan),
and printing: P on the settled dialog, which prints every document (slip, receipt,
warranty card) to its layout's printer with no preview. Not counted: devices working
by themselves — the window polls the reader and reads a card when it is laid on it
(no F2), and the run fails unless the read is shown; P on the payment amount takes
the payment, settles and prints every document in that one key.

Counting starts when the clerk takes the card (or, with no ID, at the business
search) and ends with every document printed.

    python bench/bench_gui_inputs.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from frontdesk.core.serials import luhn_check_digit
from frontdesk.gui.qt import QApplication, QInputMethodEvent, Qt

PNG_SCAN = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CTRL = Qt.KeyboardModifier.ControlModifier


@dataclass
class Count:
    keys: int = 0
    clicks: int = 0
    scans: int = 0
    scanner_keys: int = 0
    steps: list[str] = field(default_factory=list)

    @property
    def inputs(self) -> int:
        return self.keys + self.clicks + self.scans


class Driver:
    """Sends input to the focused widget, like a keyboard, and counts it."""

    def __init__(self, window) -> None:
        from PySide6.QtTest import QTest

        self.window = window
        self.test = QTest
        self.count = Count()
        self.counting = False

    def _target(self):
        return QApplication.focusWidget() or self.window

    def wait(self) -> None:
        from frontdesk.gui.operations import OperationRunner

        while OperationRunner.total_running:
            QApplication.processEvents()
        QApplication.processEvents()

    def key(self, key, modifier=Qt.KeyboardModifier.NoModifier, note: str = "") -> None:
        self.test.keyClick(self._target(), key, modifier)
        if self.counting:
            self.count.keys += 1
            if note:
                self.count.steps.append(note)
        self.wait()

    def type(self, text: str) -> None:
        target = self._target()
        if text.isascii():
            self.test.keyClicks(target, text)
        else:  # Chinese comes through the input method: one commit per word typed
            event = QInputMethodEvent()
            event.setCommitString(text)
            QApplication.sendEvent(target, event)
        if self.counting:
            self.count.keys += len(text) if text.isascii() else 2 * len(text)
        self.wait()

    def enter(self) -> None:
        self.key(Qt.Key.Key_Return)

    def place_card(self, person: str) -> None:
        """The clerk lays the customer's ID card on the reader; the window's poll reads it
        (no key). Raises unless the customer is shown as read."""
        self.window.services.reader.place(person)
        if self.counting:
            self.count.keys += 1
            self.count.steps.append("card on reader")
        deadline = time.monotonic() + 10.0  # twenty polls: a read this slow is a failure
        while self.window.view is None or self.window.view.customer_name is None:
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"the card was not read: {self.window.verification.message.text()}"
                )
            QApplication.processEvents()
            time.sleep(0.01)
        self.wait()

    def lay_document(self) -> None:
        """The clerk lays the ID card on the scanner; the scanner writes its file."""
        (self.window.services.scanner_folder / "scan.png").write_bytes(PNG_SCAN)
        if self.counting:
            self.count.keys += 1
            self.count.steps.append("document on scanner")

    def print_all(self) -> int:
        """P on the settled dialog: every document goes to its layout's printer at once,
        no preview (issue 14). One key; raises unless every document was printed."""
        settled = [
            w
            for w in QApplication.topLevelWidgets()
            if w.objectName() == "SettledDialog" and w.isVisible()
        ]
        if not settled:
            raise RuntimeError("no settled dialog to print from")
        dialog = settled[-1]
        dialog.activateWindow()
        dialog.done_button.setFocus()
        self.key(Qt.Key.Key_P, note="print")
        unprinted = [f"{r.kind} {r.number}" for r in dialog.refs if r.print_count < 1]
        if not dialog.refs or unprinted:
            raise RuntimeError(f"not printed: {unprinted or 'no documents'}")
        return len(dialog.refs)

    def settle_print(self) -> None:
        """P on the focused 结算 button: settle and print every document in one key
        (issue 19 #12); :meth:`check_printed` then proves it."""
        if QApplication.focusWidget() is not self.window.slip.settle_button:
            raise RuntimeError("the focus is not on 结算")
        self.key(Qt.Key.Key_P, note="settle + print")

    def pay_settle_print(self) -> None:
        """P on the payment amount: take the amount shown, settle and print every
        document in one key (issue 19 #12); :meth:`check_printed` then proves it."""
        if QApplication.focusWidget() is not self.window.slip.amount:
            raise RuntimeError("the focus is not on the payment amount")
        self.key(Qt.Key.Key_P, note="pay + settle + print")

    def check_printed(self) -> int:
        """Raises unless the settled dialog is up with every document printed."""
        settled = [
            w
            for w in QApplication.topLevelWidgets()
            if w.objectName() == "SettledDialog" and w.isVisible()
        ]
        if not settled:
            raise RuntimeError("nothing settled")
        refs = settled[-1].refs
        unprinted = [f"{r.kind} {r.number}" for r in refs if r.print_count < 1]
        if not refs or unprinted:
            raise RuntimeError(f"not printed: {unprinted or 'no documents'}")
        return len(refs)

    def scan(self, code: str) -> None:
        """A barcode scanner (keyboard wedge): the code, then Enter."""
        self.test.keyClicks(self._target(), code)
        self.test.keyClick(self._target(), Qt.Key.Key_Return)
        if self.counting:
            self.count.scans += 1
            self.count.scanner_keys += len(code) + 1
        self.wait()


def iccid(body19: str) -> str:
    return body19 + luhn_check_digit(body19)


def imei(body14: str) -> str:
    return body14 + luhn_check_digit(body14)


def _walk_in(d: Driver, person: str | None) -> None:
    d.key(Qt.Key.Key_N, CTRL)
    d.counting = True
    if person:
        d.place_card(person)


def new_line_with_sim(d: Driver) -> None:
    _walk_in(d, "zhang_san")  # read as it is laid on the reader
    d.key(Qt.Key.Key_F3)  # face comparison (一证五号 follows by itself)
    d.lay_document()
    d.enter()  # keep the scan from the scanner folder → business search
    d.type("rw")
    d.enter()  # 入网/装机 form: focus on 套餐
    d.key(Qt.Key.Key_Down)
    d.key(Qt.Key.Key_Down)  # mob_59
    d.enter()  # 新号码: the pool's first free number is pre-filled (选号) ...
    d.enter()  # ... Enter accepts it
    d.scan(iccid("8986011234567890123"))  # SIM: scanned; nothing else needed → on the slip
    d.key(Qt.Key.Key_1)  # 1 现金 (the method is always chosen): the amount due shown
    d.pay_settle_print()  # P on the amount: paid, then settled and printed ...
    d.enter()  # ... once the 涉诈风险告知书 is signed on paper (Anti-Telecom-Fraud Law)
    d.check_printed()
    from frontdesk.services.numbers import NumberPoolService

    if NumberPoolService(d.window.services.ws).counts().used != 1:
        raise RuntimeError("the new line did not take its number from the pool")


def sim_replacement(d: Driver) -> None:
    _walk_in(d, "zhang_san")
    d.enter()  # 人证一致 (F4)
    d.lay_document()
    d.enter()  # keep the scan
    d.type("bk")
    d.enter()  # 补(换)卡: number = the customer's first line, focus on the ICCID
    d.scan(iccid("8986011234567890127"))  # 补换卡原因 pre-filled 丢失 → on the slip
    d.key(Qt.Key.Key_1)  # cash: the amount due shown
    d.pay_settle_print()  # P on the amount: paid, settled, every document printed
    d.check_printed()


def top_up(d: Driver) -> None:
    d.key(Qt.Key.Key_N, CTRL)
    d.counting = True
    d.key(Qt.Key.Key_U, CTRL)  # 话费充值 without the search: focus on the number
    d.type("13800138000")
    d.enter()
    d.type("100")
    d.enter()  # on the slip
    d.key(Qt.Key.Key_1)  # cash: the amount due shown
    d.pay_settle_print()  # P on the amount: paid, settled, every document printed
    d.check_printed()


def top_up_own_number(d: Driver) -> None:
    """An identified customer tops up their own number (the form starts on it)."""
    _walk_in(d, "hmt_resident")  # read as it is laid on the reader
    d.key(Qt.Key.Key_U, CTRL)  # 话费充值: number = the customer's own line, focus on amount
    d.type("100")
    d.enter()  # on the slip
    d.key(Qt.Key.Key_1)  # cash: the amount due shown
    d.pay_settle_print()  # P on the amount: paid, settled, every document printed
    d.check_printed()


def handset_sale(d: Driver) -> None:
    _walk_in(d, "zhang_san")
    d.key(Qt.Key.Key_F7)  # 购机 needs capture and check only
    d.type("gj")
    d.enter()  # 购机: focus on the IMEI (scanner first)
    d.scan(imei("86012345678901"))  # IMEI barcode on the box: brand, model, price, 产地 and
    # accessory models filled from the terminal catalogue (TAC 86012345) → S/N label
    d.scan(imei("86012345678901"))  # the S/N label stuck on the warranty card (三包: same)
    # the invoice's QR code (number and date); model, serial and amount as printed on it
    from frontdesk.core.clock import business_date

    issued = business_date(d.window.services.ws.clock.now()).strftime("%Y%m%d")
    d.scan(f"01,32,,24112000000012345678,5308.85,{issued},,A1B2")
    d.type("Mate60")
    d.enter()
    d.scan(imei("86012345678901"))  # the serial printed on the invoice
    d.type("5999")
    d.enter()  # on the slip (产地 filled from the catalogue): sale date, name and phone
    # come from the visit
    d.key(Qt.Key.Key_2)  # 2 银行卡
    d.enter()  # the amount due
    d.scan("6222021234567890")  # the card terminal's reference (scanned from its slip)
    d.settle_print()  # P on 结算: settled, every document printed
    d.check_printed()


SCENARIOS = {
    "new line + SIM (入网)": new_line_with_sim,
    "SIM replacement (补卡)": sim_replacement,
    "top-up, typed number (充值)": top_up,
    "top-up, own number (充值)": top_up_own_number,
    "handset sale + warranty card (购机)": handset_sale,
}


def run_all(data_root: Path) -> dict[str, Count]:
    """Each scenario on its own fresh demo workstation; raises if one doesn't settle."""
    from frontdesk.gui.context import CounterServices
    from frontdesk.gui.i18n import set_language
    from frontdesk.gui.main_window import CounterWindow
    from frontdesk.services.auth import AuthService
    from frontdesk.services.demo import load_demo_data
    from frontdesk.services.workstation import initialise

    QApplication.instance() or QApplication([])
    set_language("zh")
    results: dict[str, Count] = {}
    for index, (name, scenario) in enumerate(SCENARIOS.items()):
        ws = initialise(
            data_root / f"ws{index}", branch_code="BJ0101", workstation_code="W01",
            branch_name="北京朝阳建国路营业厅",
        )  # fmt: skip
        try:
            load_demo_data(ws)
            services = CounterServices.build(ws)
            services.scanner_folder.mkdir(exist_ok=True)
            services.prefs.print_folder = str(data_root / f"printed{index}")  # PDF "printer"
            session = AuthService(ws.db, ws.config.security, ws.clock).sign_in(
                "clerk01", "Counter2026"
            )
            window = CounterWindow(services, session)
            window.show()
            window.activateWindow()
            QApplication.processEvents()
            driver = Driver(window)
            scenario(driver)
            if window.last_settled is None:
                raise RuntimeError(f"{name}: not settled — {window.message.text()}")
            results[name] = driver.count
            for dialog in QApplication.topLevelWidgets():
                dialog.close()
            window.deleteLater()
        finally:
            ws.close()
    return results


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        results = run_all(Path(tmp))
    print(f"{'scenario':<40} {'inputs':>6} {'keys':>5} {'clicks':>6} {'scans':>5}")
    for name, c in results.items():
        print(f"{name:<40} {c.inputs:>6} {c.keys:>5} {c.clicks:>6} {c.scans:>5}"
              f"   (+{c.scanner_keys} keys typed by the scanner)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
