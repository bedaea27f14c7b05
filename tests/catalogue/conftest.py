"""Fixtures for the reader: the shipped courses loaded, and small course trees to break."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from academy.catalogue.loader import load_courses
from academy.extensions import db

SIMPLE_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>t</title></svg>'
SHIPPED_COURSES = Path(__file__).resolve().parents[2] / "courses"


@pytest.fixture
def shipped_courses(app):
    """Load the real courses/ folder, as the start-up command does."""
    with app.app_context():
        report = load_courses(SHIPPED_COURSES)
        db.session.commit()
    return report


class CourseTree:
    """A throwaway courses/ folder written from short snippets, for loader tests."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def module(self, folder: str, slug: str | None = None, extra: str = "", **fields) -> Path:
        directory = self.root / folder
        (directory / "lessons").mkdir(parents=True, exist_ok=True)
        values = {
            "slug": slug or folder.split("-", 1)[-1],
            "title": f"Module {folder}",
            "summary": "A short summary.",
            "order": 1,
            "cpd_hours": 2.5,
            "prerequisites": "[]",
            "completion_rule": "all_lessons",
            **fields,
        }
        lines = [f"{key}: {value}" for key, value in values.items() if value is not None]
        lines += [
            "learning_objectives:",
            "  - Do something useful.",
            "references:",
            "  - key: jacques2013",
            '    citation: "Jacques SL. Optical properties of biological tissues: a review. 2013."',
        ]
        (directory / "module.yaml").write_text("\n".join(lines) + "\n" + extra)
        return directory

    def lesson(
        self,
        folder: str,
        filename: str,
        slug: str,
        body: str = "Some text.\n",
        front: str | None = None,
    ) -> Path:
        path = self.root / folder / "lessons" / filename
        meta = (
            front
            if front is not None
            else textwrap.dedent(f"""\
            slug: {slug}
            title: Lesson {slug}
            estimated_minutes: 10
            learning_objectives:
              - Learn a thing.
            references: [jacques2013]
            """)
        )
        path.write_text(f"---\n{meta}---\n\n{body}")
        return path

    def figure(
        self,
        folder: str,
        name: str,
        content: str = SIMPLE_SVG,
    ) -> Path:
        path = self.root / folder / "figures" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
        return path


@pytest.fixture
def tree(tmp_path) -> CourseTree:
    """A valid two-module course that each test can then break in one way."""
    courses = CourseTree(tmp_path / "courses")
    courses.module("01-basics", order=1)
    courses.lesson("01-basics", "01-first.md", "first")
    courses.lesson("01-basics", "02-second.md", "second")
    courses.module("02-advanced", order=2, prerequisites="[basics]")
    courses.lesson("02-advanced", "01-deeper.md", "deeper")
    return courses
