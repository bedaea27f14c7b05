"""Security headers on every response."""

import pytest

from academy.auth.models import Role
from tests.helpers import login
from tests.security.routes import all_routes


@pytest.mark.parametrize("identity", ["anonymous", Role.ADMIN], ids=str)
def test_every_route_sends_the_security_headers(app, make_user, identity):
    client = app.test_client()
    if identity != "anonymous":
        login(client, make_user(identity).email)
    missing = []
    for route in all_routes(app):
        if route.method != "GET":
            continue
        response = client.get(route.url)
        headers = response.headers
        response.close()
        csp = headers.get("Content-Security-Policy", "")
        checks = {
            "CSP script-src 'self'": "script-src 'self'" in csp,
            "CSP object-src 'none'": "object-src 'none'" in csp,
            "CSP base-uri 'none'": "base-uri 'none'" in csp,
            "CSP frame-ancestors 'none'": "frame-ancestors 'none'" in csp,
            "nosniff": headers.get("X-Content-Type-Options") == "nosniff",
            "Referrer-Policy": bool(headers.get("Referrer-Policy")),
            "no-store on pages": route.endpoint == "static"
            or headers.get("Cache-Control") == "no-store",
        }
        missing += [f"{route}: {name}" for name, ok in checks.items() if not ok]
    assert missing == []


def test_csp_allows_no_inline_script_or_other_origins(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp


def test_pages_load_nothing_from_another_site(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert "http://" not in page.replace("http://localhost", "")
    assert "https://" not in page
