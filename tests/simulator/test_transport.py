"""Monte Carlo transport against published values and exact results, within 3 SE."""

from __future__ import annotations

import math

import numpy as np
import pytest

from academy.simulator import diffusion, transport
from tests.simulator.mc_helpers import photons, semi_infinite_isotropic_reflectance

VAN_DE_HULST_SLAB = [{"mu_a": 10.0, "mu_s": 90.0, "g": 0.75, "n": 1.0, "thickness_cm": 0.02}]


def within(value: float, expected: float, se: float, k: float = 3.0) -> bool:
    return abs(value - expected) <= k * se


@pytest.fixture(scope="module")
def van_de_hulst():
    return transport.simulate_layers(VAN_DE_HULST_SLAB, 1.0, 1.0, photons(400_000), seed=11)


def test_van_de_hulst_slab_reflectance(van_de_hulst):
    """MCML manual, van de Hulst's tables: Rd = 0.09739 for the matched slab."""
    r = van_de_hulst
    assert within(r["diffuse_reflectance"], 0.09739, r["diffuse_reflectance_se"])


def test_van_de_hulst_slab_transmittance(van_de_hulst):
    """MCML manual, van de Hulst's tables: Tt = 0.66096 for the matched slab."""
    r = van_de_hulst
    assert within(r["total_transmittance"], 0.66096, r["total_transmittance_se"])


def test_unscattered_transmittance_is_beer_lambert(van_de_hulst):
    """With matched indices the unscattered beam is exp(-mu_t d) exactly."""
    r = van_de_hulst
    assert within(
        r["unscattered_transmittance"], math.exp(-100 * 0.02), r["unscattered_transmittance_se"]
    )


def test_energy_is_conserved(van_de_hulst):
    r = van_de_hulst
    total = (
        r["specular_reflectance"]
        + r["diffuse_reflectance"]
        + r["absorbed_fraction"]
        + r["total_transmittance"]
    )
    se = math.sqrt(
        r["diffuse_reflectance_se"] ** 2
        + r["absorbed_fraction_se"] ** 2
        + r["total_transmittance_se"] ** 2
    )
    assert within(total, 1.0, se)


def test_semi_infinite_isotropic_half_space_matches_chandrasekhar():
    """Matched half-space, a = 0.9, g = 0: plane albedo 1 - H(1) sqrt(1 - a) = 0.4149."""
    layers = [{"mu_a": 10.0, "mu_s": 90.0, "g": 0.0, "n": 1.0, "thickness_cm": math.inf}]
    r = transport.simulate_layers(layers, 1.0, 1.0, photons(300_000), seed=5)
    exact = semi_infinite_isotropic_reflectance(0.9)
    assert exact == pytest.approx(0.41495, abs=2e-4)
    assert within(r["diffuse_reflectance"], exact, r["diffuse_reflectance_se"])
    assert r["total_transmittance"] == 0.0


@pytest.mark.parametrize("n_slab", [1.37, 1.5])
def test_specular_reflectance_is_fresnel(n_slab):
    layers = [{"mu_a": 1.0, "mu_s": 10.0, "g": 0.9, "n": n_slab, "thickness_cm": 0.1}]
    r = transport.simulate_layers(layers, 1.0, 1.0, 2000, seed=1)
    assert r["specular_reflectance"] == pytest.approx(((n_slab - 1) / (n_slab + 1)) ** 2, rel=1e-12)


def test_lossless_mismatched_layers_lose_nothing():
    """No absorption: every packet leaves by reflection or transmission, exactly, even
    with Fresnel events at mismatched internal boundaries."""
    layers = [
        {"mu_a": 0.0, "mu_s": 50.0, "g": 0.8, "n": 1.5, "thickness_cm": 0.01},
        {"mu_a": 0.0, "mu_s": 20.0, "g": 0.0, "n": 1.33, "thickness_cm": 0.02},
    ]
    r = transport.simulate_layers(layers, 1.0, 1.2, photons(50_000), seed=3)
    assert r["absorbed_fraction"] == 0.0
    total = r["specular_reflectance"] + r["diffuse_reflectance"] + r["total_transmittance"]
    assert total == pytest.approx(1.0, abs=1e-9)


def test_unscattered_transmission_with_internal_reflections():
    """Slab n = 1.5 in air: unscattered light bounces between the faces, so
    T_u = (1 - R)^2 e^-tau / (1 - R^2 e^-2tau), R = 0.04, exactly."""
    tau, rr = 1.0, 0.04
    layers = [{"mu_a": 10.0, "mu_s": 90.0, "g": 0.0, "n": 1.5, "thickness_cm": tau / 100.0}]
    r = transport.simulate_layers(layers, 1.0, 1.0, photons(300_000), seed=9)
    exact = (1 - rr) ** 2 * math.exp(-tau) / (1 - rr**2 * math.exp(-2 * tau))
    assert within(r["unscattered_transmittance"], exact, r["unscattered_transmittance_se"])


