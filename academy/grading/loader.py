"""Load quizzes/cases/: case assessments with their tasks and rubrics, validated like the banks."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from academy.clock import now
from academy.contentfiles import (
    ContentError,
    ContentInvalid,
    FieldChecker,
    read_mapping,
    upsert_by_slug,
)
from academy.grading.models import CaseAssessment

GROUPS = {
    "physics-and-safety": "Laser physics and safety",
    "skin-typing": "Skin typing",
    "saline-and-combination": "Saline and combination approaches",
    "consultation-and-aftercare": "Consultation and aftercare",
}
TASK_KINDS = {
    "method": "Method and justification",
    "laser_plan": "Laser parameters from the simulator",
    "schedule": "Sessions and intervals",
    "text": "Written answer",
}
METHODS = {
    "laser": "Laser",
    "saline": "Saline",
    "combination": "A combination",
    "no_treatment": "Do not treat (defer or refer)",
}
FIELDS = {
    "slug",
    "title",
    "group",
    "modules",
    "cpd_hours",
    "summary",
    "client",
    "tasks",
    "rubric",
    "model_answer",
    "marking_notes",
}
CLIENT_FIELDS = {
    "name",
    "age",
    "fitzpatrick_type",
    "pigment_type",
    "pigment_density",
    "pigment_age_years",
    "pigment_depth_mm",
    "layered",
    "history",
    "goal",
    "figures",
}
FIGURE_TYPES = {".svg", ".png", ".jpg", ".jpeg"}


@dataclass
class ParsedCase:
    slug: str
    values: dict
    content_hash: str


def _check_client(check: FieldChecker, root: Path) -> None:
    client = check.data.get("client")
    if not isinstance(client, dict):
        check.error("'client' must describe the client (name, age, history, goal ...)", "client")
        return
    c = check.child(client, "client")
    c.fields(
        CLIENT_FIELDS,
        {
            "name",
            "age",
            "fitzpatrick_type",
            "pigment_type",
            "pigment_density",
            "pigment_age_years",
            "history",
            "goal",
        },
    )
    c.text("name", 60)
    c.number("age", minimum=16, maximum=110, integer=True)
    c.number("fitzpatrick_type", minimum=1, maximum=6, integer=True)
    if client.get("pigment_type") not in ("carbon", "iron_oxide", "mixed"):
        c.error("'pigment_type' must be carbon, iron_oxide or mixed", "pigment_type")
    if client.get("pigment_density") not in ("light", "moderate", "dense"):
        c.error("'pigment_density' must be light, moderate or dense", "pigment_density")
    c.number("pigment_age_years", minimum=0, maximum=60, integer=False)
    c.number("pigment_depth_mm", minimum=0.05, maximum=3, integer=False)
    if "layered" in client and not isinstance(client["layered"], bool):
        c.error("'layered' must be true or false", "layered")
    c.text("history")
    c.text("goal")
    for i, figure in enumerate(client.get("figures") or []):
        if not isinstance(figure, dict) or set(figure) != {"file", "alt"}:
            c.error("each figure needs exactly 'file' and 'alt'", "figures", i)
            continue
        path = root / "figures" / str(figure["file"])
        if (
            path.suffix.lower() not in FIGURE_TYPES
            or not path.is_file()
            or ((root / "figures").resolve() not in path.resolve().parents)
        ):
            c.error(
                f"figure '{figure['file']}' is not an SVG, PNG or JPEG in quizzes/cases/figures/",
                "figures",
                i,
            )


def _check_tasks(check: FieldChecker) -> None:
    tasks = check.data.get("tasks")
    if not isinstance(tasks, list) or not 2 <= len(tasks) <= 10:
        check.error("'tasks' must list 2 to 10 tasks", "tasks")
        return
    keys = set()
    for i, task in enumerate(tasks):
        if not isinstance(task, dict):
            check.error(f"task {i + 1} must be a mapping", "tasks", i)
            continue
        t = check.child(task, "tasks", i)
        t.fields({"key", "kind", "title", "prompt"}, {"key", "kind", "title", "prompt"})
        key = t.slug("key") if "key" in task else ""
        if key in keys:
            t.error(f"duplicate task key '{key}'", "key")
        keys.add(key)
        if task.get("kind") not in TASK_KINDS:
            t.error(f"'kind' must be one of {', '.join(TASK_KINDS)}", "kind")
        t.text("title", 200)
        t.text("prompt")


def _check_rubric(check: FieldChecker) -> None:
    rubric = check.data.get("rubric")
    if not isinstance(rubric, dict):
        check.error("'rubric' must give pass_percent and criteria", "rubric")
        return
    r = check.child(rubric, "rubric")
    r.fields({"pass_percent", "criteria"}, {"pass_percent", "criteria"})
    r.number("pass_percent", minimum=1, maximum=100, integer=False)
    criteria = rubric.get("criteria")
    if not isinstance(criteria, list) or not 4 <= len(criteria) <= 6:
        r.error("a rubric needs 4 to 6 criteria", "criteria")
        return
    keys = set()
    for i, criterion in enumerate(criteria):
        if not isinstance(criterion, dict):
            r.error(f"criterion {i + 1} must be a mapping", "criteria", i)
            continue
        c = r.child(criterion, "criteria", i)
        c.fields({"key", "title", "description", "levels"}, {"key", "title", "levels"})
        key = c.slug("key") if "key" in criterion else ""
        if key in keys:
            c.error(f"duplicate criterion key '{key}'", "key")
        keys.add(key)
        c.text("title", 200)
        levels = criterion.get("levels")
        if not isinstance(levels, list) or not 3 <= len(levels) <= 5:
            c.error("a criterion needs 3 to 5 levels", "levels")
            continue
        previous = None
        for j, level in enumerate(levels):
            if not isinstance(level, dict) or set(level) != {"points", "label", "descriptor"}:
                c.error("each level needs exactly points, label and descriptor", "levels", j)
                continue
            points = level["points"]
            if isinstance(points, bool) or not isinstance(points, int | float) or points < 0:
                c.error("a level's points must be a number, 0 or more", "levels", j)
                continue
            if previous is not None and points <= previous:
                c.error("levels must go from fewest to most points", "levels", j)
            previous = points


def _parse_case(path: Path, root: Path, modules: set[str], errors: list) -> ParsedCase | None:
    display = str(path.relative_to(root.parent.parent))
    parsed = read_mapping(path, display, errors, "a case assessment")
    if parsed is None:
        return None
    data, lines = parsed
    before = len(errors)
    check = FieldChecker(display, data, lines, errors)
    check.fields(FIELDS, FIELDS - {"marking_notes"})
    slug = check.slug()
    if slug and slug != path.stem:
        check.error(f"'slug' must match the file name ({path.stem!r})", "slug")
    check.text("title", 200)
    if data.get("group") not in GROUPS:
        check.error(f"'group' must be one of {', '.join(GROUPS)}", "group")
    listed = check.text_list("modules", required=True)
    for i, module in enumerate(listed):
        if module not in modules:
            check.error(f"unknown module '{module}'", "modules", i)
    hours = check.number("cpd_hours", minimum=0.25, maximum=50, integer=False)
    check.text("summary", 500)
    check.text("model_answer")
    if "marking_notes" in data:
        check.text("marking_notes")
    _check_client(check, root)
    _check_tasks(check)
    _check_rubric(check)
    if len(errors) > before:
        return None
    values = {
        "title": data["title"].strip(),
        "group": data["group"],
        "modules": listed,
        "cpd_hours": Decimal(str(hours)).quantize(Decimal("0.01")),
        "summary": data["summary"].strip(),
        "client": data["client"],
        "tasks": data["tasks"],
        "rubric": data["rubric"],
        "model_answer": data["model_answer"],
        "marking_notes": data.get("marking_notes", ""),
    }
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
    return ParsedCase(slug, values, digest)


def parse_cases(root: Path, modules: set[str]) -> list[ParsedCase]:
    """Validate every case under ``root`` (quizzes/cases); raise ContentInvalid on any mistake."""
    root = Path(root)
    if not root.is_dir():
        return []
    errors: list[ContentError] = []
    cases = [c for p in sorted(root.glob("*.yaml")) if (c := _parse_case(p, root, modules, errors))]
    if errors:
        raise ContentInvalid(errors)
    return cases


def apply_cases(cases: list[ParsedCase]) -> int:
    """Upsert validated cases by slug; retire those no longer in the files. Returns how many."""
    upsert_by_slug(CaseAssessment, cases, now())
    return len(cases)
