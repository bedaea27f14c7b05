"""Bad input on every form: a clear message naming the field, never a 500, nothing stored."""

import pytest
import sqlalchemy as sa

from academy.auth.models import User
from academy.cohorts.models import Cohort
from academy.extensions import db
from tests.helpers import post_form, text

HOSTILE = [
    "",
    " ",
    "x" * 5000,
    "<script>alert(1)</script>",
    "\x00",
    "ü" * 300,
    "-1",
    "1e309",
    "NaN",
]

PUBLIC_FORMS = {
    "/auth/login": ["email", "password"],
    "/auth/register": ["full_name", "email", "password", "confirm", "invite_code"],
    "/auth/password/forgot": ["email"],
}
ADMIN_FORMS = {
    "/admin/users/new": ["full_name", "email", "role"],
    "/admin/cohorts": ["name", "description", "lead_tutor"],
}


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("url", list(PUBLIC_FORMS))
def test_public_forms_answer_hostile_values_with_a_message(app, client, url, value):
    data = dict.fromkeys(PUBLIC_FORMS[url], value)
    response = post_form(client, url, data)
    assert response.status_code in (200, 302, 400, 429)
    page = text(response)
    assert "<script>alert(1)</script>" not in page
    if response.status_code == 200:
        assert "error-message" in page, "the page says which field is wrong"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("url", list(ADMIN_FORMS))
def test_admin_forms_answer_hostile_values_with_a_message(app, admin_client, url, value):
    data = dict.fromkeys(ADMIN_FORMS[url], value)
    response = post_form(admin_client, url, data)
    assert response.status_code in (200, 400)
    assert "error-message" in text(response)
    assert "<script>alert(1)</script>" not in text(response)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Cohort.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_missing_fields_are_named(client):
    page = text(post_form(client, "/auth/register", {}))
    for label in ("Full name", "E-mail address", "Password", "Cohort invite code"):
        assert f"{label}: " in page
