"""The front door: a landing page for visitors and a home page for each role."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login import current_user

from academy.admin.services import counts_by_role
from academy.auth.access import public
from academy.auth.models import Role
from academy.certificates import services as certificates
from academy.clock import now
from academy.cohorts import services as cohorts
from academy.cpd import services as cpd
from academy.cpd.chart import hours_chart
from academy.extensions import db
from academy.main import dashboard

bp = Blueprint("main", __name__)


@bp.route("/")
@public
def home():
    if not current_user.is_authenticated:
        return render_template("main/landing.html")
    context = {}
    moment = now()
    if current_user.role == Role.TRAINEE:
        context["my_cohorts"] = cohorts.cohorts_of_trainee(current_user)
        record = dashboard.trainee_record(current_user)  # once, for every part of the page
        context["course"] = dashboard.course_progress(current_user, record.progress)
        context["next_steps"] = dashboard.next_steps(current_user, moment, record)
        target = current_app.config["CPD_TARGET_HOURS"]
        cycle_start = current_app.config["CPD_CYCLE_START"]
        summary = cpd.cycle_summary(current_user.id, moment.date(), target, cycle_start)
        context["cpd"] = summary
        context["cpd_chart"] = hours_chart(
            cpd.monthly_hours(summary.lines, summary.cycle),
            summary.target,
            summary.cycle.label,
            moment.date(),
        )
        context["certificates"] = certificates.certificates_of(current_user.id)
        context["course_status"] = certificates.course_status(
            current_user.id,
            record.progress,
            live_quizzes=record.quizzes,
            attempts_by_quiz=record.attempts,
        )
    else:
        context["led_cohorts"] = cohorts.cohorts_led_by(current_user)
        context["glances"] = [
            dashboard.cohort_glance(cohort, moment) for cohort, _count in context["led_cohorts"]
        ]
    if current_user.role == Role.ADMIN:
        context["role_counts"] = counts_by_role()
    page = render_template("main/home.html", **context)
    # An overdue quiz attempt found on the way has been submitted: keep it. Committing after
    # rendering, not before, spares reloading every object the page shows (a commit expires
    # them: one query per module and more).
    db.session.commit()
    return page


@bp.route("/healthz")
@public
def healthz():
    """A trivial route for load balancers and as the benchmarks' baseline."""
    return {"status": "ok"}
