"""The GET forms (search, filters, periods, pages, the simulator, verification) under hostile
query strings: never a 5xx, a 4xx says what was wrong, hostile markup comes back escaped."""

from __future__ import annotations

from urllib.parse import urlencode

from hypothesis import event, given, settings
from hypothesis import strategies as st

from academy.simulator.params import FIELDS
from tests.properties.checks import page_is_clear
from tests.properties.conftest import Visitor
from tests.properties.strategies import field_names, form, hostile_text, maybe

PROFILE = settings.get_profile("academy-properties")

numbers = maybe(["1", "2", "0", "30"])
dates = maybe(["2026-01-01", "2025-06-30", "0001-01-01", "9999-12-31"])


def _simulator_args(prefix: str = ""):
    goods = {"wavelength_nm": ["1064"], "fluence_j_cm2": ["2.5"], "fitzpatrick_type": ["5"]}
    return {f"{prefix}{name}": maybe(goods.get(name, [""])) for name in FIELDS}


def _pages(w):
    return {
        None: [
            ("/search", {"q": maybe(["laser", "melanin"])}),
            ("/verify", {"code": maybe(["K7QF-M2XD-9HTP", ""])}),
            ("/simulator", _simulator_args()),
            ("/simulator/compare", {**_simulator_args("a."), **_simulator_args("b.")}),
            ("/auth/login", {"next": maybe(["/cpd", "//evil.example", "/\\evil"])}),
        ],
        "trainee": [
            ("/cpd", {"cycle": maybe(["2026", "2025-2026", "1"])}),
            (f"/cpd/trainees/{w.trainee.id}/record.csv", {"start": dates, "end": dates}),
            (f"/cpd/trainees/{w.trainee.id}/statement.pdf", {"start": dates, "end": dates}),
            (f"/attempts/{w.attempt_id}", {"page": numbers}),
            ("/search", {"q": maybe(["laser"])}),
        ],
        "tutor": [
            (
                "/marking/submissions",
                {
                    "cohort": numbers,
                    "assessment": numbers,
                    "state": maybe(["submitted", "awaiting_release", ""]),
                    "older_than": numbers,
                    "page": numbers,
                    "written_page": numbers,
                    "show": maybe(["cases", "written", ""]),
                },
            ),
            (
                f"/quizzes/{w.quiz_slug}/report",
                {"cohort": numbers, "page": numbers, "format": maybe(["csv", ""])},
            ),
            (f"/quizzes/{w.quiz_slug}/regrade", {"question": maybe(w.question_keys)}),
            (f"/cpd/trainees/{w.trainee.id}", {"cycle": maybe(["2026"])}),
        ],
        "admin": [
            (
                "/admin/users",
                {
                    "q": maybe(["sam", "@academy"]),
                    "role": maybe(["trainee", "tutor", "admin", ""]),
                    "status": maybe(["active", "inactive", ""]),
                    "page": numbers,
                },
            ),
        ],
    }


def _visit_all(app, data, visitor: Visitor, pages) -> None:
    for path, fields in pages:
        query = data.draw(form(fields), label=path)
        url = f"{path}?{urlencode(query, doseq=True)}" if query else path
        response = visitor.get(url)
        page_is_clear(response, silent_ok=True)
        event(f"{path}: {response.status_code}")


@settings(PROFILE, max_examples=15)
@given(data=st.data())
def test_get_forms_answer_hostile_queries(app, world, as_trainee, as_tutor, as_admin, data):
    visitors = {None: Visitor(app), "trainee": as_trainee, "tutor": as_tutor, "admin": as_admin}
    for role, pages in _pages(world).items():
        _visit_all(app, data, visitors[role], pages)


@settings(PROFILE, max_examples=30)
@given(
    path=st.sampled_from(["/verify/", "/quizzes/", "/modules/", "/cases/", "/search?q="]),
    value=st.one_of(hostile_text, field_names),
)
def test_addresses_with_hostile_parts(app, path, value):
    """Free text in the address itself (slugs, codes): a page or a 404, never a 5xx."""
    from urllib.parse import quote

    client = app.test_client()
    response = client.get(path + quote(value, safe=""), follow_redirects=True)
    page_is_clear(response, silent_ok=True)
