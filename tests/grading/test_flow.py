"""A case plan from draft to released mark, as trainee and tutor do it in the pages."""

from __future__ import annotations

import sqlalchemy as sa

from academy.audit.models import AuditEntry
from academy.extensions import db
from academy.grading.models import Mark, Notification, SubmissionVersion
from tests.grading.conftest import PLAN, state, submission_id
from tests.helpers import csrf_token, post_form, text

RUBRIC_FORM = {
    "level-safety": "2",
    "level-schedule": "2",
    "level-aftercare": "1",
    "level-expectations": "1",
    "comment-safety": "Good choice of 1064 nm.",
    "overall_feedback": "A careful plan.",
    "outcome": "pass",
}


def submit_plan(client, run_id, extra=None):
    post_form(client, "/cases/dense-carbon/start")
    data = {**PLAN, "task-parameters-run": str(run_id), "action": "submit", **(extra or {})}
    return post_form(client, "/cases/dense-carbon/draft", data)


def test_an_incomplete_plan_is_kept_as_a_draft_and_not_submitted(app, case, cohort, trainee_client):
    post_form(trainee_client, "/cases/dense-carbon/start")
    response = post_form(
        trainee_client,
        "/cases/dense-carbon/draft",
        {"task-aftercare-text": "Keep it clean.", "action": "submit"},
    )
    page = text(trainee_client.get(response.headers["Location"]))
    assert (
        "Answer every task before submitting" in page and "Method and why: choose a method" in page
    )
    assert state(app) == "draft"
    assert "Keep it clean." in page  # nothing typed is lost


def test_autosave_keeps_the_newest_draft(app, case, cohort, trainee_client):
    post_form(trainee_client, "/cases/dense-carbon/start")
    token = csrf_token(trainee_client)
    save = lambda seq, words: trainee_client.post(  # noqa: E731
        "/cases/dense-carbon/autosave",
        headers={"X-CSRFToken": token},
        json={"sequence": seq, "fields": {"task-aftercare-text": [words]}},
    )
    assert save(20, "newer").get_json()["saved"] is True
    assert save(10, "older").get_json()["stale"] is True
    with app.app_context():
        answers = db.session.scalar(sa.select(SubmissionVersion.answers))
    assert answers["aftercare"]["text"] == "newer"
    bad = trainee_client.post(
        "/cases/dense-carbon/autosave",
        headers={"X-CSRFToken": token},
        json={"sequence": "x", "fields": {}},
    )
    assert bad.status_code == 400 and "sequence" in bad.get_json()["error"]


def test_submit_mark_return_resubmit_pass_release(
    app, case, cohort, saved_run, trainee_client, tutor_client, trainee
):
    assert submit_plan(trainee_client, saved_run).status_code == 302
    assert state(app) == "submitted"
    sid = submission_id(app)
    with app.app_context():
        assert db.session.scalar(sa.select(Notification.message)).startswith(trainee.full_name)

    queue = text(tutor_client.get("/marking/submissions"))
    assert trainee.full_name in queue and "Dense carbon on type V skin" in queue
    page = text(tutor_client.get(f"/marking/submissions/{sid}"))
    assert "MODEL-ANSWER" in page and "Type V plan" in page  # the simulator run is in the plan
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the trainee's text is escaped

    returned = {**RUBRIC_FORM, "outcome": "return", "action": "finish", "lock_version": "0"}
    assert post_form(tutor_client, f"/marking/submissions/{sid}", returned).status_code == 302
    assert state(app) == "awaiting_release"
    assert "Being marked" in text(trainee_client.get("/cases/dense-carbon"))
    assert "A careful plan." not in text(trainee_client.get("/cases/dense-carbon"))

    post_form(tutor_client, f"/marking/submissions/{sid}/release")
    assert state(app) == "returned"
    case_page = text(trainee_client.get("/cases/dense-carbon"))
    assert "A careful plan." in case_page and "Returned for resubmission" in case_page

    post_form(trainee_client, "/cases/dense-carbon/reopen")
    assert submit_plan(trainee_client, saved_run).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(SubmissionVersion.id))) == 2
    second = text(tutor_client.get(f"/marking/submissions/{sid}"))
    assert "This is a resubmission" in second and "Earlier marks" in second
    assert 'value="2" checked' not in second.split("Earlier marks")[0]  # nothing carries over

    passed = {**RUBRIC_FORM, "action": "finish", "lock_version": "0"}
    post_form(tutor_client, f"/marking/submissions/{sid}", passed)
    post_form(tutor_client, f"/marking/submissions/{sid}/release")
    assert state(app) == "passed"
    final = text(trainee_client.get("/cases/dense-carbon"))
    assert "Passed" in final and "Good choice of 1064 nm." in final and "10 of 12" in final
    assert "Version 1" in final  # the returned version is kept
    with app.app_context():
        actions = list(db.session.scalars(sa.select(AuditEntry.action)))
        marks = db.session.scalars(sa.select(Mark).order_by(Mark.id)).all()
    assert actions.count("submission.state") >= 8 and "mark.saved" in actions
    assert [(m.version_number, m.outcome) for m in marks] == [(1, "return"), (2, "pass")]


