"""留存证件 — a manager looks at or exports a retained document copy (MIIT Order 25).

The dialog never sees the scan itself: :class:`~frontdesk.services.scans.ScanService`
hands back the watermarked PDF (operator, purpose, date drawn across the image), which
is shown page 1 as a picture or written to a file. The service refuses a clerk, an empty
purpose and a purged copy; the refusal is shown here in the clerk's words.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from ..core.clock import local_time
from ..core.messages import RuleViolation
from ..services.auth import StaffSession
from ..services.scans import RenderedScan, ScanRow, ScanService
from .errors import describe
from .qt import (
    QDateTime,
    QDateTimeEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPixmap,
    QPushButton,
    Qt,
    QTime,
    QVBoxLayout,
    QWidget,
)

KIND_LABELS = {
    "id_document": "身份证件",
    "authorisation_letter": "授权委托书",
    "licence": "营业执照",
}
PARTY_LABELS = {
    "customer": "客户",
    "agent": "经办人",
    "guardian": "监护人",
    "new_owner": "新机主",
}


def pdf_first_page_png(pdf: bytes, scale: float = 1.2) -> bytes:
    """Page 1 of a PDF as PNG bytes (pypdfium2), for showing on screen."""
    import io

    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[0].render(scale=scale).to_pil()
    finally:
        doc.close()
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


class RetainedScansDialog(QDialog):
    """Pick a day, a retained copy and a purpose; view it or export it as PDF."""

    def __init__(
        self,
        scans: ScanService,
        staff: StaffSession,
        day: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("RetainedScansDialog")
        self.setWindowTitle("留存证件（查看 / 导出）")
        self._scans = scans
        self._staff = staff
        self.rows: list[ScanRow] = []
        self.last: RenderedScan | None = None
        self.day = QDateTimeEdit()
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setCalendarPopup(True)
        self.day.setDateTime(QDateTime(day, QTime(12, 0)))
        self.query_button = QPushButton("查询")
        self.query_button.setObjectName("scanQuery")
        self.list = QListWidget()
        self.list.setObjectName("scanList")
        self.purpose = QLineEdit()
        self.purpose.setObjectName("scanPurpose")
        self.purpose.setPlaceholderText("用途（必填，如：资料稽核）")
        self.view_button = QPushButton("查看")
        self.view_button.setObjectName("scanView")
        self.export_button = QPushButton("导出 PDF…")
        self.export_button.setObjectName("scanExport")
        self.preview = QLabel()
        self.preview.setObjectName("scanPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(420, 540)
        self.message = QLabel("")
        self.message.setObjectName("scanMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #B03A2E;")
        top = QHBoxLayout()
        top.addWidget(QLabel("日期"))
        top.addWidget(self.day)
        top.addWidget(self.query_button)
        top.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(QLabel("用途"))
        actions.addWidget(self.purpose, 1)
        actions.addWidget(self.view_button)
        actions.addWidget(self.export_button)
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addWidget(self.preview, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        for button in (self.query_button, self.view_button, self.export_button):
            button.setAutoDefault(False)  # Enter in the purpose box views, nothing else
        self.query_button.clicked.connect(self.refresh)
        self.view_button.clicked.connect(self.show_selected)
        self.export_button.clicked.connect(self.choose_and_export)
        self.purpose.returnPressed.connect(self.show_selected)
        self.resize(900, 680)

    def _show_error(self, exc: RuleViolation) -> None:
        self.message.setStyleSheet("color: #B03A2E;")
        self.message.setText("\n".join(m.text for m in describe(exc)))

    def _show_ok(self, text: str) -> None:
        self.message.setStyleSheet("color: #1E7B34;")
        self.message.setText(text)

    def refresh(self) -> bool:
        value = self.day.date()
        day = dt.date(value.year(), value.month(), value.day())
        try:
            self.rows = self._scans.list_scans(self._staff, day)
        except RuleViolation as exc:
            self._show_error(exc)
            return False
        self.list.clear()
        for row in self.rows:
            text = (
                f"{local_time(row.created_at):%H:%M}  {KIND_LABELS.get(row.kind, row.kind)}  "
                f"{PARTY_LABELS.get(row.party, row.party)} {row.name} {row.id_masked}"
                + ("  （已清除）" if row.purged else "")
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, str(row.scan_id))
            self.list.addItem(item)
        if self.rows:
            self.list.setCurrentRow(0)
        self._show_ok(f"共 {len(self.rows)} 份留存证件。")
        return True

    def selected(self) -> uuid.UUID | None:
        item = self.list.currentItem()
        return uuid.UUID(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def show_selected(self) -> RenderedScan | None:
        scan_id = self.selected()
        if scan_id is None:
            self.message.setText("请先查询并选择一份留存证件。")
            return None
        try:
            rendered = self._scans.render(self._staff, scan_id, self.purpose.text())
        except RuleViolation as exc:
            self._show_error(exc)
            return None
        pixmap = QPixmap()
        pixmap.loadFromData(pdf_first_page_png(rendered.pdf))
        self.preview.setPixmap(
            pixmap.scaled(
                self.preview.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.last = rendered
        self._show_ok(f"已显示（带水印）：{rendered.watermark}")
        return rendered

    def export_to(self, path: Path | str) -> RenderedScan | None:
        scan_id = self.selected()
        if scan_id is None:
            self.message.setText("请先查询并选择一份留存证件。")
            return None
        try:
            rendered = self._scans.export(self._staff, scan_id, self.purpose.text(), path)
        except RuleViolation as exc:
            self._show_error(exc)
            return None
        self.last = rendered
        self._show_ok(f"已导出（带水印）：{rendered.path}")
        return rendered

    def choose_and_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出留存证件", "留存证件.pdf", "PDF (*.pdf)")
        if path:
            self.export_to(path)
