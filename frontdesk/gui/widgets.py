"""Small widgets every panel uses: the message line and keyboard helpers.

The message line is how the GUI talks to the clerk: errors in red with what to do
next, confirmations in green, hints in grey. It is selectable so a clerk can copy a
message into a ticket for IT, and it never shows a traceback (see ``errors.py``).
"""

from __future__ import annotations

from collections.abc import Callable

from .errors import FieldMessage, describe
from .qt import (
    QDialog,
    QFrame,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QPushButton,
    QShortcut,
    Qt,
    QWidget,
)

COLOURS = {"error": "#b3261e", "ok": "#1b6e20", "info": "#555555", "warning": "#8a5a00"}


class MessageLine(QLabel):
    """One or more messages for the clerk; the kind sets the colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str = "info") -> None:
        self.kind = kind if text else ""
        self.setStyleSheet(f"color: {COLOURS.get(kind, COLOURS['info'])};")
        self.setText(text)
        self.setVisible(bool(text))
        window = self.window()
        if isinstance(window, QDialog) and window.isVisible() and window.layout() is not None:
            window.layout().activate()
            window.adjustSize()  # a dialog grows to show its message whole, never cut

    def show_error(self, text: str) -> None:
        self.show_message(text, "error")

    def show_ok(self, text: str) -> None:
        self.show_message(text, "ok")

    def show_exception(self, exc: BaseException) -> list[FieldMessage]:
        """Show what went wrong; returns the messages so a form can mark its fields."""
        messages = describe(exc)
        has_error = any(m.is_error for m in messages)
        self.show_message("\n".join(m.text for m in messages), "error" if has_error else "warning")
        return messages

    def clear_message(self) -> None:
        self.show_message("", "info")


def hline() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


def shortcut(
    parent: QWidget,
    keys: str,
    slot: Callable[[], object],
    *,
    context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut,
) -> QShortcut:
    """A keyboard shortcut on ``parent``'s window; ``keys`` in QKeySequence notation."""
    sc = QShortcut(QKeySequence(keys), parent)
    sc.setContext(context)
    sc.activated.connect(slot)
    return sc


def key_hint(text: str, keys: str) -> str:
    """A button caption with its key, e.g. "读取证件 (F2)"."""
    return f"{text} ({keys})"


def fit_hints(root: QWidget) -> None:
    """Make each input under ``root`` wide enough for its hint (placeholder) text."""
    from .qt import QLineEdit

    for edit in root.findChildren(QLineEdit):
        hint = edit.placeholderText()
        if hint:
            need = edit.fontMetrics().horizontalAdvance(hint) + 24
            if edit.minimumWidth() < need:
                edit.setMinimumWidth(need)


class EnterButton(QPushButton):
    """A push button that Enter activates when it has focus ("Enter advances").

    Outside dialogs Qt only lets Space press a focused button; at the counter the
    next step's button takes focus and the clerk just presses Enter.
    """

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.isEnabled():
            self.click()
            return
        super().keyPressEvent(event)


class CounterDialog(QDialog):
    """Base of the counter's dialogs: Enter never presses OK behind the clerk's back.

    Each input's Enter moves on or submits explicitly (``returnPressed``); Qt's default
    button would otherwise also submit a half-filled dialog on the same Enter. Esc
    backs out as usual.
    """

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        """Every hint is read whole: an input is at least as wide as its hint."""
        fit_hints(self)
        super().showEvent(event)

    def done(self, result: int) -> None:
        """Closing hands the keyboard back to the counter window (its shortcuts work again)."""
        super().done(result)
        parent = self.parentWidget()
        if parent is not None:
            parent.window().activateWindow()
