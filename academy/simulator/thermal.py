"""Heat and pressure: confinement times, the pulse's regime and temperature rises.

Anderson RR, Parrish JA, Science 220:524 (1983): a pulse shorter than the target's
thermal relaxation time heats the target more than its surroundings. The formulas and
constants are those of shared/reference/laser-physics.md:

- thermal relaxation of a sphere, tau = d^2 / (27 kappa), kappa = 1.3e-7 m^2/s [V2/C];
- stress (acoustic) confinement, t_s = d / c_s, c_s = 1500 m/s [U, standard value].

Temperature rises are adiabatic estimates, energy absorbed per volume over volumetric
heat capacity, with no phase change, no heat loss during the pulse other than the
confinement factor below, and no cooling device.
"""

from __future__ import annotations

import math

KAPPA_M2_S = 1.3e-7  # soft tissue thermal diffusivity [V2/C]
SOUND_SPEED_M_S = 1500.0  # soft tissue [U, standard value]
RHO_C_J_CM3_K = 3.8  # volumetric heat capacity of soft tissue, ~1.05 g/cm3 x 3.6 J/(g K) [U]

# Absorption of pigment (cm^-1), for clusters of it. Carbon black: k = 0.79 (Bond TC,
# Bergstrom RW, Aerosol Sci Technol 40:27, 2006, refractive index 1.95 + 0.79i [V2]),
# so alpha = 4 pi k / lambda, with k taken as constant over 532-1064 nm [U]. Iron
# oxide pigments relative to carbon at the same wavelength [U, illustrative: red and
# brown oxides absorb green strongly and near-infrared weakly].
CARBON_K = 0.79
IRON_OXIDE_RELATIVE = {532: 0.9, 694: 0.5, 755: 0.4, 1064: 0.25}
CLUSTER_PIGMENT_FRACTION = 0.1  # volume fraction of pigment within a cluster [U]


def thermal_relaxation_ns(diameter_um: float) -> float:
    """Thermal relaxation time (ns) of a sphere of this diameter: d^2 / (27 kappa)."""
    d = diameter_um * 1e-6
    return d * d / (27.0 * KAPPA_M2_S) * 1e9


def stress_confinement_ns(diameter_um: float) -> float:
    """Stress confinement time (ns): the time sound takes to cross the particle, d / c_s."""
    return diameter_um * 1e-6 / SOUND_SPEED_M_S * 1e9


def regime(pulse_ns: float, thermal_ns: float, stress_ns: float) -> str:
    """``stress`` if the pulse beats sound across the particle, ``thermal`` if it beats
    heat diffusion out of it, else ``none``."""
    if pulse_ns <= stress_ns:
        return "stress"
    if pulse_ns <= thermal_ns:
        return "thermal"
    return "none"


def heat_retained_fraction(pulse_ns: float, thermal_ns: float) -> float:
    """Fraction of the absorbed heat still in the particle at the end of a square pulse.

    For a first-order loss with time constant tau during a pulse of length t_p the
    retained fraction is (tau / t_p)(1 - exp(-t_p / tau)): 1 for t_p << tau.
    """
    x = pulse_ns / thermal_ns
    if x < 1e-6:
        return 1.0
    return (1.0 - math.exp(-x)) / x


def stress_fraction(pulse_ns: float, stress_ns: float) -> float:
    """How fully the pulse builds photoacoustic stress: 1 / (1 + (t_p / t_s)^2)."""
    return 1.0 / (1.0 + (pulse_ns / stress_ns) ** 2)


def pigment_alpha_cm1(pigment_type: str, wavelength_nm: int) -> float:
    """Bulk absorption coefficient (cm^-1) of the pigment material."""
    carbon = 4.0 * math.pi * CARBON_K / (wavelength_nm * 1e-7)
    iron = carbon * IRON_OXIDE_RELATIVE[wavelength_nm]
    if pigment_type == "carbon":
        return carbon
    if pigment_type == "iron_oxide":
        return iron
    return 0.5 * (carbon + iron)


def pigment_relative_absorption(pigment_type: str, wavelength_nm: int) -> float:
    """Pigment absorption relative to carbon at 1064 nm (the clearance model's unit)."""
    return pigment_alpha_cm1(pigment_type, wavelength_nm) / pigment_alpha_cm1("carbon", 1064)


def epidermal_rise_k(epidermis_mua_cm1: float, epidermal_fluence_j_cm2: float) -> float:
    """Mean temperature rise (K) of the epidermis at the end of the pulse: mu_a Phi / rho c."""
    return epidermis_mua_cm1 * epidermal_fluence_j_cm2 / RHO_C_J_CM3_K


def pigment_rise_k(
    pigment_type: str,
    wavelength_nm: int,
    diameter_um: float,
    fluence_at_pigment_j_cm2: float,
    pulse_ns: float,
) -> float:
    """Temperature rise (K) of a pigment cluster at the end of the pulse, no phase change.

    Absorbed energy per volume of a cluster of diameter d with absorption mu_c:
    Phi (1 - exp(-mu_c d)) / d, times the fraction of heat retained during the pulse.
    """
    d_cm = diameter_um * 1e-4
    mu_c = CLUSTER_PIGMENT_FRACTION * pigment_alpha_cm1(pigment_type, wavelength_nm)
    energy_density = fluence_at_pigment_j_cm2 * (-math.expm1(-mu_c * d_cm)) / d_cm
    retained = heat_retained_fraction(pulse_ns, thermal_relaxation_ns(diameter_um))
    return energy_density * retained / RHO_C_J_CM3_K
