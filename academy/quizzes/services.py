"""Quiz pages' data: what each trainee may do, reports for tutors, regrading."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa

from academy.audit.models import record
from academy.auth.models import User
from academy.cohorts.models import CohortMembership
from academy.extensions import db
from academy.quizzes import attempts as attempt_rules
from academy.quizzes.models import (
    Attempt,
    AttemptQuestion,
    AttemptState,
    Question,
    QuestionVersion,
    Quiz,
)
from academy.quizzes.statistics import (
    ItemStatistics,
    ItemSums,
    distribution,
    item_statistics_from_sums,
)
from academy.quizzes.types.registry import question_type


def live_quizzes() -> list[Quiz]:
    return list(
        db.session.scalars(
            sa.select(Quiz)
            .where(Quiz.retired_at.is_(None))
            .order_by(Quiz.module_slug.is_(None), Quiz.title)
        )
    )


def attempts_by_quiz(user_id: int) -> dict[int, list[Attempt]]:
    """The user's attempts at every quiz, by quiz id in number order, in one query."""
    by_quiz: dict[int, list[Attempt]] = {}
    for attempt in db.session.scalars(
        sa.select(Attempt).where(Attempt.user_id == user_id).order_by(Attempt.number)
    ):
        by_quiz.setdefault(attempt.quiz_id, []).append(attempt)
    return by_quiz


def quiz_by_slug(slug: str) -> Quiz | None:
    return db.session.scalar(sa.select(Quiz).where(Quiz.slug == slug, Quiz.retired_at.is_(None)))


def quiz_for_module(module_slug: str) -> Quiz | None:
    return db.session.scalar(
        sa.select(Quiz).where(Quiz.module_slug == module_slug, Quiz.retired_at.is_(None))
    )


def passed_module_quiz(user_id: int, module_slug: str) -> bool:
    quiz = quiz_for_module(module_slug)
    if quiz is None:
        return False
    return attempt_rules.quiz_grade(quiz, attempt_rules.attempts_of(quiz, user_id))[1]


def after_finish(attempt: Attempt, user: User) -> bool:
    """When an attempt finishes with a pass, record its CPD and complete its module if due."""
    if attempt.state != AttemptState.FINISHED or not attempt.passed:
        return False
    from academy.cpd import services as cpd  # CPD counts a passed quiz once

    cpd.on_quiz_passed(user.id, attempt.quiz, attempt)
    module_slug = attempt.quiz.module_slug
    if not module_slug:
        return False
    from academy.catalogue import services as catalogue  # the reader owns completion

    module = catalogue.module_by_slug(module_slug)
    return bool(module and catalogue.update_completion(user, module))


def submit_attempt(attempt: Attempt, user: User, moment: datetime, *, overdue=False) -> bool:
    submitted = attempt_rules.submit(attempt, moment, overdue=overdue)
    if submitted:
        after_finish(attempt, user)
    return submitted


def question_count_by_slot(attempt: Attempt) -> tuple[int, int]:
    answered = sum(1 for slot in attempt.slots if slot.answer and slot.answer.response is not None)
    return answered, len(attempt.slots)


# --- Reports for tutors ------------------------------------------------------------------


@dataclass
class QuizReport:
    quiz: Quiz
    rows: list[tuple[Attempt, User]]
    distribution: list[int]
    items: list[tuple[ItemStatistics, Question, str]]
    grades: list[tuple[User, Decimal | None, bool]]


