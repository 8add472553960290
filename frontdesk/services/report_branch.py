"""The branch-wide part of the report service: head office's rows and totals, the
manager's head-office token, and the offline fallback that names the counters missing.

:class:`BranchFigures` is a base of :class:`frontdesk.services.reports.ReportService`
(it uses the service's workstation, policy and branch source); its names are
re-exported by :mod:`frontdesk.services.reports`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.messages import RuleViolation, error
from ..core.reports import (
    ComplaintCounts,
    Correction,
    CounterLine,
    DaySummary,
    ItemGroup,
    PaymentGroup,
    ReportRows,
    SlaPolicy,
    SlipGroup,
    VisitRow,
    build_summary,
    method_label,
)
from ..store.models import Setting
from .auth import StaffSession
from .report_rows import _name, staff_names
from .workstation import Workstation

log = logging.getLogger("frontdesk.services.reports")  # the service's log, as before the split

KNOWN_COUNTERS_KEY = "reports.branch_counters"


class BranchSource(Protocol):
    """Head office's branch-wide day totals (``HeadOfficeClient.day_summary``)."""

    def day_summary(self, day: dt.date) -> dict[str, Any]: ...


class BranchRowsSource(Protocol):
    """Head office's grouped report rows of the whole branch
    (``HeadOfficeClient.report_rows``, ``GET /v1/report-rows``)."""

    def report_rows(
        self, date_from: dt.date, date_to: dt.date, manager_token: str | None = None
    ) -> dict[str, Any]: ...


@dataclass(frozen=True)
class ManagerPass:
    """A manager's branch token from head office, kept in this process's memory only."""

    username: str
    token: str
    deadline: float  # time.monotonic() after which it is not sent any more


@dataclass(frozen=True)
class HeadOfficeTotals:
    """What head office's ``/v1/summary`` reports for the branch over the period."""

    slips: int
    total_fen: int
    payments_fen: dict[str, int]
    per_counter: dict[str, tuple[int, int]]  # workstation → (slips, total_fen)


def rows_from_head_office(
    answer: dict[str, Any], names: dict[uuid.UUID, str], *, except_workstation: str
) -> tuple[ReportRows, list[str]]:
    """Head office's report rows of the branch, leaving out ``except_workstation`` (this
    counter reads its own rows locally, unsynced ones included); and the branch's
    counters as head office knows them. Staff ids are named from the local staff list."""

    named: dict[Any, str] = {}  # a branch has dozens of staff and tens of thousands of rows

    def who(value: Any) -> str:
        if value not in named:
            try:
                named[value] = _name(names, uuid.UUID(str(value))) if value else ""
            except ValueError:
                named[value] = str(value)
        return named[value]

    def other(row: list[Any]) -> bool:
        return str(row[0]) != except_workstation

    visits = [
        VisitRow(
            workstation=str(w),
            clerk=who(clerk),
            status=str(status),
            tier=str(tier or "standard"),
            hour=int(hour),
            waiting_seconds=None if wait is None else int(wait),
            handling_seconds=None if handle is None else int(handle),
            businesses=int(n),
            ever_suspended=bool(susp),
        )
        for w, clerk, status, tier, hour, wait, handle, n, susp in filter(
            other, answer.get("visits", [])
        )
    ]
    corrections = []
    for w, no, kind, orig, fen, reason, clerk, manager, at, used in filter(
        other, answer.get("corrections", [])
    ):
        labels = "、".join(method_label(m) for m in dict.fromkeys(str(used).split(",")) if m)
        settled = dt.datetime.fromisoformat(str(at))
        corrections.append(
            Correction(
                str(w),
                str(no),
                str(kind),
                str(orig),
                int(fen),
                str(reason or ""),
                who(clerk),
                who(manager),
                settled if settled.tzinfo else settled.replace(tzinfo=dt.UTC),
                labels,
            )
        )
    complaints = answer.get("complaints") or {}
    rows = ReportRows(
        visits=visits,
        payments=[
            PaymentGroup(str(w), str(k), str(m), int(a), int(c), int(n))
            for w, k, m, a, c, n in filter(other, answer.get("payments", []))
        ],
        items=[
            ItemGroup(str(w), who(c), str(k), str(code), str(name), int(n), int(fen))
            for w, c, k, code, name, n, fen in filter(other, answer.get("items", []))
        ],
        slips=[
            SlipGroup(str(w), who(c), str(k), int(n), int(fen))
            for w, c, k, n, fen in filter(other, answer.get("slips", []))
        ],
        corrections=corrections,
        complaints=ComplaintCounts(
            int(complaints.get("opened", 0)),
            int(complaints.get("closed", 0)),
            int(complaints.get("overdue", 0)),
        ),
        warranty_cards=int(answer.get("warranty_cards", 0)),
    )
    return rows, [str(w) for w in answer.get("workstations", [])]


