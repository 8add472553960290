"""Staff sign-in, password changes and manager authorisation (SPEC §6).

Passwords are argon2id hashes. A wrong password counts towards a lock-out; a locked
or disabled account can't sign in and is told so politely. A manager authorises
exceptions (manual ID entry, voids, refunds, fee waivers, precondition overrides) by
typing their own credentials at the clerk's counter: :meth:`AuthService.authorise`
returns an :class:`Approval` that the service performing the exception records.
Every sign-in, failure and authorisation lands in the audit log.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import re
import secrets
import uuid
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config import SecuritySection
from ..core.clock import Clock, SystemClock
from ..core.messages import RuleViolation, define, define_field, error
from ..store import audit
from ..store.database import Database
from ..store.models import AuditEntry, Role, Staff

define_field("username", zh="工号", en="Username")
define_field("password", zh="密码", en="Password")
define_field("new_password", zh="新密码", en="New password")
define_field("manager", zh="授权经理", en="Authorising manager")
define_field("reason", zh="原因", en="Reason")

# One answer for an unknown user, a wrong password and a locked account, so the
# message never confirms that an account exists (nor that it is locked).
define(
    "auth.bad_credentials",
    zh="工号或密码不正确，或账号因连续输错 {max} 次已锁定（{minutes} 分钟后自动解锁，"
    "也可请值班经理解锁）。请核对后重新输入。",
    en="Username or password is not correct, or the account is locked after {max} wrong "
    "attempts (it opens again after {minutes} minutes, or ask the duty manager). Please "
    "check and try again.",
)
define(
    "auth.inactive",
    zh="该账号已停用，请联系营业厅经理或 IT 管理员。",
    en="This account is disabled; please contact the branch manager or IT.",
)
define(
    "auth.password_weak",
    zh="{field}至少 8 位，且须同时包含字母和数字，不能包含工号，请重新设置。",
    en="{field} needs at least 8 characters with both letters and digits, and must not "
    "contain the username.",
)
define(
    "auth.password_reused",
    zh="{field}不能与原密码相同，请换一个。",
    en="{field} must differ from the old password.",
)
define(
    "auth.not_manager",
    zh="{name} 没有授权权限，请由值班经理输入工号和密码授权。",
    en="{name} cannot authorise this; the duty manager must enter their credentials.",
)
define(
    "auth.self_authorise",
    zh="授权须由另一位经理完成，不能为自己的操作授权。",
    en="Another manager must authorise this; you cannot authorise your own action.",
)
define(
    "auth.reason_required",
    zh="请填写{field}，授权记录需要说明原因。",
    en="Please give the {field}; an authorisation must say why.",
)
define(
    "auth.approval_unknown",
    zh="该授权没有登记记录，不能使用。请值班经理重新授权。",
    en="This authorisation was never recorded and can't be used; the manager must authorise again.",
)
define(
    "auth.approval_mismatch",
    zh="该授权是为“{given}”给出的，不能用于“{wanted}”。请值班经理为本项操作单独授权。",
    en="This authorisation was given for “{given}” and can't be used for “{wanted}”; "
    "the manager must authorise this action on its own.",
)
define(
    "auth.approval_used",
    zh="该授权已经使用过一次，每次授权只能用于一项操作。请值班经理重新授权。",
    en="This authorisation has already been used; each one covers a single action. "
    "Please ask the manager again.",
)
define(
    "auth.approval_expired",
    zh="该授权已超过 {minutes} 分钟有效期，请值班经理重新授权。",
    en="This authorisation is older than {minutes} minutes and has expired; please ask "
    "the manager again.",
)

#: An approval is valid for this long after the manager gave it (SPEC §6: it expires).
APPROVAL_VALID_MINUTES = 10

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@functools.cache
def _stand_in_hash() -> str:
    """A hash no password matches, checked for an unknown user so the answer takes as
    long as for a known one (made once, on the first unknown name)."""
    return _hasher.hash(secrets.token_urlsafe(24))


def password_problems(username: str, password: str) -> list:
    weak = (
        len(password) < 8
        or not re.search(r"[A-Za-z]", password)
        or not re.search(r"\d", password)
        or username.lower() in password.lower()
    )
    return [error("auth.password_weak", "new_password")] if weak else []


@dataclass(frozen=True)
class StaffSession:
    staff_id: uuid.UUID
    username: str
    display_name: str
    role: Role
    branch_code: str
    must_change_password: bool
    signed_in_at: dt.datetime
    password_expired: bool = False  # older than security.password_max_age_days

    @property
    def is_manager(self) -> bool:
        return self.role is Role.MANAGER

    @classmethod
    def of(cls, staff: Staff, signed_in_at: dt.datetime) -> StaffSession:
        """A session for an account already authenticated (or a trusted batch job)."""
        return cls(
            staff.id,
            staff.username,
            staff.display_name,
            Role(staff.role),
            staff.branch_code,
            staff.must_change_password,
            signed_in_at,
        )


@dataclass(frozen=True)
class Approval:
    """A manager's authorisation of one exceptional action, to be recorded with it.

    It is bound (SPEC §6) to one ``action``, and — where given — one visit, one subject
    (a business code, a slip number, a warranty card) and one amount in fen; it is used
    once (:func:`consume`) and expires :data:`APPROVAL_VALID_MINUTES` after it was given.
    The binding lives in the audit log entry ``auth.approved`` written when it was given,
    so an :class:`Approval` built in memory without that entry is refused.
    """

    manager_id: uuid.UUID
    manager_name: str
    action: str
    reason: str
    approved_at: dt.datetime
    approval_id: uuid.UUID | None = None
    visit_id: uuid.UUID | None = None
    subject: str | None = None
    amount_fen: int | None = None


ACTION_LABELS = {
    "manual_id_entry": "手工录入证件",
    "precondition_override": "越过办理条件",
    "fee_waiver": "费用减免",
    "void": "作废受理单",
    "refund": "退款",
    "day_close": "日结",
}


def _label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def consume(
    session: Session,
    approval: Approval,
    *,
    action: str,
    now: dt.datetime,
    visit_id: uuid.UUID | None = None,
    subject: str | None = None,
    amount_fen: int | None = None,
) -> None:
    """Use ``approval`` for ``action`` in the caller's (write) transaction, or refuse.

    The approval must have been recorded when given, for this very action, visit,
    subject and amount (each one it was bound to), not used before and not expired.
    Using it appends ``auth.approval_used``, so a second use is refused.
    """
    given = None
    if approval.approval_id is not None:
        given = session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "auth.approved",
                AuditEntry.object_id == str(approval.approval_id),
            )
        )
    if given is None:
        raise RuleViolation([error("auth.approval_unknown", "manager")])
    used = session.scalar(
        select(AuditEntry.id).where(
            AuditEntry.action == "auth.approval_used",
            AuditEntry.object_id == str(approval.approval_id),
        )
    )
    if used is not None:
        raise RuleViolation([error("auth.approval_used", "manager")])
    bound = given.detail or {}
    wanted = _label(action)
    if bound.get("action") != action:
        raise RuleViolation(
            [
                error(
                    "auth.approval_mismatch",
                    "manager",
                    given=_label(bound.get("action", "")),
                    wanted=wanted,
                )
            ]
        )
    checks = (
        ("visit_id", str(visit_id) if visit_id else None),
        ("subject", subject),
        ("amount_fen", amount_fen),
    )
    for key, value in checks:
        if bound.get(key) is not None and bound.get(key) != value:
            raise RuleViolation(
                [error("auth.approval_mismatch", "manager", given=_describe(bound), wanted=wanted)]
            )
    approved_at = dt.datetime.fromisoformat(
        bound.get("approved_at") or approval.approved_at.isoformat()
    )
    if now - approved_at > dt.timedelta(minutes=APPROVAL_VALID_MINUTES):
        raise RuleViolation(
            [error("auth.approval_expired", "manager", minutes=APPROVAL_VALID_MINUTES)]
        )
    audit.record(
        session,
        actor_id=approval.manager_id,
        action="auth.approval_used",
        object_type="approval",
        object_id=str(approval.approval_id),
        detail={"action": action, "subject": subject, "amount_fen": amount_fen},
    )


def _describe(bound: dict) -> str:
    parts = [_label(str(bound.get("action", "")))]
    if bound.get("subject"):
        parts.append(str(bound["subject"]))
    if bound.get("amount_fen") is not None:
        from ..core.money import format_fen

        parts.append(format_fen(int(bound["amount_fen"])))
    return " ".join(parts)


class AuthService:
    def __init__(self, db: Database, security: SecuritySection, clock: Clock | None = None) -> None:
        self._db = db
        self._security = security
        self._clock = clock or SystemClock()

    def _check_password(self, staff: Staff, password: str) -> bool:
        try:
            return _hasher.verify(staff.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _refusal(self) -> RuleViolation:
        return RuleViolation(
            [
                error(
                    "auth.bad_credentials",
                    "password",
                    max=self._security.max_failed_logins,
                    minutes=self._security.lockout_minutes,
                )
            ]
        )

    def _verify(self, session, username: str, password: str) -> Staff:
        """The staff member, or one refusal that takes as long (one argon2 check) and
        reads the same whether the user is unknown, locked or typed a wrong password."""
        now = self._clock.now()
        staff = session.scalar(select(Staff).where(Staff.username == username.strip()))
        if staff is None:
            with contextlib.suppress(VerificationError, InvalidHashError):
                _hasher.verify(_stand_in_hash(), password)  # as long as a real check
            audit.record(
                session,
                actor_id=None,
                action="auth.failed",
                object_type="staff",
                detail={"reason": "unknown_user"},
            )
            raise self._refusal()
        password_ok = self._check_password(staff, password)
        if staff.locked_until is not None and staff.locked_until > now:
            audit.record(
                session,
                actor_id=staff.id,
                action="auth.failed",
                object_type="staff",
                object_id=staff.id,
                detail={"reason": "locked"},
            )
            raise self._refusal()
        if not staff.active:
            if not password_ok:
                raise self._refusal()
            raise RuleViolation([error("auth.inactive", "username")])
        if not password_ok:
            staff.failed_attempts += 1
            detail = {"attempts": staff.failed_attempts}
            if staff.failed_attempts >= self._security.max_failed_logins:
                staff.locked_until = now + dt.timedelta(minutes=self._security.lockout_minutes)
                staff.failed_attempts = 0
                detail["locked"] = True
            audit.record(
                session,
                actor_id=staff.id,
                action="auth.failed",
                object_type="staff",
                object_id=staff.id,
                detail=detail,
            )
            raise self._refusal()
        staff.failed_attempts = 0
        staff.locked_until = None
        if _hasher.check_needs_rehash(staff.password_hash):
            staff.password_hash = hash_password(password)
        return staff

    def sign_in(self, username: str, password: str) -> StaffSession:
        with self._db.unit_of_work() as uow:
            try:
                staff = self._verify(uow.session, username, password)
            except RuleViolation:
                uow.commit()  # keep the failure count and the audit entry
                raise
            expired = self._password_expired(staff)
            audit.record(
                uow.session,
                actor_id=staff.id,
                action="auth.sign_in",
                object_type="staff",
                object_id=staff.id,
                detail={"password_expired": True} if expired else {},
            )
            uow.commit()
            session = self._session_of(staff)
            if expired:  # the forced-change flow of first sign-in, with its own reason
                session = dataclasses.replace(
                    session, must_change_password=True, password_expired=True
                )
            return session

    def _password_expired(self, staff: Staff) -> bool:
        """Older than ``security.password_max_age_days`` (90 by default) since it was set."""
        set_at = staff.password_changed_at or staff.created_at
        max_age = dt.timedelta(days=self._security.password_max_age_days)
        return set_at is not None and self._clock.now() - set_at > max_age

    def _session_of(self, staff: Staff) -> StaffSession:
        return StaffSession.of(staff, self._clock.now())

    def verify_password(self, session: StaffSession, password: str) -> bool:
        """Unlock after the idle lock: the same person, same password; failures count."""
        try:
            with self._db.unit_of_work() as uow:
                try:
                    self._verify(uow.session, session.username, password)
                finally:
                    uow.commit()
            return True
        except RuleViolation:
            return False

    def change_password(self, session: StaffSession, old: str, new: str) -> StaffSession:
        with self._db.unit_of_work() as uow:
            try:
                staff = self._verify(uow.session, session.username, old)
            except RuleViolation:
                uow.commit()
                raise
            problems = password_problems(staff.username, new)
            if old == new:
                problems.append(error("auth.password_reused", "new_password"))
            if problems:
                raise RuleViolation(problems)
            staff.password_hash = hash_password(new)
            staff.must_change_password = False
            staff.password_changed_at = self._clock.now()
            audit.record(
                uow.session,
                actor_id=staff.id,
                action="auth.password_changed",
                object_type="staff",
                object_id=staff.id,
            )
            uow.commit()
            return self._session_of(staff)

    def authorise(
        self,
        username: str,
        password: str,
        *,
        action: str,
        reason: str,
        requested_by: StaffSession,
        visit_id: uuid.UUID | None = None,
        subject: str | None = None,
        business: str | None = None,
        amount_fen: int | None = None,
    ) -> Approval:
        """A manager's approval for ``action``; raises RuleViolation when not given.

        ``visit_id``, ``subject`` and ``amount_fen`` bind it to one visit, one business
        (or slip) and one amount: :func:`consume` refuses it for anything else. A fee
        waiver names its ``business`` (its name, shown in the approval) and amount.
        """
        if not reason.strip():
            raise RuleViolation([error("auth.reason_required", "reason")])
        with self._db.unit_of_work() as uow:
            try:
                manager = self._verify(uow.session, username, password)
            except RuleViolation:
                uow.commit()
                raise
            if manager.role != Role.MANAGER:
                uow.commit()
                raise RuleViolation(
                    [error("auth.not_manager", "manager", name=manager.display_name)]
                )
            if manager.id == requested_by.staff_id:
                uow.commit()
                raise RuleViolation([error("auth.self_authorise", "manager")])
            now = self._clock.now()
            approval_id = uuid.uuid4()
            audit.record(
                uow.session,
                actor_id=manager.id,
                action="auth.approved",
                object_type="approval",
                object_id=str(approval_id),
                detail={
                    "action": action,
                    "reason": reason.strip(),
                    "requested_by": str(requested_by.staff_id),
                    "visit_id": str(visit_id) if visit_id else None,
                    "subject": subject,
                    "amount_fen": amount_fen,
                    "approved_at": now.isoformat(),
                    **({"business": business} if business is not None else {}),
                },
            )
            uow.commit()
            return Approval(
                manager.id,
                manager.display_name,
                action,
                reason.strip(),
                now,
                approval_id,
                visit_id,
                subject,
                amount_fen,
            )

    def add_staff(
        self,
        username: str,
        display_name: str,
        role: Role,
        branch_code: str,
        password: str,
        *,
        must_change_password: bool = True,
    ) -> uuid.UUID:
        with self._db.unit_of_work() as uow:
            staff = Staff(
                username=username,
                display_name=display_name,
                role=role.value,
                branch_code=branch_code,
                password_hash=hash_password(password),
                must_change_password=must_change_password,
            )
            uow.session.add(staff)
            uow.session.flush()
            audit.record(
                uow.session,
                actor_id=None,
                action="staff.created",
                object_type="staff",
                object_id=staff.id,
                detail={"role": role.value},
            )
            uow.commit()
            return staff.id
