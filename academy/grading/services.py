"""Case assessments: drafting, submitting, marking, moderating and releasing.

Plain functions over the session: they take users, values and a moment, flush, and leave the
commit to the request. Every change of state, mark or outcome adds an audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from academy.audit.models import AuditEntry, record
from academy.auth.models import Role, User
from academy.cohorts.models import Cohort, CohortMembership
from academy.extensions import db
from academy.grading import rubric as rubrics
from academy.grading import states
from academy.grading.loader import METHODS
from academy.grading.models import (
    CaseAssessment,
    Mark,
    MarkingPresence,
    Notification,
    Submission,
    SubmissionVersion,
)
from academy.paging import PAGE_SIZE, Page
from academy.quizzes.models import (
    Attempt,
    AttemptQuestion,
    AttemptState,
    Question,
    QuestionVersion,
    Quiz,
)
from academy.security.input import whole_number

PRESENCE_WINDOW = timedelta(minutes=15)
MAX_TEXT = 20_000


class GradingError(Exception):
    """Something the rules do not allow, with a message for the person (and the field)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class MarkConflict(GradingError):
    """Someone else saved this mark since it was opened: refuse, keep the typed work."""


# --- Who may see and mark what --------------------------------------------------------------


def taught_trainee_ids(tutor: User):
    """Trainees in the cohorts the tutor leads, as a subquery."""
    return (
        sa.select(CohortMembership.user_id)
        .join(Cohort, Cohort.id == CohortMembership.cohort_id)
        .where(Cohort.lead_tutor_id == tutor.id)
    )


def can_mark(user: User, submission: Submission) -> bool:
    """Admins mark anything; tutors their own cohorts' work; nobody their own work."""
    if submission.trainee_id == user.id or not user.is_staff:
        return False
    if user.role == Role.ADMIN:
        return True
    return (
        db.session.scalar(
            sa.select(CohortMembership.id)
            .join(Cohort, Cohort.id == CohortMembership.cohort_id)
            .where(
                CohortMembership.user_id == submission.trainee_id, Cohort.lead_tutor_id == user.id
            )
            .limit(1)
        )
        is not None
    )


def can_view(user: User, submission: Submission) -> bool:
    return submission.trainee_id == user.id or can_mark(user, submission)


# --- The trainee's side ---------------------------------------------------------------------


def live_assessments() -> list[CaseAssessment]:
    return list(
        db.session.scalars(
            sa.select(CaseAssessment)
            .where(CaseAssessment.retired_at.is_(None))
            .order_by(CaseAssessment.group, CaseAssessment.title)
        )
    )


def assessment_by_slug(slug: str) -> CaseAssessment | None:
    return db.session.scalar(
        sa.select(CaseAssessment).where(
            CaseAssessment.slug == slug, CaseAssessment.retired_at.is_(None)
        )
    )


def submission_for(assessment: CaseAssessment, trainee_id: int) -> Submission | None:
    return db.session.scalar(
        sa.select(Submission).where(
            Submission.assessment_id == assessment.id, Submission.trainee_id == trainee_id
        )
    )


def start(assessment: CaseAssessment, trainee: User, moment: datetime) -> Submission:
    """The trainee's submission for this case, created with an empty draft the first time."""
    existing = submission_for(assessment, trainee.id)
    if existing is not None:
        return existing
    try:
        with db.session.begin_nested():
            submission = Submission(
                assessment_id=assessment.id,
                trainee_id=trainee.id,
                state=states.DRAFT,
                created_at=moment,
                updated_at=moment,
            )
            db.session.add(submission)
            db.session.flush()
            db.session.add(
                SubmissionVersion(
                    submission_id=submission.id,
                    number=1,
                    answers={},
                    created_at=moment,
                    saved_at=moment,
                )
            )
    except IntegrityError:  # opened in two tabs at once: use the one that won
        return submission_for(assessment, trainee.id)
    return submission


