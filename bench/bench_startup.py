"""Start-up time: process start → sign-in window shown (SPEC §12: ≤ 0.5 s warm).

Each run starts a fresh Python process the way the clerk's shortcut does
(``python -m frontdesk.gui.app <data dir>``) with ``FRONTDESK_STARTUP_PROBE`` set: the
app writes the time its sign-in window was first shown and quits. Beside it, in the
same run, a bare PySide6 window is started the same way, as the floor this machine
allows. Reports the medians of repeated, alternating runs (after one warm-up each).

    python bench/bench_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE = """
import sys, time, pathlib
from PySide6.QtWidgets import QApplication, QWidget, QLabel, QVBoxLayout
from PySide6.QtCore import QTimer
app = QApplication(sys.argv[:1])
class W(QWidget):
    def showEvent(self, e):
        super().showEvent(e)
        def done():
            pathlib.Path(sys.argv[1]).write_text(repr(time.time()))
            app.quit()
        QTimer.singleShot(0, done)
w = W(); QVBoxLayout(w).addWidget(QLabel("bare")); w.show()
app.exec()
"""


def one(cmd: list[str], probe: Path, env: dict[str, str]) -> float:
    probe.unlink(missing_ok=True)
    start = time.time()
    subprocess.run(cmd, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return float(probe.read_text()) - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "demo"
        subprocess.run(
            [sys.executable, "-m", "frontdesk.cli", "--data-dir", str(data), "demo", "--no-gui"],
            env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        probe = Path(tmp) / "probe"
        app_cmd = [sys.executable, "-m", "frontdesk.gui.app", str(data)]
        cli_cmd = [sys.executable, "-m", "frontdesk.cli", "--data-dir", str(data), "gui"]
        bare_cmd = [sys.executable, "-c", BARE, str(probe)]
        app_env = {**env, "FRONTDESK_STARTUP_PROBE": str(probe)}
        one(app_cmd, probe, app_env), one(bare_cmd, probe, env)  # warm the caches
        app_times, bare_times, cli_times = [], [], []
        for _ in range(args.runs):
            app_times.append(one(app_cmd, probe, app_env))
            bare_times.append(one(bare_cmd, probe, env))
            cli_times.append(one(cli_cmd, probe, app_env))
    app_ms = statistics.median(app_times) * 1000
    bare_ms = statistics.median(bare_times) * 1000
    print(f"runs: {args.runs} each, platform {env['QT_QPA_PLATFORM']}")
    print(f"frontdesk sign-in window: median {app_ms:.0f} ms "
          f"(min {min(app_times) * 1000:.0f}, max {max(app_times) * 1000:.0f})")  # fmt: skip
    print(f"bare PySide6 window:      median {bare_ms:.0f} ms "
          f"(min {min(bare_times) * 1000:.0f}, max {max(bare_times) * 1000:.0f})")  # fmt: skip
    print(f"ratio: {app_ms / bare_ms:.2f}x   target: ≤ 500 ms and ≤ 3x")
    cli_ms = statistics.median(cli_times) * 1000
    print(f"via 'frontdesk gui' (the command line entry): median {cli_ms:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
