"""Case assessment pages: the trainee's plan, the tutor's queue and marking page, moderation."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from academy.auth.access import allow
from academy.auth.models import Role
from academy.clock import now
from academy.extensions import db
from academy.grading import rubric as rubrics
from academy.grading import services, states
from academy.grading.loader import GROUPS, METHODS, TASK_KINDS
from academy.grading.models import CaseAssessment, Notification, Submission
from academy.security.input import MAX_DB_INT, whole_number

bp = Blueprint("grading", __name__, template_folder="templates")

EVERYONE = (Role.TRAINEE, Role.TUTOR, Role.ADMIN)
MAX_FIELDS = 200


def server_sequence() -> int:
    return int(now().timestamp() * 1000)


def _runs_for(user_id: int) -> dict[int, dict]:
    """The user's saved simulator runs as snapshots a plan can hold (parameters and results)."""
    from academy.simulator import services as simulator

    return {
        run.id: {
            "id": run.id,
            "title": run.title,
            "params": run.params,
            "summary": run.summary,
            "saved_at": run.created_at.isoformat(timespec="minutes"),
        }
        for run in simulator.saved_runs_for(user_id)
    }


def _assessment_or_404(slug: str) -> CaseAssessment:
    return services.assessment_by_slug(slug) or abort(404)


def _own_submission(slug: str) -> Submission:
    assessment = _assessment_or_404(slug)
    return services.submission_for(assessment, current_user.id) or abort(404)


# --- Trainees -------------------------------------------------------------------------------


@bp.route("/cases")
@allow(*EVERYONE)
def case_list():
    assessments = services.live_assessments()
    mine = {}
    if current_user.role == Role.TRAINEE:
        rows = db.session.scalars(
            sa.select(Submission).where(Submission.trainee_id == current_user.id)
        )
        mine = {s.assessment_id: s for s in rows}
    return render_template(
        "grading/case_list.html",
        assessments=assessments,
        mine=mine,
        groups=GROUPS,
        labels=states.TRAINEE_LABELS,
    )


@bp.route("/cases/<slug>")
@allow(*EVERYONE)
def case_page(slug: str):
    assessment = _assessment_or_404(slug)
    submission = None
    if current_user.role == Role.TRAINEE:
        submission = services.submission_for(assessment, current_user.id)
    released = submission is not None and submission.state in states.RELEASED
    mark = services.mark_that_counts(submission) if released else None
    return render_template(
        "grading/case.html",
        assessment=assessment,
        submission=submission,
        mark=mark,
        runs=_runs_for(current_user.id) if submission and submission.state == states.DRAFT else {},
        methods=METHODS,
        kinds=TASK_KINDS,
        labels=states.TRAINEE_LABELS,
        sequence_base=server_sequence(),
        missing={},
        group=GROUPS.get(assessment.group, ""),
    )


@bp.route("/cases/<slug>/start", methods=["POST"])
@allow(Role.TRAINEE)
def start(slug: str):
    assessment = _assessment_or_404(slug)
    services.start(assessment, current_user, now())
    db.session.commit()
    return redirect(url_for("grading.case_page", slug=slug) + "#plan")


def _read_form(submission: Submission, form) -> dict:
    return services.clean_answers(submission.assessment, form, _runs_for(current_user.id))


@bp.route("/cases/<slug>/draft", methods=["POST"])
@allow(Role.TRAINEE)
def save_draft(slug: str):
    """The plan's form without JavaScript: save, and submit if that button was pressed."""
    submission = _own_submission(slug)
    moment = now()
    try:
        answers = _read_form(submission, request.form)
        sequence = whole_number(request.form.get("sequence")) or server_sequence()
        services.save_draft(submission, answers, sequence, moment)
        if request.form.get("action") == "submit":
            services.submit(submission, current_user, moment)
            db.session.commit()
            flash("Your plan has been submitted. Your tutor has been told.", "success")
            return redirect(url_for("grading.case_page", slug=slug))
    except services.GradingError as error:
        db.session.commit()  # the draft itself is kept
        flash(str(error), "error")
        return redirect(url_for("grading.case_page", slug=slug) + "#plan")
    db.session.commit()
    flash("Draft saved.", "success")
    return redirect(url_for("grading.case_page", slug=slug) + "#plan")


