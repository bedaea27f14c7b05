"""What the browser journeys start from, made with the academy's own services.

The shipped content is loaded exactly as `flask content load` does it. State that would take
a person hours in the browser (eight modules read and passed, the final assessment marked) is
made through the services a browser request would call; each journey says which of its
steps are taken in the browser.
"""

from __future__ import annotations

import random
from pathlib import Path

import sqlalchemy as sa

from academy import clock
from academy.auth.models import User
from academy.catalogue import services as reading
from academy.catalogue.models import Module
from academy.cohorts import services as cohorts
from academy.content import load_content
from academy.extensions import db
from academy.grading import services as grading
from academy.grading.models import Submission
from academy.quizzes import attempts as rules
from academy.quizzes import services as quizzes
from academy.quizzes.models import AttemptState, Quiz
from academy.simulator import services as simulator
from academy.simulator.page import preset_params
from tests.quizzes.test_attempts import right_answer

ROOT = Path(__file__).resolve().parents[2]  # the repository: courses/ and quizzes/
PER_PAGE = 5  # questions on one page of an attempt (academy.quizzes.views.PER_PAGE)


def load_shipped_content(app) -> None:
    """courses/ and quizzes/ (with the case assessments), as `flask content load` loads them."""
    with app.app_context():
        load_content(ROOT / "courses", ROOT / "quizzes")
        db.session.commit()


def cohort(app, tutor_id: int, *trainee_ids: int, name: str = "Rossendale weekday cohort") -> int:
    """A cohort led by the tutor, with the trainees enrolled."""
    with app.app_context():
        tutor = db.session.get(User, tutor_id)
        group = cohorts.create_cohort(name, "Tuesdays at Crawshawbooth.", lead_tutor=tutor)
        for trainee_id in trainee_ids:
            cohorts.add_trainee(group, db.session.get(User, trainee_id).email)
        db.session.commit()
        return group.id


def invite_code(app, cohort_id: int, tutor_id: int) -> str:
    """A new invite code for the cohort, as the tutor would read it out (K7QF-M2XD-9HTP)."""
    from academy.cohorts.models import Cohort

    with app.app_context():
        invite = cohorts.create_invite(
            db.session.get(Cohort, cohort_id),
            db.session.get(User, tutor_id),
            valid_days=30,
            max_uses=20,
        )
        db.session.commit()
        return cohorts.format_code(invite.code)


def seed_with_first_page(app, quiz_slug: str, wanted: tuple[str, ...]) -> int:
    """A seed whose attempt shows a question of each wanted type on its first page.

    Attempts draw and shuffle questions at random; a test pins the seed so the page it
    drives is known (start_attempt draws with random.Random(seed) before anything else).
    """
    with app.app_context():
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == quiz_slug))
        for seed in range(1, 5000):
            versions = rules.draw_questions(quiz, random.Random(seed))
            types = [v.data["type"] for v in versions[:PER_PAGE]]
            if all(kind in types for kind in wanted):
                db.session.rollback()
                return seed
    raise AssertionError(f"no seed puts {wanted} on the first page of {quiz_slug}")


def first_page_slots(app, user_id: int, quiz_slug: str) -> list[dict]:
    """The questions of the trainee's attempt in progress, in page order: slot id and type."""
    with app.app_context():
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == quiz_slug))
        attempt = next(
            a for a in rules.attempts_of(quiz, user_id) if a.state == AttemptState.IN_PROGRESS
        )
        return [
            {"slot": s.id, "type": s.version.data["type"], "data": s.version.data}
            for s in rules.load_attempt(attempt.id).slots
        ]


def saved_responses(app, user_id: int, quiz_slug: str) -> dict[int, object]:
    """What the server holds for each answered question of the attempt in progress."""
    with app.app_context():
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == quiz_slug))
        attempt = next(
            a for a in rules.attempts_of(quiz, user_id) if a.state == AttemptState.IN_PROGRESS
        )
        attempt = rules.load_attempt(attempt.id)
        return {s.id: s.answer.response for s in attempt.slots if s.answer is not None}