def test_energy_conserved_in_mismatched_absorbing_stack():
    layers = [
        {"mu_a": 5.0, "mu_s": 200.0, "g": 0.9, "n": 1.4, "thickness_cm": 0.01},
        {"mu_a": 0.5, "mu_s": 100.0, "g": 0.9, "n": 1.37, "thickness_cm": 0.1},
        {"mu_a": 1.0, "mu_s": 50.0, "g": 0.8, "n": 1.44, "thickness_cm": math.inf},
    ]
    r = transport.simulate_layers(layers, 1.0, 1.0, photons(20_000), seed=4)
    total = r["specular_reflectance"] + r["diffuse_reflectance"] + r["absorbed_fraction"]
    se = math.hypot(r["diffuse_reflectance_se"], r["absorbed_fraction_se"])
    assert within(total, 1.0, se)
    assert sum(r["absorbed_fraction_by_layer"]) == pytest.approx(r["absorbed_fraction"])


def test_reproducible_from_seed():
    a = transport.simulate_layers(VAN_DE_HULST_SLAB, 1.0, 1.0, 5000, seed=42)
    b = transport.simulate_layers(VAN_DE_HULST_SLAB, 1.0, 1.0, 5000, seed=42)
    c = transport.simulate_layers(VAN_DE_HULST_SLAB, 1.0, 1.0, 5000, seed=43)
    assert a == b
    assert a["diffuse_reflectance"] != c["diffuse_reflectance"]


def test_fluence_profile_agrees_with_diffusion_at_depth():
    """Deep in a scattering half-space MC and diffusion theory agree to about 10%."""
    mua, musp = 0.2, 10.0
    layers = [{"mu_a": mua, "mu_s": musp / 0.1, "g": 0.9, "n": 1.37, "thickness_cm": math.inf}]
    r = transport.simulate_layers(layers, 1.0, 1.37, photons(20_000), seed=2, dz_cm=0.02, nz=30)
    prof = r["fluence_profile"]
    z = np.array(prof["depth_cm"])
    mc = np.array(prof["relative_fluence"])
    dif = diffusion.fluence_profile(z, mua, musp)
    deep = (z > 0.2) & (z < 0.5)
    assert np.all(np.abs(dif[deep] / mc[deep] - 1) < 0.15)
    # Fluence just under the surface exceeds the incident fluence (backscatter build-up).
    assert mc[0] > 2.0


def test_fluence_profile_matches_absorbed_fraction():
    """Collision estimator: sum over depth of mu_a * fluence * dz equals absorption."""
    layers = [{"mu_a": 2.0, "mu_s": 100.0, "g": 0.9, "n": 1.4, "thickness_cm": 0.1}]
    r = transport.simulate_layers(layers, 1.0, 1.0, photons(20_000), seed=8, nz=50)
    prof = r["fluence_profile"]
    dz = prof["depth_cm"][1] - prof["depth_cm"][0]
    absorbed = 2.0 * sum(prof["relative_fluence"]) * dz
    assert absorbed == pytest.approx(r["absorbed_fraction"], rel=1e-9)
    assert len(prof["relative_fluence_se"]) == 50


@pytest.mark.parametrize(
    "bad",
    [
        [],
        [{"mu_a": -1, "mu_s": 1, "g": 0, "n": 1, "thickness_cm": 1}],
        [{"mu_a": 1, "mu_s": 1, "g": 1.0, "n": 1, "thickness_cm": 1}],
        [{"mu_a": 1, "mu_s": 1, "g": 0, "n": 0.5, "thickness_cm": 1}],
        [
            {"mu_a": 1, "mu_s": 1, "g": 0, "n": 1, "thickness_cm": math.inf},
            {"mu_a": 1, "mu_s": 1, "g": 0, "n": 1, "thickness_cm": 1},
        ],
        [{"mu_a": 1, "mu_s": 1, "g": 0, "n": 1}],
        [{"mu_a": float("nan"), "mu_s": 1, "g": 0, "n": 1, "thickness_cm": 1}],
    ],
)
def test_bad_layers_are_rejected(bad):
    with pytest.raises(ValueError):
        transport.simulate_layers(bad, 1.0, 1.0, 100, seed=1)


def test_plain_python_generator_matches_the_compiled_one():
    """Both engines draw the same xoshiro256+ sequence, so a seed means the same run."""
    py = transport._new_state_py(12345)
    st = transport._new_state(12345)
    assert [int(v) for v in st] == py
    draws = [transport._rand(st) for _ in range(1000)]
    assert draws == [transport._rand_py(py) for _ in range(1000)]
    assert 0.45 < sum(draws) / 1000 < 0.55


@pytest.mark.skipif(not transport.HAVE_NUMBA, reason="compares the compiled kernel with Python")
def test_plain_python_kernel_gives_the_compiled_result():
    """The kernel's Python source, run uncompiled, reproduces the compiled run exactly."""
    args = dict(dz_cm=0.002, nz=10, dr_cm=0.01, nr=4, nbatch=2)
    compiled = transport.run_grid(VAN_DE_HULST_SLAB, 1.0, 1.0, 300, 21, **args)
    kernel = transport._kernel
    try:
        transport._kernel = kernel.py_func
        plain = transport.run_grid(VAN_DE_HULST_SLAB, 1.0, 1.0, 300, 21, **args)
    finally:
        transport._kernel = kernel
    assert np.allclose(plain["tallies"], compiled["tallies"], rtol=1e-12, atol=0)
    assert np.allclose(plain["grid"], compiled["grid"], rtol=1e-12, atol=0)
