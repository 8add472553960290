"""ID verification steps of a visit (身份证件核实, SPEC §2), recorded step by step.

1. capture — from the ID-card reader, or by hand with a manager's authorisation;
2. check — the document's rules (:mod:`frontdesk.core.ids`);
3. match — face comparison (入网/过户) or the clerk's photo-vs-person confirmation;
4. retain — the encrypted scan of the document (复印留存);
5. limits — 一证五号, asked of head office when reachable, local records otherwise.

Each step is a new :class:`VerificationStep` row (who, when, how, result). The customer
is found by the keyed hash of the normalised document number, or created.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import Session

from ..core.clock import business_date
from ..core.ids import (
    DocType,
    IdentityDocument,
    check_credit_code,
    check_document,
    define_prefixed_fields,
    mask_id_number,
    normalise_number,
)
from ..core.intake import VisitDraft
from ..core.messages import Problem, RuleViolation, Severity, define, define_field, error
from ..core.money import format_fen
from ..devices.face import FaceComparer, FaceDeviceError
from ..devices.id_reader import CardRead, IdCardReader, ReaderError
from ..store import audit
from ..store.crypto import sealed_at
from ..store.models import (
    Customer,
    DocumentScan,
    IdVerification,
    Line,
    VerificationStep,
    Visit,
    new_id,
)
from ..store.personal import seal_birth_date
from .auth import Approval, StaffSession, consume
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


class VerificationService:
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

    # -- 1 + 2: capture and check -------------------------------------------------
    def read_card(
        self,
        staff: StaffSession,
        visit_id: uuid.UUID,
        reader: IdCardReader,
        *,
        party: str = "customer",
        purpose: str = "general",
    ) -> VerificationView:
        """Read the card on the reader and run the document checks (steps 1–2)."""
        try:
            card = reader.read()
        except ReaderError as exc:
            raise RuleViolation(
                [
                    error(
                        "verification.reader_failed",
                        "verification",
                        detail=getattr(exc, "message_zh", str(exc)),
                    )
                ]
            ) from exc
        view = self.capture(
            staff,
            visit_id,
            card_to_document(card),
            party=party,
            method="reader",
            device=reader.name,
            purpose=purpose,
        )
        return dataclasses.replace(view, card_photo=card.photo_bmp)

    @staticmethod
    def _replace_customer(
        s: Session,
        staff: StaffSession,
        visit: Visit,
        draft: VisitDraft,
        new_name: str,
        confirmed: bool,
        purpose: str,
        refusal: type[CustomerChangeNeedsConfirmation],
        again: dict[str, object],
    ) -> None:
        """Another person's document on a visit with businesses or payments: ask first
        (nothing is written), then drop every business of the previous customer."""
        if not draft.items and not draft.payments:
            return
        previous = s.get(Customer, visit.customer_id)
        facts = {
            "previous": previous.name if previous is not None else "",
            "items": len(draft.items),
            "paid": format_fen(draft.paid_fen),
        }
        if not confirmed:
            raise refusal(
                [error("verification.customer_change", "verification", new=new_name, **facts)],
                purpose=purpose,
                **again,  # type: ignore[arg-type]
            )
        removed = len(draft.items)
        draft.items = []
        audit.record(
            s,
            actor_id=staff.staff_id,
            action="visit.customer_replaced",
            object_type="visit",
            object_id=visit.id,
            detail={"items_removed": removed, "paid_fen": draft.paid_fen},
        )

    def capture(
        self,
        staff: StaffSession,
        visit_id: uuid.UUID,
        doc: IdentityDocument,
        *,
        party: str = "customer",
        method: str = "reader",
        device: str | None = None,
        approval: Approval | None = None,
        purpose: str = "general",
        replace_customer: bool = False,
    ) -> VerificationView:
        """Record a captured document and its checks; a customer document names the
        visit's customer. Replacing a customer who already has businesses or payments on
        the visit raises :class:`CustomerChangeNeedsConfirmation` unless
        ``replace_customer`` (the clerk confirmed): then their businesses are removed."""
        if party not in PARTIES:
            raise ValueError(f"unknown party {party!r}")
        if method == "manual" and approval is None:
            raise RuleViolation([error("verification.manual_needs_approval", "verification")])
        today = self._today()
        prefix = "" if party == "customer" else f"{party}."
        problems = check_document(doc, today=today, purpose=purpose, field_prefix=prefix)
        normalised = normalise_number(doc.doc_type, doc.number)
        vault = self._ws.vault
        id_hash = vault.lookup_hash(f"{doc.doc_type}:{normalised}")
        with self._ws.db.unit_of_work() as uow:
            s = uow.session
            visit = self._visit(s, visit_id)
            vid = new_id()
            if method == "manual" and approval is not None:
                # bound to manual entry at this visit, used once (SPEC §6)
                consume(
                    s,
                    approval,
                    action="manual_id_entry",
                    now=self._ws.clock.now(),
                    visit_id=visit.id,
                )
            verification = IdVerification(
                id=vid,
                visit_id=visit.id,
                party=party,
                doc_type=str(doc.doc_type),
                id_hash=id_hash,
                id_number_enc=vault.seal(
                    normalised, sealed_at("id_verification", "id_number_enc", vid)
                ),
                id_masked=mask_id_number(normalised),
                name=doc.name.strip(),
                sex=doc.sex,
                birth_date_enc=seal_birth_date(vault, doc.birth_date, "id_verification", vid),
                valid_from=doc.valid_from,
                valid_to=doc.valid_to,
                long_term=doc.long_term,
                address_enc=(
                    vault.seal(doc.address, sealed_at("id_verification", "address_enc", vid))
                    if doc.address
                    else None
                ),
                capture_method=method,
                capture_device=device,
                manual_reason=approval.reason if approval else None,
                authorised_by=approval.manager_id if approval else None,
                staff_id=staff.staff_id,
                created_at=self._ws.clock.now(),
            )
            s.add(verification)
            s.flush()
            self._add_step(
                s,
                verification.id,
                staff,
                "capture",
                method,
                device=device or "",
                authorised_by=str(approval.manager_id) if approval else "",
            )
            self._add_step(s, verification.id, staff, "check", "rules", problems)
            draft = VisitDraft.from_json(visit.draft)
            draft.verifications[party] = str(verification.id)
            # The person is known even when a business rule of the card fails (age,
            # expiry): the visit then shows who it is and exactly which rule failed.
            identity_errors = [
                p
                for p in problems
                if p.is_error and p.code not in ("id.min_age", "id.expired", "id.not_yet_valid")
            ]
            if party == "customer" and not identity_errors:
                customer = self._find_or_create_customer(s, doc, id_hash, normalised)
                if visit.customer_id is not None and visit.customer_id != customer.id:
                    self._replace_customer(
                        s, staff, visit, draft, doc.name.strip(), replace_customer, purpose,
                        CustomerChangeNeedsConfirmation,
                        dict(document=doc, method=method, device=device, approval=approval),
                    )  # fmt: skip
                visit.customer_id = customer.id
            if party == "agent":
                draft.party = "unit_agent" if draft.unit else "agent"
            visit.draft = draft.to_json()
            audit.record(
                s,
                actor_id=staff.staff_id,
                action=f"id.capture.{method}",
                object_type="id_verification",
                object_id=verification.id,
                detail={
                    "party": party,
                    "doc_type": str(doc.doc_type),
                    "id_masked": verification.id_masked,
                    "approved_by": str(approval.manager_id) if approval else None,
                },
            )
            view = view_of(s, verification)
            uow.commit()
        if party == "customer" and not identity_errors:
            self.refresh_account(id_hash)
        return view

    def _find_or_create_customer(
        self, s: Session, doc: IdentityDocument, id_hash: str, normalised: str
    ) -> Customer:
        customer = s.scalar(select(Customer).where(Customer.id_hash == id_hash))
        if customer is not None:
            if customer.name != doc.name.strip():
                customer.name = doc.name.strip()  # the card is the authority on the name
            if customer.birth_date_enc is None and doc.birth_date is not None:
                # dropped by migration 0006 (no keys there): sealed again from the card
                customer.birth_date_enc = seal_birth_date(
                    self._ws.vault, doc.birth_date, "customer", customer.id
                )
            return customer
        cid = new_id()
        customer = Customer(
            id=cid,
            kind="person",
            name=doc.name.strip(),
            doc_type=str(doc.doc_type),
            id_hash=id_hash,
            id_number_enc=self._ws.vault.seal(
                normalised, sealed_at("customer", "id_number_enc", cid)
            ),
            id_masked=mask_id_number(normalised),
            birth_date_enc=seal_birth_date(self._ws.vault, doc.birth_date, "customer", cid),
            state_source="new",
        )
        s.add(customer)
        s.flush()
        return customer

    # -- unit customers -------------------------------------------------------------
    def register_unit(
        self,
        staff: StaffSession,
        visit_id: uuid.UUID,
        *,
        unit_name: str,
        credit_code: str,
    ) -> None:
        """A unit (company) customer: its credit code is checked and it becomes the customer.

        The agent (单位经办人) then reads their own ID as party ``agent``; the
        authorisation letter is attached with :meth:`attach_scan` (kind
        ``authorisation_letter``).
        """
        problems: list[Problem] = []
        checked = check_credit_code(credit_code)
        problems.extend(checked.problems)
        if not unit_name.strip():
            problems.append(error("verification.unit_name_required", "unit_name"))
        if any(p.is_error for p in problems):
            raise RuleViolation(problems)
        code = checked.unwrap()
        id_hash = self._ws.vault.lookup_hash(f"{DocType.UNIFIED_SOCIAL_CREDIT_CODE}:{code}")
        with self._ws.db.unit_of_work() as uow:
            s = uow.session
            visit = self._visit(s, visit_id)
            customer = s.scalar(select(Customer).where(Customer.id_hash == id_hash))
            if customer is None:
                cid = new_id()
                customer = Customer(
                    id=cid,
                    kind="unit",
                    name=unit_name.strip(),
                    doc_type=str(DocType.UNIFIED_SOCIAL_CREDIT_CODE),
                    id_hash=id_hash,
                    id_number_enc=self._ws.vault.seal(
                        code, sealed_at("customer", "id_number_enc", cid)
                    ),
                    id_masked=code,
                    state_source="new",
                )
                s.add(customer)
                s.flush()
            visit.customer_id = customer.id
            draft = VisitDraft.from_json(visit.draft)
            draft.unit = {"name": unit_name.strip(), "credit_code": code}
            draft.party = "unit_agent"
            visit.draft = draft.to_json()
            audit.record(
                s,
                actor_id=staff.staff_id,
                action="unit.registered",
                object_type="customer",
                object_id=customer.id,
                detail={"credit_code": code},
            )
            uow.commit()

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

    def compare_face(
        self,
        staff: StaffSession,
        visit_id: uuid.UUID,
        comparer: FaceComparer,
        id_photo: bytes | None,
        *,
        party: str = "customer",
    ) -> VerificationView:
        """人像比对: only the score and verdict are kept, never the face image."""
        with self._ws.db.unit_of_work() as uow:
            s = uow.session
            verification = self._verification(s, self._visit(s, visit_id), party)
            try:
                match = comparer.compare(id_photo)
            except FaceDeviceError as exc:
                raise RuleViolation(
                    [
                        error(
                            "verification.face_device",
                            "verification",
                            detail=getattr(exc, "message_zh", str(exc)),
                        )
                    ]
                ) from exc
            problems = []
            if not match.passed:
                liveness = "" if match.liveness_passed else "，活体检测未通过"
                problems.append(
                    error(
                        "verification.face_failed",
                        "verification",
                        score=f"{match.score:.2f}",
                        threshold=f"{match.threshold:.2f}",
                        liveness=liveness,
                    )
                )
            self._add_step(
                s,
                verification.id,
                staff,
                "match",
                "face",
                problems,
                score=round(match.score, 4),
                threshold=match.threshold,
                liveness=match.liveness_passed,
                device=match.device,
            )
            view = view_of(s, verification)
            uow.commit()
        return view

    def confirm_photo(
        self,
        staff: StaffSession,
        visit_id: uuid.UUID,
        *,
        party: str = "customer",
    ) -> VerificationView:
        """The clerk confirms the person matches the card photo (non-入网 businesses)."""
        with self._ws.db.unit_of_work() as uow:
            s = uow.session
            verification = self._verification(s, self._visit(s, visit_id), party)
            self._add_step(s, verification.id, staff, "match", "clerk_confirmation")
            view = view_of(s, verification)
            uow.commit()
        return view

    # -- 4: retain --------------------------------------------------------------------
    def attach_scan(
        self,
        staff: StaffSession,
        visit_id: uuid.UUID,
        data: bytes,
        mime_type: str,
        *,
        party: str = "customer",
        kind: str = "id_document",
    ) -> VerificationView:
        if mime_type not in SCAN_MIME_TYPES:
            raise RuleViolation([error("verification.scan_type", "scan")])
        if not data or len(data) > MAX_SCAN_BYTES:
            raise RuleViolation([error("verification.scan_size", "scan")])
        with self._ws.db.unit_of_work() as uow:
            s = uow.session
            verification = self._verification(s, self._visit(s, visit_id), party)
            digest = hashlib.sha256(data).hexdigest()
            scan_id = new_id()
            scan = DocumentScan(
                id=scan_id,
                verification_id=verification.id,
                kind=kind,
                mime_type=mime_type,
                sha256=digest,
                size_bytes=len(data),
                ciphertext=self._ws.vault.seal(
                    data, sealed_at("document_scan", "ciphertext", scan_id)
                ),
                staff_id=staff.staff_id,
                created_at=self._ws.clock.now(),
            )
            s.add(scan)
            s.flush()
            self._add_step(
                s, verification.id, staff, "retain", kind, scan_id=str(scan.id), sha256=digest
            )
            audit.record(
                s,
                actor_id=staff.staff_id,
                action="id.scan_attached",
                object_type="document_scan",
                object_id=scan.id,
                detail={"kind": kind},
            )
            view = view_of(s, verification)
            uow.commit()
        return view

    # -- 5: limits ----------------------------------------------------------------------
    def check_number_limit(
        self,
        staff: StaffSession,
        visit_id: uuid.UUID,
        *,
        party: str = "customer",
    ) -> tuple[int, str]:
        """Numbers this ID holds operator-wide; ``(count, source)``.

        Asks head office by keyed hash; offline, counts this workstation's records and
        flags the visit for head-office re-check.
        """
        with self._ws.db.unit_of_work() as uow:
            s = uow.session
            visit = self._visit(s, visit_id)
            verification = self._verification(s, visit, party)
            source = "head_office"
            try:
                if self._limits is None:
                    raise ConnectionError("no head office configured")
                count = self._limits.count_numbers(verification.id_hash)
            except ConnectionError:
                source = "local"
                count = (
                    s.scalar(
                        select(func.count(Line.id))
                        .join(Customer, Customer.id == Line.customer_id)
                        .where(
                            Customer.id_hash == verification.id_hash,
                            Line.status != "closed",
                            Line.service == "mobile",
                        )
                    )
                    or 0
                )
                customer = s.scalar(
                    select(Customer).where(Customer.id_hash == verification.id_hash)
                )
                if customer is not None:
                    count = max(count, customer.numbers_with_operator)
                draft = VisitDraft.from_json(visit.draft)
                if "id_number_limit_offline" not in draft.recheck_reasons:
                    draft.recheck_reasons.append("id_number_limit_offline")
                visit.draft = draft.to_json()
                visit.recheck_required = True
            customer = s.scalar(select(Customer).where(Customer.id_hash == verification.id_hash))
            if customer is not None and source == "head_office":
                customer.numbers_with_operator = count
            across = (
                self._across_operators(verification.id_hash) if source == "head_office" else None
            )
            self._add_step(
                s,
                verification.id,
                staff,
                "limits",
                source,
                count=count,
                day=business_date(self._ws.clock.now()).isoformat(),
                # 一证通查 (Anti-Telecom-Fraud Law): every operator's count, via head office
                all_operators=across["total"] if across else None,
                other_operators=across["other_operators"] if across else None,
                all_operators_source=across["source"] if across else "unavailable",
            )
            uow.commit()
        return count, source

    def _across_operators(self, id_hash: str) -> dict | None:
        """一证通查 answer, or ``None`` when head office (or the national service) can't say."""
        ask = getattr(self._limits, "count_all_operators", None)
        if ask is None:
            return None
        try:
            return dict(ask(id_hash))
        except (ConnectionError, OSError):
            return None

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
