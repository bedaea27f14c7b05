"""The question banks the academy ships: they load, they are substantial, every page renders."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from academy.content import load_content
from academy.extensions import db
from academy.quizzes.models import Question, Quiz
from tests.helpers import post_form, text

ROOT = Path(__file__).resolve().parents[2]
MODULES = [
    "laser-physics",
    "laser-safety",
    "skin-typing",
    "saline-techniques",
    "consultation",
    "session-planning",
    "combination-approaches",
    "professional-practice",
]


@pytest.fixture
def shipped(app):
    with app.app_context():
        report = load_content(ROOT / "courses", ROOT / "quizzes")
        db.session.commit()
    return report


def test_each_module_has_a_bank_of_twenty_questions_of_four_types(app, shipped):
    with app.app_context():
        rows = db.session.execute(sa.select(Question.bank, Question.type)).all()
        quizzes = {q.module_slug for q in db.session.scalars(sa.select(Quiz))}
    for module in MODULES:
        types = Counter(kind for bank, kind in rows if bank == module)
        assert sum(types.values()) >= 20, f"{module}: {types}"
        assert len(types) >= 4, f"{module}: {types}"
        assert module in quizzes, f"{module} has a quiz"


def test_the_final_assessment_has_at_least_six_case_studies(app, shipped):
    with app.app_context():
        cases = db.session.scalar(
            sa.select(sa.func.count(Question.id)).where(
                Question.bank == "final-assessment", Question.type == "case_study"
            )
        )
        final = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "final-assessment"))
    assert cases >= 6 and final.module_slug is None


def test_every_shipped_quiz_can_be_taken(app, shipped, trainee_client):
    with app.app_context():
        slugs = list(db.session.scalars(sa.select(Quiz.slug)))
    for slug in slugs:
        response = post_form(trainee_client, f"/quizzes/{slug}/start")
        assert response.status_code == 302, slug
        attempt = re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1)
        for page in (1, 2, 3):
            assert trainee_client.get(f"/attempts/{attempt}?page={page}").status_code == 200
        post_form(trainee_client, f"/attempts/{attempt}/submit")
        review = trainee_client.get(f"/attempts/{attempt}/review")
        assert review.status_code == 200, slug
        assert "Revisit the lesson" in text(review)
