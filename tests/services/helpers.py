"""Small builders shared by the service tests: a verified customer in a few calls."""

from __future__ import annotations

import uuid

from frontdesk.devices.face import SimulatedFaceComparer
from frontdesk.devices.id_reader import SimulatedIdCardReader, demo_card
from frontdesk.services.auth import StaffSession
from frontdesk.services.verification import VerificationService
from frontdesk.services.workstation import Workstation

PNG_SCAN = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def today(ws: Workstation):
    from frontdesk.core.clock import business_date

    return business_date(ws.clock.now())


def verify_person(
    ws: Workstation,
    staff: StaffSession,
    visit_id: uuid.UUID,
    person: str = "zhang_san",
    *,
    party: str = "customer",
    face: bool = True,
    scan: bool = True,
    purpose: str = "general",
    limits: bool = False,
) -> VerificationService:
    """Read the named demo card and pass the later steps, as a clerk would."""
    verifier = VerificationService(ws)
    card = demo_card(person, today=today(ws))
    reader = SimulatedIdCardReader(card, today=today(ws))
    reader.open()
    verifier.read_card(staff, visit_id, reader, party=party, purpose=purpose)
    if face:
        verifier.compare_face(staff, visit_id, SimulatedFaceComparer(), card.photo_bmp, party=party)
    else:
        verifier.confirm_photo(staff, visit_id, party=party)
    if scan:
        verifier.attach_scan(staff, visit_id, PNG_SCAN, "image/png", party=party)
    if limits:
        verifier.check_number_limit(staff, visit_id, party=party)
    return verifier
