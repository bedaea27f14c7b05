"""The simulate() result: complete, JSON-safe, explained, consistent and fast."""

from __future__ import annotations

import ast
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import pytest

from academy.simulator import build_tables, optics, simulate, tables, transport
from academy.simulator.engine import check_json_safe

PACKAGE = Path(__file__).resolve().parents[2] / "academy" / "simulator"


def test_result_has_the_documented_keys(sound_smp):
    r = simulate(sound_smp)
    for key in (
        "fluence_j_cm2",
        "fluence_at_pigment_j_cm2",
        "epidermal_temperature_rise_k",
        "pigment_temperature_rise_k",
        "beam",
        "tissue",
        "fluence_profile",
        "spectra",
        "units",
        "explanations",
    ):
        assert key in r
    assert set(r["confinement"]) >= {"thermal_relaxation_ns", "stress_confinement_ns", "regime"}
    assert set(r["clearance"]) >= {"first_session_fraction", "cumulative", "sessions_to_90_percent"}
    assert set(r["kirby_desai"]) >= {"score", "sessions_estimate"}
    assert r["risk"]["level"] in ("low", "moderate", "high")
    assert set(r["eye_safety"]) >= {"mpe_j_m2", "required_od", "en207_scale"}
    assert set(r["verdict"]) == {"safe", "effective", "reasons"}
    assert set(r["beam"]) >= {"fluence_j_cm2", "peak_irradiance_w_cm2", "spot_area_cm2"}


def test_headline_numbers_have_explanations_and_units(sound_smp):
    r = simulate(sound_smp)
    for key in (
        "fluence_j_cm2",
        "fluence_at_pigment_j_cm2",
        "epidermal_temperature_rise_k",
        "pigment_temperature_rise_k",
        "confinement",
        "clearance",
        "kirby_desai",
        "risk",
        "eye_safety",
        "verdict",
    ):
        assert len(r["explanations"][key]) > 40
    for key in (
        "fluence_j_cm2",
        "fluence_at_pigment_j_cm2",
        "epidermal_temperature_rise_k",
        "pigment_temperature_rise_k",
        "eye_safety.mpe_j_m2",
        "beam.peak_irradiance_w_cm2",
        "confinement.thermal_relaxation_ns",
    ):
        assert r["units"][key]


def test_results_are_json_safe_for_random_inputs():
    rng = random.Random(3)
    for _ in range(60):
        p = {
            "wavelength_nm": rng.choice([532, 694, 755, 1064]),
            "pulse_duration_ns": rng.choice([0.1, 0.45, 6, 100, 1000]),
            "pulse_energy_mj": rng.uniform(5, 400),
            "spot_diameter_mm": rng.choice([1, 2.5, 4, 10]),
            "beam_profile": rng.choice(["flat_top", "gaussian"]),
            "fitzpatrick_type": rng.randint(1, 6),
            "pigment_type": rng.choice(["carbon", "iron_oxide", "mixed"]),
            "pigment_depth_mm": rng.choice([0.1, 0.7, 3.0]),
            "pigment_density": rng.choice(["light", "moderate", "dense"]),
            "pigment_age_years": rng.choice([0, 5, 50]),
            "particle_diameter_um": rng.choice([0.01, 1, 20]),
            "sessions": rng.choice([1, 20]),
            "repetition_rate_hz": rng.choice([0.1, 50]),
            "passes": rng.choice([1, 10]),
        }
        try:
            r = simulate(p)
        except Exception as exc:  # an energy outside the fluence range is fine to refuse
            assert type(exc).__name__ == "InvalidParameters"
            continue
        check_json_safe(r)
        json.dumps(r, allow_nan=False)


def test_fluence_profile_is_plot_ready(sound_smp):
    prof = simulate(sound_smp)["fluence_profile"]
    assert len(prof["depth_mm"]) == len(prof["fluence_j_cm2"]) == len(prof["relative_fluence"])
    assert prof["layer_boundaries_mm"] == pytest.approx([0.1, 2.1])
    assert prof["pigment_depth_mm"] == 0.7
    assert all(v > 0 for v in prof["fluence_j_cm2"])


def test_spectra_mark_the_wavelength_and_follow_skin_type(sound_smp):
    light = simulate(sound_smp)["spectra"]
    dark = simulate({**sound_smp, "fitzpatrick_type": 6})["spectra"]
    assert light["selected_wavelength_nm"] == 1064
    assert light["wavelength_nm"][0] == 450 and light["wavelength_nm"][-1] == 1100
    assert dark["melanin_epidermis_cm1"][0] > light["melanin_epidermis_cm1"][0]
    for series in ("oxy_blood_cm1", "deoxy_blood_cm1", "water_cm1"):
        assert len(light[series]) == len(light["wavelength_nm"])


