"""Diffusion approximation: a fast, independent check on the Monte Carlo depth profile.

A broad collimated beam on a homogeneous semi-infinite medium. The unscattered beam
decays as exp(-mu_t' z) with mu_t' = mu_a + mu_s'; its scattered light is the source of
a diffuse fluence obeying D Phi'' - mu_a Phi = -mu_s' F exp(-mu_t' z), D = 1/(3 mu_t'),
with the extrapolated boundary condition Phi(0) = 2 A D Phi'(0) for a refractive index
mismatch (A from the internal reflection of diffuse light, Groenhuis' fit
r_id = -1.440/n^2 + 0.710/n + 0.668 + 0.0636 n). Valid where mu_s' >> mu_a and more
than about one transport length deep; it ignores the layering and the anisotropy of
the unscattered source, so expect agreement to tens of percent, not to the MC's error.
"""

from __future__ import annotations

import math

import numpy as np


def internal_reflection_a(n_rel: float) -> float:
    """A = (1 + r_id) / (1 - r_id) for tissue of relative index n_rel against its outside."""
    if n_rel <= 1.0:
        return 1.0
    r = -1.440 / n_rel**2 + 0.710 / n_rel + 0.668 + 0.0636 * n_rel
    return (1.0 + r) / (1.0 - r)


def effective_attenuation(mua: float, musp: float) -> float:
    """mu_eff = sqrt(3 mu_a (mu_a + mu_s')) (cm^-1)."""
    return math.sqrt(3.0 * mua * (mua + musp))


def fluence_profile(
    depth_cm, mua: float, musp: float, n_tissue: float = 1.37, n_outside: float = 1.0
):
    """Fluence over incident fluence at the given depths (cm), diffuse plus unscattered."""
    z = np.asarray(depth_cm, dtype=float)
    mutp = mua + musp
    d = 1.0 / (3.0 * mutp)
    mueff = effective_attenuation(mua, musp)
    rsp = ((n_tissue - n_outside) / (n_tissue + n_outside)) ** 2
    f0 = 1.0 - rsp
    a = internal_reflection_a(n_tissue / n_outside)
    # Particular solution C exp(-mu_t' z): C (D mu_t'^2 - mu_a) = -mu_s' F (so C < 0).
    c = -musp * f0 / (d * mutp**2 - mua)
    # Boundary: Phi_d(0) - 2 A D Phi_d'(0) = 0 fixes the homogeneous term B exp(-mu_eff z).
    b = -c * (1.0 + 2.0 * a * d * mutp) / (1.0 + 2.0 * a * d * mueff)
    diffuse = c * np.exp(-mutp * z) + b * np.exp(-mueff * z)
    return diffuse + f0 * np.exp(-mutp * z)


def epidermal_attenuation(mua_epidermis: float, thickness_cm: float) -> float:
    """Rough transmission of a thin absorbing top layer for diffuse light: exp(-2 mu_a d).

    Diffuse light crosses a thin slab along a mean path of about twice its thickness.
    Used to let the dermis-only diffusion check account for epidermal melanin; it
    over-corrects for very strong absorbers (532 nm on type VI skin).
    """
    return math.exp(-2.0 * mua_epidermis * thickness_cm)
