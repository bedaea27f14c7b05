"""Clinical sense, as the course teaches it, from the whole simulator."""

from __future__ import annotations

import pytest

from academy.simulator import simulate


def run(base: dict, **overrides) -> dict:
    return simulate({**base, **overrides})


def test_epidermal_heating_rises_with_skin_type(sound_smp):
    for wavelength in (532, 694, 755, 1064):
        rises = [
            run(sound_smp, wavelength_nm=wavelength, fluence_j_cm2=2, fitzpatrick_type=t)[
                "epidermal_temperature_rise_k"
            ]
            for t in range(1, 7)
        ]
        assert rises == sorted(rises) and rises[0] < rises[-1], (wavelength, rises)


def test_epidermal_heating_is_lowest_at_1064(sound_smp):
    for skin in range(1, 7):
        rise = {
            wl: run(sound_smp, wavelength_nm=wl, fluence_j_cm2=3, fitzpatrick_type=skin)[
                "epidermal_temperature_rise_k"
            ]
            for wl in (532, 694, 755, 1064)
        }
        assert rise[1064] < min(rise[532], rise[694], rise[755]), (skin, rise)


@pytest.mark.parametrize("skin", [5, 6])
@pytest.mark.parametrize("fluence", [1, 2, 4])
def test_532_on_dark_skin_is_high_risk(sound_smp, skin, fluence):
    r = run(sound_smp, wavelength_nm=532, fitzpatrick_type=skin, fluence_j_cm2=fluence)
    assert r["risk"]["level"] == "high"
    assert "melanin_absorption" in {f["code"] for f in r["risk"]["flags"]}
    assert r["verdict"]["safe"] is False


def test_1064_on_dark_skin_at_modest_fluence_is_not_high_risk(sound_smp):
    r = run(sound_smp, fitzpatrick_type=6, fluence_j_cm2=2.5, spot_diameter_mm=5)
    assert r["risk"]["level"] != "high"
    assert r["verdict"]["safe"] is True


def test_picosecond_is_stress_confined_where_nanosecond_is_not(sound_smp):
    ps = run(sound_smp, pulse_duration_ns=0.45, fluence_j_cm2=2, particle_diameter_um=1.0)
    ns = run(sound_smp, pulse_duration_ns=6, particle_diameter_um=1.0)
    assert ps["confinement"]["regime"] == "stress"
    assert ns["confinement"]["regime"] == "thermal"
    assert ps["clearance"]["first_session_fraction"] >= ns["clearance"]["first_session_fraction"]


def test_light_density_needs_fewer_sessions_than_dense(sound_smp):
    light = run(sound_smp, pigment_density="light")["clearance"]["sessions_to_90_percent"]
    moderate = run(sound_smp, pigment_density="moderate")["clearance"]["sessions_to_90_percent"]
    dense = run(sound_smp, pigment_density="dense")["clearance"]["sessions_to_90_percent"]
    assert light < moderate < dense
    assert 2 <= light <= 4
    assert dense >= 5


def test_dense_deep_old_pigment_needs_five_to_seven_or_more(sound_smp):
    r = run(sound_smp, pigment_density="dense", pigment_depth_mm=1.2, pigment_age_years=12)
    assert r["clearance"]["sessions_to_90_percent"] >= 7


@pytest.mark.parametrize(
    "settings",
    [
        {"fluence_j_cm2": 3},
        {"fluence_j_cm2": 4},
        {"fluence_j_cm2": 5, "spot_diameter_mm": 3},
        {"pulse_duration_ns": 0.45, "fluence_j_cm2": 2},
    ],
)
def test_sound_first_session_on_carbon_type_2_clears_20_to_40_percent(sound_smp, settings):
    r = run(sound_smp, **settings)
    assert 0.20 <= r["clearance"]["first_session_fraction"] <= 0.40
    assert r["verdict"]["safe"] and r["verdict"]["effective"]
    assert r["risk"]["level"] == "low"


def test_clearance_accumulates_per_planned_session(sound_smp):
    r = run(sound_smp, sessions=5)
    cumulative = r["clearance"]["cumulative"]
    assert len(cumulative) == 5
    assert cumulative == sorted(cumulative)
    assert cumulative[0] == r["clearance"]["first_session_fraction"]


def test_short_interval_is_flagged_and_slows_clearance(sound_smp):
    short = run(sound_smp, interval_weeks=2)
    usual = run(sound_smp, interval_weeks=6)
    assert "short_interval" in {f["code"] for f in short["risk"]["flags"]}
    assert short["clearance"]["cumulative"][-1] < usual["clearance"]["cumulative"][-1]


def test_iron_oxide_is_flagged_for_paradoxical_darkening(sound_smp):
    for pigment in ("iron_oxide", "mixed"):
        codes = {f["code"] for f in run(sound_smp, pigment_type=pigment)["risk"]["flags"]}
        assert "paradoxical_darkening" in codes


def test_nanosecond_pulse_on_nanoparticles_is_not_confined(sound_smp):
    r = run(sound_smp, particle_diameter_um=0.1)
    assert r["confinement"]["regime"] == "none"
    assert "not_confined" in {f["code"] for f in r["risk"]["flags"]}


def test_early_repigmentation_is_flagged(sound_smp):
    codes = {f["code"] for f in run(sound_smp, repigmentation_after_weeks=4)["risk"]["flags"]}
    assert "early_repigmentation" in codes
    codes = {f["code"] for f in run(sound_smp, repigmentation_after_weeks=10)["risk"]["flags"]}
    assert "early_repigmentation" not in codes


def test_fluence_above_window_is_flagged(sound_smp):
    r = run(sound_smp, fluence_j_cm2=12)
    assert "fluence_too_high" in {f["code"] for f in r["risk"]["flags"]}
    assert r["risk"]["level"] == "high"


def test_larger_spot_delivers_more_fluence_to_the_pigment(sound_smp):
    at = [run(sound_smp, spot_diameter_mm=d)["fluence_at_pigment_j_cm2"] for d in (2, 4, 8)]
    assert at[0] < at[1] < at[2]


def test_gaussian_beam_peaks_at_twice_nominal(sound_smp):
    flat = run(sound_smp)
    gauss = run(sound_smp, beam_profile="gaussian")
    assert gauss["peak_fluence_j_cm2"] == pytest.approx(2 * flat["fluence_j_cm2"])
    assert gauss["epidermal_temperature_rise_k"] > flat["epidermal_temperature_rise_k"]


def test_deeper_pigment_receives_less_light(sound_smp):
    shallow = run(sound_smp, pigment_depth_mm=0.5)["fluence_at_pigment_j_cm2"]
    deep = run(sound_smp, pigment_depth_mm=1.5)["fluence_at_pigment_j_cm2"]
    assert deep < shallow
