"""The CPD record: count each completed activity once, cycles and targets, gaps, exports.

Plain functions over the session: settings (target, cycle start) and the clock's "today"
are handed in by the caller, files come through a storage object, and they flush (the
request commits).
"""

from __future__ import annotations

import csv
import io
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from academy.audit.models import record
from academy.auth.models import Role, User
from academy.cohorts.models import Cohort, CohortMembership
from academy.cpd.models import (
    Activity,
    CpdEntry,
    EvidenceFile,
    ExternalActivity,
    ExternalStatus,
)
from academy.extensions import db
from academy.storage import StoredFile

HOURS = Decimal("0.01")
GAP_MONTHS = 3

# Ways of learning a regulator recognises (after the HCPC's list), for external CPD.
METHODS = {
    "course": "Course or workshop",
    "conference": "Conference or seminar",
    "device_training": "Manufacturer's device training",
    "supervised_practice": "Supervised practice",
    "work_based": "Work-based learning (case review, reflective practice)",
    "professional": "Professional activity (teaching, mentoring, a committee)",
    "self_directed": "Self-directed learning (reading, online learning)",
    "other": "Other",
}


def hours(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(HOURS)


# --- Counting academy activities, exactly once -------------------------------------------


def record_completion(
    user_id: int,
    activity: str,
    reference: str,
    title: str,
    hours: Decimal,
    completed_at: datetime,
    evidence_url: str | None,
) -> bool:
    """Add a completed academy activity to the user's CPD record; True if newly recorded.

    ``activity`` is "module", "quiz" or "case_assessment" and ``reference`` names what was
    completed (a slug or an id). The unique key (user, activity, reference) keeps one entry
    however often, or however simultaneously, the completion is reached again. A new entry
    is a completion event, so it also checks whether the course is now complete.
    """
    if activity not in Activity.ACADEMY:
        raise ValueError(f"unknown CPD activity {activity!r}")
    entry = CpdEntry(
        user_id=user_id,
        activity=activity,
        reference=str(reference)[:120],
        title=title[:200],
        hours=_hours(hours),
        completed_at=completed_at,
        evidence_url=evidence_url,
    )
    try:
        with db.session.begin_nested():
            db.session.add(entry)
    except IntegrityError:
        return False
    from academy.certificates import services as certificates  # certificates build on CPD

    certificates.check_course_completion(user_id, completed_at)
    return True


def _hours(value) -> Decimal:
    return hours(value)


def on_module_completed(user_id: int, module, completed_at: datetime) -> bool:
    """The hook the reader calls when a module is newly completed."""
    return record_completion(
        user_id,
        Activity.MODULE,
        module.slug,
        module.title,
        module.cpd_hours,
        completed_at,
        f"/modules/{module.slug}",
    )


def on_quiz_passed(user_id: int, quiz, attempt) -> bool:
    """The hook the quizzes call when a finished attempt passes (module quizzes earn 0 h)."""
    return record_completion(
        user_id,
        Activity.QUIZ,
        quiz.slug,
        quiz.title,
        quiz.cpd_hours or Decimal(0),
        attempt.finished_at or attempt.submitted_at,
        f"/attempts/{attempt.id}/review",
    )


# --- Cycles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cycle:
    start: date
    end: date  # the first day of the next cycle

    @property
    def last_day(self) -> date:
        return date.fromordinal(self.end.toordinal() - 1)

    @property
    def label(self) -> str:
        if self.start.year == self.last_day.year:
            return str(self.start.year)
        return f"{self.start.year}–{self.last_day.year}"


def parse_cycle_start(text: str) -> tuple[int, int]:
    """'MM-DD' as (month, day); a bad value falls back to 1 January."""
    try:
        month, day = (int(part) for part in str(text).split("-"))
        date(2001, month, day)  # not a leap year: 29 February is refused
        return month, day
    except (ValueError, TypeError):
        return 1, 1


def cycle_containing(day: date, cycle_start: str = "01-01") -> Cycle:
    month, first = parse_cycle_start(cycle_start)
    start = date(day.year, month, first)
    if day < start:
        start = date(day.year - 1, month, first)
    return Cycle(start, date(start.year + 1, month, first))


def cycle_by_label(label: str, cycle_start: str = "01-01") -> Cycle | None:
    """The cycle that starts in the year ``label`` begins with ("2026" or "2026–2027")."""
    try:
        year = int(str(label)[:4])
    except ValueError:
        return None
    if not 1990 <= year <= 2200:
        return None
    month, first = parse_cycle_start(cycle_start)
    return cycle_containing(date(year, month, first), cycle_start)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


# --- The record ---------------------------------------------------------------------------


@dataclass
class RecordLine:
    """One line of the CPD record, from the academy's ledger or the trainee's own entries."""

    day: date
    title: str
    activity: str
    type_label: str
    hours: Decimal
    participatory_hours: Decimal
    evidence_url: str | None
    status: str
    provider: str = "SMP Removal Academy"
    external: ExternalActivity | None = None

    @property
    def activity_label(self) -> str:
        return Activity.LABELS[self.activity]


# Built once: the CPD record and the dashboard read these on every visit, and building a
# statement costs more than running one of these.
@cache
def _entries_of_user() -> sa.Select:
    return (
        sa.select(CpdEntry)
        .where(CpdEntry.user_id == sa.bindparam("user_id"))
        .order_by(CpdEntry.completed_at)
    )


@cache
def _external_activities_of_user() -> sa.Select:
    return (
        sa.select(ExternalActivity)
        .where(ExternalActivity.user_id == sa.bindparam("user_id"))
        .order_by(ExternalActivity.end_date, ExternalActivity.id)
    )


def record_lines(
    user_id: int, start: date | None = None, end: date | None = None
) -> list[RecordLine]:
    """The user's CPD record between ``start`` and ``end`` (exclusive), oldest first."""
    given = {"user_id": user_id}
    entries = db.session.scalars(_entries_of_user(), given)
    externals = db.session.scalars(_external_activities_of_user(), given)
    lines = [
        RecordLine(
            day=entry.completed_at.date(),
            title=entry.title,
            activity=entry.activity,
            type_label=Activity.LABELS[entry.activity],
            hours=hours(entry.hours),
            participatory_hours=Decimal("0.00"),
            evidence_url=entry.evidence_url,
            status="Recorded by the academy",
        )
        for entry in entries
    ]
    lines += [
        RecordLine(
            day=item.end_date,
            title=item.title,
            activity=Activity.EXTERNAL,
            type_label=METHODS.get(item.method, item.method),
            hours=hours(item.hours),
            participatory_hours=hours(item.participatory_hours),
            evidence_url=f"/cpd/external/{item.id}",
            status=item.status_label,
            provider=item.provider,
            external=item,
        )
        for item in externals
    ]
    lines = [
        line
        for line in lines
        if (start is None or line.day >= start) and (end is None or line.day < end)
    ]
    lines.sort(key=lambda line: (line.day, line.title))
    return lines


@dataclass
class CycleSummary:
    cycle: Cycle
    target: Decimal
    total: Decimal
    participatory: Decimal
    by_type: list[tuple[str, Decimal]]
    lines: list[RecordLine]

    @property
    def percent(self) -> int:
        if not self.target:
            return 100
        return min(100, round(100 * self.total / self.target))

    @property
    def remaining(self) -> Decimal:
        return max(Decimal("0.00"), self.target - self.total)


def summarise(lines: list[RecordLine], cycle: Cycle, target) -> CycleSummary:
    """Hours in the cycle against the target, split by type (largest first)."""
    inside = [line for line in lines if cycle.start <= line.day < cycle.end]
    by_type: dict[str, Decimal] = {}
    for line in inside:
        by_type[line.type_label] = by_type.get(line.type_label, Decimal(0)) + line.hours
    return CycleSummary(
        cycle=cycle,
        target=hours(target),
        total=hours(sum((line.hours for line in inside), Decimal(0))),
        participatory=hours(sum((line.participatory_hours for line in inside), Decimal(0))),
        by_type=sorted(
            ((label, hours(value)) for label, value in by_type.items()),
            key=lambda item: (-item[1], item[0]),
        ),
        lines=inside,
    )


def cycle_summary(user_id: int, today: date, target, cycle_start: str = "01-01") -> CycleSummary:
    cycle = cycle_containing(today, cycle_start)
    return summarise(record_lines(user_id, cycle.start, cycle.end), cycle, target)


@dataclass
class MonthHours:
    month: date
    hours: Decimal
    cumulative: Decimal

    @property
    def label(self) -> str:
        return self.month.strftime("%b %Y")


def monthly_hours(lines: Iterable[RecordLine], cycle: Cycle) -> list[MonthHours]:
    """Hours in each month of the cycle, with the running total."""
    months = []
    day = cycle.start.replace(day=1)
    while day < cycle.end:
        months.append(day)
        day = add_months(day, 1)
    totals = {month: Decimal(0) for month in months}
    for line in lines:
        key = line.day.replace(day=1)
        if key in totals and cycle.start <= line.day < cycle.end:
            totals[key] += line.hours
    result, running = [], Decimal(0)
    for month in months:
        running += totals[month]
        result.append(MonthHours(month, hours(totals[month]), hours(running)))
    return result


@dataclass(frozen=True)
class Gap:
    start: date  # the last activity before the gap (or when the record began)
    end: date  # the next activity (or today)
    ongoing: bool

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def find_gaps(
    days: Iterable[date], since: date, today: date, months: int = GAP_MONTHS
) -> list[Gap]:
    """Stretches of ``months`` months or more with no CPD activity, from ``since`` to today."""
    points = sorted({d for d in days if since <= d <= today})
    gaps, previous = [], since
    for day in points:
        if day >= add_months(previous, months):
            gaps.append(Gap(previous, day, False))
        previous = day
    if today >= add_months(previous, months):
        gaps.append(Gap(previous, today, True))
    return gaps


def gaps_for(user: User, lines: list[RecordLine], today: date) -> list[Gap]:
    return find_gaps((line.day for line in lines), user.created_at.date(), today)


# --- Exports ------------------------------------------------------------------------------

CSV_COLUMNS = [
    "date",
    "activity",
    "type",
    "title",
    "provider",
    "hours",
    "participatory hours",
    "status",
    "evidence",
    "relevance to practice",
    "what I learned",
    "how it changes my practice",
    "benefit to clients",
]


def record_csv(lines: list[RecordLine], base_url: str = "") -> str:
    """The record as CSV, one row per activity, safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for line in lines:
        item = line.external
        evidence = ""
        if line.evidence_url:
            evidence = base_url + line.evidence_url
        writer.writerow(
            [
                line.day.isoformat(),
                line.activity_label,
                _safe(line.type_label),
                _safe(line.title),
                _safe(line.provider),
                f"{line.hours:.2f}",
                f"{line.participatory_hours:.2f}",
                line.status,
                evidence,
                _safe(item.relevance) if item else "",
                _safe(item.learned) if item else "",
                _safe(item.practice_change) if item else "",
                _safe(item.client_benefit) if item else "",
            ]
        )
    return out.getvalue()


def _safe(value: str) -> str:
    """Stop a spreadsheet treating a title like '=HYPERLINK(...)' as a formula."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# --- Who may see whose record -------------------------------------------------------------


def lead_tutors_of(trainee_id: int) -> list[User]:
    """The lead tutors of the trainee's cohorts, by cohort name."""
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Cohort, Cohort.lead_tutor_id == User.id)
            .join(CohortMembership, CohortMembership.cohort_id == Cohort.id)
            .where(CohortMembership.user_id == trainee_id)
            .order_by(Cohort.name)
        )
    )