def clean_answers(assessment: CaseAssessment, form, runs: dict[int, dict]) -> dict:
    """Read each task's fields from a form (a MultiDict); keep only what the tasks declare.

    ``runs`` maps the trainee's saved simulator runs by id to their snapshot, so a plan can
    only attach the trainee's own runs.
    """
    answers = {}
    for task in assessment.tasks:
        key, kind = task["key"], task["kind"]
        prefix = f"task-{key}"
        justification = (form.get(f"{prefix}-text") or "")[:MAX_TEXT]
        answer: dict = {"text": justification}
        if kind == "method":
            choice = form.get(f"{prefix}-method") or ""
            answer["method"] = choice if choice in METHODS else ""
        elif kind == "laser_plan":
            run = runs.get(whole_number(form.get(f"{prefix}-run")))
            answer["run"] = run
        elif kind == "schedule":
            for name, low, high in (
                ("sessions", 1, 30),
                ("interval_weeks", 1, 104),
                ("wait_weeks", 0, 208),
            ):
                raw = (form.get(f"{prefix}-{name}") or "").strip()
                answer[name] = whole_number(raw, low=low, high=high)
                if raw and answer[name] is None:
                    answer.setdefault("problems", []).append(
                        f"{name.replace('_', ' ')} must be a whole number from {low} to {high}"
                    )
        answers[key] = answer
    return answers


def missing_answers(assessment: CaseAssessment, answers: dict) -> dict[str, str]:
    """Which tasks are not yet answered, by task key, with what is missing."""
    missing = {}
    for task in assessment.tasks:
        answer = answers.get(task["key"]) or {}
        title = task["title"]
        if answer.get("problems"):
            missing[task["key"]] = f"{title}: " + "; ".join(answer["problems"])
        elif task["kind"] == "method" and not answer.get("method"):
            missing[task["key"]] = f"{title}: choose a method"
        elif task["kind"] == "laser_plan" and not answer.get("run"):
            missing[task["key"]] = f"{title}: attach a run saved from the simulator"
        elif task["kind"] == "schedule" and None in (
            answer.get("sessions"),
            answer.get("interval_weeks"),
            answer.get("wait_weeks"),
        ):
            missing[task["key"]] = f"{title}: give the sessions, interval and wait"
        elif not (answer.get("text") or "").strip():
            missing[task["key"]] = f"{title}: write your answer"
    return missing


def save_draft(submission: Submission, answers: dict, sequence: int, moment: datetime) -> bool:
    """Store the draft unless a newer save (higher sequence) is already there."""
    if submission.state != states.DRAFT:
        raise GradingError("This submission is not a draft: it can no longer be changed.")
    version = submission.latest
    updated = db.session.execute(
        sa.update(SubmissionVersion)
        .where(
            SubmissionVersion.id == version.id,
            SubmissionVersion.sequence < sequence,
            SubmissionVersion.submitted_at.is_(None),
        )
        .values(answers=answers, sequence=sequence, saved_at=moment)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(version)
    return bool(updated)


def _move(
    submission: Submission, target: str, actor: User, kind: str, moment: datetime, **details
) -> None:
    """Change state by a conditional update, so two requests cannot both make the move."""
    states.check(submission.state, target, kind)
    moved = db.session.execute(
        sa.update(Submission)
        .where(Submission.id == submission.id, Submission.state == submission.state)
        .values(state=target, updated_at=moment)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not moved:
        db.session.refresh(submission)
        raise GradingError("Someone else changed this submission just now. Reload the page.")
    record(
        actor,
        "submission.state",
        "submission",
        submission.id,
        **{"from": submission.state, "to": target, **details},
    )
    db.session.refresh(submission)


def submit(submission: Submission, trainee: User, moment: datetime) -> None:
    """Make the draft final (it stays final until a tutor returns it) and tell the tutors."""
    missing = missing_answers(submission.assessment, submission.latest.answers)
    if missing:
        raise GradingError("Answer every task before submitting: " + "; ".join(missing.values()))
    _move(
        submission, states.SUBMITTED, trainee, "trainee", moment, version=submission.latest.number
    )
    submission.latest.submitted_at = moment
    submission.submitted_at = moment
    for tutor in lead_tutors_of(trainee):
        notify(
            tutor,
            f"{trainee.full_name} submitted {submission.assessment.title} "
            f"(version {submission.latest.number}).",
            f"/marking/submissions/{submission.id}",
        )
    db.session.flush()


def reopen(submission: Submission, trainee: User, moment: datetime) -> SubmissionVersion:
    """Start a new version from the returned one; the returned version is kept as it was."""
    previous = submission.latest
    _move(submission, states.DRAFT, trainee, "trainee", moment, version=previous.number + 1)
    version = SubmissionVersion(
        submission_id=submission.id,
        number=previous.number + 1,
        answers=dict(previous.answers),
        created_at=moment,
        saved_at=moment,
    )
    db.session.add(version)
    db.session.flush()
    db.session.refresh(submission)
    return version


def lead_tutors_of(trainee: User) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Cohort, Cohort.lead_tutor_id == User.id)
            .join(CohortMembership, CohortMembership.cohort_id == Cohort.id)
            .where(CohortMembership.user_id == trainee.id, User.active.is_(True))
            .distinct()
        )
    )


