"""Tamper evidence of a workstation's settled records (``frontdesk health``, ``audit``).

What a dishonest insider with the sqlite3 tool could do, and what finds it here:

- edit or delete a settled row after dropping the triggers → the guard triggers are
  missing; the row differs from (or is missing beside) the copy its transaction wrote
  to the outbox; a slip's total no longer equals its items, payments and receipt;
- rewrite the audit chain → the keyed chain breaks (:func:`store.audit.verify_chain`);
  delete its last entry → the outbox still holds it;
- paste another row's sealed value → it no longer opens (bound by associated data);
- do all of that consistently, key file included → head office, which already holds
  every record pushed and the chain heads the counter reported, lists the counter
  (:mod:`frontdesk.headoffice.integrity`; :func:`anchor` is what each sync reports).

Findings are bilingual :class:`Problem`s naming what was found.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from ..core.messages import Problem, RuleViolation, define, define_field, error
from ..store import audit
from ..store.crypto import VaultError, sealed_at
from ..store.models import APPEND_ONLY_TABLES, SEALED_COLUMNS, Setting, SyncedRecord
from .auth import StaffSession
from .workstation import KEY_CHECK, Workstation, key_check_place

define_field("integrity", zh="防篡改检查", en="tamper check")
define(
    "audit.manager_only",
    zh="审计日志的核验和导出仅限经理或 IT 管理员操作，请请经理登录后再试。",
    en="Verifying and exporting the audit log is for a manager or IT admin; please ask a "
    "manager to sign in.",
)
define(
    "audit.export_unwritable",
    zh="审计日志无法写入所选位置：{detail}。请换一个文件夹后重试。",
    en="The audit log can't be written there: {detail}. Please choose another folder.",
)
define(
    "integrity.chain_broken",
    zh="审计日志链在第 {seq} 条断开：{reason_zh}。",
    en="The audit chain is broken at entry {seq}: {reason_en}.",
)
define(
    "integrity.triggers_missing",
    zh="已结账表的防改触发器缺失：{names}。有人绕过程序改动过数据库。",
    en="Guard triggers of settled tables are missing: {names}. Someone changed the "
    "database outside the program.",
)
define(
    "integrity.sealed_unreadable",
    zh="{count} 个加密字段无法用本机密钥打开（如 {where}）：密钥文件不对，或密文被挪到了别的记录。",
    en="{count} sealed values do not open with this workstation's key (e.g. {where}): "
    "a wrong key file, or a ciphertext moved from another record.",
)
define(
    "integrity.slip_totals",
    zh="{count} 张受理单的金额对不上（如 {slip_no}：合计 {total}，明细 {items}，付款 {paid}，"
    "收据 {receipts}）。",
    en="{count} slips do not add up (e.g. {slip_no}: total {total}, items {items}, "
    "payments {paid}, receipts {receipts}).",
)
define(
    "integrity.not_in_outbox",
    zh="{count} 条 {table} 记录不在待上传队列中（如 {record}），总部收不到它们。",
    en="{count} {table} records are not in the outbox (e.g. {record}); head office will "
    "never receive them.",
)
define(
    "integrity.record_deleted",
    zh="待上传队列记着 {count} 条已删除的 {table} 记录（如 {record}）：已结账记录被删除。",
    en="The outbox holds {count} {table} records that are gone from the table (e.g. "
    "{record}): settled records were deleted.",
)
define(
    "integrity.record_changed",
    zh="{count} 条 {table} 记录与结账时写入队列的副本不同（如 {record}，字段 {columns}）。",
    en="{count} {table} records differ from the copy written when they were settled (e.g. "
    "{record}, fields {columns}).",
)

# Columns whose value a settled record's outbox copy must still show (money, numbers,
# the chain): compared in SQL, so a check of a million slips stays in SQLite's C code.
COPIED_COLUMNS: dict[str, tuple[str, ...]] = {
    "slip": ("slip_no", "total_fen", "paid_fen", "change_fen"),
    "slip_item": ("fee_fen", "business_code"),
    "payment": ("amount_fen", "method"),
    "receipt": ("receipt_no", "total_fen"),
    "audit_entry": ("seq", "entry_hash", "prev_hash", "action"),
}
# The number of each kind a finding quotes (else the record's UUID)
LABEL_COLUMN = {"slip": "slip_no", "receipt": "receipt_no", "audit_entry": "seq"}
SCAN_SAMPLE = 20  # document scans are large: the newest few are opened
EXTRA_TRIGGERS = ("id_verification_sealed_clear_only",)
GUARDS = ("no_update", "no_delete", "no_replace")


def expected_triggers() -> list[str]:
    names = [f"{t}_{g}" for t in APPEND_ONLY_TABLES for g in GUARDS]
    return sorted([*names, *EXTRA_TRIGGERS])


def _table_of_type() -> dict[str, str]:
    def subclasses(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *subclasses(sub))]

    return {
        c.__sync_type__: c.__tablename__  # type: ignore[attr-defined]
        for c in subclasses(SyncedRecord)
        if "__sync_type__" in c.__dict__ and hasattr(c, "__tablename__")
    }


def _uuid_text(value: object) -> str:
    raw = str(value)
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return raw


@dataclass
class IntegrityReport:
    chain: audit.ChainReport
    problems: list[Problem] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def intact(self) -> bool:
        return not self.problems

    def problem_lines(self) -> list[str]:
        return [f"{p.text('zh')} / {p.text('en')}" for p in self.problems]

    def lines(self) -> list[str]:
        out = [f"audit chain: {self.chain.entries} entries, head {self.chain.head_seq}"]
        if self.checked:
            out.append("checked: " + ", ".join(f"{k} {v}" for k, v in self.checked.items()))
        return out


# -- checks -------------------------------------------------------------------------
def _chain(s: Session, report: IntegrityReport) -> None:
    chain = report.chain
    if not chain.intact:
        reason_zh = {
            "its link to the previous entry does not match": "与上一条的链接不符",
            "its content or hash was changed": "内容或哈希被改动",
        }.get(chain.reason, f"前面缺少条目（{chain.reason}）")
        report.problems.append(
            error(
                "integrity.chain_broken",
                "integrity",
                seq=chain.first_broken_seq,
                reason_zh=reason_zh,
                reason_en=chain.reason,
            )
        )


def _triggers(s: Session, report: IntegrityReport) -> None:
    present = {
        r[0]
        for r in s.connection().exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        )
    }
    missing = [name for name in expected_triggers() if name not in present]
    report.checked["triggers"] = len(expected_triggers())
    if missing:
        shown = ", ".join(missing[:6]) + (f" (+{len(missing) - 6})" if len(missing) > 6 else "")
        report.problems.append(error("integrity.triggers_missing", "integrity", names=shown))


def _sealed(ws: Workstation, s: Session, report: IntegrityReport) -> None:
    conn = s.connection()
    opened = 0
    failed: list[str] = []
    check = s.get(Setting, KEY_CHECK)  # sealed at first start: a wrong key shows here too
    if check is not None:
        opened += 1
        try:
            ws.vault.open(base64.b64decode(check.value), key_check_place())
        except (VaultError, ValueError):
            failed.append(f"setting {KEY_CHECK}")
    for table, columns in SEALED_COLUMNS.items():
        for column in columns:
            sql = f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL"
            if table == "document_scan":
                sql += f" ORDER BY created_at DESC LIMIT {SCAN_SAMPLE}"
            for row_id, sealed in conn.exec_driver_sql(sql):
                rid = _uuid_text(row_id)
                try:
                    ws.vault.open(bytes(sealed), sealed_at(table, column, rid))
                except VaultError:
                    failed.append(f"{table}.{column} {rid}")
                opened += 1
    report.checked["sealed values"] = opened
    if failed:
        report.problems.append(
            error("integrity.sealed_unreadable", "integrity", count=len(failed), where=failed[0])
        )


_SLIP_SUMS = """
SELECT slip_no, total_fen, items, paid, receipts, receipt_count FROM (
  SELECT s.slip_no, s.total_fen, s.paid_fen,
    (SELECT coalesce(sum(fee_fen), 0) FROM slip_item WHERE slip_id = s.id) AS items,
    (SELECT coalesce(sum(amount_fen), 0) FROM payment WHERE slip_id = s.id) AS paid,
    (SELECT coalesce(sum(total_fen), 0) FROM receipt WHERE slip_id = s.id) AS receipts,
    (SELECT count(*) FROM receipt WHERE slip_id = s.id) AS receipt_count
  FROM slip s)
