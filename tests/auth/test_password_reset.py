"""Forgotten and changed passwords: signed single-use links, and other sessions ended."""

import re
from datetime import timedelta

import sqlalchemy as sa

from academy import clock
from academy.extensions import db
from academy.mail.models import OutboxMessage
from tests.helpers import DEFAULT_PASSWORD, login, post_form, text

NEW_PASSWORD = "haslingden grane reservoir circuit"


def reset_link(app, email: str) -> str:
    with app.app_context():
        body = db.session.scalar(
            sa.select(OutboxMessage.body)
            .where(OutboxMessage.recipient == email)
            .order_by(OutboxMessage.id.desc())
        )
    assert body, "a reset message was sent"
    return re.search(r"http://localhost(/auth/password/reset/\S+)", body).group(1)


def test_forgotten_password_sends_a_link_that_works_once(app, client, trainee):
    response = post_form(client, "/auth/password/forgot", {"email": trainee.email})
    assert "If that address has an account" in text(client.get(response.headers["Location"]))
    link = reset_link(app, trainee.email)

    assert client.get(link).status_code == 200
    done = post_form(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert login(client, trainee.email, NEW_PASSWORD).status_code == 302
    post_form(client, "/auth/logout")

    again = client.get(link)
    assert again.status_code == 400
    assert "already been used" in text(again)


def test_unknown_address_gets_the_same_answer_and_no_mail(app, client):
    response = post_form(client, "/auth/password/forgot", {"email": "ghost@academy.example.com"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0


def test_reset_link_expires(app, client, trainee):
    post_form(client, "/auth/password/forgot", {"email": trainee.email})
    link = reset_link(app, trainee.email)
    clock.advance(timedelta(minutes=app.config["PASSWORD_RESET_MAX_AGE_MINUTES"] + 1))
    response = client.get(link)
    assert response.status_code == 400
    assert "expired" in text(response)


def test_tampered_reset_link_is_refused(app, client, trainee):
    post_form(client, "/auth/password/forgot", {"email": trainee.email})
    link = reset_link(app, trainee.email)
    response = client.get(link[:-3] + ("abc" if not link.endswith("abc") else "xyz"))
    assert response.status_code == 400
    assert "not valid" in text(response)


def test_reset_ends_sessions_elsewhere(app, client, trainee):
    elsewhere = app.test_client()
    login(elsewhere, trainee.email)
    post_form(client, "/auth/password/forgot", {"email": trainee.email})
    post_form(
        client, reset_link(app, trainee.email), {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert elsewhere.get("/auth/password").status_code == 302


def test_change_password_needs_the_current_one(trainee_client):
    response = post_form(
        trainee_client,
        "/auth/password",
        {
            "current_password": "wrong current password",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "current password is not correct" in text(response)


def test_change_password_keeps_this_session_and_ends_the_others(app, trainee, trainee_client):
    other_device = app.test_client()
    login(other_device, trainee.email)
    response = post_form(
        trainee_client,
        "/auth/password",
        {"current_password": DEFAULT_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert trainee_client.get("/auth/password").status_code == 200
    assert other_device.get("/auth/password").status_code == 302
    fresh = app.test_client()
    assert login(fresh, trainee.email, NEW_PASSWORD).status_code == 302
