"""Download: catalogue, staff accounts, tier tables and number resources, by version.

Each dataset is checked completely (digest, schema, content) *before* anything is
written, then applied in one local transaction together with its version row — so a
process killed mid-apply leaves the previous version in force and the next pull asks
for it again (resumable). When this build reads a newer dataset schema than the data
was loaded under, it asks for everything once (a clean full reload) and records the
schema in the transaction that completes the reload, so it never loops.

The GUI's catalogue is swapped only between visits (:func:`switch_catalogue_if_idle`):
a clerk never sees a business change under their hands.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import delete, select

from ..core.catalogue import Catalogue, CatalogueError, parse_catalogue
from ..core.numbers import Block, parse_blocks
from ..protocol.digest import canonical_digest
from ..protocol.wire import DATASET_KINDS, DATASET_SCHEMA
from ..store.database import Database
from ..store.models import PoolNumber, Staff, SyncDataset, Visit
from . import state
from .client import HeadOfficeClient


class DatasetError(Exception):
    """A pulled dataset is unusable; it is not applied and the error is reported."""


class StaffEntry(BaseModel):
    """A staff account as head office publishes it: hashes only, never a password."""

    model_config = ConfigDict(extra="ignore")
    username: str = Field(min_length=1, max_length=64)
    display_name: str = Field(min_length=1, max_length=64)
    role: str = Field(pattern=r"^(clerk|manager|it_admin)$")
    branch_code: str = Field(max_length=16)
    password_hash: str = Field(pattern=r"^\$argon2(id|i|d)\$")
    active: bool = True
    must_change_password: bool = False


class TierEntry(BaseModel):
    model_config = ConfigDict(extra="allow")
    code: str = Field(min_length=1, max_length=16)
    rank: int = Field(ge=0)


@dataclass
class PullReport:
    applied: dict[str, int] = field(default_factory=dict)
    full_reload: bool = False


def held_versions(db: Database) -> tuple[dict[str, int], bool]:
    """Versions held, and whether a full reload is due (dataset schema changed)."""
    with db.reader() as s:
        schema = state.get(s, state.DATASET_SCHEMA_KEY)
        have = {d.kind: d.version for d in s.scalars(select(SyncDataset))}
    if have and schema != str(DATASET_SCHEMA):
        return {}, True
    return have, False


def pull_datasets(db: Database, client: HeadOfficeClient) -> PullReport:
    have, full_reload = held_versions(db)
    report = PullReport(full_reload=full_reload)
    datasets = client.pull(have, DATASET_SCHEMA)
    problems: list[str] = []
    for ds in datasets:
        try:
            kind, version = _check(ds)
            if version <= have.get(kind, 0) and not full_reload:
                continue
            _apply(db, ds)
        except DatasetError as exc:  # one bad dataset never blocks the others
            problems.append(str(exc))
            continue
        report.applied[kind] = version
    now = dt.datetime.now(dt.UTC).isoformat()
    with db.unit_of_work() as uow:
        state.put(uow.session, state.DATASET_SCHEMA_KEY, str(DATASET_SCHEMA))
        if not problems:
            state.put(uow.session, state.LAST_PULL_OK, now)
        uow.commit()
    if problems:
        raise DatasetError("; ".join(problems))
    return report


def _check(ds: dict[str, Any]) -> tuple[str, int]:
    kind = ds.get("kind")
    version = ds.get("version")
    if kind not in DATASET_KINDS or type(version) is not int:
        raise DatasetError(f"head office sent an unknown dataset {kind!r}")
    if int(ds.get("schema", 0)) > DATASET_SCHEMA:
        raise DatasetError(f"{kind} v{version} needs a newer frontdesk (schema {ds['schema']})")
    if canonical_digest(ds.get("body")) != ds.get("digest"):
        raise DatasetError(f"{kind} v{version} arrived damaged (digest mismatch)")
    return str(kind), int(version)


def _apply(db: Database, ds: dict[str, Any]) -> None:
    kind, body = ds["kind"], ds["body"]
    staff: list[StaffEntry] = []
    blocks: list[Block] = []
    try:
        if kind == "catalogue":
            parse_catalogue(body, f"head office catalogue v{ds['version']}")
        elif kind == "staff":
            staff = [StaffEntry.model_validate(e) for e in body.get("staff", [])]
        elif kind == "tiers":
            [TierEntry.model_validate(e) for e in body.get("tiers", [])]
        elif kind == "numbers":  # 号码资源: every number checked, or none applied
            blocks, problems = parse_blocks(body)
            if problems:
                raise TypeError("; ".join(p.text("en") for p in problems[:5]))
    except (CatalogueError, ValidationError, AttributeError, TypeError) as exc:
        raise DatasetError(f"{kind} v{ds['version']} is invalid: {exc}"[:400]) from exc
    with db.unit_of_work() as uow:
        s = uow.session
        if kind == "staff":
            _apply_staff(s, staff)
        elif kind == "numbers":
            _apply_numbers(s, blocks)
        row = s.get(SyncDataset, kind)
        text = json.dumps(body, ensure_ascii=False)
        if row is None:
            s.add(
                SyncDataset(
                    kind=kind,
                    version=ds["version"],
                    schema=ds["schema"],
                    digest=ds["digest"],
                    body=text,
                )
            )
        else:
            row.version, row.schema, row.digest, row.body = (
                ds["version"],
                ds["schema"],
                ds["digest"],
                text,
            )
            row.applied_at = dt.datetime.now(dt.UTC)
        uow.commit()


def _apply_staff(s: Any, entries: list[StaffEntry]) -> None:
    """Head office's accounts win by username; ones it no longer lists are switched off.

    Local failed-login counters and lock-outs are kept (they are this counter's facts).
    """
    listed = set()
    for e in entries:
        listed.add(e.username)
        row = s.scalar(select(Staff).where(Staff.username == e.username))
        if row is None:
            row = Staff(username=e.username, failed_attempts=0)
            s.add(row)
        row.display_name = e.display_name
        row.role = e.role
        row.branch_code = e.branch_code
        if row.password_hash != e.password_hash:
            row.password_hash = e.password_hash
            row.must_change_password = e.must_change_password
        row.active = e.active
        row.source = "head_office"
    for row in s.scalars(select(Staff).where(Staff.source == "head_office")):
        if row.username not in listed:
            row.active = False


def _apply_numbers(s: Any, blocks: list[Block]) -> None:
    """The pool becomes what head office lists for this workstation (号码资源): listed
    numbers are added free; free numbers of head office's no longer listed are withdrawn;
    held and used numbers stay (an open visit or a settled slip still needs them)."""
    listed = {n for block in blocks for n in block.numbers}
    existing = set(s.scalars(select(PoolNumber.number)))
    now = dt.datetime.now(dt.UTC)
    s.add_all(
        PoolNumber(number=n, state="free", source="head_office", updated_at=now)
        for n in sorted(listed - existing)
    )
    free = s.scalars(  # a demo pool is not head office's to withdraw
        select(PoolNumber.number).where(
            PoolNumber.state == "free", PoolNumber.source == "head_office"
        )
    )
    withdrawn = [n for n in free if n not in listed]
    if withdrawn:
        s.execute(delete(PoolNumber).where(PoolNumber.number.in_(withdrawn)))


def pulled(db: Database, kind: str) -> tuple[int, Any] | None:
    """The applied version and body of a dataset, or ``None`` if never pulled."""
    with db.reader() as s:
        row = s.get(SyncDataset, kind)
        return (row.version, json.loads(row.body)) if row is not None else None


def pulled_catalogue(db: Database) -> Catalogue | None:
    found = pulled(db, "catalogue")
    if found is None:
        return None
    return parse_catalogue(found[1], f"head office catalogue v{found[0]}")


def switch_catalogue_if_idle(ws: Any) -> bool:
    """Give the workstation the pulled catalogue if it is newer and no visit is open.

    Called by the sync agent after each pass and may be called by the GUI when a visit
    ends; the swap is a single attribute assignment, so a reader sees old or new, never
    a mix.
    """
    catalogue = pulled_catalogue(ws.db)
    if catalogue is None or catalogue.digest == ws.catalogue.digest:
        return False
    if catalogue.version < ws.catalogue.version:
        return False
    with ws.db.reader() as s:
        busy = s.scalar(select(Visit.id).where(Visit.status == "open").limit(1))
    if busy is not None:
        return False
    ws.catalogue = catalogue
    return True
