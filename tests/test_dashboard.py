"""The dashboards: a trainee's progress, CPD, next steps and certificates; a tutor's cohorts."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from academy import clock
from academy.extensions import db
from academy.quizzes.models import Attempt, AttemptState, Quiz
from tests.course_helpers import (
    cohort_led_by,
    complete_course,
    course_fixture,  # noqa: F401
    read_module,
)
from tests.helpers import login, text

NOW = datetime(2026, 5, 20, 12, 0)


@pytest.fixture(autouse=True)
def _frozen():
    with clock.frozen_at(NOW):
        yield


def test_a_new_trainee_sees_the_next_lesson_and_empty_progress(app, course, trainee_client):
    page = text(trainee_client.get("/"))
    assert "What to do next" in page
    assert "Lesson light" in page and "Read the lesson" in page
    assert 'aria-label="Whole course: 0%"' in page
    assert 'aria-label="Module 01-physics: 0%"' in page
    assert "0.00</strong> of 20 hours" in page
    assert "None yet. Your course certificate is issued" in page


def test_progress_cpd_chart_and_a_quiz_with_attempts_left(app, course, trainee, trainee_client):
    read_module(app, trainee.id, "physics")
    page = text(trainee_client.get("/"))
    assert 'aria-label="Module 01-physics: 100%"' in page
    assert 'aria-label="Whole course: 50%"' in page
    assert "1 of 2 modules completed" in page
    assert "2.50</strong> of 20 hours" in page and "Academy module: 2.50 h" in page
    assert "Sample quiz" in page and "Not passed yet · 2 attempts left" in page
    assert "Final assessment" not in page.split("What to do next")[1].split("</section>")[0]
    # the chart is an SVG with its data in words, styled only from the stylesheet
    svg = re.search(r"<svg class=\"chart cpd-chart\".*?</svg>", page, re.S).group(0)
    assert 'role="img"' in svg and '<title id="home-cpd-chart-title">' in svg
    assert "May 2026: 2.5 h" in svg and "against a target of 20 hours" in svg
    assert svg.count("<rect") == 1 and "stroke-dasharray" not in svg
    assert " style=" not in page and "<script>" not in page


def test_a_trainee_who_finished_sees_the_certificate(app, course, trainee, trainee_client):
    complete_course(app, trainee.id)
    page = text(trainee_client.get("/"))
    assert "Course certificate: Safe Removal of Scalp Micropigmentation" in page
    assert "7.00</strong> of 20 hours" in page
    assert "final assessment passed" in page


def test_a_tutor_sees_who_is_behind_and_who_waits_for_a_mark(
    app, course, make_user, tutor, tutor_client
):
    busy = make_user(full_name="Busy Bee")
    idle = make_user(full_name="Idle Ivy")
    waiting = make_user(full_name="Waiting Wes")
    cohort_led_by(app, tutor.id, busy.id, idle.id, waiting.id)
    read_module(app, busy.id, "physics")
    read_module(app, waiting.id, "physics")
    with app.app_context():
        quiz_id = db.session.scalar(sa.select(Quiz.id).where(Quiz.slug == "sample-quiz"))
        db.session.add(
            Attempt(
                quiz_id=quiz_id,
                user_id=waiting.id,
                number=1,
                seed=1,
                max_score=1,
                state=AttemptState.AWAITING_GRADING,
                started_at=NOW - timedelta(days=20),
            )
        )
        db.session.commit()
    with clock.frozen_at(NOW + timedelta(days=15)):
        login(tutor_client, tutor.email)
        page = text(tutor_client.get("/"))
    assert "Pendle cohort" in page
    rows = {
        name: re.search(rf"{name}</a>.*?</tr>", page, re.S).group(0)
        for name in ("Busy Bee", "Idle Ivy", "Waiting Wes")
    }
    assert "has not started" in rows["Idle Ivy"]
    assert "inactive for 15 days" in rows["Busy Bee"]
    assert ">1</a>" in rows["Waiting Wes"]  # one attempt waiting for a mark
    assert f'href="/progress/trainees/{idle.id}"' in page  # drill-down to the trainee
    assert f'href="/cpd/trainees/{idle.id}"' in page
    assert re.search(r'<span class="stat">1</span> waiting for a mark', page)


def test_a_tutor_without_cohorts_is_told_so(tutor_client):
    assert "You are not the lead tutor of a cohort yet." in text(tutor_client.get("/"))
