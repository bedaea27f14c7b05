"""Saving a run to my notes, listing, reproducing and deleting it; nobody sees another's."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from academy import clock
from academy.auth.models import Role
from academy.extensions import db
from academy.simulator import services, simulate
from academy.simulator.models import SavedRun
from academy.simulator.presets import PRESETS
from tests.helpers import login, post_form, text

TYPE_2 = PRESETS["carbon_type_2"]["params"]
FORM = {k: ("true" if v is True else "false" if v is False else str(v)) for k, v in TYPE_2.items()}


def all_runs(app) -> list[SavedRun]:
    with app.app_context():
        runs = list(db.session.scalars(sa.select(SavedRun).order_by(SavedRun.id)))
        for run in runs:
            db.session.expunge(run)
        return runs


def save(client, title="Client JS, session 1", **changes):
    return post_form(client, "/simulator/runs", {**FORM, "title": title, **changes})


def test_a_trainee_saves_a_run_with_its_key_numbers(app, trainee_client, trainee):
    moment = datetime(2026, 11, 20, 9, 30)
    with clock.frozen_at(moment):
        response = save(trainee_client)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/simulator/runs")
    [run] = all_runs(app)
    assert run.user_id == trainee.id
    assert run.title == "Client JS, session 1"
    assert run.created_at == moment
    assert run.params == {**TYPE_2, "pulse_duration_ns": 6.0, "fluence_j_cm2": 3.5,
                          "spot_diameter_mm": 4.0, "repetition_rate_hz": 5.0,
                          "interval_weeks": 6.0, "pigment_age_years": 4.0}  # fmt: skip
    result = simulate(TYPE_2)
    assert run.summary["fluence_at_pigment_j_cm2"] == result["fluence_at_pigment_j_cm2"]
    assert run.summary["risk_level"] == result["risk"]["level"]
    assert run.summary["safe"] is True and run.summary["effective"] is True
    assert "pulse_energy_mj" not in run.params, "the derived setting is not stored"


@pytest.mark.parametrize("role", [Role.TUTOR, Role.ADMIN])
def test_tutors_and_admins_may_save_too(app, make_user, role):
    client = app.test_client()
    login(client, make_user(role).email)
    assert save(client).status_code == 302
    assert len(all_runs(app)) == 1


def test_the_list_shows_my_runs_and_each_link_reproduces_one(app, trainee_client):
    save(trainee_client, title="At 1064 nm")
    save(trainee_client, title="At 532 nm", wavelength_nm="532")
    page = text(trainee_client.get("/simulator/runs"))
    assert page.index("At 532 nm") < page.index("At 1064 nm"), "newest first"
    link = unescape(re.search(r'<a href="([^"]+)">At 532 nm</a>', page).group(1))
    reproduced = text(trainee_client.get(link))
    expected = simulate({**TYPE_2, "wavelength_nm": 532})
    assert f"Risk: {expected['risk']['level']}" in reproduced
    assert 'value="532" selected' in reproduced


def test_an_empty_title_gets_one_from_the_settings(app, trainee_client):
    save(trainee_client, title="   ")
    [run] = all_runs(app)
    assert run.title == "1064 nm, 3.5 J/cm², 4 mm, type II, carbon"


def test_a_title_over_120_characters_is_refused(app, trainee_client):
    response = save(trainee_client, title="x" * 121)
    assert response.status_code == 302
    assert all_runs(app) == []
    page = text(trainee_client.get(response.headers["Location"]))
    assert "at most 120 characters" in page


def test_invalid_parameters_are_not_saved(app, trainee_client):
    response = save(trainee_client, wavelength_nm="500")
    assert all_runs(app) == []
    assert "/simulator?" in response.headers["Location"]
    page = text(trainee_client.get(response.headers["Location"]))
    assert "This run was not saved" in page
    assert 'id="wavelength_nm-error"' in page


def test_hostile_titles_are_stored_as_text_and_escaped(app, trainee_client):
    save(trainee_client, title="<script>alert(1)</script>")
    page = text(trainee_client.get("/simulator/runs"))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_deleting_my_run(app, trainee_client):
    save(trainee_client)
    [run] = all_runs(app)
    response = post_form(trainee_client, f"/simulator/runs/{run.id}/delete")
    assert response.status_code == 302
    assert all_runs(app) == []
    assert "You have no saved runs yet" in text(trainee_client.get("/simulator/runs"))


def test_another_users_run_is_404_and_untouched(app, make_user, trainee_client):
    other = app.test_client()
    login(other, make_user(Role.TRAINEE).email)
    save(other, title="Not yours")
    [run] = all_runs(app)
    response = post_form(trainee_client, f"/simulator/runs/{run.id}/delete")
    assert response.status_code == 404
    assert len(all_runs(app)) == 1
    assert "Not yours" not in text(trainee_client.get("/simulator/runs"))
    assert post_form(trainee_client, "/simulator/runs/999999/delete").status_code == 404


def test_a_visitor_saving_is_sent_to_log_in(app, client):
    response = save(client)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert all_runs(app) == []
    assert client.get("/simulator/runs").status_code == 302


def test_saving_without_a_csrf_token_is_refused(app, trainee_client):
    response = trainee_client.post("/simulator/runs", data={**FORM, "title": "No token"})
    assert response.status_code == 400
    assert all_runs(app) == []


def test_deleting_without_a_csrf_token_is_refused(app, trainee_client):
    save(trainee_client)
    [run] = all_runs(app)
    assert trainee_client.post(f"/simulator/runs/{run.id}/delete").status_code == 400
    assert len(all_runs(app)) == 1


def test_the_number_of_runs_is_capped(app, trainee_client, monkeypatch):
    monkeypatch.setattr(services, "MAX_RUNS_PER_USER", 2)
    for _ in range(3):
        save(trainee_client)
    assert len(all_runs(app)) == 2


def test_services_never_return_another_users_run(app, make_user):
    alice, bob = make_user(Role.TRAINEE), make_user(Role.TRAINEE)
    with app.app_context():
        run = services.save_run(alice.id, "Alice's run", FORM)
        db.session.commit()
        assert services.get_run(alice.id, run.id).title == "Alice's run"
        assert services.get_run(bob.id, run.id) is None
        assert [r.id for r in services.saved_runs_for(alice.id)] == [run.id]
        assert services.saved_runs_for(bob.id) == []
        assert services.delete_run(bob.id, run.id) is False
        assert services.delete_run(alice.id, run.id) is True


def test_clean_params_keeps_only_known_given_fields():
    raw = {**FORM, "title": "x", "utm_source": "mail", "particle_diameter_um": " "}
    cleaned = services.clean_params(raw)
    assert set(cleaned) == set(TYPE_2)
    assert cleaned["layered"] is False and cleaned["fitzpatrick_type"] == 2
    assert services.query_args(cleaned)["layered"] == "false"
    assert urlencode(services.query_args(cleaned))
