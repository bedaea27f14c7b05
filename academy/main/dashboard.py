"""The dashboards' data: a trainee's progress, CPD and next steps; a tutor's cohorts at a glance.

Each domain contributes its own next steps through one function listed in
``NEXT_STEP_SOURCES``; ``returned_submission_steps`` is where case assessments that a
tutor returned to the trainee belong (the grading domain fills it in). What several parts
need (module progress, the live quizzes, the trainee's attempts) is read once per page as a
``TraineeRecord`` and handed to each, so the dashboard runs a fixed, small number of
queries (tests/test_query_counts.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

import sqlalchemy as sa
from flask import url_for

from academy.auth.models import User
from academy.catalogue import services as reading
from academy.catalogue.models import LessonRead
from academy.cohorts.models import Cohort
from academy.extensions import db
from academy.grading import states as grading_states
from academy.grading.models import CaseAssessment, Submission
from academy.quizzes import attempts as quiz_rules
from academy.quizzes import services as quizzes
from academy.quizzes.models import Attempt, AttemptState, Quiz

INACTIVE_AFTER = timedelta(days=14)
BEHIND_BY_POINTS = 20


@dataclass
class NextStep:
    kind: str  # "lesson", "quiz", "submission", ...
    title: str
    detail: str
    url: str
    action: str


@dataclass
class TraineeRecord:
    """What the dashboard's parts share, read once: module progress, quizzes and attempts."""

    progress: list[reading.ModuleProgress]
    quizzes: list[Quiz]
    attempts: dict[int, list[Attempt]]  # the trainee's, by quiz id, in number order


def trainee_record(user: User) -> TraineeRecord:
    return TraineeRecord(
        reading.progress_for(user), quizzes.live_quizzes(), quizzes.attempts_by_quiz(user.id)
    )


def reading_steps(user: User, moment: datetime, record: TraineeRecord) -> list[NextStep]:
    lesson = reading.next_unread(user, record.progress)
    if lesson is None:
        return []
    return [
        NextStep(
            "lesson",
            lesson.title,
            f"Next lesson in {lesson.module.title}, about {lesson.estimated_minutes} minutes",
            url_for("catalogue.lesson", slug=lesson.module.slug, lesson_slug=lesson.slug),
            "Read the lesson",
        )
    ]


def quiz_steps(
    user: User, moment: datetime, record: TraineeRecord, limit: int = 2
) -> list[NextStep]:
    """A quiz in progress, else quizzes not yet passed that the trainee is ready for."""
    progress = {p.module.slug: p for p in record.progress}
    all_modules_done = bool(progress) and all(p.completed_at for p in progress.values())
    resume, ready = [], []
    for quiz in record.quizzes:
        status = quiz_rules.availability(quiz, user.id, moment, record.attempts.get(quiz.id, []))
        if status.in_progress is not None:
            resume.append(
                NextStep(
                    "quiz",
                    quiz.title,
                    "You have an attempt in progress",
                    url_for("quizzes.attempt_page", attempt_id=status.in_progress.id),
                    "Resume the quiz",
                )
            )
            continue
        if status.passed or not status.can_start:
            continue
        module = progress.get(quiz.module_slug) if quiz.module_slug else None
        if quiz.module_slug and (module is None or module.locked or module.lessons_read == 0):
            continue
        if not quiz.module_slug and not all_modules_done:
            continue
        left = (
            "unlimited attempts"
            if status.attempts_left is None
            else f"{status.attempts_left} attempt{'s' if status.attempts_left != 1 else ''} left"
        )
        ready.append(
            NextStep(
                "quiz",
                quiz.title,
                f"Not passed yet · {left}",
                url_for("quizzes.quiz_page", slug=quiz.slug),
                "Go to the quiz",
            )
        )
    return (resume + ready)[:limit]


@cache  # built once: building a statement costs more than running this one
def _unfinished_submissions() -> sa.Select:
    return (
        sa.select(Submission, CaseAssessment)
        .join(CaseAssessment, CaseAssessment.id == Submission.assessment_id)
        .where(
            Submission.trainee_id == sa.bindparam("user_id"),
            Submission.state.in_([grading_states.RETURNED, grading_states.DRAFT]),
        )
        .order_by(Submission.state.desc(), Submission.updated_at)
    )


def returned_submission_steps(
    user: User, moment: datetime, record: TraineeRecord
) -> list[NextStep]:
    """Case plans a tutor returned for changes, then plans still in draft."""
    rows = db.session.execute(_unfinished_submissions(), {"user_id": user.id}).all()
    steps = []
    for submission, assessment in rows:
        returned = submission.state == grading_states.RETURNED
        steps.append(
            NextStep(
                "submission",
                assessment.title,
                "Returned by your tutor for resubmission: read the feedback and revise your plan"
                if returned
                else "Your plan is a draft: finish it and submit it for marking",
                url_for("grading.case_page", slug=assessment.slug) + "#plan",
                "Revise your plan" if returned else "Carry on with your plan",
            )
        )
    return steps


# Each is called as source(user, moment, record) and may ignore the record.
NEXT_STEP_SOURCES: list[Callable[[User, datetime, TraineeRecord], list[NextStep]]] = [
    returned_submission_steps,
    reading_steps,
    quiz_steps,
]


