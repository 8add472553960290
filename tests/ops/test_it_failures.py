"""Every failure IT meets with the real commands: a bilingual message naming the cause,
the documented exit code, and nothing changed (docs/install.md, "Exit codes").

The disk failures are real: a small tmpfs fills up, a read-only bind mount refuses
writes, a folder owned by another account is opened by a process without root's
permission override (``setpriv`` drops CAP_DAC_OVERRIDE). The suite runs as root (CI
does), which these mounts need.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from frontdesk import cli
from frontdesk.cli import main
from frontdesk.core import it_failures as F
from frontdesk.store.backup import list_backups

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _log_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("FRONTDESK_LOG_DIR", str(tmp_path / "logs"))
    return tmp_path / "logs"


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and its content hash; the empty lock file and SQLite's
    bookkeeping (the shared-memory index, an empty WAL) hold no data and are left out."""
    found = {}
    for path in sorted(folder.rglob("*")):
        bookkeeping = path.name.endswith("-shm") or (
            path.name.endswith("-wal") and path.stat().st_size == 0
        )
        if path.is_file() and path.name != "frontdesk.lock" and not bookkeeping:
            found[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def init(folder: Path, *extra: str) -> int:
    return main(
        ["--data-dir", str(folder), "init", "--branch", "BJ0101", "--workstation", "W01", *extra]
    )


def run_cli(*args: str, pre: tuple[str, ...] = (), env: dict[str, str] | None = None):
    """The real command in its own process (as IT runs it)."""
    return subprocess.run(
        [*pre, sys.executable, "-m", "frontdesk.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        check=False,
    )


def bilingual(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text)) and bool(re.search(r"[A-Za-z]{4}", text))


@pytest.fixture
def tmpfs(tmp_path):
    mounts: list[Path] = []

    def mount(name: str, size: str) -> Path:
        point = tmp_path / name
        point.mkdir()
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)], check=True
        )
        mounts.append(point)
        return point

    yield mount
    for point in reversed(mounts):
        subprocess.run(["umount", "-l", str(point)], check=False)


@pytest.fixture
def read_only(tmp_path):
    mounts: list[Path] = []

    def bind(folder: Path) -> Path:
        point = tmp_path / f"ro-{folder.name}"
        point.mkdir()
        subprocess.run(["mount", "--bind", str(folder), str(point)], check=True)
        mounts.append(point)
        subprocess.run(["mount", "-o", "remount,bind,ro", str(point)], check=True)
        return point

    yield bind
    for point in reversed(mounts):
        subprocess.run(["umount", "-l", str(point)], check=False)


def test_init_on_a_full_disk_says_so_leaves_nothing_and_runs_again(tmpfs, capsys):
    disk = tmpfs("disk", "200k")
    folder = disk / "ws"
    assert init(folder) == F.EXIT_STORAGE == 3
    err = capsys.readouterr().err
    assert "磁盘空间已满" in err and "the disk is full" in err and bilingual(err)
    assert list(disk.iterdir()) == []  # no half-made folder, no temporary build folder
    subprocess.run(["mount", "-o", "remount,size=16m", str(disk)], check=True)
    assert init(folder) == 0  # the same command now succeeds: nothing was left to refuse it
    assert (folder / "frontdesk.db").exists() and sorted(p.name for p in disk.iterdir()) == ["ws"]


def test_init_into_a_prepared_folder_on_a_full_disk_keeps_the_folder_as_it_was(tmpfs, capsys):
    disk = tmpfs("disk", "200k")
    folder = disk / "ws"
    folder.mkdir()
    (folder / "frontdesk.toml").write_text(
        '[workstation]\nbranch_code = "BJ0101"\nworkstation_code = "W01"\n', encoding="utf-8"
    )
    before = snapshot(folder)
    assert main(["--data-dir", str(folder), "init"]) == 3
    assert "disk is full" in capsys.readouterr().err
    assert snapshot(folder) == before and sorted(p.name for p in folder.iterdir()) == [
        "frontdesk.toml"
    ]


