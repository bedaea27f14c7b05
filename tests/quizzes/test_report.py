"""The tutor's quiz statistics page as a tutor reads it: summary, pages of grades, CSV."""

from __future__ import annotations

import csv
import io
import math
import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from academy.auth.models import Role, User
from academy.cohorts.models import Cohort, CohortMembership
from academy.extensions import db
from academy.paging import Page
from academy.quizzes import attempts as attempt_rules
from academy.quizzes import services
from academy.quizzes.models import (
    Attempt,
    AttemptQuestion,
    AttemptState,
    Question,
    QuestionVersion,
    Quiz,
)
from tests.helpers import DEFAULT_PASSWORD_HASH, text

START = datetime(2027, 3, 1, 9, 0, 0)
URL = "/quizzes/sample-quiz/report"


def _trainee(name: str, email: str) -> User:
    user = User(email=email, full_name=name, password_hash=DEFAULT_PASSWORD_HASH, role=Role.TRAINEE)
    db.session.add(user)
    db.session.flush()
    return user


def _attempt(quiz_id, user, number, percent, state=AttemptState.FINISHED, score=None, maximum=3):
    percent = None if percent is None else Decimal(str(percent))
    attempt = Attempt(
        quiz_id=quiz_id,
        user_id=user.id,
        number=number,
        seed=number,
        state=state,
        started_at=START + timedelta(minutes=number),
        submitted_at=None if state == AttemptState.IN_PROGRESS else START + timedelta(hours=number),
        max_score=Decimal(maximum),
        score=None if score is None else Decimal(str(score)),
        percent=percent,
        passed=None if percent is None else percent >= 60,
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


def _slot(attempt, version, position, fraction):
    db.session.add(
        AttemptQuestion(
            attempt_id=attempt.id,
            position=position,
            question_version_id=version.id,
            layout={},
            max_points=version.points,
            fraction=None if fraction is None else Decimal(str(fraction)),
        )
    )


def _version(key: str) -> QuestionVersion:
    return db.session.scalar(
        sa.select(QuestionVersion)
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(Question.key == key)
        .order_by(QuestionVersion.version.desc())
    )


def _names(page: str) -> list[str]:
    """The trainees in the grades table, in the order shown."""
    grades = page.split('id="grades-heading"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr><td>([^<]+)<br>", grades)


@pytest.fixture
def crowd(app, sample_quiz):
    """120 trainees named T000..T119 (inserted out of order), one finished attempt each;
    the even-numbered ones in one cohort. Returns the cohort's id."""
    with app.app_context():
        cohort = Cohort(name="Spring")
        db.session.add(cohort)
        db.session.flush()
        for n in reversed(range(120)):
            user = _trainee(f"T{n:03d}", f"t{n:03d}@academy.example.com")
            _attempt(sample_quiz, user, 1, n % 100)
            if n % 2 == 0:
                db.session.add(CohortMembership(cohort_id=cohort.id, user_id=user.id))
        db.session.commit()
        return cohort.id


def test_grades_come_fifty_to_a_page_in_name_order(crowd, tutor_client):
    first = text(tutor_client.get(URL))
    assert _names(first) == [f"T{n:03d}" for n in range(50)]
    assert "Showing trainees 1–50 of 120" in first
    assert '<nav aria-label="Pages of grades"' in first and 'aria-current="page">Page 1<' in first

    second = text(tutor_client.get(f"{URL}?page=2"))
    assert _names(second) == [f"T{n:03d}" for n in range(50, 100)]
    assert "Showing trainees 51–100 of 120" in second
    assert 'rel="prev"' in second and 'rel="next"' in second

    last = text(tutor_client.get(f"{URL}?page=3"))
    assert _names(last) == [f"T{n:03d}" for n in range(100, 120)]
    assert "Showing trainees 101–120 of 120" in last and 'rel="next"' not in last
    assert "page=4" not in last


@pytest.mark.parametrize(("asked", "shown"), [("0", 1), ("-2", 1), ("abc", 1), ("99", 3)])
def test_a_page_that_does_not_exist_shows_the_nearest_one(crowd, tutor_client, asked, shown):
    response = tutor_client.get(f"{URL}?page={asked}")
    assert response.status_code == 200
    assert f'aria-current="page">Page {shown}<' in text(response)


def test_a_huge_page_number_or_cohort_is_not_a_server_error(crowd, tutor_client):
    assert tutor_client.get(f"{URL}?page={10**30}").status_code == 200
    assert tutor_client.get(f"{URL}?cohort={10**30}").status_code == 404
    assert tutor_client.get(f"{URL}?cohort=-3&format=csv").status_code == 404


def test_page_links_keep_the_cohort(crowd, tutor_client):
    page = text(tutor_client.get(f"{URL}?cohort={crowd}"))
    assert _names(page) == [f"T{n:03d}" for n in range(0, 100, 2)]
    assert "Showing trainees 1–50 of 60" in page
    links = re.findall(r'href="([^"]*page=\d+[^"]*)"', page)
    assert links and all(f"cohort={crowd}" in link for link in links)
    second = text(tutor_client.get(f"{URL}?cohort={crowd}&page=2"))
    assert _names(second) == [f"T{n:03d}" for n in range(100, 120, 2)]


def test_summary_counts_every_attempt_not_just_the_page(crowd, tutor_client):
    page = text(tutor_client.get(f"{URL}?page=2"))
    # Percent n % 100 for T000..T119; pass mark 60: T060..T099 pass (40 trainees).
    assert re.search(r'class="stat">120</span> trainees with an attempt', page)
    assert re.search(r'class="stat">120</span> attempts, 120 finished', page)
    assert re.search(r'class="stat">33.3%</span> passed: 40 of 120 trainees', page)
    # Mean of 0..99 and 0..19 = (4950 + 190) / 120.
    assert f"{(4950 + 190) / 120:.1f}%" in page


def _grade_cells(page: str) -> dict[str, tuple[str, str]]:
    grades = page.split('id="grades-heading"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>([^<]+)<br>.*?</td><td>([^<]+)</td><td>(yes|no)</td></tr>", grades)
    return {name: (grade, passed) for name, grade, passed in rows}


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("highest", {"Ann": ("80%", "yes"), "Bob": ("70%", "yes"), "Cat": ("—", "no")}),
        ("last", {"Ann": ("40%", "no"), "Bob": ("70%", "yes"), "Cat": ("—", "no")}),
    ],
)
def test_grades_follow_the_quizs_grading_method(app, sample_quiz, tutor_client, method, expected):
    with app.app_context():
        db.session.get(Quiz, sample_quiz).grading_method = method
        ann = _trainee("Ann", "ann@academy.example.com")
        _attempt(sample_quiz, ann, 1, 80)
        _attempt(sample_quiz, ann, 2, 40)
        _attempt(sample_quiz, ann, 3, None, state=AttemptState.IN_PROGRESS)  # never counts
        bob = _trainee("Bob", "bob@academy.example.com")
        _attempt(sample_quiz, bob, 1, 50)
        _attempt(sample_quiz, bob, 2, 70)
        _attempt(sample_quiz, bob, 3, None, state=AttemptState.AWAITING_GRADING)
        cat = _trainee("Cat", "cat@academy.example.com")
        _attempt(sample_quiz, cat, 1, None, state=AttemptState.IN_PROGRESS)
        db.session.commit()
    page = text(tutor_client.get(URL))
    assert _grade_cells(page) == expected
    passed = sum(1 for _, ok in expected.values() if ok == "yes")
    assert re.search(
        rf"passed: {passed} of 2 trainees with a finished attempt \(the {method}", page
    )


@pytest.mark.parametrize("method", ["highest", "last"])
def test_the_pass_count_agrees_with_the_grading_rule(app, sample_quiz, method):
    """The database's grade per trainee (for the pass rate) is the rule's, trainee by trainee."""
    with app.app_context():
        quiz = db.session.get(Quiz, sample_quiz)
        quiz.grading_method = method
        pattern = [(55, 65), (65, 55), (None, 61), (60,), (59.99, None), (100, 0, 60), ()]
        for n, percents in enumerate(pattern * 3):
            user = _trainee(f"P{n:02d}", f"p{n:02d}@academy.example.com")
            for number, percent in enumerate(percents, start=1):
                state = AttemptState.IN_PROGRESS if percent is None else AttemptState.FINISHED
                _attempt(sample_quiz, user, number, percent, state=state)
        db.session.flush()
        report = services.quiz_report(quiz, per_page=4)
        by_rule = []
        for page in range(1, report.grades.pages + 1):
            for row in services.quiz_report(quiz, page=page, per_page=4).grades.items:
                grade, passed = attempt_rules.quiz_grade(
                    quiz, attempt_rules.attempts_of(quiz, row.user_id)
                )
                assert (row.grade, row.passed) == (grade, passed)
                by_rule.append(passed)
        assert report.summary.trainees == len(by_rule) == 18  # the empty pattern has no attempt
        assert report.summary.passed == sum(by_rule)


@pytest.fixture
def worked_example(app, sample_quiz):
    """Four finished attempts at two questions (s-tf, 1 mark; s-case, 3 marks, given as 2).

    s-tf right in the two best attempts; s-case 2, 1, 1, 0 of 2. Totals out of 3: 3, 2, 1, 0,
    so grades 100, 66.67, 33.33 and 0 percent. One attempt still in progress, which counts
    as an attempt but not in the statistics. The fourth attempt had an older version of s-tf.
    """
    with app.app_context():
        tf, case = _version("s-tf"), _version("s-case")
        case.points = Decimal(2)
        old_tf = QuestionVersion(
            question_id=tf.question_id,
            version=0,
            content_hash="old",
            data={**tf.data, "text": "An older wording."},
            points=Decimal(1),
        )
        db.session.add(old_tf)
        db.session.flush()
        rows = [(1, 1, 100), (1, 0.5, 66.67), (0, 0.5, 33.33), (0, 0, 0)]
        for n, (tf_fraction, case_fraction, percent) in enumerate(rows):
            user = _trainee(f"W{n}", f"w{n}@academy.example.com")
            score = tf_fraction + 2 * case_fraction
            attempt = _attempt(sample_quiz, user, 1, percent, score=score, maximum=3)
            _slot(attempt, old_tf if n == 3 else tf, 1, tf_fraction)
            _slot(attempt, case, 2, case_fraction)
        busy = _attempt(sample_quiz, user, 2, None, state=AttemptState.IN_PROGRESS)
        _slot(busy, tf, 1, None)
        db.session.commit()


def test_distribution_and_item_statistics_match_the_hand_worked_example(
    app, sample_quiz, worked_example
):
    with app.app_context():
        report = services.quiz_report(db.session.get(Quiz, sample_quiz))
    assert report.distribution == [1, 0, 0, 1, 0, 0, 1, 0, 0, 1]
    summary = report.summary
    assert (summary.attempts, summary.finished, summary.trainees) == (5, 4, 4)
    assert math.isclose(summary.mean_percent, (100 + 66.67 + 33.33 + 0) / 4)
    assert (summary.graded, summary.passed) == (4, 2)
    stats = {item.key: item for item, _question, _text in report.items}
    assert set(stats) == {"s-tf", "s-case"}  # both versions of s-tf are one question
    # s-tf: x (1, 1, 0, 0), rest (2, 1, 1, 0): Sxy = 1, Sxx = 1, Syy = 2, r = 1/sqrt(2).
    # s-case: x (2, 1, 1, 0), rest (1, 1, 0, 0): Sxy = 1, Sxx = 2, Syy = 1, r = 1/sqrt(2).
    for key in ("s-tf", "s-case"):
        assert stats[key].attempts == 4
        assert math.isclose(stats[key].facility, 50.0)
        assert math.isclose(stats[key].discrimination, 100 / math.sqrt(2))


def test_the_page_shows_the_worked_example(app, sample_quiz, worked_example, tutor_client):
    page = text(tutor_client.get(URL))
    assert "0–10%: 1. 10–20%: 0. 20–30%: 0. 30–40%: 1." in page
    assert "<code>s-case</code>" in page and "<code>s-tf</code>" in page
    assert page.count(">71</td>") == 2  # both discrimination indices, rounded


def test_the_csv_has_every_attempt_and_disarms_formulas(crowd, app, sample_quiz, tutor_client):
    with app.app_context():
        sneaky = _trainee('=HYPERLINK("http://evil.example")', "-sneaky@academy.example.com")
        _attempt(sample_quiz, sneaky, 1, 75)
        db.session.commit()
    response = tutor_client.get(f"{URL}?format=csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(text(response))))
    attempts = rows[1 : rows.index([])]
    assert rows[0][:3] == ["trainee", "email", "attempt"]
    assert len(attempts) == 121
    assert [row[0] for row in attempts[:3]] == [
        '\'=HYPERLINK("http://evil.example")',
        "T000",
        "T001",
    ]
    assert attempts[0][1] == "'-sneaky@academy.example.com"
    assert attempts[-1][:4] == ["T119", "t119@academy.example.com", "1", "finished"]

    cohort = list(
        csv.reader(io.StringIO(text(tutor_client.get(f"{URL}?format=csv&cohort={crowd}"))))
    )
    assert len(cohort[1 : cohort.index([])]) == 60


@pytest.mark.parametrize(
    ("page", "pages", "links"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 200, [1, 2, 3, None, 200]),
        (50, 200, [1, None, 48, 49, 50, 51, 52, None, 200]),
        (4, 200, [1, 2, 3, 4, 5, 6, None, 200]),
        (200, 200, [1, None, 198, 199, 200]),
    ],
)
def test_page_links_show_the_ends_and_the_pages_nearby(page, pages, links):
    assert Page([], page, pages * 50, 50).links() == links
