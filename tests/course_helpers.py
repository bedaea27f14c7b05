"""A small two-module course with a module quiz and a final assessment, and the trainee's
actions on it (read every lesson, pass a quiz), shared by the CPD, certificate and
dashboard tests."""

from __future__ import annotations

import textwrap
from datetime import datetime

import pytest
import sqlalchemy as sa

from academy import clock
from academy.auth.models import User
from academy.catalogue import services as reading
from academy.catalogue.loader import load_courses
from academy.catalogue.models import Module
from academy.cohorts.models import Cohort, CohortMembership
from academy.extensions import db
from academy.quizzes import attempts as rules
from academy.quizzes import services as quizzes
from academy.quizzes.loader import load_quizzes
from academy.quizzes.models import Quiz
from tests.catalogue.conftest import CourseTree
from tests.quizzes.conftest import LESSONS, MODULES, QuizFiles
from tests.quizzes.test_attempts import right_answer

FINAL = """\
slug: final-assessment
title: Final assessment
draw:
  - {pool: sample/mixed, count: 6}
attempts_allowed: 3
pass_mark_percent: 60
grading_method: highest
cpd_hours: 3
review: {marks: immediately, correct_answers: immediately, feedback: immediately}
"""

MODULE_HOURS = {"physics": "2.5", "safety": "1.5"}
COURSE_HOURS = "7.00"  # 2.5 + 1.5 + the final assessment's 3


@pytest.fixture(name="course")
def course_fixture(app, tmp_path):
    """Load the course: physics (2 lessons, 2.5 h), safety (1 lesson, 1.5 h), two quizzes."""
    tree = CourseTree(tmp_path / "courses")
    tree.module("01-physics", slug="physics", order=1, cpd_hours=2.5)
    tree.lesson("01-physics", "01-light.md", "light")
    tree.lesson("01-physics", "02-pulses.md", "pulses")
    tree.module("02-safety", slug="safety", order=2, cpd_hours=1.5)
    tree.lesson("02-safety", "01-eyes.md", "eyes")
    files = QuizFiles(tmp_path / "quizzes")
    files.quiz(textwrap.dedent(FINAL), name="final-assessment")
    with app.app_context():
        load_courses(tree.root)
        load_quizzes(files.root, LESSONS, MODULES)
        db.session.commit()
    return files


def read_module(app, user_id: int, slug: str) -> None:
    with app.app_context():
        user = db.session.get(User, user_id)
        module = db.session.scalar(sa.select(Module).where(Module.slug == slug))
        for lesson in module.live_lessons:
            reading.mark_read(user, lesson)
        db.session.commit()


def read_everything(app, user_id: int) -> None:
    for slug in ("physics", "safety"):
        read_module(app, user_id, slug)


def pass_quiz(app, user_id: int, slug: str = "final-assessment", right: bool = True) -> int:
    """Start an attempt, answer every question (rightly), submit; return the attempt id."""
    with app.app_context():
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == slug))
        user = db.session.get(User, user_id)
        moment = clock.now()
        attempt = rules.start_attempt(quiz, user_id, moment)
        for n, slot in enumerate(attempt.slots):
            rules.save_answer(slot, right_answer(slot) if right else None, n + 1, moment)
        quizzes.submit_attempt(attempt, user, moment)
        db.session.commit()
        return attempt.id


def complete_course(app, user_id: int) -> None:
    read_everything(app, user_id)
    pass_quiz(app, user_id)


def cohort_led_by(app, tutor_id: int, *trainee_ids: int, name: str = "Pendle cohort") -> int:
    with app.app_context():
        cohort = Cohort(name=name, lead_tutor_id=tutor_id, created_at=clock.now())
        db.session.add(cohort)
        db.session.flush()
        for trainee_id in trainee_ids:
            db.session.add(CohortMembership(cohort_id=cohort.id, user_id=trainee_id))
        db.session.commit()
        return cohort.id


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)
