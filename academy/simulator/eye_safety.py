"""Eye safety: the MPE for the pulse, the optical density eyewear needs, the EN 207 scale.

Formulas from shared/reference/laser-physics.md (ICNIRP 2013 / IEC 60825-1:2014
retinal thermal limits [V2]):

- 400-1050 nm, 1 ns-5 us: H = 2e-3 C_A J/m^2, C_A = 1 below 700 nm and
  10^(0.002 (lambda - 700)) from 700 to 1050 nm; 1050-1400 nm, 1 ns-13 us:
  H = 2e-2 C_C J/m^2, C_C = 1 below 1150 nm. Pulses of 10 ps-1 ns use the same limit
  in these editions [U].
- Pulse trains: the single-pulse limit times N^-0.25 [U] (the average-power rule is
  left out: for removal lasers at a few hertz the N^-0.25 rule is the stricter).
- OD = log10(H0 / MPE), H0 = E / (pi D^2 / 4), D = max(beam diameter, 7 mm).
- EN 207: modes I/R (>= 1 ns) LB = log10(H N^0.25 / 5) + 3, mode M (< 1 ns)
  LB = log10(H N^0.25 / 1.5) + 4, H in J/m^2, rounded up [V2].

Assumptions [U]: the exposure lasts 10 s for the MPE pulse count and 5 s for EN 207's;
the beam reaching the eye is no narrower than the treatment spot (a direct beam from
the handpiece), and for EN 207 the density in a beam of that diameter (at least 1 mm)
is used, the conservative choice.
"""

from __future__ import annotations

import math

APERTURE_M = 7e-3
MPE_EXPOSURE_S = 10.0
EN207_EXPOSURE_S = 5.0


def single_pulse_mpe_j_m2(wavelength_nm: float) -> float:
    """Retinal thermal MPE (J/m^2 at the cornea) for one pulse of 1 ns-5 us."""
    if 400 <= wavelength_nm < 700:
        return 2e-3
    if 700 <= wavelength_nm < 1050:
        return 2e-3 * 10 ** (0.002 * (wavelength_nm - 700))
    if 1050 <= wavelength_nm <= 1150:
        return 2e-2
    raise ValueError("wavelength outside 400-1150 nm")


def pulses(repetition_rate_hz: float, seconds: float) -> int:
    """Pulses in an exposure (at least one)."""
    return max(1, int(round(repetition_rate_hz * seconds)))


def train_mpe_j_m2(wavelength_nm: float, n_pulses: int) -> float:
    """Per-pulse MPE for a train of n pulses: the single-pulse limit times N^-0.25."""
    return single_pulse_mpe_j_m2(wavelength_nm) * n_pulses**-0.25


def corneal_exposure_j_m2(energy_j: float, beam_diameter_m: float) -> float:
    """Radiant exposure averaged over the 7 mm limiting aperture (or the beam if wider)."""
    d = max(beam_diameter_m, APERTURE_M)
    return energy_j / (math.pi * d * d / 4.0)


def required_od(
    energy_j: float, beam_diameter_m: float, wavelength_nm: float, n_pulses: int = 1
) -> float:
    """Optical density that brings a direct beam down to the MPE: log10(H0 / MPE)."""
    h0 = corneal_exposure_j_m2(energy_j, beam_diameter_m)
    return max(0.0, math.log10(h0 / train_mpe_j_m2(wavelength_nm, n_pulses)))


def en207_scale(energy_j: float, beam_diameter_m: float, pulse_ns: float, n_pulses: int = 1) -> int:
    """EN 207 scale number LB for pulsed modes I/R (>= 1 ns) or M (< 1 ns), rounded up."""
    d = max(beam_diameter_m, 1e-3)
    h = energy_j / (math.pi * d * d / 4.0) * n_pulses**0.25
    lb = math.log10(h / 1.5) + 4 if pulse_ns < 1.0 else math.log10(h / 5.0) + 3
    return max(1, math.ceil(lb - 1e-9))


def assess(
    wavelength_nm: int,
    energy_j: float,
    spot_diameter_mm: float,
    pulse_ns: float,
    repetition_rate_hz: float,
) -> dict:
    """Everything the page shows about eyewear for these settings."""
    beam_m = spot_diameter_mm * 1e-3
    n_mpe = pulses(repetition_rate_hz, MPE_EXPOSURE_S)
    n_en = pulses(repetition_rate_hz, EN207_EXPOSURE_S)
    od_single = required_od(energy_j, beam_m, wavelength_nm, 1)
    od = required_od(energy_j, beam_m, wavelength_nm, n_mpe)
    lb = en207_scale(energy_j, beam_m, pulse_ns, n_en)
    mode = "M" if pulse_ns < 1.0 else "IR"
    return {
        "mpe_j_m2": train_mpe_j_m2(wavelength_nm, n_mpe),
        "mpe_single_pulse_j_m2": single_pulse_mpe_j_m2(wavelength_nm),
        "corneal_exposure_j_m2": corneal_exposure_j_m2(energy_j, beam_m),
        "pulses_in_exposure": n_mpe,
        "required_od": od,
        "required_od_single_pulse": od_single,
        "specify_od_at_least": math.ceil(od - 1e-9),
        "en207_scale": lb,
        "en207_marking": f"{wavelength_nm} {mode} LB{lb}",
    }
