"""Cohort operations: create, staff, enrol trainees and issue invite codes."""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from academy.auth.models import Role, User
from academy.auth.services import AccountError, find_user_by_email
from academy.clock import now
from academy.cohorts.models import Cohort, CohortMembership, InviteCode
from academy.extensions import db

# Crockford's base-32 alphabet: no I, L, O or U, so a code read aloud is typed correctly.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 bits: far beyond guessing under the registration rate limit


def new_invite_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """Show a code in groups of four, as people copy it: K7QF-M2XD-9HTP."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def create_cohort(name: str, description: str = "", lead_tutor: User | None = None) -> Cohort:
    name = name.strip()
    if db.session.scalar(sa.select(Cohort.id).where(Cohort.name == name)):
        raise AccountError("A cohort with this name already exists.", "name")
    cohort = Cohort(name=name, description=description.strip())
    if lead_tutor is not None:
        set_lead_tutor(cohort, lead_tutor)
    db.session.add(cohort)
    db.session.flush()
    return cohort


def set_lead_tutor(cohort: Cohort, tutor: User | None) -> None:
    if tutor is not None and not tutor.is_staff:
        raise AccountError("The lead tutor must have a tutor or admin account.", "tutor")
    cohort.lead_tutor = tutor
    db.session.flush()


def add_trainee(cohort: Cohort, email: str) -> User:
    user = find_user_by_email(email)
    if user is None:
        raise AccountError("No account has that e-mail address.", "email")
    if user.role != Role.TRAINEE:
        raise AccountError("Only trainee accounts can be enrolled in a cohort.", "email")
    exists = db.session.scalar(
        sa.select(CohortMembership.id).where(
            CohortMembership.cohort_id == cohort.id, CohortMembership.user_id == user.id
        )
    )
    if exists:
        raise AccountError(f"{user.full_name} is already in this cohort.", "email")
    db.session.add(CohortMembership(cohort_id=cohort.id, user_id=user.id))
    db.session.flush()
    return user


def remove_trainee(cohort: Cohort, user_id: int) -> bool:
    result = db.session.execute(
        sa.delete(CohortMembership).where(
            CohortMembership.cohort_id == cohort.id, CohortMembership.user_id == user_id
        )
    )
    return result.rowcount > 0


def create_invite(
    cohort: Cohort, created_by: User, *, valid_days: int | None, max_uses: int | None
) -> InviteCode:
    invite = InviteCode(
        cohort_id=cohort.id,
        code=new_invite_code(),
        created_by_id=created_by.id,
        expires_at=now() + timedelta(days=valid_days) if valid_days else None,
        max_uses=max_uses,
    )
    db.session.add(invite)
    db.session.flush()
    return invite


def revoke_invite(invite: InviteCode) -> None:
    if invite.revoked_at is None:
        invite.revoked_at = now()
        db.session.flush()


@cache  # built once: the dashboard runs it on every visit
def _cohorts_of_trainee() -> sa.Select:
    return (
        sa.select(Cohort)
        .join(CohortMembership)
        .where(CohortMembership.user_id == sa.bindparam("user_id"))
        .options(joinedload(Cohort.lead_tutor))  # the dashboard names each lead tutor
        .order_by(Cohort.name)
    )


def cohorts_of_trainee(user: User) -> list[Cohort]:
    return list(db.session.scalars(_cohorts_of_trainee(), {"user_id": user.id}))


def cohorts_led_by(user: User) -> list[tuple[Cohort, int]]:
    """The tutor's cohorts with their trainee counts, in one query."""
    count = sa.func.count(CohortMembership.id)
    rows = db.session.execute(
        sa.select(Cohort, count)
        .outerjoin(CohortMembership)
        .where(Cohort.lead_tutor_id == user.id)
        .group_by(Cohort.id)
        .order_by(Cohort.name)
    )
    return [(cohort, n) for cohort, n in rows]
