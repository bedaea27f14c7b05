"""Load all content files (courses/ then quizzes/) in one go: everything or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from academy.catalogue.loader import LoadReport, apply_courses, parse_courses
from academy.grading.loader import apply_cases, parse_cases
from academy.quizzes.loader import QuizLoadReport, load_quizzes, parse_quizzes


@dataclass
class ContentReport:
    courses: LoadReport
    quizzes: QuizLoadReport
    cases: int = 0

    def __str__(self) -> str:
        return f"courses: {self.courses}; quizzes: {self.quizzes}; {self.cases} case assessments"


def load_content(courses_dir: Path, quizzes_dir: Path) -> ContentReport:
    """Validate both folders before writing anything, then upsert (the caller commits).

    Raises ContentInvalid, naming every mistake, when any file is wrong. Quizzes are checked
    against the courses being loaded, so a question may cite a lesson added in the same change.
    """
    modules = parse_courses(courses_dir)
    lessons = {f"{m.slug}/{lesson.slug}" for m in modules for lesson in m.lessons}
    slugs = {m.slug for m in modules}
    parse_quizzes(quizzes_dir, lessons, slugs)
    cases = parse_cases(Path(quizzes_dir) / "cases", slugs)
    return ContentReport(
        apply_courses(modules), load_quizzes(quizzes_dir, lessons, slugs), apply_cases(cases)
    )
