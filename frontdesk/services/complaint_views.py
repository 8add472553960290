"""Complaints as the counter shows them: plain views, statuses and the messages.

:class:`ComplaintView` (with its service clock: deadline, overdue, time left),
:class:`ComplaintCounts` for the daily summary, and the bilingual messages the
complaint service raises. Import them from :mod:`frontdesk.services.complaints`.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from ..core.messages import define, define_field

PHONE = re.compile(r"^\+?[0-9][0-9\- ]{5,18}[0-9]$")
MIN_DESCRIPTION = 4
MAX_TEXT = 2000

define_field("complaint_category", zh="投诉类别", en="Complaint type")  # as the catalogue
define_field("complaint_description", zh="投诉内容", en="Complaint")
define_field("complaint_customer", zh="客户姓名", en="customer name")
define_field("complaint_phone", zh="联系电话", en="contact phone")
define_field("complaint_area", zh="所在区域", en="area")
define_field("complaint_answer", zh="答复内容", en="answer")
define_field("complaint_resolution", zh="处理结果", en="resolution")
define_field("complaint_note", zh="升级说明", en="escalation note")
define_field("complaint", zh="投诉单", en="complaint")
define_field("visit", zh="接待", en="visit")

define(
    "complaint.unknown_category",
    zh="{field}“{category}”不在业务目录的投诉规则中，请从列表中选择。",
    en="{field} “{category}” has no complaint rule in the catalogue; please pick from the list.",
)
define(
    "complaint.text_required",
    zh="请填写{field}（至少 {min} 个字），以便后续跟进。",
    en="Please enter the {field} (at least {min} characters) so it can be followed up.",
)
define(
    "complaint.text_too_long",
    zh="{field}最多 {max} 个字，请精简后再保存。",
    en="The {field} can be at most {max} characters; please shorten it.",
)
define(
    "complaint.customer_required",
    zh="请填写{field}，或从当前接待带入客户信息，以便答复客户。",
    en="Please enter the {field}, or take the customer from the current visit, so they can be "
    "answered.",
)
define(
    "complaint.bad_phone",
    zh="{field}“{phone}”格式不正确，请填写手机号或带区号的固定电话。",
    en="{field} “{phone}” is not a valid number; enter a mobile or a fixed line with area code.",
)
define(
    "complaint.bad_area",
    zh="{field}只能是城区或郊县。",
    en="The {field} must be city or suburb.",
)
define(
    "complaint.visit_not_found",
    zh="找不到该{field}，请从当前接待发起投诉登记。",
    en="That {field} can't be found; please record the complaint from the current visit.",
)
define(
    "complaint.not_found",
    zh="找不到该{field}，请刷新列表后重试。",
    en="That {field} can't be found; please refresh the list and try again.",
)
define(
    "complaint.closed",
    zh="投诉单 {number} 已办结，不能再{action}。如客户仍不满意，请登记新的投诉。",
    en="Complaint {number} is closed and can't be {action_en}; record a new complaint if the "
    "customer is still not satisfied.",
)
define(
    "complaint.already_escalated",
    zh="投诉单 {number} 已于 {at} 升级为总部工单，请等待总部处理结果。",
    en="Complaint {number} was escalated to head office at {at}; please await its result.",
)
define(
    "complaint.hq_status",
    zh="总部工单状态“{status}”无法识别。",
    en="Head office work-order status “{status}” is not recognised.",
)

STATUS_ZH = {
    "open": "待处理",
    "answered": "已答复",
    "escalated": "已升级总部",
    "closed": "已办结",
}


@dataclass(frozen=True)
class ComplaintEventView:
    event: str
    text: str | None
    staff_name: str | None
    at: dt.datetime


@dataclass(frozen=True)
class ComplaintView:
    complaint_id: uuid.UUID
    complaint_no: str
    category: str
    category_name: str
    description: str
    customer_name: str | None
    contact_phone: str | None
    visit_id: uuid.UUID | None
    first_responsible_id: uuid.UUID
    first_responsible_name: str
    opened_at: dt.datetime
    deadline_at: dt.datetime
    status: str  # open | answered | escalated | closed
    events: tuple[ComplaintEventView, ...]

    @property
    def is_closed(self) -> bool:
        return self.status == "closed"

    @property
    def closed_at(self) -> dt.datetime | None:
        return next((e.at for e in self.events if e.event == "closed"), None)

    judged_on: str = "close"  # close | first_reply (the catalogue's rule)

    @property
    def clock_stopped_at(self) -> dt.datetime | None:
        """When the service clock stopped: the close, or — for a rule judged on the first
        reply (mobile network complaints) — the first answer given to the customer."""
        stops = ("answered", "closed") if self.judged_on == "first_reply" else ("closed",)
        return next((e.at for e in self.events if e.event in stops), None)

    def is_overdue(self, now: dt.datetime) -> bool:
        """The clock still running past the deadline — or stopped after it."""
        end = self.clock_stopped_at
        return (end or now) > self.deadline_at

    def time_left(self, now: dt.datetime) -> dt.timedelta:
        return self.deadline_at - now


@dataclass(frozen=True)
class ComplaintCounts:
    """Complaint figures of one business day for the daily summary (SPEC §7)."""

    day: dt.date
    opened: int
    closed: int
    escalated: int
    closed_late: int  # closed that day, after the deadline
    overdue_open: int  # still open at the end of that day, past the deadline
    open_total: int  # still open at the end of that day


def status_of(events: Iterable[str]) -> str:
    seen = set(events)
    for status in ("closed", "escalated", "answered"):
        if status in seen:
            return status
    return "open"
