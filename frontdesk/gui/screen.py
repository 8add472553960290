"""Windows that fit the screen they are on, the system's scaling, a larger-text setting.

The counter runs on 1366×768 laptops as well as 1920×1080 monitors at 125 % or 150 %
scaling. Qt 6 follows the system's scale factor by itself; :func:`follow_system_scaling`
only asks it not to round 1.25 down to 1 (text would be small on a 125 % screen). The
counter window then takes the screen's available area instead of a fixed size, so the
shortcut bar and the status bar are never off-screen, and the clerk may choose larger
text (``[ui] text_scale`` in ``frontdesk.toml``: 1.0, 1.25 or 1.5).
"""

from __future__ import annotations

from .qt import QApplication, QGuiApplication, QSize, Qt, QWidget

TEXT_SCALES = (1.0, 1.25, 1.5)
FRAME_ALLOWANCE = (8, 40)  # window borders and title bar before the frame is known
_base_point_size: float | None = None


def follow_system_scaling() -> None:
    """Before the QApplication exists: use the system's scale factor as it is (1.25 ≠ 1)."""
    if QApplication.instance() is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )


def apply_text_scale(scale: float) -> float:
    """Scale the application font from the system's size; returns the point size used."""
    global _base_point_size
    app = QApplication.instance()
    if app is None:
        return 0.0
    font = QApplication.font()
    if _base_point_size is None:
        _base_point_size = font.pointSizeF() if font.pointSizeF() > 0 else 9.0
    size = round(_base_point_size * max(1.0, min(scale, 2.0)), 1)
    font.setPointSizeF(size)
    QApplication.setFont(font)
    return size


def fit_to_screen(window: QWidget) -> None:
    """Take the available area of the window's screen (task bar excluded)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    frame = window.frameGeometry().size() - window.geometry().size()
    if frame.isEmpty():  # not shown yet: leave room for a title bar and borders
        frame = QSize(FRAME_ALLOWANCE[0], FRAME_ALLOWANCE[1])
    window.resize(area.width() - frame.width(), area.height() - frame.height())
    window.move(area.topLeft())
