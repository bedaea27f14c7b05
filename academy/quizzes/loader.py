"""Load quizzes/: question banks and quiz definitions, validated like the courses.

Every mistake is reported as file:line: reason and nothing is loaded if any file is wrong.
Questions are matched by their stable id; a changed question gets a new version (the old
one stays for the attempts that used it); a question removed from the files is retired.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from academy.clock import now
from academy.contentfiles import (
    SLUG,
    ContentError,
    ContentInvalid,
    FieldChecker,
    read_mapping,
    upsert_by_slug,
)
from academy.extensions import db
from academy.quizzes.models import Question, QuestionVersion, Quiz
from academy.quizzes.types.base import COMMON_FIELDS
from academy.quizzes.types.registry import QUESTION_TYPES

REVIEW_TIMES = ("immediately", "after_close", "never")
REVIEW_ITEMS = ("marks", "correct_answers", "feedback")
QUIZ_FIELDS = {
    "slug",
    "title",
    "module",
    "intro",
    "draw",
    "time_limit_minutes",
    "attempts_allowed",
    "pass_mark_percent",
    "grading_method",
    "wait_between_attempts_minutes",
    "shuffle_questions",
    "shuffle_options",
    "review",
    "closes_at",
    "cpd_hours",
}
QUIZ_REQUIRED = {"slug", "title", "draw", "pass_mark_percent", "grading_method", "review"}


def validate_question(check: FieldChecker) -> None:
    """The checks every question gets (common fields), then its type's own."""
    data = check.data
    kind = QUESTION_TYPES.get(data.get("type"))
    if kind is None:
        check.error(
            f"unknown question type {data.get('type')!r} (known: "
            f"{', '.join(sorted(QUESTION_TYPES))})",
            "type",
        )
        return
    required = {"id", "type", "lesson", "text"} | kind.required
    if kind.requires_feedback:
        required.add("feedback")
    check.fields(COMMON_FIELDS | kind.fields, required)
    identifier = data.get("id")
    if not isinstance(identifier, str) or not SLUG.match(identifier) or len(identifier) > 80:
        check.error("'id' must be lowercase letters, digits and hyphens (at most 80)", "id")
    check.text("text", 20_000)
    if "feedback" in data:
        check.text("feedback", 20_000)
    lesson = data.get("lesson")
    if not isinstance(lesson, str) or lesson.count("/") != 1:
        check.error("'lesson' must name the lesson tested as module-slug/lesson-slug", "lesson")
    check.number("points", minimum=0.5, maximum=100, integer=False)
    kind.validate(check)


@dataclass
class ParsedQuestion:
    key: str
    bank: str
    pool: str
    type: str
    lesson: str
    position: int
    data: dict
    points: Decimal
    content_hash: str
    file: str
    line: int


@dataclass
class ParsedQuiz:
    slug: str
    values: dict
    content_hash: str
    file: str
    line: int


@dataclass
class QuizLoadReport:
    questions: int = 0
    quizzes: int = 0
    new_versions: int = 0
    retired: int = 0
    pools: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return (
            f"{self.quizzes} quizzes, {self.questions} questions: {self.new_versions} new "
            f"versions, {self.retired} retired"
        )


