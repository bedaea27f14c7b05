"""Validate simulator parameters: one clear message per bad field (unit, range, why).

Accepts the values a JSON body or an HTML form sends: numbers may be strings ("5",
"0.45"), booleans may be "true"/"on"/"1", the Fitzpatrick type may be a Roman numeral,
and an empty string means "not given" (the default applies). Unknown fields are
reported, so a typo in an API call is not silently ignored.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from academy.simulator.optics import WAVELENGTHS_NM


class InvalidParameters(ValueError):
    """The parameters failed validation; ``errors`` maps each bad field to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


@dataclass(frozen=True)
class Field:
    """One parameter: its kind, unit, range or choices, default and why the range."""

    name: str
    kind: str  # number, integer, choice, boolean
    label: str
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple = ()
    default: object = None
    why: str = ""

    def describe(self) -> dict:
        """A JSON-ready description, for forms and the OpenAPI document."""
        out = {
            "name": self.name,
            "type": self.kind,
            "label": self.label,
            "unit": self.unit,
            "default": self.default,
            "why": self.why,
        }
        if self.minimum is not None:
            out["minimum"] = self.minimum
            out["maximum"] = self.maximum
        if self.choices:
            out["choices"] = list(self.choices)
        return out


PARTICLE_DEFAULT_UM = {"carbon": 1.0, "iron_oxide": 2.0, "mixed": 1.5}
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6}

FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field(
            "wavelength_nm",
            "choice",
            "Wavelength",
            "nm",
            choices=WAVELENGTHS_NM,
            default=1064,
            why="the simulator models the four removal-laser lines: "
            "532 (KTP/frequency-doubled Nd:YAG), 694 (ruby), 755 (alexandrite), 1064 (Nd:YAG)",
        ),
        Field(
            "pulse_duration_ns",
            "number",
            "Pulse duration",
            "ns",
            0.1,
            1000.0,
            default=6.0,
            why="removal lasers run from picoseconds (0.3-0.9 ns) to Q-switched "
            "nanoseconds (5-100 ns); write 450 ps as 0.45",
        ),
        Field(
            "pulse_energy_mj",
            "number",
            "Pulse energy",
            "mJ",
            1.0,
            5000.0,
            why="give the pulse energy or the fluence (the other is derived from the spot)",
        ),
        Field(
            "fluence_j_cm2",
            "number",
            "Fluence",
            "J/cm²",
            0.1,
            30.0,
            why="clinical removal fluences lie within 0.1-30 J/cm²",
        ),
        Field(
            "spot_diameter_mm",
            "number",
            "Spot diameter",
            "mm",
            1.0,
            10.0,
            default=4.0,
            why="handpieces deliver spots of 1-10 mm",
        ),
        Field(
            "beam_profile",
            "choice",
            "Beam profile",
            choices=("flat_top", "gaussian"),
            default="flat_top",
            why="a flat-top beam is even across the spot; a Gaussian "
            "beam peaks at twice its nominal fluence in the centre",
        ),
        Field(
            "repetition_rate_hz",
            "number",
            "Repetition rate",
            "Hz",
            0.1,
            50.0,
            default=5.0,
            why="removal lasers fire at about 1-10 Hz; the rate sets the pulse count for "
            "eye safety",
        ),
        Field(
            "passes",
            "integer",
            "Passes per session",
            "",
            1,
            10,
            default=1,
            why="one to a few passes per session; more passes add injury risk",
        ),
        Field(
            "sessions",
            "integer",
            "Planned sessions",
            "",
            1,
            20,
            default=6,
            why="a plan of 1-20 sessions",
        ),
        Field(
            "interval_weeks",
            "number",
            "Interval between sessions",
            "weeks",
            1.0,
            52.0,
            default=6.0,
            why="the academy plans 4-6 weeks or longer between sessions",
        ),
        Field(
            "fitzpatrick_type",
            "integer",
            "Fitzpatrick skin type",
            "",
            1,
            6,
            default=2,
            why="types I-VI (1-6), by the client's reaction to sun",
        ),
        Field(
            "pigment_type",
            "choice",
            "Pigment type",
            choices=("carbon", "iron_oxide", "mixed"),
            default="carbon",
            why="modern SMP pigments are carbon; older ones may be iron oxide or mixed",
        ),
        Field(
            "pigment_depth_mm",
            "number",
            "Pigment depth",
            "mm",
            0.1,
            3.0,
            default=0.7,
            why="SMP pigment sits 0.5-1 mm deep; the model covers 0.1-3 mm",
        ),
        Field(
            "pigment_density",
            "choice",
            "Pigment density",
            choices=("light", "moderate", "dense"),
            default="moderate",
            why="the density judged under magnification",
        ),
        Field(
            "pigment_age_years",
            "number",
            "Pigment age",
            "years",
            0.0,
            50.0,
            default=3.0,
            why="years since the SMP was done",
        ),
        Field(
            "layered",
            "boolean",
            "Layered over earlier work",
            default=False,
            why="true when the SMP was applied over earlier pigment",
        ),
        Field(
            "particle_diameter_um",
            "number",
            "Pigment particle (cluster) diameter",
            "µm",
            0.01,
            20.0,
            default=None,
            why="the absorbing target: from single nanoparticles "
            "(0.01-0.1 µm) to clusters of several µm; default 1 µm for carbon, 2 µm for iron "
            "oxide, 1.5 µm for mixed",
        ),
        Field(
            "scarring",
            "choice",
            "Scarring",
            choices=("none", "minimal", "moderate", "significant"),
            default="none",
            why="scarring adds to the Kirby-Desai score",
        ),
        Field(
            "target_clearance_percent",
            "number",
            "Target clearance",
            "%",
            10.0,
            99.0,
            default=90.0,
            why="the clearance the session count is computed for",
        ),
        Field(
            "repigmentation_after_weeks",
            "number",
            "New SMP planned after",
            "weeks",
            0.0,
            104.0,
            default=None,
            why="weeks after the last session before new SMP is "
            "applied; leave empty when none is planned",
        ),
    )
}

