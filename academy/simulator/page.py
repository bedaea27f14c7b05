"""What the simulator pages show, as plain data: field groups, choice labels, presets, notes.

No Flask here: ``views.py`` hands these to the templates.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from academy.simulator.params import FIELDS
from academy.simulator.presets import PRESETS

DEFAULT_PRESET = "carbon_type_2"

GROUPS = (
    (
        "laser",
        "Laser",
        "The device's settings. Give the fluence or the pulse energy; the other follows from "
        "the spot.",
        (
            "wavelength_nm",
            "pulse_duration_ns",
            "fluence_j_cm2",
            "pulse_energy_mj",
            "spot_diameter_mm",
            "beam_profile",
            "repetition_rate_hz",
            "passes",
        ),
    ),
    (
        "plan",
        "Treatment plan",
        "How many sessions, how far apart, and what you are aiming for.",
        (
            "sessions",
            "interval_weeks",
            "target_clearance_percent",
            "repigmentation_after_weeks",
        ),
    ),
    ("client", "Client", "The client's skin.", ("fitzpatrick_type", "scarring")),
    (
        "pigment",
        "Pigment",
        "The SMP to be removed, as judged at consultation.",
        (
            "pigment_type",
            "pigment_depth_mm",
            "pigment_density",
            "pigment_age_years",
            "layered",
            "particle_diameter_um",
        ),
    ),
)

CHOICE_LABELS = {
    "wavelength_nm": {
        532: "532 nm (green, KTP)",
        694: "694 nm (ruby)",
        755: "755 nm (alexandrite)",
        1064: "1064 nm (Nd:YAG)",
    },
    "fitzpatrick_type": {
        1: "I: always burns, never tans",
        2: "II: usually burns, tans a little",
        3: "III: sometimes burns, tans evenly",
        4: "IV: rarely burns, tans easily",
        5: "V: very rarely burns, brown skin",
        6: "VI: never burns, deeply pigmented",
    },
    "beam_profile": {"flat_top": "Flat-top (even across the spot)", "gaussian": "Gaussian"},
    "pigment_type": {
        "carbon": "Carbon (modern SMP)",
        "iron_oxide": "Iron oxide",
        "mixed": "Mixed carbon and iron oxide",
    },
    "pigment_density": {"light": "Light", "moderate": "Moderate", "dense": "Dense"},
    "scarring": {
        "none": "None",
        "minimal": "Minimal",
        "moderate": "Moderate",
        "significant": "Significant",
    },
}

PLACEHOLDERS = {
    "fluence_j_cm2": "or give the pulse energy",
    "pulse_energy_mj": "or give the fluence",
    "particle_diameter_um": "default for the pigment type",
    "repigmentation_after_weeks": "none planned",
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


HINTS = {
    "layered": "Tick when the SMP was applied over earlier pigment.",
}


def field_view(
    name: str, value, error: str | None, prefix: str = "", show_default: bool = True
) -> dict:
    """One field for a template: label, unit, hint, input kind, choices, value, error."""
    f = FIELDS[name]
    default = f.default
    hint = HINTS.get(name) or f.why[:1].upper() + f.why[1:] + "."
    if (
        show_default
        and default is not None
        and not isinstance(default, bool)
        and f.kind != "choice"
    ):
        shown = CHOICE_LABELS.get(name, {}).get(default, _text(default))
        hint += f" Default: {shown}{' ' + f.unit if f.unit and name not in CHOICE_LABELS else ''}."
    out = {
        "name": f"{prefix}{name}",
        "id": f"{prefix.replace('.', '-')}{name}",
        "field": name,
        "label": f.label,
        "unit": f.unit,
        "kind": f.kind,
        "hint": hint,
        "value": _text(value),
        "error": error,
        "placeholder": PLACEHOLDERS.get(name, ""),
        "minimum": f.minimum,
        "maximum": f.maximum,
    }
    if f.kind == "choice" or name == "fitzpatrick_type":
        labels = CHOICE_LABELS.get(name, {})
        options = f.choices or tuple(range(int(f.minimum), int(f.maximum) + 1))
        out["kind"] = "choice"
        out["choices"] = [(_text(c), labels.get(c, _text(c))) for c in options]
    if f.kind == "boolean":
        out["checked"] = _text(value).lower() in ("true", "on", "yes", "1")
    return out


def form_values(given: dict) -> dict:
    """What each input shows: the value given, else the default (blank when it has none).

    The fluence and the pulse energy show only what was given, so that changing one never
    contradicts a derived value left in the other.
    """
    values = {}
    for name, f in FIELDS.items():
        if name in given:
            values[name] = given[name]
        elif name in ("fluence_j_cm2", "pulse_energy_mj"):
            values[name] = ""
        else:
            values[name] = f.default
    return values


def field_groups(given: dict, errors: dict, prefix: str = "") -> list[dict]:
    """The form, grouped as the page shows it (legend, note, fields)."""
    values = form_values(given)
    return [
        {
            "key": key,
            "legend": legend,
            "note": note,
            "fields": [
                field_view(name, values[name], errors.get(f"{prefix}{name}"), prefix)
                for name in names
            ],
        }
        for key, legend, note, names in GROUPS
    ]


def presets() -> list[dict]:
    return [
        {"key": key, "title": p["title"], "teaches": p["teaches"], "params": p["params"]}
        for key, p in PRESETS.items()
    ]


def preset_params(key: str = DEFAULT_PRESET) -> dict:
    return dict(PRESETS[key]["params"])


def matching_preset(given: dict) -> str | None:
    """The preset whose parameters are exactly those given, if any."""
    for key, p in PRESETS.items():
        if {k: _text(v) for k, v in p["params"].items()} == {k: _text(v) for k, v in given.items()}:
            return key
    return None


def _with(params: dict, **changes) -> dict:
    return {**params, **changes}


def compare_presets() -> list[dict]:
    """Pairs of settings that each teach one contrast."""
    type2, type5, pico = (PRESETS[k]["params"] for k in ("carbon_type_2", "carbon_type_5",
                                                         "picosecond"))  # fmt: skip
    return [
        {
            "key": "wavelength_type_5",
            "title": "532 nm against 1064 nm on type V skin",
            "a": _with(type5, wavelength_nm=532),
            "b": dict(type5),
        },
        {
            "key": "skin_type",
            "title": "The same settings on type II and type V skin",
            "a": dict(type2),
            "b": _with(type2, fitzpatrick_type=5),
        },
        {
            "key": "pulse",
            "title": "A nanosecond pulse against a picosecond pulse",
            "a": dict(type2),
            "b": dict(pico),
        },
        {
            "key": "interval",
            "title": "Sessions every 3 weeks against every 6 weeks",
            "a": _with(type2, interval_weeks=3),
            "b": dict(type2),
        },
    ]


def text_value(value) -> str:
    """A parameter value as the query string carries it."""
    return _text(value)


def describe_value(name: str, value) -> str:
    """A parameter value in words, with its unit: "1064 nm (Nd:YAG)", "0.7 mm", "yes"."""
    f = FIELDS[name]
    labels = CHOICE_LABELS.get(name, {})
    if f.kind == "boolean":
        return "yes" if _text(value).lower() in ("true", "on", "yes", "1") else "no"
    for choice, label in labels.items():
        if _text(choice) == _text(value).strip().lower():
            return label
    unit = f" {f.unit}" if f.unit and f.unit != "%" else f.unit
    return f"{_text(value)}{unit}"


@lru_cache(maxsize=1)
def model_notes_markdown() -> str:
    """MODEL.md without its top heading (the page supplies its own)."""
    text = (Path(__file__).parent / "MODEL.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(lines).strip() + "\n"


def changed_settings(comparison: dict) -> list[dict]:
    """The inputs that differ between the two sides of a comparison, in words."""
    out = []
    for name in comparison["changed_inputs"]:
        values = [comparison[side]["inputs"].get(name) for side in ("a", "b")]
        shown = ["—" if v is None else describe_value(name, v) for v in values]
        out.append({"label": FIELDS[name].label, "a": shown[0], "b": shown[1]})
    return out
