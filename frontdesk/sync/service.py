"""Enrolment and one sync pass, as the command line and the agent use them.

Enrolment trades IT's one-time code for this workstation's own credential and installs
head office's operator-wide look-up key (crypto.py: ID hashes must agree across
counters for 一证五号). It refuses to swap the key once customers are stored under the
local one — their hashes would no longer be found — instead of silently orphaning them.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from ..config import write_config
from ..protocol.wire import DEFAULT_BATCH_RECORDS
from ..store.crypto import Vault, load_key_file, write_key_file
from ..store.models import Customer, IdVerification
from .anchor import anchor, note_totals_sent
from .client import HeadOfficeClient
from .credentials import Credential, CredentialStore
from .puller import PullReport, pull_datasets, switch_catalogue_if_idle
from .pusher import PushReport, push_pending, record_error
from .workorders import WorkOrderSink, pull_work_orders


class EnrolmentError(Exception):
    """Enrolment can't proceed; the message says why and what to do."""


def install_lookup_key(ws: Any, lookup_key: bytes) -> bool:
    """Replace the local look-up key with head office's (atomic file swap, 0600)."""
    material = load_key_file(ws.data_dir)
    if material.lookup_key == lookup_key:
        return False
    with ws.db.reader() as s:
        stored = (s.scalar(select(func.count(Customer.id))) or 0) + (
            s.scalar(select(func.count(IdVerification.id))) or 0
        )
    if stored:
        raise EnrolmentError(
            "本机已用本地密钥登记了客户，不能更换查询密钥；请在新装机时先注册再办业务。 / "
            "customers are already stored under this workstation's own look-up key; enrol "
            "a workstation before it serves customers."
        )
    new = dataclasses.replace(material, lookup_key=lookup_key)  # the audit key stays
    write_key_file(Path(ws.data_dir), new)
    ws.vault = Vault(new)
    return True


def enrol_workstation(ws: Any, url: str, code: str, *, timeout: float = 10.0) -> Credential:
    """Exchange ``code`` for a credential; store it outside the database; take the key."""
    ident = ws.identity
    store = CredentialStore(ws.data_dir)
    with ws.db.reader() as s:
        stored = (s.scalar(select(func.count(Customer.id))) or 0) + (
            s.scalar(select(func.count(IdVerification.id))) or 0
        )
    if stored and not store.exists():
        # checked before the one-time code is spent: the local key can't be replaced
        raise EnrolmentError(
            "本机已用本地密钥登记了客户，不能加入总部；请用新的数据目录注册。 / customers are "
            "already stored under this workstation's own look-up key; enrol from a fresh "
            "data folder."
        )
    with HeadOfficeClient(url, timeout=timeout) as client:
        answer = client.enrol(code, ident.branch_code, ident.workstation_code)
    key = base64.b64decode(answer["lookup_key"])
    install_lookup_key(ws, key)
    cred = Credential(
        url=url.rstrip("/"),
        branch=ident.branch_code,
        workstation=ident.workstation_code,
        token=str(answer["token"]),
        enrolled_at=dt.datetime.now(dt.UTC).isoformat(),
    )
    store.save(cred)
    if ws.config.head_office.url != cred.url:
        head_office = ws.config.head_office.model_copy(update={"url": cred.url})
        ws.config = ws.config.model_copy(update={"head_office": head_office})
        write_config(ws.data_dir, ws.config)
    return cred


def client_for(ws: Any, *, protocol: int | None = None) -> HeadOfficeClient:
    """A client with this workstation's credential (raises CredentialError if none)."""
    cred = CredentialStore(ws.data_dir).load()
    if (cred.branch, cred.workstation) != (ws.identity.branch_code, ws.identity.workstation_code):
        raise EnrolmentError("the stored credential belongs to another workstation; enrol again")
    kwargs: dict[str, Any] = {"timeout": ws.config.head_office.timeout_seconds}
    if protocol is not None:
        kwargs["protocol"] = protocol
    return HeadOfficeClient(cred.url, cred.token, **kwargs)


