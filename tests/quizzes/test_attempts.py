"""The attempt rules, enforced by the server: draws, saves, deadlines, submission, grading."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from academy import clock
from academy.auth.models import User
from academy.extensions import db
from academy.quizzes import attempts as rules
from academy.quizzes import services
from academy.quizzes.models import Attempt, AttemptState, Quiz, SavedAnswer
from academy.quizzes.types.registry import question_type
from tests.conftest import make_app

START = datetime(2027, 3, 1, 9, 0, 0)


@pytest.fixture
def ctx(app, sample_quiz, trainee):
    with app.app_context(), clock.frozen_at(START):
        quiz = db.session.get(Quiz, sample_quiz)
        user = db.session.get(User, trainee.id)
        yield quiz, user
        db.session.remove()


def right_answer(slot):
    """The response that earns full marks, worked out from the question (tests only)."""
    data = slot.version.data
    kind = data["type"]
    if kind == "single_choice":
        return next(i for i, o in enumerate(data["options"]) if o.get("correct"))
    if kind == "multiple_response":
        return [i for i, o in enumerate(data["options"]) if o.get("correct")]
    if kind == "true_false":
        return data["answer"]
    if kind == "numeric":
        return {"value": str(data["answer"]), "unit": data["unit"]}
    if kind == "matching":
        return {str(i): i for i in range(len(data["pairs"]))}
    if kind == "ordering":
        return {"positions": {str(i): i + 1 for i in range(len(data["items"]))}}
    if kind == "case_study":
        return {
            p["id"]: right_answer(type("S", (), {"version": type("V", (), {"data": p})})())
            for p in data["questions"]
        }
    return "An answer."


def answer_all(attempt, moment, right=True):
    for n, slot in enumerate(attempt.slots):
        rules.save_answer(slot, right_answer(slot) if right else None, 1000 + n, moment)
    db.session.flush()


def test_a_new_attempt_draws_from_each_pool(ctx):
    quiz, user = ctx
    attempt = rules.start_attempt(quiz, user.id, clock.now())
    types = [slot.version.data["type"] for slot in attempt.slots]
    assert len(types) == 7 and types.count("case_study") == 1
    assert attempt.deadline_at == START + timedelta(minutes=30)
    assert attempt.max_score == Decimal(9)


def test_the_order_is_fixed_by_the_seed(ctx):
    quiz, user = ctx
    one = rules.start_attempt(quiz, user.id, clock.now(), seed=42)
    order = [(s.version.data["id"], s.layout) for s in one.slots]
    db.session.rollback()
    two = rules.start_attempt(quiz, user.id, clock.now(), seed=42)
    assert [(s.version.data["id"], s.layout) for s in two.slots] == order


def test_starting_again_resumes_the_attempt_in_progress(ctx):
    quiz, user = ctx
    first = rules.start_attempt(quiz, user.id, clock.now())
    assert rules.start_attempt(quiz, user.id, clock.now()).id == first.id


def test_a_late_or_repeated_save_never_overwrites_a_newer_answer(ctx):
    quiz, user = ctx
    slot = rules.start_attempt(quiz, user.id, clock.now()).slots[0]
    assert rules.save_answer(slot, "newer", 200, clock.now())
    assert not rules.save_answer(slot, "older", 100, clock.now())
    assert not rules.save_answer(slot, "same sequence again", 200, clock.now())
    assert db.session.scalar(sa.select(SavedAnswer.response)) == "newer"
    assert db.session.scalar(sa.select(sa.func.count(SavedAnswer.id))) == 1


def test_submitting_grades_once(ctx):
    quiz, user = ctx
    attempt = rules.start_attempt(quiz, user.id, clock.now())
    answer_all(attempt, clock.now())
    assert services.submit_attempt(attempt, user, clock.now())
    assert attempt.state == AttemptState.FINISHED and attempt.percent == 100 and attempt.passed
    assert not services.submit_attempt(attempt, user, clock.now())  # a second click: no effect
    assert attempt.percent == 100


def test_illegal_transitions_are_refused(ctx):
    quiz, user = ctx
    attempt = rules.start_attempt(quiz, user.id, clock.now())
    answer_all(attempt, clock.now())
    services.submit_attempt(attempt, user, clock.now())
    with pytest.raises(rules.AttemptError, match="closed"):
        rules.save_answer(attempt.slots[0], "changed my mind", 9999, clock.now())
    with pytest.raises(rules.AttemptError, match="already been marked"):
        rules.mark_written(attempt.slots[0], Decimal(1), "", user.id, clock.now())
    assert not rules.submit(attempt, clock.now())


def test_the_deadline_is_the_servers(ctx):
    quiz, user = ctx
    attempt = rules.start_attempt(quiz, user.id, clock.now())
    slot = attempt.slots[0]
    clock.advance(timedelta(minutes=30, seconds=30))  # past the deadline, inside the grace
    assert rules.save_answer(slot, right_answer(slot), 10, clock.now())
    clock.advance(timedelta(minutes=1))  # past the grace
    with pytest.raises(rules.AttemptError):
        rules.save_answer(slot, None, 20, clock.now())
    assert rules.finalise_if_overdue(attempt, clock.now())
    assert attempt.overdue and attempt.state == AttemptState.FINISHED
    assert attempt.submitted_at == attempt.deadline_at
    assert attempt.slots[0].fraction == 1  # what was saved in time counts


def test_attempt_limit_and_wait_between_attempts(ctx):
    quiz, user = ctx
    first = rules.start_attempt(quiz, user.id, clock.now())
    services.submit_attempt(first, user, clock.now())
    status = rules.availability(quiz, user.id, clock.now())
    assert not status.can_start and status.next_start_at == START + timedelta(minutes=10)
    with pytest.raises(rules.AttemptError, match="wait"):
        rules.start_attempt(quiz, user.id, clock.now())
    clock.advance(timedelta(minutes=10))
    second = rules.start_attempt(quiz, user.id, clock.now())
    services.submit_attempt(second, user, clock.now())
    clock.advance(timedelta(days=1))
    status = rules.availability(quiz, user.id, clock.now())
    assert status.attempts_left == 0 and "used all your attempts" in status.reason


def test_highest_or_last_attempt_counts(ctx):
    quiz, user = ctx
    good = rules.start_attempt(quiz, user.id, clock.now())
    answer_all(good, clock.now())
    services.submit_attempt(good, user, clock.now())
    clock.advance(timedelta(minutes=11))
    poor = rules.start_attempt(quiz, user.id, clock.now())
    services.submit_attempt(poor, user, clock.now())
    attempts = rules.attempts_of(quiz, user.id)
    assert rules.quiz_grade(quiz, attempts) == (Decimal(100), True)
    quiz.grading_method = "last"
    assert rules.quiz_grade(quiz, attempts) == (Decimal(0), False)


def test_a_written_answer_waits_for_a_tutor(app, quiz_files, ctx, tutor):
    quiz, user = ctx
    quiz.draw = [{"pool": "sample/written", "count": 1}, {"pool": "sample/mixed", "count": 1}]
    attempt = rules.start_attempt(quiz, user.id, clock.now())
    answer_all(attempt, clock.now())
    services.submit_attempt(attempt, user, clock.now())
    assert attempt.state == AttemptState.AWAITING_GRADING and attempt.percent is None
    written = next(s for s in attempt.slots if s.needs_marking)
    with pytest.raises(rules.AttemptError, match="between 0 and 5"):
        rules.mark_written(written, Decimal(6), "", tutor.id, clock.now())
    rules.mark_written(written, Decimal("2.5"), "Good start.", tutor.id, clock.now())
    assert attempt.state == AttemptState.FINISHED
    assert attempt.percent == Decimal("58.33")  # (2.5 + 1) of 6


def test_answers_survive_a_restart_of_the_app(app, database_url, tmp_path, sample_quiz, trainee):
    with app.app_context(), clock.frozen_at(START):
        quiz = db.session.get(Quiz, sample_quiz)
        attempt = rules.start_attempt(quiz, trainee.id, clock.now())
        rules.save_answer(attempt.slots[0], "kept", 5, clock.now())
        db.session.commit()
        attempt_id = attempt.id
    restarted = make_app(database_url, tmp_path)
    with restarted.app_context():
        again = rules.load_attempt(attempt_id)
        assert again.slots[0].answer.response == "kept"
        db.session.remove()
        db.engine.dispose()


def test_two_submissions_at_the_same_moment_grade_once(app, sample_quiz, trainee):
    with app.app_context(), clock.frozen_at(START):
        quiz = db.session.get(Quiz, sample_quiz)
        attempt = rules.start_attempt(quiz, trainee.id, clock.now())
        db.session.commit()
        attempt_id = attempt.id
        db.session.remove()
    results, barrier = [], threading.Barrier(2)

    def submit_from_another_request():
        with app.app_context():
            attempt = rules.load_attempt(attempt_id)
            user = db.session.get(User, trainee.id)
            barrier.wait()
            results.append(services.submit_attempt(attempt, user, START))
            db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=submit_from_another_request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [False, True]
    with app.app_context():
        assert db.session.scalar(sa.select(Attempt.state)) == AttemptState.FINISHED


def test_every_question_type_registered_can_be_presented(ctx):
    quiz, user = ctx
    attempt = rules.start_attempt(quiz, user.id, clock.now())
    for slot in attempt.slots:
        data = slot.version.data
        assert question_type(data["type"]).present(data, slot.layout) is not None
