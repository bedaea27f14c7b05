"""Risk to the client: an overall level for the epidermis and named flags with reasons.

The level comes from the epidermis's mean temperature rise against an injury
threshold, raised by the flags that carry their own severity. The threshold is
calibrated, in this model, to the ruby-laser figures of the reference file:
hypopigmentation at 12 J/cm^2 in sun-exposed and 26 J/cm^2 in sun-protected white
skin at 694 nm. Our model puts the epidermis of type II skin at 12 J/cm^2 and of type I
skin at 26 J/cm^2 (6 mm spot) about 72 K and 92 K above its starting temperature;
``EPIDERMAL_INJURY_K`` is a round figure just below both [C]. Darker skin scars and
changes colour more readily after inflammation (clinical-practice.md), so its
thresholds are lower [U, factors ours]; "moderate" starts at half the threshold [U].

The safe fluence window per wavelength for skin types I-II with nanosecond pulses:
1064 nm up to 10 J/cm^2 and 532 nm up to 5 J/cm^2 (Cannarozzo 2021 [V]); 694 and
755 nm up to 8 J/cm^2, below the ruby hypopigmentation threshold of 12 J/cm^2 [U].
Darker types and picosecond pulses get lower ceilings [U, academy practice: "lower
fluence for darker skin"; picosecond devices work at lower fluence].
"""

from __future__ import annotations

LEVELS = ("low", "moderate", "high")

EPIDERMAL_INJURY_K = 70.0
MODERATE_FRACTION = 0.5
THRESHOLD_FACTOR = {1: 1.0, 2: 1.0, 3: 1.0, 4: 0.85, 5: 0.7, 6: 0.6}

FLUENCE_MAX_NS = {532: 5.0, 694: 8.0, 755: 8.0, 1064: 10.0}
FLUENCE_TYPE_FACTOR = {1: 1.0, 2: 1.0, 3: 0.85, 4: 0.7, 5: 0.55, 6: 0.45}
PICOSECOND_FACTOR = 0.5
MELANIN_MUA_FLAG_CM1 = 20.0  # epidermal absorption that competes seriously for the light [U]
MIN_INTERVAL_WEEKS = 4.0
MIN_REPIGMENTATION_WEEKS = 8.0
MAX_PASSES = 3


def epidermal_threshold_k(fitzpatrick: int) -> float:
    """Mean epidermal temperature rise (K) taken as the injury threshold for this type."""
    return EPIDERMAL_INJURY_K * THRESHOLD_FACTOR[fitzpatrick]


def fluence_ceiling(wavelength_nm: int, fitzpatrick: int, pulse_ns: float) -> float:
    """Top of the safe fluence window (J/cm^2, nominal) for these settings."""
    ceiling = FLUENCE_MAX_NS[wavelength_nm] * FLUENCE_TYPE_FACTOR[fitzpatrick]
    if pulse_ns < 1.0:
        ceiling *= PICOSECOND_FACTOR
    return ceiling


def _worse(a: str, b: str) -> str:
    return a if LEVELS.index(a) >= LEVELS.index(b) else b


def assess(
    p: dict,
    epidermal_rise_k: float,
    epidermis_mua_melanin: float,
    regime: str,
    particle_um: float,
    thermal_ns: float,
) -> dict:
    """The risk level and flags for validated parameters ``p`` and the computed physics."""
    flags: list[dict] = []
    fitz, wl = p["fitzpatrick_type"], p["wavelength_nm"]
    roman = ("I", "II", "III", "IV", "V", "VI")[fitz - 1]

    def flag(code: str, severity: str, message: str) -> None:
        flags.append({"code": code, "severity": severity, "message": message})

    threshold = epidermal_threshold_k(fitz)
    if epidermal_rise_k >= threshold:
        thermal_level = "high"
    elif epidermal_rise_k >= MODERATE_FRACTION * threshold:
        thermal_level = "moderate"
    else:
        thermal_level = "low"
    if thermal_level != "low":
        flag(
            "epidermal_heating",
            thermal_level,
            f"The epidermis heats by about {epidermal_rise_k:.0f} K in the pulse; for type "
            f"{roman} skin the model takes about {threshold:.0f} K as the threshold for injury "
            "(blistering, lasting loss or gain of colour). Lower the fluence, use a larger "
            "spot, or a longer wavelength.",
        )

    if wl == 532 and fitz >= 5:
        flag(
            "melanin_absorption",
            "high",
            f"532 nm on type {roman} skin: epidermal melanin absorbs about "
            f"{epidermis_mua_melanin:.0f} cm⁻¹, so the epidermis takes much of the pulse. "
            "The course teaches 1064 nm for dark skin; 532 nm risks burns and lasting "
            "pigment change.",
        )
    elif epidermis_mua_melanin >= MELANIN_MUA_FLAG_CM1:
        flag(
            "melanin_absorption",
            "moderate",
            f"Epidermal melanin absorbs about {epidermis_mua_melanin:.0f} cm⁻¹ at {wl} nm in "
            f"type {roman} skin and competes with the pigment for the light. A longer "
            "wavelength (1064 nm) spares the epidermis.",
        )

    ceiling = fluence_ceiling(wl, fitz, p["pulse_duration_ns"])
    if p["fluence_j_cm2"] > ceiling:
        flag(
            "fluence_too_high",
            "high",
            f"{p['fluence_j_cm2']:.2g} J/cm² is above the safe window for {wl} nm on type "
            f"{roman} skin with this pulse (up to {ceiling:.2g} J/cm²). SMP is shallow and "
            "needs less fluence than a body tattoo.",
        )

    if p["sessions"] > 1 and p["interval_weeks"] < MIN_INTERVAL_WEEKS:
        flag(
            "short_interval",
            "moderate",
            f"{p['interval_weeks']:g} weeks between sessions is shorter than the 4-6 weeks "
            "the skin needs to heal and the lymphatics need to clear fragments; shorter "
            "intervals add irritation without faster clearance.",
        )

    if p["pigment_type"] in ("iron_oxide", "mixed"):
        flag(
            "paradoxical_darkening",
            "moderate",
            "Iron-oxide pigment can turn darker under a Q-switched or picosecond laser "
            "(reduction of red ferric oxide to black ferrous oxide). Test a small patch "
            "first and recheck it after 1-2 weeks.",
        )

    if regime == "none":
        flag(
            "not_confined",
            "low",
            f"The {p['pulse_duration_ns']:g} ns pulse is longer than the "
            f"{thermal_ns:.3g} ns thermal relaxation time of {particle_um:g} µm particles, "
            "so heat leaks out during the pulse: less fragmentation, more heating of the "
            "surrounding skin. A shorter (picosecond) pulse suits particles this small.",
        )

    weeks = p.get("repigmentation_after_weeks")
    if weeks is not None and weeks < MIN_REPIGMENTATION_WEEKS:
        flag(
            "early_repigmentation",
            "moderate",
            f"New SMP {weeks:g} weeks after the last session is too soon: wait 8-12 weeks "
            "so the skin has healed and fragments have cleared.",
        )

    if p["passes"] > MAX_PASSES:
        flag(
            "overtreatment",
            "moderate",
            f"{p['passes']} passes in one session risks over-treatment (irritation, texture "
            "change); the academy uses fewer passes on shallow SMP pigment.",
        )

    level = thermal_level
    for f in flags:
        if f["severity"] in LEVELS:
            level = _worse(level, f["severity"])
    return {
        "level": level,
        "thermal_level": thermal_level,
        "epidermal_threshold_k": threshold,
        "fluence_ceiling_j_cm2": ceiling,
        "flags": flags,
    }
