"""The client's parts on their own: back-off, credential store, status, dataset checks,
the status widget and the command line."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from frontdesk.cli import build_parser
from frontdesk.headoffice.admin import canonical_digest
from frontdesk.headoffice.settings import SettingsError, load_settings
from frontdesk.sync.credentials import Credential, CredentialError, CredentialStore
from frontdesk.sync.puller import DatasetError, _check
from frontdesk.sync.retry import Backoff
from frontdesk.sync.status import describe_age, read_status


def test_backoff_grows_is_capped_and_jittered():
    b = Backoff(base_seconds=1, cap_seconds=60, rng=random.Random(1))
    delays = [b.next_delay() for _ in range(12)]
    assert 0.5 <= delays[0] <= 1
    assert all(d <= 60 for d in delays) and max(delays) >= 30
    assert len({round(d, 3) for d in delays[-5:]}) == 5  # not in lock-step
    b.reset()
    assert b.next_delay() <= 1


def test_credential_file_is_private_and_round_trips(tmp_path):
    store = CredentialStore(tmp_path, use_keyring=False)
    with pytest.raises(CredentialError):
        store.load()
    cred = Credential("http://127.0.0.1:1", "BJ0101", "W01", "secret", "2026-01-01T00:00:00")
    store.save(cred)
    assert store.load() == cred
    assert (tmp_path / "headoffice-credential.json").stat().st_mode & 0o777 == 0o600
    (tmp_path / "headoffice-credential.json").write_text("{broken")
    with pytest.raises(CredentialError):
        store.load()


def test_status_of_a_fresh_workstation(ws):
    status = read_status(ws.db)
    assert status.pending == 0 and status.rejected == 0 and status.level == "ok"
    assert status.last_success_at is None and status.oldest_pending_age() is None
    assert describe_age(dt.timedelta(minutes=3)) == "3 分钟 / 3 min"


def test_status_counts_pending_and_the_oldest(demo_ws):
    status = read_status(demo_ws.db, now=dt.datetime.now(dt.UTC))
    if status.pending:  # demo data writes synced records (audit entries)
        assert status.oldest_pending_at is not None and status.level == "pending"


def test_damaged_or_future_datasets_are_refused():
    body = {"staff": []}
    good = {
        "kind": "staff",
        "version": 3,
        "schema": 1,
        "digest": canonical_digest(body),
        "body": body,
    }
    assert _check(good) == ("staff", 3)
    with pytest.raises(DatasetError, match="digest"):
        _check({**good, "digest": "0" * 64})
    with pytest.raises(DatasetError, match="newer"):
        _check({**good, "schema": 99})
    with pytest.raises(DatasetError):
        _check({**good, "kind": "passwords"})


def test_headoffice_settings_from_file_and_env(tmp_path):
    cfg = tmp_path / "ho.toml"
    cfg.write_text('[server]\nport = 9001\n[database]\nurl = "postgresql://u@h/db"\n')
    s = load_settings(cfg, env={"FRONTDESK_HO_PORT": "9002"})
    assert s.server.port == 9002 and s.sqlalchemy_url.startswith("postgresql+psycopg://")
    cfg.write_text("[server]\nport = 0\n")
    with pytest.raises(SettingsError, match=r"server\.port"):
        load_settings(cfg, env={})
    with pytest.raises(SettingsError, match="not found"):
        load_settings(tmp_path / "missing.toml", env={})


def test_cli_has_sync_commands_and_keeps_the_old_ones():
    parser = build_parser()
    for argv in (
        ["init", "--branch", "B1", "--workstation", "W1"],
        ["health"],
        ["backup"],
        ["enrol", "--code", "ABCD"],
        ["sync"],
        ["headoffice", "serve"],
        ["headoffice", "init-db"],
        ["headoffice", "issue-code", "--branch", "B1", "--workstation", "W1"],
        ["headoffice", "revoke", "--branch", "B1", "--workstation", "W1"],
        ["headoffice", "silent"],
    ):
        assert parser.parse_args(argv).func


def test_status_widget_shows_what_the_provider_says(qtbot, ws):
    from frontdesk.gui.sync_status import SyncStatusWidget
    from frontdesk.sync.status import SyncStatus

    now = dt.datetime.now(dt.UTC)
    shown = SyncStatus(
        pending=7,
        oldest_pending_at=now - dt.timedelta(minutes=12),
        rejected=1,
        last_success_at=now - dt.timedelta(minutes=1),
        last_error="head office unreachable",
        last_error_at=now,
        as_of=now,
    )
    clicks = []
    widget = SyncStatusWidget(lambda: shown, on_sync_now=lambda: clicks.append(1))
    qtbot.addWidget(widget)
    assert "7" in widget.pending_label.text() and "12 分钟" in widget.pending_label.text()
    assert "总部拒收 1 条" in widget.error_label.text()  # the interface language only
    assert "rejected" not in widget.error_label.text()
    assert "unreachable" in widget.error_label.text()
    from frontdesk.gui.i18n import set_language

    try:
        set_language("en")
        english = SyncStatusWidget(lambda: shown)
        qtbot.addWidget(english)
        assert "pending 7 (oldest 12 min)" in english.pending_label.text()
        errors = english.error_label.text()
        assert "1 rejected" in errors and "拒收" not in errors
    finally:
        set_language("zh")
    widget.sync_button.click()
    assert clicks == [1]
    live = SyncStatusWidget(lambda: read_status(ws.db), interval_ms=50)
    qtbot.addWidget(live)
    with qtbot.waitSignal(live.updated, timeout=2000):
        pass
    assert live.last_status is not None and live.last_status.level in ("ok", "pending")


def test_without_the_keyring_package_the_credential_goes_to_the_0600_file(tmp_path, monkeypatch):
    import stat
    import sys

    monkeypatch.delenv("FRONTDESK_NO_KEYRING", raising=False)
    monkeypatch.setitem(sys.modules, "keyring", None)  # as on an install without it
    store = CredentialStore(tmp_path)
    assert store.where == str(store.path)  # not "keyring"
    cred = Credential("https://ho.example", "BJ0101", "W01", "t0ken", "2026-12-06")
    store.save(cred)
    assert store.load() == cred
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
