"""Score a trainee's laser parameters against a question's acceptance window.

A laser-parameter question gives a client case and a window; the trainee sets the
laser. ``grade_parameters`` runs the simulator and checks each criterion of the
window, returning the fraction met and feedback per parameter. The window (every key
optional):

- ``case``: parameters of the client and pigment, imposed over the trainee's;
- ``safe`` / ``effective``: the simulator's verdict must say so;
- ``max_risk_level``: ``low``, ``moderate`` or ``high``;
- ``wavelength_nm``: one wavelength or a list of acceptable ones;
- ``regime``: ``stress``, ``thermal`` (or a list);
- ranges ``{"min": .., "max": ..}`` (either end optional) for ``fluence_j_cm2``,
  ``fluence_at_pigment_j_cm2``, ``pulse_duration_ns``, ``spot_diameter_mm``,
  ``interval_weeks``, ``epidermal_temperature_rise_k``, ``first_session_fraction``
  and ``sessions_to_90_percent``.
"""

from __future__ import annotations

from academy.simulator.engine import simulate
from academy.simulator.params import FIELDS, InvalidParameters

RISK_ORDER = ("low", "moderate", "high")

# Window range keys: where the value is in the result, and which parameter to adjust.
RANGES = {
    "fluence_j_cm2": (("fluence_j_cm2",), "fluence_j_cm2", "J/cm²"),
    "fluence_at_pigment_j_cm2": (("fluence_at_pigment_j_cm2",), "fluence_j_cm2", "J/cm²"),
    "pulse_duration_ns": (("inputs", "pulse_duration_ns"), "pulse_duration_ns", "ns"),
    "spot_diameter_mm": (("inputs", "spot_diameter_mm"), "spot_diameter_mm", "mm"),
    "interval_weeks": (("inputs", "interval_weeks"), "interval_weeks", "weeks"),
    "epidermal_temperature_rise_k": (("epidermal_temperature_rise_k",), "fluence_j_cm2", "K"),
    "first_session_fraction": (("clearance", "first_session_fraction"), "fluence_j_cm2", ""),
    "sessions_to_90_percent": (("clearance", "sessions_to_90_percent"), "sessions", "sessions"),
}
FLAGS = ("safe", "effective")
OTHER = ("case", "max_risk_level", "wavelength_nm", "regime")


def validate_window(window: dict) -> None:
    """Raise ValueError naming every problem in a question author's window."""
    problems = []
    if not isinstance(window, dict):
        raise ValueError("the window must be a mapping")
    for key, value in window.items():
        if key in FLAGS:
            if not isinstance(value, bool):
                problems.append(f"{key} must be true or false")
        elif key in RANGES:
            if not isinstance(value, dict) or not set(value) <= {"min", "max"} or not value:
                problems.append(f"{key} must be a mapping with min and/or max")
        elif key == "max_risk_level":
            if value not in RISK_ORDER:
                problems.append("max_risk_level must be low, moderate or high")
        elif key == "wavelength_nm":
            values = value if isinstance(value, list) else [value]
            if not values or any(v not in FIELDS["wavelength_nm"].choices for v in values):
                problems.append("wavelength_nm must be 532, 694, 755, 1064 or a list of them")
        elif key == "regime":
            values = value if isinstance(value, list) else [value]
            if not values or any(v not in ("stress", "thermal", "none") for v in values):
                problems.append("regime must be stress, thermal, none or a list of them")
        elif key == "case":
            if not isinstance(value, dict) or any(k not in FIELDS for k in value):
                problems.append("case must map simulator parameter names to values")
        else:
            problems.append(f"unknown window key {key!r}")
    if problems:
        raise ValueError("; ".join(problems))


def _get(result: dict, path: tuple):
    for key in path:
        result = result[key]
    return result