def _canonical_hash(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def _points(data: dict) -> Decimal:
    kind = QUESTION_TYPES[data["type"]]
    if data["type"] == "case_study":
        total = sum(Decimal(str(p.get("points", 1))) for p in data["questions"])
    else:
        total = Decimal(str(data.get("points", kind.default_points)))
    return total.quantize(Decimal("0.01"))


def _all_ids(data: dict) -> list[str]:
    ids = [data.get("id")]
    for part in data.get("questions", []) if data.get("type") == "case_study" else []:
        if isinstance(part, dict):
            ids.append(part.get("id"))
    return [i for i in ids if isinstance(i, str)]


def _parse_bank(path: Path, root: Path, lessons: set[str], errors: list) -> list[ParsedQuestion]:
    display = str(path.relative_to(root.parent))
    parsed = read_mapping(path, display, errors, "a bank")
    if parsed is None:
        return []
    data, lines = parsed
    check = FieldChecker(display, data, lines, errors)
    check.fields({"bank", "title", "pools"}, {"bank", "pools"})
    bank = check.slug("bank")
    if bank and bank != path.stem:
        check.error(f"'bank' must match the file name ({path.stem!r})", "bank")
    pools = data.get("pools")
    if not isinstance(pools, list) or not pools:
        check.error("'pools' must list at least one pool", "pools")
        return []
    parsed, pool_slugs = [], set()
    for p, pool in enumerate(pools):
        if not isinstance(pool, dict):
            check.error(
                f"pool {p + 1} must be a mapping with slug, title and questions", "pools", p
            )
            continue
        pool_check = check.child(pool, "pools", p)
        pool_check.fields({"slug", "title", "questions"}, {"slug", "questions"})
        slug = pool_check.slug()
        if slug in pool_slugs:
            pool_check.error(f"duplicate pool slug '{slug}'", "slug")
        pool_slugs.add(slug)
        questions = pool.get("questions")
        if not isinstance(questions, list) or not questions:
            pool_check.error("'questions' must list at least one question", "questions")
            continue
        for q, question in enumerate(questions):
            if not isinstance(question, dict):
                pool_check.error(f"question {q + 1} must be a mapping", "questions", q)
                continue
            before = len(errors)
            question_check = pool_check.child(question, "questions", q)
            validate_question(question_check)
            for ref_path, ref in _lesson_refs(question):
                if isinstance(ref, str) and ref.count("/") == 1 and ref not in lessons:
                    question_check.error(f"lesson '{ref}' does not exist in courses/", *ref_path)
            if len(errors) > before or not bank or not slug:
                continue
            parsed.append(
                ParsedQuestion(
                    key=question["id"],
                    bank=bank,
                    pool=f"{bank}/{slug}",
                    type=question["type"],
                    lesson=question["lesson"],
                    position=q,
                    data=question,
                    points=_points(question),
                    content_hash=_canonical_hash(question),
                    file=display,
                    line=lines.line("pools", p, "questions", q),
                )
            )
    return parsed


def _lesson_refs(question: dict):
    yield ("lesson",), question.get("lesson")
    if question.get("type") == "case_study" and isinstance(question.get("questions"), list):
        for i, part in enumerate(question["questions"]):
            if isinstance(part, dict):
                yield ("questions", i, "lesson"), part.get("lesson")


def _parse_quiz(
    path: Path, root: Path, pools: dict[str, int], modules: set[str], errors: list
) -> ParsedQuiz | None:
    display = str(path.relative_to(root.parent))
    parsed = read_mapping(path, display, errors, "a quiz definition")
    if parsed is None:
        return None
    data, lines = parsed
    before = len(errors)
    check = FieldChecker(display, data, lines, errors)
    check.fields(QUIZ_FIELDS, QUIZ_REQUIRED)
    slug = check.slug()
    if slug and slug != path.stem:
        check.error(f"'slug' must match the file name ({path.stem!r})", "slug")
    title = check.text("title", 200)
    module = data.get("module")
    if module is not None and module not in modules:
        check.error(f"unknown module '{module}'", "module")
    intro = check.text("intro") if "intro" in data else ""
    draw = data.get("draw")
    if not isinstance(draw, list) or not draw:
        check.error("'draw' must list at least one {pool, count}", "draw")
        draw = []
    for i, item in enumerate(draw):
        if not isinstance(item, dict) or set(item) != {"pool", "count"}:
            check.error("each draw needs exactly 'pool' and 'count'", "draw", i)
            continue
        size = pools.get(item["pool"])
        if size is None:
            check.error(f"unknown pool '{item['pool']}' (write it as bank/pool)", "draw", i)
        elif (
            not isinstance(item["count"], int)
            or isinstance(item["count"], bool)
            or not (1 <= item["count"] <= size)
        ):
            check.error(
                f"count for '{item['pool']}' must be between 1 and {size}, the pool's size",
                "draw",
                i,
            )
    limit = check.number("time_limit_minutes", minimum=1, maximum=600, integer=True)
    attempts = check.number("attempts_allowed", minimum=1, maximum=100, integer=True)
    pass_mark = check.number("pass_mark_percent", minimum=0, maximum=100, integer=False)
    cpd_hours = check.number("cpd_hours", minimum=0, maximum=500, integer=False)
    wait = check.number(
        "wait_between_attempts_minutes", minimum=0, maximum=60 * 24 * 60, integer=True
    )
    method = data.get("grading_method")
    if method not in ("highest", "last"):
        check.error("'grading_method' must be highest or last", "grading_method")
    flags = {}
    for name in ("shuffle_questions", "shuffle_options"):
        flags[name] = data.get(name, True)
        if not isinstance(flags[name], bool):
            check.error(f"'{name}' must be true or false", name)
    review = data.get("review")
    if (
        not isinstance(review, dict)
        or set(review) != set(REVIEW_ITEMS)
        or any(v not in REVIEW_TIMES for v in review.values())
    ):
        check.error(
            "'review' must give marks, correct_answers and feedback, each immediately, "
            "after_close or never",
            "review",
        )
        review = {}
    closes_at = data.get("closes_at")
    if closes_at is not None and not isinstance(closes_at, datetime):
        check.error("'closes_at' must be a date and time such as 2027-12-31T23:59:00", "closes_at")
    if "after_close" in review.values() and closes_at is None:
        check.error("the review shows something after_close, so 'closes_at' is needed", "review")
    if len(errors) > before:
        return None
    values = dict(
        title=title,
        module_slug=module,
        intro=intro,
        draw=draw,
        time_limit_minutes=limit,
        attempts_allowed=attempts,
        pass_mark_percent=Decimal(str(pass_mark)),
        grading_method=method,
        wait_minutes=wait or 0,
        review=review,
        closes_at=closes_at,
        cpd_hours=Decimal(str(cpd_hours or 0)).quantize(Decimal("0.01")),
        **flags,
    )
    return ParsedQuiz(slug, values, _canonical_hash(data), display, lines.line("slug"))


def parse_quizzes(root: Path, lessons: set[str], modules: set[str]):
    """Read and validate every bank and quiz; raise ContentInvalid listing every mistake."""
    root = Path(root)
    errors: list[ContentError] = []
    if not root.is_dir():
        raise ContentInvalid([ContentError(str(root), 0, "the quizzes folder does not exist")])
    questions: list[ParsedQuestion] = []
    for path in sorted((root / "banks").glob("*.yaml")):
        questions.extend(_parse_bank(path, root, lessons, errors))
    seen: dict[str, ParsedQuestion] = {}
    for question in questions:
        for key in _all_ids(question.data):
            if key in seen:
                errors.append(
                    ContentError(
                        question.file,
                        question.line,
                        f"duplicate question id '{key}' (also in "
                        f"{seen[key].file}:{seen[key].line})",
                    )
                )
            seen.setdefault(key, question)
    pools: dict[str, int] = {}
    for question in questions:
        pools[question.pool] = pools.get(question.pool, 0) + 1
    quizzes = [
        quiz
        for path in sorted((root / "definitions").glob("*.yaml"))
        if (quiz := _parse_quiz(path, root, pools, modules, errors)) is not None
    ]
    by_module: dict[str, ParsedQuiz] = {}
    for quiz in quizzes:
        module = quiz.values["module_slug"]
        if module and module in by_module:
            errors.append(
                ContentError(
                    quiz.file,
                    quiz.line,
                    f"module '{module}' already has a quiz ({by_module[module].slug})",
                )
            )
        if module:
            by_module.setdefault(module, quiz)
    if errors:
        raise ContentInvalid(errors)
    return questions, quizzes, pools


def load_quizzes(root: Path, lessons: set[str], modules: set[str]) -> QuizLoadReport:
    """Validate, then upsert questions (new version on change) and quizzes (caller commits)."""
    questions, quizzes, pools = parse_quizzes(root, lessons, modules)
    report = QuizLoadReport(questions=len(questions), quizzes=len(quizzes), pools=pools)
    moment = now()
    existing = {q.key: q for q in db.session.scalars(sa.select(Question))}
    current_hash = dict(
        db.session.execute(
            sa.select(Question.id, QuestionVersion.content_hash).join(
                QuestionVersion, QuestionVersion.id == Question.current_version_id
            )
        ).all()
    )
    for item in questions:
        question = existing.pop(item.key, None)
        if question is None:
            question = Question(key=item.key)
            db.session.add(question)
        question.bank, question.pool, question.type = item.bank, item.pool, item.type
        question.lesson_ref, question.position, question.retired_at = (
            item.lesson,
            item.position,
            None,
        )
        db.session.flush()
        if current_hash.get(question.id) != item.content_hash:
            number = (
                db.session.scalar(
                    sa.select(sa.func.max(QuestionVersion.version)).where(
                        QuestionVersion.question_id == question.id
                    )
                )
                or 0
            ) + 1
            version = QuestionVersion(
                question_id=question.id,
                version=number,
                content_hash=item.content_hash,
                data=item.data,
                points=item.points,
                created_at=moment,
            )
            db.session.add(version)
            db.session.flush()
            question.current_version_id = version.id
            report.new_versions += 1
    for question in existing.values():
        if question.retired_at is None:
            question.retired_at = moment
            report.retired += 1
    upsert_by_slug(Quiz, quizzes, moment)
    return report
