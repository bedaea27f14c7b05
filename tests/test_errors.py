"""Friendly error pages: a person sees what happened and what to do, never a stack trace."""

from academy.auth.access import public
from tests.conftest import make_app
from tests.helpers import post_form, text


def test_missing_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in text(response) and "home page" in text(response)


def test_wrong_method_is_a_friendly_405(client):
    response = client.get("/auth/logout")
    assert response.status_code == 405
    assert "not allowed" in text(response)


def test_unexpected_error_is_a_friendly_500(database_url, tmp_path):
    app = make_app(database_url, tmp_path, PROPAGATE_EXCEPTIONS=False)

    @app.route("/explode")
    @public
    def explode():
        raise RuntimeError("boom")

    response = app.test_client().get("/explode")
    assert response.status_code == 500
    assert "Something went wrong on our side" in text(response)
    assert "boom" not in text(response) and "Traceback" not in text(response)


def test_database_down_is_a_clear_503(tmp_path):
    app = make_app(
        f"sqlite:///{tmp_path}/missing/dir/db.sqlite3", tmp_path, PROPAGATE_EXCEPTIONS=False
    )
    client = app.test_client()
    response = post_form(
        client, "/auth/login", {"email": "a@academy.example.com", "password": "x" * 12}
    )
    assert response.status_code == 503
    assert "briefly unavailable" in text(response)


def test_api_style_requests_get_json_errors(client):
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["error"] == "Page not found"