def test_health_and_backup_on_a_read_only_folder(tmp_path, read_only, capsys):
    folder = tmp_path / "ws"
    assert init(folder) == 0
    ro = read_only(folder)
    before = snapshot(folder)
    for command in ("health", "backup"):
        capsys.readouterr()
        assert main(["--data-dir", str(ro), command]) == F.EXIT_STORAGE
        err = capsys.readouterr().err
        assert "只读" in err and "read-only" in err and str(ro) in err, err
        assert "Traceback" not in err
    assert snapshot(folder) == before


def test_a_folder_provisioned_for_another_account_is_refused_with_a_message(tmp_path):
    folder = tmp_path / "ws"
    assert init(folder) == 0
    tmp_path.chmod(0o755)
    subprocess.run(["chown", "-R", "nobody", str(folder)], check=True)
    before = snapshot(folder)
    # root without its permission override: an ordinary clerk's account
    clerk = ("setpriv", "--bounding-set=-dac_override,-dac_read_search")
    for command in ("health", "backup", "sync"):
        done = run_cli("--data-dir", str(folder), command, pre=clerk)
        assert done.returncode == F.EXIT_STORAGE, done.stderr
        assert "无权访问" in done.stderr and "may not use the Data folder" in done.stderr
        assert str(folder) in done.stderr and "Traceback" not in done.stderr
    assert snapshot(folder) == before


def _damage_middle_pages(path: Path) -> None:
    conn = sqlite3.connect(path)
    page_size, pages = (
        conn.execute("PRAGMA page_size").fetchone()[0],
        conn.execute("PRAGMA page_count").fetchone()[0],
    )
    conn.close()
    with open(path, "r+b") as fh:
        for page in range(pages // 3, pages // 3 + 4):
            fh.seek(page * page_size)
            fh.write(b"\xa5" * page_size)


def test_restore_of_a_backup_with_damaged_middle_pages_changes_nothing(tmp_path, capsys):
    folder = tmp_path / "ws"
    assert init(folder) == 0
    assert main(["--data-dir", str(folder), "backup"]) == 0
    backup = list_backups(folder / "backups", "manual")[-1]
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(backup.read_bytes())
    _damage_middle_pages(damaged)
    before = snapshot(folder)
    capsys.readouterr()
    assert main(["--data-dir", str(folder), "restore", str(damaged)]) == F.EXIT_DAMAGED == 6
    err = capsys.readouterr().err
    assert "备份文件已损坏" in err and "the backup is damaged" in err and "damaged.db" in err
    assert snapshot(folder) == before
    assert list_backups(folder / "backups", "before-restore") == []


def test_report_summary_for_year_one_names_the_option(tmp_path, capsys):
    folder = tmp_path / "ws"
    assert init(folder) == 0
    before = snapshot(folder)
    args = ["--data-dir", str(folder), "report", "summary", "--date", "0001-01-01"]
    assert main([*args, "--format", "pdf", "--out", str(tmp_path / "r.pdf")]) == 2
    err = capsys.readouterr().err
    assert "--date" in err and "0001-01-01" in err and bilingual(err)
    assert not (tmp_path / "r.pdf").exists() and snapshot(folder) == before


def test_an_unexpected_error_is_a_message_naming_the_log_and_the_log_has_the_trace(
    tmp_path, monkeypatch, capsys, _log_dir
):
    # an area command (the documented extension point) that fails in a way no one foresaw
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    monkeypatch.setitem(cli.AREA_COMMANDS, "crash", ("crashing_area", "fails on purpose"))
    assert main(["--data-dir", str(tmp_path), "crash"]) == F.EXIT_INTERNAL == 70
    err = capsys.readouterr().err
    assert "发生意外错误" in err and "unexpected error" in err and "Traceback" not in err
    log = (_log_dir / "frontdesk.log").read_text(encoding="utf-8")
    assert str(_log_dir / "frontdesk.log") in err
    assert "Traceback" in log and "an area nobody finished" in log


def test_exit_codes_are_the_ones_docs_install_lists():
    text = (ROOT / "docs" / "install.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| (\d+) \| ([^|]+?) \|", text, re.MULTILINE))
    assert {int(k): v.strip() for k, v in table.items()} == F.EXIT_CODES


