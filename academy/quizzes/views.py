"""Quiz pages: the list, a quiz's rules, the attempt, autosave, submission, review, reports."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from academy.auth.access import allow
from academy.auth.models import Role, User
from academy.clock import now
from academy.cohorts.models import Cohort
from academy.extensions import db
from academy.quizzes import attempts as rules
from academy.quizzes import services
from academy.quizzes.models import Attempt, AttemptQuestion, AttemptState, Question
from academy.quizzes.types.registry import question_type
from academy.security.input import MAX_DB_INT, whole_number

bp = Blueprint("quizzes", __name__, template_folder="templates")

EVERYONE = (Role.TRAINEE, Role.TUTOR, Role.ADMIN)
PER_PAGE = 5
MAX_AUTOSAVE_FIELDS = 40


def server_sequence() -> int:
    """A save's sequence number: milliseconds on the server's clock, so saves compare."""
    return int(now().timestamp() * 1000)


def _quiz_or_404(slug: str):
    return services.quiz_by_slug(slug) or abort(404)


def _own_attempt(attempt_id: int) -> Attempt:
    attempt = rules.load_attempt(attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)  # never confirm that someone else's attempt exists
    return attempt


@bp.route("/quizzes")
@allow(*EVERYONE)
def quiz_list():
    quizzes = services.live_quizzes()
    statuses = {}
    if current_user.role == Role.TRAINEE:
        moment = now()
        mine = services.attempts_by_quiz(current_user.id)  # one query, not one per quiz
        statuses = {
            q.id: rules.availability(q, current_user.id, moment, mine.get(q.id, []))
            for q in quizzes
        }
        db.session.commit()  # an overdue attempt found on the way has been submitted
    return render_template("quizzes/list.html", quizzes=quizzes, statuses=statuses)


@bp.route("/quizzes/<slug>")
@allow(*EVERYONE)
def quiz_page(slug: str):
    quiz = _quiz_or_404(slug)
    status = attempts = None
    if current_user.role == Role.TRAINEE:
        status = rules.availability(quiz, current_user.id, now())
        attempts = rules.attempts_of(quiz, current_user.id)
        db.session.commit()
    return render_template("quizzes/quiz.html", quiz=quiz, status=status, attempts=attempts)


@bp.route("/quizzes/<slug>/start", methods=["POST"])
@allow(Role.TRAINEE)
def start(slug: str):
    quiz = _quiz_or_404(slug)
    try:
        attempt = rules.start_attempt(quiz, current_user.id, now())
    except rules.AttemptError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("quizzes.quiz_page", slug=slug))
    db.session.commit()
    return redirect(url_for("quizzes.attempt_page", attempt_id=attempt.id))


def _pages(attempt: Attempt) -> int:
    return max(1, math.ceil(len(attempt.slots) / PER_PAGE))


def _page_slots(attempt: Attempt, page: int) -> list[AttemptQuestion]:
    return attempt.slots[(page - 1) * PER_PAGE : page * PER_PAGE]


def _save_slots(attempt: Attempt, slots, form, sequence: int, moment) -> None:
    for slot in slots:
        data = slot.version.data
        response = question_type(data["type"]).read(form, f"q{slot.id}", data, slot.layout)
        rules.save_answer(slot, response, sequence, moment)


def _closed(attempt: Attempt):
    """Send a trainee whose attempt has ended to its review, saying why."""
    if rules.finalise_if_overdue(attempt, now()):
        services.after_finish(attempt, current_user)
        db.session.commit()
        flash("Time ran out, so your attempt was submitted with the answers saved in time.", "info")
    return redirect(url_for("quizzes.review", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@allow(Role.TRAINEE)
def attempt_page(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    moment = now()
    if not rules.is_open_for_answers(attempt, moment):
        return _closed(attempt)
    pages = _pages(attempt)
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    if request.method == "POST":
        sequence = whole_number(request.form.get("sequence")) or server_sequence()
        _save_slots(attempt, _page_slots(attempt, page), request.form, sequence, moment)
        db.session.commit()
        action = request.form.get("action", "next")
        if action == "finish":
            return redirect(url_for("quizzes.summary", attempt_id=attempt.id))
        target = page - 1 if action == "previous" else page + 1 if action == "next" else page
        if action == "next" and page == pages:
            return redirect(url_for("quizzes.summary", attempt_id=attempt.id))
        return redirect(
            url_for("quizzes.attempt_page", attempt_id=attempt.id, page=min(max(target, 1), pages))
        )
    slots = _page_slots(attempt, page)
    return render_template(
        "quizzes/attempt.html",
        attempt=attempt,
        quiz=attempt.quiz,
        slots=slots,
        page=page,
        pages=pages,
        views=[_view(slot) for slot in slots],
        first_number=(page - 1) * PER_PAGE + 1,
        sequence_base=server_sequence(),
        deadline_ms=int(attempt.deadline_at.timestamp() * 1000) if attempt.deadline_at else None,
        answered=services.question_count_by_slot(attempt),
    )


def _view(slot: AttemptQuestion) -> dict:
    """Only what the trainee may see while answering: text, options, their saved answer."""
    data = slot.version.data
    kind = question_type(data["type"])
    return {
        "slot": slot.id,
        "type": data["type"],
        "title": data.get("title"),
        "text": data["text"],
        "points": slot.max_points,
        "view": kind.present(data, slot.layout),
        "response": slot.answer.response if slot.answer else None,
    }


@bp.route("/attempts/<int:attempt_id>/autosave", methods=["POST"])
@allow(Role.TRAINEE)
def autosave(attempt_id: int):
    """Save one question's answer as it changes. The reply says only whether it was saved."""
    attempt = _own_attempt(attempt_id)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return jsonify(saved=False, error="Send a JSON object with slot, sequence and fields."), 400
    slot = next((s for s in attempt.slots if s.id == payload.get("slot")), None)
    sequence, fields = payload.get("sequence"), payload.get("fields")
    if slot is None:
        return jsonify(saved=False, error="slot: no such question in this attempt."), 400
    if whole_number(sequence) is None or not isinstance(sequence, int):
        return jsonify(
            saved=False, error=f"sequence: must be a whole number from 0 to {MAX_DB_INT}."
        ), 400
    if not isinstance(fields, dict) or len(fields) > MAX_AUTOSAVE_FIELDS:
        return jsonify(saved=False, error="fields: must map field names to lists of values."), 400
    prefix = f"q{slot.id}"
    form = MultiDict()
    for name, values in fields.items():
        if isinstance(name, str) and (name == prefix or name.startswith(prefix + "-")):
            for value in values if isinstance(values, list) else [values]:
                if isinstance(value, str | int | float) and not isinstance(value, bool):
                    form.add(name, str(value)[:20_000])
    moment = now()
    try:
        data = slot.version.data
        response = question_type(data["type"]).read(form, prefix, data, slot.layout)
        stored = rules.save_answer(slot, response, sequence, moment)
    except rules.AttemptError as error:
        db.session.rollback()
        return jsonify(saved=False, closed=True, error=str(error)), 409
    db.session.commit()
    return jsonify(saved=stored, stale=not stored, saved_at=moment.strftime("%H:%M:%S"))


