"""The import contracts in pyproject.toml ([tool.importlinter]) hold: the counter's layers
(docs/architecture.md), head office apart from the counter, core and devices without Qt
or SQLAlchemy, the shared protocol neutral, no package cycles. ``lint-imports`` runs on
the real configuration; a broken contract fails with its report (which import, where)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def test_every_import_contract_is_kept():
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    env = dict(os.environ)
    # the package checked is this checkout's, not whatever copy is installed
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [exe, "--no-cache", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    report = done.stdout + done.stderr
    assert done.returncode == 0, "lint-imports found broken import contracts:\n" + report
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in report, report


def test_qt_and_sqlalchemy_stay_out_of_core_and_devices_by_contract():
    # the intent of the former hand-written check, now enforced by lint-imports
    pure = next(c for c in _contracts() if c.get("id") == "pure-core")
    assert pure["type"] == "forbidden"
    assert set(pure["source_modules"]) == {"frontdesk.core", "frontdesk.devices"}
    assert {"PySide6", "sqlalchemy"} <= set(pure["forbidden_modules"])
    assert "ignore_imports" not in pure and "allow_indirect_imports" not in pure


def test_the_architecture_page_shows_the_layers_contract():
    # docs/architecture.md's diagram: the contract's layers, same names, same order
    layers = next(c for c in _contracts() if c.get("id") == "layers")["layers"]
    diagram = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8").split("```")[1]
    shown = [
        line.split("  ")[0].strip()
        for line in diagram.splitlines()
        if line.startswith("frontdesk.")
    ]
    assert shown == layers