@bp.route("/cases/<slug>/autosave", methods=["POST"])
@allow(Role.TRAINEE)
def autosave(slug: str):
    submission = _own_submission(slug)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("fields"), dict):
        return jsonify(saved=False, error="Send a JSON object with sequence and fields."), 400
    sequence = payload.get("sequence")
    if whole_number(sequence) is None or not isinstance(sequence, int):
        return jsonify(
            saved=False, error=f"sequence: must be a whole number from 0 to {MAX_DB_INT}."
        ), 400
    if len(payload["fields"]) > MAX_FIELDS:
        return jsonify(saved=False, error="fields: too many fields."), 400
    form = MultiDict()
    for name, values in payload["fields"].items():
        for value in values if isinstance(values, list) else [values]:
            if isinstance(name, str) and isinstance(value, str | int):
                form.add(name, str(value))
    try:
        stored = services.save_draft(submission, _read_form(submission, form), sequence, now())
    except services.GradingError as error:
        db.session.rollback()
        return jsonify(saved=False, closed=True, error=str(error)), 409
    db.session.commit()
    return jsonify(saved=stored, stale=not stored, saved_at=now().strftime("%H:%M:%S"))


@bp.route("/cases/<slug>/reopen", methods=["POST"])
@allow(Role.TRAINEE)
def reopen(slug: str):
    submission = _own_submission(slug)
    try:
        version = services.reopen(submission, current_user, now())
    except states.IllegalTransition as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(
            f"Version {version.number} started from your returned plan. Version "
            f"{version.number - 1} is kept as it was marked.",
            "success",
        )
    return redirect(url_for("grading.case_page", slug=slug) + "#plan")


@bp.route("/cases/<slug>/versions/<int:number>")
@allow(Role.TRAINEE)
def own_version(slug: str, number: int):
    submission = _own_submission(slug)
    version = next((v for v in submission.versions if v.number == number), None) or abort(404)
    return render_template(
        "grading/version.html",
        submission=submission,
        version=version,
        assessment=submission.assessment,
        methods=METHODS,
    )


# --- Tutors ---------------------------------------------------------------------------------


@bp.route("/marking/submissions")
@allow(Role.TUTOR)
def queue():
    """Case plans or written answers waiting for a mark, a page at a time, filters kept."""
    moment = now()
    view = services.tutor_queue(current_user, request.args, moment)
    kept = {
        "show": view.show,
        "cohort": view.filters.cohort_id,
        "assessment": view.filters.assessment_id,
        "state": view.filters.state,
        "older_than": view.filters.older_than_days,
        "page": view.cases.number,
        "written_page": view.written.number,
    }
    defaults = {"show": "cases", "page": 1, "written_page": 1}

    def queue_url(**changes) -> str:
        """This page with the same filters and pages, but for ``changes``."""
        args = {k: v for k, v in {**kept, **changes}.items() if v not in (None, defaults.get(k))}
        return url_for("grading.queue", **args)

    return render_template(
        "grading/queue.html",
        view=view,
        filters=view.filters,
        labels=states.TUTOR_LABELS,
        queue_url=queue_url,
        is_admin=current_user.role == Role.ADMIN,
        max_days=services.MAX_WAITING_DAYS,
        moment=moment,
    )


def _markable(submission_id: int) -> Submission:
    submission = db.get_or_404(Submission, submission_id)
    if not services.can_mark(current_user, submission):
        abort(404)  # do not confirm that work outside one's cohorts exists
    return submission


def _marking_page(submission: Submission, role: str, *, error=None, typed=None, status=200):
    mark = services.current_mark(submission, role)
    others = services.open_for_marking(submission, current_user, now())
    db.session.commit()
    earlier = [m for m in submission.marks if m.version_number < submission.latest.number]
    first = services.current_mark(submission, "first")
    second = services.current_mark(submission, "second")
    return render_template(
        "grading/mark.html",
        submission=submission,
        assessment=submission.assessment,
        version=submission.latest,
        mark=mark,
        role=role,
        others=others,
        error=error,
        typed=typed,
        earlier=earlier,
        audit=services.audit_trail(submission),
        labels=states.TUTOR_LABELS,
        methods=METHODS,
        rubric=submission.assessment.rubric,
        score=rubrics.score(submission.assessment.rubric, mark.selections) if mark else None,
        disagreement=services.disagreement(first, second),
        first=first,
        second=second,
    ), status


