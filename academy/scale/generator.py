"""Fill a database with an academy's worth of generated activity, for benchmarks and demos.

In the spirit of Moodle's test-site generator: named sizes (S, M, XL), deterministic from a
seed (and the day it is anchored to), built on the content already loaded (real modules,
lessons, quizzes, question versions and case assessments), so every page works on it.

Fast by construction: rows are built as plain dicts with ids allocated here, and written
with SQLAlchemy Core ``insert()`` executemany in batches, in one transaction (no ORM object
per row, no flush per row). Every account shares one precomputed argon2 hash of
``PASSWORD``. Plain functions over an engine: no Flask request, no ``current_app``.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

import sqlalchemy as sa

from academy.auth.models import Role, User
from academy.auth.passwords import hash_password
from academy.catalogue.models import Lesson, LessonRead, Module, ModuleCompletion
from academy.certificates import signing
from academy.certificates.models import Certificate, CertificateKind
from academy.certificates.services import COURSE_SCOPE, COURSE_TITLE, FINAL_ASSESSMENT
from academy.cohorts.models import Cohort, CohortMembership, InviteCode
from academy.cpd.models import Activity, CpdEntry, ExternalActivity, ExternalStatus
from academy.cpd.services import METHODS as CPD_METHODS
from academy.grading import rubric as rubrics
from academy.grading import states
from academy.grading.loader import METHODS as PLAN_METHODS
from academy.grading.models import (
    CaseAssessment,
    Mark,
    Notification,
    Submission,
    SubmissionVersion,
)
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
from academy.simulator.models import SavedRun

DOMAIN = "scale.example.com"
# Printed by the command, for benchmarks and demos to log in with: generated data only.
PASSWORD = "scale-pendle-hill-rossendale"  # noqa: S105
ADMIN_EMAIL = f"admin@{DOMAIN}"
EPOCH = datetime(2000, 1, 1)


def trainee_email(number: int) -> str:
    return f"trainee{number:05d}@{DOMAIN}"


def tutor_email(number: int) -> str:
    return f"tutor{number:03d}@{DOMAIN}"


@dataclass(frozen=True)
class Size:
    name: str
    trainees: int
    tutors: int
    cohorts: int


SIZES = {
    "S": Size("S", 100, 4, 4),
    "M": Size("M", 1_000, 10, 20),
    "XL": Size("XL", 10_000, 100, 200),
}


class GeneratorError(Exception):
    """The database is not ready for generated data (no content, or generated already)."""


@dataclass
class Report:
    size: Size
    seed: int
    anchor: date
    seconds: float
    counts: Counter = field(default_factory=Counter)
    phases: dict[str, float] = field(default_factory=dict)


# Tables in the order their rows may be inserted (parents before children).
TABLES = [
    t.__table__
    for t in (
        User,
        Cohort,
        CohortMembership,
        InviteCode,
        SavedRun,
        LessonRead,
        Attempt,
        AttemptQuestion,
        SavedAnswer,
        ModuleCompletion,
        CpdEntry,
        Certificate,
        Submission,
        SubmissionVersion,
        Mark,
        Notification,
        ExternalActivity,
    )
]
TABLE = {t.name: t for t in TABLES}

# The columns of the trainee's timeline that move when it is fitted between sign-up and today.
TIMELINE = {
    "lesson_reads": ("read_at",),
    "quiz_attempts": ("started_at", "deadline_at", "submitted_at", "finished_at"),
    "attempt_questions": ("marked_at",),
    "saved_answers": ("saved_at",),
    "module_completions": ("completed_at",),
    "cpd_entries": ("completed_at", "recorded_at"),
}

FIRST_NAMES = [
    *("Aisha", "Ben", "Chloe", "Dan", "Ella", "Femi", "Grace", "Harry", "Isla", "Jack"),
    *("Kiran", "Leah", "Mo", "Nia", "Oliver", "Priya", "Quinn", "Rosa", "Sam", "Tariq"),
    *("Uma", "Vik", "Willow", "Xander", "Yusuf", "Zara", "Amir", "Beth", "Callum", "Dev"),
    *("Erin", "Farah", "Gareth", "Hannah", "Imran", "Jess", "Kate", "Liam", "Maya", "Noah"),
]
LAST_NAMES = [
    *("Ashworth", "Barlow", "Crossley", "Duckworth", "Entwistle", "Fielden", "Greenwood"),
    *("Haworth", "Ingham", "Jackson", "Kay", "Lord", "Mitchell", "Nuttall", "Ormerod"),
    *("Pilling", "Riley", "Schofield", "Taylor", "Whittaker", "Ahmed", "Begum", "Hussain"),
    *("Khan", "Patel", "Shah", "Kowalski", "Nowak", "Murphy", "Kelly"),
]
SENTENCES = [
    "I would confirm the pigment type and depth with a test patch before the first session.",
    "Type V skin holds more epidermal melanin, so I would use 1064 nm with a large spot.",
    "Aftercare: keep the area clean and dry, no picking, sun protection for four weeks.",
    "I would space sessions at least eight weeks apart so the skin can settle.",
    "The client's expectations need to be set: full clearance may take many sessions.",
    "Record the settings, the skin response and the client's consent at every visit.",
    "Everyone in the controlled area wears eyewear with the right optical density.",
    "Saline suits small areas and coloured pigments that respond poorly to the laser.",
]
EXTERNAL_TITLES = [
    "Laser safety refresher",
    "Core of Knowledge update",
    "Infection prevention for skin piercing",
    "Manufacturer's device training: Q-switched Nd:YAG",
    "Conference: advances in tattoo removal",
    "Supervised removal sessions at the clinic",
    "First aid at work",
    "Reading: pigment chemistry and removal",
]
PROVIDERS = ["Rossendale College", "BMLA", "Lancashire Skills Hub", "The clinic", "Self-directed"]

# Submission states, as (state, versions, weight): returned work is sometimes resubmitted.
SUBMISSION_MIX = [
    ("passed", 1, 50),
    ("referred", 1, 5),
    ("returned", 1, 6),
    ("draft", 1, 10),
    ("submitted", 1, 8),
    ("being_marked", 1, 4),
    ("awaiting_release", 1, 6),
    ("submitted", 2, 3),
    ("passed", 2, 8),
]


def _fraction(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.00001"), rounding=ROUND_HALF_UP)


def _sentences(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(n))


# --- Responses built from the questions' own data, graded once by the real types ----------


def _correct(data: dict):
    kind = data["type"]
    if kind == "single_choice":
        return next(i for i, o in enumerate(data["options"]) if o.get("correct"))
    if kind == "multiple_response":
        return [i for i, o in enumerate(data["options"]) if o.get("correct")]
    if kind == "true_false":
        return bool(data["answer"])
    if kind == "numeric":
        return {"value": str(data["answer"]), "unit": data["unit"]}
    if kind == "matching":
        return {str(i): i for i in range(len(data["pairs"]))}
    if kind == "ordering":
        return {"positions": {str(i): i + 1 for i in range(len(data["items"]))}}
    if kind == "written_answer":
        return SENTENCES[0] + " " + SENTENCES[2]
    if kind == "case_study":
        return {p["id"]: _correct(p) for p in data["questions"]}
    if kind == "laser_parameter":
        example = data.get("example") or {}
        return {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in example.items()}
    return None


def _wrong(data: dict):
    kind = data["type"]
    if kind == "single_choice":
        return next(i for i, o in enumerate(data["options"]) if not o.get("correct"))
    if kind == "multiple_response":
        return [next(i for i, o in enumerate(data["options"]) if not o.get("correct"))]
    if kind == "true_false":
        return not data["answer"]
    if kind == "numeric":
        return {"value": f"{float(data['answer']) * 3 + 7:g}", "unit": data["unit"]}
    if kind == "matching":
        n = len(data["pairs"])
        return {str(i): (i + 1) % n for i in range(n)}
    if kind == "ordering":
        n = len(data["items"])
        return {"positions": {str(i): n - i for i in range(n)}}
    if kind == "written_answer":
        return SENTENCES[4]
    if kind == "case_study":
        return {p["id"]: _wrong(p) for p in data["questions"]}
    if kind == "laser_parameter":
        response = _correct(data) or {}
        return {**response, "wavelength_nm": "532"} if response else None
    return None


@dataclass
class Variant:
    response: object
    fraction: Decimal | None
    feedback: dict
    pending: bool


@dataclass
class Version:
    id: int
    points: Decimal
    written: bool
    right: Variant
    wrong: Variant
    layouts: dict[bool, list[dict]]


def _variant(data: dict, response) -> Variant:
    kind = question_type(data["type"])
    try:
        grade = kind.grade(data, response)
    except Exception:  # a synthetic response a type cannot read: leave it unanswered
        response = None
        grade = kind.grade(data, None)
    return Variant(
        response,
        None if grade.pending else _fraction(grade.fraction),
        {"lines": grade.feedback, "parts": grade.parts},
        grade.pending,
    )


def _version(row, seed: int) -> Version:
    data = row.data
    kind = question_type(data["type"])
    layouts = {
        shuffle: [
            kind.layout(data, random.Random(f"{seed}:layout:{row.id}:{k}"), shuffle)
            for k in range(3)
        ]
        for shuffle in (True, False)
    }
    return Version(
        row.id,
        Decimal(row.points),
        data["type"] == "written_answer",
        _variant(data, _correct(data)),
        _variant(data, _wrong(data)),
        layouts,
    )


# --- Content as loaded ----------------------------------------------------------------------


@dataclass
class QuizInfo:
    id: int
    slug: str
    title: str
    module_slug: str | None
    pools: list[tuple[list[Version], int]]
    time_limit: int | None
    attempts_allowed: int | None
    pass_mark: Decimal
    wait_minutes: int
    shuffle_questions: bool
    shuffle_options: bool
    cpd_hours: Decimal


@dataclass
class Content:
    modules: list  # rows, in course order
    lessons: dict[int, list[int]]  # module id -> live lesson ids in order
    module_quiz: dict[str, QuizInfo]
    final: QuizInfo | None
    practice: list[QuizInfo]
    cases: list
    course_hours: Decimal


def load_content(conn, seed: int) -> Content:
    modules = conn.execute(
        sa.select(Module.id, Module.slug, Module.title, Module.cpd_hours)
        .where(Module.retired_at.is_(None))
        .order_by(Module.position, Module.slug)
    ).all()
    if not modules:
        raise GeneratorError(
            "No course content: run `flask --app academy content load` before generating."
        )
    lessons: dict[int, list[int]] = {}
    for lesson_id, module_id in conn.execute(
        sa.select(Lesson.id, Lesson.module_id)
        .where(Lesson.retired_at.is_(None))
        .order_by(Lesson.module_id, Lesson.position)
    ):
        lessons.setdefault(module_id, []).append(lesson_id)
    by_pool: dict[str, list[Version]] = {}
    for row in conn.execute(
        sa.select(Question.pool, QuestionVersion.id, QuestionVersion.data, QuestionVersion.points)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Question.retired_at.is_(None))
        .order_by(Question.key)
    ):
        by_pool.setdefault(row.pool, []).append(_version(row, seed))
    quizzes = []
    for q in conn.execute(sa.select(Quiz).where(Quiz.retired_at.is_(None)).order_by(Quiz.slug)):
        pools = [(by_pool.get(item["pool"], []), int(item["count"])) for item in q.draw]
        if not any(candidates for candidates, _ in pools):
            continue
        quizzes.append(
            QuizInfo(
                q.id,
                q.slug,
                q.title,
                q.module_slug,
                pools,
                q.time_limit_minutes,
                q.attempts_allowed,
                Decimal(q.pass_mark_percent),
                q.wait_minutes or 0,
                q.shuffle_questions,
                q.shuffle_options,
                Decimal(q.cpd_hours or 0),
            )
        )
    if not quizzes:
        raise GeneratorError("No quizzes: run `flask --app academy content load` first.")
    module_slugs = {m.slug for m in modules}
    module_quiz = {q.module_slug: q for q in quizzes if q.module_slug in module_slugs}
    final = next((q for q in quizzes if q.slug == FINAL_ASSESSMENT), None)
    practice = [q for q in quizzes if q.module_slug is None and q is not final]
    cases = conn.execute(
        sa.select(
            CaseAssessment.id,
            CaseAssessment.slug,
            CaseAssessment.title,
            CaseAssessment.tasks,
            CaseAssessment.rubric,
            CaseAssessment.cpd_hours,
        )
        .where(CaseAssessment.retired_at.is_(None))
        .order_by(CaseAssessment.slug)
    ).all()
    course_hours = sum((Decimal(m.cpd_hours) for m in modules), Decimal(0)) + (
        final.cpd_hours if final else Decimal(0)
    )
    return Content(modules, lessons, module_quiz, final, practice, cases, course_hours)


# --- Writing ---------------------------------------------------------------------------------


class Writer:
    """Buffer rows per table; write them in parent-before-child order in batches."""

    def __init__(self, conn, batch: int):
        self.conn = conn
        self.batch = batch
        self.rows: dict[str, list[dict]] = {t.name: [] for t in TABLES}
        self.pending = 0
        self.counts: Counter = Counter()

    def add(self, table: str, row: dict) -> None:
        self.rows[table].append(row)
        self.pending += 1
        if self.pending >= self.batch:
            self.flush()

    def extend(self, table: str, rows: list[dict]) -> None:
        self.rows[table].extend(rows)
        self.pending += len(rows)
        if self.pending >= self.batch:
            self.flush()

    def flush(self) -> None:
        for table in TABLES:
            rows = self.rows[table.name]
            if rows:
                self.conn.execute(table.insert(), rows)
                self.counts[table.name] += len(rows)
                rows.clear()
        self.pending = 0


class Ids:
    """Primary keys handed out here, after whatever the tables already hold."""

    def __init__(self, conn):
        self.next = {t.name: (conn.scalar(sa.select(sa.func.max(t.c.id))) or 0) + 1 for t in TABLES}

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


# --- The generator ---------------------------------------------------------------------------


@dataclass
class Profile:
    number: int
    user_id: int
    name: str
    created: datetime
    stage: int  # modules completed, in course order
    inactive: bool
    cohort: int
    tutor_id: int
    tutor_name: str


class Generator:
    def __init__(self, conn, size: Size, seed: int, anchor: date, key: bytes, batch: int):
        self.conn = conn
        self.size = size
        self.seed = seed
        self.now = datetime(anchor.year, anchor.month, anchor.day)
        self.key = key
        self.content = load_content(conn, seed)
        self.ids = Ids(conn)
        self.out = Writer(conn, batch)
        self.password_hash = hash_password(PASSWORD)
        self.runs = self._run_snapshots()

    def rng(self, *parts) -> random.Random:
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    # People and cohorts

    def people(self) -> list[Profile]:
        rng = self.rng("people")
        size = self.size
        tutors = []
        start = self.now - timedelta(days=900)
        admin_id = self.ids.take("users")
        self.out.add("users", self._user(admin_id, ADMIN_EMAIL, "Alex Scale", Role.ADMIN, start))
        for n in range(1, size.tutors + 1):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            user_id = self.ids.take("users")
            self.out.add("users", self._user(user_id, tutor_email(n), name, Role.TUTOR, start))
            tutors.append((user_id, name))
        cohorts = []
        for c in range(size.cohorts):
            cohort_id = self.ids.take("cohorts")
            tutor_id, tutor_name = tutors[c % len(tutors)]
            created = start + timedelta(days=c % 300)
            self.out.add(
                "cohorts",
                {
                    "id": cohort_id,
                    "name": f"Scale cohort {c + 1:03d}",
                    "description": "Generated for benchmarks.",
                    "lead_tutor_id": tutor_id,
                    "created_at": created,
                },
            )
            self.out.add(
                "invite_codes",
                {
                    "id": self.ids.take("invite_codes"),
                    "cohort_id": cohort_id,
                    "code": "".join(rng.choice(signing.CODE_ALPHABET) for _ in range(12)),
                    "created_by_id": admin_id,
                    "created_at": created,
                    "expires_at": None,
                    "max_uses": None,
                    "use_count": 0,
                    "revoked_at": None,
                },
            )
            cohorts.append((cohort_id, tutor_id, tutor_name))
        profiles = []
        stages = list(range(len(self.content.modules) + 1))
        weights = [6, 8, 9, 10, 11, 12, 13, 13, 18][: len(stages)]
        weights += [10] * (len(stages) - len(weights))
        for n in range(1, size.trainees + 1):
            r = self.rng("profile", n)
            stage = r.choices(stages, weights)[0]
            done = stage == len(self.content.modules)
            days_ago = r.uniform(120, 700) if done else r.uniform(20, 420)
            created = (self.now - timedelta(days=days_ago)).replace(microsecond=0)
            cohort_id, tutor_id, tutor_name = cohorts[(n - 1) % len(cohorts)]
            name = f"{r.choice(FIRST_NAMES)} {r.choice(LAST_NAMES)}"
            user_id = self.ids.take("users")
            user = self._user(user_id, trainee_email(n), name, Role.TRAINEE, created)
            self.out.add("users", user)
            self.out.add(
                "cohort_memberships",
                {
                    "id": self.ids.take("cohort_memberships"),
                    "cohort_id": cohort_id,
                    "user_id": user_id,
                    "joined_at": created,
                },
            )
            profiles.append(
                Profile(
                    n,
                    user_id,
                    name,
                    created,
                    stage,
                    not done and r.random() < 0.25,
                    cohort_id,
                    tutor_id,
                    tutor_name,
                )
            )
        self.out.flush()  # every user exists before anything refers to one
        return profiles

    def _user(self, user_id: int, email: str, name: str, role: Role, created: datetime) -> dict:
        return {
            "id": user_id,
            "email": email,
            "full_name": name,
            "password_hash": self.password_hash,
            "role": role,
            "active": True,
            "session_version": 1,
            "failed_login_count": 0,
            "throttled_until": None,
            "created_at": created,
            "last_login_at": None,
            "password_changed_at": created,
        }

    # One trainee's course: reading, quizzes, completions, CPD, the certificate

    def trainee(self, p: Profile) -> None:
        rng = self.rng("trainee", p.number)
        local: dict[str, list[dict]] = {name: [] for name in TIMELINE}
        t = EPOCH
        content = self.content
        final_passed_at = None
        for index, module in enumerate(content.modules):
            if index > p.stage:
                break
            lessons = content.lessons.get(module.id, [])
            current = index == p.stage
            read = rng.randint(0, len(lessons)) if current else len(lessons)
            for lesson_id in lessons[:read]:
                t += timedelta(minutes=rng.uniform(15, 2_000))
                local["lesson_reads"].append(
                    {
                        "id": self.ids.take("lesson_reads"),
                        "user_id": p.user_id,
                        "lesson_id": lesson_id,
                        "read_at": t,
                    }
                )
            quiz = content.module_quiz.get(module.slug)
            if quiz is None or read < len(lessons):
                continue
            allowed = quiz.attempts_allowed or 3
            if current:
                failures = min(rng.choice([0, 0, 1, 2]), allowed - 1)
                outcomes = [False] * failures
            else:
                n = min(rng.choices([1, 2, 3], [35, 35, 30])[0], allowed)
                outcomes = [False] * (n - 1) + [True]
            for number, passed in enumerate(outcomes, start=1):
                t, attempt = self.attempt(local, rng, p, quiz, number, t, passed)
                if attempt["passed"]:
                    self._module_done(local, p, module, quiz, attempt)
            if current and len(outcomes) < allowed and rng.random() < 0.08:
                # Left mid-attempt and never came back: the deadline has long passed.
                t, _ = self.attempt(local, rng, p, quiz, len(outcomes) + 1, t, None)
            t += timedelta(days=rng.uniform(0.5, 12))
        if p.stage >= len(content.modules) and content.final is not None:
            final = content.final
            outcomes = [True] if rng.random() < 0.7 else [False, True]
            awaiting = rng.random() < 0.05
            for number, passed in enumerate(outcomes, start=1):
                last = number == len(outcomes)
                state = AttemptState.AWAITING_GRADING if awaiting and last else None
                t, attempt = self.attempt(local, rng, p, final, number, t, passed, state=state)
                if passed and state is None:
                    self._cpd(local, p, Activity.QUIZ, final.slug, final.title,
                              final.cpd_hours, attempt["finished_at"],
                              f"/attempts/{attempt['id']}/review")  # fmt: skip
                    final_passed_at = attempt
        for quiz in content.practice:
            if p.stage >= 1 and rng.random() < 0.3:
                for number in range(1, rng.choice([1, 2]) + 1):
                    t, attempt = self.attempt(local, rng, p, quiz, number, t, rng.random() < 0.6)
                    if attempt["passed"]:
                        self._cpd(local, p, Activity.QUIZ, quiz.slug, quiz.title,
                                  quiz.cpd_hours, attempt["finished_at"],
                                  f"/attempts/{attempt['id']}/review")  # fmt: skip
                        break
        end = self._fit(local, rng, p, t)
        for table in TIMELINE:
            if table == "saved_answers":
                for row in local[table]:
                    row["sequence"] = int((row["saved_at"] - EPOCH).total_seconds() * 1000)
            self.out.extend(table, local[table])
        if final_passed_at is not None:
            self._certificate(p, final_passed_at["finished_at"])
        self.submissions(p, rng, end)
        self.external(p, rng, end)

    def _fit(self, local, rng, p: Profile, t: datetime) -> datetime:
        """Move the timeline, built from EPOCH, to start at sign-up and end before today."""
        if p.inactive:
            slack = timedelta(days=rng.uniform(15, 90))
        elif p.stage >= len(self.content.modules):
            slack = timedelta(days=rng.uniform(0.1, 200))
        else:
            slack = timedelta(days=rng.uniform(0.05, 6))
        room = max(self.now - slack - p.created, timedelta(hours=1))
        span = t - EPOCH
        scale = min(1.0, room / span) if span else 1.0
        start = p.created + timedelta(minutes=rng.uniform(10, 600)) * scale
        for table, columns in TIMELINE.items():
            for row in local[table]:
                for column in columns:
                    value = row[column]
                    if value is not None:
                        row[column] = start + (value - EPOCH) * scale
        return min(start + span * scale, self.now - timedelta(minutes=5))

    def attempt(self, local, rng, p, quiz: QuizInfo, number: int, t: datetime,
                passed: bool | None, state: str | None = None):  # fmt: skip
        """One attempt (finished; ``passed`` None: abandoned in progress) and its answers."""
        drawn: list[Version] = []
        for candidates, count in quiz.pools:
            drawn.extend(rng.sample(candidates, min(count, len(candidates))))
        if quiz.shuffle_questions:
            rng.shuffle(drawn)
        attempt_id = self.ids.take("quiz_attempts")
        limit = quiz.time_limit
        started = t + timedelta(minutes=max(quiz.wait_minutes, 1) + rng.uniform(0, 2_000))
        deadline = started + timedelta(minutes=limit) if limit else None
        took = timedelta(minutes=rng.uniform(3, (limit or 40) * 0.9))
        submitted = started + took
        in_progress = passed is None
        state = state or (AttemptState.IN_PROGRESS if in_progress else AttemptState.FINISHED)
        max_score = sum((v.points for v in drawn), Decimal(0))
        # Pick right and wrong answers until the attempt passes or fails as the story needs.
        p_right = 0.9 if passed else 0.45
        for _ in range(40):
            choices = [(v, rng.random() < p_right, rng.random() < 0.93) for v in drawn]
            written = {v.id: rng.choice([Decimal("0.5"), Decimal("0.75"), Decimal(1)])
                       for v in drawn if v.written}  # fmt: skip
            score = Decimal(0)
            for v, right, answered in choices:
                variant = v.right if right else v.wrong
                if v.written:
                    score += written[v.id] * v.points if answered else Decimal(0)
                elif answered:
                    score += variant.fraction * v.points
            percent = (
                (100 * score / max_score).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                if max_score
                else Decimal(0)
            )
            if in_progress or (percent >= quiz.pass_mark) == passed:
                break
        finished = state == AttemptState.FINISHED
        awaiting = state == AttemptState.AWAITING_GRADING
        attempt = {
            "id": attempt_id,
            "quiz_id": quiz.id,
            "user_id": p.user_id,
            "number": number,
            "state": state,
            "seed": rng.getrandbits(62),
            "started_at": started,
            "deadline_at": deadline,
            "submitted_at": None if in_progress else submitted,
            "finished_at": submitted if finished else None,
            "overdue": False,
            "score": score.quantize(Decimal("0.001")) if finished else None,
            "max_score": max_score,
            "percent": percent if finished else None,
            "passed": (percent >= quiz.pass_mark) if finished else None,
        }
        local.setdefault("quiz_attempts", []).append(attempt)
        shuffle = quiz.shuffle_options
        for position, (v, right, answered) in enumerate(choices, start=1):
            if in_progress and position > len(choices) // 2:
                answered = False
            variant = v.right if right else v.wrong
            slot_id = self.ids.take("attempt_questions")
            if in_progress:
                fraction, feedback, needs, marker, marked = None, None, False, None, None
            elif v.written:
                pending = awaiting or not answered
                fraction = None if awaiting else (written[v.id] if answered else Decimal(0))
                feedback = variant.feedback
                needs = awaiting
                marker = None if pending else p.tutor_id
                marked = None if pending else submitted
            else:
                fraction = variant.fraction if answered else Decimal(0)
                feedback = variant.feedback if answered else {
                    "lines": ["No answer was given."], "parts": []}  # fmt: skip
                needs, marker, marked = False, None, None
            local["attempt_questions"].append(
                {
                    "id": slot_id,
                    "attempt_id": attempt_id,
                    "position": position,
                    "question_version_id": v.id,
                    "layout": v.layouts[shuffle][rng.randrange(3)],
                    "max_points": v.points,
                    "fraction": fraction,
                    "feedback": feedback,
                    "needs_marking": needs,
                    "marked_by_id": marker,
                    "marked_at": marked,
                    "tutor_comment": "Clear and safe; cite the lesson next time."
                    if marker
                    else None,
                }
            )
            if answered and variant.response is not None:
                saved = started + took * (position / (len(choices) + 1))
                local["saved_answers"].append(
                    {
                        "id": self.ids.take("saved_answers"),
                        "attempt_question_id": slot_id,
                        "response": variant.response,
                        "sequence": 0,  # from the saved time, once the timeline is fitted
                        "saved_at": saved,
                    }
                )
        after = (deadline or submitted) if in_progress else submitted
        return after, attempt

    def _module_done(self, local, p: Profile, module, quiz: QuizInfo, attempt: dict) -> None:
        moment = attempt["finished_at"]
        local["module_completions"].append(
            {
                "id": self.ids.take("module_completions"),
                "user_id": p.user_id,
                "module_id": module.id,
                "completed_at": moment,
            }
        )
        self._cpd(local, p, Activity.MODULE, module.slug, module.title, module.cpd_hours,
                  moment, f"/modules/{module.slug}")  # fmt: skip
        self._cpd(local, p, Activity.QUIZ, quiz.slug, quiz.title, quiz.cpd_hours, moment,
                  f"/attempts/{attempt['id']}/review")  # fmt: skip

    def _cpd(self, local, p, activity, reference, title, hours, moment, url) -> None:
        local["cpd_entries"].append(
            {
                "id": self.ids.take("cpd_entries"),
                "user_id": p.user_id,
                "activity": activity,
                "reference": reference,
                "title": title,
                "hours": Decimal(hours).quantize(Decimal("0.01")),
                "completed_at": moment,
                "evidence_url": url,
                "recorded_at": moment,
            }
        )

    def _certificate(self, p: Profile, moment: datetime) -> None:
        certificate_id = self.ids.take("certificates")
        rng = self.rng("certificate", p.number)
        issued = moment.replace(microsecond=0)
        row = {
            "id": certificate_id,
            "number": f"SRA-{issued.year}-{certificate_id:05d}",
            "code": "".join(rng.choice(signing.CODE_ALPHABET) for _ in range(signing.CODE_LENGTH)),
            "kind": CertificateKind.COURSE,
            "scope": COURSE_SCOPE,
            "user_id": p.user_id,
            "module_id": None,
            "holder_name": p.name,
            "title": COURSE_TITLE,
            "cpd_hours": self.content.course_hours.quantize(Decimal("0.01")),
            "issued_at": issued,
            "signer_name": p.tutor_name,
            "signer_title": "Lead tutor",
            "issued_by_id": None,
            "signature": "",
            "revoked_at": None,
            "revoked_reason": None,
            "revoked_by_id": None,
        }
        row["signature"] = signing.sign(
            SimpleNamespace(**{**row, "cpd_hours": row["cpd_hours"]}), self.key
        )
        self.out.add("certificates", row)

    # Case assessments: plans, versions, marks, releases

    def _run_snapshots(self) -> list[dict]:
        from academy.simulator import services as simulator
        from academy.simulator.engine import simulate

        snapshots = []
        for raw in (
            {"wavelength_nm": "1064", "fluence_j_cm2": "3", "spot_diameter_mm": "5"},
            {"wavelength_nm": "755", "fluence_j_cm2": "2.5", "spot_diameter_mm": "4"},
        ):
            params = simulator.clean_params(raw)
            result = simulate(params)
            snapshots.append(
                {
                    "title": simulator.default_title(result),
                    "params": params,
                    "summary": simulator.summarise(result),
                }
            )
        return snapshots

    def submissions(self, p: Profile, rng: random.Random, end: datetime) -> None:
        cases = self.content.cases
        if not cases:
            return
        chosen = rng.sample(cases, min(rng.choice([1, 2, 3]), len(cases)))
        run = None
        for case in chosen:
            state, versions, _ = rng.choices(SUBMISSION_MIX, [w for *_, w in SUBMISSION_MIX])[0]
            waiting = state in states.WAITING_FOR_TUTOR or state == states.DRAFT
            life = end - p.created
            if waiting:  # recent work: what fills the tutors' queues
                first = max(end - timedelta(days=rng.uniform(0.2, 25)), p.created + life * 0.5)
            else:
                first = p.created + life * rng.uniform(0.2, 0.7)
            if run is None and any(task["kind"] == "laser_plan" for task in case.tasks):
                snapshot = rng.choice(self.runs)
                run_id = self.ids.take("saved_runs")
                saved = first - timedelta(hours=2)
                self.out.add(
                    "saved_runs",
                    {
                        "id": run_id,
                        "user_id": p.user_id,
                        "title": snapshot["title"],
                        "params": snapshot["params"],
                        "summary": snapshot["summary"],
                        "created_at": saved,
                    },
                )
                run = {**snapshot, "id": run_id, "saved_at": saved.isoformat(timespec="minutes")}
            submission_id = self.ids.take("submissions")
            released = None
            # Every moment falls between the first draft and the trainee's last activity.
            step = (end - first) / (2 * versions + 2)
            moments = [first + step * (2 * i) for i in range(versions)]
            last = moments[-1]
            submitted_at = None if state == states.DRAFT else last + step / 2
            if state in states.RELEASED:
                released = submitted_at + (end - submitted_at) * rng.uniform(0.2, 0.9)
            self.out.add(
                "submissions",
                {
                    "id": submission_id,
                    "assessment_id": case.id,
                    "trainee_id": p.user_id,
                    "state": state,
                    "created_at": first,
                    "updated_at": released or submitted_at or last,
                    "submitted_at": submitted_at,
                    "released_at": released,
                    "moderation": None,
                },
            )
            for number, moment in enumerate(moments, start=1):
                latest = number == versions
                sent = submitted_at if latest else moment + step / 2
                self.out.add(
                    "submission_versions",
                    {
                        "id": self.ids.take("submission_versions"),
                        "submission_id": submission_id,
                        "number": number,
                        "answers": self._answers(rng, case, run, draft=latest and not sent),
                        "sequence": int((moment - EPOCH).total_seconds() * 1000),
                        "created_at": moment,
                        "saved_at": moment + step / 4,
                        "submitted_at": sent,
                    },
                )
                if not latest:  # an earlier version, returned for resubmission
                    self._mark(p, rng, case, submission_id, number, "return", sent, end)
            if state in (states.BEING_MARKED, states.AWAITING_RELEASE) or state in states.RELEASED:
                outcome = {
                    states.PASSED: "pass",
                    states.REFERRED: "refer",
                    states.RETURNED: "return",
                }.get(state, rng.choice(["pass", "pass", "refer"]))
                draft = state == states.BEING_MARKED
                self._mark(p, rng, case, submission_id, versions, outcome, submitted_at, end, draft)
            if state in states.RELEASED:
                self.out.add(
                    "notifications",
                    {
                        "id": self.ids.take("notifications"),
                        "user_id": p.user_id,
                        "message": f"Your mark for {case.title} has been released: "
                        f"{states.TRAINEE_LABELS[state].lower()}.",
                        "url": f"/cases/{case.slug}",
                        "created_at": released,
                        "read_at": released + timedelta(hours=5) if rng.random() < 0.8 else None,
                    },
                )
            if state == states.PASSED:
                self.out.add(
                    "cpd_entries",
                    {
                        "id": self.ids.take("cpd_entries"),
                        "user_id": p.user_id,
                        "activity": Activity.CASE_ASSESSMENT,
                        "reference": case.slug,
                        "title": case.title,
                        "hours": Decimal(case.cpd_hours).quantize(Decimal("0.01")),
                        "completed_at": released,
                        "evidence_url": f"/cases/{case.slug}",
                        "recorded_at": released,
                    },
                )

    def _answers(self, rng, case, run, *, draft: bool) -> dict:
        answers = {}
        for task in case.tasks:
            text = "" if draft and rng.random() < 0.4 else _sentences(rng, rng.randint(2, 6))
            answer: dict = {"text": text}
            if task["kind"] == "method":
                answer["method"] = rng.choice(list(PLAN_METHODS))
            elif task["kind"] == "laser_plan":
                answer["run"] = None if draft and rng.random() < 0.5 else run
            elif task["kind"] == "schedule":
                answer.update(
                    sessions=rng.randint(4, 12),
                    interval_weeks=rng.choice([6, 8, 10]),
                    wait_weeks=rng.choice([8, 12, 16]),
                )
            answers[task["key"]] = answer
        return answers

    def _mark(self, p, rng, case, submission_id, version, outcome, moment, end, draft=False):
        rubric = case.rubric
        criteria = rubric["criteria"]
        for _ in range(40):
            high = outcome == "pass"
            selections = {
                c["key"]: {
                    "level": (
                        rng.randint(max(0, len(c["levels"]) - 2), len(c["levels"]) - 1)
                        if high
                        else rng.randint(0, max(0, len(c["levels"]) - 2))
                    ),
                    "comment": "",
                }
                for c in criteria
            }
            score = rubrics.score(rubric, selections)
            if rubrics.passes(rubric, score) == high or outcome == "return":
                break
        when = moment + max(end - moment, timedelta(0)) * rng.uniform(0.05, 0.2)
        self.out.add(
            "marks",
            {
                "id": self.ids.take("marks"),
                "submission_id": submission_id,
                "version_number": version,
                "role": "first",
                "marker_id": p.tutor_id,
                "state": "draft" if draft else "final",
                "selections": selections,
                "overall_feedback": _sentences(rng, 2),
                "outcome": None if draft else outcome,
                "total": None if draft else score.total,
                "maximum": score.maximum,
                "rubric": rubric,
                "lock_version": 1,
                "created_at": when,
                "updated_at": when,
            },
        )

    # External CPD

    def external(self, p: Profile, rng: random.Random, end: datetime) -> None:
        for _ in range(rng.choices([0, 1, 2, 3], [40, 30, 20, 10])[0]):
            day = p.created + (end - p.created) * rng.random()
            status = rng.choices(
                [ExternalStatus.VERIFIED, ExternalStatus.PENDING, ExternalStatus.QUERIED],
                [50, 40, 10],
            )[0]
            reviewed = status != ExternalStatus.PENDING
            hours = Decimal(rng.choice(["1", "1.5", "2", "3", "4", "6", "7"]))
            self.out.add(
                "cpd_external_activities",
                {
                    "id": self.ids.take("cpd_external_activities"),
                    "user_id": p.user_id,
                    "title": rng.choice(EXTERNAL_TITLES),
                    "provider": rng.choice(PROVIDERS),
                    "method": rng.choice(list(CPD_METHODS)),
                    "start_date": day.date(),
                    "end_date": day.date(),
                    "hours": hours,
                    "participatory_hours": hours if rng.random() < 0.5 else Decimal(0),
                    "relevance": _sentences(rng, 2),
                    "learned": _sentences(rng, 2),
                    "practice_change": _sentences(rng, 1),
                    "client_benefit": _sentences(rng, 1),
                    "status": status,
                    "reviewed_by_id": p.tutor_id if reviewed else None,
                    "reviewed_at": min(day + timedelta(days=3), end) if reviewed else None,
                    "review_note": "Please add the certificate." if status == "queried" else None,
                    "created_at": day,
                    "updated_at": day,
                },
            )


def _already_generated(conn) -> bool:
    return bool(
        conn.scalar(sa.select(sa.func.count(User.id)).where(User.email.like(f"%@{DOMAIN}")))
    )


def _after_load(conn) -> None:
    """On PostgreSQL, move the sequences past our ids and gather statistics.

    PostgreSQL's autovacuum would analyse the new rows soon anyway; doing it now means the
    planner knows them from the first request. SQLite is left as a real installation has
    it, without ANALYZE: its statistics know no skew, so they would make rare states (an
    attempt awaiting grading) look common and turn index searches into table scans.
    """
    if conn.dialect.name != "postgresql":
        return
    for table in TABLES:
        conn.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"
            )
        )
    conn.execute(sa.text("ANALYZE"))


def generate(
    engine: sa.Engine,
    size: Size | str,
    seed: int,
    *,
    signing_key: bytes,
    today: date | None = None,
    batch: int = 20_000,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Generate ``size`` (a name in SIZES or a Size) into the database, in one transaction.

    ``signing_key`` signs the certificates, as the server that will verify them does.
    ``today`` anchors every date (the same seed and day give the same data).
    """
    size = SIZES[size] if isinstance(size, str) else size
    anchor = today or datetime.now().date()
    say = progress or (lambda message: None)
    started = time.perf_counter()
    report = Report(size, seed, anchor, 0.0)
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            # This connection only: the whole load is one transaction, committed at the end.
            conn.exec_driver_sql("PRAGMA synchronous = OFF")
        if _already_generated(conn):
            raise GeneratorError(
                f"This database already holds generated accounts (@{DOMAIN}); "
                "generate into a fresh database."
            )
        generator = Generator(conn, size, seed, anchor, signing_key, batch)
        mark = time.perf_counter()
        profiles = generator.people()
        report.phases["people"] = time.perf_counter() - mark
        say(f"{len(profiles)} trainees, {size.tutors} tutors, {size.cohorts} cohorts")
        mark = time.perf_counter()
        step = max(1, len(profiles) // 10)
        for index, profile in enumerate(profiles, start=1):
            generator.trainee(profile)
            if index % step == 0:
                say(f"  {index} trainees' activity written ({time.perf_counter() - started:.0f} s)")
        generator.out.flush()
        report.phases["activity"] = time.perf_counter() - mark
        mark = time.perf_counter()
        _after_load(conn)
        report.phases["analyze"] = time.perf_counter() - mark
    report.counts = generator.out.counts
    report.seconds = time.perf_counter() - started
    return report