def merge_rows(own: ReportRows, others: ReportRows) -> ReportRows:
    """This counter's rows beside the other counters' (complaint and warranty-card
    counts are branch-wide at head office and taken from there)."""
    return ReportRows(
        visits=own.visits + others.visits,
        payments=own.payments + others.payments,
        items=own.items + others.items,
        slips=own.slips + others.slips,
        corrections=sorted(
            own.corrections + others.corrections, key=lambda c: (c.settled_at, c.slip_no)
        ),
        complaints=others.complaints,
        warranty_cards=others.warranty_cards,
        unsynced=own.unsynced,
        unsynced_total=own.unsynced_total,
        rejected=own.rejected,
    )


class BranchFigures:
    """Head office's side of :class:`~frontdesk.services.reports.ReportService`."""

    _ws: Workstation
    _branch_source: BranchSource | Callable[[], BranchSource | None] | None
    _known_counters: tuple[str, ...]
    _manager: ManagerPass | None
    policy: SlaPolicy

    # -- the manager at head office ---------------------------------------------------
    def sign_in_manager(self, username: str, password: str) -> bool:
        """Ask head office for this manager's branch token (docs/decisions.md: report
        rows for managers only). True when obtained (kept in memory for head office's
        ten minutes); False when head office can't be reached or this workstation is not
        enrolled — the branch summary then falls back as offline. Raises
        :class:`RuleViolation` when head office refuses the manager."""
        self._manager = None
        with self._opened_source() as source:
            if source is None or not hasattr(source, "manager_session"):
                return False
            try:
                answer = source.manager_session(username.strip(), password)
            except ConnectionError as exc:  # HeadOfficeUnreachable
                log.warning("head office unreachable for the manager: %s", exc)
                return False
            except Exception as exc:  # HeadOfficeRefused: 403 not a manager, 429 locked
                log.info("head office refused the manager: %s", exc)
                locked = getattr(exc, "status", None) == 429
                code = "report.manager_locked" if locked else "report.manager_refused"
                raise RuleViolation([error(code, "report.manager_password")]) from None
        token, seconds = str(answer["token"]), int(answer["expires_in"])  # head office's contract
        # a minute's margin: never send a token head office is about to refuse
        self._manager = ManagerPass(username.strip(), token, time.monotonic() + seconds - 60)
        return True

    def manager_signed_in(self, staff: StaffSession | None) -> bool:
        """Whether a head-office token for ``staff`` (None: whoever signed in) is held."""
        return self._manager_token(staff) is not None

    def _manager_token(self, staff: StaffSession | None) -> str | None:
        held = self._manager
        if held is None or time.monotonic() >= held.deadline:
            return None
        if staff is not None and staff.username != held.username:
            return None
        return held.token

    def _branch_figures(
        self,
        staff: StaffSession | None,
        rows: ReportRows,
        remembered: list[str],
        date_from: dt.date,
        date_to: dt.date,
        now: dt.datetime,
    ) -> DaySummary:
        """The branch's summary: exact from every counter's rows when head office serves
        them to a signed-in manager, else head office's day totals, else this
        workstation's figures naming the counters missing."""
        ident = self._ws.identity
        own_visits = len(rows.visits)
        own_slips = sum(g.count for g in rows.slips)
        own_net = sum(g.total_fen for g in rows.slips)
        known = sorted(set(remembered) | set(self._known_counters) | {ident.workstation_code})
        token = self._manager_token(staff)
        with self._opened_source() as source:
            exact = self._branch_from_head_office(
                source, rows, known, date_from, date_to, now, token
            )
            if exact is not None:
                return exact
            unsigned = token is None and hasattr(source, "manager_session")
            totals = self._head_office_totals(source, date_from, date_to)
        hint = (
            [
                "总部只向经理提供全厅明细：请输入经理密码后刷新。"
                " / Head office gives the branch's rows to a manager only:"
                " type the manager's password and refresh."
            ]
            if unsigned
            else []
        )
        if totals is None:
            missing = [c for c in known if c != ident.workstation_code]
            notes = [
                "总部暂时无法连接：本汇总只含本机（"
                + ident.workstation_code
                + "）的数据"
                + (f"，缺少柜台：{'、'.join(missing)}。" if missing else "。")
                + " / Head office unreachable: this workstation's figures only"
                + (f"; missing counters: {', '.join(missing)}." if missing else ".")
            ]
            notes.extend(hint)
            counters = [
                CounterLine(ident.workstation_code, own_visits, own_slips, own_net, "local")
            ]
            return self._branch_summary(
                rows, date_from, date_to, now, counters, missing, "local", notes
            )
        reported = sorted(totals.per_counter)
        self._remember_counters(set(known) | set(reported))
        counters = []
        for code in sorted(set(reported) | {ident.workstation_code}):
            slips, net = totals.per_counter.get(code, (0, 0))
            visits = own_visits if code == ident.workstation_code else None
            counters.append(CounterLine(code, visits, slips, net, "head_office"))
        missing = [c for c in known if c not in totals.per_counter and c != ident.workstation_code]
        notes = [
            "各柜台笔数、金额及收款方式来自总部；业务类型、时长与 VIP 明细为本机数据。"
            " / Counter totals and takings by method come from head office; business mix,"
            " times and VIP figures are this workstation's."
        ]
        notes.extend(hint)
        summary = self._branch_summary(
            rows, date_from, date_to, now, counters, missing, "head_office", notes
        )
        return replace(
            summary,
            business_total_fen=totals.total_fen,
            takings_fen=sum(v for k, v in totals.payments_fen.items() if k != "balance"),
            head_office_methods=tuple(sorted(totals.payments_fen.items())),
        )

    @contextlib.contextmanager
    def _opened_source(self) -> Iterator[BranchSource | BranchRowsSource | None]:
        """Head office for one summary: the configured source, or one a factory makes
        (a client with this workstation's credential), closed when the summary is done;
        None offline or not enrolled."""
        source = self._branch_source
        if source is None or not callable(source) or hasattr(source, "day_summary"):
            yield source  # type: ignore[misc]
            return
        try:
            made = source()
        except Exception as exc:  # not enrolled, no credential: offline path
            log.info("no head-office client for the branch summary: %s", type(exc).__name__)
            made = None
        try:
            yield made
        finally:
            close = getattr(made, "close", None)
            if callable(close):
                close()

    def _branch_summary(
        self,
        rows: ReportRows,
        date_from: dt.date,
        date_to: dt.date,
        now: dt.datetime,
        counters: list[CounterLine],
        missing: list[str],
        source: str,
        notes: list[str],
    ) -> DaySummary:
        ident = self._ws.identity
        return build_summary(
            rows,
            self.policy,
            scope="branch",
            branch_code=ident.branch_code,
            workstation_code=None,
            date_from=date_from,
            date_to=date_to,
            generated_at=now,
            counters=counters,
            missing_counters=missing,
            source=source,
            notes=notes,
        )

    def _branch_from_head_office(
        self,
        source: Any,
        own: ReportRows,
        known: list[str],
        date_from: dt.date,
        date_to: dt.date,
        now: dt.datetime,
        manager_token: str | None,
    ) -> DaySummary | None:
        """The whole branch computed from every counter's rows: the other counters' from
        head office, this one's from its own database. None when head office can't
        answer (older head office, offline) or no manager signed in to head office
        (:meth:`sign_in_manager`: it serves the rows to a manager only): the caller
        falls back."""
        if source is None or not hasattr(source, "report_rows") or manager_token is None:
            return None
        try:
            answer = source.report_rows(date_from, date_to, manager_token)
        except Exception as exc:  # unreachable, refused, older head office
            log.warning("head office report rows unavailable: %s", type(exc).__name__)
            return None
        ident = self._ws.identity
        with self._ws.db.reader() as s:
            names = staff_names(s)
        try:
            others, enrolled = rows_from_head_office(
                answer, names, except_workstation=ident.workstation_code
            )
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("head office report rows malformed: %s", exc)
            return None
        rows = merge_rows(own, others)
        self._remember_counters(set(known) | set(enrolled))
        counters = []
        for code in sorted(set(enrolled) | {ident.workstation_code}):
            visits = sum(1 for v in rows.visits if v.workstation == code)
            slips = sum(g.count for g in rows.slips if g.workstation == code)
            net = sum(g.total_fen for g in rows.slips if g.workstation == code)
            src = "local" if code == ident.workstation_code else "head_office"
            counters.append(CounterLine(code, visits, slips, net, src))
        with_data = {v.workstation for v in rows.visits} | {g.workstation for g in rows.slips}
        missing = [c for c in known if c not in with_data and c not in enrolled]
        notes = [
            "全厅数据：其他柜台来自总部（截至其最近一次同步），本机（"
            + ident.workstation_code
            + "）为本地实时数据。"
            " / Branch figures: other counters from head office (as of their last sync),"
            " this workstation's own live figures."
        ]
        return self._branch_summary(
            rows, date_from, date_to, now, counters, missing, "head_office", notes
        )

    def _head_office_totals(
        self, source: Any, date_from: dt.date, date_to: dt.date
    ) -> HeadOfficeTotals | None:
        if source is None or not hasattr(source, "day_summary"):
            return None
        slips = total = 0
        payments: dict[str, int] = {}
        per_counter: dict[str, list[int]] = {}
        day = date_from
        try:
            while day <= date_to:
                answer = source.day_summary(day)
                for w in answer.get("workstations", []):
                    acc = per_counter.setdefault(str(w["workstation"]), [0, 0])
                    acc[0] += int(w.get("slips", 0))
                    acc[1] += int(w.get("total_fen", 0))
                for method, fen in (answer.get("payments_fen") or {}).items():
                    payments[method] = payments.get(method, 0) + int(fen)
                slips += sum(int(w.get("slips", 0)) for w in answer.get("workstations", []))
                total += int(answer.get("total_fen", 0))
                day += dt.timedelta(days=1)
        except Exception as exc:  # unreachable, refused, malformed: the offline path
            log.warning("head office summary unavailable: %s", type(exc).__name__)
            return None
        return HeadOfficeTotals(
            slips, total, payments, {k: (v[0], v[1]) for k, v in per_counter.items()}
        )

    def _remembered_counters(self, s: Session) -> list[str]:
        raw = s.scalar(select(Setting.value).where(Setting.key == KNOWN_COUNTERS_KEY))
        try:
            return [str(c) for c in json.loads(raw)] if raw else []
        except ValueError:
            return []

    def _remember_counters(self, counters: Iterable[str]) -> None:
        """Keep the branch's counters as head office last listed them (offline reports)."""
        value = json.dumps(sorted(set(counters)))
        with self._ws.db.unit_of_work() as uow:
            row = uow.session.get(Setting, KNOWN_COUNTERS_KEY)
            if row is None:
                uow.session.add(Setting(key=KNOWN_COUNTERS_KEY, value=value))
            elif row.value != value:
                row.value = value
            uow.commit()
