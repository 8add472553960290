"""The report service is given its exporters: no module of frontdesk.services imports
frontdesk.reports (not even inside a function), and frontdesk.reports imports neither
the services, the sync client nor the command line that compose them."""

from __future__ import annotations

import ast
from pathlib import Path

import frontdesk

PACKAGE = Path(frontdesk.__file__).parent


def imported_packages(package: str) -> dict[str, set[str]]:
    """Module file → the frontdesk packages it imports anywhere (top level or lazily)."""
    found: dict[str, set[str]] = {}
    for path in sorted((PACKAGE / package).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level == 0:
                    module = node.module or ""
                else:  # relative: frontdesk/<package>/x.py → level 1 is frontdesk.<package>
                    parts = ["frontdesk", *path.relative_to(PACKAGE).parent.parts]
                    base = parts[: len(parts) - node.level + 1]
                    module = ".".join([*base, *([node.module] if node.module else [])])
                names.add(module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[str(path.relative_to(PACKAGE))] = {
            ".".join(n.split(".")[:2]) for n in names if n.startswith("frontdesk.")
        }
    return found


def test_services_import_no_exporter():
    offenders = {
        module: deps & {"frontdesk.reports", "frontdesk.reporting"}
        for module, deps in imported_packages("services").items()
        if deps & {"frontdesk.reports", "frontdesk.reporting"}
    }
    assert offenders == {}
    assert "services/reports.py" in imported_packages("services")  # the scan saw the service


def test_the_exporters_import_no_service_no_sync_and_no_command_line():
    forbidden = {"frontdesk.services", "frontdesk.sync", "frontdesk.cli", "frontdesk.cli_reports"}
    scanned = imported_packages("reports")
    assert scanned["reports/exporters.py"] == {"frontdesk.core", "frontdesk.reports"}
    assert {m: d & forbidden for m, d in scanned.items() if d & forbidden} == {}