def test_commands_log_what_they_did(tmp_path, capsys, _log_dir):
    folder = tmp_path / "ws"
    assert init(folder) == 0
    assert main(["--data-dir", str(folder), "backup"]) == 0
    backup = list_backups(folder / "backups", "manual")[-1]
    assert main(["--data-dir", str(folder), "restore", str(backup)]) == 0
    assert main(["--data-dir", str(tmp_path / "nowhere"), "health"]) == 2
    log = (_log_dir / "frontdesk.log").read_text(encoding="utf-8")
    assert "command init started" in log and "initialised" in log and "schema" in log
    assert "migrating database" in log  # the new database's migrations
    assert "backup written" in log and "restored" in log and "before-restore" in log
    assert "command health failed (exit 2)" in log


def test_restore_is_refused_while_another_process_has_the_workstation_open(tmp_path, capsys):
    folder = tmp_path / "ws"
    assert init(folder) == 0
    assert main(["--data-dir", str(folder), "backup"]) == 0
    backup = list_backups(folder / "backups", "manual")[-1]
    # the counter application's way in: Workstation.open, held until it closes
    app = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from frontdesk.services.workstation import Workstation;"
            f"ws = Workstation.open({str(folder)!r}); print('open', flush=True);"
            "sys.stdin.readline(); ws.close()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert app.stdout.readline().strip() == "open"
        before = snapshot(folder)
        capsys.readouterr()
        assert main(["--data-dir", str(folder), "restore", str(backup)]) == F.EXIT_IN_USE == 7
        err = capsys.readouterr().err
        assert "正在使用中" in err and "Close the counter application" in err
        assert snapshot(folder) == before
        assert main(["--data-dir", str(folder), "health"]) == 0  # reading alongside is fine
    finally:
        app.communicate("\n", timeout=60)
    assert main(["--data-dir", str(folder), "restore", str(backup)]) == 0  # closed: allowed


def test_the_app_cannot_open_the_workstation_while_a_restore_holds_it(tmp_path):
    from frontdesk.ops.lock import WorkstationInUse, WorkstationLock
    from frontdesk.services.workstation import Workstation

    folder = tmp_path / "ws"
    assert init(folder) == 0
    with (
        WorkstationLock(folder).acquire(exclusive=True),
        pytest.raises(WorkstationInUse, match="a restore is running"),
    ):
        Workstation.open(folder)
    Workstation.open(folder).close()


def test_second_restore_keeps_both_copies_lists_them_and_prunes_by_age(tmp_path, capsys):
    folder = tmp_path / "ws"
    assert init(folder) == 0
    assert main(["--data-dir", str(folder), "backup"]) == 0
    backup = list_backups(folder / "backups", "manual")[-1]
    assert main(["--data-dir", str(folder), "restore", str(backup)]) == 0
    assert main(["--data-dir", str(folder), "restore", str(backup)]) == 0
    copies = list_backups(folder / "backups", "before-restore")
    assert len(copies) == 2
    capsys.readouterr()
    assert main(["--data-dir", str(folder), "backup", "--list"]) == 0
    listed = capsys.readouterr().out
    assert all(str(c) in listed for c in copies) and str(backup) in listed
    old = copies[0].stat().st_mtime - 91 * 86_400
    os.utime(copies[0], (old, old))
    assert main(["--data-dir", str(folder), "restore", str(backup)]) == 0
    left = list_backups(folder / "backups", "before-restore")
    assert copies[0] not in left and copies[1] in left and len(left) == 2


