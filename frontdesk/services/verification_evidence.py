"""ID verification steps 3–5 of a visit: match, retain, limits (身份证件核实).

3. match — face comparison (入网/过户) or the clerk's photo-vs-person confirmation;
4. retain — the encrypted scan of the document (复印留存);
5. limits — 一证五号, asked of head office when reachable, local records otherwise.

:class:`EvidenceSteps` is part of
:class:`~frontdesk.services.verification.VerificationService`; use that.
"""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy import func, select

from ..core.clock import business_date
from ..core.intake import VisitDraft
from ..core.messages import RuleViolation, error
from ..devices.face import FaceComparer, FaceDeviceError
from ..store import audit
from ..store.crypto import sealed_at
from ..store.models import Customer, DocumentScan, Line, new_id
from .auth import StaffSession
from .verification_base import (
    MAX_SCAN_BYTES,
    SCAN_MIME_TYPES,
    VerificationBase,
    VerificationView,
    view_of,
)


class EvidenceSteps(VerificationBase):
    """Steps 3–5: the face or photo match, the retained scan, the number limit."""

    # -- 3: match -------------------------------------------------------------------
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