def test_finishing_needs_every_criterion_and_an_outcome(
    app, case, cohort, saved_run, trainee_client, tutor_client
):
    submit_plan(trainee_client, saved_run)
    sid = submission_id(app)
    response = post_form(
        tutor_client,
        f"/marking/submissions/{sid}",
        {
            "level-safety": "2",
            "action": "finish",
            "lock_version": "0",
            "overall_feedback": "Typed feedback kept.",
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert "Choose a level for every criterion" in page and "Typed feedback kept." in page


def test_two_tutors_cannot_overwrite_each_other(
    app, case, cohort, saved_run, trainee_client, tutor_client, admin_client
):
    submit_plan(trainee_client, saved_run)
    sid = submission_id(app)
    first = post_form(
        tutor_client,
        f"/marking/submissions/{sid}",
        {**RUBRIC_FORM, "action": "save", "lock_version": "0"},
    )
    assert first.status_code == 302
    # The admin opened the page before the tutor saved: their form still says lock 0.
    stale = post_form(
        admin_client,
        f"/marking/submissions/{sid}",
        {
            **RUBRIC_FORM,
            "overall_feedback": "Admin's long feedback.",
            "action": "save",
            "lock_version": "0",
        },
    )
    assert stale.status_code == 409
    page = text(stale)
    assert "Your mark was not saved" in page and "Admin&#39;s long feedback." in page
    with app.app_context():
        assert db.session.scalar(sa.select(Mark.overall_feedback)) == "A careful plan."


def test_the_marking_page_shows_who_else_has_it_open(
    app, case, cohort, saved_run, trainee_client, tutor_client, admin_client
):
    submit_plan(trainee_client, saved_run)
    sid = submission_id(app)
    tutor_client.get(f"/marking/submissions/{sid}")
    assert "Also marking" in text(admin_client.get(f"/marking/submissions/{sid}"))


def test_bulk_release(app, case, cohort, saved_run, trainee_client, tutor_client):
    submit_plan(trainee_client, saved_run)
    sid = submission_id(app)
    post_form(
        tutor_client,
        f"/marking/submissions/{sid}",
        {**RUBRIC_FORM, "action": "finish", "lock_version": "0"},
    )
    post_form(tutor_client, "/marking/release", {"submission": [str(sid), "99999", "x"]})
    assert state(app) == "passed"


def test_autosaving_a_mark_returns_the_new_lock(
    app, case, cohort, saved_run, trainee_client, tutor_client
):
    submit_plan(trainee_client, saved_run)
    sid = submission_id(app)
    token = csrf_token(tutor_client)
    body = {
        "role": "first",
        "lock_version": 0,
        "overall_feedback": "Drafting…",
        "selections": {"safety": {"level": "1", "comment": "ok"}},
    }
    first = tutor_client.post(
        f"/marking/submissions/{sid}/autosave", json=body, headers={"X-CSRFToken": token}
    )
    assert first.get_json()["lock_version"] == 1 and first.get_json()["total"] == "2"
    again = tutor_client.post(
        f"/marking/submissions/{sid}/autosave", json=body, headers={"X-CSRFToken": token}
    )
    assert again.status_code == 409 and again.get_json()["conflict"] is True
    bogus = tutor_client.post(
        f"/marking/submissions/{sid}/autosave",
        json={**body, "lock_version": 1, "selections": {"safety": {"level": "7"}}},
        headers={"X-CSRFToken": token},
    )
    assert bogus.status_code == 400


def test_the_dashboard_points_at_a_returned_plan(
    app, case, cohort, saved_run, trainee_client, tutor_client
):
    post_form(trainee_client, "/cases/dense-carbon/start")
    assert "Carry on with your plan" in text(trainee_client.get("/"))
    submit_plan(trainee_client, saved_run)
    sid = submission_id(app)
    post_form(
        tutor_client,
        f"/marking/submissions/{sid}",
        {**RUBRIC_FORM, "outcome": "return", "action": "finish", "lock_version": "0"},
    )
    post_form(tutor_client, f"/marking/submissions/{sid}/release")
    assert "Revise your plan" in text(trainee_client.get("/"))
