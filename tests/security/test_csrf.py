"""CSRF protection on every state-changing request, forms and JavaScript alike."""

import pytest

from tests.helpers import csrf_token, text
from tests.security.routes import all_routes

# Exempt on purpose: it changes nothing and authenticates nobody (a public JSON API).
CSRF_EXEMPT = {"simulator.api_simulate"}


def test_every_post_route_refuses_a_request_without_a_token(app, admin_client):
    unprotected = []
    for route in all_routes(app):
        if route.method in ("POST", "PUT", "PATCH", "DELETE") and route.endpoint not in CSRF_EXEMPT:
            response = admin_client.open(route.url, method=route.method, data={"x": "1"})
            body = response.get_data(as_text=True)
            response.close()
            if response.status_code != 400 or "not sent from this site" not in body:
                unprotected.append(f"{route}: {response.status_code}")
    assert unprotected == []


def test_the_only_exempt_route_is_a_public_api_that_changes_nothing(app):
    from academy.auth.access import PUBLIC, access_rule

    for endpoint in CSRF_EXEMPT:
        assert access_rule(app.view_functions[endpoint]) == PUBLIC


def test_a_form_without_a_token_gets_a_clear_page(client, trainee):
    response = client.post("/auth/login", data={"email": trainee.email, "password": "x" * 12})
    assert response.status_code == 400
    assert "Reload the page and try again" in text(response)


def test_a_javascript_request_may_send_the_token_in_a_header(trainee_client):
    token = csrf_token(trainee_client)
    response = trainee_client.post("/auth/logout", headers={"X-CSRFToken": token})
    assert response.status_code == 302


@pytest.mark.parametrize("token", ["", "forged-token", "a" * 500])
def test_a_forged_token_is_refused(trainee_client, token):
    assert trainee_client.post("/auth/logout", data={"csrf_token": token}).status_code == 400


def test_state_never_changes_on_get(app):
    get_only_mutations = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if any(
            word in rule.endpoint
            for word in ("logout", "revoke", "remove", "set_active", "change_role")
        )
        and "GET" in (rule.methods or set())
    ]
    assert get_only_mutations == []
