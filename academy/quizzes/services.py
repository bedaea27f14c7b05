"""Quiz pages' data: what each trainee may do, reports for tutors, regrading."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from academy import paging
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
    item_statistics_from_sums,
)
from academy.quizzes.types.registry import question_type

# The dashboard's statements are built once (functools.cache) and reused with new
# parameters: building a SELECT costs more than running a small one.


@cache
def _live_quizzes() -> sa.Select:
    return (
        sa.select(Quiz)
        .where(Quiz.retired_at.is_(None))
        .order_by(Quiz.module_slug.is_(None), Quiz.title)
    )


@cache
def _attempts_of_user() -> sa.Select:
    return (
        sa.select(Attempt)
        .where(Attempt.user_id == sa.bindparam("user_id"))
        .order_by(Attempt.number)
    )


def live_quizzes() -> list[Quiz]:
    return list(db.session.scalars(_live_quizzes()))


def attempts_by_quiz(user_id: int) -> dict[int, list[Attempt]]:
    """The user's attempts at every quiz, by quiz id in number order, in one query."""
    by_quiz: dict[int, list[Attempt]] = {}
    for attempt in db.session.scalars(_attempts_of_user(), {"user_id": user_id}):
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

GRADES_PER_PAGE = paging.PAGE_SIZE
BANDS = 10  # the score distribution's bands, each 100/BANDS percent wide (a whole number)


@dataclass
class ReportSummary:
    """Counts over every attempt in the report, made by the database."""

    attempts: int
    finished: int
    mean_percent: float | None  # of the finished attempts
    trainees: int  # with at least one attempt
    graded: int  # with a grade that counts (a finished attempt)
    passed: int  # whose grade that counts reaches the pass mark

    @property
    def pass_rate(self) -> float | None:
        return 100 * self.passed / self.graded if self.graded else None


@dataclass
class TraineeGrade:
    user_id: int
    name: str
    email: str
    grade: Decimal | None
    passed: bool
    attempts: list[Attempt]


@dataclass
class QuizReport:
    quiz: Quiz
    summary: ReportSummary
    distribution: list[int]
    items: list[tuple[ItemStatistics, Question, str]]
    grades: paging.Page  # of TraineeGrade, in name order


def quiz_report(
    quiz: Quiz, cohort_id: int | None = None, page: int = 1, per_page: int = GRADES_PER_PAGE
) -> QuizReport:
    """Summary, distribution and item statistics over every attempt, and one page of grades.

    Whatever the number of attempts, the database counts and sums them (six queries in all),
    and only the page's trainees and their attempts reach Python: loading every attempt as
    an object took seconds at 10,000 trainees. ``page`` is clamped to the pages there are.
    """
    chosen = _report_attempts(quiz, cohort_id)
    summary, bands = _summary(quiz, chosen)
    page = paging.fit(page, summary.trainees, per_page)
    grades = paging.Page(
        _grades_page(quiz, chosen, page, per_page), page, summary.trainees, per_page
    )
    return QuizReport(quiz, summary, bands, item_statistics(quiz, cohort_id), grades)


def _report_attempts(quiz: Quiz, cohort_id: int | None) -> list[sa.ColumnElement[bool]]:
    """The conditions choosing the report's attempts: the quiz's, of one cohort if asked."""
    conditions = [Attempt.quiz_id == quiz.id]
    if cohort_id:
        members = sa.select(CohortMembership.user_id).where(CohortMembership.cohort_id == cohort_id)
        conditions.append(Attempt.user_id.in_(members))
    return conditions


def _band(percent: sa.ColumnElement) -> sa.ColumnElement[int]:
    """A grade's band in SQL, as ``statistics.distribution`` bands it (the last includes 100)."""
    width = 100 // BANDS  # whole numbers: PostgreSQL compares a numeric with a float slowly
    return sa.case(*((percent < width * (k + 1), k) for k in range(BANDS - 1)), else_=BANDS - 1)


