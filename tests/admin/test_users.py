"""Administrators manage accounts: search, create, change role, deactivate and reactivate."""

import sqlalchemy as sa

from academy.auth.models import Role, User
from academy.extensions import db
from academy.mail.models import OutboxMessage
from tests.helpers import login, post_form, signed_in, text


def test_users_page_lists_and_searches(admin_client, make_user):
    make_user(Role.TRAINEE, email="hannah@academy.example.com", full_name="Hannah Ashworth")
    make_user(Role.TUTOR, email="owen@academy.example.com", full_name="Owen Pickup")
    page = text(admin_client.get("/admin/users?q=ashworth"))
    assert "Hannah Ashworth" in page and "Owen Pickup" not in page
    page = text(admin_client.get("/admin/users?role=tutor"))
    assert "Owen Pickup" in page and "Hannah Ashworth" not in page


def test_search_with_nonsense_parameters_is_not_an_error(admin_client):
    response = admin_client.get("/admin/users?role=emperor&status=%00&page=-3&q=" + "x" * 500)
    assert response.status_code == 200


def test_admin_creates_a_tutor_who_is_sent_a_link_to_set_a_password(app, admin_client):
    response = post_form(
        admin_client,
        "/admin/users/new",
        {"full_name": "Rachel Haworth", "email": "rachel@academy.example.com", "role": "tutor"},
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "rachel@academy.example.com"))
        assert user.role == Role.TUTOR
        mail = db.session.scalar(
            sa.select(OutboxMessage).where(OutboxMessage.recipient == user.email)
        )
        assert "/auth/password/reset/" in mail.body


def test_creating_a_duplicate_account_says_so(admin_client, tutor):
    response = post_form(
        admin_client,
        "/admin/users/new",
        {"full_name": "Someone", "email": tutor.email, "role": "tutor"},
    )
    assert "already exists" in text(response)


def test_role_change_takes_effect_and_ends_the_users_sessions(app, admin_client, tutor):
    tutor_browser = app.test_client()
    login(tutor_browser, tutor.email)
    response = post_form(admin_client, f"/admin/users/{tutor.id}/role", {"role": "admin"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, tutor.id).role == Role.ADMIN
    assert not signed_in(tutor_browser)


def test_an_invalid_role_is_refused(app, admin_client, tutor):
    post_form(admin_client, f"/admin/users/{tutor.id}/role", {"role": "superuser"})
    with app.app_context():
        assert db.session.get(User, tutor.id).role == Role.TUTOR


def test_admin_cannot_change_their_own_role_or_deactivate_themselves(app, admin_client, admin):
    post_form(admin_client, f"/admin/users/{admin.id}/role", {"role": "trainee"})
    post_form(admin_client, f"/admin/users/{admin.id}/active", {"active": "0"})
    with app.app_context():
        me = db.session.get(User, admin.id)
        assert me.role == Role.ADMIN and me.active


def test_deactivation_logs_the_user_out_and_reactivation_lets_them_back(app, admin_client, trainee):
    trainee_browser = app.test_client()
    login(trainee_browser, trainee.email)
    post_form(admin_client, f"/admin/users/{trainee.id}/active", {"active": "0"})
    assert not signed_in(trainee_browser)
    assert "deactivated" in text(login(app.test_client(), trainee.email))
    with app.app_context():
        assert db.session.get(User, trainee.id) is not None  # records stay

    post_form(admin_client, f"/admin/users/{trainee.id}/active", {"active": "1"})
    assert login(app.test_client(), trainee.email).status_code == 302


def test_user_page_for_a_missing_user_is_404(admin_client):
    assert admin_client.get("/admin/users/99999").status_code == 404
