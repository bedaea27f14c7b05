"""Walk every route against every role: a route added without a role rule fails here."""

from __future__ import annotations

import pytest

from academy.auth.access import PUBLIC, access_rule
from academy.auth.models import Role
from tests.helpers import login
from tests.security.routes import all_routes

IDENTITIES = ["anonymous", Role.TRAINEE, Role.TUTOR, Role.ADMIN]


def test_every_route_declares_who_may_use_it(app):
    undeclared = [
        endpoint for endpoint, view in app.view_functions.items() if access_rule(view) is None
    ]
    assert undeclared == [], f"routes without @allow(...) or @public: {undeclared}"


def test_a_route_without_a_declaration_is_denied(app, admin_client):
    """Default deny: the check lives in a before-request hook, not in each view."""
    from academy.auth.access import ACCESS_ATTRIBUTE

    view = app.view_functions["main.healthz"]
    saved = getattr(view, ACCESS_ATTRIBUTE)
    delattr(view, ACCESS_ATTRIBUTE)
    try:
        assert admin_client.get("/healthz").status_code == 403
    finally:
        setattr(view, ACCESS_ATTRIBUTE, saved)


def _expected(rule, identity) -> str:
    if rule == PUBLIC:
        return "allowed"
    if identity == "anonymous":
        return "login"
    allowed = set(rule) | ({Role.ADMIN} if Role.TUTOR in rule else set())
    return "allowed" if identity in allowed else "forbidden"


@pytest.mark.parametrize("identity", IDENTITIES, ids=lambda i: str(i))
def test_each_route_admits_exactly_its_roles(app, make_user, identity):
    client = app.test_client()
    if identity != "anonymous":
        user = make_user(identity)
        assert login(client, user.email).status_code == 302
    app.config["WTF_CSRF_ENABLED"] = False  # this test is about roles; CSRF has its own
    try:
        failures = []
        for route in all_routes(app):
            if route.endpoint == "auth.logout":
                continue  # ends the session under test; covered in tests/auth
            rule = access_rule(app.view_functions[route.endpoint])
            expected = _expected(rule, identity)
            response = client.open(route.url, method=route.method)
            status = response.status_code
            response.close()
            location = response.headers.get("Location", "")
            if expected == "login":
                ok = (status == 302 and "/auth/login" in location) or status == 401
            elif expected == "forbidden":
                ok = status == 403
            else:
                ok = status not in (401, 403) and "/auth/login?next" not in location
            if not ok:
                failures.append(f"{route}: expected {expected}, got {status} {location}")
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert failures == []
