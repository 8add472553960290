"""The CSV, XLSX and PDF exporters in the one shape the report service is given.

:class:`frontdesk.services.reports.ReportService` renders through whatever exporters
its composition root hands it (:mod:`frontdesk.reporting` for the window and the
command line), so the services never import this package. Every exporter takes the
same keywords (:class:`~frontdesk.services.reports.ReportExporter`); each uses what it
needs. The layout modules are imported on first use: openpyxl and reportlab are not
loaded until a manager exports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from ..core.reports import DaySummary, SlaPolicy, Table


def export_csv(
    summary: DaySummary,
    tables: Sequence[Table],
    *,
    language: str,
    branch_name: str,
    policy: SlaPolicy,
    fonts: Callable[[], Any],
) -> bytes:
    from .csv_export import render_csv

    return render_csv(summary, tables, language=language)


def export_xlsx(
    summary: DaySummary,
    tables: Sequence[Table],
    *,
    language: str,
    branch_name: str,
    policy: SlaPolicy,
    fonts: Callable[[], Any],
) -> bytes:
    from .xlsx_export import render_xlsx

    return render_xlsx(summary, tables, language=language)


def export_pdf(
    summary: DaySummary,
    tables: Sequence[Table],
    *,
    language: str,
    branch_name: str,
    policy: SlaPolicy,
    fonts: Callable[[], Any],
) -> bytes:
    from .pdf_export import render_pdf

    return render_pdf(
        summary, tables, fonts(), branch_name=branch_name, language=language, policy=policy
    )


EXPORTERS: Mapping[str, Callable[..., bytes]] = MappingProxyType(
    {"pdf": export_pdf, "xlsx": export_xlsx, "csv": export_csv}
)
"""Format → exporter, for :class:`~frontdesk.services.reports.ReportService`."""