def quiz_report(quiz: Quiz, cohort_id: int | None = None) -> QuizReport:
    """Attempts, grades, the score distribution and item statistics, in four queries.

    Item statistics are summed per question by the database: with every trainee's attempts
    (tens of thousands of attempts, hundreds of thousands of answers) no answer row is sent
    to Python, and the finished attempts are chosen by a subquery, not a list of their ids
    (which would outgrow a database's limit on bound parameters).
    """
    members = sa.select(CohortMembership.user_id).where(CohortMembership.cohort_id == cohort_id)
    query = (
        sa.select(Attempt, User)
        .join(User, User.id == Attempt.user_id)
        .where(Attempt.quiz_id == quiz.id)
        .order_by(User.full_name, Attempt.number)
    )
    finished_ids = sa.select(Attempt.id).where(
        Attempt.quiz_id == quiz.id, Attempt.state == AttemptState.FINISHED
    )
    if cohort_id:
        query = query.where(Attempt.user_id.in_(members))
        finished_ids = finished_ids.where(Attempt.user_id.in_(members))
    rows = db.session.execute(query).all()
    finished = [a for a, _ in rows if a.state == AttemptState.FINISHED]
    by_user: dict[int, list[Attempt]] = {}
    users: dict[int, User] = {}
    for attempt, user in rows:
        by_user.setdefault(user.id, []).append(attempt)
        users[user.id] = user
    grades = [(users[uid], *attempt_rules.quiz_grade(quiz, a)) for uid, a in by_user.items()]

    points = sa.cast(AttemptQuestion.max_points, sa.Float)
    x = sa.func.coalesce(sa.cast(AttemptQuestion.fraction, sa.Float), 0.0) * points
    y = sa.func.coalesce(sa.cast(Attempt.score, sa.Float), 0.0) - x
    share = sa.case((AttemptQuestion.max_points > 0, x / points), else_=0.0)
    per_question: dict[int, ItemSums] = {
        question_id: ItemSums(n, *(float(value or 0) for value in sums))
        for question_id, n, *sums in db.session.execute(
            sa.select(
                QuestionVersion.question_id,
                sa.func.count(),
                sa.func.sum(share),
                sa.func.sum(x),
                sa.func.sum(x * x),
                sa.func.sum(y),
                sa.func.sum(y * y),
                sa.func.sum(x * y),
            )
            .select_from(AttemptQuestion)
            .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
            .join(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
            .where(Attempt.id.in_(finished_ids))
            .group_by(QuestionVersion.question_id)
        )
    }
    # Each question with its current version (for its text) in one query, not one per question.
    questions = (
        {
            q.id: (q, v)
            for q, v in db.session.execute(
                sa.select(Question, QuestionVersion)
                .outerjoin(QuestionVersion, QuestionVersion.id == Question.current_version_id)
                .where(Question.id.in_(list(per_question)))
            )
        }
        if per_question
        else {}
    )
    items = []
    for question_id, values in per_question.items():
        question, version = questions[question_id]
        items.append(
            (
                item_statistics_from_sums(question.key, values),
                question,
                _short(version.data.get("text", "") if version else ""),
            )
        )
    items.sort(key=lambda item: item[1].key)
    return QuizReport(
        quiz, rows, distribution([float(a.percent or 0) for a in finished]), items, grades
    )


def _short(text: str, length: int = 110) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def report_csv(report: QuizReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "trainee",
            "email",
            "attempt",
            "state",
            "started",
            "submitted",
            "score",
            "maximum",
            "percent",
            "passed",
        ]
    )
    for attempt, user in report.rows:
        writer.writerow(
            [
                _safe(user.full_name),
                _safe(user.email),
                attempt.number,
                attempt.state,
                attempt.started_at.isoformat(timespec="seconds"),
                attempt.submitted_at.isoformat(timespec="seconds") if attempt.submitted_at else "",
                attempt.score if attempt.score is not None else "",
                attempt.max_score,
                attempt.percent if attempt.percent is not None else "",
                "" if attempt.passed is None else ("yes" if attempt.passed else "no"),
            ]
        )
    writer.writerow([])
    writer.writerow(["question", "attempts", "facility index", "discrimination index", "flags"])
    for stats, _question, _text in report.items:
        writer.writerow(
            [
                stats.key,
                stats.attempts,
                "" if stats.facility is None else f"{stats.facility:.1f}",
                "" if stats.discrimination is None else f"{stats.discrimination:.1f}",
                "; ".join(stats.flags),
            ]
        )
    return out.getvalue()


def _safe(value: str) -> str:
    """Stop a spreadsheet treating a name like '=HYPERLINK(...)' as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# --- Regrading ---------------------------------------------------------------------------


@dataclass
class RegradeChange:
    slot: AttemptQuestion
    attempt: Attempt
    user: User
    old_fraction: Decimal | None
    new_fraction: Decimal
    old_version: int
    new_version: int

    @property
    def points_change(self) -> Decimal:
        return (self.new_fraction - (self.old_fraction or Decimal(0))) * self.slot.max_points


def regrade_plan(quiz: Quiz, question: Question) -> list[RegradeChange]:
    """Whose marks would change if past answers were marked with the question's current version."""
    current = db.session.get(QuestionVersion, question.current_version_id)
    rows = db.session.execute(
        sa.select(AttemptQuestion, Attempt, User)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .join(User, User.id == Attempt.user_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
        .where(
            Attempt.quiz_id == quiz.id,
            QuestionVersion.question_id == question.id,
            Attempt.state == AttemptState.FINISHED,
        )
        .order_by(User.full_name, Attempt.number)
    ).all()
    kind = question_type(current.data["type"])
    changes = []
    for slot, attempt, user in rows:
        if slot.marked_by_id is not None:
            continue  # a tutor's own mark is never overwritten by a regrade
        response = slot.answer.response if slot.answer else None
        grade = kind.grade(current.data, response)
        new = attempt_rules._fraction(grade.fraction)
        if new != slot.fraction or slot.question_version_id != current.id:
            changes.append(
                RegradeChange(
                    slot, attempt, user, slot.fraction, new, slot.version.version, current.version
                )
            )
    return changes


def apply_regrade(
    quiz: Quiz, question: Question, tutor: User, moment: datetime
) -> list[RegradeChange]:
    changes = regrade_plan(quiz, question)
    current = db.session.get(QuestionVersion, question.current_version_id)
    kind = question_type(current.data["type"])
    touched = {}
    for change in changes:
        response = change.slot.answer.response if change.slot.answer else None
        grade = kind.grade(current.data, response)
        change.slot.question_version_id = current.id
        change.slot.version = current
        change.slot.fraction = change.new_fraction
        change.slot.feedback = {"lines": grade.feedback, "parts": grade.parts}
        touched[change.attempt.id] = (change.attempt, change.user)
    for attempt, user in touched.values():
        old_percent = attempt.percent
        attempt.max_score = sum((s.max_points for s in attempt.slots), Decimal(0))
        attempt_rules.settle(attempt, attempt.finished_at or moment)
        record(
            tutor,
            "quiz.regrade",
            "quiz_attempt",
            attempt.id,
            question=question.key,
            version=current.version,
            old_percent=str(old_percent),
            new_percent=str(attempt.percent),
        )
        after_finish(attempt, user)
    db.session.flush()
    return changes
