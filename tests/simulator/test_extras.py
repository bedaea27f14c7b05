"""Presets, side-by-side comparison and the request schema."""

from __future__ import annotations

import json

import pytest

from academy.simulator import InvalidParameters, simulate
from academy.simulator.compare import compare
from academy.simulator.params import FIELDS, json_schema
from academy.simulator.presets import PRESETS


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_simulates(name):
    r = simulate(PRESETS[name]["params"])
    assert r["verdict"]["reasons"]


def test_presets_teach_their_point():
    assert simulate(PRESETS["carbon_type_2"]["params"])["verdict"]["safe"] is True
    assert simulate(PRESETS["carbon_type_5"]["params"])["verdict"]["safe"] is True
    ps = simulate(PRESETS["picosecond"]["params"])
    assert ps["confinement"]["regime"] == "stress"
    iron = simulate(PRESETS["iron_oxide_shift"]["params"])
    assert "paradoxical_darkening" in {f["code"] for f in iron["risk"]["flags"]}


def test_compare_532_with_1064_on_the_same_client():
    base = PRESETS["carbon_type_5"]["params"]
    c = compare({**base, "wavelength_nm": 532}, base)
    rows = {row["key"]: row for row in c["rows"]}
    assert c["changed_inputs"] == ["wavelength_nm"]
    assert rows["risk.level"]["a"] == "high"
    assert rows["epidermal_temperature_rise_k"]["difference"] < 0
    assert rows["verdict.safe"]["b"] is True
    json.dumps(c, allow_nan=False)


def test_compare_reports_errors_by_side():
    with pytest.raises(InvalidParameters) as info:
        compare({"fluence_j_cm2": 3}, {"fluence_j_cm2": 3, "wavelength_nm": 600})
    assert set(info.value.errors) == {"b.wavelength_nm"}


def test_json_schema_covers_every_field():
    schema = json_schema()
    assert set(schema["properties"]) == set(FIELDS)
    assert schema["properties"]["wavelength_nm"]["enum"] == [532, 694, 755, 1064]
    assert schema["properties"]["pulse_duration_ns"]["minimum"] == 0.1
    json.dumps(schema)
