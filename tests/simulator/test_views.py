"""The simulator page, the comparison and the notes on the model, as a visitor uses them."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlencode

import pytest

from academy.simulator import simulate
from academy.simulator.compare import compare
from academy.simulator.plots import fmt
from academy.simulator.presets import PRESETS
from tests.helpers import text

TYPE_2 = PRESETS["carbon_type_2"]["params"]
HOSTILE = [
    "",
    " ",
    "x" * 5000,
    "9" * 400,
    "<script>alert(1)</script>",
    "\x00",
    "ü" * 300,
    "-1",
    "1e309",
    "NaN",
    "inf",
    "0x10",
    "[]",
]


def query(params: dict, prefix: str = "") -> str:
    values = {
        f"{prefix}{k}": ("true" if v is True else "false" if v is False else v)
        for k, v in params.items()
    }
    return urlencode(values)


def results_region(page: str) -> str:
    start = page.index('<section id="results"')
    return page[start : page.index("</main>")]


def share_link(page: str) -> str:
    match = re.search(r'<a href="([^"]+)" class="share-link">', page)
    assert match, "the results offer a link that reproduces them"
    return unescape(match.group(1))


def test_the_page_works_for_a_visitor_and_starts_from_a_preset(client):
    response = client.get("/simulator")
    page = text(response)
    assert response.status_code == 200
    for legend in ("Laser", "Client", "Pigment", "Treatment plan"):
        assert f"<legend>{legend}</legend>" in page
    expected = simulate(TYPE_2)
    assert "Showing the preset" in page
    assert f"{fmt(expected['fluence_at_pigment_j_cm2'])} J/cm²" in page
    assert expected["explanations"]["fluence_at_pigment_j_cm2"].replace("'", "&#39;") in page
    assert "Log in to save this run" in page
    assert page.count("<svg") == 3
    assert '<a href="/simulator"' in page, "the menu offers the simulator to visitors"


@pytest.mark.parametrize("who", ["trainee_client", "tutor_client", "admin_client"])
def test_signed_in_users_can_save_from_the_page(request, who):
    client = request.getfixturevalue(who)
    page = text(client.get("/simulator?" + query(TYPE_2)))
    assert "Save to my notes" in page
    assert 'name="csrf_token"' in results_region(page)
    assert "Log in to save this run" not in page
    assert ">Simulator</a>" in page


def test_fields_have_labels_units_and_hints(client):
    page = text(client.get("/simulator"))
    for name in ("wavelength_nm", "fluence_j_cm2", "fitzpatrick_type", "pigment_depth_mm"):
        assert f'<label for="{name}">' in page
        assert f'id="{name}-hint"' in page
        assert f'aria-describedby="{name}-hint"' in page
    assert 'Pigment depth <span class="unit">(mm)</span>' in page


def test_given_parameters_give_the_engines_numbers(client):
    params = {**TYPE_2, "wavelength_nm": 532, "fitzpatrick_type": 5}
    response = client.get("/simulator?" + query(params))
    page = text(response)
    expected = simulate(params)
    assert response.status_code == 200
    assert f"Risk: {expected['risk']['level']}" in page
    assert "Not safe for this client" in page
    assert f"{fmt(expected['epidermal_temperature_rise_k'])} K" in page
    for flag in expected["risk"]["flags"]:
        assert flag["message"].replace("'", "&#39;") in page
    assert "Showing the preset" not in page


@pytest.mark.parametrize("key", list(PRESETS))
def test_every_preset_is_offered_and_runs(client, key):
    page = text(client.get("/simulator"))
    assert PRESETS[key]["title"] in page
    link = re.search(r'<a href="([^"]+)"[^>]*>' + re.escape(PRESETS[key]["title"]), page)
    response = client.get(unescape(link.group(1)))
    expected = simulate(PRESETS[key]["params"])
    assert response.status_code == 200
    assert f"Risk: {expected['risk']['level']}" in text(response)
    assert 'aria-current="true">' + PRESETS[key]["title"] in text(response)


def test_the_share_link_reproduces_the_same_numbers(client):
    params = {**TYPE_2, "spot_diameter_mm": 3, "interval_weeks": 5, "layered": True}
    # As the form submits it: every field, empty ones included.
    submitted = {**params, "pulse_energy_mj": "", "particle_diameter_um": ""}
    first = text(client.get("/simulator?" + query(submitted)))
    link = share_link(first)
    assert "pulse_energy_mj" not in link, "the shared address carries only given values"
    again = text(client.get(link))
    assert results_region(again) == results_region(first)
    assert f"{fmt(simulate(params)['fluence_at_pigment_j_cm2'])} J/cm²" in again


def test_unknown_query_parameters_are_ignored(client):
    response = client.get("/simulator?" + query(TYPE_2) + "&utm_source=newsletter")
    assert response.status_code == 200


def test_a_bad_value_shows_that_fields_message(client):
    response = client.get("/simulator?" + query({**TYPE_2, "wavelength_nm": 500}))
    page = text(response)
    assert response.status_code == 400
    assert 'id="wavelength_nm-error"' in page
    assert "Wavelength must be one of 532, 694, 755, 1064 nm" in page
    assert 'class="error-summary"' in page
    assert 'aria-invalid="true"' in page
    assert "No results" in page


def test_a_missing_laser_output_is_named_on_both_fields(client):
    params = {k: v for k, v in TYPE_2.items() if k != "fluence_j_cm2"}
    page = text(client.get("/simulator?" + query(params)))
    assert 'id="fluence_j_cm2-error"' in page and 'id="pulse_energy_mj-error"' in page


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize(
    "field",
    ["wavelength_nm", "fluence_j_cm2", "fitzpatrick_type", "pigment_type", "layered", "sessions"],
)
def test_hostile_values_get_a_message_never_a_server_error(client, field, value):
    response = client.get("/simulator?" + urlencode({**TYPE_2, field: value}))
    page = text(response)
    assert response.status_code in (200, 400)
    assert "<script>alert(1)</script>" not in page
    if response.status_code == 400:
        assert f'id="{field}-error"' in page


def test_hostile_values_in_every_field_at_once(client):
    hostile = dict.fromkeys(
        [
            "wavelength_nm",
            "pulse_duration_ns",
            "fluence_j_cm2",
            "pulse_energy_mj",
            "spot_diameter_mm",
            "beam_profile",
            "pigment_depth_mm",
            "pigment_density",
            "particle_diameter_um",
        ],
        '"><script>alert(1)</script>',
    )
    response = client.get("/simulator?" + urlencode(hostile))
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in text(response)
    assert "&lt;script&gt;" in text(response) or "&#34;&gt;&lt;script" in text(response)


def test_the_page_has_no_inline_style_or_script(client):
    """The CSP allows neither: the plots are styled by classes, the script is a file."""
    response = client.get("/simulator?" + query(TYPE_2))
    page = text(response)
    assert " style=" not in page and "<style" not in page
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []
    assert "/static/js/simulator.js" in page
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_each_plot_describes_itself_in_words(client):
    page = text(client.get("/simulator?" + query(TYPE_2)))
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(svgs) == 3
    for svg in svgs:
        assert 'role="img"' in svg
        assert "<title id=" in svg and "<desc id=" in svg
    assert "Depth below the skin surface (mm)" in page
    assert "Wavelength (nm)" in page
    assert "Pigment cleared, cumulative (%)" in page


def test_the_compare_page_defaults_to_532_against_1064_nm(client):
    response = client.get("/simulator/compare")
    page = text(response)
    assert response.status_code == 200
    assert "Setting A: 532 nm" in page and "Setting B: 1064 nm" in page
    assert page.count("<svg") == 6
    assert 'id="a-fluence' in page and 'id="b-fluence' in page, "plot ids stay unique"


def test_compare_shows_both_results_side_by_side(client):
    a = {**TYPE_2, "pulse_duration_ns": 6}
    b = {**TYPE_2, "pulse_duration_ns": 0.45, "fluence_j_cm2": 2}
    response = client.get("/simulator/compare?" + query(a, "a.") + "&" + query(b, "b."))
    page = text(response)
    expected = compare(a, b)
    assert response.status_code == 200
    assert "<strong>Pulse duration</strong> (6 ns → 0.45 ns)" in page
    regime = next(r for r in expected["rows"] if r["key"] == "confinement.regime")
    assert regime["a"] == "thermal" and regime["b"] == "stress"
    assert "<td>thermal</td>" in page and "<td>stress</td>" in page


def test_compare_names_the_side_of_a_bad_value(client):
    response = client.get(
        "/simulator/compare?"
        + query({**TYPE_2, "wavelength_nm": 600}, "a.")
        + "&"
        + query(TYPE_2, "b.")
    )
    page = text(response)
    assert response.status_code == 400
    assert "Setting A: Wavelength must be one of" in page
    assert 'id="a-wavelength_nm-error"' in page


def test_the_simulator_links_to_a_comparison_of_its_settings(client):
    page = text(client.get("/simulator?" + query(TYPE_2)))
    link = unescape(re.search(r'<a href="([^"]+)">Compare these settings', page).group(1))
    response = client.get(link)
    assert response.status_code == 200
    assert "The two settings are the same" in text(response)


def test_how_it_works_renders_the_model_notes(client):
    response = client.get("/simulator/how-it-works")
    page = text(response)
    assert response.status_code == 200
    assert page.count("<h1") == 1
    for words in ("From settings to verdict", "Validation", "What the model leaves out"):
        assert words in page
    assert "<table>" in page