def notify(user: User, message: str, url: str) -> None:
    from academy.mail.outbox import send_mail

    db.session.add(Notification(user_id=user.id, message=message[:300], url=url[:300]))
    send_mail(
        user.email,
        "SMP Removal Academy: " + message[:120],
        f"Hello {user.full_name},\n\n{message}\n\nSee it in the academy: {url}\n",
    )


# --- The tutor's side -----------------------------------------------------------------------

QUEUE_STATES = states.WAITING_FOR_TUTOR
QUEUE_LISTS = ("cases", "written")  # the queue's two lists, one shown at a time
MAX_WAITING_DAYS = 3650


@dataclass
class QueueFilters:
    cohort_id: int | None = None
    assessment_id: int | None = None
    state: str | None = None
    older_than_days: int | None = None


@dataclass
class QueueView:
    """Everything the marking queue page shows, read with a fixed number of queries."""

    show: str
    filters: QueueFilters
    notes: list[str]
    cohorts: list
    assessments: list
    counts: dict[str, int]
    cases: Page
    written: Page


def _page_number(raw: str | None, name: str, notes: list[str]) -> int:
    if not raw:
        return 1
    number = whole_number(raw, low=1)
    if number is None:
        notes.append(f"{name}: a page is a whole number from 1, so the first page is shown.")
        return 1
    return number


def _fit(page: Page, name: str, notes: list[str]) -> int:
    """Show the last page when asked for one beyond it, and say so."""
    if page.number > page.pages:
        notes.append(
            f"{name}: there {'is' if page.pages == 1 else 'are'} only {page.pages} "
            f"page{'' if page.pages == 1 else 's'}, so the last is shown."
        )
        return page.pages
    return page.number


def read_filters(args, cohort_ids: set[int], assessment_ids: set[int]):
    """The queue's filters from a query string: a value that cannot apply is left out, with a note.

    Returns the list to show, the filters, the page asked for in each list, and the notes.
    """
    notes: list[str] = []
    show = args.get("show") or "cases"
    if show not in QUEUE_LISTS:
        show = "cases"
        notes.append(
            "Show: choose case submissions or written answers; case submissions are shown."
        )
    filters = QueueFilters()
    if raw := args.get("cohort"):
        filters.cohort_id = whole_number(raw)
        if filters.cohort_id not in cohort_ids:
            filters.cohort_id = None
            notes.append("Cohort: that is not a cohort you can choose, so it is not applied.")
    if raw := args.get("assessment"):
        filters.assessment_id = whole_number(raw)
        if filters.assessment_id not in assessment_ids:
            filters.assessment_id = None
            notes.append("Assessment: there is no such assessment, so it is not applied.")
    if raw := args.get("state"):
        if raw in QUEUE_STATES:
            filters.state = raw
        else:
            notes.append("State: choose one of the states listed; it is not applied.")
    if raw := args.get("older_than"):
        filters.older_than_days = whole_number(raw, high=MAX_WAITING_DAYS)
        if filters.older_than_days is None:
            notes.append(
                f"Waiting at least (days): give a whole number from 0 to {MAX_WAITING_DAYS}; "
                "it is not applied."
            )
    pages = {
        "cases": _page_number(args.get("page"), "Case submissions", notes),
        "written": _page_number(args.get("written_page"), "Written answers", notes),
    }
    return show, filters, pages, notes


def queue_cohorts(user: User) -> list:
    """The cohorts the user may filter by: an admin any, a tutor those they lead."""
    query = sa.select(Cohort.id, Cohort.name).order_by(Cohort.name)
    if user.role != Role.ADMIN:
        query = query.where(Cohort.lead_tutor_id == user.id)
    return db.session.execute(query).all()


def assessment_choices() -> list:
    """Live assessments' ids and titles only (the rubric and tasks are not needed here)."""
    return db.session.execute(
        sa.select(CaseAssessment.id, CaseAssessment.title)
        .where(CaseAssessment.retired_at.is_(None))
        .order_by(CaseAssessment.group, CaseAssessment.title)
    ).all()


