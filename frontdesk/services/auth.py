"""Staff sign-in, password changes and manager authorisation (SPEC §6).

Passwords are argon2id hashes. A wrong password counts towards a lock-out; a locked
or disabled account can't sign in and is told so politely. A manager authorises
exceptions (manual ID entry, voids, refunds, fee waivers, precondition overrides) by
typing their own credentials at the clerk's counter: :meth:`AuthService.authorise`
returns an :class:`Approval` that the service performing the exception records.
Every sign-in, failure and authorisation lands in the audit log.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from ..config import SecuritySection
from ..core.clock import Clock, SystemClock
from ..core.messages import RuleViolation, define, define_field, error
from ..store import audit
from ..store.database import Database
from ..store.models import Role, Staff

define_field("username", zh="工号", en="Username")
define_field("password", zh="密码", en="Password")
define_field("new_password", zh="新密码", en="New password")
define_field("manager", zh="授权经理", en="Authorising manager")
define_field("reason", zh="原因", en="Reason")

define(
    "auth.bad_credentials",
    zh="工号或密码不正确，请核对后重新输入（连续输错 {max} 次将锁定账号）。",
    en="Username or password is not correct; please try again ({max} wrong attempts lock "
    "the account).",
)
define(
    "auth.locked",
    zh="该账号因多次输错密码已锁定，请于 {until} 后再试，或请值班经理解锁。",
    en="This account is locked after repeated wrong passwords; try again after {until} or "
    "ask the duty manager to unlock it.",
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

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


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
    """A manager's authorisation of one exceptional action, to be recorded with it."""

    manager_id: uuid.UUID
    manager_name: str
    action: str
    reason: str
    approved_at: dt.datetime


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

    def _verify(self, session, username: str, password: str) -> Staff:
        now = self._clock.now()
        staff = session.scalar(select(Staff).where(Staff.username == username.strip()))
        if staff is None:
            audit.record(
                session,
                actor_id=None,
                action="auth.failed",
                object_type="staff",
                detail={"reason": "unknown_user"},
            )
            raise RuleViolation(
                [error("auth.bad_credentials", "password", max=self._security.max_failed_logins)]
            )
        if not staff.active:
            raise RuleViolation([error("auth.inactive", "username")])
        if staff.locked_until is not None and staff.locked_until > now:
            until = staff.locked_until.astimezone().strftime("%H:%M")
            raise RuleViolation([error("auth.locked", "username", until=until)])
        if not self._check_password(staff, password):
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
            raise RuleViolation(
                [error("auth.bad_credentials", "password", max=self._security.max_failed_logins)]
            )
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
            audit.record(
                uow.session,
                actor_id=staff.id,
                action="auth.sign_in",
                object_type="staff",
                object_id=staff.id,
            )
            uow.commit()
            return self._session_of(staff)

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
        business: str | None = None,
        amount_fen: int | None = None,
    ) -> Approval:
        """A manager's approval for ``action``; raises RuleViolation when not given.

        ``business`` and ``amount_fen`` name what is approved (a fee waiver: which
        business, how much); they are recorded with the approval."""
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
            audit.record(
                uow.session,
                actor_id=manager.id,
                action="auth.approved",
                object_type="approval",
                object_id=action,
                detail={
                    "action": action,
                    "reason": reason.strip(),
                    "requested_by": str(requested_by.staff_id),
                    **({"business": business} if business is not None else {}),
                    **({"amount_fen": amount_fen} if amount_fen is not None else {}),
                },
            )
            uow.commit()
            return Approval(manager.id, manager.display_name, action, reason.strip(), now)

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
