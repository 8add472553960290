"""Paperless signing (无纸化): a customer-facing signing window and signature-pad runs.

Two ways beside paper (SPEC §4):

* :class:`SigningWindow` — shown on a second monitor or a tablet facing the customer:
  what is being signed (slip number, businesses, total), a large ink area that takes
  mouse, pen (tablet) and touch strokes, and 清除 / 确认签名 / 取消 buttons. It emits a
  :class:`~frontdesk.devices.signature_pad.Signature` (method ``second_screen``), the
  same value a hardware pad gives, so the rest of the counter treats both alike.
* :class:`PadSigningRun` — runs a :class:`~frontdesk.devices.signature_pad.SignaturePad`
  (a vendor pad or the simulator) off the GUI thread, because device calls block until
  the customer confirms, and reports back through Qt signals.

The clerk's window then calls ``DocumentService.record_signature`` with the PNG and the
method, so the archived slip embeds the image and records how it was signed.
This module depends on no other ``frontdesk.gui`` module.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import (
    QBuffer,
    QIODevice,
    QObject,
    QPointF,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..devices.signature_pad import Signature, SignaturePad, SignaturePadError

__all__ = ["PadSigningRun", "SignatureCanvas", "SigningWindow", "place_on_customer_screen"]

Point = tuple[int, int]
INK = QColor(10, 10, 60)


class SignatureCanvas(QWidget):
    """An ink area: strokes from mouse, pen or touch (touch arrives as synthesised mouse)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: list[list[Point]] = []
        self._drawing = False
        self.setMinimumSize(480, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setCursor(Qt.CursorShape.CrossCursor)

    # -- strokes ------------------------------------------------------------------------
    @property
    def strokes(self) -> list[list[Point]]:
        return [list(s) for s in self._strokes]

    def is_empty(self) -> bool:
        """No stroke long enough to be writing (a tap or a dot is not a signature)."""
        return not any(len(s) >= 3 for s in self._strokes)

    def clear(self) -> None:
        self._strokes.clear()
        self.update()
        self.changed.emit()

    def _begin(self, pos: QPointF) -> None:
        self._drawing = True
        self._strokes.append([(round(pos.x()), round(pos.y()))])
        self.update()

    def _extend(self, pos: QPointF) -> None:
        if self._drawing and self._strokes:
            point = (round(pos.x()), round(pos.y()))
            if self._strokes[-1][-1] != point:
                self._strokes[-1].append(point)
                self.update()

    def _end(self) -> None:
        if self._drawing:
            self._drawing = False
            self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._extend(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._end()

    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._begin(event.position())
        elif kind == QTabletEvent.Type.TabletMove:
            self._extend(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self._end()
        event.accept()

    # -- drawing ------------------------------------------------------------------------
    def _paint(self, painter: QPainter, width: float) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(INK, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        for stroke in self._strokes:
            if len(stroke) == 1:
                painter.drawPoint(*stroke[0])
                continue
            path = QPainterPath(QPointF(*stroke[0]))
            for x, y in stroke[1:]:
                path.lineTo(x, y)
            painter.drawPath(path)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        painter.setPen(QPen(QColor(180, 180, 180), 1, Qt.PenStyle.DashLine))
        baseline = int(self.height() * 0.8)
        painter.drawLine(20, baseline, self.width() - 20, baseline)
        self._paint(painter, 3.0)
        painter.end()

    def to_png(self) -> bytes:
        """The strokes on white, cropped to the ink with a margin, as PNG bytes."""
        image = QImage(self.width(), self.height(), QImage.Format.Format_Grayscale8)
        image.fill(QColor("white"))
        painter = QPainter(image)
        self._paint(painter, 3.0)
        painter.end()
        points = [p for s in self._strokes for p in s]
        if points:
            margin = 12
            left = max(min(x for x, _ in points) - margin, 0)
            top = max(min(y for _, y in points) - margin, 0)
            right = min(max(x for x, _ in points) + margin, image.width() - 1)
            bottom = min(max(y for _, y in points) + margin, image.height() - 1)
            image = image.copy(left, top, right - left + 1, bottom - top + 1)
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        return bytes(buffer.data())


class SigningWindow(QWidget):
    """The customer-facing signing screen (second monitor or tablet)."""

    signed = Signal(object)  # Signature
    cancelled = Signal()

    def __init__(
        self,
        *,
        slip_no: str,
        summary_lines: list[str],
        total_text: str,
        signer_label: str = "客户",
        device_name: str = "客户屏",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("请签名确认 — 业务受理单")
        self._device_name = device_name
        title = QLabel("请核对以下业务信息，确认无误后在下方签名")
        title.setStyleSheet("font-size: 22px; font-weight: bold;")
        details = QLabel("\n".join([f"受理单号：{slip_no}", *summary_lines, f"合计：{total_text}"]))
        details.setStyleSheet("font-size: 18px;")
        details.setWordWrap(True)
        prompt = QLabel(f"{signer_label}签名：")
        prompt.setStyleSheet("font-size: 18px;")
        self.canvas = SignatureCanvas()
        self.hint = QLabel("")
        self.hint.setStyleSheet("color: #b00; font-size: 16px;")
        self.clear_button = QPushButton("清除重签")
        self.cancel_button = QPushButton("取消")
        self.confirm_button = QPushButton("确认签名")
        for button in (self.clear_button, self.cancel_button, self.confirm_button):
            button.setMinimumHeight(48)
            button.setStyleSheet("font-size: 18px; padding: 0 24px;")
        self.confirm_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(details)
        layout.addWidget(prompt)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        self.canvas.changed.connect(self._update_buttons)
        self.clear_button.clicked.connect(self.canvas.clear)
        self.cancel_button.clicked.connect(self._cancel)
        self.confirm_button.clicked.connect(self._confirm)

    def _update_buttons(self) -> None:
        self.confirm_button.setEnabled(not self.canvas.is_empty())
        self.hint.setText("")

    def _cancel(self) -> None:
        self.cancelled.emit()
        self.close()

    def _confirm(self) -> None:
        if self.canvas.is_empty():
            self.hint.setText("请在签名区内签写您的姓名后再确认。")
            return
        png = self.canvas.to_png()
        signature = Signature(
            png=png,
            width=self.canvas.width(),
            height=self.canvas.height(),
            strokes=self.canvas.strokes,
            device=self._device_name,
            captured_at=dt.datetime.now(),
            method="second_screen",
        )
        self.signed.emit(signature)
        self.close()


def place_on_customer_screen(window: QWidget) -> bool:
    """Show ``window`` full screen on the second screen if there is one.

    Returns whether a second screen was used; with one screen the window opens
    normally (a tablet in kiosk mode, or a test).
    """
    screens = QGuiApplication.screens()
    primary = QGuiApplication.primaryScreen()
    others = [s for s in screens if s is not primary]
    if not others:
        window.show()
        return False
    window.setScreen(others[0])
    window.move(others[0].geometry().topLeft())
    window.showFullScreen()
    return True


class _PadSignals(QObject):
    signed = Signal(object)  # Signature
    failed = Signal(str)  # polite Chinese message


class _PadTask(QRunnable):
    def __init__(self, pad: SignaturePad, prompt: str, timeout_s: float, signals: _PadSignals):
        super().__init__()
        self._pad, self._prompt, self._timeout, self._signals = pad, prompt, timeout_s, signals

    def run(self) -> None:
        try:
            signature = self._pad.capture(self._prompt, self._timeout)
        except SignaturePadError as exc:
            self._signals.failed.emit(getattr(exc, "message_zh", None) or str(exc))
        except Exception as exc:  # a vendor driver may raise anything; never kill the GUI
            self._signals.failed.emit(f"签名板出现故障（{type(exc).__name__}），请改用纸质签字。")
        else:
            self._signals.signed.emit(signature)


class PadSigningRun(QObject):
    """Capture on a signature pad off the GUI thread; ``signed``/``failed`` come back on it."""

    signed = Signal(object)  # Signature
    failed = Signal(str)

    def __init__(self, pad: SignaturePad, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pad = pad
        self._signals = _PadSignals()
        self._signals.signed.connect(self.signed)
        self._signals.failed.connect(self.failed)

    def start(
        self,
        prompt_zh: str = "请在签名板上签名确认",
        timeout_s: float = 120.0,
        pool: QThreadPool | None = None,
    ) -> None:
        (pool or QThreadPool.globalInstance()).start(
            _PadTask(self._pad, prompt_zh, timeout_s, self._signals)
        )
