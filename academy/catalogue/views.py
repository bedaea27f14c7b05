"""The reader: the catalogue, module and lesson pages, search, and progress."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_login import current_user

from academy.auth.access import allow
from academy.auth.models import Role, User
from academy.catalogue import services
from academy.catalogue.loader import COMPLETION_RULES
from academy.catalogue.models import Module
from academy.cohorts.models import Cohort
from academy.extensions import db
from academy.markdown import render_markdown
from academy.quizzes import services as quizzes

bp = Blueprint("catalogue", __name__, template_folder="templates")

EVERYONE = (Role.TRAINEE, Role.TUTOR, Role.ADMIN)
# Figures come from files tutors commit; still, never let one run script in our origin.
FIGURE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:"


def _module_or_404(slug: str) -> Module:
    module = db.session.scalar(
        sa.select(Module).where(Module.slug == slug, Module.retired_at.is_(None))
    )
    if module is None:
        abort(404)
    return module


@bp.route("/modules")
@allow(*EVERYONE)
def catalogue():
    return render_template("catalogue/catalogue.html", progress=services.progress_for(current_user))


@bp.route("/modules/<slug>")
@allow(*EVERYONE)
def module(slug: str):
    progress = services.module_progress(current_user, slug) or abort(404)
    quiz = quizzes.quiz_for_module(slug)
    return render_template(
        "catalogue/module.html",
        progress=progress,
        module=progress.module,
        read=services.read_times(current_user, progress.module),
        quiz=quiz,
        quiz_passed=quiz is not None and quizzes.passed_module_quiz(current_user.id, slug),
        rule=COMPLETION_RULES.get(progress.module.completion_rule, ""),
    )


@bp.route("/modules/<slug>/lessons/<lesson_slug>")
@allow(*EVERYONE)
def lesson(slug: str, lesson_slug: str):
    progress = services.module_progress(current_user, slug) or abort(404)
    module = progress.module
    lesson = services.find_lesson(module, lesson_slug) or abort(404)
    if progress.locked:
        return render_template("catalogue/locked.html", progress=progress, lesson=lesson), 403
    previous, following = services.neighbours(module, lesson)
    figures = url_for("catalogue.figure", slug=module.slug, filename="")
    return render_template(
        "catalogue/lesson.html",
        module=module,
        lesson=lesson,
        body=render_markdown(lesson.body_markdown, figures),
        previous=previous,
        following=following,
        read_at=services.read_times(current_user, module).get(lesson.id),
        references=[(key, module.reference(key)) for key in lesson.reference_keys],
    )


@bp.route("/modules/<slug>/lessons/<lesson_slug>/read", methods=["POST"])
@allow(Role.TRAINEE)
def mark_read(slug: str, lesson_slug: str):
    progress = services.module_progress(current_user, slug) or abort(404)
    lesson = services.find_lesson(progress.module, lesson_slug) or abort(404)
    if progress.locked:
        abort(403)
    _newly_read, completed = services.mark_read(current_user, lesson)
    db.session.commit()
    if completed:
        flash(f"Module complete: {progress.module.title}. Well done.", "success")
    _previous, following = services.neighbours(progress.module, lesson)
    if following is not None:
        return redirect(url_for("catalogue.lesson", slug=slug, lesson_slug=following.slug))
    return redirect(url_for("catalogue.module", slug=slug))


@bp.route("/modules/<slug>/figures/<path:filename>")
@allow(*EVERYONE)
def figure(slug: str, filename: str):
    module = _module_or_404(slug)
    folder = Path(current_app.config["COURSES_DIR"]) / module.folder / "figures"
    response = send_from_directory(folder, filename, max_age=3600)
    response.headers["Content-Security-Policy"] = FIGURE_POLICY
    return response


@bp.route("/search")
@allow(*EVERYONE)
def search():
    query = request.args.get("q", "")[:200]
    hits = services.search(query) if query.strip() else []
    return render_template(
        "catalogue/search.html", query=query, hits=hits, terms=services.search_terms(query)
    )


@bp.route("/progress")
@allow(Role.TRAINEE)
def my_progress():
    return render_template(
        "catalogue/progress.html",
        trainee=current_user,
        progress=services.progress_for(current_user),
        own=True,
    )


@bp.route("/progress/trainees/<int:user_id>")
@allow(Role.TUTOR)
def trainee_progress(user_id: int):
    trainee = db.get_or_404(User, user_id)
    if trainee.role != Role.TRAINEE:
        abort(404)
    return render_template(
        "catalogue/progress.html",
        trainee=trainee,
        progress=services.progress_for(trainee),
        own=False,
    )


@bp.route("/progress/cohorts/<int:cohort_id>")
@allow(Role.TUTOR)
def cohort_progress(cohort_id: int):
    cohort = db.get_or_404(Cohort, cohort_id)
    return render_template(
        "catalogue/cohort_progress.html", cohort=cohort, report=services.cohort_progress(cohort.id)
    )
