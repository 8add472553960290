"""The report service composed with its exporters (CSV, XLSX, PDF).

:mod:`frontdesk.services.reports` is given the layouts of :mod:`frontdesk.reports` as
adapters instead of importing them; this module is where the two meet. The manager
screen (``gui/tools.py``) and ``frontdesk report …`` (:mod:`frontdesk.cli.reports`) build
the service from here, so both export with the same exporters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from .reports.exporters import EXPORTERS
from .services import reports as _reports
from .services.reports import BranchSource, ExportResult, ReportExporter
from .services.workstation import Workstation


class ReportService(_reports.ReportService):
    """:class:`frontdesk.services.reports.ReportService` with the CSV, XLSX and PDF
    exporters unless ``exporters`` names others."""

    def __init__(
        self,
        ws: Workstation,
        *,
        branch_source: BranchSource | Callable[[], BranchSource | None] | None = None,
        known_counters: Sequence[str] = (),
        exporters: Mapping[str, ReportExporter] | None = None,
    ) -> None:
        super().__init__(
            ws,
            branch_source=branch_source,
            known_counters=known_counters,
            exporters=EXPORTERS if exporters is None else exporters,
        )


__all__ = ["EXPORTERS", "ExportResult", "ReportService"]
