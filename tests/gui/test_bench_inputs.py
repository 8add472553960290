"""The clerk-effort script (bench/bench_gui_inputs.py) still drives all four scenarios."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_gui_inputs.py"


def test_standard_scenarios_settle_by_keyboard_alone(qapp, tmp_path):
    spec = importlib.util.spec_from_file_location("bench_gui_inputs", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    results = module.run_all(tmp_path)
    assert list(results) == list(module.SCENARIOS)
    for count in results.values():
        assert count.clicks == 0 and count.inputs > 0  # no mouse needed anywhere
