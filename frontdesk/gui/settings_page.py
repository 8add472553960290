"""Settings for IT and managers (picard-style options page with ``load()``/``save()``).

Shows which branch and workstation this counter is, and lets the ID reader, printer,
language and idle-lock minutes be chosen. Config values are validated and written
atomically through ``CounterServices.update_config`` (``config.write_config``): a bad
value is refused with the key named and nothing is half-written. The printer and the
scanner folder have no config key yet; they live in ``gui.json`` beside it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..config import ConfigError
from .i18n import LANGUAGE_NAMES, LANGUAGES, current_language
from .qt import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    Signal,
    printer_names,
)
from .widgets import CounterDialog, MessageLine

if TYPE_CHECKING:
    from .context import CounterServices

READERS = ("simulator", "termb")


class SettingsPage(QWidget):
    """The options; ``load()`` fills them from the config, ``save()`` writes them back."""

    def __init__(self, services: CounterServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SettingsPage")
        self._services = services
        form = QFormLayout(self)
        self.workstation = QLabel()
        self.workstation.setObjectName("settingsWorkstation")
        form.addRow(self.tr("营业厅 / 工作站"), self.workstation)
        self.reader = QComboBox()
        self.reader.setObjectName("settingsReader")
        self.reader.addItem(self.tr("模拟读卡器（演示、培训）"), "simulator")
        self.reader.addItem(self.tr("二代证读卡器（termb 接口）"), "termb")
        form.addRow(self.tr("身份证读卡器"), self.reader)
        self.termb_library = QLineEdit()
        self.termb_library.setObjectName("settingsTermbLibrary")
        self.termb_library.setPlaceholderText(self.tr("厂商库文件路径，如 C:\\termb\\termb.dll"))
        hint = self.termb_library.placeholderText()
        self.termb_library.setMinimumWidth(self.fontMetrics().horizontalAdvance(hint) + 24)
        form.addRow(self.tr("读卡器库文件"), self.termb_library)
        self.termb_port = QSpinBox()
        self.termb_port.setObjectName("settingsTermbPort")
        self.termb_port.setRange(1, 1016)
        form.addRow(self.tr("读卡器端口（1-16 串口，1001-1016 USB）"), self.termb_port)
        self.printer = QComboBox()
        self.printer.setObjectName("settingsPrinter")
        form.addRow(self.tr("打印机"), self.printer)
        self.scanner_folder = QLineEdit()
        self.scanner_folder.setObjectName("settingsScannerFolder")
        form.addRow(self.tr("扫描仪文件夹"), self.scanner_folder)
        self.language = QComboBox()
        self.language.setObjectName("settingsLanguage")
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        form.addRow(self.tr("界面语言（重新登录后生效）"), self.language)
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setObjectName("settingsIdleMinutes")
        self.idle_minutes.setRange(1, 120)
        self.idle_minutes.setSuffix(self.tr(" 分钟"))
        form.addRow(self.tr("无操作自动锁屏"), self.idle_minutes)
        self.text_scale = QComboBox()
        self.text_scale.setObjectName("settingsTextScale")
        for scale, label in (
            (1.0, self.tr("标准")),
            (1.25, self.tr("较大（125%）")),
            (1.5, self.tr("特大（150%）")),
        ):
            self.text_scale.addItem(label, scale)
        form.addRow(self.tr("文字大小（重新登录后生效）"), self.text_scale)
        self.reader.currentIndexChanged.connect(self._reader_changed)

    def _reader_changed(self) -> None:
        termb = self.reader.currentData() == "termb"
        self.termb_library.setEnabled(termb)
        self.termb_port.setEnabled(termb)

    def load(self) -> None:
        config = self._services.config
        ws = config.workstation
        codes = f"{ws.branch_code} / {ws.workstation_code}"
        zh = current_language() == "zh"
        self.workstation.setText(
            f"{ws.branch_name}（{codes}）" if zh else f"{ws.branch_name} ({codes})"
        )
        self.reader.setCurrentIndex(max(0, self.reader.findData(config.devices.id_reader)))
        self.termb_library.setText(config.devices.termb_library)
        self.termb_port.setValue(config.devices.termb_port)
        self.printer.clear()
        self.printer.addItem(self.tr("系统默认打印机"), "")
        for name in printer_names():
            self.printer.addItem(name, name)
        chosen = self._services.prefs.printer
        if chosen and self.printer.findData(chosen) < 0:
            self.printer.addItem(chosen + self.tr("（未连接）"), chosen)
        self.printer.setCurrentIndex(max(0, self.printer.findData(chosen)))
        self.scanner_folder.setText(str(self._services.scanner_folder))
        self.language.setCurrentIndex(max(0, self.language.findData(config.ui.language)))
        self.idle_minutes.setValue(config.ui.idle_lock_minutes)
        index = self.text_scale.findData(config.ui.text_scale)
        if index < 0:  # a value set in frontdesk.toml by hand
            self.text_scale.addItem(f"{config.ui.text_scale:.0%}", config.ui.text_scale)
            index = self.text_scale.count() - 1
        self.text_scale.setCurrentIndex(index)
        self._reader_changed()

    def reader_problem(self) -> str:
        return self._services.reader_problem

    def save(self) -> None:
        """Write the choices; raises ``ConfigError`` (nothing written) on a bad value."""
        services = self._services
        old_devices = services.config.devices
        services.update_config(
            ui={
                "language": self.language.currentData(),
                "idle_lock_minutes": self.idle_minutes.value(),
                "text_scale": float(self.text_scale.currentData()),
            },
            devices={
                "id_reader": self.reader.currentData(),
                "termb_library": self.termb_library.text().strip(),
                "termb_port": self.termb_port.value(),
            },
        )
        services.prefs.printer = self.printer.currentData() or ""
        folder = self.scanner_folder.text().strip()
        default_folder = str(services.ws.data_dir / "scans")
        services.prefs.scanner_folder = "" if folder == default_folder else folder
        services.prefs.save(services.ws.data_dir)
        if services.config.devices != old_devices:
            services.reload_devices()


class SettingsDialog(CounterDialog):
    """Hosts the settings page; emits ``saved`` after a successful save."""

    saved = Signal()

    def __init__(self, services: CounterServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SettingsDialog")
        self.setWindowTitle(self.tr("设置"))
        layout = QVBoxLayout(self)
        self.page = SettingsPage(services)
        self.page.load()
        layout.addWidget(self.page)
        self.message = MessageLine()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存 (Ctrl+S)"))
        buttons.button(QDialogButtonBox.StandardButton.Save).setShortcut("Ctrl+S")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消 (Esc)"))
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _save(self) -> None:
        try:
            self.page.save()
        except ConfigError as exc:
            self.message.show_error(
                self.tr("设置未保存：{detail}。请更正后再保存。").format(detail=exc)
            )
            return
        except OSError as exc:
            self.message.show_exception(exc)
            return
        self.saved.emit()
        problem = self.page.reader_problem()
        if problem:  # saved, but say so now rather than at the next card
            self.message.show_message(
                self.tr(
                    "设置已保存，但读卡器暂不可用：{detail}。请检查后再保存，或选择模拟读卡器。"
                ).format(detail=problem),
                "warning",
            )
            return
        self.accept()
