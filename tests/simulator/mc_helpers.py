"""Helpers for the Monte Carlo tests: photon budgets and exact reference solutions."""

from __future__ import annotations

import math

import numpy as np

from academy.simulator import transport

# Without Numba the kernel runs as plain Python, about a hundred times slower: scale
# photon counts down so the suite still runs (3-SE checks stay valid, only wider).
PHOTON_SCALE = 1.0 if transport.HAVE_NUMBA else 0.02


def photons(n: int) -> int:
    """Photon count for a test, scaled for the engine in use."""
    return max(2000, int(n * PHOTON_SCALE))


def chandrasekhar_h(albedo: float, mu: float = 1.0, nodes: int = 400) -> float:
    """Chandrasekhar's H-function for isotropic scattering, by fixed-point iteration.

    H(mu) = 1 / (1 - (a/2) mu int_0^1 H(mu') / (mu + mu') dmu'), Gauss-Legendre nodes.
    """
    x, w = np.polynomial.legendre.leggauss(nodes)
    m = (x + 1.0) / 2.0
    w = w / 2.0
    h = np.ones(nodes)
    for _ in range(5000):
        new = 1.0 / (1.0 - albedo / 2.0 * m * np.sum(w * h / (m[:, None] + m), axis=1))
        if np.max(np.abs(new - h)) < 1e-13:
            h = new
            break
        h = new
    return float(1.0 / (1.0 - albedo / 2.0 * mu * np.sum(w * h / (mu + m))))


def semi_infinite_isotropic_reflectance(albedo: float) -> float:
    """Exact total reflectance of a matched isotropic half-space, normal incidence.

    Chandrasekhar (Radiative Transfer, 1960): plane albedo = 1 - H(mu0) sqrt(1 - a).
    """
    return 1.0 - chandrasekhar_h(albedo, 1.0) * math.sqrt(1.0 - albedo)
