"""Laser parameters for a client case, graded by the simulator against an acceptance window.

The question fixes the client and the pigment (``case``); the trainee sets the laser
(``editable``); the simulator's verdict and numbers are checked against the ``window``
(``academy.simulator.grading``), with feedback per criterion. The window is never shown
while answering. An optional ``example`` (settings that meet the window) is checked when
the content loads, so a question that nobody could answer fully is refused.
"""

from __future__ import annotations

from academy.quizzes.types.base import Grade, QuestionType
from academy.simulator import grading
from academy.simulator.page import describe_value, field_view, text_value
from academy.simulator.params import FIELDS, InvalidParameters, validate

DEFAULT_EDITABLE = (
    "wavelength_nm",
    "pulse_duration_ns",
    "fluence_j_cm2",
    "spot_diameter_mm",
    "repetition_rate_hz",
    "passes",
    "sessions",
    "interval_weeks",
)
ENERGY = ("fluence_j_cm2", "pulse_energy_mj")
MAX_VALUE_LENGTH = 40
CRITERIA = {
    "safe": "Safety",
    "effective": "Effectiveness",
    "risk": "Risk",
}
RANGE_WORDS = {
    "fluence_j_cm2": ("fluence at the surface", "J/cm²"),
    "fluence_at_pigment_j_cm2": ("fluence at the pigment", "J/cm²"),
    "pulse_duration_ns": ("pulse duration", "ns"),
    "spot_diameter_mm": ("spot diameter", "mm"),
    "interval_weeks": ("interval between sessions", "weeks"),
    "epidermal_temperature_rise_k": ("epidermal temperature rise", "K"),
    "first_session_fraction": ("clearance after the first session", "%"),
    "sessions_to_90_percent": ("sessions to 90% clearance", ""),
}


def _label(field: str) -> str:
    if field in CRITERIA:
        return CRITERIA[field]
    return FIELDS[field].label if field in FIELDS else field.replace("_", " ").capitalize()


def _span(key: str, bounds: dict) -> str:
    words, unit = RANGE_WORDS[key]
    scale = 100 if key == "first_session_fraction" else 1
    lo, hi = bounds.get("min"), bounds.get("max")
    lo = None if lo is None else f"{lo * scale:g}"
    hi = None if hi is None else f"{hi * scale:g}"
    unit = f"{'' if unit == '%' else ' '}{unit}" if unit else ""
    if lo is not None and hi is not None:
        return f"{words} {lo}-{hi}{unit}"
    return f"{words} at least {lo}{unit}" if lo is not None else f"{words} at most {hi}{unit}"


