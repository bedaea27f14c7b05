"""One fixed example for each server error the property tests found, kept as plain tests so
that each stays fixed whatever Hypothesis happens to draw. Each was a 500 before."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from academy.cohorts.models import Cohort
from academy.extensions import db
from academy.grading.models import Mark
from academy.quizzes.models import AttemptQuestion, SavedAnswer
from academy.security.input import MAX_DB_INT, whole_number
from tests.properties.checks import json_error, page_is_clear


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7", 7),
        (" 42 ", 42),
        (7, 7),
        ("\u00b2", None),  # "²".isdigit() is True, int("²") fails
        ("\u0663", None),
        ("9" * 5000, None),  # int() refuses more than 4,300 digits
        (str(MAX_DB_INT + 1), None),
        (2**64, None),
        ("-1", None),
        (True, None),
        (1.5, None),
        (None, None),
    ],
)
def test_whole_number(raw, expected):
    assert whole_number(raw) == expected


def test_numbers_beyond_a_database_integer_in_the_address_are_a_404(as_admin):
    assert as_admin.get(f"/admin/users/{2**64}").status_code == 404
    assert as_admin.post(f"/certificates/{10**30}/revoke", {}).status_code == 404


def test_nul_in_a_text_field_is_dropped_before_it_reaches_the_database(app, world, as_admin):
    page_is_clear(as_admin.post("/admin/cohorts", {"name": "Spring\x00 cohort"}))
    with app.app_context():
        names = db.session.scalars(sa.select(Cohort.name)).all()
    assert "Spring cohort" in names


def test_nul_in_the_address_or_a_query_is_harmless(as_trainee):
    assert as_trainee.get("/quizzes/sample%00quiz").status_code == 404
    assert as_trainee.get("/search?q=la%00ser").status_code == 200


def test_blank_lead_tutor(app, world, as_admin):
    page_is_clear(as_admin.post("/admin/cohorts", {"name": "Blank lead", "lead_tutor": " "}))
    response = as_admin.post(f"/admin/cohorts/{world.cohort_id}/lead-tutor", {"lead_tutor": " "})
    page_is_clear(response)


@pytest.mark.parametrize("hours", ["sNaN", "NaN", "Infinity", "-Infinity"])
def test_non_finite_cpd_hours_are_a_field_error(world, as_trainee, hours):
    response = as_trainee.post(
        "/cpd/external/new", {"hours": hours, "participatory_hours": "1", "title": "Update"}
    )
    assert "Enter a number of hours" in page_is_clear(response)


def test_cpd_activity_from_the_year_one_is_refused(world, as_trainee):
    response = as_trainee.post("/cpd/external/new", {"start_date": "0001-01-01"})
    assert "1990 or later" in page_is_clear(response)


def test_cpd_exports_at_the_ends_of_the_calendar(world, as_trainee):
    base = f"/cpd/trainees/{world.trainee.id}"
    for query in ("start=0001-01-01&end=9999-12-31", "start=9999-12-31&end=9999-12-31"):
        assert as_trainee.get(f"{base}/statement.pdf?{query}").status_code == 200
        assert as_trainee.get(f"{base}/record.csv?{query}").status_code == 200


def test_hidden_evidence_removal_error_is_shown(world, as_trainee):
    response = as_trainee.post(
        f"/cpd/external/{world.activity_id}/edit", {"remove_evidence": "1", "title": "x"}
    )
    assert 'class="error-message"' in page_is_clear(response)


@pytest.mark.parametrize("value", ["\u00b2", "9" * 5000])
def test_quiz_answers_with_odd_digits(app, world, as_trainee, value):
    fields = {f"q{slot}": [value] for slot in world.slot_ids}
    fields.update({f"q{slot}-{i}": [value] for slot in world.slot_ids for i in range(4)})
    for slot in world.slot_ids:
        body = {"slot": slot, "sequence": 5, "fields": fields}
        response = as_trainee.post_json(
            f"/attempts/{world.attempt_id}/autosave", json.dumps(body).encode()
        )
        assert json_error(response)["saved"] is True


@pytest.mark.parametrize("sequence", [2**63, 10**30])
def test_sequences_beyond_a_bigint(app, world, as_trainee, sequence):
    body = {"slot": world.slot_ids[0], "sequence": sequence, "fields": {}}
    response = as_trainee.post_json(
        f"/attempts/{world.attempt_id}/autosave", json.dumps(body).encode()
    )
    assert response.status_code == 400 and "sequence" in json_error(response)["error"]
    plan = {"sequence": sequence, "fields": {}}
    response = as_trainee.post_json(f"/cases/{world.case_slug}/autosave", json.dumps(plan).encode())
    assert response.status_code == 400
    response = as_trainee.post(f"/attempts/{world.attempt_id}", {"sequence": str(sequence)})
    page_is_clear(response, silent_ok=True)  # on to the next page
    with app.app_context():
        stored = db.session.scalars(
            sa.select(SavedAnswer.sequence)
            .join(AttemptQuestion)
            .where(AttemptQuestion.attempt_id == world.attempt_id)
        ).all()
    assert all(s <= MAX_DB_INT for s in stored)


def test_case_plan_with_odd_digits(world, as_trainee):
    fields = {
        "task-schedule-sessions": "\u00b2",
        "task-parameters-run": "\u0663",
        "task-schedule-wait_weeks": "9" * 5000,
    }
    response = as_trainee.post_json(
        f"/cases/{world.case_slug}/autosave",
        json.dumps({"sequence": 10, "fields": fields}).encode(),
    )
    assert json_error(response)["saved"] is True


@pytest.mark.parametrize(
    "body",
    [b"[" * 20_000 + b"]" * 20_000, b'{"fields": ' * 3000 + b"1" + b"}" * 3000],
)
def test_json_nested_too_deeply_is_bad_json(world, as_trainee, as_tutor, body):
    for visitor, url in (
        (as_trainee, f"/attempts/{world.attempt_id}/autosave"),
        (as_trainee, f"/cases/{world.case_slug}/autosave"),
        (as_tutor, f"/marking/submissions/{world.peer_submission_id}/autosave"),
        (as_trainee, "/api/v1/simulate"),
    ):
        assert visitor.post_json(url, body).status_code == 400


def test_a_simulator_number_too_large_for_a_float(client):
    body = b'{"fluence_j_cm2": 1' + b"0" * 400 + b"}"
    response = client.post("/api/v1/simulate", data=body, content_type="application/json")
    assert response.status_code == 400
    assert "fluence_j_cm2" in response.get_json()["errors"]


def test_a_rubric_level_of_infinity(app, world, as_tutor):
    with app.app_context():
        lock = db.session.scalar(sa.select(Mark.lock_version))
    body = b'{"selections": {"safety": {"level": Infinity}}, "lock_version": %d}' % lock
    response = as_tutor.post_json(f"/marking/submissions/{world.peer_submission_id}/autosave", body)
    assert response.status_code == 400


def test_unpaired_surrogates_in_json_are_stored_as_replacement_characters(app, world, as_tutor):
    with app.app_context():
        lock = db.session.scalar(sa.select(Mark.lock_version))
    body = b'{"selections": {}, "lock_version": %d, "overall_feedback": "a\\ud800b"}' % lock
    response = as_tutor.post_json(f"/marking/submissions/{world.peer_submission_id}/autosave", body)
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(Mark.overall_feedback)) == "a\ufffdb"


@pytest.mark.parametrize("form", [{"submission": ["1" * 30, "\u00b2"]}, {"sample": "-5"}])
def test_moderation_and_release_with_odd_numbers(world, as_admin, as_tutor, form):
    page_is_clear(as_admin.post("/moderation", form))
    page_is_clear(as_tutor.post("/marking/release", form))


def test_reactivating_oneself_keeps_one_logged_in(world, as_admin):
    as_admin.post(f"/admin/users/{world.admin.id}/active", {"active": "1"})
    assert "Log out" in as_admin.get("/").get_data(as_text=True)


def test_marking_an_answer_already_marked_says_so(world, as_tutor):
    url = f"/marking/{world.written_slot_id}"
    page_is_clear(as_tutor.post(url, {"points": "1"}))
    assert "already been marked" in page_is_clear(as_tutor.post(url, {"points": "oops"}))
