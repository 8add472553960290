"""Start the counter application: sign-in first, everything heavy after it is shown.

``run_app(data_dir)`` is what ``frontdesk gui`` and ``frontdesk demo`` call. Start-up
order, chosen for SPEC §12's 0.5 s to the sign-in window:

1. the Qt application and the sign-in window, with the branch read straight from the
   config file (``tomllib`` only — pydantic, SQLAlchemy and Alembic are not loaded yet);
2. once the window is shown, the workstation is opened on a worker thread
   (config validation, keys, database migration, catalogue) and the services built;
3. sign-in → forced password change when required → the counter window, the idle
   lock watching for inactivity; sign-out returns to the sign-in window.

``FRONTDESK_STARTUP_PROBE=<file>`` makes the app write the wall-clock time at which the
sign-in window was first shown into ``<file>`` and quit — for ``bench/bench_startup.py``.
"""

from __future__ import annotations

import os
import sys
import time
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .i18n import set_language
from .operations import GuiThreadCollector, OperationRunner
from .qt import QApplication, QObject, QTimer
from .signin import SignInWindow

if TYPE_CHECKING:
    from ..services.auth import StaffSession
    from ..services.workstation import Workstation
    from .context import CounterServices
    from .lock import IdleWatcher, LockDialog
    from .main_window import CounterWindow

PROBE_ENV = "FRONTDESK_STARTUP_PROBE"