class LaserParameter(QuestionType):
    name = "laser_parameter"
    label = "Laser parameters"
    fields = {"case", "window", "editable", "example"}
    required = {"case", "window"}

    # --- the YAML schema -------------------------------------------------------------
    def editable(self, data: dict) -> list[str]:
        return list(data.get("editable") or DEFAULT_EDITABLE)

    def validate(self, check):
        data = check.data
        before = len(check.errors)
        case = data.get("case")
        case_ok = isinstance(case, dict) and bool(case)
        if not case_ok:
            check.error(
                "'case' must map the client's and pigment's parameters (fitzpatrick_type, "
                "pigment_type, pigment_depth_mm, ...) to values",
                "case",
            )
            case = {}
        for key in case:
            if key not in FIELDS:
                check.error(f"'case' has an unknown parameter {key!r}", "case", key)
        editable = data.get("editable", list(DEFAULT_EDITABLE))
        if (
            not isinstance(editable, list)
            or not editable
            or not all(isinstance(e, str) for e in editable)
        ):
            check.error("'editable' must list the laser parameters the trainee sets", "editable")
            editable = []
        for i, key in enumerate(editable):
            if key not in FIELDS:
                check.error(f"'editable' has an unknown parameter {key!r}", "editable", i)
            elif key in case:
                check.error(f"{key!r} is both fixed by 'case' and editable", "editable", i)
        if len(set(editable)) != len(editable):
            check.error("'editable' lists a parameter twice", "editable")
        if editable and not any(k in case or k in editable for k in ENERGY):
            check.error(
                "the case or 'editable' must include fluence_j_cm2 or pulse_energy_mj: the "
                "laser's output has no default",
                "editable",
            )
        if case_ok and all(k in FIELDS for k in case):
            probe = dict(case)
            if not any(k in case for k in ENERGY):
                probe["fluence_j_cm2"] = 1.0
            try:
                validate(probe)
            except InvalidParameters as exc:
                for key, message in exc.errors.items():
                    if key in case:
                        check.error(f"case: {message}", "case", key)
        window = data.get("window")
        try:
            grading.validate_window(window)
        except ValueError as exc:
            check.error(f"'window': {exc}", "window")
        else:
            if "case" in window:
                check.error("put the client and pigment under 'case', not inside 'window'",
                            "window")  # fmt: skip
            elif not window:
                check.error("'window' must set at least one criterion", "window")
        if "example" in data and len(check.errors) == before:
            self._check_example(check, data)

    def _check_example(self, check, data):
        example = data["example"]
        editable = self.editable(data)
        if not isinstance(example, dict) or set(example) - set(editable):
            check.error("'example' must give values for the editable parameters only", "example")
            return
        outcome = grading.grade_parameters({**example, **data["case"]}, data["window"])
        if outcome["fraction"] < 1:
            failed = "; ".join(f["message"] for f in outcome["feedback"] if not f["ok"])
            check.error(f"'example' does not meet the window: {failed}", "example")

    # --- presentation ------------------------------------------------------------------
    def present(self, data, layout):
        case = data["case"]
        return {
            "case": [
                {"label": FIELDS[k].label, "value": describe_value(k, case[k])}
                for k in FIELDS
                if k in case
            ],
            "case_params": {k: text_value(v) for k, v in case.items()},
            "fields": [field_view(k, None, None, show_default=False) for k in self.editable(data)],
        }

    # --- responses ---------------------------------------------------------------------
    def read(self, form, name, data, layout):
        response = {}
        for key in self.editable(data):
            raw = form.get(f"{name}-{key}")
            if FIELDS[key].kind == "boolean":
                response[key] = "true" if raw else "false"
                continue
            value = (raw or "").strip()[:MAX_VALUE_LENGTH]
            if value:
                response[key] = value
        if not any(FIELDS[k].kind != "boolean" for k in response):
            return None
        return response

    def grade(self, data, response):
        if not response:
            return Grade(0, ["No settings were given."])
        editable = self.editable(data)
        missing = [k for k in editable if not str(response.get(k, "")).strip()]
        if set(ENERGY) <= set(editable):  # either one of fluence and energy will do
            given = [k for k in ENERGY if k not in missing]
            missing = [k for k in missing if k not in ENERGY or not given]
        if missing:
            names = ", ".join(_label(k).lower() for k in missing)
            return Grade(0, [f"Not set: {names}. Set every setting the question asks for; "
                             "the simulator does not fill them in for you."])  # fmt: skip
        params = {k: response[k] for k in editable if k in response}
        params.update(data["case"])
        outcome = grading.grade_parameters(params, data["window"])
        lines = [
            f"{'✓' if item['ok'] else '✗'} {_label(item['field'])}: {item['message']}"
            for item in outcome["feedback"]
        ]
        return Grade(outcome["fraction"], lines)

    def describe_response(self, data, response):
        if not response:
            return "(no settings given)"
        parts = [
            f"{_label(k)}: {describe_value(k, response[k])}"
            for k in self.editable(data)
            if k in response
        ]
        return "; ".join(parts)

    def describe_correct(self, data):
        window = data["window"]
        needs = []
        if window.get("safe"):
            needs.append("judged safe for this client by the simulator")
        if window.get("effective"):
            needs.append("judged effective for this pigment")
        if "max_risk_level" in window:
            needs.append(f"risk to the skin at most {window['max_risk_level']}")
        if "wavelength_nm" in window:
            allowed = window["wavelength_nm"]
            allowed = allowed if isinstance(allowed, list) else [allowed]
            needs.append("wavelength " + " or ".join(str(w) for w in allowed) + " nm")
        if "regime" in window:
            regime = window["regime"]
            allowed = regime if isinstance(regime, list) else [regime]
            names = {
                "stress": "stress-confined",
                "thermal": "thermally confined",
                "none": "not confined",
            }
            needs.append("a pulse " + " or ".join(names[r] for r in allowed) + " for the pigment")
        needs.extend(_span(k, window[k]) for k in RANGE_WORDS if k in window)
        text = "Any settings that meet all of these: " + "; ".join(needs) + "."
        if isinstance(data.get("example"), dict):
            example = "; ".join(
                f"{_label(k)} {describe_value(k, v)}" for k, v in data["example"].items()
            )
            text += f" For example: {example}."
        return text
