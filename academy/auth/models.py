"""Accounts: who someone is, what role they have, and whether their sessions still count."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from academy.clock import now
from academy.extensions import db


class Role(enum.StrEnum):
    TRAINEE = "trainee"
    TUTOR = "tutor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {"trainee": "Trainee", "tutor": "Tutor", "admin": "Administrator"}[self.value]


def role_may(role: Role, *roles: Role) -> bool:
    """Whether ``role`` is one of ``roles``; admins may do whatever tutors may."""
    return role in roles or (role == Role.ADMIN and Role.TUTOR in roles)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(
        sa.Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=Role.TRAINEE,
    )
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # Bumped on log-out, password change and deactivation: older cookies stop working.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    failed_login_count: Mapped[int] = mapped_column(default=0, server_default="0")
    throttled_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime] = mapped_column(default=now)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """Identify the user *and* the session generation, so a bumped version logs out."""
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: Role) -> bool:
        return role_may(self.role, *roles)

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.TUTOR, Role.ADMIN)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"
