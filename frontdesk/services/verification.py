"""ID verification steps of a visit (身份证件核实, SPEC §2), recorded step by step.

1. capture — from the ID-card reader, or by hand with a manager's authorisation;
2. check — the document's rules (:mod:`frontdesk.core.ids`);
3. match — face comparison (入网/过户) or the clerk's photo-vs-person confirmation;
4. retain — the encrypted scan of the document (复印留存);
5. limits — 一证五号, asked of head office when reachable, local records otherwise.

Each step is a new :class:`VerificationStep` row (who, when, how, result). The customer
is found by the keyed hash of the normalised document number, or created.

Steps 1–2 and unit customers are here; steps 3–5 in
:mod:`frontdesk.services.verification_evidence`; the views, messages and shared helpers
in :mod:`frontdesk.services.verification_base`. Every name is importable from here.
"""

from __future__ import annotations

import dataclasses
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.ids import (
    DocType,
    IdentityDocument,
    check_credit_code,
    check_document,
    mask_id_number,
    normalise_number,
)
from ..core.intake import VisitDraft
from ..core.messages import Problem, RuleViolation, error
from ..core.money import format_fen
from ..devices.id_reader import IdCardReader, ReaderError
from ..store import audit
from ..store.crypto import sealed_at
from ..store.models import Customer, IdVerification, Visit, new_id
from ..store.personal import seal_birth_date
from .auth import Approval, StaffSession, consume
from .verification_base import (
    MAX_SCAN_BYTES,
    PARTIES,
    PARTY_LABELS,
    SCAN_MIME_TYPES,
    STEPS,
    CustomerChangeNeedsConfirmation,
    NumberLimitSource,
    StepView,
    VerificationBase,
    VerificationView,
    card_to_document,
    view_of,
)
from .verification_evidence import EvidenceSteps

__all__ = [
    "MAX_SCAN_BYTES",
    "PARTIES",
    "PARTY_LABELS",
    "SCAN_MIME_TYPES",
    "STEPS",
    "CustomerChangeNeedsConfirmation",
    "EvidenceSteps",
    "NumberLimitSource",
    "StepView",
    "VerificationBase",
    "VerificationService",
    "VerificationView",
    "card_to_document",
    "view_of",
]


class VerificationService(EvidenceSteps):
    """A visit's ID verification, step by step: capture and check (here); match, retain
    and limits (:class:`~.verification_evidence.EvidenceSteps`); the shared records and
    helpers (:class:`~.verification_base.VerificationBase`)."""

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