def _pass_quiz(quiz: Quiz, user: User, tutor: User) -> None:
    """Start an attempt, answer every question rightly, submit; mark any written answer."""
    moment = clock.now()
    attempt = rules.start_attempt(quiz, user.id, moment)
    for n, slot in enumerate(attempt.slots, start=1):
        rules.save_answer(slot, right_answer(slot), n, moment)
    quizzes.submit_attempt(attempt, user, moment)
    if attempt.state == AttemptState.AWAITING_GRADING:
        for slot in attempt.slots:
            if slot.needs_marking:
                rules.mark_written(slot, slot.max_points, "Thorough.", tutor.id, moment)
        quizzes.after_finish(attempt, user)
    assert attempt.state == AttemptState.FINISHED and attempt.passed, quiz.slug


def complete_course(app, trainee_id: int, tutor_id: int) -> None:
    """Every lesson read, every module quiz and the final assessment passed.

    In the browser this is hours of reading and nine quizzes; the services below are what
    those pages call (mark_read, start_attempt/save_answer/submit_attempt, the tutor's mark
    of the written answer), and completing the course issues the certificate through the
    CPD ledger and academy.certificates.services.check_course_completion.
    """
    with app.app_context():
        user = db.session.get(User, trainee_id)
        tutor = db.session.get(User, tutor_id)
        for module in db.session.scalars(sa.select(Module).order_by(Module.position)):
            for lesson in module.live_lessons:
                reading.mark_read(user, lesson)
            quiz = quizzes.quiz_for_module(module.slug)
            _pass_quiz(quiz, user, tutor)
            assert reading.update_completion(user, module) is False  # completed already
        _pass_quiz(quizzes.quiz_by_slug("final-assessment"), user, tutor)
        db.session.commit()


def submitted_plan(app, trainee_id: int, slug: str) -> int:
    """A case plan the trainee has written and submitted (with a saved simulator run)."""
    with app.app_context():
        trainee = db.session.get(User, trainee_id)
        params = {**preset_params("carbon_type_5")}
        run = simulator.save_run(trainee_id, "Bilal: 1064 nm first session", params)
        db.session.flush()
        assessment = grading.assessment_by_slug(slug)
        moment = clock.now()
        submission = grading.start(assessment, trainee, moment)
        form = {}
        for task in assessment.tasks:
            prefix = f"task-{task['key']}"
            form[f"{prefix}-text"] = f"My answer to {task['title']}."
            if task["kind"] == "method":
                form[f"{prefix}-method"] = "laser"
            elif task["kind"] == "laser_plan":
                form[f"{prefix}-run"] = str(run.id)
            elif task["kind"] == "schedule":
                form[f"{prefix}-sessions"] = "9"
                form[f"{prefix}-interval_weeks"] = "10"
                form[f"{prefix}-wait_weeks"] = "12"
        snapshot = {
            "id": run.id,
            "title": run.title,
            "params": run.params,
            "summary": run.summary,
            "saved_at": run.created_at.isoformat(timespec="minutes"),
        }
        answers = grading.clean_answers(assessment, form, {run.id: snapshot})
        grading.save_draft(submission, answers, 1, moment)
        grading.submit(submission, trainee, moment)
        db.session.commit()
        return submission.id


def submission_state(app, submission_id: int) -> str:
    with app.app_context():
        return db.session.get(Submission, submission_id).state


def mark_of(app, submission_id: int) -> dict:
    """The first marker's current mark: state, levels and comments by criterion, feedback."""
    with app.app_context():
        mark = grading.current_mark(db.session.get(Submission, submission_id), "first")
        return {
            "state": mark.state,
            "selections": mark.selections,
            "overall_feedback": mark.overall_feedback,
            "outcome": mark.outcome,
        }
