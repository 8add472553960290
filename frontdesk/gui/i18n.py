"""Interface language: Simplified Chinese by default, English through Qt translations.

Source strings in the GUI are Simplified Chinese (the clerks' language), so the
default needs no translation file at all and starts fastest. English comes from
``resources/i18n/frontdesk_en.ts`` compiled to ``.qm`` with ``pyside6-lrelease``
(:func:`compile_translations`, run by the build and by the tests when the ``.qm`` is
missing or older than the ``.ts``). Rule messages from the core follow the same
choice through :func:`frontdesk.core.messages.set_language`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .qt import QCoreApplication, QLibraryInfo, QTranslator

I18N_DIR = Path(__file__).resolve().parents[2] / "resources" / "i18n"
LANGUAGES = ("zh", "en")
LANGUAGE_NAMES = {"zh": "简体中文", "en": "English"}

_language = "zh"
_translator: QTranslator | None = None
_qt_translator: QTranslator | None = None
#: Qt's own strings (file dialogs, print dialogs, "Cancel"/"OK"…) per interface language;
#: PySide6 ships them in its translations folder. English needs none.
QT_CATALOGUES = {"zh": "qtbase_zh_CN"}


def qt_translations_dir() -> Path:
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def _install_qt_translations(language: str) -> bool:
    """Load Qt's own translations for ``language`` (Chinese buttons in Chinese mode)."""
    global _qt_translator
    app = QCoreApplication.instance()
    if _qt_translator is not None and app is not None:
        app.removeTranslator(_qt_translator)
    _qt_translator = None
    name = QT_CATALOGUES.get(language)
    if name is None or app is None:
        return name is None
    translator = QTranslator()
    if not translator.load(name, str(qt_translations_dir())):
        return False
    app.installTranslator(translator)
    _qt_translator = translator
    return True


def translate(context: str, text: str) -> str:
    """Translate ``text`` of ``context`` (a class or module name, as lupdate records it)."""
    return QCoreApplication.translate(context, text)


def current_language() -> str:
    return _language


def ts_path(language: str) -> Path:
    return I18N_DIR / f"frontdesk_{language}.ts"


def qm_path(language: str) -> Path:
    return I18N_DIR / f"frontdesk_{language}.qm"


def find_lrelease() -> str | None:
    """``pyside6-lrelease`` of *this* Python first (its venv's bin/Scripts folder, also
    when the venv is not activated), then PATH; None when neither has it."""
    import sys

    here = Path(sys.executable).parent
    for name in ("pyside6-lrelease", "pyside6-lrelease.exe"):
        candidate = here / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("pyside6-lrelease")


def compile_translations(force: bool = False) -> list[Path]:
    """Compile every ``.ts`` to ``.qm`` with ``pyside6-lrelease``; returns the ``.qm`` files.

    Skips files already up to date. Raises ``RuntimeError`` when the tool is missing
    (PySide6-Essentials ships it as ``pyside6-lrelease``).
    """
    tool = find_lrelease()
    made: list[Path] = []
    for ts in sorted(I18N_DIR.glob("frontdesk_*.ts")):
        qm = ts.with_suffix(".qm")
        if not force and qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
            made.append(qm)
            continue
        if tool is None:
            raise RuntimeError("pyside6-lrelease not found; install PySide6-Essentials")
        subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], check=True)
        made.append(qm)
    return made


def set_language(language: str) -> bool:
    """Switch the interface language; False when the English file can't be loaded.

    Widgets built afterwards use the new language; windows already shown are rebuilt
    by their owner (the sign-in window rebuilds itself, the counter window is rebuilt
    at the next sign-in).
    """
    global _language, _translator
    from ..core.messages import set_language as set_message_language

    app = QCoreApplication.instance()
    if _translator is not None and app is not None:
        app.removeTranslator(_translator)
        _translator = None
    ok = True
    if language != "zh":
        qm = qm_path(language)
        if not qm.exists():
            try:
                compile_translations()
            except (RuntimeError, OSError, subprocess.CalledProcessError):
                ok = False
        translator = QTranslator()
        if ok and translator.load(str(qm)) and app is not None:
            app.installTranslator(translator)
            _translator = translator
        else:
            ok = False
    _language = language if ok else "zh"
    _install_qt_translations(_language)
    set_message_language(_language)  # type: ignore[arg-type]
    return ok
