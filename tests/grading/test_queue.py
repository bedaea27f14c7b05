"""The tutor's marking queue as a tutor uses it: a page at a time, oldest first, filters kept."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from academy import clock
from academy.auth.models import Role, User
from academy.cohorts.models import Cohort, CohortMembership
from academy.extensions import db
from academy.grading import states
from academy.grading.models import CaseAssessment, Submission, SubmissionVersion
from academy.quizzes.models import (
    Attempt,
    AttemptQuestion,
    AttemptState,
    Question,
    QuestionVersion,
    Quiz,
)
from tests.helpers import DEFAULT_PASSWORD_HASH, login, text

NOW = datetime(2026, 5, 20, 12, 0)


@pytest.fixture(autouse=True)
def _frozen():
    with clock.frozen_at(NOW):
        yield


def _trainees(prefix: str, count: int, cohort_name: str, tutor_id: int) -> list[int]:
    """``count`` trainees named ``prefix 001``..., in a cohort the tutor leads."""
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.name == cohort_name))
    cohort = cohort or Cohort(name=cohort_name, lead_tutor_id=tutor_id)
    people = [
        User(
            email=f"{prefix.lower()}{n:03d}@academy.example.com",
            full_name=f"{prefix} {n:03d}",
            password_hash=DEFAULT_PASSWORD_HASH,
            role=Role.TRAINEE,
        )
        for n in range(1, count + 1)
    ]
    db.session.add_all([cohort, *people])
    db.session.flush()
    db.session.add_all(CohortMembership(cohort_id=cohort.id, user_id=p.id) for p in people)
    return [p.id for p in people]


def waiting_plans(app, tutor_id: int, count: int, *, prefix="Plan", cohort="Pendle cohort"):
    """A waiting case plan from each of ``count`` trainees, ``Plan 001`` the oldest."""
    with app.app_context():
        assessment_id = db.session.scalar(sa.select(CaseAssessment.id))
        for n, trainee_id in enumerate(_trainees(prefix, count, cohort, tutor_id), start=1):
            submission = Submission(
                assessment_id=assessment_id,
                trainee_id=trainee_id,
                state=states.SUBMITTED,
                submitted_at=NOW - timedelta(days=200 - n),
            )
            db.session.add(submission)
            db.session.flush()
            db.session.add(SubmissionVersion(submission_id=submission.id, number=1))
        db.session.commit()
        return db.session.scalar(sa.select(Cohort.id).where(Cohort.name == cohort))


def waiting_written_answers(app, tutor_id: int, count: int, cohort="Written cohort") -> int:
    """A written answer waiting for a mark from each of ``count`` trainees, ``w-001`` oldest."""
    with app.app_context():
        quiz = Quiz(
            slug="consent-quiz",
            title="Consent quiz",
            draw=[],
            pass_mark_percent=Decimal(60),
            grading_method="highest",
            review={},
            content_hash="x",
        )
        db.session.add(quiz)
        db.session.flush()
        for n, trainee_id in enumerate(_trainees("Writer", count, cohort, tutor_id), start=1):
            question = Question(
                key=f"w-{n:03d}",
                bank="b",
                pool="b/p",
                type="written_answer",
                lesson_ref="a/b",
            )
            db.session.add(question)
            db.session.flush()
            version = QuestionVersion(
                question_id=question.id,
                version=1,
                content_hash="x",
                data={"id": question.key, "type": "written_answer", "text": "Explain."},
                points=Decimal(2),
            )
            attempt = Attempt(
                quiz_id=quiz.id,
                user_id=trainee_id,
                number=1,
                seed=n,
                state=AttemptState.AWAITING_GRADING,
                submitted_at=NOW - timedelta(days=200 - n),
            )
            db.session.add_all([version, attempt])
            db.session.flush()
            db.session.add(
                AttemptQuestion(
                    attempt_id=attempt.id,
                    position=1,
                    question_version_id=version.id,
                    layout={},
                    max_points=Decimal(2),
                    needs_marking=True,
                )
            )
        db.session.commit()
        return db.session.scalar(sa.select(Cohort.id).where(Cohort.name == cohort))


def links(page: str, label: str, nav: str = "Pages of case submissions") -> list[dict]:
    """The query of each link starting ``label`` in the navigation called ``nav``."""
    found = re.search(rf'<nav class="pager" aria-label="{nav}">(.*?)</nav>', page, re.S)
    hrefs = re.findall(rf'<a href="([^"]+)"[^>]*>{re.escape(label)}', found.group(1))
    return [
        {k: v[0] for k, v in parse_qs(urlsplit(html.unescape(href)).query).items()}
        for href in hrefs
    ]


def counts(page: str) -> dict[str, int]:
    """The figures at the top of the queue, by what they count."""
    found = re.findall(r'<span class="stat">([\d,]+)</span> ([a-z, ]+)<', page)
    return {label: int(n.replace(",", "")) for n, label in found}


def test_page_two_shows_the_next_oldest_plans(app, case, tutor, tutor_client):
    waiting_plans(app, tutor.id, 60)
    first = text(tutor_client.get("/marking/submissions"))
    assert "Showing 1–50 of 60 case submissions, oldest first." in first
    assert "Plan 001" in first and "Plan 050" in first and "Plan 051" not in first
    assert first.index("Plan 001") < first.index("Plan 002") < first.index("Plan 050")
    assert 'aria-current="page">Page 1 of 2<' in first
    assert links(first, "Next") == [{"page": "2"}]

    second = text(tutor_client.get("/marking/submissions?page=2"))
    assert "Showing 51–60 of 60 case submissions, oldest first." in second
    assert "Plan 051" in second and "Plan 060" in second and "Plan 050" not in second
    assert links(second, "Previous") == [{}]  # back to the first page, which needs no number


def test_page_and_list_links_keep_the_filters(app, case, tutor, tutor_client):
    cohort_id = waiting_plans(app, tutor.id, 60)
    waiting_written_answers(app, tutor.id, 60, cohort="Pendle cohort")
    with app.app_context():
        assessment_id = db.session.scalar(sa.select(CaseAssessment.id))
    filters = {
        "cohort": str(cohort_id),
        "assessment": str(assessment_id),
        "state": "submitted",
        "older_than": "1",
    }
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    page = text(tutor_client.get(f"/marking/submissions?{query}"))
    assert "Showing 1–50 of 60 case submissions" in page
    assert links(page, "Next") == [{**filters, "page": "2"}]
    assert f'<option value="{cohort_id}" selected>' in page
    assert '<option value="submitted" selected>' in page

    following = text(tutor_client.get(f"/marking/submissions?{query}&page=2"))
    assert "Plan 051" in following and "Showing 51–60 of 60 case submissions" in following
    assert links(following, "Previous") == [filters]
    # Over to the written answers and back, each list keeping its page and the filters.
    assert links(following, "Written quiz answers (60)", "Marking lists") == [
        {**filters, "show": "written", "page": "2"}
    ]
    written = text(tutor_client.get(f"/marking/submissions?{query}&page=2&show=written"))
    assert "Showing 1–50 of 60 written answers" in written
    assert 'type="hidden" name="show" value="written"' in written  # filtering stays here
    assert links(written, "Next", "Pages of written answers") == [
        {**filters, "show": "written", "page": "2", "written_page": "2"}
    ]
    assert links(written, "Case submissions (60)", "Marking lists") == [{**filters, "page": "2"}]


def test_counts_by_state_are_right_and_ignore_the_state_chosen(app, case, tutor, tutor_client):
    waiting_plans(app, tutor.id, 12)
    waiting_written_answers(app, tutor.id, 4)
    with app.app_context():
        ids = db.session.scalars(sa.select(Submission.id).order_by(Submission.id)).all()
        moves = {states.BEING_MARKED: ids[:3], states.AWAITING_RELEASE: ids[3:5]}
        for state, chosen in moves.items():
            db.session.execute(
                sa.update(Submission).where(Submission.id.in_(chosen)).values(state=state)
            )
        db.session.commit()
    everything = counts(text(tutor_client.get("/marking/submissions")))
    assert everything == {
        "submitted": 7,
        "being marked": 3,
        "marked, not yet released": 2,
        "written quiz answers": 4,
    }
    chosen = text(tutor_client.get("/marking/submissions?state=being_marked"))
    assert counts(chosen) == everything
    assert "Showing 1–3 of 3 case submissions" in chosen
    assert "Case submissions (3)" in chosen and "Written quiz answers (4)" in chosen
    # Only marked, unreleased plans can be released from the queue.
    assert chosen.count('name="submission"') == 0
    released = text(tutor_client.get("/marking/submissions?state=awaiting_release"))
    assert released.count('name="submission"') == 2


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("page=abc", "Case submissions: a page is a whole number from 1"),
        ("page=0", "Case submissions: a page is a whole number from 1"),
        ("page=-2", "Case submissions: a page is a whole number from 1"),
        ("page=" + "9" * 30, "Case submissions: a page is a whole number from 1"),
        ("page=7", "Case submissions: there are only 2 pages, so the last is shown."),
        ("written_page=x", "Written answers: a page is a whole number from 1"),
        ("show=written&written_page=5", "Written answers: there is only 1 page, so the last"),
        ("show=everything", "Show: choose case submissions or written answers"),
        ("cohort=abc", "Cohort: that is not a cohort you can choose"),
        ("cohort=999999", "Cohort: that is not a cohort you can choose"),
        ("cohort=" + "9" * 30, "Cohort: that is not a cohort you can choose"),
        ("assessment=999999", "Assessment: there is no such assessment"),
        ("state=passed", "State: choose one of the states listed"),
        ("older_than=100000", "Waiting at least (days): give a whole number from 0 to 3650"),
        ("older_than=-3", "Waiting at least (days): give a whole number from 0 to 3650"),
        ("older_than=1e3", "Waiting at least (days): give a whole number from 0 to 3650"),
    ],
)
def test_a_bad_page_or_filter_is_explained_and_left_out(
    app, case, tutor, tutor_client, query, note
):
    waiting_plans(app, tutor.id, 60)
    response = tutor_client.get(f"/marking/submissions?{query}")
    assert response.status_code == 200
    page = text(response)
    assert note in page and 'class="notice" role="status"' in page
    assert "Plan 0" in page or "written" in query  # the list is shown without the bad value
    if query == "page=7":
        assert "Showing 51–60 of 60" in page


def test_a_tutor_chooses_among_their_own_cohorts_only(app, case, tutor, tutor_client, other_tutor):
    waiting_plans(app, tutor.id, 2)
    theirs = waiting_plans(app, other_tutor.id, 2, prefix="Elsewhere", cohort="Burnley cohort")
    page = text(tutor_client.get("/marking/submissions"))
    assert "Pendle cohort" in page and "Burnley cohort" not in page
    assert "All my cohorts" in page and "Elsewhere" not in page
    chosen = text(tutor_client.get(f"/marking/submissions?cohort={theirs}"))
    assert "Cohort: that is not a cohort you can choose" in chosen and "Elsewhere" not in chosen


def test_an_admin_sees_every_cohort_with_their_own_first(app, case, admin, make_user):
    other = make_user(Role.TUTOR)
    waiting_plans(app, other.id, 3, prefix="Elsewhere", cohort="Burnley cohort")
    waiting_plans(app, admin.id, 2, prefix="Mine", cohort="Admin cohort")
    client = app.test_client()
    login(client, admin.email)
    page = text(client.get("/marking/submissions"))
    assert "Everyone (your cohorts first)" in page and "Burnley cohort" in page
    assert "Showing 1–5 of 5 case submissions" in page
    # The admin's own cohort first, though the others waited longer.
    assert page.index("Mine 001") < page.index("Mine 002") < page.index("Elsewhere 001")
    assert page.count("(another cohort)") == 3


def test_written_answers_are_paged_oldest_first(app, case, tutor, tutor_client, other_tutor):
    waiting_written_answers(app, tutor.id, 55)
    default = text(tutor_client.get("/marking/submissions"))
    assert '<span class="stat">55</span> written quiz answers' in default
    assert "w-001" not in default  # the case submissions are shown first
    assert links(default, "Written quiz answers (55)", "Marking lists") == [{"show": "written"}]

    first = text(tutor_client.get("/marking/submissions?show=written"))
    assert "Showing 1–50 of 55 written answers, oldest first." in first
    assert "w-001" in first and "w-050" in first and "w-051" not in first
    assert first.index("w-001") < first.index("w-002")
    nav = "Pages of written answers"
    assert links(first, "Next", nav) == [{"show": "written", "written_page": "2"}]
    second = text(tutor_client.get("/marking/submissions?show=written&written_page=2"))
    assert "Showing 51–55 of 55 written answers" in second
    assert "w-051" in second and "w-055" in second and "w-050" not in second

    # Any tutor may mark them, so another tutor sees them too, unless they choose a cohort.
    client = app.test_client()
    login(client, other_tutor.email)
    theirs = text(client.get("/marking/submissions?show=written"))
    assert "Showing 1–50 of 55 written answers" in theirs
    cohort = waiting_plans(app, other_tutor.id, 1, prefix="Elsewhere", cohort="Burnley cohort")
    narrowed = text(client.get(f"/marking/submissions?show=written&cohort={cohort}"))
    assert "No written answers waiting." in narrowed


def test_the_waiting_filter_applies_to_both_lists(app, case, tutor, tutor_client):
    waiting_plans(app, tutor.id, 5)  # waiting 195 to 199 days
    waiting_written_answers(app, tutor.id, 5)
    cases = text(tutor_client.get("/marking/submissions?older_than=197"))
    assert "Showing 1–3 of 3 case submissions" in cases
    assert "Plan 003" in cases and "Plan 004" not in cases
    written = text(tutor_client.get("/marking/submissions?older_than=197&show=written"))
    assert "Showing 1–3 of 3 written answers" in written
    assert "w-003" in written and "w-004" not in written


def test_the_queue_runs_the_same_statements_whatever_the_list_page_or_filters(
    app, case, tutor, tutor_client
):
    from tests.test_query_counts import counting_statements

    cohort_id = waiting_plans(app, tutor.id, 60)
    waiting_written_answers(app, tutor.id, 60, cohort="Pendle cohort")
    with app.app_context():
        engine = db.engine
    seen = {}
    for query in (
        "",
        f"cohort={cohort_id}&older_than=3&page=2",
        f"show=written&cohort={cohort_id}&written_page=2",
        "page=x&state=y&show=z",
    ):
        with counting_statements(engine) as statements:
            assert tutor_client.get(f"/marking/submissions?{query}").status_code == 200
        seen[query] = len(statements)
    assert set(seen.values()) == {5}, seen  # the user, two menus, the counts and one page
