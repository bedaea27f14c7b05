"""Administrators create cohorts, choose lead tutors, enrol trainees and issue invite codes."""

import sqlalchemy as sa

from academy.cohorts.models import Cohort, CohortMembership, InviteCode
from academy.extensions import db
from tests.helpers import post_form, text


def create_cohort(admin_client, name="Rossendale spring 2027", lead_tutor=""):
    response = post_form(
        admin_client,
        "/admin/cohorts",
        {"name": name, "description": "Weekday cohort", "lead_tutor": str(lead_tutor)},
    )
    assert response.status_code == 302, text(response)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_create_a_cohort_with_a_lead_tutor(app, admin_client, tutor):
    cohort_id = create_cohort(admin_client, lead_tutor=tutor.id)
    page = text(admin_client.get(f"/admin/cohorts/{cohort_id}"))
    assert "Rossendale spring 2027" in page
    with app.app_context():
        assert db.session.get(Cohort, cohort_id).lead_tutor_id == tutor.id


def test_cohort_names_are_unique_and_required(admin_client):
    create_cohort(admin_client)
    response = post_form(admin_client, "/admin/cohorts", {"name": "Rossendale spring 2027"})
    assert "Cohort name: A cohort with this name already exists." in text(response)
    response = post_form(admin_client, "/admin/cohorts", {"name": "   "})
    assert "Cohort name: Give the cohort a name." in text(response)


def test_a_trainee_cannot_be_lead_tutor(admin_client, trainee):
    cohort_id = create_cohort(admin_client)
    response = post_form(
        admin_client, f"/admin/cohorts/{cohort_id}/lead-tutor", {"lead_tutor": str(trainee.id)}
    )
    assert response.status_code == 400
    assert "Not a valid choice" in text(response)


def test_enrol_and_remove_a_trainee(app, admin_client, trainee, tutor):
    cohort_id = create_cohort(admin_client)
    assert (
        post_form(
            admin_client, f"/admin/cohorts/{cohort_id}/members", {"email": trainee.email}
        ).status_code
        == 302
    )
    assert trainee.full_name in text(admin_client.get(f"/admin/cohorts/{cohort_id}"))

    again = post_form(admin_client, f"/admin/cohorts/{cohort_id}/members", {"email": trainee.email})
    assert "already in this cohort" in text(again)
    staff = post_form(admin_client, f"/admin/cohorts/{cohort_id}/members", {"email": tutor.email})
    assert "Only trainee accounts" in text(staff)
    unknown = post_form(
        admin_client, f"/admin/cohorts/{cohort_id}/members", {"email": "who@academy.example.com"}
    )
    assert "No account has that e-mail address" in text(unknown)

    post_form(admin_client, f"/admin/cohorts/{cohort_id}/members/{trainee.id}/remove")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(CohortMembership.id))) == 0


def test_invite_codes_are_created_shown_and_revoked(app, admin_client):
    cohort_id = create_cohort(admin_client)
    response = post_form(
        admin_client, f"/admin/cohorts/{cohort_id}/invites", {"valid_days": "7", "max_uses": "20"}
    )
    assert response.status_code == 302
    with app.app_context():
        invite = db.session.scalar(sa.select(InviteCode))
        assert len(invite.code) == 12 and invite.max_uses == 20
    page = text(admin_client.get(f"/admin/cohorts/{cohort_id}"))
    assert f"{invite.code[:4]}-{invite.code[4:8]}-{invite.code[8:]}" in page

    post_form(admin_client, f"/admin/cohorts/{cohort_id}/invites/{invite.id}/revoke")
    with app.app_context():
        assert db.session.get(InviteCode, invite.id).revoked_at is not None


def test_invite_options_out_of_range_get_a_field_message(admin_client):
    cohort_id = create_cohort(admin_client)
    response = post_form(
        admin_client,
        f"/admin/cohorts/{cohort_id}/invites",
        {"valid_days": "9999", "max_uses": "-1"},
    )
    assert response.status_code == 400
    page = text(response)
    assert "Valid for (days): Choose between 1 and 365 days" in page
    assert "Maximum registrations: Choose between 1 and 1,000" in page


def test_revoking_another_cohorts_invite_by_url_is_404(app, admin_client):
    first = create_cohort(admin_client, "First cohort")
    second = create_cohort(admin_client, "Second cohort")
    post_form(admin_client, f"/admin/cohorts/{first}/invites", {})
    with app.app_context():
        invite_id = db.session.scalar(sa.select(InviteCode.id))
    assert (
        post_form(admin_client, f"/admin/cohorts/{second}/invites/{invite_id}/revoke").status_code
        == 404
    )


def test_tutor_home_lists_the_cohorts_they_lead(app, admin_client, tutor_client, tutor):
    create_cohort(admin_client, "Burnley evening", lead_tutor=tutor.id)
    assert "Burnley evening" in text(tutor_client.get("/"))
