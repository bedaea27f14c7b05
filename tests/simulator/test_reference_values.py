"""The worked examples of shared/reference/laser-physics.md, reproduced by the engine."""

from __future__ import annotations

import pytest

from academy.simulator import eye_safety, kirby_desai, optics, thermal


@pytest.mark.parametrize(
    ("wavelength", "m2", "m13", "m30"),
    [
        (532, 8, 54, 125),
        (694, 3.3, 21, 49),
        (755, 2.5, 16, 37),
        (1064, 0.7, 4.8, 11),
    ],
)
def test_epidermal_melanin_absorption(wavelength, m2, m13, m30):
    """Jacques 2013 Eq. 8 at M = 2%, 13%, 30% (reference table, 2 significant figures)."""
    for fraction, expected in ((0.02, m2), (0.13, m13), (0.30, m30)):
        assert fraction * optics.melanin_mua(wavelength) == pytest.approx(expected, rel=0.06)


@pytest.mark.parametrize(
    ("wavelength", "expected"), [(532, 418), (694, 165), (755, 123), (1064, 36.9)]
)
def test_melanosome_absorption(wavelength, expected):
    assert optics.melanin_mua(wavelength) == pytest.approx(expected, rel=0.005)


@pytest.mark.parametrize(
    ("wavelength", "oxy", "deoxy"),
    [
        (532, 234.9, 217.3),
        (694, 1.50, 10.4),
        (755, 2.97, 8.31),
    ],
)
def test_blood_absorption(wavelength, oxy, deoxy):
    """Prahl's haemoglobin table, whole blood at 150 g/L (reference table)."""
    assert optics.blood_mua(wavelength, 1.0) == pytest.approx(oxy, rel=0.01)
    assert optics.blood_mua(wavelength, 0.0) == pytest.approx(deoxy, rel=0.01)


def test_blood_at_1064_matches_the_reference_extrapolation():
    assert optics.blood_mua(1064, 1.0) == pytest.approx(5, rel=0.15)
    assert optics.blood_mua(1064, 0.0) == pytest.approx(1, rel=0.15)


@pytest.mark.parametrize(
    ("wavelength", "expected", "rel"),
    [
        # Segelstein (ours) against the reference column (Hale & Querry at 532 nm).
        (532, 0.00036, 0.25),
        (694, 0.0056, 0.1),
        (755, 0.026, 0.05),
        (1064, 0.135, 0.15),
    ],
)
def test_water_absorption(wavelength, expected, rel):
    assert optics.water_mua(wavelength) == pytest.approx(expected, rel=rel)


@pytest.mark.parametrize(
    ("wavelength", "musp", "depth_mm"),
    [
        (532, 35.7, 1.0),
        (694, 18.7, 2.5),
        (755, 15.7, 2.7),
        (1064, 8.9, 3.2),
    ],
)
def test_dermis_scattering_and_penetration_depth(wavelength, musp, depth_mm):
    assert optics.dermis_musp(wavelength) == pytest.approx(musp, rel=0.01)
    delta = optics.penetration_depth_mm(
        optics.dermis_mua(wavelength), optics.dermis_musp(wavelength)
    )
    assert delta == pytest.approx(depth_mm, rel=0.05)


@pytest.mark.parametrize(
    ("diameter_um", "tau_ns", "ts_ns"),
    [
        (0.1, 2.8, 0.067),
        (1.0, 285, 0.67),
        (4.0, 4600, 2.7),
    ],
)
def test_confinement_times(diameter_um, tau_ns, ts_ns):
    assert thermal.thermal_relaxation_ns(diameter_um) == pytest.approx(tau_ns, rel=0.02)
    assert thermal.stress_confinement_ns(diameter_um) == pytest.approx(ts_ns, rel=0.02)


def test_picosecond_pulses_are_stress_confined_for_micrometre_clusters():
    for d in (1.0, 2.0, 4.0):
        tau, ts = thermal.thermal_relaxation_ns(d), thermal.stress_confinement_ns(d)
        assert thermal.regime(0.45, tau, ts) == "stress"
        assert thermal.regime(6.0, tau, ts) == "thermal"
    tau, ts = thermal.thermal_relaxation_ns(0.1), thermal.stress_confinement_ns(0.1)
    assert thermal.regime(6.0, tau, ts) == "none"


@pytest.mark.parametrize(
    ("wavelength", "mpe"), [(532, 2e-3), (694, 2e-3), (755, 2.58e-3), (1064, 2e-2)]
)
def test_single_pulse_mpe(wavelength, mpe):
    assert eye_safety.single_pulse_mpe_j_m2(wavelength) == pytest.approx(mpe, rel=0.005)


def test_optical_density_examples():
    """1064 nm 0.5 J -> H0 1.30e4 J/m^2, OD 5.8; 532 nm 0.25 J -> OD 6.5 (7 mm aperture)."""
    assert eye_safety.corneal_exposure_j_m2(0.5, 0.004) == pytest.approx(1.30e4, rel=0.005)
    assert eye_safety.required_od(0.5, 0.004, 1064) == pytest.approx(5.8, abs=0.05)
    assert eye_safety.required_od(0.25, 0.004, 532) == pytest.approx(6.5, abs=0.05)


def test_pulse_train_needs_more_density():
    single = eye_safety.required_od(0.5, 0.004, 1064, 1)
    train = eye_safety.required_od(0.5, 0.004, 1064, 50)
    assert train == pytest.approx(single + 0.25 * 1.69897, abs=1e-6)


def test_en207_scale():
    """LB = log10(E/5) + 3 (>= 1 ns) or log10(E/1.5) + 4 (< 1 ns), rounded up."""
    # 0.5 J in a 7 mm beam: E = 1.30e4 J/m^2 -> 6.41 -> LB7; picosecond -> 7.94 -> LB8.
    assert eye_safety.en207_scale(0.5, 0.007, 6.0) == 7
    assert eye_safety.en207_scale(0.5, 0.007, 0.45) == 8


def test_kirby_desai_worked_example():
    """Type II scalp, black, moderate amount, no scarring, no layering: 2+1+1+3+0+0 = 7."""
    kd = kirby_desai.score(2, "carbon", "moderate", "none", False)
    assert kd["score"] == 7
    assert kd["sessions_estimate"] == 7
    assert kirby_desai.score(2, "carbon", "moderate", "moderate", True)["score"] == 12
