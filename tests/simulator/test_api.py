"""The JSON API and its OpenAPI description, and the per-address rate limit."""

from __future__ import annotations

import json

import pytest

from academy.simulator import FIELDS, simulate
from academy.simulator.params import json_schema
from academy.simulator.presets import PRESETS
from tests.helpers import text

TYPE_2 = PRESETS["carbon_type_2"]["params"]


@pytest.fixture
def low_rate_limit(app):
    app.config["SIMULATOR_RATE_LIMIT"] = "3 per minute"
    yield
    app.config.pop("SIMULATOR_RATE_LIMIT")


@pytest.mark.parametrize("key", list(PRESETS))
def test_the_api_answers_what_simulate_computes(client, key):
    response = client.post("/api/v1/simulate", json=PRESETS[key]["params"])
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == simulate(PRESETS[key]["params"])


def test_the_api_takes_energy_instead_of_fluence(client):
    body = {"wavelength_nm": 1064, "pulse_duration_ns": 6, "pulse_energy_mj": 440}
    result = client.post("/api/v1/simulate", json=body).get_json()
    assert result["fluence_j_cm2"] == pytest.approx(3.5, rel=0.01)
    assert result["inputs"]["spot_diameter_mm"] == 4.0


def test_invalid_parameters_get_a_message_per_field(client):
    response = client.post(
        "/api/v1/simulate", json={"wavelength_nm": 500, "fitzpatrick_type": 9, "colour": "red"}
    )
    body = response.get_json()
    assert response.status_code == 400
    assert set(body["errors"]) == {
        "wavelength_nm",
        "fitzpatrick_type",
        "colour",
        "pulse_energy_mj",
        "fluence_j_cm2",
    }
    assert "532, 694, 755, 1064 nm" in body["errors"]["wavelength_nm"]
    assert "Unknown field 'colour'" in body["errors"]["colour"]
    assert body["error"] == "Invalid parameters."


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"", b"\xff\xfe", b'{"wavelength_nm": 1064', b"null"],
    ids=["broken", "empty", "bytes", "unclosed", "null"],
)
def test_malformed_json_gets_400_with_a_message(client, raw):
    response = client.post("/api/v1/simulate", data=raw, content_type="application/json")
    body = response.get_json()
    assert response.status_code == 400
    assert "not valid JSON" in body["error"]
    assert body["errors"] == {"_": body["error"]}


@pytest.mark.parametrize("payload", [[1, 2], "1064", 3.5, True])
def test_a_body_that_is_not_an_object_is_refused(client, payload):
    response = client.post("/api/v1/simulate", json=payload)
    assert response.status_code == 400
    assert "JSON object" in response.get_json()["errors"]["_"]


@pytest.mark.parametrize(
    "value", ["NaN", "Infinity", "-1", "1e309", '"<script>"', "[]", "{}", '"x"']
)
def test_hostile_numbers_are_refused_cleanly(client, value):
    raw = '{"fluence_j_cm2": ' + value + ', "wavelength_nm": 1064}'
    response = client.post("/api/v1/simulate", data=raw, content_type="application/json")
    assert response.status_code == 400
    assert "fluence_j_cm2" in response.get_json()["errors"]


def test_a_body_without_the_json_content_type_is_still_read(client):
    response = client.post("/api/v1/simulate", data=json.dumps(TYPE_2), content_type="text/plain")
    assert response.status_code == 200


def test_a_huge_body_is_refused(client):
    response = client.post("/api/v1/simulate", data="x" * 70_000, content_type="application/json")
    assert response.status_code == 413
    assert "larger than" in response.get_json()["error"]


def test_the_api_needs_no_csrf_token_or_account(trainee_client, client):
    """It changes nothing and trusts no cookie, so a signed-in browser needs no token."""
    assert trainee_client.post("/api/v1/simulate", json=TYPE_2).status_code == 200
    assert client.post("/api/v1/simulate", json=TYPE_2).status_code == 200


def test_get_is_not_allowed_on_the_api(client):
    assert client.get("/api/v1/simulate").status_code == 405


def test_the_openapi_document_describes_the_api(client):
    response = client.get("/api/v1/openapi.json")
    doc = json.loads(response.get_data(as_text=True))
    assert response.status_code == 200
    assert doc["openapi"].startswith("3.1")
    operation = doc["paths"]["/api/v1/simulate"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema == json_schema()
    assert set(schema["properties"]) == set(FIELDS)
    assert {"200", "400", "429"} <= set(operation["responses"])
    result_schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    result = simulate(TYPE_2)
    assert set(result_schema["required"]) <= set(result)
    errors = operation["responses"]["400"]["content"]["application/json"]["schema"]
    assert "errors" in errors["properties"]
    assert "120 per minute" in doc["info"]["description"]
    example = operation["requestBody"]["content"]["application/json"]["examples"]
    assert simulate(example["carbon_type_2"]["value"])["verdict"]["safe"] is True


def test_the_rate_limit_answers_429_after_the_limit(client, low_rate_limit):
    for _ in range(3):
        assert client.post("/api/v1/simulate", json=TYPE_2).status_code == 200
    response = client.post("/api/v1/simulate", json=TYPE_2)
    assert response.status_code == 429
    assert "Too many" in response.get_json()["error"]
    assert "Retry-After" in response.headers


def test_the_limit_is_shared_by_the_pages_and_the_api(client, low_rate_limit):
    assert client.post("/api/v1/simulate", json=TYPE_2).status_code == 200
    assert client.get("/simulator").status_code == 200
    assert client.get("/simulator/compare").status_code == 200
    response = client.get("/simulator")
    assert response.status_code == 429
    assert "Too many" in text(response)


def test_responses_carry_the_rate_limit_headers(client):
    response = client.post("/api/v1/simulate", json=TYPE_2)
    assert response.headers["X-RateLimit-Limit"] == "120"
