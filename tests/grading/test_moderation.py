"""Moderation: a second marker for a sample, disagreements resolved, the agreed mark released."""

from __future__ import annotations

import sqlalchemy as sa

from academy.extensions import db
from academy.grading.models import Mark, Submission
from tests.grading.conftest import state, submission_id
from tests.grading.test_flow import RUBRIC_FORM, submit_plan
from tests.helpers import post_form, text


def test_moderated_mark_is_agreed_before_release(
    app, case, cohort, saved_run, trainee_client, tutor_client, admin_client
):
    submit_plan(trainee_client, saved_run)
    sid = submission_id(app)
    post_form(
        tutor_client,
        f"/marking/submissions/{sid}",
        {**RUBRIC_FORM, "action": "finish", "lock_version": "0"},
    )
    post_form(admin_client, "/moderation", {"submission": str(sid)})
    with app.app_context():
        assert db.session.get(Submission, sid).moderation == "selected"

    post_form(tutor_client, f"/marking/submissions/{sid}/release")
    assert state(app) == "awaiting_release"  # not while moderation is open

    refused = post_form(
        tutor_client,
        f"/marking/submissions/{sid}?role=second",
        {**RUBRIC_FORM, "role": "second", "action": "finish", "lock_version": "0"},
    )
    assert "someone other than the first marker" in text(refused)

    second = {
        **RUBRIC_FORM,
        "level-safety": "0",
        "outcome": "refer",
        "role": "second",
        "action": "finish",
        "lock_version": "0",
    }
    assert (
        post_form(admin_client, f"/marking/submissions/{sid}?role=second", second).status_code
        == 302
    )
    page = text(admin_client.get(f"/marking/submissions/{sid}"))
    assert "Where the markers differ" in page and "Safety for this skin type" in page

    post_form(admin_client, f"/moderation/{sid}/resolve", {"choice": "second"})
    post_form(tutor_client, f"/marking/submissions/{sid}/release")
    assert state(app) == "referred"
    with app.app_context():
        roles = sorted(db.session.scalars(sa.select(Mark.role)))
    assert roles == ["agreed", "first", "second"]
    assert "Referred" in text(trainee_client.get("/cases/dense-carbon"))


def test_sample_selection_picks_only_marked_unreleased_work(
    app, case, cohort, saved_run, trainee_client, admin_client
):
    submit_plan(trainee_client, saved_run)
    post_form(admin_client, "/moderation", {"sample": "5"})
    with app.app_context():
        assert db.session.scalar(sa.select(Submission.moderation)) is None
