"""Load courses/ into the database: validate every file first, then upsert by stable slug.

Nothing is loaded if any file has a mistake; every mistake is reported with its file, line
and reason. Loading twice changes nothing. A lesson or module that disappears from the files
is retired, never deleted, so trainees' progress is kept; one that changes is re-hashed and
its revision date moves.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from markdown_it import MarkdownIt

from academy.catalogue.models import Lesson, Module
from academy.clock import now
from academy.contentfiles import (
    ContentError,
    ContentInvalid,
    FieldChecker,
    parse_front_matter,
    read_mapping,
)
from academy.extensions import db
from academy.markdown import plain_text

COMPLETION_RULES = {
    "all_lessons": "Read every lesson",
    "all_lessons_and_quiz": "Read every lesson and pass the module quiz",
}
MODULE_FIELDS = {
    "slug",
    "title",
    "summary",
    "order",
    "cpd_hours",
    "estimated_minutes",
    "prerequisites",
    "completion_rule",
    "learning_objectives",
    "references",
}
MODULE_REQUIRED = MODULE_FIELDS - {"estimated_minutes", "prerequisites"}
LESSON_FIELDS = {"slug", "title", "estimated_minutes", "learning_objectives", "references"}
LESSON_REQUIRED = LESSON_FIELDS - {"references"}
# What an SVG figure must not contain: it is served from our own origin.
SVG_FORBIDDEN = [
    (re.compile(r"<\s*script", re.I), "an SVG figure must not contain <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an SVG figure must not contain event handlers (on...=)"),
    (re.compile(r"<\s*foreignObject", re.I), "an SVG figure must not contain <foreignObject>"),
    (
        re.compile(r"(?:href|src)\s*=\s*[\"'](?:https?:|//|javascript:)", re.I),
        "an SVG figure must not link to other sites",
    ),
]


@dataclass
class ParsedLesson:
    slug: str
    title: str
    position: int
    estimated_minutes: int
    learning_objectives: list[str]
    reference_keys: list[str]
    body: str
    content_hash: str


@dataclass
class ParsedModule:
    folder: str
    slug: str
    title: str
    summary: str
    position: int
    cpd_hours: Decimal
    estimated_minutes: int | None
    prerequisites: list[str]
    completion_rule: str
    learning_objectives: list[str]
    references: list[dict]
    content_hash: str
    lessons: list[ParsedLesson] = field(default_factory=list)
    prerequisite_lines: dict[str, int] = field(default_factory=dict)
    file: str = ""
    slug_line: int = 1


@dataclass
class LoadReport:
    modules: int = 0
    lessons: int = 0
    created: int = 0
    revised: int = 0
    retired: int = 0

    def __str__(self) -> str:
        return (
            f"{self.modules} modules, {self.lessons} lessons: {self.created} new, "
            f"{self.revised} revised, {self.retired} retired"
        )


def _hash(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


_MD = MarkdownIt("commonmark").enable("table")


def _images(body: str) -> list[tuple[str, int]]:
    """Every image source in a Markdown body, with the (0-based) body line it is on."""
    found = []
    for token in _MD.parse(body):
        if token.type == "inline" and token.children:
            for child in token.children:
                if child.type == "image":
                    found.append((child.attrGet("src") or "", token.map[0] if token.map else 0))
    for match in re.finditer(r"<img[^>]*\ssrc\s*=\s*[\"']([^\"']*)", body, re.I):
        found.append((match.group(1), body.count("\n", 0, match.start())))
    return found


def _check_svg(path: Path, display: str, errors: list[ContentError]) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    for pattern, reason in SVG_FORBIDDEN:
        for match in pattern.finditer(text):
            errors.append(ContentError(display, text.count("\n", 0, match.start()) + 1, reason))


def _parse_lesson(
    path: Path,
    root: Path,
    module_dir: Path,
    position: int,
    reference_keys: set[str],
    errors: list[ContentError],
) -> ParsedLesson | None:
    display = str(path.relative_to(root.parent))
    try:
        parsed = parse_front_matter(path, display)
    except ContentInvalid as invalid:
        errors.extend(invalid.errors)
        return None
    check = FieldChecker(display, parsed.meta, parsed.lines, errors)
    check.fields(LESSON_FIELDS, LESSON_REQUIRED)
    slug = check.slug()
    title = check.text("title", 200)
    minutes = check.number("estimated_minutes", minimum=1, maximum=600, integer=True)
    objectives = check.text_list("learning_objectives", required=True)
    keys = check.text_list("references", required=False)
    for i, key in enumerate(keys):
        if key not in reference_keys:
            check.error(
                f"reference '{key}' is not listed in the module's references", "references", i
            )
    figure_bytes = []
    for src, body_line in _images(parsed.body):
        line = parsed.body_first_line + body_line
        if "://" in src or src.startswith(("//", "data:")):
            errors.append(
                ContentError(display, line, f"image '{src}' must be a file in the module folder")
            )
            continue
        target = (module_dir / src).resolve()
        if not src or not target.is_file() or module_dir.resolve() not in target.parents:
            errors.append(ContentError(display, line, f"broken image link: '{src}' does not exist"))
            continue
        if target.suffix.lower() == ".svg":
            _check_svg(target, str(target.relative_to(root.parent.resolve())), errors)
        figure_bytes.append(target.read_bytes())
    if not parsed.body.strip():
        errors.append(ContentError(display, parsed.body_first_line, "the lesson has no text"))
    if not (slug and title and minutes):
        return None
    return ParsedLesson(
        slug=slug,
        title=title,
        position=position,
        estimated_minutes=int(minutes),
        learning_objectives=objectives,
        reference_keys=keys,
        body=parsed.body,
        content_hash=_hash(path.read_bytes(), *figure_bytes),
    )


def _parse_module(
    module_dir: Path, root: Path, errors: list[ContentError], declared: set[str]
) -> ParsedModule | None:
    yaml_path = module_dir / "module.yaml"
    display = str(yaml_path.relative_to(root.parent))
    if not yaml_path.is_file():
        errors.append(ContentError(display, 1, "missing module.yaml"))
        return None
    parsed = read_mapping(yaml_path, display, errors, "module.yaml")
    if parsed is None:
        return None
    data, lines = parsed
    check = FieldChecker(display, data, lines, errors)
    check.fields(MODULE_FIELDS, MODULE_REQUIRED)
    slug = check.slug()
    if slug:
        declared.add(slug)  # so a mistake here is not also reported as unknown elsewhere
    title = check.text("title", 200)
    summary = check.text("summary", 2000)
    order = check.number("order", minimum=0, maximum=10_000, integer=True)
    hours = check.number("cpd_hours", minimum=0.25, maximum=200, integer=False)
    minutes = check.number("estimated_minutes", minimum=1, maximum=100_000, integer=True)
    prerequisites = [p for p in check.text_list("prerequisites", required=False)]
    for i, prerequisite in enumerate(prerequisites):
        if prerequisite == slug:
            check.error("a module cannot be its own prerequisite", "prerequisites", i)
    rule = data.get("completion_rule")
    if "completion_rule" in data and rule not in COMPLETION_RULES:
        check.error(
            f"'completion_rule' must be one of {', '.join(sorted(COMPLETION_RULES))}, not {rule!r}",
            "completion_rule",
        )
    objectives = check.text_list("learning_objectives", required=True)
    references = []
    raw_refs = data.get("references", [])
    if not isinstance(raw_refs, list):
        check.error("'references' must be a list of {key, citation}", "references")
        raw_refs = []
    seen_keys: set[str] = set()
    for i, ref in enumerate(raw_refs):
        if (
            not isinstance(ref, dict)
            or set(ref) != {"key", "citation"}
            or not all(isinstance(ref[k], str) and ref[k].strip() for k in ("key", "citation"))
        ):
            check.error(
                "each reference needs exactly a 'key' and a 'citation' (text)", "references", i
            )
            continue
        if ref["key"] in seen_keys:
            check.error(f"duplicate reference key '{ref['key']}'", "references", i)
        seen_keys.add(ref["key"])
        references.append({"key": ref["key"].strip(), "citation": ref["citation"].strip()})

    lesson_dir = module_dir / "lessons"
    lesson_files = sorted(lesson_dir.glob("*.md")) if lesson_dir.is_dir() else []
    if not lesson_files:
        errors.append(ContentError(display, 1, "the module has no lessons (lessons/*.md)"))
    lessons: list[ParsedLesson] = []
    lesson_slugs: dict[str, str] = {}
    for position, path in enumerate(lesson_files, start=1):
        lesson = _parse_lesson(path, root, module_dir, position, seen_keys, errors)
        if lesson is None:
            continue
        if lesson.slug in lesson_slugs:
            errors.append(
                ContentError(
                    str(path.relative_to(root.parent)),
                    2,
                    f"duplicate lesson slug '{lesson.slug}' (also in {lesson_slugs[lesson.slug]})",
                )
            )
            continue
        lesson_slugs[lesson.slug] = path.name
        lessons.append(lesson)
    if not (
        slug and title and summary and order is not None and hours and rule in COMPLETION_RULES
    ):
        return None
    return ParsedModule(
        folder=module_dir.name,
        slug=slug,
        title=title,
        summary=summary,
        position=int(order),
        cpd_hours=Decimal(str(hours)).quantize(Decimal("0.01")),
        estimated_minutes=int(minutes) if minutes else None,
        prerequisites=prerequisites,
        completion_rule=rule,
        learning_objectives=objectives,
        references=references,
        content_hash=_hash(yaml_path.read_bytes()),
        lessons=lessons,
        prerequisite_lines={p: lines.line("prerequisites", i) for i, p in enumerate(prerequisites)},
        file=display,
        slug_line=lines.line("slug"),
    )


def parse_courses(root: Path) -> list[ParsedModule]:
    """Read and validate every module under ``root``; raise ContentInvalid listing all mistakes."""
    root = Path(root)
    errors: list[ContentError] = []
    if not root.is_dir():
        raise ContentInvalid([ContentError(str(root), 0, "the courses folder does not exist")])
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    declared: set[str] = set()
    parsed = [_parse_module(folder, root, errors, declared) for folder in folders]
    modules = [module for module in parsed if module is not None]

    by_slug: dict[str, ParsedModule] = {}
    for module in modules:
        if module.slug in by_slug:
            errors.append(
                ContentError(
                    module.file,
                    module.slug_line,
                    f"duplicate module slug '{module.slug}' "
                    f"(also in {by_slug[module.slug].folder})",
                )
            )
        by_slug.setdefault(module.slug, module)
    for module in modules:
        for prerequisite, line in module.prerequisite_lines.items():
            if prerequisite not in declared and prerequisite != module.slug:
                errors.append(
                    ContentError(module.file, line, f"unknown prerequisite '{prerequisite}'")
                )
    errors.extend(_cycles(by_slug))
    if errors:
        raise ContentInvalid(errors)
    return sorted(modules, key=lambda m: (m.position, m.slug))


def _cycles(by_slug: dict[str, ParsedModule]) -> list[ContentError]:
    errors, state = [], {}

    def visit(slug: str, trail: list[str]) -> None:
        if state.get(slug) == "done" or slug not in by_slug:
            return
        if state.get(slug) == "active":
            cycle = trail[trail.index(slug) :] + [slug]
            module = by_slug[slug]
            errors.append(
                ContentError(
                    module.file,
                    module.slug_line,
                    f"prerequisites form a cycle: {' -> '.join(cycle)}",
                )
            )
            return
        state[slug] = "active"
        for prerequisite in by_slug[slug].prerequisites:
            visit(prerequisite, [*trail, slug])
        state[slug] = "done"

    for slug in by_slug:
        visit(slug, [])
    return errors


def load_courses(root: Path) -> LoadReport:
    """Validate then upsert everything under ``root`` in the current session (caller commits)."""
    return apply_courses(parse_courses(root))


def apply_courses(parsed: list[ParsedModule]) -> LoadReport:
    """Upsert modules and lessons that ``parse_courses`` has already validated."""
    report = LoadReport(modules=len(parsed), lessons=sum(len(m.lessons) for m in parsed))
    moment = now()
    existing = {m.slug: m for m in db.session.scalars(sa.select(Module))}
    for item in parsed:
        module = existing.pop(item.slug, None)
        if module is None:
            module = Module(slug=item.slug, revised_at=moment)
            db.session.add(module)
            report.created += 1
        elif module.content_hash != item.content_hash:
            module.revised_at = moment
            report.revised += 1
        module.retired_at = None
        module.folder = item.folder
        module.title, module.summary, module.position = item.title, item.summary, item.position
        module.cpd_hours, module.completion_rule = item.cpd_hours, item.completion_rule
        module.prerequisites = item.prerequisites
        module.learning_objectives = item.learning_objectives
        module.references = item.references
        module.content_hash = item.content_hash
        module.estimated_minutes = item.estimated_minutes or sum(
            lesson.estimated_minutes for lesson in item.lessons
        )
        db.session.flush()
        report.retired += _upsert_lessons(module, item.lessons, report, moment)
    for module in existing.values():
        if module.retired_at is None:
            module.retired_at = moment
            report.retired += 1
    db.session.flush()
    return report


def _upsert_lessons(module: Module, lessons: list[ParsedLesson], report: LoadReport, moment) -> int:
    existing = {lesson.slug: lesson for lesson in module.lessons}
    for item in lessons:
        lesson = existing.pop(item.slug, None)
        if lesson is None:
            lesson = Lesson(module=module, slug=item.slug, revised_at=moment)
            db.session.add(lesson)
            report.created += 1
        elif lesson.content_hash != item.content_hash:
            lesson.revised_at = moment
            report.revised += 1
        if lesson.content_hash != item.content_hash:
            text = plain_text(item.body)
            lesson.body_markdown, lesson.body_text = item.body, text
            lesson.word_count = len(text.split())
            lesson.content_hash = item.content_hash
        lesson.retired_at = None
        lesson.title, lesson.position = item.title, item.position
        lesson.estimated_minutes = item.estimated_minutes
        lesson.learning_objectives = item.learning_objectives
        lesson.reference_keys = item.reference_keys
    retired = 0
    for lesson in existing.values():
        if lesson.retired_at is None:
            lesson.retired_at = moment
            retired += 1
    return retired