def grade_parameters(params: dict, window: dict) -> dict:
    """Return ``{fraction, passed, feedback: [{field, ok, message}], verdict, result}``."""
    validate_window(window)
    merged = dict(params or {})
    feedback: list[dict] = []
    case = window.get("case", {})
    for key, value in case.items():
        if key in merged and str(merged[key]) != str(value):
            feedback.append(
                {
                    "field": key,
                    "ok": True,
                    "message": f"{key} is set by the case ({value}); your value was replaced.",
                }
            )
        merged[key] = value
    try:
        result = simulate(merged)
    except InvalidParameters as exc:
        return {
            "fraction": 0.0,
            "passed": False,
            "feedback": [{"field": k, "ok": False, "message": v} for k, v in exc.errors.items()],
            "verdict": None,
            "result": None,
        }
    checks: list[dict] = []
    verdict = result["verdict"]
    for key in FLAGS:
        if key in window and window[key]:
            ok = bool(verdict[key])
            reasons = [
                r
                for r in verdict["reasons"]
                if r.lower().startswith(
                    ("safe" if key == "safe" else "effective", "not " + key, "caution")
                )
            ]
            checks.append(
                {
                    "field": key,
                    "ok": ok,
                    "message": (
                        f"The simulator judges these settings {'' if ok else 'not '}{key} "
                        "for this case. " + " ".join(reasons)
                    ),
                }
            )
    if "max_risk_level" in window:
        level, limit = result["risk"]["level"], window["max_risk_level"]
        ok = RISK_ORDER.index(level) <= RISK_ORDER.index(limit)
        flags = "; ".join(f["message"] for f in result["risk"]["flags"]) or "no flags"
        checks.append(
            {
                "field": "risk",
                "ok": ok,
                "message": f"Risk is {level} (at most {limit} accepted). {flags}",
            }
        )
    if "wavelength_nm" in window:
        allowed = window["wavelength_nm"]
        allowed = allowed if isinstance(allowed, list) else [allowed]
        wl = result["inputs"]["wavelength_nm"]
        ok = wl in allowed
        checks.append(
            {
                "field": "wavelength_nm",
                "ok": ok,
                "message": (
                    f"{wl} nm is {'an accepted' if ok else 'not an accepted'} wavelength "
                    "for this case "
                    f"(accepted: {', '.join(str(a) for a in allowed)} nm)."
                ),
            }
        )
    if "regime" in window:
        allowed = window["regime"] if isinstance(window["regime"], list) else [window["regime"]]
        reg = result["confinement"]["regime"]
        ok = reg in allowed
        checks.append(
            {
                "field": "pulse_duration_ns",
                "ok": ok,
                "message": (
                    f"The pulse is {reg}-confined for these particles"
                    if reg != "none"
                    else "The pulse is not confined for these particles"
                )
                + ("." if ok else f"; the case asks for {' or '.join(allowed)} confinement."),
            }
        )
    for key, (path, field, unit) in RANGES.items():
        if key not in window:
            continue
        value = _get(result, path)
        lo, hi = window[key].get("min"), window[key].get("max")
        ok = value is not None and (lo is None or value >= lo) and (hi is None or value <= hi)
        span = (
            f"{lo:g}-{hi:g}"
            if lo is not None and hi is not None
            else f"at least {lo:g}"
            if lo is not None
            else f"at most {hi:g}"
        )
        shown = "none" if value is None else f"{value:g}"
        checks.append(
            {
                "field": field,
                "ok": ok,
                "message": (
                    f"{key.replace('_', ' ')}: {shown} {unit} ({'within' if ok else 'outside'} the "
                    f"accepted {span} {unit})."
                ).replace("  ", " "),
            }
        )
    passed = sum(1 for c in checks if c["ok"])
    fraction = passed / len(checks) if checks else 1.0
    return {
        "fraction": round(fraction, 4),
        "passed": passed == len(checks),
        "feedback": feedback + checks,
        "verdict": verdict,
        "result": result,
    }
