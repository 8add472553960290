"""Exports of the manager's summaries: PDF (with charts), XLSX and CSV, and the CLI.

The figures come from :mod:`frontdesk.core.reports` as :class:`~frontdesk.core.reports.Table`
objects, so every format shows the same numbers; these modules only lay them out.
"""
