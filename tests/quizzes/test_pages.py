"""The quiz pages as a trainee and a tutor use them."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from academy import clock
from academy.audit.models import AuditEntry
from academy.extensions import db
from academy.quizzes.models import Attempt, AttemptQuestion, AttemptState, SavedAnswer
from tests.helpers import csrf_token, post_form, text
from tests.quizzes.conftest import load

START = datetime(2027, 3, 1, 9, 0, 0)
SECRETS = ["FEEDBACK", "MODEL-ANSWER", "MARKING-NOTES", "3.183", "correct", "tolerance"]


@pytest.fixture
def frozen():
    with clock.frozen_at(START):
        yield


def start(client) -> int:
    response = post_form(client, "/quizzes/sample-quiz/start")
    assert response.status_code == 302, text(response)
    return int(re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1))


def slots_of(app, attempt_id):
    with app.app_context():
        return [
            (s.id, s.version.data)
            for s in db.session.scalars(
                sa.select(AttemptQuestion)
                .where(AttemptQuestion.attempt_id == attempt_id)
                .order_by(AttemptQuestion.position)
            )
        ]


def test_quiz_page_explains_the_rules(frozen, sample_quiz, trainee_client):
    page = text(trainee_client.get("/quizzes/sample-quiz"))
    assert "30 minutes" in page and "60%" in page and "Start the quiz" in page
    assert "Sample quiz" in text(trainee_client.get("/quizzes"))


def test_nothing_served_during_an_attempt_reveals_an_answer(
    frozen, app, sample_quiz, trainee_client
):
    attempt_id = start(trainee_client)
    pages = [text(trainee_client.get(f"/attempts/{attempt_id}?page={n}")) for n in (1, 2)]
    pages.append(text(trainee_client.get(f"/attempts/{attempt_id}/summary")))
    slot_id, _data = slots_of(app, attempt_id)[0]
    reply = trainee_client.post(
        f"/attempts/{attempt_id}/autosave",
        json={"slot": slot_id, "sequence": 5, "fields": {f"q{slot_id}": ["0"]}},
        headers={"X-CSRFToken": csrf_token(trainee_client)},
    )
    pages.append(reply.get_data(as_text=True))
    for body in pages:
        for secret in SECRETS:
            assert secret not in body, f"{secret} reached the browser during the attempt"
    assert set(json.loads(pages[-1])) == {"saved", "stale", "saved_at"}


def test_autosave_keeps_the_answer_and_returning_resumes(frozen, app, sample_quiz, trainee_client):
    attempt_id = start(trainee_client)
    slots = slots_of(app, attempt_id)
    index, slot_id = next((i, s) for i, (s, d) in enumerate(slots) if d["type"] == "true_false")
    token = csrf_token(trainee_client)
    reply = trainee_client.post(
        f"/attempts/{attempt_id}/autosave",
        json={"slot": slot_id, "sequence": 10, "fields": {f"q{slot_id}": ["true"], "x": ["x"]}},
        headers={"X-CSRFToken": token},
    )
    assert reply.get_json()["saved"] is True
    stale = trainee_client.post(
        f"/attempts/{attempt_id}/autosave",
        json={"slot": slot_id, "sequence": 9, "fields": {f"q{slot_id}": ["false"]}},
        headers={"X-CSRFToken": token},
    )
    assert stale.get_json() == {"saved": False, "stale": True, "saved_at": "09:00:00"}
    assert start(trainee_client) == attempt_id  # coming back resumes the same attempt
    page = text(trainee_client.get(f"/attempts/{attempt_id}?page={index // 5 + 1}"))
    assert f'name="q{slot_id}" value="true" checked' in page


@pytest.mark.parametrize(
    "payload",
    [
        None,
        [],
        {"slot": 999, "sequence": 1, "fields": {}},
        {"slot": "x"},
        {"sequence": -1},
        {"sequence": True},
        {"fields": "not a dict"},
    ],
)
def test_bad_autosave_requests_get_a_clear_400(frozen, app, sample_quiz, trainee_client, payload):
    attempt_id = start(trainee_client)
    slot_id, _ = slots_of(app, attempt_id)[0]
    if isinstance(payload, dict):
        payload = {"slot": slot_id, "sequence": 1, "fields": {}, **payload}
    response = trainee_client.post(
        f"/attempts/{attempt_id}/autosave",
        data=json.dumps(payload),
        content_type="application/json",
        headers={"X-CSRFToken": csrf_token(trainee_client)},
    )
    assert response.status_code == 400 and "error" in response.get_json()


def test_saving_a_page_without_javascript(frozen, app, sample_quiz, trainee_client):
    attempt_id = start(trainee_client)
    slot_id, data = slots_of(app, attempt_id)[0]
    response = post_form(
        trainee_client,
        f"/attempts/{attempt_id}?page=1",
        {f"q{slot_id}": "0", f"q{slot_id}-unit": "J/cm²", "action": "next"},
    )
    assert response.headers["Location"].endswith("page=2")
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(SavedAnswer.id).where(SavedAnswer.attempt_question_id == slot_id)
            )
            is not None
        )


def test_another_trainees_attempt_is_not_found(frozen, app, sample_quiz, trainee_client, make_user):
    attempt_id = start(trainee_client)
    from tests.helpers import login

    other = app.test_client()
    login(other, make_user().email)
    assert other.get(f"/attempts/{attempt_id}").status_code == 404
    assert other.get(f"/attempts/{attempt_id}/review").status_code == 404
    assert (
        other.post(
            f"/attempts/{attempt_id}/autosave", json={}, headers={"X-CSRFToken": csrf_token(other)}
        ).status_code
        == 404
    )


def test_submit_twice_counts_once_and_the_review_teaches(frozen, app, sample_quiz, trainee_client):
    attempt_id = start(trainee_client)
    first = post_form(trainee_client, f"/attempts/{attempt_id}/submit")
    second = post_form(trainee_client, f"/attempts/{attempt_id}/submit")
    assert first.status_code == second.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 1
        assert db.session.scalar(sa.select(Attempt.state)) == AttemptState.FINISHED
    review = text(trainee_client.get(f"/attempts/{attempt_id}/review"))
    assert "GENERAL-FEEDBACK" in review and "Right answer" in review
    assert "Revisit the lesson" in review and "/modules/physics/lessons/" in review


def test_review_hides_what_the_quiz_says_to_hide(frozen, app, sample_quiz, trainee_client):
    with app.app_context():
        quiz = db.session.get(
            __import__("academy.quizzes.models", fromlist=["Quiz"]).Quiz, sample_quiz
        )
        quiz.review = {"marks": "never", "correct_answers": "never", "feedback": "never"}
        db.session.commit()
    attempt_id = start(trainee_client)
    post_form(trainee_client, f"/attempts/{attempt_id}/submit")
    review = text(trainee_client.get(f"/attempts/{attempt_id}/review"))
    assert "GENERAL-FEEDBACK" not in review and "Right answer" not in review
    assert "Grade" not in review


def test_time_runs_out_and_the_attempt_is_submitted(frozen, app, sample_quiz, trainee_client):
    attempt_id = start(trainee_client)
    clock.advance(timedelta(minutes=45))
    if True:
        response = trainee_client.get(f"/attempts/{attempt_id}")
        assert response.status_code == 302
        assert "Time ran out" in text(trainee_client.get(response.headers["Location"]))
        slot_id, _ = slots_of(app, attempt_id)[0]
        late = trainee_client.post(
            f"/attempts/{attempt_id}/autosave",
            json={"slot": slot_id, "sequence": 99, "fields": {}},
            headers={"X-CSRFToken": csrf_token(trainee_client)},
        )
        assert late.status_code == 409 and late.get_json()["closed"] is True


def test_tutor_report_csv_and_statistics(frozen, app, sample_quiz, trainee_client, tutor_client):
    attempt_id = start(trainee_client)
    post_form(trainee_client, f"/attempts/{attempt_id}/submit")
    page = text(tutor_client.get("/quizzes/sample-quiz/report"))
    assert "Question statistics" in page and "s-choice" in page or "s-case" in page
    csv = tutor_client.get("/quizzes/sample-quiz/report?format=csv")
    assert csv.mimetype == "text/csv" and "facility index" in csv.get_data(as_text=True)
    assert trainee_client.get("/quizzes/sample-quiz/report").status_code == 403


def test_regrade_dry_run_then_apply_with_an_audit_entry(
    frozen, app, quiz_files, sample_quiz, trainee_client, tutor_client
):
    attempt_id = start(trainee_client)
    with app.app_context():
        slot = db.session.scalars(
            sa.select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt_id)
        ).all()
        tf = next(s for s in slot if s.version.data["id"] == "s-tf")
        tf_id = tf.id
    if True:  # answer 'true' (wrong under the current key)
        post_form(trainee_client, f"/attempts/{attempt_id}?page=1", {f"q{tf_id}": "true"})
        post_form(trainee_client, f"/attempts/{attempt_id}?page=2", {f"q{tf_id}": "true"})
    post_form(trainee_client, f"/attempts/{attempt_id}/submit")
    quiz_files.edit("answer: false", "answer: true")  # the key was wrong: correct it
    load(app, quiz_files)
    dry = text(tutor_client.get("/quizzes/sample-quiz/regrade?question=s-tf"))
    assert "1 answer would change" in dry
    with app.app_context():
        before = db.session.scalar(sa.select(Attempt.percent))
    assert (
        post_form(tutor_client, "/quizzes/sample-quiz/regrade", {"question": "s-tf"}).status_code
        == 302
    )
    with app.app_context():
        assert db.session.scalar(sa.select(Attempt.percent)) > before
        entry = db.session.scalar(sa.select(AuditEntry))
        assert entry.action == "quiz.regrade" and entry.details["question"] == "s-tf"


def test_tutor_marks_a_written_answer(
    frozen, app, quiz_files, sample_quiz, trainee_client, tutor_client
):
    quiz_files.quiz(
        (quiz_files.root / "definitions" / "sample-quiz.yaml")
        .read_text()
        .replace("{pool: sample/cases, count: 1}", "{pool: sample/written, count: 1}")
    )
    load(app, quiz_files)
    attempt_id = start(trainee_client)
    slot_id = next(s for s, d in slots_of(app, attempt_id) if d["type"] == "written_answer")
    post_form(trainee_client, f"/attempts/{attempt_id}?page=2", {f"q{slot_id}": "<b>My</b> answer"})
    post_form(trainee_client, f"/attempts/{attempt_id}?page=1", {f"q{slot_id}": "<b>My</b> answer"})
    post_form(trainee_client, f"/attempts/{attempt_id}/submit")
    assert "waiting for a tutor" in text(trainee_client.get(f"/attempts/{attempt_id}/review"))
    queue = text(tutor_client.get("/marking"))
    assert f"/marking/{slot_id}" in queue
    page = text(tutor_client.get(f"/marking/{slot_id}"))
    assert "MODEL-ANSWER-TEXT" in page and "MARKING-NOTES-TEXT" in page
    assert "&lt;b&gt;My&lt;/b&gt; answer" in page  # shown escaped
    bad = post_form(tutor_client, f"/marking/{slot_id}", {"points": "99"})
    assert "Points: Give between 0 and 5" in text(bad)
    done = post_form(tutor_client, f"/marking/{slot_id}", {"points": "4", "comment": "Clear."})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Attempt.state)) == AttemptState.FINISHED
