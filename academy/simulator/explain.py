"""Plain-English sentences the page shows beside each headline number, and their units."""

from __future__ import annotations

UNITS = {
    "fluence_j_cm2": "J/cm²",
    "peak_fluence_j_cm2": "J/cm²",
    "fluence_at_pigment_j_cm2": "J/cm²",
    "fluence_at_pigment_se_j_cm2": "J/cm²",
    "epidermal_fluence_j_cm2": "J/cm²",
    "epidermal_temperature_rise_k": "K",
    "pigment_temperature_rise_k": "K",
    "beam.pulse_energy_mj": "mJ",
    "beam.spot_diameter_mm": "mm",
    "beam.spot_area_cm2": "cm²",
    "beam.fluence_j_cm2": "J/cm²",
    "beam.peak_fluence_j_cm2": "J/cm²",
    "beam.peak_irradiance_w_cm2": "W/cm²",
    "beam.average_power_w": "W",
    "tissue.layers[].thickness_mm": "mm",
    "tissue.layers[].mu_a_cm1": "cm⁻¹",
    "tissue.layers[].mu_s_cm1": "cm⁻¹",
    "tissue.layers[].mu_s_prime_cm1": "cm⁻¹",
    "tissue.layers[].penetration_depth_mm": "mm",
    "fluence_profile.depth_mm": "mm",
    "fluence_profile.fluence_j_cm2": "J/cm²",
    "fluence_profile.relative_fluence": "fluence / incident fluence (1)",
    "confinement.thermal_relaxation_ns": "ns",
    "confinement.stress_confinement_ns": "ns",
    "confinement.pulse_duration_ns": "ns",
    "confinement.particle_diameter_um": "µm",
    "clearance.first_session_fraction": "fraction (0-1)",
    "clearance.cumulative": "fraction (0-1) after each session",
    "clearance.sessions_to_90_percent": "sessions",
    "kirby_desai.score": "points (≈ sessions)",
    "eye_safety.mpe_j_m2": "J/m²",
    "eye_safety.corneal_exposure_j_m2": "J/m²",
    "eye_safety.required_od": "optical density (log10)",
    "eye_safety.en207_scale": "EN 207 scale number (LB)",
    "spectra.*_cm1": "cm⁻¹",
    "risk.epidermal_threshold_k": "K",
    "risk.fluence_ceiling_j_cm2": "J/cm²",
}


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def explanations(r: dict) -> dict:
    """One or two sentences per headline number of result ``r``."""
    beam, conf, clr = r["beam"], r["confinement"], r["clearance"]
    kd, eye, risk = r["kirby_desai"], r["eye_safety"], r["risk"]
    regime_text = {
        "stress": "shorter than the time sound takes to cross the particle, so pressure "
        "builds before it can escape and shatters the pigment (photoacoustic effect)",
        "thermal": "shorter than the time heat takes to leave the particle, so the pigment "
        "heats far more than the skin around it (selective photothermolysis)",
        "none": "longer than the time heat takes to leave the particle, so heat leaks into "
        "the surrounding skin during the pulse and fragmentation is less efficient",
    }[conf["regime"]]
    s90 = clr["sessions_to_90_percent"]
    return {
        "fluence_j_cm2": (
            f"The pulse's energy spread over the spot: {beam['pulse_energy_mj']:.0f} mJ on "
            f"{beam['spot_area_cm2']:.3g} cm². This is the number a laser's display shows."
            + (
                " A Gaussian beam peaks at twice this in the centre of the spot."
                if beam["profile"] == "gaussian"
                else ""
            )
        ),
        "fluence_at_pigment_j_cm2": (
            f"Light reaching the pigment {r['inputs']['pigment_depth_mm']:g} mm down, at the "
            "centre of the spot. Scattered light piles up under the surface, so it can exceed "
            "the incident fluence; a larger spot keeps more of it, because less escapes "
            "sideways. From the Monte Carlo tables for this wavelength and skin type."
        ),
        "epidermal_temperature_rise_k": (
            "How much the melanin-bearing top layer of skin heats during the pulse. "
            f"Around {risk['epidermal_threshold_k']:.0f} K the model expects injury for this "
            "skin type (blisters, lasting light or dark patches); darker skin has more melanin "
            "and heats more."
        ),
        "pigment_temperature_rise_k": (
            "How hot the pigment cluster would get if it did not change state. Far above the "
            "hundreds of kelvin at which water flashes to steam (the white 'frosting') and "
            "the thousands at which pigment vaporises, it means enough energy to shatter the "
            "cluster; read it as a measure of the punch, not a real temperature."
        ),
        "confinement": (
            f"The {conf['pulse_duration_ns']:g} ns pulse is {regime_text}. Thermal relaxation "
            f"of a {conf['particle_diameter_um']:g} µm particle: "
            f"{conf['thermal_relaxation_ns']:.3g} ns; stress confinement: "
            f"{conf['stress_confinement_ns']:.3g} ns."
        ),
        "clearance": (
            f"The model expects about {_pct(clr['first_session_fraction'])} of the pigment to "
            f"fade after the first session and {_pct(clr['cumulative'][-1])} after the "
            f"{len(clr['cumulative'])} planned session(s); "
            + (
                f"90% clearance takes about {s90} sessions."
                if s90
                else "these settings would not reach 90% clearance."
            )
            + " A calibrated estimate, not a promise: healing, immune response and aftercare "
            "vary from client to client."
        ),
        "kirby_desai": (
            f"The clinical Kirby-Desai score ({kd['score']} points) adds skin type, location, "
            "colour, amount of ink, scarring and layering; its total roughly predicts sessions "
            "for tattoos. SMP on the scalp usually needs fewer, because the pigment is shallow."
        ),
        "risk": (
            f"Overall risk to the skin: {risk['level']}. It comes from the epidermal heating "
            "against the injury threshold for this skin type and from the flags listed."
        ),
        "eye_safety": (
            f"A direct hit of this pulse on an eye gives {eye['corneal_exposure_j_m2']:.3g} J/m²; "
            f"the safe limit for {eye['pulses_in_exposure']} pulse(s) in 10 s is "
            f"{eye['mpe_j_m2']:.3g} J/m². Eyewear must cut it by a factor of 10 to the power "
            f"{eye['required_od']:.1f} (OD {eye['specify_od_at_least']} or more) and be rated "
            f"{eye['en207_marking']} under EN 207, for practitioner and client alike."
        ),
        "verdict": (
            "Safe means no high-risk finding for this client; effective means the plan is "
            "expected to clear the pigment in a reasonable number of sessions."
        ),
    }
