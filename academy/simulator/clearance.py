"""Pigment clearance over a course of sessions: a phenomenological model.

No physical theory predicts how much pigment the lymphatics carry away after a
session, so this model has the shape physics suggests and numbers calibrated to the
clinical figures the academy teaches (shared/reference/clinical-practice.md and
laser-physics.md):

- typically 20-40% fading after a first session at sound settings;
- light density clears in two to four sessions, dense, deep or old pigment in five to
  seven or more; Q-switched Nd:YAG needed 4.6 +/- 2.5 sessions in Fitzpatrick II-IV
  (Cannarozzo 2021); picosecond pulses often clear faster (Bernstein 2015).

Assumptions, each marked [U] as a calibration, not a measurement:

1. Each session clears a fraction p of the pigment still present, so the cumulative
   clearance after n sessions is 1 - prod(1 - p_k).
2. p = p_max(density) * E(dose) * confinement * age * depth * layering * passes,
   capped at 0.95. p_max per density is the calibration to the session counts above.
3. E(dose) = x^h / (1 + x^h), x = dose / DOSE50, h = 2.5: a threshold for
   fragmentation that saturates. The dose is the fluence reaching the pigment times
   the pigment's absorption relative to carbon at 1064 nm, times (1 + stress built):
   a stress-confined (picosecond) pulse fragments at about half the fluence. DOSE50
   puts a 4 J/cm^2, 4 mm, 1064 nm pulse on type II skin (about 9 J/cm^2 at 0.7 mm in
   this model) near saturation and 1 J/cm^2 at about a third of it.
4. Confinement: 0.45 + 0.55 * (heat retained in the particle) + 0.1 * (stress
   built): a pulse far longer than the particle's relaxation time still clears some
   pigment by bulk heating; a stress-confined pulse fragments best.
5. Older pigment (oxidised, migrated, encapsulated) clears up to 25% less per session,
   approached over about a decade; pigment deeper than 1 mm clears less per session
   beyond what the lower fluence there explains (larger, slower lymphatic clearance
   path); layered work 20% less; extra passes help with diminishing returns.
6. Fragments clear over about six weeks: a session less than that after the one
   before it works at 1 - exp(-weeks / 1.5) of its effect.
"""

from __future__ import annotations

import math

P_MAX = {"light": 0.62, "moderate": 0.40, "dense": 0.30}
DOSE50_J_CM2 = 3.0
HILL = 2.5
P_CAP = 0.95
MAX_SESSIONS_SEARCHED = 40


def efficacy(dose_j_cm2: float) -> float:
    """Fragmentation efficacy (0-1) of a pulse delivering this carbon-equivalent dose."""
    if dose_j_cm2 <= 0:
        return 0.0
    x = (dose_j_cm2 / DOSE50_J_CM2) ** HILL
    return x / (1.0 + x)


def confinement_factor(heat_retained: float, stress_built: float) -> float:
    """How well the pulse duration suits the particle size (about 0.45-1.1)."""
    return 0.45 + 0.55 * heat_retained + 0.1 * stress_built


def age_factor(age_years: float) -> float:
    """Older pigment clears less per session, up to 25% less."""
    return 1.0 - 0.25 * (1.0 - math.exp(-age_years / 10.0))


def depth_factor(depth_mm: float) -> float:
    """Pigment deeper than 1 mm clears less per session than shallower pigment."""
    return 1.0 / (1.0 + 0.5 * max(0.0, depth_mm - 1.0))


def passes_factor(passes: int) -> float:
    """Extra passes add clearance with diminishing returns: 1, 1.15, 1.225, ..."""
    return 1.0 + 0.3 * (1.0 - 0.5 ** (passes - 1))


def interval_factor(weeks: float) -> float:
    """Share of a session's effect realised when the previous one was ``weeks`` ago."""
    return 1.0 - math.exp(-weeks / 1.5)


def per_session_fraction(
    density: str,
    dose_j_cm2: float,
    confinement: float,
    age_years: float,
    depth_mm: float,
    layered: bool,
    passes: int,
) -> float:
    """The fraction of the remaining pigment one session clears (assumption 2)."""
    p = (
        P_MAX[density]
        * efficacy(dose_j_cm2)
        * confinement
        * age_factor(age_years)
        * depth_factor(depth_mm)
        * (0.8 if layered else 1.0)
        * passes_factor(passes)
    )
    return min(P_CAP, max(0.0, p))


def course(
    p_first: float, sessions: int, interval_weeks: float, target_fraction: float = 0.9
) -> dict:
    """Cumulative clearance per planned session and the sessions needed for targets."""
    later = p_first * interval_factor(interval_weeks)

    def cumulative(n: int) -> float:
        if n <= 0:
            return 0.0
        return 1.0 - (1.0 - p_first) * (1.0 - later) ** (n - 1)

    def sessions_to(fraction: float):
        for n in range(1, MAX_SESSIONS_SEARCHED + 1):
            if cumulative(n) >= fraction - 1e-12:
                return n
        return None

    return {
        "first_session_fraction": p_first,
        "later_session_fraction": later,
        "per_session": [p_first] + [later] * (sessions - 1),
        "cumulative": [cumulative(n) for n in range(1, sessions + 1)],
        "sessions_to_90_percent": sessions_to(0.9),
        "sessions_to_target": sessions_to(target_fraction),
        "target_fraction": target_fraction,
    }