WHERE items != total_fen OR paid != total_fen OR paid_fen != total_fen
   OR receipts != total_fen OR receipt_count != 1
"""


def _money(s: Session, report: IntegrityReport) -> None:
    conn = s.connection()
    bad = conn.exec_driver_sql(_SLIP_SUMS).fetchall()
    report.checked["slips"] = conn.exec_driver_sql("SELECT count(*) FROM slip").scalar() or 0
    if bad:
        slip_no, total, items, paid, receipts, _count = bad[0]
        report.problems.append(
            error(
                "integrity.slip_totals",
                "integrity",
                count=len(bad),
                slip_no=slip_no,
                total=total,
                items=items,
                paid=paid,
                receipts=receipts,
            )
        )


def _label(table: str) -> str:
    return f"t.{LABEL_COLUMN.get(table, 'id')}"


def _outbox(s: Session, report: IntegrityReport) -> None:
    conn = s.connection()
    for rtype, table in sorted(_table_of_type().items()):
        label = _label(table)
        missing = conn.exec_driver_sql(
            f"SELECT count(*), min({label}) FROM {table} t WHERE NOT EXISTS"
            " (SELECT 1 FROM outbox o WHERE o.record_id = t.id)"
        ).first()
        if missing and missing[0]:
            report.problems.append(
                error(
                    "integrity.not_in_outbox",
                    "integrity",
                    count=missing[0],
                    table=table,
                    record=_uuid_text(missing[1]) if label == "t.id" else missing[1],
                )
            )
        gone = conn.exec_driver_sql(
            "SELECT count(*), min(o.record_id) FROM outbox o WHERE o.record_type = ? AND"
            f" NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = o.record_id)",
            (rtype,),
        ).first()
        if gone and gone[0]:
            report.problems.append(
                error(
                    "integrity.record_deleted",
                    "integrity",
                    count=gone[0],
                    table=table,
                    record=_uuid_text(gone[1]),
                )
            )
    # records head office has not acknowledged yet: the outbox copy is their witness
    # (acknowledged ones are held at head office, which compares the chain and totals)
    for table, columns in COPIED_COLUMNS.items():
        differs = " OR ".join(
            f"json_extract(o.payload, '$.data.{c}') IS NOT t.{c}" for c in columns
        )
        which = ", ".join(
            f"CASE WHEN json_extract(o.payload, '$.data.{c}') IS NOT t.{c} THEN '{c}' END"
            for c in columns
        )
        row = conn.exec_driver_sql(
            f"SELECT count(*) OVER (), {_label(table)}, {which} FROM outbox o"
            f" JOIN {table} t ON t.id = o.record_id WHERE o.sent_at IS NULL AND ({differs})"
            " LIMIT 1"
        ).first()
        if row:
            record = _uuid_text(row[1]) if _label(table) == "t.id" else row[1]
            report.problems.append(
                error(
                    "integrity.record_changed",
                    "integrity",
                    count=row[0],
                    table=table,
                    record=record,
                    columns=", ".join(c for c in row[2:] if c),
                )
            )


def verify_audit(ws: Workstation) -> IntegrityReport:
    """The audit chain alone: keyed links, and each entry against its outbox copy."""
    with ws.db.reader() as s:
        report = IntegrityReport(audit.verify_chain(s))
        _chain(s, report)
        full = IntegrityReport(report.chain)
        _outbox(s, full)
    report.problems.extend(p for p in full.problems if p.params.get("table") == "audit_entry")
    return report


def check_integrity(ws: Workstation) -> IntegrityReport:
    """Every tamper check: chain, guard triggers, sealed values, money, outbox."""
    with ws.db.reader() as s:
        report = IntegrityReport(audit.verify_chain(s))
        _chain(s, report)
        _triggers(s, report)
        _sealed(ws, s, report)
        _money(s, report)
        _outbox(s, report)
    return report


# -- export -------------------------------------------------------------------------
@dataclass(frozen=True)
class AuditExport:
    path: Path
    entries: int
    head_seq: int
    intact: bool


def export_audit(ws: Workstation, path: Path, *, actor_id: uuid.UUID | None) -> AuditExport:
    """Write the whole chain as JSON lines (a header line, then one line per entry, with
    the hashes a reader re-checks), then audit the export itself."""
    with ws.db.reader() as s:
        chain = audit.verify_chain(s)
        entries = [
            {
                "seq": e.seq,
                "id": str(e.id),
                "at": e.created_at.isoformat(),
                "actor": str(e.actor_id) if e.actor_id else None,
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "detail": e.detail,
                "workstation": e.workstation_code,
                "prev_hash": e.prev_hash,
                "entry_hash": e.entry_hash,
            }
            for e in audit.iter_entries(s)
        ]
    ident = ws.identity
    header = {
        "frontdesk_audit_export": 1,
        "branch": ident.branch_code,
        "workstation": ident.workstation_code,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(),
        "entries": len(entries),
        "intact": chain.intact,
        "first_broken_seq": chain.first_broken_seq,
        "keyed_from": ws.db.chain_key.keyed_from if ws.db.chain_key else None,
    }
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for row in (header, *entries):
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)
    with ws.db.unit_of_work() as uow:
        audit.record(
            uow.session,
            actor_id=actor_id,
            action="audit.exported",
            object_type="audit_entry",
            detail={"entries": len(entries), "file": path.name, "intact": chain.intact},
        )
        uow.commit()
    return AuditExport(path, len(entries), chain.head_seq, chain.intact)


class AuditService:
    """The manager's (and IT's) way to verify and export the audit chain."""

    def __init__(self, ws: Workstation) -> None:
        self._ws = ws

    def _allowed(self, staff: StaffSession) -> None:
        if staff.role.value not in ("manager", "it_admin"):
            raise RuleViolation([error("audit.manager_only", "integrity")])

    def verify(self, staff: StaffSession) -> IntegrityReport:
        self._allowed(staff)
        report = verify_audit(self._ws)
        with self._ws.db.unit_of_work() as uow:
            audit.record(
                uow.session,
                actor_id=staff.staff_id,
                action="audit.verified",
                object_type="audit_entry",
                detail={"entries": report.chain.entries, "intact": report.intact},
            )
            uow.commit()
        return report

    def export(self, staff: StaffSession, path: Path | str) -> AuditExport:
        self._allowed(staff)
        try:
            return export_audit(self._ws, Path(path), actor_id=staff.staff_id)
        except OSError as exc:
            raise RuleViolation(
                [error("audit.export_unwritable", "integrity", detail=exc.strerror or str(exc))]
            ) from exc