def _in_cohort(column, cohort_id: int):
    return column.in_(
        sa.select(CohortMembership.user_id).where(CohortMembership.cohort_id == cohort_id)
    )


def _waiting_submissions(user: User, filters: QueueFilters, moment: datetime) -> list:
    """Conditions for the case submissions the user may mark, without the state filter."""
    conditions = [Submission.state.in_(QUEUE_STATES), Submission.trainee_id != user.id]
    if user.role != Role.ADMIN:
        conditions.append(Submission.trainee_id.in_(taught_trainee_ids(user)))
    if filters.cohort_id:
        conditions.append(_in_cohort(Submission.trainee_id, filters.cohort_id))
    if filters.assessment_id:
        conditions.append(Submission.assessment_id == filters.assessment_id)
    if filters.older_than_days:
        since = moment - timedelta(days=filters.older_than_days)
        conditions.append(Submission.submitted_at <= since)
    return conditions


def _written_answers(user: User, filters: QueueFilters, moment: datetime) -> list:
    """Conditions for written answers waiting for a mark: any tutor may mark them.

    The cohort and waiting-time filters apply; assessment and state belong to case plans.
    """
    conditions = [
        AttemptQuestion.needs_marking.is_(True),
        Attempt.state == AttemptState.AWAITING_GRADING,
        Attempt.user_id != user.id,
    ]
    if filters.cohort_id:
        conditions.append(_in_cohort(Attempt.user_id, filters.cohort_id))
    if filters.older_than_days:
        since = moment - timedelta(days=filters.older_than_days)
        conditions.append(Attempt.submitted_at <= since)
    return conditions


def queue_counts(user: User, filters: QueueFilters, moment: datetime) -> dict[str, int]:
    """Case submissions waiting in each state, and written answers, counted in one statement.

    The state filter is left out so that the tutor sees what the other states hold.
    """
    cases = (
        sa.select(Submission.state.label("what"), sa.func.count().label("n"))
        .where(*_waiting_submissions(user, filters, moment))
        .group_by(Submission.state)
    )
    written = (
        sa.select(sa.literal("written").label("what"), sa.func.count().label("n"))
        .select_from(AttemptQuestion)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .where(*_written_answers(user, filters, moment))
    )
    counts = dict.fromkeys((*QUEUE_STATES, "written"), 0)
    counts.update({what: n for what, n in db.session.execute(sa.union_all(cases, written))})
    return counts