def _summary(quiz: Quiz, chosen: list[sa.ColumnElement[bool]]) -> tuple[ReportSummary, list[int]]:
    """The report's counts and its score distribution, in two aggregate queries."""
    finished = Attempt.state == AttemptState.FINISHED
    per_attempt = (
        sa.select(
            sa.case((finished, _band(sa.func.coalesce(Attempt.percent, 0)))).label("band"),
            Attempt.percent,
        )
        .where(*chosen)
        .subquery()
    )
    bands = [0] * BANDS
    attempts = finished_count = 0
    percent_sum = 0.0
    for band, n, total in db.session.execute(
        sa.select(per_attempt.c.band, sa.func.count(), sa.func.sum(per_attempt.c.percent)).group_by(
            per_attempt.c.band
        )
    ):
        attempts += n
        if band is not None:
            bands[band] = n
            finished_count += n
            percent_sum += float(total or 0)
    grades = _grade_per_trainee(quiz, chosen)
    passing = grades.c.grade >= quiz.pass_mark_percent
    trainees, graded, passed = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count(grades.c.grade),
            sa.func.coalesce(sa.func.sum(sa.case((passing, 1), else_=0)), 0),
        )
    ).one()
    mean = percent_sum / finished_count if finished_count else None
    return ReportSummary(attempts, finished_count, mean, trainees, graded, int(passed)), bands


def _grade_per_trainee(quiz: Quiz, chosen: list[sa.ColumnElement[bool]]) -> sa.Subquery:
    """Each trainee's grade that counts (user_id, grade), chosen as ``quiz_grade`` chooses.

    In SQL so that the pass rate over thousands of trainees needs no attempt in Python;
    ``attempt_rules.quiz_grade`` is the rule, and the tests hold the two to the same answer.
    """
    counts = sa.and_(Attempt.state == AttemptState.FINISHED, Attempt.percent.is_not(None))
    if quiz.grading_method == "last":
        last = (
            sa.select(
                Attempt.user_id, sa.func.max(sa.case((counts, Attempt.number))).label("number")
            )
            .where(*chosen)
            .group_by(Attempt.user_id)
            .subquery()
        )
        latest = aliased(Attempt)
        return (
            sa.select(last.c.user_id, latest.percent.label("grade"))
            .outerjoin(
                latest,
                sa.and_(
                    latest.quiz_id == quiz.id,
                    latest.user_id == last.c.user_id,
                    latest.number == last.c.number,
                ),
            )
            .subquery()
        )
    return (
        sa.select(Attempt.user_id, sa.func.max(sa.case((counts, Attempt.percent))).label("grade"))
        .where(*chosen)
        .group_by(Attempt.user_id)
        .subquery()
    )


