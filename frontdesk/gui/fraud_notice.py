"""The 涉诈风险告知书 at the counter (Anti-Telecom-Fraud Law 2022): every 入网 and 过户.

When settling is refused because the notice is not signed yet, the counter window shows
this dialog: the clerk reads the notice out (its text is also printed on the slip), the
customer signs it on paper or on the signature pad, and the clerk records which. The
service records it and the slip archived afterwards carries it.
"""

from __future__ import annotations

from .qt import QLabel, QTimer, QVBoxLayout, QWidget, Signal
from .widgets import CounterDialog, EnterButton


class FraudNoticeDialog(CounterDialog):
    """Emits ``signed`` with ``"paper"`` or ``"paperless"``; Esc backs out, nothing recorded."""

    signed = Signal(str)

    def __init__(self, notice_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FraudNoticeDialog")
        self.setWindowTitle(self.tr("涉诈风险告知书"))
        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("<b>入网、过户须由客户签署《涉诈风险告知书》</b>"))
        layout.addWidget(heading)
        text = QLabel(notice_text)
        text.setObjectName("noticeText")
        text.setWordWrap(True)
        layout.addWidget(text)
        self.paper_button = EnterButton(self.tr("客户已在纸质告知书上签字 (Enter)"))
        self.paper_button.setObjectName("paperSigned")
        self.pad_button = EnterButton(self.tr("客户已在签字板上电子签名"))
        self.pad_button.setObjectName("padSigned")
        layout.addWidget(self.paper_button)
        layout.addWidget(self.pad_button)
        self.paper_button.clicked.connect(lambda: self._signed("paper"))
        self.pad_button.clicked.connect(lambda: self._signed("paperless"))
        QTimer.singleShot(0, self.paper_button.setFocus)

    def _signed(self, method: str) -> None:
        self.accept()
        self.signed.emit(method)
