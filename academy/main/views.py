"""The front door: a landing page for visitors and a home page for each role."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from academy.admin.services import counts_by_role
from academy.auth.access import public
from academy.auth.models import Role
from academy.catalogue import services as reading
from academy.cohorts import services as cohorts

bp = Blueprint("main", __name__)


@bp.route("/")
@public
def home():
    if not current_user.is_authenticated:
        return render_template("main/landing.html")
    context = {}
    if current_user.role == Role.TRAINEE:
        context["my_cohorts"] = cohorts.cohorts_of_trainee(current_user)
        context["progress"] = reading.progress_for(current_user)
        context["next_lesson"] = reading.next_unread(current_user)
    else:
        context["led_cohorts"] = cohorts.cohorts_led_by(current_user)
    if current_user.role == Role.ADMIN:
        context["role_counts"] = counts_by_role()
    return render_template("main/home.html", **context)


@bp.route("/healthz")
@public
def healthz():
    """A trivial route for load balancers and as the benchmarks' baseline."""
    return {"status": "ok"}
