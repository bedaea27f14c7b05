"""The scale generator: deterministic from its seed, consistent, and usable by the pages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from academy.auth.passwords import verify_password
from academy.certificates import signing
from academy.content import load_content
from academy.extensions import db
from academy.scale import generator
from tests.test_query_counts import _empty_database

ROOT = Path(__file__).resolve().parent.parent
TINY = generator.Size("tiny", trainees=12, tutors=2, cohorts=3)
TODAY = date(2026, 6, 1)


def _load_content():
    load_content(ROOT / "courses", ROOT / "quizzes")
    db.session.commit()


def _snapshot() -> dict[str, list[tuple]]:
    """What was generated, table by table, in id order (JSON as text)."""
    tables = {
        "users": "id, email, full_name, role, created_at",
        "quiz_attempts": "id, quiz_id, user_id, number, state, seed, started_at, score, passed",
        "attempt_questions": "id, attempt_id, question_version_id, fraction, needs_marking",
        "saved_answers": "id, attempt_question_id, sequence, saved_at",
        "submissions": "id, assessment_id, trainee_id, state, submitted_at",
        "marks": "id, submission_id, version_number, outcome, total",
        "cpd_entries": "id, user_id, activity, reference, hours, completed_at",
        "certificates": "id, number, code, signature, issued_at",
    }
    return {
        name: [
            tuple(row)
            for row in db.session.execute(sa.text(f"SELECT {columns} FROM {name} ORDER BY id"))  # noqa: S608
        ]
        for name, columns in tables.items()
    }


def _generate(app, seed: int):
    with app.app_context():
        _empty_database()
        _load_content()
        report = generator.generate(
            db.engine, TINY, seed, signing_key=signing.signing_key(app.config), today=TODAY
        )
        return report, _snapshot()


def test_the_same_seed_and_day_give_the_same_academy(app):
    first_report, first = _generate(app, seed=11)
    _, again = _generate(app, seed=11)
    _, other = _generate(app, seed=12)
    assert first == again
    assert first != other
    assert first_report.counts["users"] == TINY.trainees + TINY.tutors + 1
    assert first_report.counts["saved_answers"] > 0 and first_report.counts["submissions"] > 0


def test_generated_data_is_consistent_with_the_rules(app):
    _generate(app, seed=5)
    with app.app_context():
        password_hash = db.session.scalar(
            sa.select(sa.text("password_hash")).select_from(sa.text("users")).limit(1)
        )
        assert verify_password(password_hash, generator.PASSWORD)
        # Every finished attempt's score is its slots' scores; passing follows the pass mark.
        rows = db.session.execute(
            sa.text(
                "SELECT a.id, a.score, a.percent, a.passed, q.pass_mark_percent, "
                "SUM(aq.fraction * aq.max_points) FROM quiz_attempts a "
                "JOIN quizzes q ON q.id = a.quiz_id "
                "JOIN attempt_questions aq ON aq.attempt_id = a.id "
                "WHERE a.state = 'finished' GROUP BY a.id, a.score, a.percent, a.passed, "
                "q.pass_mark_percent"
            )
        ).all()
        assert rows
        for _id, score, percent, passed, pass_mark, slots in rows:
            assert abs(float(score) - float(slots)) < 0.01
            assert bool(passed) == (float(percent) >= float(pass_mark))
        # A module completion has its CPD entry; nothing is dated after the anchor day.
        missing = db.session.scalar(
            sa.text(
                "SELECT COUNT(*) FROM module_completions mc JOIN modules m ON m.id = mc.module_id "
                "WHERE NOT EXISTS (SELECT 1 FROM cpd_entries c WHERE c.user_id = mc.user_id "
                "AND c.activity = 'module' AND c.reference = m.slug)"
            )
        )
        assert missing == 0
        latest = db.session.scalar(sa.text("SELECT MAX(saved_at) FROM saved_answers"))
        assert str(latest) < TODAY.isoformat()


def test_it_refuses_without_content_and_a_second_time(app):
    with app.app_context(), pytest.raises(generator.GeneratorError, match="content load"):
        generator.generate(db.engine, TINY, 1, signing_key=b"k" * 32, today=TODAY)
    _generate(app, seed=1)
    with app.app_context(), pytest.raises(generator.GeneratorError, match="already"):
        generator.generate(db.engine, TINY, 1, signing_key=b"k" * 32, today=TODAY)


def test_the_command_prints_the_log_ins(app):
    with app.app_context():
        _load_content()
    result = app.test_cli_runner().invoke(
        args=["demo", "generate", "--size", "S", "--seed", "3", "--today", "2026-06-01"]
    )
    assert result.exit_code == 0, result.output
    assert "trainee00001@scale.example.com" in result.output
    assert generator.PASSWORD in result.output
    with app.app_context():
        trainees = db.session.scalar(
            sa.text("SELECT COUNT(*) FROM users WHERE email LIKE 'trainee%@scale.example.com'")
        )
    assert trainees == 100