def next_steps(user: User, moment: datetime, record: TraineeRecord | None = None) -> list[NextStep]:
    """What the trainee should do next, gathered from every domain in priority order."""
    if record is None:
        record = trainee_record(user)
    steps: list[NextStep] = []
    for source in NEXT_STEP_SOURCES:
        steps.extend(source(user, moment, record))
    return steps


@dataclass
class CourseProgress:
    modules: list[reading.ModuleProgress]
    percent: int
    completed: int

    @property
    def total(self) -> int:
        return len(self.modules)


def course_progress(
    user: User, progress: list[reading.ModuleProgress] | None = None
) -> CourseProgress:
    modules = reading.progress_for(user) if progress is None else progress
    percent = round(sum(p.percent for p in modules) / len(modules)) if modules else 0
    return CourseProgress(modules, percent, sum(1 for p in modules if p.completed_at))


# --- Tutors ----------------------------------------------------------------------------------


@dataclass
class TraineeGlance:
    trainee: User
    percent: int
    modules_completed: int
    last_active: datetime | None
    awaiting_mark: int
    behind_reasons: list[str] = field(default_factory=list)

    @property
    def behind(self) -> bool:
        return bool(self.behind_reasons)


@dataclass
class CohortGlance:
    cohort: Cohort
    trainees: list[TraineeGlance]
    module_count: int

    @property
    def behind(self) -> list[TraineeGlance]:
        return [t for t in self.trainees if t.behind]

    @property
    def awaiting_mark(self) -> int:
        return sum(t.awaiting_mark for t in self.trainees)

    @property
    def average(self) -> int:
        return (
            round(sum(t.percent for t in self.trainees) / len(self.trainees))
            if self.trainees
            else 0
        )


def awaiting_mark_counts(user_ids: list[int]) -> dict[int, int]:
    """Work each trainee is waiting to have marked: quiz attempts and submitted case plans."""
    if not user_ids:
        return {}
    counts: dict[int, int] = {}
    quiz_rows = db.session.execute(
        sa.select(Attempt.user_id, sa.func.count(Attempt.id))
        .where(Attempt.user_id.in_(user_ids), Attempt.state == AttemptState.AWAITING_GRADING)
        .group_by(Attempt.user_id)
    ).all()
    case_rows = db.session.execute(
        sa.select(Submission.trainee_id, sa.func.count(Submission.id))
        .where(
            Submission.trainee_id.in_(user_ids),
            Submission.state.in_(grading_states.WAITING_FOR_TUTOR),
        )
        .group_by(Submission.trainee_id)
    ).all()
    for user_id, n in [*quiz_rows, *case_rows]:
        counts[user_id] = counts.get(user_id, 0) + n
    return counts


def last_activity(user_ids: list[int]) -> dict[int, datetime]:
    if not user_ids:
        return {}
    reads = db.session.execute(
        sa.select(LessonRead.user_id, sa.func.max(LessonRead.read_at))
        .where(LessonRead.user_id.in_(user_ids))
        .group_by(LessonRead.user_id)
    ).all()
    attempts = db.session.execute(
        sa.select(Attempt.user_id, sa.func.max(Attempt.started_at))
        .where(Attempt.user_id.in_(user_ids))
        .group_by(Attempt.user_id)
    ).all()
    latest: dict[int, datetime] = {}
    for user_id, moment in [*reads, *attempts]:
        if moment is not None and (user_id not in latest or moment > latest[user_id]):
            latest[user_id] = moment
    return latest


def cohort_glance(cohort: Cohort, moment: datetime) -> CohortGlance:
    """Each trainee's course progress, last activity and marks awaited, and who is behind."""
    report = reading.cohort_progress(cohort.id)
    ids = [trainee.id for trainee, _ in report.rows]
    waiting = awaiting_mark_counts(ids)
    active = last_activity(ids)
    glances = []
    for trainee, cells in report.rows:
        percents = []
        for module in report.modules:
            read, done = cells[module.id]
            total = report.totals.get(module.id, 0)
            percents.append(100 if done else (round(100 * read / total) if total else 0))
        glances.append(
            TraineeGlance(
                trainee,
                round(sum(percents) / len(percents)) if percents else 0,
                sum(1 for module in report.modules if cells[module.id][1]),
                active.get(trainee.id),
                waiting.get(trainee.id, 0),
            )
        )
    average = round(sum(g.percent for g in glances) / len(glances)) if glances else 0
    for glance in glances:
        if glance.percent >= 100:
            continue
        if glance.last_active is None:
            glance.behind_reasons.append("has not started")
        elif moment - glance.last_active > INACTIVE_AFTER:
            glance.behind_reasons.append(f"inactive for {(moment - glance.last_active).days} days")
        if len(glances) > 1 and glance.percent < average - BEHIND_BY_POINTS:
            glance.behind_reasons.append(f"{average - glance.percent} points below the cohort")
    glances.sort(key=lambda g: (not g.behind, -g.awaiting_mark, g.trainee.full_name))
    return CohortGlance(cohort, glances, len(report.modules))
