"""Reading the catalogue and recording progress: plain functions over the session.

Each page's data comes from a fixed number of queries, whatever the number of modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from academy.auth.models import Role, User
from academy.catalogue.loader import COMPLETION_RULES
from academy.catalogue.models import Lesson, LessonRead, Module, ModuleCompletion
from academy.extensions import db


@dataclass
class ModuleProgress:
    module: Module
    lessons_total: int
    lessons_read: int
    completed_at: datetime | None
    missing_prerequisites: list[Module] = field(default_factory=list)

    @property
    def locked(self) -> bool:
        return bool(self.missing_prerequisites)

    @property
    def percent(self) -> int:
        if self.completed_at:
            return 100
        return round(100 * self.lessons_read / self.lessons_total) if self.lessons_total else 0

    @property
    def status(self) -> str:
        if self.completed_at:
            return "Completed"
        if self.locked:
            return "Locked"
        return "In progress" if self.lessons_read else "Not started"


def lesson_totals() -> dict[int, int]:
    """The number of live lessons in each module, by module id."""
    return dict(
        db.session.execute(
            sa.select(Lesson.module_id, sa.func.count(Lesson.id))
            .where(Lesson.retired_at.is_(None))
            .group_by(Lesson.module_id)
        ).all()
    )


def live_modules() -> list[Module]:
    return list(
        db.session.scalars(
            sa.select(Module)
            .where(Module.retired_at.is_(None))
            .order_by(Module.position, Module.slug)
        )
    )


# The statements of the busiest pages are built once and reused with new parameters:
# building a SELECT costs several times what running a small one does (bench/profile_page.py).


@cache
def _modules_with_completion() -> sa.Select:
    return (
        sa.select(Module, ModuleCompletion.completed_at)
        .outerjoin(
            ModuleCompletion,
            sa.and_(
                ModuleCompletion.module_id == Module.id,
                ModuleCompletion.user_id == sa.bindparam("user_id"),
            ),
        )
        .where(Module.retired_at.is_(None))
        .order_by(Module.position, Module.slug)
    )


@cache
def _lessons_and_reads_by_module() -> sa.Select:
    return (
        sa.select(Lesson.module_id, sa.func.count(Lesson.id), sa.func.count(LessonRead.id))
        .outerjoin(
            LessonRead,
            sa.and_(
                LessonRead.lesson_id == Lesson.id, LessonRead.user_id == sa.bindparam("user_id")
            ),
        )
        .where(Lesson.retired_at.is_(None))
        .group_by(Lesson.module_id)
    )


def progress_for(user: User) -> list[ModuleProgress]:
    """Every live module with the user's reading progress, completion and locks (2 queries).

    Every page a trainee opens in the catalogue, and the dashboard, starts here, so the
    modules come with the user's completions and the lesson counts with their reads.
    """
    given = {"user_id": user.id}
    rows = db.session.execute(_modules_with_completion(), given).all()
    modules = [module for module, _ in rows]
    completions = {module.id: at for module, at in rows if at is not None}
    totals, reads = {}, {}
    for module_id, total, read in db.session.execute(_lessons_and_reads_by_module(), given):
        totals[module_id], reads[module_id] = total, read
    by_slug = {m.slug: m for m in modules}
    completed_slugs = {m.slug for m in modules if m.id in completions}
    result = []
    for module in modules:
        missing = []
        if user.role == Role.TRAINEE:
            missing = [
                by_slug[slug]
                for slug in module.prerequisites
                if slug in by_slug and slug not in completed_slugs
            ]
        result.append(
            ModuleProgress(
                module=module,
                lessons_total=totals.get(module.id, 0),
                lessons_read=reads.get(module.id, 0),
                completed_at=completions.get(module.id),
                missing_prerequisites=missing,
            )
        )
    return result


def module_progress(user: User, slug: str) -> ModuleProgress | None:
    return next((p for p in progress_for(user) if p.module.slug == slug), None)


@cache
def _read_times_in_module() -> sa.Select:
    return (
        sa.select(LessonRead.lesson_id, LessonRead.read_at)
        .join(Lesson, Lesson.id == LessonRead.lesson_id)
        .where(
            LessonRead.user_id == sa.bindparam("user_id"),
            Lesson.module_id == sa.bindparam("module_id"),
        )
    )


def read_times(user: User, module: Module) -> dict[int, datetime]:
    """When the user read each lesson of the module, by lesson id."""
    given = {"user_id": user.id, "module_id": module.id}
    return dict(db.session.execute(_read_times_in_module(), given).all())


def find_lesson(module: Module, slug: str) -> Lesson | None:
    return next((lesson for lesson in module.live_lessons if lesson.slug == slug), None)


def neighbours(module: Module, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    lessons = module.live_lessons
    index = lessons.index(lesson)
    return (
        lessons[index - 1] if index > 0 else None,
        lessons[index + 1] if index + 1 < len(lessons) else None,
    )


@cache
def _first_unread_lesson() -> sa.Select:
    read = sa.select(LessonRead.lesson_id).where(LessonRead.user_id == sa.bindparam("user_id"))
    return (
        sa.select(Lesson)
        .join(Module, Module.id == Lesson.module_id)
        .where(
            Lesson.module_id.in_(sa.bindparam("module_ids", expanding=True)),
            Lesson.retired_at.is_(None),
            Lesson.id.not_in(read),
        )
        .order_by(Module.position, Module.slug, Lesson.position)  # the course's order
        .limit(1)
    )


def next_unread(user: User, progress: list[ModuleProgress] | None = None) -> Lesson | None:
    """The first unread lesson of the first unlocked, unfinished module: what to do next.

    One query (given ``progress``, from ``progress_for``), not one or two per module.
    """
    progress = progress_for(user) if progress is None else progress
    open_modules = [p.module.id for p in progress if not p.completed_at and not p.locked]
    if not open_modules:
        return None
    given = {"user_id": user.id, "module_ids": open_modules}
    return db.session.scalar(_first_unread_lesson(), given)


def mark_read(user: User, lesson: Lesson) -> tuple[bool, bool]:
    """Record that the user read the lesson; return (newly read, module newly completed).

    Safe to repeat and to race: the unique constraint keeps one record, the first time.
    """
    newly_read = _insert_once(LessonRead(user_id=user.id, lesson_id=lesson.id))
    return newly_read, update_completion(user, lesson.module)


def module_by_slug(slug: str) -> Module | None:
    return db.session.scalar(
        sa.select(Module).where(Module.slug == slug, Module.retired_at.is_(None))
    )


def update_completion(user: User, module: Module) -> bool:
    """Record the module as completed once its completion rule is met; True if newly so.

    Called whenever something the rule depends on happens (a lesson read, a quiz passed),
    and safe to call again: the completion is recorded once.
    """
    if module.completion_rule not in COMPLETION_RULES:
        return False
    live_ids = {lesson.id for lesson in module.live_lessons}
    read_ids = set(read_times(user, module))
    if not live_ids or not live_ids <= read_ids:
        return False
    if module.completion_rule == "all_lessons_and_quiz":
        from academy.quizzes.services import passed_module_quiz  # quizzes build on the reader

        if not passed_module_quiz(user.id, module.slug):
            return False
    completion = ModuleCompletion(user_id=user.id, module_id=module.id)
    if not _insert_once(completion):
        return False
    from academy.cpd import services as cpd  # CPD counts completions (and checks the course)

    cpd.on_module_completed(user.id, module, completion.completed_at)
    return True


def _insert_once(record) -> bool:
    """Insert a row guarded by a unique constraint; False if it was already there."""
    try:
        with db.session.begin_nested():
            db.session.add(record)
        return True
    except IntegrityError:
        return False


@dataclass
class SearchHit:
    lesson: Lesson
    score: int
    snippet_before: str
    snippet_match: str
    snippet_after: str


MAX_TERMS = 8


def search_terms(query: str) -> list[str]:
    words = re.findall(r"[\w\-']+", query.lower())
    return [w for w in dict.fromkeys(words) if len(w) >= 2][:MAX_TERMS]


def search(query: str, limit: int = 30) -> list[SearchHit]:
    """Lessons matching every word, ranked: a title match counts ten times a body mention.

    Plain SQL that SQLite and PostgreSQL both run: occurrences are counted with
    length/replace, and body mentions are capped so a long lesson does not swamp a title.
    """
    terms = search_terms(query)
    if not terms:
        return []
    title = sa.func.lower(Lesson.title)
    body = sa.func.lower(Lesson.body_text)
    score = sa.literal(0)
    conditions = []
    for term in terms:
        pattern = f"%{_escape_like(term)}%"
        in_title = title.like(pattern, escape="\\")
        in_body = body.like(pattern, escape="\\")
        conditions.append(sa.or_(in_title, in_body))
        occurrences = (
            sa.func.length(body) - sa.func.length(sa.func.replace(body, term, ""))
        ) / len(term)
        score = (
            score
            + sa.case((in_title, 10), else_=0)
            + sa.case((occurrences > 5, 5), else_=occurrences)
        )
    rows = db.session.execute(
        sa.select(Lesson, score.label("score"))
        .join(Module, Module.id == Lesson.module_id)
        .where(Lesson.retired_at.is_(None), Module.retired_at.is_(None), *conditions)
        .order_by(sa.desc("score"), Module.position, Lesson.position)
        .limit(limit)
    ).all()
    return [_hit(lesson, int(score), terms) for lesson, score in rows]


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _hit(lesson: Lesson, score: int, terms: list[str]) -> SearchHit:
    text = lesson.body_text
    lowered = text.lower()
    position, term = min(
        ((lowered.find(t), t) for t in terms if lowered.find(t) >= 0), default=(-1, "")
    )
    if position < 0:
        return SearchHit(lesson, score, text[:200], "", "")
    start = max(0, position - 90)
    end = position + len(term)
    return SearchHit(
        lesson,
        score,
        ("…" if start else "") + text[start:position],
        text[position:end],
        text[end : end + 110] + ("…" if end + 110 < len(text) else ""),
    )


def trainees_in_cohort(cohort_id: int) -> list[User]:
    from academy.cohorts.models import CohortMembership

    return list(
        db.session.scalars(
            sa.select(User)
            .join(CohortMembership, CohortMembership.user_id == User.id)
            .where(CohortMembership.cohort_id == cohort_id)
            .order_by(User.full_name)
        )
    )


@dataclass
class CohortProgress:
    modules: list[Module]
    totals: dict[int, int]
    rows: list[tuple[User, dict[int, tuple[int, bool]]]]


def cohort_progress(cohort_id: int) -> CohortProgress:
    """For a cohort: each trainee's (lessons read, completed) per module, in five queries."""
    from academy.cohorts.models import CohortMembership

    modules = live_modules()
    trainees = trainees_in_cohort(cohort_id)
    member_ids = sa.select(CohortMembership.user_id).where(CohortMembership.cohort_id == cohort_id)
    reads = db.session.execute(
        sa.select(LessonRead.user_id, Lesson.module_id, sa.func.count(LessonRead.id))
        .join(Lesson, Lesson.id == LessonRead.lesson_id)
        .where(LessonRead.user_id.in_(member_ids), Lesson.retired_at.is_(None))
        .group_by(LessonRead.user_id, Lesson.module_id)
    ).all()
    done = set(
        db.session.execute(
            sa.select(ModuleCompletion.user_id, ModuleCompletion.module_id).where(
                ModuleCompletion.user_id.in_(member_ids)
            )
        ).all()
    )
    counts = {(user_id, module_id): n for user_id, module_id, n in reads}
    rows = [
        (
            trainee,
            {
                m.id: (counts.get((trainee.id, m.id), 0), (trainee.id, m.id) in done)
                for m in modules
            },
        )
        for trainee in trainees
    ]
    return CohortProgress(modules, lesson_totals(), rows)
