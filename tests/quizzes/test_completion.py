"""Passing a module's quiz completes the module when its rule asks for both."""

from __future__ import annotations

import sqlalchemy as sa

from academy.catalogue.loader import load_courses
from academy.catalogue.models import ModuleCompletion
from academy.extensions import db
from tests.catalogue.conftest import CourseTree
from tests.helpers import post_form
from tests.quizzes.conftest import load
from tests.quizzes.test_attempts import right_answer
from tests.quizzes.test_pages import start


def physics_course(app, tmp_path):
    tree = CourseTree(tmp_path / "courses")
    tree.module("01-physics", slug="physics", completion_rule="all_lessons_and_quiz")
    tree.lesson("01-physics", "01-light.md", "light")
    tree.lesson("01-physics", "02-pulses.md", "pulses")
    with app.app_context():
        load_courses(tree.root)
        db.session.commit()


def pass_the_quiz(app, client):
    attempt_id = start(client)
    from academy.clock import now
    from academy.quizzes.attempts import load_attempt, save_answer

    with app.app_context():
        attempt = load_attempt(attempt_id)
        for n, slot in enumerate(attempt.slots):
            save_answer(slot, right_answer(slot), n + 1, now())
        db.session.commit()
    post_form(client, f"/attempts/{attempt_id}/submit")


def completions(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(ModuleCompletion.id)))


def test_reading_then_passing_completes_the_module(app, tmp_path, quiz_files, trainee_client):
    physics_course(app, tmp_path)
    load(app, quiz_files)
    for lesson in ("light", "pulses"):
        post_form(trainee_client, f"/modules/physics/lessons/{lesson}/read")
    assert completions(app) == 0
    pass_the_quiz(app, trainee_client)
    assert completions(app) == 1


def test_passing_then_reading_the_last_lesson_completes_the_module(
    app, tmp_path, quiz_files, trainee_client
):
    physics_course(app, tmp_path)
    load(app, quiz_files)
    pass_the_quiz(app, trainee_client)
    post_form(trainee_client, "/modules/physics/lessons/light/read")
    assert completions(app) == 0
    post_form(trainee_client, "/modules/physics/lessons/pulses/read")
    assert completions(app) == 1
