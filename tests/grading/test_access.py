"""Who may see and touch which submission, by page and by URL."""

from __future__ import annotations

from academy.auth.models import Role
from tests.grading.conftest import PLAN, submission_id
from tests.grading.test_flow import RUBRIC_FORM, submit_plan
from tests.helpers import login, post_form, text


def test_another_trainee_cannot_reach_a_submission(
    app, case, cohort, saved_run, trainee_client, make_user
):
    submit_plan(trainee_client, saved_run)
    sid = submission_id(app)
    other = app.test_client()
    login(other, make_user(Role.TRAINEE).email)
    assert other.get(f"/marking/submissions/{sid}").status_code == 403
    assert other.get("/cases/dense-carbon/versions/1").status_code == 404
    assert "Type V plan" not in text(other.get("/cases/dense-carbon"))


def test_a_tutor_sees_only_the_cohorts_they_teach(
    app, case, cohort, saved_run, trainee_client, other_tutor, trainee
):
    submit_plan(trainee_client, saved_run)
    sid = submission_id(app)
    outsider = app.test_client()
    login(outsider, other_tutor.email)
    assert trainee.full_name not in text(outsider.get("/marking/submissions"))
    assert outsider.get(f"/marking/submissions/{sid}").status_code == 404
    response = post_form(
        outsider,
        f"/marking/submissions/{sid}",
        {**RUBRIC_FORM, "action": "finish", "lock_version": "0"},
    )
    assert response.status_code == 404


def test_a_trainee_never_sees_an_unreleased_mark(
    app, case, cohort, saved_run, trainee_client, tutor_client
):
    submit_plan(trainee_client, saved_run)
    sid = submission_id(app)
    post_form(
        tutor_client,
        f"/marking/submissions/{sid}",
        {
            **RUBRIC_FORM,
            "comment-safety": "SECRET-COMMENT",
            "action": "finish",
            "lock_version": "0",
        },
    )
    for url in (
        "/cases/dense-carbon",
        "/cases/dense-carbon/versions/1",
        "/cases",
        "/notifications",
    ):
        assert "SECRET-COMMENT" not in text(trainee_client.get(url)), url
    assert "Passed" not in text(trainee_client.get("/cases/dense-carbon"))


def test_plan_fields_that_are_not_declared_are_ignored(
    app, case, cohort, saved_run, trainee_client
):
    submit_plan(trainee_client, saved_run, {"state": "passed", "task-evil-text": "x"})
    from tests.grading.conftest import state

    assert state(app) == "submitted"


def test_a_run_that_is_not_the_trainees_cannot_be_attached(
    app, case, cohort, trainee_client, make_user
):
    from academy.extensions import db
    from academy.simulator.services import save_run
    from tests.grading.conftest import RUN_PARAMS

    with app.app_context():
        someone = make_user(Role.TRAINEE)
        foreign = save_run(someone.id, "Not yours", RUN_PARAMS)
        db.session.commit()
        foreign_id = foreign.id
    response = submit_plan(trainee_client, foreign_id)
    page = text(trainee_client.get(response.headers["Location"]))
    assert "attach a run saved from the simulator" in page
    assert PLAN["task-aftercare-text"] in page