def queue_page(user: User, filters: QueueFilters, moment: datetime, number: int, total: int):
    """One page of waiting submissions, oldest first (an admin's own cohorts before others).

    Only the columns the table shows are read; the page's ids are chosen first so that
    names, titles and version counts are looked up for those rows alone.
    """
    conditions = _waiting_submissions(user, filters, moment)
    if filters.state:
        conditions.append(Submission.state == filters.state)
    # A tutor sees only their own cohorts' work, so only an admin's rows need sorting by it.
    own = (
        sa.case((Submission.trainee_id.in_(taught_trainee_ids(user)), 0), else_=1)
        if user.role == Role.ADMIN
        else sa.literal(0)
    )
    chosen = (
        sa.select(Submission.id, own.label("own"), Submission.submitted_at)
        .where(*conditions)
        .order_by(own, Submission.submitted_at, Submission.id)
        .limit(PAGE_SIZE)
        .offset((number - 1) * PAGE_SIZE)
        .subquery()
    )
    versions = (
        sa.select(sa.func.count(SubmissionVersion.id))
        .where(SubmissionVersion.submission_id == Submission.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(
            Submission.id,
            Submission.state,
            Submission.moderation,
            Submission.submitted_at,
            User.full_name.label("trainee_name"),
            CaseAssessment.title.label("assessment_title"),
            versions.label("versions"),
            (chosen.c.own == 0).label("own"),
        )
        .join(chosen, chosen.c.id == Submission.id)
        .join(User, User.id == Submission.trainee_id)
        .join(CaseAssessment, CaseAssessment.id == Submission.assessment_id)
        .order_by(chosen.c.own, chosen.c.submitted_at, chosen.c.id)
    ).all()
    return Page(rows, number, total)


def written_page(user: User, filters: QueueFilters, moment: datetime, number: int, total: int):
    """One page of written quiz answers waiting for a mark, oldest first.

    The question is named by its key (the ``id`` in its file), not read from the version's
    JSON, which the database would have to parse row by row.
    """
    chosen = (
        sa.select(
            AttemptQuestion.id,
            AttemptQuestion.question_version_id,
            AttemptQuestion.position,
            Attempt.id.label("attempt_id"),
            Attempt.quiz_id,
            Attempt.submitted_at,
        )
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .where(*_written_answers(user, filters, moment))
        .order_by(Attempt.submitted_at, Attempt.id, AttemptQuestion.position)
        .limit(PAGE_SIZE)
        .offset((number - 1) * PAGE_SIZE)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            chosen.c.id,
            Quiz.title.label("quiz_title"),
            Question.key.label("question"),
            chosen.c.submitted_at,
        )
        .join(Quiz, Quiz.id == chosen.c.quiz_id)
        .join(QuestionVersion, QuestionVersion.id == chosen.c.question_version_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .order_by(chosen.c.submitted_at, chosen.c.attempt_id, chosen.c.position)
    ).all()
    return Page(rows, number, total)


def tutor_queue(user: User, args, moment: datetime) -> QueueView:
    """The marking queue page from its query string: filters checked, one list's page read.

    Both lists are counted (the tabs show the counts); only the list shown is read.
    """
    cohorts = queue_cohorts(user)
    assessments = assessment_choices()
    show, filters, pages, notes = read_filters(
        args, {c.id for c in cohorts}, {a.id for a in assessments}
    )
    counts = queue_counts(user, filters, moment)
    written_total = counts.pop("written")
    cases_total = counts[filters.state] if filters.state else sum(counts.values())
    cases = Page([], pages["cases"], cases_total)
    written = Page([], pages["written"], written_total)
    if show == "cases":
        number = _fit(cases, "Case submissions", notes)
        cases = queue_page(user, filters, moment, number, cases_total)
    else:
        number = _fit(written, "Written answers", notes)
        written = written_page(user, filters, moment, number, written_total)
    return QueueView(show, filters, notes, cohorts, assessments, counts, cases, written)


def current_mark(submission: Submission, role: str = "first") -> Mark | None:
    number = submission.latest.number
    return next(
        (m for m in submission.marks if m.version_number == number and m.role == role), None
    )


def mark_that_counts(submission: Submission) -> Mark | None:
    """The released mark: the moderated, agreed one if there is one, else the first marker's."""
    number = max((m.version_number for m in submission.marks), default=None)
    marks = [m for m in submission.marks if m.version_number == number and m.state == "final"]
    return next((m for m in marks if m.role == "agreed"), None) or next(
        (m for m in marks if m.role == "first"), None
    )


def open_for_marking(submission: Submission, tutor: User, moment: datetime) -> list[User]:
    """Note that the tutor has it open; return the others who opened it recently."""
    updated = db.session.execute(
        sa.update(MarkingPresence)
        .where(MarkingPresence.submission_id == submission.id, MarkingPresence.user_id == tutor.id)
        .values(seen_at=moment)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not updated:
        try:
            with db.session.begin_nested():
                db.session.add(
                    MarkingPresence(submission_id=submission.id, user_id=tutor.id, seen_at=moment)
                )
        except IntegrityError:
            pass
    return list(
        db.session.scalars(
            sa.select(User)
            .join(MarkingPresence, MarkingPresence.user_id == User.id)
            .where(
                MarkingPresence.submission_id == submission.id,
                MarkingPresence.user_id != tutor.id,
                MarkingPresence.seen_at >= moment - PRESENCE_WINDOW,
            )
        )
    )


def save_mark(
    submission: Submission,
    tutor: User,
    *,
    role: str,
    expected_lock: int,
    raw_selections: dict,
    overall_feedback: str,
    outcome: str | None,
    finalise: bool,
    moment: datetime,
) -> Mark:
    """Save a draft or final mark, refusing it if someone saved since ``expected_lock``."""
    if not can_mark(tutor, submission):
        raise GradingError("You cannot mark this submission.")
    allowed_states = {
        "first": (states.SUBMITTED, states.BEING_MARKED, states.AWAITING_RELEASE),
        "second": (states.AWAITING_RELEASE,),
    }[role]
    if submission.state not in allowed_states:
        raise GradingError(
            f"This submission is {states.TUTOR_LABELS[submission.state].lower()}: "
            "it cannot be marked now."
        )
    if role == "second":
        first = current_mark(submission, "first")
        if submission.moderation not in ("selected", "second_marked"):
            raise GradingError("This submission has not been chosen for moderation.")
        if first is not None and first.marker_id == tutor.id:
            raise GradingError("The second marker must be someone other than the first marker.")
    rubric = submission.assessment.rubric
    selections, problems = rubrics.clean_selections(rubric, raw_selections)
    if problems:
        raise GradingError("; ".join(problems.values()), "rubric")
    if outcome not in (None, "", "pass", "refer", "return"):
        raise GradingError("Choose pass, refer or return for resubmission.", "outcome")
    score = rubrics.score(rubric, selections)
    if finalise:
        if not score.complete:
            raise GradingError(
                "Choose a level for every criterion before finishing the mark.", "rubric"
            )
        if not outcome:
            raise GradingError("Choose an outcome before finishing the mark.", "outcome")
    mark = current_mark(submission, role)
    values = dict(
        selections=selections,
        overall_feedback=(overall_feedback or "")[:MAX_TEXT],
        outcome=outcome or None,
        total=score.total if score.complete else None,
        maximum=score.maximum,
        marker_id=tutor.id,
        updated_at=moment,
        state="final" if finalise else "draft",
    )
    before = _mark_summary(mark)
    if mark is None:
        if expected_lock != 0:
            raise MarkConflict("Someone else started this mark since you opened the page.")
        mark = Mark(
            submission_id=submission.id,
            version_number=submission.latest.number,
            role=role,
            rubric=rubric,
            lock_version=1,
            created_at=moment,
            **values,
        )
        try:
            with db.session.begin_nested():
                db.session.add(mark)
        except IntegrityError:
            raise MarkConflict("Someone else started this mark at the same moment.") from None
    else:
        saved = db.session.execute(
            sa.update(Mark)
            .where(Mark.id == mark.id, Mark.lock_version == expected_lock)
            .values(lock_version=Mark.lock_version + 1, **values)
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.refresh(mark)
        if not saved:
            who = mark.marker.full_name if mark.marker else "Another tutor"
            raise MarkConflict(
                f"{who} saved this mark at {mark.updated_at:%H:%M} since you "
                "opened it. Your work has not been saved: it is shown below so "
                "you can copy it; reload to see their version."
            )
    after = _mark_summary(mark)
    if before != after:
        record(
            tutor,
            "mark.saved",
            "submission",
            submission.id,
            role=role,
            version=mark.version_number,
            **{"from": before, "to": after},
        )
    if role == "first":
        if submission.state == states.SUBMITTED:
            _move(submission, states.BEING_MARKED, tutor, "tutor", moment)
        if finalise and submission.state == states.BEING_MARKED:
            _move(submission, states.AWAITING_RELEASE, tutor, "tutor", moment, outcome=outcome)
        elif not finalise and submission.state == states.AWAITING_RELEASE:
            _move(submission, states.BEING_MARKED, tutor, "tutor", moment)
    elif finalise:
        submission.moderation = "second_marked"
    db.session.flush()
    return mark


def _mark_summary(mark: Mark | None) -> dict | None:
    if mark is None:
        return None
    return {
        "state": mark.state,
        "outcome": mark.outcome,
        "total": None if mark.total is None else str(mark.total),
        "levels": {k: v.get("level") for k, v in mark.selections.items()},
    }


def release(submission: Submission, actor: User, moment: datetime) -> None:
    """Show the mark to the trainee: the outcome takes effect and the trainee is told."""
    if not can_mark(actor, submission):
        raise GradingError("You cannot release this mark.")
    if submission.state != states.AWAITING_RELEASE:
        raise GradingError("Only a finished mark that is not yet released can be released.")
    if submission.moderation in ("selected", "second_marked"):
        raise GradingError(
            "This submission is being moderated: an administrator must agree "
            "the mark before it is released."
        )
    mark = mark_that_counts(submission)
    if mark is None or mark.outcome is None:
        raise GradingError("There is no finished mark to release.")
    target = states.OUTCOME_STATE[mark.outcome]
    _move(submission, target, actor, "tutor", moment, mark=mark.id)
    submission.released_at = moment
    notify(
        submission.trainee,
        f"Your mark for {submission.assessment.title} has been released: "
        f"{states.TRAINEE_LABELS[target].lower()}.",
        f"/cases/{submission.assessment.slug}",
    )
    if target == states.PASSED:
        _record_cpd(submission, moment)
    db.session.flush()


def _record_cpd(submission: Submission, moment: datetime) -> None:
    """A passed case assessment is a CPD activity (once), when the CPD ledger is present."""
    try:
        from academy.cpd.services import record_completion
    except ImportError:  # the CPD ledger arrives with its own issue
        return
    assessment = submission.assessment
    record_completion(
        submission.trainee_id,
        "case_assessment",
        assessment.slug,
        assessment.title,
        assessment.cpd_hours,
        moment,
        f"/cases/{assessment.slug}",
    )


# --- Moderation -----------------------------------------------------------------------------


def select_for_moderation(submission_ids: list[int], admin: User) -> int:
    """Choose marked, unreleased submissions for a second marker."""
    chosen = 0
    for submission in db.session.scalars(
        sa.select(Submission).where(
            Submission.id.in_(submission_ids),
            Submission.state == states.AWAITING_RELEASE,
            Submission.moderation.is_(None),
        )
    ):
        submission.moderation = "selected"
        record(admin, "moderation.selected", "submission", submission.id)
        chosen += 1
    db.session.flush()
    return chosen


def resolve_moderation(submission: Submission, admin: User, choice: str, moment: datetime) -> Mark:
    """The admin agrees the mark (the first or the second marker's); the agreed one is released."""
    if submission.moderation != "second_marked":
        raise GradingError("Both markers must have finished before the mark can be agreed.")
    chosen = current_mark(submission, choice if choice in ("first", "second") else "")
    if chosen is None or chosen.state != "final":
        raise GradingError("Choose the first or the second marker's mark.", "choice")
    agreed = Mark(
        submission_id=submission.id,
        version_number=chosen.version_number,
        role="agreed",
        marker_id=admin.id,
        state="final",
        selections=dict(chosen.selections),
        overall_feedback=chosen.overall_feedback,
        outcome=chosen.outcome,
        total=chosen.total,
        maximum=chosen.maximum,
        rubric=chosen.rubric,
        lock_version=1,
        created_at=moment,
        updated_at=moment,
    )
    db.session.add(agreed)
    submission.moderation = "resolved"
    record(
        admin,
        "moderation.resolved",
        "submission",
        submission.id,
        chose=choice,
        outcome=chosen.outcome,
        total=str(chosen.total),
    )
    db.session.flush()
    return agreed


def audit_trail(submission: Submission) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.subject_type == "submission", AuditEntry.subject_id == submission.id)
            .order_by(AuditEntry.created_at, AuditEntry.id)
        )
    )