def may_see_trainee(viewer: User, trainee_id: int) -> bool:
    """The trainee, a lead tutor of one of their cohorts, or an admin."""
    if viewer.role == Role.ADMIN or viewer.id == trainee_id:
        return True
    if viewer.role != Role.TUTOR:
        return False
    return any(tutor.id == viewer.id for tutor in lead_tutors_of(trainee_id))


# --- External CPD ------------------------------------------------------------------------

EXTERNAL_FIELDS = (
    "title",
    "provider",
    "method",
    "start_date",
    "end_date",
    "hours",
    "participatory_hours",
    "relevance",
    "learned",
    "practice_change",
    "client_benefit",
)


@dataclass
class NewEvidence:
    original_name: str
    stored: StoredFile


@dataclass
class ExternalChange:
    values: dict
    add: list[NewEvidence] = field(default_factory=list)
    remove_ids: list[int] = field(default_factory=list)


def save_external(
    user_id: int, change: ExternalChange, moment: datetime, activity: ExternalActivity | None = None
) -> tuple[ExternalActivity, list[str]]:
    """Create or update an external activity; return it and the storage keys to delete.

    An edited entry goes back to "not yet reviewed": a tutor's verification covered the
    entry as it was.
    """
    values = {name: change.values[name] for name in EXTERNAL_FIELDS}
    values["hours"] = hours(values["hours"])
    values["participatory_hours"] = hours(values["participatory_hours"])
    if activity is None:
        activity = ExternalActivity(user_id=user_id, created_at=moment, **values)
        db.session.add(activity)
    else:
        for name, value in values.items():
            setattr(activity, name, value)
        activity.status = ExternalStatus.PENDING
    activity.updated_at = moment
    removed = []
    for evidence in list(activity.evidence):
        if evidence.id in change.remove_ids:
            removed.append(evidence.storage_key)
            activity.evidence.remove(evidence)
    for item in change.add:
        activity.evidence.append(
            EvidenceFile(
                original_name=item.original_name[:200],
                content_type=item.stored.content_type,
                size=item.stored.size,
                sha256=item.stored.sha256,
                storage_key=item.stored.key,
                uploaded_at=moment,
            )
        )
    db.session.flush()
    return activity, removed


