"""The ID-verification records and what every step shares (身份证件核实).

The visit's verifications as plain views (:class:`VerificationView`, :func:`view_of`),
the messages of the steps, and :class:`VerificationBase`: the workstation, the
head-office sources and the helpers each step uses to record itself. The steps are
:mod:`frontdesk.services.verification` (capture, check, units) and
:mod:`frontdesk.services.verification_evidence` (match, retain, limits); import
everything from :mod:`frontdesk.services.verification`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import literal_column, select
from sqlalchemy.orm import Session

from ..core.clock import business_date
from ..core.ids import DocType, IdentityDocument, define_prefixed_fields
from ..core.intake import VisitDraft
from ..core.messages import Problem, RuleViolation, Severity, define, define_field, error
from ..devices.id_reader import CardRead
from ..store.models import Customer, IdVerification, VerificationStep, Visit
from .auth import Approval, StaffSession
from .customers import AccountSource, apply_head_office_state
from .workstation import Workstation

PARTIES = ("customer", "agent", "guardian", "new_owner")
STEPS = ("capture", "check", "match", "retain", "limits")
SCAN_MIME_TYPES = {"image/jpeg", "image/png", "application/pdf", "image/tiff"}
MAX_SCAN_BYTES = 10 * 1024 * 1024

define_field("verification", zh="身份核验", en="ID verification")
define(
    "verification.customer_change",
    zh="本次接待的客户是 {previous}，单上已有 {items} 项业务、已收款 {paid}。"
    "读取的证件是另一位客户 {new}：确认更换客户将移除上一位客户的全部业务。",
    en="This visit's customer is {previous}, with {items} business(es) on the slip and "
    "{paid} taken. The document read belongs to another customer, {new}: confirm the change "
    "to remove every business of the previous customer.",
)


class CustomerChangeNeedsConfirmation(RuleViolation):
    """The document read belongs to someone other than the visit's customer, and the
    visit already has businesses or payments: nothing was recorded. Capture again with
    ``replace_customer=True`` (the same document, method and approval) once the clerk
    confirms; the previous customer's businesses are then removed."""

    def __init__(
        self,
        problems: list[Problem],
        *,
        document: IdentityDocument,
        method: str,
        device: str | None,
        approval: Approval | None,
        purpose: str,
    ) -> None:
        super().__init__(problems)
        self.document = document
        self.method = method
        self.device = device
        self.approval = approval
        self.purpose = purpose


define_field("scan", zh="证件扫描件", en="Document scan")
define_field("unit_name", zh="单位名称", en="Unit name")
define_prefixed_fields("new_owner.", zh="新机主", en="new owner's")

define(
    "verification.reader_failed",
    zh="读卡未成功：{detail}",
    en="The card could not be read: {detail}",
)
define(
    "verification.manual_needs_approval",
    zh="手工录入证件信息属于例外操作，需要值班经理授权并填写原因。",
    en="Typing a document in by hand is an exception: a manager must authorise it with a reason.",
)
define(
    "verification.no_capture",
    zh="尚未读取{party}的证件，请先在读卡器上读取证件。",
    en="The {party}'s document has not been read yet; please read it on the card reader first.",
)
define(
    "verification.face_failed",
    zh="人像比对未通过（相似度 {score}，要求 {threshold}{liveness}）。请让客户正对摄像头重新比对；"
    "仍不通过的，不能办理需要人像比对的业务。",
    en="Face comparison failed (score {score}, needs {threshold}{liveness}). Ask the customer "
    "to face the camera and try again; businesses that need it cannot proceed otherwise.",
)
define(
    "verification.face_device",
    zh="人像比对设备出错：{detail}。请检查设备后重试。",
    en="The face comparison device failed: {detail}. Please check it and try again.",
)
define(
    "verification.scan_type",
    zh="{field}格式不受支持，请使用 JPG、PNG、TIFF 或 PDF 文件。",
    en="{field} must be a JPG, PNG, TIFF or PDF file.",
)
define(
    "verification.scan_size",
    zh="{field}为空或超过 10 MB，请重新扫描。",
    en="{field} is empty or larger than 10 MB; please scan it again.",
)
define(
    "verification.unit_name_required",
    zh="请填写{field}（与营业执照一致）。",
    en="Please enter the {field} as on the business licence.",
)

PARTY_LABELS = {
    "customer": ("客户", "customer"),
    "agent": ("经办人", "agent"),
    "guardian": ("监护人", "guardian"),
    "new_owner": ("新机主", "new owner"),
}


class NumberLimitSource(Protocol):
    """Head office's answer to 一证五号: numbers held operator-wide under an ID hash."""

    def count_numbers(self, id_hash: str) -> int:
        """Raises ``ConnectionError`` when head office can't be reached."""
        ...


@dataclass(frozen=True)
class StepView:
    step: str
    method: str
    result: str  # passed | warning | failed
    problems: tuple[Problem, ...]
    at: dt.datetime


