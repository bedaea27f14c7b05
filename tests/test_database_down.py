"""A logged-in user whose database stops answering gets the clear 503, not a bare 500.

The user's cookie comes from the working app; a second app with the same keys points at a
database that cannot be opened, as a server does while PostgreSQL restarts. Loading the
user fails inside the request, and the 503 page must not try again (it is rendered as to
a visitor). bench/faults.py restarts a real PostgreSQL under load.
"""

from __future__ import annotations

from tests.conftest import make_app
from tests.helpers import csrf_token, text


def _cookie_in_broken_app(app, trainee_client, tmp_path):
    broken = make_app(
        f"sqlite:///{tmp_path}/missing/dir/db.sqlite3",
        tmp_path / "broken-instance",
        PROPAGATE_EXCEPTIONS=False,
        SECRET_KEY=app.config["SECRET_KEY"],
    )
    client = broken.test_client()
    for cookie in trainee_client._cookies.values():
        client.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    return client


def test_pages_say_the_database_is_down(app, trainee_client, tmp_path):
    token = csrf_token(trainee_client)
    client = _cookie_in_broken_app(app, trainee_client, tmp_path)
    for response in (
        client.get("/"),
        client.get("/quizzes"),
        client.post("/attempts/1", data={"csrf_token": token}),
    ):
        assert response.status_code == 503, text(response)[:300]
        assert "briefly unavailable" in text(response)
        assert "Your saved work is safe" in text(response)


def test_autosave_gets_a_json_503(app, trainee_client, tmp_path):
    token = csrf_token(trainee_client)
    client = _cookie_in_broken_app(app, trainee_client, tmp_path)
    response = client.post(
        "/attempts/1/autosave",
        json={"slot": 1, "sequence": 1, "fields": {}},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 503
    assert response.get_json()["error"] == "The academy is briefly unavailable"


def test_a_rejected_form_while_the_database_is_down_is_still_a_503(
    app, trainee_client, tmp_path
):
    client = _cookie_in_broken_app(app, trainee_client, tmp_path)
    response = client.post("/auth/logout", data={"csrf_token": "stale"})
    assert response.status_code == 503
    assert "briefly unavailable" in text(response)
