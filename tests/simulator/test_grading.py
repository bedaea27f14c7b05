"""Grading a trainee's laser parameters against a question's acceptance window."""

from __future__ import annotations

import pytest

from academy.simulator.grading import grade_parameters, validate_window

DARK_SKIN_CASE = {
    "case": {
        "fitzpatrick_type": 5,
        "pigment_type": "carbon",
        "pigment_density": "moderate",
        "pigment_depth_mm": 0.7,
    },
    "safe": True,
    "effective": True,
    "wavelength_nm": 1064,
    "max_risk_level": "moderate",
    "fluence_j_cm2": {"min": 1.5, "max": 5},
}


def test_a_sound_answer_gets_full_marks():
    g = grade_parameters(
        {"wavelength_nm": 1064, "pulse_duration_ns": 6, "fluence_j_cm2": 3, "spot_diameter_mm": 5},
        DARK_SKIN_CASE,
    )
    assert g["fraction"] == 1.0
    assert g["passed"] is True
    assert {f["field"] for f in g["feedback"]} >= {
        "safe",
        "effective",
        "wavelength_nm",
        "risk",
        "fluence_j_cm2",
    }
    assert all(f["ok"] for f in g["feedback"])


def test_532_on_type_5_fails_on_safety_and_wavelength():
    g = grade_parameters(
        {"wavelength_nm": 532, "fluence_j_cm2": 3, "spot_diameter_mm": 4}, DARK_SKIN_CASE
    )
    failed = {f["field"] for f in g["feedback"] if not f["ok"]}
    assert {"safe", "wavelength_nm", "risk"} <= failed
    assert 0 < g["fraction"] < 1
    assert g["verdict"]["safe"] is False
    safe_msg = next(f["message"] for f in g["feedback"] if f["field"] == "safe")
    assert "532 nm" in safe_msg


def test_the_case_overrides_the_trainee():
    g = grade_parameters(
        {"wavelength_nm": 1064, "fluence_j_cm2": 3, "fitzpatrick_type": 1}, DARK_SKIN_CASE
    )
    assert g["result"]["inputs"]["fitzpatrick_type"] == 5
    assert any(f["field"] == "fitzpatrick_type" for f in g["feedback"])


def test_invalid_parameters_score_zero_with_messages():
    g = grade_parameters({"wavelength_nm": 600, "fluence_j_cm2": 3}, DARK_SKIN_CASE)
    assert g["fraction"] == 0.0
    assert g["feedback"][0]["field"] == "wavelength_nm"
    assert g["feedback"][0]["ok"] is False


def test_regime_and_ranges():
    window = {
        "regime": "stress",
        "first_session_fraction": {"min": 0.2},
        "sessions_to_90_percent": {"max": 8},
    }
    ps = grade_parameters({"pulse_duration_ns": 0.45, "fluence_j_cm2": 2}, window)
    ns = grade_parameters({"pulse_duration_ns": 6, "fluence_j_cm2": 2}, window)
    assert ps["fraction"] == 1.0
    assert ns["fraction"] == pytest.approx(2 / 3, abs=1e-3)
    regime = next(f for f in ns["feedback"] if f["field"] == "pulse_duration_ns")
    assert "stress" in regime["message"] and not regime["ok"]


@pytest.mark.parametrize(
    "window",
    [
        {"safe": "yes"},
        {"max_risk_level": "none"},
        {"wavelength_nm": 600},
        {"fluence_j_cm2": [1, 2]},
        {"unknown": 1},
        {"case": {"colour": "red"}},
        {"regime": "fast"},
    ],
)
def test_bad_windows_are_rejected(window):
    with pytest.raises(ValueError):
        validate_window(window)