FLUENCE_TOLERANCE = 0.02  # relative mismatch allowed when both energy and fluence are given


def _range_message(f: Field) -> str:
    unit = f" {f.unit}" if f.unit else ""
    return f"{f.label} must be between {f.minimum:g} and {f.maximum:g}{unit}: {f.why}."


def _parse_number(f: Field, raw) -> float:
    if isinstance(raw, bool):
        raise ValueError(f"{f.label} must be a number in {f.unit or 'units'}, not true/false.")
    if isinstance(raw, int | float):
        try:
            value = float(raw)
        except OverflowError:  # an integer too large for a float (JSON allows any length)
            raise ValueError(_range_message(f)) from None
    elif isinstance(raw, str):
        try:
            value = float(raw.strip())
        except ValueError:
            raise ValueError(f"{f.label} must be a number ({f.unit}); got {raw!r}.") from None
    else:
        raise ValueError(f"{f.label} must be a number ({f.unit}); got {type(raw).__name__}.")
    if not math.isfinite(value):
        raise ValueError(f"{f.label} must be a finite number ({f.unit}).")
    if value < 0:
        raise ValueError(f"{f.label} cannot be negative. " + _range_message(f))
    if not f.minimum <= value <= f.maximum:
        raise ValueError(_range_message(f))
    return value


def _parse_integer(f: Field, raw) -> int:
    if f.name == "fitzpatrick_type" and isinstance(raw, str) and raw.strip().upper() in ROMAN:
        return ROMAN[raw.strip().upper()]
    value = _parse_number(f, raw)
    if value != int(value):
        raise ValueError(f"{f.label} must be a whole number. " + _range_message(f))
    return int(value)


def _parse_choice(f: Field, raw):
    options = ", ".join(str(c) for c in f.choices)
    if f.name == "wavelength_nm":
        try:
            value = _parse_number(Field(f.name, "number", f.label, "nm", 0, 1e9), raw)
        except ValueError:
            raise ValueError(f"Wavelength must be one of {options} nm: {f.why}.") from None
        if value not in f.choices:
            raise ValueError(f"Wavelength must be one of {options} nm: {f.why}.")
        return int(value)
    if not isinstance(raw, str) or raw.strip().lower() not in f.choices:
        raise ValueError(f"{f.label} must be one of {options}; got {raw!r}.")
    return raw.strip().lower()


def _parse_boolean(f: Field, raw) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str) and raw.strip().lower() in ("true", "on", "yes", "1"):
        return True
    if isinstance(raw, str) and raw.strip().lower() in ("false", "off", "no", "0"):
        return False
    raise ValueError(f"{f.label} must be true or false; got {raw!r}.")


_PARSERS = {
    "number": _parse_number,
    "integer": _parse_integer,
    "choice": _parse_choice,
    "boolean": _parse_boolean,
}