def _grades_page(
    quiz: Quiz, chosen: list[sa.ColumnElement[bool]], page: int, per_page: int
) -> list[TraineeGrade]:
    """The page's trainees by name, each with their attempts and grade that counts."""
    trainees = db.session.execute(
        sa.select(User.id, User.full_name, User.email)
        .where(User.id.in_(sa.select(Attempt.user_id).where(*chosen)))
        .order_by(User.full_name, User.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    by_user: dict[int, list[Attempt]] = {user_id: [] for user_id, _, _ in trainees}
    if by_user:
        for attempt in db.session.scalars(
            sa.select(Attempt)
            .where(Attempt.quiz_id == quiz.id, Attempt.user_id.in_(list(by_user)))
            .order_by(Attempt.number)
        ):
            by_user[attempt.user_id].append(attempt)
    return [
        TraineeGrade(
            user_id,
            name,
            email,
            *attempt_rules.quiz_grade(quiz, by_user[user_id]),
            by_user[user_id],
        )
        for user_id, name, email in trainees
    ]


def item_statistics(
    quiz: Quiz, cohort_id: int | None = None
) -> list[tuple[ItemStatistics, Question, str]]:
    """Facility and discrimination per question over the finished attempts, in two queries.

    Summed per question version by the database: with every trainee's attempts (hundreds
    of thousands of answers) no answer row is sent to Python. A question's versions are
    added up here, as the sums allow.
    """
    # Per version and maximum, the question's score is the maximum times the fraction, so
    # the database sums plain columns: no cast (slow on PostgreSQL) and fewer products.
    fraction = sa.func.coalesce(AttemptQuestion.fraction, 0)
    total = sa.func.coalesce(Attempt.score, 0)  # the score on the whole attempt
    by_version = db.session.execute(
        sa.select(
            AttemptQuestion.question_version_id,
            AttemptQuestion.max_points,
            sa.func.count(),
            *(
                sa.func.sum(value)
                for value in (fraction, fraction * fraction, total, total * total, total * fraction)
            ),
        )
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .where(*_report_attempts(quiz, cohort_id), Attempt.state == AttemptState.FINISHED)
        .group_by(AttemptQuestion.question_version_id, AttemptQuestion.max_points)
    ).all()
    if not by_version:
        return []
    # Each version's question, with the question's current version for its text, in one query.
    current = aliased(QuestionVersion)
    questions = {
        version_id: (question, data)
        for version_id, question, data in db.session.execute(
            sa.select(QuestionVersion.id, Question, current.data)
            .join(Question, Question.id == QuestionVersion.question_id)
            .outerjoin(current, current.id == Question.current_version_id)
            .where(QuestionVersion.id.in_([row[0] for row in by_version]))
        )
    }
    totals: dict[int, tuple[Question, dict | None, list[float]]] = {}
    for version_id, maximum, n, *sums in by_version:
        question, data = questions[version_id]
        _, _, added = totals.setdefault(question.id, (question, data, [0.0] * 7))
        p = float(maximum)
        f, ff, t, tt, tf = (float(value or 0) for value in sums)
        # attempts, shares, x, x², t, t², tx (x = p·f, the score on the question)
        for i, value in enumerate((n, f if p > 0 else 0.0, p * f, p * p * ff, t, tt, p * tf)):
            added[i] += value
    items = [
        (
            item_statistics_from_sums(question.key, ItemSums.from_totals(int(n), *sums)),
            question,
            _short((data or {}).get("text", "")),
        )
        for question, data, (n, *sums) in totals.values()
    ]
    items.sort(key=lambda item: item[1].key)
    return items


def _short(text: str, length: int = 110) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


CSV_BATCH = 1000


def report_csv(quiz: Quiz, cohort_id: int | None = None) -> str:
    """Every attempt in the report (read in batches of plain rows), then the item statistics."""
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
    rows = db.session.execute(
        sa.select(
            User.full_name,
            User.email,
            Attempt.number,
            Attempt.state,
            Attempt.started_at,
            Attempt.submitted_at,
            Attempt.score,
            Attempt.max_score,
            Attempt.percent,
            Attempt.passed,
        )
        .join(User, User.id == Attempt.user_id)
        .where(*_report_attempts(quiz, cohort_id))
        .order_by(User.full_name, User.id, Attempt.number)
        .execution_options(yield_per=CSV_BATCH)
    )
    for name, email, number, state, started, submitted, score, maximum, percent, passed in rows:
        writer.writerow(
            [
                _safe(name),
                _safe(email),
                number,
                state,
                started.isoformat(timespec="seconds"),
                submitted.isoformat(timespec="seconds") if submitted else "",
                score if score is not None else "",
                maximum,
                percent if percent is not None else "",
                "" if passed is None else ("yes" if passed else "no"),
            ]
        )
    writer.writerow([])
    writer.writerow(["question", "attempts", "facility index", "discrimination index", "flags"])
    for stats, _question, _text in item_statistics(quiz, cohort_id):
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