@bp.route("/marking/submissions/<int:submission_id>", methods=["GET", "POST"])
@allow(Role.TUTOR)
def mark(submission_id: int):
    submission = _markable(submission_id)
    role = request.values.get("role", "first")
    if role not in ("first", "second"):
        abort(404)
    if request.method == "GET":
        return _marking_page(submission, role)
    form = request.form
    selections = {
        c["key"]: {
            "level": form.get(f"level-{c['key']}", ""),
            "comment": form.get(f"comment-{c['key']}", ""),
        }
        for c in submission.assessment.rubric["criteria"]
    }
    try:
        services.save_mark(
            submission,
            current_user,
            role=role,
            expected_lock=whole_number(form.get("lock_version")) or 0,
            raw_selections=selections,
            overall_feedback=form.get("overall_feedback", ""),
            outcome=form.get("outcome") or None,
            finalise=form.get("action") == "finish",
            moment=now(),
        )
    except services.GradingError as error:
        db.session.rollback()
        return _marking_page(
            submission,
            role,
            error=str(error),
            typed={
                "selections": selections,
                "overall_feedback": form.get("overall_feedback", ""),
                "outcome": form.get("outcome"),
            },
            status=409 if isinstance(error, services.MarkConflict) else 400,
        )
    db.session.commit()
    flash(
        "Mark finished: release it when you are ready."
        if form.get("action") == "finish"
        else "Mark saved as a draft.",
        "success",
    )
    return redirect(url_for("grading.mark", submission_id=submission.id, role=role))


@bp.route("/marking/submissions/<int:submission_id>/autosave", methods=["POST"])
@allow(Role.TUTOR)
def autosave_mark(submission_id: int):
    """Save the draft mark as the tutor types; the reply carries the new lock version."""
    submission = _markable(submission_id)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("selections"), dict):
        return jsonify(
            saved=False, error="Send selections, overall_feedback and lock_version."
        ), 400
    role = payload.get("role", "first")
    lock = payload.get("lock_version")
    if role not in ("first", "second") or not isinstance(lock, int) or whole_number(lock) is None:
        return jsonify(saved=False, error="role or lock_version is not valid."), 400
    try:
        mark = services.save_mark(
            submission,
            current_user,
            role=role,
            expected_lock=lock,
            raw_selections=payload["selections"],
            overall_feedback=str(payload.get("overall_feedback") or ""),
            outcome=payload.get("outcome") or None,
            finalise=False,
            moment=now(),
        )
    except services.MarkConflict as error:
        db.session.rollback()
        return jsonify(saved=False, conflict=True, error=str(error)), 409
    except services.GradingError as error:
        db.session.rollback()
        return jsonify(saved=False, error=str(error)), 400
    db.session.commit()
    score = rubrics.score(submission.assessment.rubric, mark.selections)
    return jsonify(
        saved=True,
        lock_version=mark.lock_version,
        saved_at=now().strftime("%H:%M:%S"),
        total=str(score.total),
        maximum=str(score.maximum),
    )


@bp.route("/marking/submissions/<int:submission_id>/release", methods=["POST"])
@allow(Role.TUTOR)
def release(submission_id: int):
    submission = _markable(submission_id)
    try:
        services.release(submission, current_user, now())
    except (services.GradingError, states.IllegalTransition) as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("grading.mark", submission_id=submission.id))
    db.session.commit()
    flash(f"Mark released to {submission.trainee.full_name}.", "success")
    return redirect(url_for("grading.queue"))


@bp.route("/marking/release", methods=["POST"])
@allow(Role.TUTOR)
def release_many():
    ids = [n for n in map(whole_number, request.form.getlist("submission")) if n][:500]
    released, problems = 0, []
    for submission in db.session.scalars(sa.select(Submission).where(Submission.id.in_(ids))):
        if not services.can_mark(current_user, submission):
            continue
        try:
            with db.session.begin_nested():
                services.release(submission, current_user, now())
            released += 1
        except (services.GradingError, states.IllegalTransition) as error:
            problems.append(f"{submission.trainee.full_name}: {error}")
    db.session.commit()
    flash(f"Released {released} mark{'' if released == 1 else 's'}.", "success")
    for problem in problems:
        flash(problem, "error")
    return redirect(url_for("grading.queue"))


# --- Moderation (administrators) --------------------------------------------------------------


