"""Attempts: start, autosave, submit, grade and finish, with the server owning every step.

States: in_progress -> submitted -> (awaiting_grading) -> finished. Each transition is a
conditional UPDATE on the current state, so a double click, a resent form or two tabs
submitting at the same moment grade the attempt exactly once, on SQLite and PostgreSQL.
Answers are saved with a sequence number; a save older than the one stored is ignored.
Plain functions: they take values and a moment, never a request, and flush (the caller
commits).
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from academy.extensions import db
from academy.quizzes.models import (
    Attempt,
    AttemptQuestion,
    AttemptState,
    Question,
    QuestionVersion,
    Quiz,
    SavedAnswer,
)
from academy.quizzes.types.registry import question_type

# The last autosave may arrive a little after the deadline (network, a slow phone).
GRACE = timedelta(seconds=60)


class AttemptError(Exception):
    """An action on an attempt that the rules do not allow, with a message for the trainee."""


@dataclass
class Availability:
    attempts_used: int
    attempts_left: int | None
    in_progress: Attempt | None
    next_start_at: datetime | None
    reason: str | None
    grade_percent: Decimal | None
    passed: bool

    @property
    def can_start(self) -> bool:
        return self.reason is None


def attempts_of(quiz: Quiz, user_id: int) -> list[Attempt]:
    return list(
        db.session.scalars(
            sa.select(Attempt)
            .where(Attempt.quiz_id == quiz.id, Attempt.user_id == user_id)
            .order_by(Attempt.number)
        )
    )


def quiz_grade(quiz: Quiz, attempts: list[Attempt]) -> tuple[Decimal | None, bool]:
    """The grade that counts (highest or last finished attempt) and whether it passes."""
    finished = [a for a in attempts if a.state == AttemptState.FINISHED and a.percent is not None]
    if not finished:
        return None, False
    if quiz.grading_method == "last":
        percent = max(finished, key=lambda a: a.number).percent
    else:
        percent = max(a.percent for a in finished)
    return percent, percent >= quiz.pass_mark_percent


def availability(
    quiz: Quiz, user_id: int, moment: datetime, attempts: list[Attempt] | None = None
) -> Availability:
    """What the trainee may do now: resume, start another attempt, or why not and until when.

    ``attempts``: the user's attempts at this quiz in number order, when the caller has
    loaded them already (a page listing every quiz loads them all in one query).
    """
    attempts = attempts_of(quiz, user_id) if attempts is None else attempts
    for attempt in attempts:
        finalise_if_overdue(attempt, moment)
    used = len(attempts)
    left = None if quiz.attempts_allowed is None else max(0, quiz.attempts_allowed - used)
    in_progress = next((a for a in attempts if a.state == AttemptState.IN_PROGRESS), None)
    grade, passed = quiz_grade(quiz, attempts)
    next_start, reason = None, None
    if in_progress is None:
        last = attempts[-1] if attempts else None
        if quiz.closes_at is not None and moment >= quiz.closes_at:
            reason = "This quiz has closed."
        elif left == 0:
            reason = "You have used all your attempts at this quiz."
        elif last is not None and last.state in (
            AttemptState.SUBMITTED,
            AttemptState.AWAITING_GRADING,
        ):
            reason = "Your last attempt is waiting for a tutor's mark."
        elif last is not None and quiz.wait_minutes and last.submitted_at:
            next_start = last.submitted_at + timedelta(minutes=quiz.wait_minutes)
            if moment < next_start:
                reason = "You can start your next attempt after the wait between attempts."
            else:
                next_start = None
    return Availability(used, left, in_progress, next_start, reason, grade, passed)


def deadline_for(quiz: Quiz, started: datetime) -> datetime | None:
    deadline = None
    if quiz.time_limit_minutes:
        deadline = started + timedelta(minutes=quiz.time_limit_minutes)
    if quiz.closes_at is not None:
        deadline = min(deadline, quiz.closes_at) if deadline else quiz.closes_at
    return deadline


def draw_questions(quiz: Quiz, rng: random.Random) -> list[QuestionVersion]:
    """The questions of a new attempt: from each pool, a seeded sample of current versions."""
    chosen: list[QuestionVersion] = []
    pools = [item["pool"] for item in quiz.draw]
    rows = db.session.execute(
        sa.select(Question.pool, QuestionVersion)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Question.pool.in_(pools), Question.retired_at.is_(None))
        .order_by(Question.key)
    ).all()
    by_pool: dict[str, list[QuestionVersion]] = {}
    for pool, version in rows:
        by_pool.setdefault(pool, []).append(version)
    for item in quiz.draw:
        candidates = by_pool.get(item["pool"], [])
        chosen.extend(rng.sample(candidates, min(int(item["count"]), len(candidates))))
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    return chosen


def start_attempt(quiz: Quiz, user_id: int, moment: datetime, seed: int | None = None) -> Attempt:
    """Resume the attempt in progress, or start a new one if the rules allow it."""
    status = availability(quiz, user_id, moment)
    if status.in_progress is not None:
        return status.in_progress
    if not status.can_start:
        raise AttemptError(status.reason)
    seed = seed if seed is not None else secrets.randbits(62)
    rng = random.Random(seed)
    versions = draw_questions(quiz, rng)
    if not versions:
        raise AttemptError("This quiz has no questions yet.")
    attempt = Attempt(
        quiz_id=quiz.id,
        user_id=user_id,
        number=status.attempts_used + 1,
        seed=seed,
        started_at=moment,
        deadline_at=deadline_for(quiz, moment),
        state=AttemptState.IN_PROGRESS,
        max_score=sum((v.points for v in versions), Decimal(0)),
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
            db.session.flush()
            for position, version in enumerate(versions, start=1):
                kind = question_type(version.data["type"])
                db.session.add(
                    AttemptQuestion(
                        attempt_id=attempt.id,
                        position=position,
                        question_version_id=version.id,
                        layout=kind.layout(version.data, rng, quiz.shuffle_options),
                        max_points=version.points,
                    )
                )
    except IntegrityError:
        # Another request started this attempt at the same moment: use theirs.
        db.session.expire_all()
        existing = availability(quiz, user_id, moment).in_progress
        if existing is None:
            raise
        return existing
    return attempt


def is_open_for_answers(attempt: Attempt, moment: datetime) -> bool:
    if attempt.state != AttemptState.IN_PROGRESS:
        return False
    return attempt.deadline_at is None or moment <= attempt.deadline_at + GRACE


def save_answer(slot: AttemptQuestion, response, sequence: int, moment: datetime) -> bool:
    """Store a response unless a newer one (higher sequence) is already stored.

    Returns True when this response is now the stored one. Portable on both databases:
    a guarded UPDATE, then an INSERT that a concurrent INSERT may beat (then UPDATE again).
    """
    if not is_open_for_answers(slot.attempt, moment):
        raise AttemptError("This attempt is closed: answers can no longer be changed.")
    for _ in range(2):
        updated = db.session.execute(
            sa.update(SavedAnswer)
            .where(SavedAnswer.attempt_question_id == slot.id, SavedAnswer.sequence < sequence)
            .values(response=response, sequence=sequence, saved_at=moment)
            .execution_options(synchronize_session=False)
        ).rowcount
        if updated:
            return True
        exists = db.session.scalar(
            sa.select(SavedAnswer.id).where(SavedAnswer.attempt_question_id == slot.id)
        )
        if exists:
            return False  # a newer save is already stored
        try:
            with db.session.begin_nested():
                db.session.add(
                    SavedAnswer(
                        attempt_question_id=slot.id,
                        response=response,
                        sequence=sequence,
                        saved_at=moment,
                    )
                )
            return True
        except IntegrityError:
            continue  # someone inserted first: compare sequences with an UPDATE
    return False


@cache  # built once: every quiz page and autosave loads its attempt this way
def _attempt_with_slots() -> sa.Select:
    return (
        sa.select(Attempt)
        .where(Attempt.id == sa.bindparam("attempt_id"))
        .options(
            selectinload(Attempt.slots).selectinload(AttemptQuestion.version),
            selectinload(Attempt.slots).selectinload(AttemptQuestion.answer),
        )
    )


def load_attempt(attempt_id: int) -> Attempt | None:
    return db.session.scalar(_attempt_with_slots(), {"attempt_id": attempt_id})


def submit(attempt: Attempt, moment: datetime, *, overdue: bool = False) -> bool:
    """Submit and grade the attempt once; False if it had already been submitted."""
    claimed = db.session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.state == AttemptState.IN_PROGRESS)
        .values(state=AttemptState.SUBMITTED, submitted_at=moment, overdue=overdue)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(attempt)
    if not claimed:
        return False
    for slot in attempt.slots:
        grade_slot(slot)
    settle(attempt, moment)
    return True


def grade_slot(slot: AttemptQuestion) -> None:
    data = slot.version.data
    kind = question_type(data["type"])
    response = slot.answer.response if slot.answer else None
    grade = kind.grade(data, response)
    slot.needs_marking = grade.pending
    slot.fraction = None if grade.pending else _fraction(grade.fraction)
    slot.feedback = {"lines": grade.feedback, "parts": grade.parts}


def _fraction(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.00001"), rounding=ROUND_HALF_UP)


def settle(attempt: Attempt, moment: datetime) -> None:
    """Finish the attempt if nothing waits for a tutor; otherwise wait for the marks."""
    if any(slot.needs_marking for slot in attempt.slots):
        attempt.state = AttemptState.AWAITING_GRADING
        db.session.flush()
        return
    score = sum((slot.score or Decimal(0) for slot in attempt.slots), Decimal(0))
    attempt.score = score.quantize(Decimal("0.001"))
    attempt.percent = (
        (100 * score / attempt.max_score).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if attempt.max_score
        else Decimal(0)
    )
    attempt.passed = attempt.percent >= attempt.quiz.pass_mark_percent
    attempt.state = AttemptState.FINISHED
    attempt.finished_at = moment
    db.session.flush()


def finalise_if_overdue(attempt: Attempt, moment: datetime) -> bool:
    """Submit, with what was saved, an attempt whose time (and grace) has run out."""
    if (
        attempt.state == AttemptState.IN_PROGRESS
        and attempt.deadline_at is not None
        and moment > attempt.deadline_at + GRACE
    ):
        return submit(attempt, attempt.deadline_at, overdue=True)
    return False


def mark_written(
    slot: AttemptQuestion, points: Decimal, comment: str, tutor_id: int, moment: datetime
) -> None:
    """A tutor's mark for a written answer; the attempt finishes when none is left to mark."""
    if slot.attempt.state != AttemptState.AWAITING_GRADING and not slot.needs_marking:
        raise AttemptError("This answer has already been marked.")
    if not Decimal(0) <= points <= slot.max_points:
        raise AttemptError(f"Give between 0 and {slot.max_points:g} points.")
    slot.fraction = _fraction(float(points / slot.max_points)) if slot.max_points else Decimal(0)
    slot.tutor_comment = comment
    slot.marked_by_id, slot.marked_at = tutor_id, moment
    slot.needs_marking = False
    db.session.flush()
    if slot.attempt.state == AttemptState.AWAITING_GRADING:
        settle(slot.attempt, moment)


def review_shows(quiz: Quiz, item: str, moment: datetime) -> bool:
    """Whether the review may show ``item`` (marks, correct_answers, feedback) now."""
    when = quiz.review.get(item, "never")
    if when == "immediately":
        return True
    return when == "after_close" and quiz.closes_at is not None and moment >= quiz.closes_at
