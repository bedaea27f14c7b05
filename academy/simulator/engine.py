"""``simulate(params)``: the whole computation, from laser settings to verdict.

Validates the parameters, looks up the shipped Monte Carlo fluence tables (never runs
Monte Carlo per request), and computes the beam, tissue optics, fluence with depth,
confinement and heating, clearance over the plan, Kirby-Desai score, risk, eye
safety and verdict. Returns a JSON-ready dict: plain floats, ints, strings, lists and
None only, with a ``units`` map and an ``explanations`` map.
"""

from __future__ import annotations

import math

import numpy as np

from academy.simulator import (
    clearance,
    diffusion,
    explain,
    eye_safety,
    kirby_desai,
    optics,
    params,
    risk,
    tables,
    thermal,
)

MODEL_VERSION = "1.0"
MIN_EFFECTIVE_FIRST_SESSION = 0.15
MAX_EFFECTIVE_SESSIONS = 12

LIMITATIONS = (
    "Planar layers: no hair follicles, hair shafts (whose melanin also absorbs), vessels "
    "or curvature of the scalp.",
    "The pigment does not shade the light in the tables: the fluence is that of pigment-free "
    "skin at the pigment's depth.",
    "Optical properties are population averages; skin varies from client to client and "
    "over the scalp.",
    "Temperatures are adiabatic estimates without phase change, cooling devices or heat "
    "build-up between pulses.",
    "Clearance is a phenomenological model calibrated to clinical figures, not a mechanism "
    "of the immune system.",
    "The risk threshold is calibrated to ruby-laser hypopigmentation data; it does not "
    "predict scarring, allergy or post-inflammatory pigment change for an individual.",
    "Eye safety uses the retinal thermal limits of the reference file for a direct beam; "
    "it is a teaching estimate, not a laser safety officer's assessment.",
)


def _num(x, digits: int = 4):
    """A JSON-safe float rounded to significant digits (None for non-finite)."""
    if x is None:
        return None
    x = float(x)
    if not math.isfinite(x):
        return None
    if x == 0:
        return 0.0
    return float(f"{x:.{digits}g}")


def _nums(values, digits: int = 4) -> list:
    return [_num(v, digits) for v in values]


