"""What every answer to hostile input must be: no server error, a clear message, no script."""

from __future__ import annotations

import json

import sqlalchemy as sa

from academy.extensions import db
from tests.properties.strategies import SCRIPT

ERROR_PAGE = 'class="narrow error-page"'
FIELD_ERROR = 'class="error-message"'
FLASH = 'class="flash flash-'
# What a 4xx page may show instead of the error page: a field error, or a page of its own
# that explains the problem (an expired reset link, an unknown certificate code).
CLEAR_4XX = (ERROR_PAGE, FIELD_ERROR, "This link cannot be used", "verdict verdict-unknown")


def describe(response) -> str:
    body = response.get_data(as_text=True)
    request = response.request
    return f"{request.method} {request.path} -> {response.status_code}: {body[:600]}"


def no_server_error(response) -> None:
    for step in [*response.history, response]:
        assert step.status_code < 500, describe(step)


def page_is_clear(response, *, silent_ok: bool = False) -> str:
    """No 5xx anywhere on the way; a 4xx page says what was wrong; no reflected script.

    A form page shown again (200 to a POST) must carry a field error or a message; a
    redirect must land on a page with a message unless the route may succeed quietly.
    Returns the final page's text.
    """
    no_server_error(response)
    if response.mimetype not in ("text/html", "application/json"):
        return ""  # a download (PDF, CSV, ZIP): served, not an error
    body = response.get_data(as_text=True)
    assert SCRIPT not in body, "hostile markup came back unescaped: " + describe(response)
    if response.mimetype == "application/json":
        if response.status_code >= 400:
            payload = json.loads(body)
            assert isinstance(payload.get("error"), str) and payload["error"], describe(response)
        return body
    if response.status_code >= 400:
        assert any(marker in body for marker in CLEAR_4XX), "a 4xx without a message: " + (
            describe(response)
        )
    elif not silent_ok:
        assert FIELD_ERROR in body or FLASH in body or ERROR_PAGE in body, (
            "no message on the page after a POST: " + describe(response)
        )
    return body


def count(app, model, *where) -> int:
    with app.app_context():
        statement = sa.select(sa.func.count()).select_from(model)
        if where:
            statement = statement.where(*where)
        return db.session.scalar(statement)


def json_error(response) -> dict:
    """A JSON error reply: a 4xx with a non-empty ``error`` text."""
    no_server_error(response)
    assert response.mimetype == "application/json", describe(response)
    payload = response.get_json()
    assert isinstance(payload, dict), describe(response)
    if response.status_code >= 400:
        assert isinstance(payload.get("error"), str) and payload["error"].strip(), describe(
            response
        )
    return payload