@bp.route("/moderation", methods=["GET", "POST"])
@allow(Role.ADMIN)
def moderation():
    if request.method == "POST":
        ids = [n for n in map(whole_number, request.form.getlist("submission")) if n][:500]
        sample = whole_number(request.form.get("sample"))
        if sample:
            candidates = db.session.scalars(
                sa.select(Submission.id)
                .where(Submission.state == states.AWAITING_RELEASE, Submission.moderation.is_(None))
                .order_by(sa.func.random())
                .limit(min(sample, 100))
            ).all()
            ids.extend(candidates)
        chosen = services.select_for_moderation(ids, current_user)
        db.session.commit()
        flash(
            f"{chosen} submission{'' if chosen == 1 else 's'} chosen for a second marker.",
            "success",
        )
        return redirect(url_for("grading.moderation"))
    waiting = db.session.scalars(
        sa.select(Submission)
        .where(Submission.state == states.AWAITING_RELEASE)
        .order_by(Submission.moderation.is_(None), Submission.updated_at)
    ).all()
    return render_template("grading/moderation.html", waiting=waiting, services=services)


@bp.route("/moderation/<int:submission_id>/resolve", methods=["POST"])
@allow(Role.ADMIN)
def resolve(submission_id: int):
    submission = db.get_or_404(Submission, submission_id)
    try:
        services.resolve_moderation(submission, current_user, request.form.get("choice", ""), now())
    except services.GradingError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash("Mark agreed. It can now be released.", "success")
    return redirect(url_for("grading.mark", submission_id=submission.id))


# --- Notifications --------------------------------------------------------------------------


@bp.route("/notifications", methods=["GET", "POST"])
@allow(*EVERYONE)
def notifications():
    if request.method == "POST":
        db.session.execute(
            sa.update(Notification)
            .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
            .values(read_at=now())
        )
        db.session.commit()
        return redirect(url_for("grading.notifications"))
    items = db.session.scalars(
        sa.select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(100)
    ).all()
    return render_template("grading/notifications.html", items=items)


def _storage():
    from flask import current_app

    from academy.storage import storage_for

    return storage_for(current_app.config, current_app.instance_path)


@bp.route("/cases/<slug>/attachments", methods=["POST"])
@allow(Role.TRAINEE)
def upload(slug: str):
    from academy.storage import UploadRejected

    submission = _own_submission(slug)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("File: choose an image or PDF to attach.", "error")
        return redirect(url_for("grading.case_page", slug=slug) + "#attachments")
    try:
        attachment = services.add_attachment(
            submission, _storage(), upload.stream, upload.filename, now()
        )
    except (services.GradingError, UploadRejected) as error:
        upload.close()
        db.session.rollback()
        flash(f"File: {error}", "error")
    else:
        db.session.commit()
        flash(f"Attached {attachment.original_name}.", "success")
    return redirect(url_for("grading.case_page", slug=slug) + "#attachments")


@bp.route("/attachments/<int:attachment_id>")
@allow(*EVERYONE)
def attachment(attachment_id: int):
    from flask import send_file

    from academy.storage import KINDS, safe_download_name

    found = services.attachment_for(current_user, attachment_id) or abort(404)
    extension = next(
        (k.extension for k in KINDS.values() if k.content_type == found.content_type), "bin"
    )
    return send_file(
        _storage().open(found.storage_key),
        mimetype=found.content_type,
        as_attachment=True,
        download_name=safe_download_name(found.original_name, extension),
    )


@bp.route("/attachments/<int:attachment_id>/delete", methods=["POST"])
@allow(Role.TRAINEE)
def delete_attachment(attachment_id: int):
    found = services.attachment_for(current_user, attachment_id)
    submission = found.version.submission if found else None
    if found is None or submission.trainee_id != current_user.id:
        abort(404)
    if submission.state != states.DRAFT or found.version.submitted_at is not None:
        flash("File: a submitted plan's files cannot be removed.", "error")
    else:
        _storage().delete(found.storage_key)
        db.session.delete(found)
        db.session.commit()
        flash("File removed.", "success")
    return redirect(url_for("grading.case_page", slug=submission.assessment.slug) + "#attachments")


@bp.route("/cases/figures/<path:filename>")
@allow(*EVERYONE)
def case_figure(filename: str):
    from flask import current_app, send_from_directory

    folder = Path(current_app.config["QUIZZES_DIR"]) / "cases" / "figures"
    response = send_from_directory(folder, filename, max_age=3600)
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
