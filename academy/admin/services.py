"""Queries behind the administrators' pages."""

from __future__ import annotations

import sqlalchemy as sa
from wtforms.fields import SelectChoice

from academy.auth.models import Role, User
from academy.extensions import db

PAGE_SIZE = 50


def search_users(q: str = "", role: str = "", status: str = "", page: int = 1):
    """Users matching a name or e-mail fragment, newest first, one page at a time."""
    query = sa.select(User)
    if q:
        pattern = f"%{q.strip().lower()}%"
        query = query.where(
            sa.or_(sa.func.lower(User.full_name).like(pattern), User.email.like(pattern))
        )
    if role in {r.value for r in Role}:
        query = query.where(User.role == Role(role))
    if status == "active":
        query = query.where(User.active.is_(True))
    elif status == "inactive":
        query = query.where(User.active.is_(False))
    return db.paginate(
        query.order_by(User.created_at.desc(), User.id.desc()),
        page=page,
        per_page=PAGE_SIZE,
        error_out=False,
    )


def staff_choices() -> list[SelectChoice]:
    tutors = db.session.scalars(
        sa.select(User)
        .where(User.role.in_([Role.TUTOR, Role.ADMIN]), User.active.is_(True))
        .order_by(User.full_name)
    )
    return [SelectChoice("", "No lead tutor yet")] + [
        SelectChoice(str(u.id), f"{u.full_name} ({u.email})") for u in tutors
    ]


def counts_by_role() -> dict[str, int]:
    rows = db.session.execute(sa.select(User.role, sa.func.count()).group_by(User.role))
    counts = {role.value: 0 for role in Role}
    counts.update({role.value: n for role, n in rows})
    return counts