def simulate(raw_params: dict) -> dict:
    """Run the simulator on ``raw_params``; raise ``InvalidParameters`` on bad input."""
    p = params.validate(raw_params)
    wl, fitz = p["wavelength_nm"], p["fitzpatrick_type"]
    pulse_ns, spot_mm, profile = p["pulse_duration_ns"], p["spot_diameter_mm"], p["beam_profile"]
    fluence = p["fluence_j_cm2"]
    energy_mj = p["pulse_energy_mj"]
    area = params.spot_area_cm2(spot_mm)
    peak = fluence * (2.0 if profile == "gaussian" else 1.0)
    depth_cm = p["pigment_depth_mm"] / 10.0

    # Light transport, from the tables.
    rel, rel_se = tables.axis_profile(wl, fitz, spot_mm, profile)
    broad, _ = tables.axis_profile(wl, fitz, None)
    epi_rel = tables.epidermis_mean(rel, optics.EPIDERMIS_CM)
    pig_rel = tables.at_depth(rel, depth_cm)
    pig_rel_se = tables.at_depth(rel_se, depth_cm)
    phi_pig = fluence * pig_rel
    phi_epi = fluence * epi_rel
    summary = tables.summary(wl, fitz)

    layers = optics.scalp_layers(wl, fitz)
    mel_mua = optics.MELANOSOME_FRACTION[fitz] * optics.melanin_mua(wl)

    # Heat and pressure.
    d_um = p["particle_diameter_um"]
    tau = thermal.thermal_relaxation_ns(d_um)
    ts = thermal.stress_confinement_ns(d_um)
    reg = thermal.regime(pulse_ns, tau, ts)
    retained = thermal.heat_retained_fraction(pulse_ns, tau)
    stress = thermal.stress_fraction(pulse_ns, ts)
    epi_rise = thermal.epidermal_rise_k(layers[0]["mu_a"], phi_epi)
    pig_rise = thermal.pigment_rise_k(p["pigment_type"], wl, d_um, phi_pig, pulse_ns)

    # Outcome.
    dose = phi_pig * thermal.pigment_relative_absorption(p["pigment_type"], wl) * (1.0 + stress)
    p_first = clearance.per_session_fraction(
        p["pigment_density"], dose, clearance.confinement_factor(retained, stress),
        p["pigment_age_years"], p["pigment_depth_mm"], p["layered"], p["passes"],
    )  # fmt: skip
    plan = clearance.course(
        p_first, p["sessions"], p["interval_weeks"], p["target_clearance_percent"] / 100.0
    )
    kd = kirby_desai.score(
        fitz, p["pigment_type"], p["pigment_density"], p["scarring"], p["layered"]
    )
    rk = risk.assess(p, epi_rise, mel_mua, reg, d_um, tau)
    eye = eye_safety.assess(wl, energy_mj / 1000.0, spot_mm, pulse_ns, p["repetition_rate_hz"])

    # Fast check: diffusion theory in the dermis, dimmed by the epidermis, against MC.
    derm = layers[1]
    diff_derm = float(diffusion.fluence_profile([depth_cm], derm["mu_a"], derm["mu_s_prime"])[0])
    diff_rel = diff_derm * diffusion.epidermal_attenuation(layers[0]["mu_a"], optics.EPIDERMIS_CM)
    mc_broad = tables.at_depth(broad, depth_cm)

    verdict = _verdict(rk, plan, reg, epi_rise)
    depth_mm = tables.depth_centres_cm() * 10.0

    result = {
        "model_version": MODEL_VERSION,
        "inputs": {k: (_num(v, 6) if isinstance(v, float) else v) for k, v in p.items()},
        "fluence_j_cm2": _num(fluence),
        "peak_fluence_j_cm2": _num(peak),
        "fluence_at_pigment_j_cm2": _num(phi_pig),
        "fluence_at_pigment_se_j_cm2": _num(fluence * pig_rel_se, 2),
        "epidermal_fluence_j_cm2": _num(phi_epi),
        "epidermal_temperature_rise_k": _num(epi_rise, 3),
        "pigment_temperature_rise_k": _num(pig_rise, 2),
        "beam": {
            "pulse_energy_mj": _num(energy_mj),
            "spot_diameter_mm": _num(spot_mm),
            "spot_area_cm2": _num(area),
            "profile": profile,
            "fluence_j_cm2": _num(fluence),
            "peak_fluence_j_cm2": _num(peak),
            "peak_irradiance_w_cm2": _num(peak / (pulse_ns * 1e-9), 3),
            "average_power_w": _num(energy_mj / 1000.0 * p["repetition_rate_hz"], 3),
        },
        "tissue": {
            "wavelength_nm": wl,
            "fitzpatrick_type": fitz,
            "melanosome_volume_fraction": optics.MELANOSOME_FRACTION[fitz],
            "epidermal_melanin_mu_a_cm1": _num(mel_mua),
            "layers": [
                {
                    "name": layer["name"],
                    "thickness_mm": (
                        None
                        if math.isinf(layer["thickness_cm"])
                        else _num(layer["thickness_cm"] * 10.0)
                    ),
                    "mu_a_cm1": _num(layer["mu_a"]),
                    "mu_s_cm1": _num(layer["mu_s"]),
                    "mu_s_prime_cm1": _num(layer["mu_s_prime"]),
                    "g": layer["g"],
                    "n": layer["n"],
                    "penetration_depth_mm": _num(
                        optics.penetration_depth_mm(layer["mu_a"], layer["mu_s_prime"]), 3
                    ),
                }
                for layer in layers
            ],
            "sources": "optics.py: Jacques 2013 (melanin, scattering, mcxyz dermis), Prahl "
            "(haemoglobin), Segelstein 1981 (water), OMLC skin optics (melanosome fractions).",
        },
        "transport": {
            "method": "MCML-style Monte Carlo (Wang, Jacques & Zheng 1995), precomputed tables "
            "convolved with the spot",
            "photons_per_table": summary["photons"],
            "seed": summary["seed"],
            "specular_reflectance": _num(summary["specular_reflectance"]),
            "diffuse_reflectance": _num(summary["diffuse_reflectance"]),
            "diffuse_reflectance_se": _num(summary["diffuse_reflectance_se"], 2),
            "absorbed_fraction_by_layer": dict(
                zip(
                    [layer["name"] for layer in layers],
                    _nums(summary["absorbed_by_layer"]),
                    strict=True,
                )
            ),
            "diffusion_check": {
                "depth_mm": _num(p["pigment_depth_mm"]),
                "monte_carlo_broad_beam_relative_fluence": _num(mc_broad),
                "diffusion_dermis_only_relative_fluence": _num(diff_derm),
                "diffusion_with_epidermal_attenuation_relative_fluence": _num(diff_rel),
                "ratio": _num(diff_rel / mc_broad if mc_broad > 0 else None, 3),
                "note": "Broad beam. Diffusion theory ignores the layering; expect agreement "
                "within about 20%, worse where the epidermis absorbs strongly.",
            },
        },
        "fluence_profile": {
            "depth_mm": _nums(depth_mm),
            "relative_fluence": _nums(rel),
            "fluence_j_cm2": _nums(rel * fluence),
            "fluence_se_j_cm2": _nums(rel_se * fluence, 2),
            "layer_boundaries_mm": optics.layer_boundaries_mm(),
            "layer_names": [layer["name"] for layer in layers],
            "pigment_depth_mm": _num(p["pigment_depth_mm"]),
        },
        "confinement": {
            "particle_diameter_um": _num(d_um),
            "pulse_duration_ns": _num(pulse_ns),
            "thermal_relaxation_ns": _num(tau),
            "stress_confinement_ns": _num(ts),
            "regime": reg,
            "heat_retained_fraction": _num(retained, 3),
        },
        "clearance": {
            "first_session_fraction": _num(plan["first_session_fraction"], 3),
            "per_session": _nums(plan["per_session"], 3),
            "cumulative": _nums(plan["cumulative"], 3),
            "sessions_to_90_percent": plan["sessions_to_90_percent"],
            "target_fraction": _num(plan["target_fraction"], 3),
            "sessions_to_target": plan["sessions_to_target"],
            "carbon_equivalent_dose_j_cm2": _num(dose, 3),
            "interval_weeks": _num(p["interval_weeks"]),
        },
        "kirby_desai": kd,
        "risk": {
            "level": rk["level"],
            "flags": [
                {"code": f["code"], "severity": f["severity"], "message": f["message"]}
                for f in rk["flags"]
            ],
            "epidermal_threshold_k": _num(rk["epidermal_threshold_k"], 3),
            "fluence_ceiling_j_cm2": _num(rk["fluence_ceiling_j_cm2"], 3),
        },
        "eye_safety": {k: (_num(v) if isinstance(v, float) else v) for k, v in eye.items()},
        "verdict": verdict,
        "spectra": {**optics.absorption_spectra(fitz), "selected_wavelength_nm": wl},
        "units": explain.UNITS,
        "limitations": list(LIMITATIONS),
    }
    result["explanations"] = explain.explanations(result)
    return result