def test_fluence_at_pigment_has_a_statistical_error(sound_smp):
    r = simulate(sound_smp)
    assert 0 < r["fluence_at_pigment_se_j_cm2"] < 0.05 * r["fluence_at_pigment_j_cm2"]


def test_tables_match_the_current_optics():
    """The shipped tables were built from today's optical model (rebuild if this fails)."""
    data = tables.load()
    for i, wl in enumerate(data["wavelengths_nm"]):
        for j, fitz in enumerate(data["fitzpatrick"]):
            layers = optics.scalp_layers(int(wl), int(fitz))
            want = [[la["mu_a"], la["mu_s"], la["g"]] for la in layers]
            assert np.allclose(data["layer_properties"][i, j], want, rtol=1e-9), (wl, fitz)


def test_table_file_is_small():
    assert tables.DATA_FILE.stat().st_size < 2_000_000


def test_broad_beam_limit_of_the_ring_weights():
    big = tables.ring_weights(2 * 10 * tables.NR * tables.DR_CM, "flat_top")
    assert np.all(big == 1.0)
    gauss = tables.ring_weights(4.0, "gaussian")
    edges = np.arange(tables.NR + 1) * tables.DR_CM
    area = np.pi * (edges[1:] ** 2 - edges[:-1] ** 2)
    # Integral of the Gaussian over the plane equals the pulse energy: 2 x nominal x area.
    nominal_area = np.pi * 0.2**2
    assert np.sum(gauss[:-1] * area) == pytest.approx(nominal_area, rel=1e-6)


@pytest.mark.parametrize("wavelength", [532, 694, 755, 1064])
@pytest.mark.parametrize("skin", [1, 2, 3, 4])
def test_diffusion_check_agrees_with_the_tables(sound_smp, wavelength, skin):
    """Diffusion theory and the shipped Monte Carlo tables agree to about 25%."""
    params = {**sound_smp, "wavelength_nm": wavelength, "fitzpatrick_type": skin}
    check = simulate(params)["transport"]["diffusion_check"]
    assert 0.75 < check["ratio"] < 1.25


def test_interactive_latency_p95_under_50_ms(sound_smp):
    simulate(sound_smp)
    rng = random.Random(5)
    times = []
    for _ in range(100):
        p = {
            **sound_smp,
            "wavelength_nm": rng.choice([532, 694, 755, 1064]),
            "fitzpatrick_type": rng.randint(1, 6),
            "spot_diameter_mm": rng.uniform(1, 10),
            "beam_profile": rng.choice(["flat_top", "gaussian"]),
        }
        start = time.perf_counter()
        simulate(p)
        times.append(time.perf_counter() - start)
    times.sort()
    assert times[94] < 0.050


# The web layer of the domain folder (ARCHITECTURE.md): views.py is the only file that knows
# about requests; models.py and services.py keep saved runs in the database.
WEB_LAYER = {"views.py": {"flask", "flask_login"}, "models.py": set(), "services.py": set()}
DATABASE = ("sqlalchemy", "flask_sqlalchemy", "academy.extensions", "academy.simulator.models")


def test_no_flask_anywhere_in_the_simulator():
    """The physics, the plots and the page data never import Flask or the database."""
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                top = name.split(".")[0]
                if path.name in WEB_LAYER:
                    assert top not in ("flask", "flask_login") or top in WEB_LAYER[path.name], (
                        f"{path.name} imports {name}"
                    )
                else:
                    assert top != "flask" and not top.startswith("flask_"), path.name
                    assert not name.startswith(DATABASE), f"{path.name} imports {name}"


def test_numbers_are_finite(sound_smp):
    r = simulate({**sound_smp, "fitzpatrick_type": 6, "wavelength_nm": 532})
    assert math.isfinite(r["epidermal_temperature_rise_k"])
    assert math.isfinite(r["pigment_temperature_rise_k"])


@pytest.mark.skipif(not transport.HAVE_NUMBA, reason="a full table case is slow without Numba")
def test_shipped_table_is_reproducible_from_its_seed():
    """Rebuilding one case (532 nm, type VI: the quickest) gives the shipped numbers."""
    data = tables.load()
    meta = data["meta"]
    i = optics.WAVELENGTHS_NM.index(532)
    seed = meta["seed"] + 1000 * i + 6
    case = build_tables._case((532, 6, meta["photons_per_case"], seed))
    assert np.array_equal(case["rings"], data["rings"][i, 5].astype(np.float32))
    assert case["rd"] == pytest.approx(data["diffuse_reflectance"][i, 5], rel=1e-12)
