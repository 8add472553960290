"""Staff accounts of the workstation (synced down from head office, or demo/local)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, new_id, utcnow


class Role(enum.StrEnum):
    CLERK = "clerk"  # 营业员
    MANAGER = "manager"  # 值班经理 / 营业厅经理
    IT_ADMIN = "it_admin"  # IT 管理员


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    branch_code: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(default=True)
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    active: Mapped[bool] = mapped_column(default=True)
    password_changed_at: Mapped[dt.datetime | None]
    source: Mapped[str] = mapped_column(String(16), default="local")  # local | head_office
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)
