"""Helpers every template can use: the navigation for the current role, dates, roles."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from flask import request, url_for
from flask_login import current_user
from markupsafe import Markup

from academy.auth.access import PUBLIC
from academy.auth.models import Role, role_may
from academy.clock import now
from academy.markdown import render_markdown

# (label, endpoint, roles allowed or PUBLIC); the menu shows an entry only to roles that may
# use it, and a PUBLIC entry to everyone, signed in or not.
NAVIGATION = [
    ("Home", "main.home", (Role.TRAINEE, Role.TUTOR, Role.ADMIN)),
    ("Modules", "catalogue.catalogue", (Role.TRAINEE, Role.TUTOR, Role.ADMIN)),
    ("My progress", "catalogue.my_progress", (Role.TRAINEE,)),
    ("Quizzes", "quizzes.quiz_list", (Role.TRAINEE, Role.TUTOR, Role.ADMIN)),
    ("Cases", "grading.case_list", (Role.TRAINEE, Role.TUTOR, Role.ADMIN)),
    ("Marking", "grading.queue", (Role.TUTOR,)),
    ("Moderation", "grading.moderation", (Role.ADMIN,)),
    ("Simulator", "simulator.page", PUBLIC),
    ("CPD", "cpd.my_record", (Role.TRAINEE,)),
    ("CPD review", "cpd.review_queue", (Role.TUTOR,)),
    ("Certificates", "certificates.certificate_list", (Role.TRAINEE, Role.TUTOR, Role.ADMIN)),
    ("Search", "catalogue.search", (Role.TRAINEE, Role.TUTOR, Role.ADMIN)),
    ("Users", "admin.users", (Role.ADMIN,)),
    ("Cohorts", "admin.cohort_list", (Role.ADMIN,)),
    ("Notifications", "grading.notifications", (Role.TRAINEE, Role.TUTOR, Role.ADMIN)),
]


def navigation() -> list[dict]:
    role = current_user.role if current_user.is_authenticated else None
    return [
        {"label": label, "url": url, "current": request.endpoint == endpoint}
        for label, endpoint, url in _menu(role, request.script_root)
    ]


@lru_cache(maxsize=64)
def _menu(role: Role | None, script_root: str) -> tuple[tuple[str, str, str], ...]:
    """The role's menu entries with their addresses, worked out once per role (every page
    shows the menu, and building a URL is not free)."""
    allowed = []
    for label, endpoint, roles in NAVIGATION:
        if roles == PUBLIC or (role is not None and role_may(role, *roles)):
            allowed.append((label, endpoint, url_for(endpoint)))
    return tuple(allowed)


def format_datetime(value: datetime | None, with_time: bool = True) -> str:
    if value is None:
        return "—"
    return value.strftime("%-d %b %Y, %H:%M UTC" if with_time else "%-d %b %Y")


def register_template_helpers(app) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(navigation=navigation, Role=Role, now=now)
    app.jinja_env.filters["datetime"] = format_datetime
    # render_markdown sanitises with an allow-list, so its output is safe to mark as such.
    app.jinja_env.filters["markdown"] = lambda text: Markup(render_markdown(str(text or "")))  # noqa: S704
    app.jinja_env.filters["date"] = lambda v: format_datetime(v, with_time=False)