def _verdict(rk: dict, plan: dict, regime: str, epi_rise: float) -> dict:
    """Safe for this client and effective for this pigment, each with reasons."""
    reasons: list[str] = []
    high = [f for f in rk["flags"] if f["severity"] == "high"]
    safe = rk["level"] != "high"
    if safe:
        reasons.append(
            f"Safe: the epidermis heats by about {epi_rise:.0f} K, below the "
            f"{rk['epidermal_threshold_k']:.0f} K injury threshold, and no "
            "high-risk flag is raised."
        )
        reasons.extend(
            f"Caution: {f['message']}" for f in rk["flags"] if f["severity"] == "moderate"
        )
    else:
        reasons.extend(f"Not safe: {f['message']}" for f in high)
    first, s90 = plan["first_session_fraction"], plan["sessions_to_90_percent"]
    effective = (
        first >= MIN_EFFECTIVE_FIRST_SESSION and s90 is not None and s90 <= MAX_EFFECTIVE_SESSIONS
    )
    if effective:
        reasons.append(
            f"Effective: about {100 * first:.0f}% clearance after the first session, "
            f"90% after about {s90} sessions."
        )
    else:
        why = (
            f"only about {100 * first:.0f}% clearance per session"
            if first < MIN_EFFECTIVE_FIRST_SESSION
            else f"90% clearance would take {s90 or 'more than 40'} sessions"
        )
        reasons.append(
            f"Not effective: {why}; raise the fluence reaching the pigment (larger "
            "spot, better-absorbed wavelength) or shorten the pulse."
        )
    if regime == "none":
        reasons.append(
            "The pulse is not confined for this particle size, which wastes "
            "energy as heat in the skin."
        )
    return {"safe": safe, "effective": effective, "reasons": reasons}


def check_json_safe(obj) -> None:
    """Raise ValueError if ``obj`` holds anything JSON cannot carry exactly."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if not isinstance(k, str):
                raise ValueError(f"non-string key {k!r}")
            check_json_safe(v)
    elif isinstance(obj, list):
        for v in obj:
            check_json_safe(v)
    elif isinstance(obj, float):
        if not math.isfinite(obj):
            raise ValueError("non-finite float")
    elif isinstance(obj, np.generic | np.ndarray):
        raise ValueError(f"numpy value {obj!r}")
    elif not (obj is None or isinstance(obj, bool | int | str)):
        raise ValueError(f"unexpected type {type(obj).__name__}")