def test_init_keeps_and_checks_a_config_written_beforehand(tmp_path, capsys):
    folder = tmp_path / "ws"
    folder.mkdir()
    written = (
        '[workstation]\nbranch_code = "BJ0101"\nworkstation_code = "W07"\n'
        'branch_name = "朝阳门店"\n\n[ui]\nlanguage = "en"\n'
    )
    (folder / "frontdesk.toml").write_text(written, encoding="utf-8")
    # an option that disagrees with IT's file is refused, naming the option
    assert main(["--data-dir", str(folder), "init", "--workstation", "W08"]) == 2
    err = capsys.readouterr().err
    assert "--workstation W08" in err and "workstation.workstation_code" in err
    assert (folder / "frontdesk.toml").read_text(encoding="utf-8") == written
    assert sorted(p.name for p in folder.iterdir()) == ["frontdesk.toml"]
    assert main(["--data-dir", str(folder), "init"]) == 0
    assert (folder / "frontdesk.toml").read_text(encoding="utf-8") == written  # kept as written
    assert "BJ0101/W07" in capsys.readouterr().out


def test_init_refuses_a_bad_config_written_beforehand_naming_the_key(tmp_path, capsys):
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "frontdesk.toml").write_text(
        '[workstation]\nbranch_code = "bj-01"\nworkstation_code = "W07"\n', encoding="utf-8"
    )
    assert main(["--data-dir", str(folder), "init"]) == 2
    err = capsys.readouterr().err
    assert "workstation.branch_code" in err and "frontdesk.toml" in err
    assert sorted(p.name for p in folder.iterdir()) == ["frontdesk.toml"]


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["--workstation", "W01"], "--branch"),
        (["--branch", "BJ0101"], "--workstation"),
        (["--branch", "bj-01", "--workstation", "W01"], "--branch:"),
        (
            ["--branch", "BJ0101", "--workstation", "W01", "--head-office-url", "ho"],
            "--head-office-url:",
        ),
        (
            ["--branch", "BJ0101", "--workstation", "W01", "--head-office-url", "ftp://x"],
            "--head-office-url:",
        ),
    ],
)
def test_init_messages_name_the_option_and_leave_no_folder(tmp_path, capsys, options, named):
    folder = tmp_path / "ws"
    assert main(["--data-dir", str(folder), "init", *options]) == 2
    err = capsys.readouterr().err
    assert named in err and bilingual(err) and "workstation.branch_code" not in err
    assert not folder.exists()
    assert not any(p.name.startswith(".ws.init-") for p in tmp_path.iterdir())
    assert (
        main(["--data-dir", str(folder), "init", "--branch", "BJ0101", "--workstation", "W01"]) == 0
    )


def test_selfcheck_prints_every_line_even_when_qt_cannot_start(tmp_path):
    # a Qt platform plugin that is not there makes Qt abort its process (134): the
    # report is printed line by line before, and the Qt line says what happened
    done = run_cli("selfcheck", "--platform", "nosuchplatform")
    assert done.returncode == F.EXIT_PROBLEM, done.stdout + done.stderr
    out = done.stdout
    for name in ("database", "catalogue", "visit", "pdf"):
        assert f"ok   {name}:" in out
    assert "FAIL gui: RuntimeError: Qt could not start on platform 'nosuchplatform'" in out
    assert "Qt aborted" in out and "Available platform plugins" in out


def test_selfcheck_says_which_checks_depend_on_a_failed_one(tmpfs):
    full = tmpfs("tiny", "64k")  # the throw-away workstation does not fit
    done = run_cli("selfcheck", "--no-gui", env={"TMPDIR": str(full)})
    assert done.returncode == F.EXIT_PROBLEM
    out = done.stdout
    assert "FAIL database:" in out and "full" in out
    assert "FAIL catalogue: not checked, it needs database, which failed" in out
    assert "FAIL visit: not checked, it needs database, catalogue, which failed" in out
    assert "FAIL pdf: not checked, it needs visit, which failed" in out
    assert "KeyError" not in out


def test_health_on_a_database_with_damaged_pages_says_restore_a_backup(tmp_path, capsys):
    folder = tmp_path / "ws"
    assert init(folder) == 0
    _damage_middle_pages(folder / "frontdesk.db")
    before = snapshot(folder)
    capsys.readouterr()
    assert main(["--data-dir", str(folder), "health"]) == F.EXIT_DAMAGED
    err = capsys.readouterr().err
    assert "数据库文件已损坏" in err and "the database file is damaged" in err
    assert "restore a backup" in err and "Traceback" not in err
    assert snapshot(folder) == before