def _quick_config(data_dir: Path) -> dict[str, Any]:
    """The raw config for the sign-in window; validated properly when the workstation opens."""
    try:
        return tomllib.loads((data_dir / "frontdesk.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}


def _branch_label(raw: dict[str, Any]) -> str:
    ws = raw.get("workstation", {}) if isinstance(raw.get("workstation"), dict) else {}
    if not ws:
        return ""
    return (
        f"{ws.get('branch_name', '')}  {ws.get('branch_code', '')}/{ws.get('workstation_code', '')}"
    )


def open_services(data_dir: Path, *, demo: bool = False) -> CounterServices:
    """Open the workstation and build the services (worker thread: slow imports and I/O)."""
    from ..services.workstation import Workstation
    from .context import CounterServices

    ws = Workstation.open(data_dir)
    _daily_backup(ws)
    services = CounterServices.build(ws, demo=demo)
    services.start_sync()
    try:  # F1 calls the next ticket from the branch queue
        from .queue_call import DeskTicketSource

        services.tickets = DeskTicketSource(services.queue_desk)
    except Exception:  # a bad [queue] section: walk-ins and typed tickets still work
        services.tickets = None
    return services


def _daily_backup(ws: Workstation) -> None:
    """Today's automatic backup at start-up (kept ``backup.keep`` days); a failure is
    logged and never stops the counter."""
    import logging

    from ..ops.backups import ensure_daily_backup

    try:
        ensure_daily_backup(ws.db_path, ws.backup_dir, keep=ws.config.backup.keep)
    except Exception as exc:
        logging.getLogger("frontdesk.backup").error("daily backup failed: %s", exc)


class CounterApp(QObject):
    """Owns the windows of one run: sign-in, the counter window, the lock screen."""

    def __init__(
        self, data_dir: Path, *, services: CounterServices | None = None, demo: bool = False
    ) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.demo = demo
        self.services = services
        self.session: StaffSession | None = None
        self.window: CounterWindow | None = None
        self.lock_dialog: LockDialog | None = None
        self.idle: IdleWatcher | None = None
        self.runner = OperationRunner(self)
        raw = _quick_config(data_dir)
        ui = raw.get("ui", {}) if isinstance(raw.get("ui"), dict) else {}
        self.language = ui.get("language", "zh") if ui.get("language") in ("zh", "en") else "zh"
        set_language(self.language)
        from .screen import apply_text_scale

        scale = ui.get("text_scale", 1.0)
        apply_text_scale(float(scale) if isinstance(scale, (int, float)) else 1.0)
        self._branch = _branch_label(raw)
        self.signin = self._make_signin()

    # -- sign-in ----------------------------------------------------------------------
    def _make_signin(self) -> SignInWindow:
        signin = SignInWindow(self._branch, self.language)
        signin.signed_in.connect(self._signed_in)
        signin.language_chosen.connect(self._language_chosen)
        if self.services is not None:
            signin.set_ready(self.services.auth)
        return signin

    def start(self) -> None:
        self.signin.show()
        if self.services is None:
            QTimer.singleShot(0, self._load)

    def _load(self) -> None:
        self.runner.run(
            lambda: open_services(self.data_dir, demo=self.demo), self._loaded, self._load_failed
        )

    def _loaded(self, services: CounterServices) -> None:
        self.services = services
        self.signin.set_ready(services.auth)

    def _load_failed(self, exc: BaseException) -> None:
        """The workstation did not open: the same message IT's commands give (in use by
        a restore, another counter's keys, disk full, a bad config…)."""
        from ..ops.failures import classify
        from .errors import message_text

        failure = classify(exc, where=str(self.data_dir))
        self.signin.set_failed(failure.text if failure is not None else message_text(exc))

    def _language_chosen(self, language: str) -> None:
        if language == self.language:
            return
        self.language = language
        set_language(language)
        if self.services is not None:
            try:
                self.services.update_config(ui={"language": language})
            except Exception as exc:  # the choice still applies to this run
                self.signin.message.show_exception(exc)
        old = self.signin
        self.signin = self._make_signin()
        self.signin.username.setText(old.username.text())
        old.close()
        old.deleteLater()
        self.signin.show()

    def _signed_in(self, session: StaffSession) -> None:
        if session.must_change_password:
            from .password import ChangePasswordDialog

            assert self.services is not None
            dialog = ChangePasswordDialog(
                self.services.auth, session, forced=True, parent=self.signin
            )
            dialog.changed.connect(self._open_counter)
            dialog.rejected.connect(self.signin.reset)
            dialog.open()
            return
        self._open_counter(session)

    # -- the counter window -------------------------------------------------------------
    def _open_counter(self, session: StaffSession) -> None:
        from .lock import IdleWatcher
        from .main_window import CounterWindow

        assert self.services is not None
        from .screen import apply_text_scale

        apply_text_scale(self.services.config.ui.text_scale)
        self.session = session
        self.window = CounterWindow(self.services, session)
        self.window.sign_out_requested.connect(self.sign_out)
        self.window.lock_requested.connect(self.lock)
        self.window.settings_requested.connect(self.open_settings)
        self.idle = IdleWatcher(self.services.config.ui.idle_lock_minutes, self)
        self.idle.idle.connect(self.lock)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
        self.signin.hide()
        self.window.showMaximized()  # the whole available screen, whatever its size
        self.window.activateWindow()
        self.window.queue.walk_in_button.setFocus()

    def lock(self) -> None:
        from .lock import LockDialog

        if self.window is None or self.session is None or self.lock_dialog is not None:
            return
        assert self.services is not None
        if self.idle is not None:
            self.idle.pause()
        self.window.cover(True)  # the customer's data is not left on the screen
        self.lock_dialog = LockDialog(self.services.auth, self.session, self.window)
        self.lock_dialog.unlocked.connect(self._unlocked)
        self.lock_dialog.sign_out_requested.connect(self.sign_out)
        self.lock_dialog.open()

    def _unlocked(self) -> None:
        self.lock_dialog = None
        if self.window is not None:
            self.window.cover(False)
        if self.idle is not None:
            self.idle.resume()

    def open_settings(self) -> None:
        from ..services.auth import Role
        from .authorise import request_approval
        from .settings_page import SettingsDialog

        window, services, session = self.window, self.services, self.session
        if window is None or services is None or session is None:
            return

        def show(_approval: object = None) -> None:
            dialog = SettingsDialog(services, window)
            dialog.saved.connect(self._settings_saved)
            dialog.open()

        if session.role in (Role.MANAGER, Role.IT_ADMIN):
            show()
            return
        request_approval(
            window,
            services.auth,
            session,
            show,
            action="open_settings",
            title=window.tr("修改工作站设置"),
            explanation=window.tr("设置仅限经理或 IT 管理员修改，请值班经理授权。"),
            reason=window.tr("修改工作站设置"),
        )

    def _settings_saved(self) -> None:
        assert self.services is not None
        if self.idle is not None:
            self.idle.set_minutes(self.services.config.ui.idle_lock_minutes)
        if self.window is not None:
            self.window.message.show_ok(
                self.window.tr("设置已保存。界面语言和文字大小在重新登录后生效。")
            )

    def sign_out(self) -> None:
        window = self.window
        if window is not None and window.visit_id is not None:
            window.confirm_sign_out(then=self.sign_out)  # asks; the visit is kept
            return
        if self.lock_dialog is not None:
            self.lock_dialog = None
        app = QApplication.instance()
        if self.idle is not None and app is not None:
            app.removeEventFilter(self.idle)
            self.idle.pause()
            self.idle = None
        self.session = None
        self.window = None
        if window is not None:
            window.close()
            window.deleteLater()
        new_language = self.services.config.ui.language if self.services else self.language
        if new_language != self.language:
            self.language = new_language
            set_language(new_language)
            old = self.signin
            self.signin = self._make_signin()
            old.deleteLater()
        self.signin.reset()
        self.signin.show()


def _install_probe(app: CounterApp, path: str) -> None:
    def shown() -> None:
        def write() -> None:
            Path(path).write_text(repr(time.time()), encoding="utf-8")
            QApplication.quit()

        QTimer.singleShot(0, write)

    app.signin.shown.connect(shown)


def run_app(data_dir: Path, *, demo: bool = False) -> int:
    """Run the counter application on ``data_dir``; returns the process exit code.

    ``demo`` (``frontdesk demo``) expects simulated devices; anywhere else they are shown
    in a red banner on the counter window."""
    from .screen import follow_system_scaling

    follow_system_scaling()
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    qt_app.setApplicationName("frontdesk")
    qt_app.setQuitOnLastWindowClosed(True)
    app = CounterApp(Path(data_dir), demo=demo)
    collector = GuiThreadCollector(qt_app)  # Qt objects die on the GUI thread only
    probe = os.environ.get(PROBE_ENV)
    if probe:
        _install_probe(app, probe)
    app.start()
    code = int(qt_app.exec())
    collector.stop()
    return code


if __name__ == "__main__":  # pragma: no cover - python -m frontdesk.gui.app <data dir>
    sys.exit(run_app(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd() / "demo-data"))