@dataclass(frozen=True)
class VerificationView:
    verification_id: uuid.UUID
    party: str
    doc_type: str
    name: str
    id_masked: str
    capture_method: str
    steps: tuple[StepView, ...]
    # the chip photo of a card just read (for the face comparison and the clerk's
    # photo check); held in memory only, never stored
    card_photo: bytes | None = None

    def step(self, name: str) -> StepView | None:
        """The latest record of a step (a repeated step replaces the earlier verdict)."""
        found = [s for s in self.steps if s.step == name]
        return found[-1] if found else None

    def passed(self, name: str) -> bool:
        latest = self.step(name)
        return latest is not None and latest.result in ("passed", "warning")

    @property
    def problems(self) -> list[Problem]:
        return [p for s in self.steps for p in s.problems]


def _step_problems(detail: dict) -> tuple[Problem, ...]:
    found = []
    for raw in detail.get("problems", []):
        try:
            found.append(
                Problem(raw["code"], raw["field"], Severity(raw["severity"]), raw.get("params", {}))
            )
        except KeyError:
            continue
    return tuple(found)


def _problem_json(problem: Problem) -> dict:
    return {
        "code": problem.code,
        "field": problem.field,
        "severity": str(problem.severity),
        # parameters never hold a full ID number (rules pass masked forms only)
        "params": {k: str(v) for k, v in problem.params.items()},
    }


def view_of(session: Session, verification: IdVerification) -> VerificationView:
    steps = session.scalars(
        select(VerificationStep)
        .where(VerificationStep.verification_id == verification.id)
        .order_by(VerificationStep.created_at, literal_column("verification_step.rowid"))
    ).all()
    return VerificationView(
        verification.id,
        verification.party,
        verification.doc_type,
        verification.name,
        verification.id_masked,
        verification.capture_method,
        tuple(
            StepView(s.step, s.method, s.result, _step_problems(s.detail), s.created_at)
            for s in steps
        ),
    )


def card_to_document(card: CardRead) -> IdentityDocument:
    return IdentityDocument(
        doc_type=DocType(card.doc_kind),
        number=card.id_number,
        name=card.name,
        sex=card.sex_code,
        birth_date=card.birth_date,
        ethnicity=card.ethnicity or None,
        address=card.address,
        issuing_authority=card.issuing_authority,
        valid_from=card.valid_from,
        valid_to=card.valid_to,
        long_term=card.long_term,
        nationality=card.nationality,
    )


class VerificationBase:
    """The workstation and head-office sources, and the helpers every step uses."""

    def __init__(
        self,
        ws: Workstation,
        limits: NumberLimitSource | None = None,
        accounts: AccountSource | None = None,
    ) -> None:
        self._ws = ws
        self._limits = limits
        self._accounts = accounts

    def refresh_account(self, id_hash: str) -> bool:
        """Ask head office for the customer's accounts and replace the cached copy.

        Run after the capture's transaction (network I/O never holds the write lock).
        Offline or unknown: the cache stays, and businesses judged on it flag the slip
        for head-office re-check (SPEC §3). Returns whether fresh state arrived.
        """
        if self._accounts is None:
            return False
        try:
            state = self._accounts.account_state(id_hash)
        except (ConnectionError, OSError):
            return False
        if state is None:
            return False
        with self._ws.db.unit_of_work() as uow:
            customer = uow.session.scalar(select(Customer).where(Customer.id_hash == id_hash))
            if customer is None:
                return False
            apply_head_office_state(uow.session, customer, state, self._ws.clock.now())
            uow.commit()
        return True

    # -- helpers -------------------------------------------------------------------
    def _today(self) -> dt.date:
        return business_date(self._ws.clock.now())

    def _visit(self, session: Session, visit_id: uuid.UUID) -> Visit:
        visit = session.get(Visit, visit_id)
        if visit is None or visit.status not in ("open",):
            raise LookupError(f"visit {visit_id} is not open")
        return visit

    def _add_step(
        self,
        session: Session,
        verification_id: uuid.UUID,
        staff: StaffSession,
        step: str,
        method: str,
        problems: list[Problem] | tuple[Problem, ...] = (),
        failed: bool | None = None,
        **detail: object,
    ) -> None:
        if failed is None:
            failed = any(p.is_error for p in problems)
        result = "failed" if failed else ("warning" if problems else "passed")
        session.add(
            VerificationStep(
                verification_id=verification_id,
                step=step,
                method=method,
                result=result,
                detail={"problems": [_problem_json(p) for p in problems], **detail},
                staff_id=staff.staff_id,
                created_at=self._ws.clock.now(),
            )
        )

    # -- 3: match -------------------------------------------------------------------
    def _verification(self, s: Session, visit: Visit, party: str) -> IdVerification:
        draft = VisitDraft.from_json(visit.draft)
        vid = draft.verifications.get(party)
        if vid is None:
            raise RuleViolation(
                [error("verification.no_capture", "verification", party=PARTY_LABELS[party][0])]
            )
        verification = s.get(IdVerification, uuid.UUID(vid))
        assert verification is not None
        return verification

    def views(self, visit_id: uuid.UUID) -> dict[str, VerificationView]:
        with self._ws.db.reader() as s:
            visit = s.get(Visit, visit_id)
            if visit is None:
                raise LookupError(f"visit {visit_id} not found")
            draft = VisitDraft.from_json(visit.draft)
            result = {}
            for party, vid in draft.verifications.items():
                verification = s.get(IdVerification, uuid.UUID(vid))
                if verification is not None:
                    result[party] = view_of(s, verification)
            return result