def test_a_read_only_database_file_is_named_as_read_only(tmp_path):
    folder = tmp_path / "ws"
    assert init(folder) == 0
    (folder / "frontdesk.db").chmod(0o444)  # the folder is writable, the database is not
    before = snapshot(folder)
    clerk = ("setpriv", "--bounding-set=-dac_override,-dac_read_search")
    assert run_cli("--data-dir", str(folder), "health", pre=clerk).returncode == 0  # reads
    done = run_cli("--data-dir", str(folder), "purge-identities", pre=clerk)  # writes
    assert done.returncode == F.EXIT_STORAGE, done.stdout + done.stderr
    assert "只读" in done.stderr and "is read-only" in done.stderr
    assert snapshot(folder) == before


def test_a_database_held_by_a_long_write_is_reported_in_use(tmp_path, capsys):
    folder = tmp_path / "ws"
    assert init(folder) == 0
    writer = sqlite3.connect(folder / "frontdesk.db", isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another program's write that does not end
        # the command waits the busy timeout (30 s), then says so
        assert main(["--data-dir", str(folder), "health"]) == F.EXIT_IN_USE
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    err = capsys.readouterr().err
    assert "正在使用中" in err and "in use" in err


def test_sync_before_enrolment_says_to_enrol(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FRONTDESK_NO_KEYRING", "1")
    folder = tmp_path / "ws"
    assert init(folder) == 0
    assert main(["--data-dir", str(folder), "sync"]) == F.EXIT_USAGE
    err = capsys.readouterr().err
    assert "未向总部注册" in err and "run 'frontdesk enrol'" in err


def test_output_closed_by_its_reader_is_not_a_head_office_failure(tmp_path):
    folder = tmp_path / "ws"
    assert init(folder) == 0
    # `frontdesk health | grep -q OK`: the reader may leave before the command prints
    proc = subprocess.Popen(
        [sys.executable, "-m", "frontdesk.cli", "--data-dir", str(folder), "health"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # block-buffered output, as on a machine without PYTHONUNBUFFERED
        env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
        | {"PYTHONPATH": str(ROOT)},
    )
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait() == 141 and err == ""


def test_a_counter_that_never_syncs_settles_right_after_a_restore(demo_ws, capsys):
    from frontdesk.services.auth import AuthService
    from frontdesk.services.intake import IntakeService
    from frontdesk.services.workstation import Workstation

    folder = demo_ws.data_dir
    demo_ws.close()
    assert main(["--data-dir", str(folder), "backup"]) == 0
    backup = list_backups(folder / "backups", "manual")[-1]
    assert main(["--data-dir", str(folder), "restore", str(backup)]) == 0
    assert "confirms its last slip" not in capsys.readouterr().out  # no head office to ask
    ws = Workstation.open(folder)
    try:
        clerk = AuthService(ws.db, ws.config.security, ws.clock).sign_in("clerk01", "Counter2026")
        intake = IntakeService(ws)
        visit = intake.open_visit(clerk)
        intake.add_business(
            clerk, visit, "TOP_UP", {"topup_amount": "20"}, service_number="13800138000"
        )
        intake.add_payment(clerk, visit, "cash", 2_000)
        assert intake.settle(clerk, visit).receipt_no.endswith("R000001")
    finally:
        ws.close()


def test_a_key_export_to_a_full_stick_leaves_no_half_file(tmp_path, tmpfs, capsys):
    folder = tmp_path / "ws"
    assert init(folder) == 0
    stick = tmpfs("stick", "64k")
    with open(stick / "photos.bin", "wb", buffering=0) as fh:  # the stick is full
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError:
            pass
    os.environ["FRONTDESK_KEYS_PASSPHRASE"] = "a-long-enough-passphrase"
    try:
        code = main(["--data-dir", str(folder), "keys", "export", "--out", str(stick / "k")])
    finally:
        del os.environ["FRONTDESK_KEYS_PASSPHRASE"]
    assert code == F.EXIT_STORAGE
    assert "the disk is full" in capsys.readouterr().err
    assert sorted(p.name for p in stick.iterdir()) == ["photos.bin"]
