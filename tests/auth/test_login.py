"""Logging in and out: sessions, remember-me, throttling and expiry."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from academy import clock
from academy.auth.models import Role, User
from academy.extensions import db
from tests.helpers import DEFAULT_PASSWORD, csrf_token, login, logout, post_form, signed_in, text


def test_login_with_the_right_password_opens_the_home_page(client, trainee):
    response = login(client, trainee.email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert trainee.full_name in text(client.get("/"))


def test_login_is_case_insensitive_about_the_email(client, make_user):
    user = make_user(Role.TRAINEE, email="casey@academy.example.com")
    assert login(client, "  Casey@Academy.Example.COM ").status_code == 302
    assert user.full_name in text(client.get("/"))


@pytest.mark.parametrize("email", ["trainee1@academy.example.com", "nobody@academy.example.com"])
def test_wrong_password_or_unknown_email_gets_the_same_message(client, trainee, email):
    response = login(client, email, "not the right password at all")
    assert response.status_code == 200
    assert "do not match an account" in text(response)
    assert not signed_in(client)


def test_login_follows_a_local_next_but_never_another_site(client, trainee):
    response = post_form(
        client,
        "/auth/login?next=/auth/password",
        {"email": trainee.email, "password": DEFAULT_PASSWORD},
    )
    assert response.headers["Location"] == "/auth/password"
    logout(client)
    for hostile in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = post_form(
            client,
            f"/auth/login?next={hostile}",
            {"email": trainee.email, "password": DEFAULT_PASSWORD},
        )
        assert response.headers["Location"] == "/"
        logout(client)


def test_a_protected_page_sends_visitors_to_log_in_and_back(client, trainee):
    response = client.get("/auth/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=/auth/password")


def test_logout_ends_the_session_and_a_copied_cookie_stops_working(app, trainee):
    browser = app.test_client()
    login(browser, trainee.email)
    copied = browser.get_cookie("academy_session").value

    logout(browser)
    assert not signed_in(browser)

    thief = app.test_client()
    thief.set_cookie("academy_session", copied)
    response = thief.get("/auth/password")
    assert response.status_code == 302, (
        "a session cookie copied before log-out must not work after it"
    )


def test_remember_me_cookie_survives_a_closed_browser_but_not_a_logout(app, trainee):
    browser = app.test_client()
    login(browser, trainee.email, remember=True)
    remember = browser.get_cookie("academy_remember")
    assert remember is not None and remember.http_only

    fresh = app.test_client()  # the browser was closed: only the remember-me cookie is left
    fresh.set_cookie("academy_remember", remember.value)
    assert trainee.full_name in text(fresh.get("/"))

    logout(browser)
    again = app.test_client()
    again.set_cookie("academy_remember", remember.value)
    assert trainee.full_name not in text(again.get("/"))


def test_login_renews_the_session(app, trainee):
    browser = app.test_client()
    token_before = csrf_token(browser)
    login(browser, trainee.email)
    with browser.session_transaction() as session:
        assert "login_at" in session
    assert csrf_token(browser) != token_before, "nothing from before log-in carries over"


def test_deactivated_account_cannot_log_in_and_keeps_its_data(app, client, make_user):
    user = make_user(Role.TRAINEE, active=False)
    response = login(client, user.email)
    assert "deactivated" in text(response)
    with app.app_context():
        assert db.session.get(User, user.id) is not None


def test_account_is_throttled_after_repeated_failures_then_recovers(app, client, trainee):
    for _ in range(app.config["ACCOUNT_THROTTLE_AFTER"]):
        login(client, trainee.email, "wrong password number one")
    response = login(client, trainee.email)  # even the right password waits
    assert response.status_code == 200
    assert "Too many failed log-ins" in text(response)

    clock.advance(timedelta(minutes=2))
    assert login(client, trainee.email).status_code == 302
    with app.app_context():
        user = db.session.get(User, trainee.id)
        assert user.failed_login_count == 0 and user.throttled_until is None


def test_throttle_delay_is_capped_so_a_real_user_is_never_locked_out_for_long(app, client, trainee):
    for _ in range(30):
        login(client, trainee.email, "attacker guessing away")
        clock.advance(timedelta(minutes=20))  # wait out each delay, as a patient attacker would
        limiter_reset(app)
    with app.app_context():
        user = db.session.get(User, trainee.id)
        cap = timedelta(minutes=app.config["ACCOUNT_THROTTLE_MAX_MINUTES"])
        assert user.throttled_until - clock.now() <= cap


def limiter_reset(app):
    from academy.extensions import limiter

    with app.app_context():
        limiter.reset()


def test_login_attempts_are_rate_limited_per_address(client, trainee):
    statuses = [
        login(client, f"someone{n}@academy.example.com", "guess guess guess").status_code
        for n in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    assert "Too many attempts" in text(login(client, trainee.email))


def test_idle_session_ends_and_asks_to_log_in_again(trainee_client):
    clock.advance(timedelta(hours=3))
    response = trainee_client.get("/auth/password")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_absolute_session_lifetime_ends_even_an_active_session(trainee_client):
    for _ in range(12):
        clock.advance(timedelta(minutes=59))
        assert trainee_client.get("/auth/password").status_code == 200
    clock.advance(timedelta(minutes=59))
    assert trainee_client.get("/auth/password").status_code == 302


def test_successful_login_records_the_time(app, client, trainee):
    login(client, trainee.email)
    with app.app_context():
        assert db.session.scalar(sa.select(User.last_login_at).where(User.id == trainee.id))


def test_the_session_cookie_is_sent_again_only_when_the_idle_clock_moves(trainee_client):
    """Not re-signed with every page, yet renewed often enough to keep an active user in."""

    def sets_session_cookie() -> bool:
        response = trainee_client.get("/auth/password")
        assert response.status_code == 200
        return any("academy_session=" in value for value in response.headers.getlist("Set-Cookie"))

    clock.advance(timedelta(minutes=2))
    assert sets_session_cookie()  # the idle clock moved: the cookie carries the new time
    assert not sets_session_cookie()  # within the minute: nothing to send
    clock.advance(timedelta(minutes=90))
    assert sets_session_cookie()
    clock.advance(timedelta(minutes=90))  # 90 minutes after the last renewal, not 180
    assert sets_session_cookie()
