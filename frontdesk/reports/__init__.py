"""Exports of the manager's summaries: PDF (with charts), XLSX and CSV.

The figures come from :mod:`frontdesk.core.reports` as :class:`~frontdesk.core.reports.Table`
objects, so every format shows the same numbers; these modules only lay them out.
The report service is given them (:mod:`.exporters`); this package imports no service.
"""
