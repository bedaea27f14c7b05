"""The number of SQL statements each busy page runs does not grow with the data.

The academy is generated twice, small and larger (``academy.scale.generator``, with the same
seed, so the trainee measured has the same history in both), and each page's statements are
counted with SQLAlchemy's ``before_cursor_execute`` event. A query per row (an N+1) shows
as a count that grows with the larger academy.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from academy.auth.models import User
from academy.certificates.models import Certificate
from academy.certificates.signing import signing_key
from academy.cohorts.models import Cohort
from academy.content import load_content
from academy.extensions import db
from academy.quizzes.models import Attempt, AttemptState, Quiz
from academy.scale import generator
from tests.helpers import login, post_form

ROOT = Path(__file__).resolve().parent.parent
# A seed whose tutor001 has more to mark in the larger academy, case plans and written quiz
# answers alike (asserted below), so a query per row of the queue would show.
SEED = 15
SMALL = generator.Size("small", trainees=10, tutors=2, cohorts=2)
LARGER = generator.Size("larger", trainees=60, tutors=2, cohorts=2)
QUIZ = "laser-physics-quiz"


@contextmanager
def counting_statements(engine: sa.Engine):
    """Count every statement sent to the database inside the block."""
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def _empty_database() -> None:
    db.session.remove()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as connection:
        if db.engine.dialect.name == "postgresql":
            connection.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                connection.execute(sa.text(f"DELETE FROM {name}"))  # noqa: S608 (our tables)


def _trainee_with_most_history() -> str:
    """Of the first trainees (the same people at both sizes), the one who did the most."""
    emails = [generator.trainee_email(n) for n in range(1, SMALL.trainees + 1)]
    busy = sa.func.count(Attempt.id)
    open_attempts = (
        sa.select(Attempt.user_id).where(Attempt.state == AttemptState.IN_PROGRESS).subquery()
    )
    email = db.session.scalar(
        sa.select(User.email)
        .join(Attempt, Attempt.user_id == User.id)
        .where(User.email.in_(emails), User.id.not_in(sa.select(open_attempts.c.user_id)))
        .group_by(User.id, User.email)
        .order_by(busy.desc(), User.email)
        .limit(1)
    )
    assert email, "the generator gave the first trainees some quiz attempts"
    return email


def _measure(app, size: generator.Size) -> dict[str, int]:
    """Generate ``size`` into an empty database and count each page's statements."""
    with app.app_context():
        _empty_database()
        load_content(ROOT / "courses", ROOT / "quizzes")
        db.session.commit()
        generator.generate(db.engine, size, SEED, signing_key=signing_key(app.config))
        trainee_email = _trainee_with_most_history()
        code = db.session.scalar(sa.select(Certificate.code).order_by(Certificate.id).limit(1))
        cohort_id = db.session.scalar(sa.select(Cohort.id).order_by(Cohort.id).limit(1))
        lesson = db.session.execute(
            sa.text(
                # The course's first lesson: its module has no prerequisites to lock it.
                "SELECT m.slug, l.slug FROM lessons l JOIN modules m ON m.id = l.module_id "
                "ORDER BY m.position, l.position LIMIT 1"
            )
        ).one()
        waiting = _waiting_for_tutor_one()
        quiz_slugs = db.session.scalars(
            sa.select(Quiz.slug).order_by(Quiz.module_slug.is_(None), Quiz.slug)
        ).all()
        db.session.remove()
    password = generator.PASSWORD

    trainee = app.test_client()
    assert login(trainee, trainee_email, password).status_code == 302
    # A fresh attempt at the first quiz the trainee may start, as they would start it.
    attempt_url = None
    for slug in quiz_slugs:
        started = post_form(trainee, f"/quizzes/{slug}/start")
        match = re.search(r"/attempts/(\d+)$", started.headers.get("Location", ""))
        if match:
            attempt_url = match.group(0)
            break
    assert attempt_url, "the trainee could start no quiz"

    tutor = app.test_client()
    assert login(tutor, generator.tutor_email(1), password).status_code == 302

    pages = {
        "trainee dashboard": (trainee, "/"),
        "lesson": (trainee, f"/modules/{lesson[0]}/lessons/{lesson[1]}"),
        "quiz page during an attempt": (trainee, attempt_url),
        "CPD record": (trainee, "/cpd"),
        "tutor's marking queue": (tutor, "/marking/submissions"),
        "marking queue, page 2": (tutor, "/marking/submissions?page=2&older_than=1"),
        "marking queue, written": (tutor, "/marking/submissions?show=written&written_page=2"),
        "quiz statistics": (tutor, f"/quizzes/{QUIZ}/report"),
        "quiz statistics, page 2": (tutor, f"/quizzes/{QUIZ}/report?page=2"),
        "quiz statistics, a cohort": (tutor, f"/quizzes/{QUIZ}/report?cohort={cohort_id}"),
        "verify page": (app.test_client(), f"/verify/{code}" if code else "/verify"),
    }
    with app.app_context():
        engine = db.engine
    counts = {}
    # Requests outside any app context of ours: each gets its own (and its own current user).
    for name, (client, url) in pages.items():
        client.get(url)  # anything done once (an overdue attempt submitted) is done now
        with counting_statements(engine) as seen:
            response = client.get(url)
        assert response.status_code == 200, f"{name}: {response.status_code}"
        counts[name] = len(seen)
    return counts, waiting


def _waiting_for_tutor_one() -> tuple[int, int]:
    """Case plans in tutor001's queue, and written quiz answers waiting for any tutor."""
    plans = db.session.scalar(
        sa.text(
            "SELECT COUNT(*) FROM submissions s "
            "JOIN cohort_memberships m ON m.user_id = s.trainee_id "
            "JOIN cohorts c ON c.id = m.cohort_id JOIN users t ON t.id = c.lead_tutor_id "
            "WHERE t.email = :tutor "
            "AND s.state IN ('submitted', 'being_marked', 'awaiting_release')"
        ),
        {"tutor": generator.tutor_email(1)},
    )
    written = db.session.scalar(
        sa.text("SELECT COUNT(*) FROM attempt_questions WHERE needs_marking = :yes"),
        {"yes": True},
    )
    return plans, written


def test_pages_run_the_same_number_of_queries_at_both_sizes(app):
    small, small_waiting = _measure(app, SMALL)
    larger, larger_waiting = _measure(app, LARGER)
    assert all(0 < a < b for a, b in zip(small_waiting, larger_waiting, strict=True)), (
        "the larger academy should give the tutor more of each kind of work to mark"
    )
    report = "\n".join(f"{name:<30}{small[name]:>6}{larger[name]:>8}" for name in small)
    print(f"\n{'page':<30}{'small':>6}{'larger':>8}\n{report}")
    assert larger == small, f"a page's queries grow with the data:\n{report}"
