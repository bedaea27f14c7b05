"""Registering as a trainee with a cohort's invite code."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from academy import clock
from academy.auth.models import Role, User
from academy.cohorts import services as cohorts
from academy.cohorts.models import CohortMembership, InviteCode
from academy.extensions import db
from tests.helpers import post_form, text

GOOD = {
    "full_name": "Jordan Clegg",
    "email": "jordan@academy.example.com",
    "password": "bacup rossendale moorland walk",
    "confirm": "bacup rossendale moorland walk",
}


@pytest.fixture
def invite(app, admin):
    def make(**options):
        with app.app_context():
            cohort = cohorts.create_cohort(f"Cohort {options.pop('name', 'A')}")
            code = cohorts.create_invite(
                cohort,
                db.session.get(User, admin.id),
                valid_days=options.get("valid_days"),
                max_uses=options.get("max_uses"),
            )
            db.session.commit()
            return cohorts.format_code(code.code), cohort.id

    return make


def test_registering_with_a_valid_code_creates_a_trainee_in_the_cohort(app, client, invite):
    code, cohort_id = invite()
    response = post_form(client, "/auth/register", {**GOOD, "invite_code": code.lower()})
    assert response.status_code == 302
    assert "Jordan Clegg" in text(client.get("/"))
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == GOOD["email"]))
        assert user.role == Role.TRAINEE
        assert (
            db.session.scalar(
                sa.select(CohortMembership).where(CohortMembership.user_id == user.id)
            ).cohort_id
            == cohort_id
        )
        assert db.session.scalar(sa.select(InviteCode.use_count)) == 1


def test_a_posted_role_is_ignored(app, client, invite):
    code, _ = invite()
    post_form(client, "/auth/register", {**GOOD, "invite_code": code, "role": "admin"})
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == GOOD["email"]))
        assert user.role == Role.TRAINEE


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("NOPE-NOPE-NOPE", "Cohort invite code: This invite code is not valid"),
        ("", "Cohort invite code: Enter the invite code"),
        ("x" * 41, "Cohort invite code: An invite code has at most 40 characters"),
    ],
)
def test_a_bad_code_is_refused_on_its_field(client, code, message):
    response = post_form(client, "/auth/register", {**GOOD, "invite_code": code})
    assert response.status_code == 200
    assert message in text(response)


def test_an_expired_code_is_refused(client, invite):
    code, _ = invite(valid_days=1)
    clock.advance(timedelta(days=2))
    response = post_form(client, "/auth/register", {**GOOD, "invite_code": code})
    assert "not valid, has expired or has been used up" in text(response)


def test_a_used_up_code_is_refused(client, invite):
    code, _ = invite(max_uses=1)
    assert post_form(client, "/auth/register", {**GOOD, "invite_code": code}).status_code == 302
    post_form(client, "/auth/logout")
    second = {**GOOD, "email": "second@academy.example.com", "invite_code": code}
    assert "has been used up" in text(post_form(client, "/auth/register", second))


def test_a_revoked_code_is_refused(app, client, invite):
    code, _ = invite()
    with app.app_context():
        cohorts.revoke_invite(db.session.scalar(sa.select(InviteCode)))
        db.session.commit()
    assert "not valid" in text(post_form(client, "/auth/register", {**GOOD, "invite_code": code}))


def test_an_email_that_already_has_an_account_is_refused(client, invite, trainee):
    code, _ = invite()
    response = post_form(
        client, "/auth/register", {**GOOD, "email": trainee.email, "invite_code": code}
    )
    assert "already exists" in text(response)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short pass", "at least 12 characters"),
        ("password1234", "common"),
        ("x" * 129, "at most 128"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(client, invite, password, message):
    code, _ = invite()
    data = {**GOOD, "password": password, "confirm": password, "invite_code": code}
    response = post_form(client, "/auth/register", data)
    assert response.status_code == 200
    assert message in text(response)


def test_passwords_of_sixty_four_characters_are_accepted(client, invite):
    code, _ = invite()
    long_password = "rossendale moorland walk to the coal clough wind farm and back!!"
    assert len(long_password) == 64
    data = {**GOOD, "password": long_password, "confirm": long_password, "invite_code": code}
    assert post_form(client, "/auth/register", data).status_code == 302


def test_repeated_password_must_match(client, invite):
    code, _ = invite()
    response = post_form(
        client,
        "/auth/register",
        {**GOOD, "confirm": "something else entirely", "invite_code": code},
    )
    assert "not the same" in text(response)