@bp.route("/attempts/<int:attempt_id>/summary")
@allow(Role.TRAINEE)
def summary(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if not rules.is_open_for_answers(attempt, now()):
        return _closed(attempt)
    rows = [
        (index, slot, bool(slot.answer and slot.answer.response is not None))
        for index, slot in enumerate(attempt.slots, start=1)
    ]
    return render_template(
        "quizzes/summary.html",
        attempt=attempt,
        quiz=attempt.quiz,
        rows=rows,
        per_page=PER_PAGE,
        deadline_ms=int(attempt.deadline_at.timestamp() * 1000) if attempt.deadline_at else None,
        sequence_base=server_sequence(),
    )


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@allow(Role.TRAINEE)
def submit(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    moment = now()
    if attempt.state == AttemptState.IN_PROGRESS and not rules.is_open_for_answers(attempt, moment):
        return _closed(attempt)
    # The timer's automatic submission carries the page's last answers.
    page = request.form.get("page", type=int)
    if page and attempt.state == AttemptState.IN_PROGRESS:
        sequence = whole_number(request.form.get("sequence")) or server_sequence()
        _save_slots(
            attempt,
            _page_slots(attempt, min(max(page, 1), _pages(attempt))),
            request.form,
            sequence,
            moment,
        )
    if services.submit_attempt(attempt, current_user, moment):
        db.session.commit()
        flash("Your attempt has been submitted.", "success")
    else:
        db.session.rollback()  # already submitted (double click, second tab): nothing to do
    return redirect(url_for("quizzes.review", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>/review")
@allow(*EVERYONE)
def review(attempt_id: int):
    attempt = rules.load_attempt(attempt_id)
    if attempt is None or (attempt.user_id != current_user.id and not current_user.is_staff):
        abort(404)
    moment = now()
    if attempt.user_id == current_user.id and rules.finalise_if_overdue(attempt, moment):
        services.after_finish(attempt, current_user)
        db.session.commit()
    if attempt.state == AttemptState.IN_PROGRESS:
        if attempt.user_id == current_user.id:
            return redirect(url_for("quizzes.attempt_page", attempt_id=attempt.id))
        abort(404)
    quiz = attempt.quiz
    staff = current_user.is_staff
    show = {
        item: staff or rules.review_shows(quiz, item, moment)
        for item in ("marks", "correct_answers", "feedback")
    }
    items = [_review_item(slot, show) for slot in attempt.slots]
    return render_template(
        "quizzes/review.html", attempt=attempt, quiz=quiz, items=items, show=show
    )


def _review_item(slot: AttemptQuestion, show: dict) -> dict:
    data = slot.version.data
    kind = question_type(data["type"])
    response = slot.answer.response if slot.answer else None
    module, _, lesson = data["lesson"].partition("/")
    item = {
        "slot": slot,
        "type": data["type"],
        "title": data.get("title"),
        "text": data["text"],
        "response": kind.describe_response(data, response),
        "lesson_url": url_for("catalogue.lesson", slug=module, lesson_slug=lesson),
        "needs_marking": slot.needs_marking,
        "parts": [],
    }
    feedback = slot.feedback or {}
    if show["marks"]:
        item["score"], item["max"] = slot.score, slot.max_points
    if show["correct_answers"]:
        item["correct"] = kind.describe_correct(data)
    if show["feedback"]:
        item["feedback"] = data.get("feedback")
        item["specific"] = feedback.get("lines", [])
        item["tutor_comment"] = slot.tutor_comment
    if data["type"] == "case_study":
        parts = {p["id"]: p for p in feedback.get("parts", [])}
        for part in data["questions"]:
            part_kind = question_type(part["type"])
            answer = (response or {}).get(part["id"])
            entry = {"text": part["text"], "response": part_kind.describe_response(part, answer)}
            graded = parts.get(part["id"], {})
            if show["marks"] and graded:
                entry["score"] = graded["fraction"] * graded["points"]
                entry["max"] = graded["points"]
            if show["correct_answers"]:
                entry["correct"] = part_kind.describe_correct(part)
            if show["feedback"]:
                entry["feedback"] = part.get("feedback")
                entry["specific"] = graded.get("feedback", [])
            item["parts"].append(entry)
    return item


# --- Tutors -----------------------------------------------------------------------------


@bp.route("/quizzes/<slug>/report")
@allow(Role.TUTOR)
def report(slug: str):
    quiz = _quiz_or_404(slug)
    cohort_id = request.args.get("cohort", type=int) or None
    if cohort_id is not None and not 0 < cohort_id <= MAX_DB_INT:
        abort(404)  # no such cohort (and SQLite cannot even compare a larger number)
    if request.args.get("format") == "csv":
        return Response(
            services.report_csv(quiz, cohort_id),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{quiz.slug}-report.csv"'},
        )
    # A page number that is not one, or past the end, shows the nearest page there is.
    result = services.quiz_report(quiz, cohort_id, page=request.args.get("page", 1, type=int))
    cohorts = db.session.execute(sa.select(Cohort.id, Cohort.name).order_by(Cohort.name)).all()
    return render_template(
        "quizzes/report.html", quiz=quiz, report=result, cohorts=cohorts, cohort_id=cohort_id
    )


@bp.route("/quizzes/<slug>/regrade", methods=["GET", "POST"])
@allow(Role.TUTOR)
def regrade(slug: str):
    quiz = _quiz_or_404(slug)
    pools = [item["pool"] for item in quiz.draw]
    questions = db.session.scalars(
        sa.select(Question).where(Question.pool.in_(pools)).order_by(Question.key)
    ).all()
    key = request.values.get("question", "")
    question = next((q for q in questions if q.key == key), None)
    if key and question is None:
        abort(404)
    changes = services.regrade_plan(quiz, question) if question else []
    if request.method == "POST" and question is not None:
        applied = services.apply_regrade(quiz, question, current_user, now())
        db.session.commit()
        flash(
            f"Regraded {len(applied)} answer(s) to {question.key}; the audit trail records it.",
            "success",
        )
        return redirect(url_for("quizzes.report", slug=slug))
    return render_template(
        "quizzes/regrade.html", quiz=quiz, questions=questions, question=question, changes=changes
    )


@bp.route("/marking")
@allow(Role.TUTOR)
def marking_queue():
    slots = db.session.scalars(
        sa.select(AttemptQuestion)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .where(
            AttemptQuestion.needs_marking.is_(True),
            Attempt.state == AttemptState.AWAITING_GRADING,
            Attempt.user_id != current_user.id,
        )
        .order_by(Attempt.submitted_at, AttemptQuestion.position)
    ).all()
    return render_template("quizzes/marking_queue.html", slots=slots)


@bp.route("/marking/<int:slot_id>", methods=["GET", "POST"])
@allow(Role.TUTOR)
def mark(slot_id: int):
    slot = db.get_or_404(AttemptQuestion, slot_id)
    if slot.attempt.user_id == current_user.id or slot.version.data["type"] != "written_answer":
        abort(404)
    error = None
    if request.method == "POST":
        comment = (request.form.get("comment") or "").strip()[:10_000]
        try:
            if not slot.needs_marking:  # marked meanwhile (another tutor, a resent form)
                raise rules.AttemptError("This answer has already been marked.")
            points = Decimal(request.form.get("points", "").strip())
            if not points.is_finite():
                raise InvalidOperation
            rules.mark_written(slot, points, comment, current_user.id, now())
        except (InvalidOperation, ValueError):
            error = f"Points: give a number between 0 and {slot.max_points:g}."
        except rules.AttemptError as problem:
            error = f"Points: {problem}"
        else:
            services.after_finish(slot.attempt, db.session.get(User, slot.attempt.user_id))
            db.session.commit()
            flash("Mark saved.", "success")
            return redirect(url_for("quizzes.marking_queue"))
        db.session.rollback()
    data = slot.version.data
    return render_template(
        "quizzes/mark.html",
        slot=slot,
        data=data,
        error=error,
        response=slot.answer.response if slot.answer else None,
        words=len(((slot.answer.response if slot.answer else "") or "").split()),
        form_values=request.form,
    )