@dataclass
class PassReport:
    push: PushReport
    pull: PullReport | None
    catalogue_switched: bool
    work_orders: int = 0  # head office's work-order changes applied in this pass
    integrity: str = ""  # head office's verdict on this counter's history (ok|changed)


def _report_anchor(ws: Any, client: HeadOfficeClient) -> dict[str, Any]:
    """Tamper evidence (sync/anchor.py): the chain head, and the totals when due."""
    now = ws.clock.now()
    report = anchor(ws.db, now)
    verdict = client.report_anchor(report)
    if "totals" in report and verdict.get("status") != "not_supported":
        note_totals_sent(ws.db, now)
    return verdict


def run_pass(
    ws: Any,
    client: HeadOfficeClient,
    *,
    work_orders: WorkOrderSink,
    batch_size: int = DEFAULT_BATCH_RECORDS,
) -> PassReport:
    """Push everything pending, then pull datasets; upload and download are independent
    (a pull failure never holds back the upload that already succeeded).

    ``work_orders`` records head office's work-order changes (the complaint service;
    :func:`frontdesk.services.syncpass.run_pass` gives it): required, so no caller can
    forget it and silently leave head office's answers unpulled."""
    try:
        confirm_numbers_after_restore(ws, client)
        pushed = push_pending(ws.db, client, batch_size=batch_size)
        verdict = _report_anchor(ws, client)
        pulled = pull_datasets(ws.db, client)
        orders = pull_work_orders(ws, client, work_orders)
    except Exception as exc:
        with ws.db.unit_of_work() as uow:
            record_error(uow.session, str(exc), dt.datetime.now(dt.UTC))
            uow.commit()
        raise
    switched = switch_catalogue_if_idle(ws)
    return PassReport(pushed, pulled, switched, orders, str(verdict.get("status", "")))


def confirm_numbers_after_restore(ws: Any, client: HeadOfficeClient) -> dict[str, int] | None:
    """After ``frontdesk restore``: learn head office's last slip and receipt numbers for
    this workstation and continue after them; settling is refused until this ran.

    The work done between the backup and the restore reached head office (or was lost
    with the old disk); its numbers belong to those records for good. Taking them again
    would look like a cloned workstation and get it flagged. The numbers skipped are
    kept in the ``numbers_skipped`` setting (health counts them) and audited.
    Returns the numbers moved past, or ``None`` when there was no restore to confirm.
    """
    from ..store import audit
    from ..store.models import NumberSequence, Setting
    from ..store.numbering import RESTORED_SETTING, SKIPPED_SETTING, current_value

    with ws.db.reader() as s:
        restored = s.scalar(select(Setting.value).where(Setting.key == RESTORED_SETTING))
    if restored is None:
        return None
    theirs = client.last_numbers()
    ident = ws.identity
    scope = f"{ident.branch_code}-{ident.workstation_code}"
    moved: dict[str, int] = {}
    with ws.db.unit_of_work() as uow:
        s = uow.session
        skipped_row = s.get(Setting, SKIPPED_SETTING)
        skipped = json.loads(skipped_row.value) if skipped_row is not None else {}
        for kind, last in sorted(theirs.items()):
            mine = current_value(s, kind, scope)
            if last <= mine:
                continue
            row = s.get(NumberSequence, {"kind": kind, "scope": scope})
            if row is None:
                s.add(NumberSequence(kind=kind, scope=scope, last_value=last))
            else:
                row.last_value = last
            skipped.setdefault(kind, []).append([mine + 1, last])
            moved[kind] = last
        if moved:
            if skipped_row is None:
                s.add(Setting(key=SKIPPED_SETTING, value=json.dumps(skipped)))
            else:
                skipped_row.value = json.dumps(skipped)
        restored_row = s.get(Setting, RESTORED_SETTING)
        if restored_row is not None:
            s.delete(restored_row)
        audit.record(
            s,
            actor_id=None,
            action="numbers.confirmed_after_restore",
            object_type="workstation",
            object_id=scope,
            detail={"backup": restored, "head_office": theirs, "continued_after": moved},
        )
        uow.commit()
    return moved
