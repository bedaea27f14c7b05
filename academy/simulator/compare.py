"""Compare two parameter sets side by side (for example 532 nm against 1064 nm)."""

from __future__ import annotations

from academy.simulator.engine import simulate
from academy.simulator.params import InvalidParameters

HEADLINES = (
    ("fluence_j_cm2", "Fluence", "J/cm²"),
    ("fluence_at_pigment_j_cm2", "Fluence at the pigment", "J/cm²"),
    ("epidermal_temperature_rise_k", "Epidermal temperature rise", "K"),
    ("pigment_temperature_rise_k", "Pigment temperature rise", "K"),
    ("clearance.first_session_fraction", "First-session clearance", "fraction"),
    ("clearance.sessions_to_90_percent", "Sessions to 90%", "sessions"),
    ("kirby_desai.score", "Kirby-Desai score", "points"),
    ("risk.level", "Risk", ""),
    ("confinement.regime", "Confinement", ""),
    ("eye_safety.required_od", "Eyewear OD needed", "OD"),
    ("verdict.safe", "Safe", ""),
    ("verdict.effective", "Effective", ""),
)


def _get(result: dict, dotted: str):
    for key in dotted.split("."):
        result = result[key]
    return result


def compare(a: dict, b: dict) -> dict:
    """Simulate both sets; return both results and a row per headline number.

    Raises ``InvalidParameters`` whose errors are prefixed ``a.`` or ``b.`` by side.
    """
    results, errors = {}, {}
    for side, params in (("a", a), ("b", b)):
        try:
            results[side] = simulate(params)
        except InvalidParameters as exc:
            errors.update({f"{side}.{k}": v for k, v in exc.errors.items()})
    if errors:
        raise InvalidParameters(errors)
    rows = []
    for key, label, unit in HEADLINES:
        va, vb = _get(results["a"], key), _get(results["b"], key)
        numeric = isinstance(va, int | float) and isinstance(vb, int | float)
        numeric = numeric and not isinstance(va, bool) and not isinstance(vb, bool)
        rows.append(
            {
                "key": key,
                "label": label,
                "unit": unit,
                "a": va,
                "b": vb,
                "difference": round(vb - va, 6) if numeric else None,
                "same": va == vb,
            }
        )
    changed = [
        k for k in sorted(set(results["a"]["inputs"]) | set(results["b"]["inputs"]))
        if results["a"]["inputs"].get(k) != results["b"]["inputs"].get(k)
    ]  # fmt: skip
    return {"a": results["a"], "b": results["b"], "rows": rows, "changed_inputs": changed}
