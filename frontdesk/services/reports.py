"""Daily summaries for a counter or the branch, and their audited exports (SPEC §7).

The figures are computed by :mod:`frontdesk.core.reports` from grouped rows read with a
handful of set-based SQL statements (:mod:`.report_rows`); the branch-wide figures from
head office are :mod:`.report_branch`'s. Both modules' public names are importable from
here too.

Role checks: a clerk sees their own counter's figures only; a manager sees the branch.
Branch-wide figures come from head office when it answers (``branch_source``: anything
with ``day_summary(date) -> dict``, i.e. :class:`frontdesk.sync.client.HeadOfficeClient`);
otherwise the summary holds this workstation's figures and names the counters missing.
Every export is written and audited in one unit of work; its bytes come from the
exporters the service is given (:class:`ReportExporter`), so nothing here imports
:mod:`frontdesk.reports`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import logging
import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from ..core.clock import local_time, utc_bounds
from ..core.messages import RuleViolation, define, define_field, error
from ..core.reports import (
    DaySummary,
    SlaPolicy,
    Table,
    build_summary,
    summary_tables,
)
from ..store import audit
from .auth import StaffSession
from .report_branch import (
    KNOWN_COUNTERS_KEY,
    BranchFigures,
    BranchRowsSource,
    BranchSource,
    HeadOfficeTotals,
    ManagerPass,
    merge_rows,
    rows_from_head_office,
)
from .report_rows import (
    read_corrections,
    read_day_closes,
    read_payment_groups,
    read_rows,
    staff_names,
)
from .workstation import Workstation

log = logging.getLogger(__name__)

FORMATS = ("pdf", "xlsx", "csv")
MAX_DAYS = 92  # a quarter: longer ranges are head office's job

define_field("report.date_from", zh="开始日期", en="Start date")
define_field("report.date_to", zh="结束日期", en="End date")
define_field("report.scope", zh="统计范围", en="Scope")
define_field("report.format", zh="导出格式", en="Export format")
define_field("report.path", zh="导出文件", en="Export file")
define_field("report.manager_password", zh="经理密码", en="Manager's password")

define(
    "report.branch_managers_only",
    zh="全营业厅汇总仅限经理查看；营业员可查看本柜台的汇总。",
    en="Branch-wide summaries are for managers; clerks can see their own counter's summary.",
)
define(
    "report.manager_refused",
    zh="总部未确认经理身份（{field}）：用户名或密码错误，或该账号不是本营业厅的经理。",
    en="Head office did not accept the manager ({field}): wrong username or password, or"
    " not a manager of this branch.",
)
define(
    "report.manager_locked",
    zh="经理验证失败次数过多，总部暂停受理（{field}），请 5 分钟后再试。",
    en="Too many failed manager sign-ins at head office ({field}); try again in 5 minutes.",
)
define(
    "report.role_not_allowed",
    zh="{role}账号不能查看营业汇总，请由营业员或经理操作。",
    en="A {role} account cannot see business summaries; please ask a clerk or a manager.",
)
define(
    "report.dates_reversed",
    zh="{field}不能早于开始日期，请重新选择。",
    en="The {field} can't be before the start date; please choose again.",
)
define(
    "report.range_too_long",
    zh="统计区间最长 {max} 天，请缩短{field}范围或分段导出。",
    en="A report covers at most {max} days; please move the {field} closer or export in parts.",
)
define(
    "report.future_date",
    zh="{field} {day} 尚未到来，请选择今天或以前的日期。",
    en="The {field} {day} is in the future; please choose today or an earlier day.",
)
define(
    "report.unknown_format",
    zh="{field}“{fmt}”不受支持，请选择 PDF、XLSX 或 CSV。",
    en="{field} “{fmt}” is not supported; choose PDF, XLSX or CSV.",
)
define(
    "report.cannot_write",
    zh="无法写入{field} {path}：{why}。请换一个文件夹或检查磁盘空间。",
    en="Could not write the {field} {path}: {why}. Choose another folder or check the disk.",
)


class ReportExporter(Protocol):
    """Lays a summary's tables out as one format's bytes (CSV, XLSX, PDF).

    The service is given its exporters by the composition root
    (:mod:`frontdesk.reporting` passes :data:`frontdesk.reports.exporters.EXPORTERS`), so
    this package does not import the layouts. ``fonts`` loads the printing fonts on
    demand (only a PDF needs them).
    """

    def __call__(
        self,
        summary: DaySummary,
        tables: Sequence[Table],
        *,
        language: str,
        branch_name: str,
        policy: SlaPolicy,
        fonts: Callable[[], Any],
    ) -> bytes: ...


@dataclass(frozen=True)
class ExportResult:
    path: Path
    fmt: str
    size: int
    summary: DaySummary


# --------------------------------------------------------------------------- the service


class ReportService(BranchFigures):
    """Summaries (read) and exports (write + audit) for the manager screen and the CLI.

    ``exporters`` maps a format (:data:`FORMATS`) to the :class:`ReportExporter` that lays
    it out; a format without one is refused as unsupported. Built with the CSV, XLSX and
    PDF exporters by :class:`frontdesk.reporting.ReportService`.
    """

    def __init__(
        self,
        ws: Workstation,
        *,
        branch_source: BranchSource | Callable[[], BranchSource | None] | None = None,
        known_counters: Sequence[str] = (),
        exporters: Mapping[str, ReportExporter] | None = None,
    ) -> None:
        self._ws = ws
        self._exporters = dict(exporters or {})
        self._branch_source = branch_source
        self._known_counters = tuple(known_counters)
        self._manager: ManagerPass | None = None
        self.policy = SlaPolicy.from_catalogue(ws.catalogue)
        self._fonts: Any = None

    def today(self) -> dt.date:
        """The business day now, by the workstation's clock."""
        return local_time(self._ws.clock.now()).date()

    # -- checks -----------------------------------------------------------------------
    def _check(
        self,
        staff: StaffSession | None,
        date_from: dt.date,
        date_to: dt.date,
        branch: bool,
    ) -> None:
        problems = []
        if staff is not None:
            role = staff.role.value
            if role not in ("clerk", "manager"):
                label = {"it_admin": "IT 管理员"}.get(role, role)
                raise RuleViolation([error("report.role_not_allowed", "report.scope", role=label)])
            if branch and not staff.is_manager:
                raise RuleViolation([error("report.branch_managers_only", "report.scope")])
        if date_to < date_from:
            problems.append(error("report.dates_reversed", "report.date_to"))
        elif (date_to - date_from).days + 1 > MAX_DAYS:
            problems.append(error("report.range_too_long", "report.date_to", max=MAX_DAYS))
        today = local_time(self._ws.clock.now()).date()
        if date_from > today:
            problems.append(
                error("report.future_date", "report.date_from", day=date_from.isoformat())
            )
        if problems:
            raise RuleViolation(problems)

    # -- summary ----------------------------------------------------------------------
    def summary(
        self,
        staff: StaffSession | None,
        date_from: dt.date,
        date_to: dt.date | None = None,
        *,
        branch: bool = False,
    ) -> DaySummary:
        """The summary of this counter (or the branch) for the day or the date range,
        with the period's day closes (日结) of the counters this workstation knows.

        ``staff`` None is a trusted batch job on this workstation (the CLI without
        ``--user``): it may see the branch.
        """
        summary = self._summary(staff, date_from, date_to, branch=branch)
        ident = self._ws.identity
        with self._ws.db.reader() as s:
            closes = read_day_closes(
                s,
                branch=ident.branch_code,
                workstation=None if branch else ident.workstation_code,
                date_from=summary.date_from,
                date_to=summary.date_to,
            )
        return replace(summary, day_closes=closes)

    def _summary(
        self,
        staff: StaffSession | None,
        date_from: dt.date,
        date_to: dt.date | None = None,
        *,
        branch: bool = False,
    ) -> DaySummary:
        """The summary of this counter (or the branch) for the day or the date range.

        ``staff`` None is a trusted batch job on this workstation (the CLI without
        ``--user``): it may see the branch.
        """
        date_to = date_to or date_from
        self._check(staff, date_from, date_to, branch)
        ident = self._ws.identity
        now = self._ws.clock.now()
        with self._ws.db.reader() as s:
            rows = read_rows(
                s,
                branch=ident.branch_code,
                workstation=ident.workstation_code,
                date_from=date_from,
                date_to=date_to,
                now=now,
            )
            remembered = self._remembered_counters(s)
        if not branch:
            return build_summary(
                rows,
                self.policy,
                scope="counter",
                branch_code=ident.branch_code,
                workstation_code=ident.workstation_code,
                date_from=date_from,
                date_to=date_to,
                generated_at=now,
            )
        return self._branch_figures(staff, rows, remembered, date_from, date_to, now)

    # -- tables and rendering ---------------------------------------------------------
    def tables(self, summary: DaySummary, language: str = "zh") -> list[Table]:
        return summary_tables(summary, self.policy, language=language, local_time=_local_naive)

    @property
    def fonts(self) -> Any:
        if self._fonts is None:
            from ..printing.fonts import load_font_set

            self._fonts = load_font_set(None, self._ws.data_dir)
        return self._fonts

    def render(self, summary: DaySummary, fmt: str, *, language: str = "zh") -> bytes:
        """The export's bytes (no file, no audit: :meth:`export` does both), laid out by
        the exporter this service was given for ``fmt``."""
        exporter = self._exporters.get(fmt) if fmt in FORMATS else None
        if exporter is None:
            raise RuleViolation([error("report.unknown_format", "report.format", fmt=fmt)])
        return exporter(
            summary,
            self.tables(summary, language),
            language=language,
            branch_name=self._ws.config.workstation.branch_name,
            policy=self.policy,
            fonts=lambda: self.fonts,
        )

    # -- export (one unit of work: file + audit entry) --------------------------------
    def export(
        self,
        staff: StaffSession | None,
        date_from: dt.date,
        date_to: dt.date | None,
        *,
        branch: bool,
        fmt: str,
        path: Path | str,
        language: str = "zh",
        via: str = "gui",
    ) -> ExportResult:
        """Compute, render, write ``path`` atomically and audit the export — or nothing."""
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise RuleViolation([error("report.unknown_format", "report.format", fmt=fmt)])
        summary = self.summary(staff, date_from, date_to, branch=branch)
        data = self.render(summary, fmt, language=language)
        path = Path(path)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
        with self._ws.db.unit_of_work() as uow:
            audit.record(
                uow.session,
                actor_id=staff.staff_id if staff else None,
                action="report.exported",
                object_type="report",
                object_id=f"{summary.scope}:{summary.period_label}",
                detail={
                    "format": fmt,
                    "scope": summary.scope,
                    "from": summary.date_from.isoformat(),
                    "to": summary.date_to.isoformat(),
                    "file": path.name,
                    "bytes": len(data),
                    "source": summary.source,
                    "missing_counters": list(summary.missing_counters),
                    "via": via,
                    **({} if staff else {"os_user": _os_user()}),
                },
            )
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                with open(tmp, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, path)
            except OSError as exc:
                with contextlib.suppress(OSError):
                    tmp.unlink(missing_ok=True)
                raise RuleViolation(
                    [
                        error(
                            "report.cannot_write",
                            "report.path",
                            path=str(path),
                            why=exc.strerror or type(exc).__name__,
                        )
                    ]
                ) from exc
            committed = False
            try:
                uow.commit()
                committed = True
            finally:
                if not committed:  # an unaudited export must not remain
                    with contextlib.suppress(OSError):
                        path.unlink(missing_ok=True)
        return ExportResult(path, fmt, len(data), summary)


def _local_naive(value: dt.datetime) -> dt.datetime:
    """Business-time wall clock without tzinfo (what Excel and paper show)."""
    return local_time(value).replace(tzinfo=None)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in a service context
        return ""


__all__ = [
    "FORMATS",
    "KNOWN_COUNTERS_KEY",
    "MAX_DAYS",
    "BranchRowsSource",
    "BranchSource",
    "ExportResult",
    "HeadOfficeTotals",
    "ManagerPass",
    "ReportExporter",
    "ReportService",
    "merge_rows",
    "read_corrections",
    "read_day_closes",
    "read_payment_groups",
    "read_rows",
    "rows_from_head_office",
    "staff_names",
    "utc_bounds",
]
