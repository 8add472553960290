"""Walk every window and dialog of the counter, and judge what each shows.

Used by the readability tests (issue 19): every window and dialog is opened at a
1366×768 screen in both languages, then each visible label, button, header and hint
is compared with the space it is given (``QFontMetrics`` widths against the widget's
width); in English no CJK character may show outside customer data, and in Chinese
no Qt button may be left in English.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import QAbstractButton, QScrollArea, QStyle, QTabWidget

from frontdesk.gui.qt import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    Qt,
    QWidget,
)

SCREEN = (1366, 768 - 48)  # a 1366×768 laptop less its task bar
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
QT_ENGLISH_BUTTONS = {
    "ok",
    "cancel",
    "save",
    "close",
    "yes",
    "no",
    "apply",
    "reset",
    "help",
    "open",
    "discard",
    "abort",
    "retry",
    "ignore",
}


def _rich(text: str) -> bool:
    return bool(re.search(r"<[a-zA-Z/][^>]*>", text))


def _plain(label: QLabel) -> str:
    text = label.text()
    if label.textFormat() == Qt.TextFormat.PlainText or not _rich(text):
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def visible_widgets(root: QWidget) -> Iterator[QWidget]:
    for w in [root, *root.findChildren(QWidget)]:
        if w.isVisible() and w.width() > 0:
            yield w


def clipped(root: QWidget) -> list[str]:
    """Texts that don't fit the space given them (elided, cut or squeezed)."""
    found: list[str] = []
    name = root.objectName() or type(root).__name__
    for w in visible_widgets(root):
        fm = QFontMetrics(w.font())
        # content wider than its panel: scrolled sideways, the start of each row is cut
        inner = w.widget() if isinstance(w, QScrollArea) else None
        if inner is not None and inner.width() > w.viewport().width() + 1:
            found.append(
                f"{name}: {w.objectName() or 'scroll area'} content needs "
                f"{inner.width()}px, has {w.viewport().width()}px"
            )
        if isinstance(w, QLabel) and w.pixmap().isNull():
            text = _plain(w)
            if not text.strip():
                continue
            room = (
                w.contentsRect().width() - 2 * w.margin() - w.indent()
                if w.indent() > 0
                else (w.contentsRect().width() - 2 * w.margin())
            )
            if w.wordWrap() or "\n" in text:
                need = w.heightForWidth(w.width()) if w.wordWrap() else w.sizeHint().height()
                if need > w.height() + 1:
                    found.append(f"{name}: label cut off at the bottom: {text[:60]!r}")
                longest = max((fm.horizontalAdvance(word) for word in text.split()), default=0)
                if longest > room + 1 and not CJK.search(text):
                    found.append(f"{name}: word wider than its label: {text[:60]!r}")
                continue
            if _rich(w.text()):
                doc = QTextDocument()
                doc.setDefaultFont(w.font())
                doc.setHtml(w.text())
                doc.setDocumentMargin(0)
                width = doc.idealWidth()
            else:
                width = max(fm.horizontalAdvance(line) for line in text.splitlines())
            if width > room + 1:
                found.append(f"{name}: label needs {width:.0f}px, has {room}px: {text[:60]!r}")
        elif isinstance(w, (QAbstractButton,)) and not isinstance(w, QCheckBox) and w.text():
            if w.sizeHint().width() > w.width() + 1:
                found.append(
                    f"{name}: button needs {w.sizeHint().width()}px, has {w.width()}px: "
                    f"{w.text()!r}"
                )
        elif isinstance(w, QCheckBox) and w.text():
            if w.sizeHint().width() > w.width() + 1:
                found.append(f"{name}: check box text cut: {w.text()!r}")
        elif isinstance(w, QHeaderView):
            model = w.model()
            if model is None:
                continue
            for section in range(w.count()):
                if w.isSectionHidden(section):
                    continue
                text = model.headerData(section, w.orientation(), Qt.ItemDataRole.DisplayRole)
                if not text:
                    continue
                # the text plus the style's header margin on each side (Qt elides past it)
                margin = w.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, w)
                need = fm.horizontalAdvance(str(text)) + 2 * margin
                size = (
                    w.sectionSize(section)
                    if w.orientation() == Qt.Orientation.Horizontal
                    else w.width()
                )
                if need > size + 1:
                    found.append(f"{name}: header needs {need}px, has {size}px: {text!r}")
        elif isinstance(w, QLineEdit) and w.placeholderText() and not w.text():
            room = w.width() - 12
            need = fm.horizontalAdvance(w.placeholderText())
            if need > room:
                found.append(f"{name}: hint needs {need}px, has {room}px: {w.placeholderText()!r}")
    return found


def texts(root: QWidget) -> Iterator[tuple[QWidget, str]]:
    """Every text a clerk reads in ``root``: titles, labels, buttons, hints, lists, headers."""
    yield root, root.windowTitle()
    for w in visible_widgets(root):
        if isinstance(w, QLabel):
            yield w, _plain(w)
        elif isinstance(w, QAbstractButton):
            yield w, w.text()
        elif isinstance(w, QLineEdit):
            yield w, w.placeholderText()
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                yield w, w.itemText(i)
            yield w, w.placeholderText()
        elif isinstance(w, QListWidget):
            for i in range(w.count()):
                yield w, w.item(i).text()
        elif isinstance(w, QTabWidget):
            for i in range(w.count()):
                yield w, w.tabText(i)
        elif isinstance(w, QHeaderView) and w.model() is not None:
            for section in range(w.count()):
                text = w.model().headerData(section, w.orientation(), Qt.ItemDataRole.DisplayRole)
                if text:
                    yield w, str(text)


def chinese_outside(root: QWidget, customer_data: tuple[str, ...]) -> list[str]:
    """English mode: CJK text that is not customer data."""
    found = []
    name = root.objectName() or type(root).__name__
    for w, text in texts(root):
        rest = text
        for value in customer_data:
            rest = rest.replace(value, "")
        if CJK.search(rest):
            found.append(f"{name}/{w.objectName() or type(w).__name__}: {text[:80]!r}")
    return found


def english_qt_buttons(root: QWidget) -> list[str]:
    """Chinese mode: Qt's own buttons still in English (its translations not loaded)."""
    found = []
    for box in root.findChildren(QDialogButtonBox):
        for button in box.buttons():
            if button.text().replace("&", "").strip().lower() in QT_ENGLISH_BUTTONS:
                found.append(f"{root.objectName() or type(root).__name__}: {button.text()!r}")
    return found


def settle() -> None:
    from frontdesk.gui.operations import OperationRunner

    for _ in range(200):
        QApplication.processEvents()
        if OperationRunner.total_running == 0:
            break
    QApplication.processEvents()