def validate(params) -> dict:
    """Return a complete, typed parameter dict or raise InvalidParameters.

    The result always has both ``pulse_energy_mj`` and ``fluence_j_cm2`` (the missing
    one derived from the spot area, E = F * pi d^2 / 4).
    """
    if not isinstance(params, dict):
        raise InvalidParameters({"_": "Parameters must be a JSON object of field: value."})
    errors: dict[str, str] = {}
    values: dict = {}
    for key in params:
        if key not in FIELDS:
            errors[str(key)] = f"Unknown field {key!r}. Known fields: " + ", ".join(FIELDS) + "."
    for name, f in FIELDS.items():
        raw = params.get(name)
        if raw is None or (isinstance(raw, str) and raw.strip() == ""):
            values[name] = f.default
            continue
        try:
            values[name] = _PARSERS[f.kind](f, raw)
        except ValueError as exc:
            errors[name] = str(exc)
    if values.get("particle_diameter_um") is None and "pigment_type" not in errors:
        values["particle_diameter_um"] = PARTICLE_DEFAULT_UM[values["pigment_type"]]
    _energy_or_fluence(values, errors)
    if errors:
        raise InvalidParameters(errors)
    return values


def spot_area_cm2(spot_diameter_mm: float) -> float:
    """Area of the spot (cm^2) from its diameter in mm."""
    return math.pi * (spot_diameter_mm / 10.0) ** 2 / 4.0


def _energy_or_fluence(values: dict, errors: dict) -> None:
    energy, fluence = values.get("pulse_energy_mj"), values.get("fluence_j_cm2")
    if "pulse_energy_mj" in errors or "fluence_j_cm2" in errors or "spot_diameter_mm" in errors:
        return
    area = spot_area_cm2(values["spot_diameter_mm"])
    if energy is None and fluence is None:
        msg = (
            "Give the pulse energy (mJ) or the fluence (J/cm²): the laser's output is "
            "the one setting without a default."
        )
        errors["pulse_energy_mj"] = msg
        errors["fluence_j_cm2"] = msg
        return
    if energy is not None and fluence is not None:
        derived = energy / 1000.0 / area
        if abs(derived - fluence) > FLUENCE_TOLERANCE * fluence:
            msg = (
                f"Pulse energy {energy:g} mJ on a {values['spot_diameter_mm']:g} mm spot gives "
                f"{derived:.3g} J/cm², not {fluence:g} J/cm²; give one of the two, or "
                "consistent values."
            )
            errors["pulse_energy_mj"] = msg
            errors["fluence_j_cm2"] = msg
        return
    if energy is None:
        energy = fluence * area * 1000.0
        if energy > FIELDS["pulse_energy_mj"].maximum:
            errors["fluence_j_cm2"] = (
                f"{fluence:g} J/cm² on this spot needs {energy:.0f} mJ, "
                "more than the 5000 mJ a removal laser delivers."
            )
            return
    else:
        fluence = energy / 1000.0 / area
        f = FIELDS["fluence_j_cm2"]
        if not f.minimum <= fluence <= f.maximum:
            errors["pulse_energy_mj"] = (
                f"{energy:g} mJ on a {values['spot_diameter_mm']:g} mm spot gives "
                f"{fluence:.3g} J/cm², outside the {f.minimum:g}-{f.maximum:g} J/cm² "
                "the simulator covers."
            )
            return
    values["pulse_energy_mj"] = energy
    values["fluence_j_cm2"] = fluence


def describe_fields() -> list[dict]:
    """Every parameter's description (for forms and the OpenAPI document)."""
    return [f.describe() for f in FIELDS.values()]


def json_schema() -> dict:
    """A JSON Schema of the request body, for the OpenAPI document.

    It states the canonical types; ``validate`` is more lenient and also takes numbers as
    strings, as an HTML form sends them.
    """
    kinds = {"number": "number", "integer": "integer", "boolean": "boolean"}
    properties = {}
    for f in FIELDS.values():
        unit = f" ({f.unit})" if f.unit else ""
        prop: dict = {"description": f"{f.label}{unit}: {f.why}."}
        if f.kind == "choice":
            prop["enum"] = list(f.choices)
            prop["type"] = "integer" if f.name == "wavelength_nm" else "string"
        else:
            prop["type"] = kinds[f.kind]
            if f.minimum is not None:
                prop["minimum"] = f.minimum
                prop["maximum"] = f.maximum
        if f.default is not None:
            prop["default"] = f.default
        properties[f.name] = prop
    return {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "anyOf": [{"required": ["pulse_energy_mj"]}, {"required": ["fluence_j_cm2"]}],
    }