def delete_external(activity: ExternalActivity) -> list[str]:
    """Remove an entry the trainee no longer wants; return the storage keys to delete."""
    keys = [evidence.storage_key for evidence in activity.evidence]
    db.session.delete(activity)
    db.session.flush()
    return keys


REVIEW_DECISIONS = {
    "verify": ExternalStatus.VERIFIED,
    "query": ExternalStatus.QUERIED,
}


def review_external(
    activity: ExternalActivity, reviewer: User, decision: str, note: str, moment: datetime
) -> None:
    """A tutor verifies or queries an external entry; the audit trail keeps who and why."""
    status = REVIEW_DECISIONS[decision]
    previous = activity.status
    activity.status = status
    activity.reviewed_by_id = reviewer.id
    activity.reviewed_at = moment
    activity.review_note = note.strip() or None
    record(
        reviewer,
        f"cpd.external.{decision}",
        "cpd_external_activity",
        activity.id,
        trainee_id=activity.user_id,
        previous=previous,
        note=note.strip(),
    )
    db.session.flush()


def awaiting_review(reviewer: User) -> list[ExternalActivity]:
    """External entries not yet verified, of trainees in the reviewer's cohorts (all: admin)."""
    query = (
        sa.select(ExternalActivity)
        .where(ExternalActivity.status != ExternalStatus.VERIFIED)
        .order_by(ExternalActivity.updated_at)
    )
    if reviewer.role != Role.ADMIN:
        query = query.where(
            ExternalActivity.user_id.in_(
                sa.select(CohortMembership.user_id)
                .join(Cohort, Cohort.id == CohortMembership.cohort_id)
                .where(Cohort.lead_tutor_id == reviewer.id)
            )
        )
    return list(db.session.scalars(query))
