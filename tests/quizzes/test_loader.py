"""The quiz loader: mistakes named with file and line; versions pinned; nothing half-loaded."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from academy.contentfiles import ContentInvalid
from academy.extensions import db
from academy.quizzes.loader import parse_quizzes
from academy.quizzes.models import Question, QuestionVersion, Quiz
from tests.quizzes.conftest import LESSONS, MODULES, load


def mistakes(files) -> list[str]:
    with pytest.raises(ContentInvalid) as caught:
        parse_quizzes(files.root, LESSONS, MODULES)
    return [str(e) for e in caught.value.errors]


def test_the_sample_loads(app, quiz_files):
    report = load(app, quiz_files)
    assert (report.quizzes, report.questions, report.new_versions) == (1, 8, 8)
    assert report.pools == {"sample/mixed": 6, "sample/cases": 1, "sample/written": 1}


def test_loading_twice_makes_no_new_versions(app, quiz_files):
    load(app, quiz_files)
    assert load(app, quiz_files).new_versions == 0


def test_an_edit_makes_a_new_version_and_keeps_the_old(app, quiz_files):
    load(app, quiz_files)
    quiz_files.edit("answer: 3.183", "answer: 3.18")
    assert load(app, quiz_files).new_versions == 1
    with app.app_context():
        question = db.session.scalar(sa.select(Question).where(Question.key == "s-fluence"))
        versions = db.session.scalars(
            sa.select(QuestionVersion)
            .where(QuestionVersion.question_id == question.id)
            .order_by(QuestionVersion.version)
        ).all()
        assert [v.data["answer"] for v in versions] == [3.183, 3.18]
        assert question.current_version_id == versions[-1].id


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("type: true_false", "type: essay", "unknown question type 'essay'"),
        (
            "          - text: Water\n",
            "          - text: Water\n            correct: true\n",
            "exactly one correct option, not 2",
        ),
        ("unit: J/cm²", "unit: furlongs", "'unit' must be one of"),
        (
            "tolerance: {relative: 0.02}",
            "tolerance: {relative: 2}",
            "a relative tolerance is a fraction",
        ),
        (
            "lesson: physics/pulses\n        text: The spot",
            "lesson: physics/nowhere\n        text: The spot",
            "lesson 'physics/nowhere' does not exist",
        ),
        (
            "items: [Consent, Test spot, Wait and review, Decide the plan]",
            "items: [Consent, Consent, x]",
            "the steps must all be different",
        ),
        ("      - id: s-tf", "      - id: S TF", "'id' must be lowercase"),
        ("        feedback: GENERAL-FEEDBACK-TF\n", "", "missing field 'feedback'"),
    ],
)
def test_bank_mistakes_are_named_with_their_line(quiz_files, old, new, expected):
    quiz_files.edit(old, new)
    found = mistakes(quiz_files)
    assert any(expected in m and m.startswith("quizzes/banks/sample.yaml:") for m in found), found


def test_the_line_number_points_at_the_mistake(quiz_files):
    quiz_files.edit("unit: J/cm²", "unit: furlongs")
    line = next(m for m in mistakes(quiz_files) if "'unit'" in m).split(":")[1]
    text = (quiz_files.root / "banks" / "sample.yaml").read_text().splitlines()
    assert "furlongs" in text[int(line) - 1]


def test_duplicate_ids_across_banks(quiz_files):
    quiz_files.bank(
        "bank: other\npools:\n  - slug: p\n    questions:\n"
        "      - {id: s-tf, type: true_false, lesson: safety/eyes, text: T, "
        "answer: true, feedback: F}\n",
        name="other",
    )
    assert any("duplicate question id 's-tf'" in m for m in mistakes(quiz_files))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "{pool: sample/cases, count: 1}",
            "{pool: sample/none, count: 1}",
            "unknown pool 'sample/none'",
        ),
        ("{pool: sample/cases, count: 1}", "{pool: sample/cases, count: 5}", "between 1 and 1"),
        ("grading_method: highest", "grading_method: average", "'grading_method' must be"),
        (
            "review: {marks: immediately, correct_answers: immediately, feedback: immediately}",
            "review: {marks: immediately, correct_answers: after_close, feedback: immediately}",
            "so 'closes_at' is needed",
        ),
        ("module: physics", "module: astrology", "unknown module 'astrology'"),
        ("pass_mark_percent: 60", "pass_mark_percent: 160", "between 0 and 100"),
    ],
)
def test_quiz_definition_mistakes(quiz_files, old, new, expected):
    path = quiz_files.root / "definitions" / "sample-quiz.yaml"
    path.write_text(path.read_text().replace(old, new))
    assert any(expected in m and "definitions/sample-quiz.yaml:" in m for m in mistakes(quiz_files))


def test_nothing_loads_when_anything_is_wrong(app, quiz_files):
    quiz_files.edit("unit: J/cm²", "unit: furlongs")
    with app.app_context(), pytest.raises(ContentInvalid):
        from academy.quizzes.loader import load_quizzes

        load_quizzes(quiz_files.root, LESSONS, MODULES)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(Quiz.id))) == 0


def test_a_removed_question_is_retired_not_deleted(app, quiz_files):
    load(app, quiz_files)
    quiz_files.edit("  - slug: written", "  - slug: unused-written")
    path = quiz_files.root / "banks" / "sample.yaml"
    text = path.read_text()
    path.write_text(text[: text.index("  - slug: unused-written")])
    assert load(app, quiz_files).retired == 1
    with app.app_context():
        question = db.session.scalar(sa.select(Question).where(Question.key == "s-written"))
        assert question.retired_at is not None