def disagreement(first: Mark | None, second: Mark | None) -> list[str]:
    """Where two markers differ: criteria at different levels, and the outcome."""
    if first is None or second is None:
        return []
    notes = []
    for criterion in first.rubric["criteria"]:
        levels = criterion["levels"]
        a = (first.selections.get(criterion["key"]) or {}).get("level")
        b = (second.selections.get(criterion["key"]) or {}).get("level")
        if a != b:
            first_label = levels[a]["label"] if a is not None else "—"
            second_label = levels[b]["label"] if b is not None else "—"
            notes.append(f"{criterion['title']}: {first_label} / {second_label}")
    if first.outcome != second.outcome:
        notes.append(f"Outcome: {first.outcome} / {second.outcome}")
    return notes


# --- Attachments ----------------------------------------------------------------------------

MAX_ATTACHMENTS = 5
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def add_attachment(submission: Submission, storage, stream, original_name: str, moment: datetime):
    """Keep an image or PDF with the draft, checked by its content and size."""
    from academy.grading.models import Attachment
    from academy.storage import IMAGES_AND_PDF

    if submission.state != states.DRAFT:
        raise GradingError("Files can only be added to a draft.", "file")
    version = submission.latest
    if len(version.attachments) >= MAX_ATTACHMENTS:
        raise GradingError(f"A plan can have at most {MAX_ATTACHMENTS} files.", "file")
    stored = storage.save(stream, original_name, IMAGES_AND_PDF, ATTACHMENT_MAX_BYTES)
    attachment = Attachment(
        version_id=version.id,
        original_name=(original_name or "file")[:200],
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        storage_key=stored.key,
        uploaded_at=moment,
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def attachment_for(user: User, attachment_id: int):
    """The attachment if the user may see it (its trainee, or who may mark it), else None."""
    from academy.grading.models import Attachment

    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or not can_view(user, attachment.version.submission):
        return None
    return attachment
