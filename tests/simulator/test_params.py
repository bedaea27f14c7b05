"""Input validation: every bad field gets its own message naming unit, range and why."""

from __future__ import annotations

import pytest

from academy.simulator import FIELDS, InvalidParameters, describe_fields, simulate
from academy.simulator.params import validate

GOOD = {"pulse_energy_mj": 500}


def errors_for(**overrides) -> dict:
    with pytest.raises(InvalidParameters) as info:
        validate({**GOOD, **overrides})
    return info.value.errors


def test_defaults_fill_everything_but_the_laser_output():
    p = validate(GOOD)
    assert p["wavelength_nm"] == 1064
    assert p["pulse_duration_ns"] == 6.0
    assert p["spot_diameter_mm"] == 4.0
    assert p["fitzpatrick_type"] == 2
    assert p["particle_diameter_um"] == 1.0
    assert p["fluence_j_cm2"] == pytest.approx(0.5 / (3.141592653589793 * 0.4**2 / 4))
    assert all(
        f.default is not None
        for f in FIELDS.values()
        if f.name
        not in (
            "pulse_energy_mj",
            "fluence_j_cm2",
            "particle_diameter_um",
            "repigmentation_after_weeks",
        )
    )


def test_form_strings_are_accepted():
    p = validate(
        {
            "wavelength_nm": "532",
            "pulse_duration_ns": "0.45",
            "fluence_j_cm2": " 2 ",
            "fitzpatrick_type": "IV",
            "layered": "on",
            "passes": "2",
            "particle_diameter_um": "",
            "pigment_type": "Iron_Oxide",
        }
    )
    assert p["wavelength_nm"] == 532
    assert p["pulse_duration_ns"] == 0.45
    assert p["fitzpatrick_type"] == 4
    assert p["layered"] is True
    assert p["passes"] == 2
    assert p["pigment_type"] == "iron_oxide"
    assert p["particle_diameter_um"] == 2.0


def test_energy_is_derived_from_fluence():
    p = validate({"fluence_j_cm2": 4, "spot_diameter_mm": 4})
    assert p["pulse_energy_mj"] == pytest.approx(4 * 3.141592653589793 * 0.16 / 4 * 1000)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("wavelength_nm", 600, ["532, 694, 755, 1064", "nm"]),
        ("wavelength_nm", "green", ["532, 694, 755, 1064"]),
        ("pulse_duration_ns", -1, ["negative", "ns", "0.1 and 1000"]),
        ("pulse_duration_ns", "nan", ["finite"]),
        ("pulse_duration_ns", float("inf"), ["finite"]),
        ("pulse_duration_ns", 5000, ["0.1 and 1000 ns", "picoseconds"]),
        ("pulse_duration_ns", True, ["number"]),
        ("pulse_duration_ns", [6], ["number"]),
        ("spot_diameter_mm", 0.2, ["1 and 10 mm", "handpieces"]),
        ("beam_profile", "donut", ["flat_top, gaussian"]),
        ("repetition_rate_hz", 100, ["Hz"]),
        ("passes", 2.5, ["whole number"]),
        ("passes", 0, ["1 and 10"]),
        ("sessions", 21, ["1 and 20"]),
        ("interval_weeks", 0.5, ["weeks", "4-6 weeks"]),
        ("fitzpatrick_type", 7, ["1 and 6", "I-VI"]),
        ("fitzpatrick_type", "VII", ["number"]),
        ("pigment_type", "ink", ["carbon, iron_oxide, mixed"]),
        ("pigment_depth_mm", 5, ["0.1 and 3 mm", "0.5-1 mm"]),
        ("pigment_density", "heavy", ["light, moderate, dense"]),
        ("pigment_age_years", -2, ["negative", "years"]),
        ("layered", "maybe", ["true or false"]),
        ("particle_diameter_um", 50, ["µm"]),
        ("scarring", "lots", ["none, minimal, moderate, significant"]),
        ("target_clearance_percent", 100, ["%"]),
        ("repigmentation_after_weeks", -1, ["weeks"]),
    ],
)
def test_each_bad_field_gets_its_message(field, value, words):
    errors = errors_for(**{field: value})
    assert set(errors) == {field}
    for word in words:
        assert word in errors[field]


def test_every_bad_field_is_reported_at_once():
    with pytest.raises(InvalidParameters) as info:
        validate(
            {
                "wavelength_nm": 1,
                "fitzpatrick_type": 0,
                "pulse_energy_mj": -5,
                "spot_diameter_mm": "x",
            }
        )
    assert set(info.value.errors) == {
        "wavelength_nm",
        "fitzpatrick_type",
        "pulse_energy_mj",
        "spot_diameter_mm",
    }


def test_unknown_fields_are_reported():
    errors = errors_for(wavelength=1064)
    assert "Unknown field" in errors["wavelength"]


def test_energy_or_fluence_is_required():
    with pytest.raises(InvalidParameters) as info:
        validate({})
    assert set(info.value.errors) == {"pulse_energy_mj", "fluence_j_cm2"}
    assert "mJ" in info.value.errors["pulse_energy_mj"]


def test_inconsistent_energy_and_fluence():
    errors = errors_for(fluence_j_cm2=10, spot_diameter_mm=4)
    assert set(errors) == {"pulse_energy_mj", "fluence_j_cm2"}
    assert "3.98 J/cm²" in errors["fluence_j_cm2"]


def test_consistent_energy_and_fluence_are_accepted():
    p = validate({"pulse_energy_mj": 502.65, "fluence_j_cm2": 4, "spot_diameter_mm": 4})
    assert p["fluence_j_cm2"] == 4


def test_energy_giving_fluence_out_of_range():
    errors = errors_for(pulse_energy_mj=4000, spot_diameter_mm=1)
    assert "J/cm²" in errors["pulse_energy_mj"]


def test_non_mapping_is_rejected():
    with pytest.raises(InvalidParameters) as info:
        simulate(["wavelength_nm", 1064])
    assert "_" in info.value.errors


def test_field_descriptions_are_complete():
    described = describe_fields()
    assert {d["name"] for d in described} == set(FIELDS)
    for d in described:
        assert d["why"]
        if d["type"] in ("number", "integer"):
            assert d["minimum"] < d["maximum"]
