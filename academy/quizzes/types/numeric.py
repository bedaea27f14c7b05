"""A number with a unit, within a tolerance; any unit of the same kind is accepted."""

from __future__ import annotations

import math

from academy.quizzes.types.base import Grade, QuestionType
from academy.quizzes.units import UNITS, convert, find_unit, units_of_kind

# Bounds are inclusive; this allows for binary floating point at the edge of the tolerance.
EDGE = 1e-9


def parse_number(text: str) -> float | None:
    cleaned = (text or "").strip().replace(" ", "").replace("×10^", "e").replace("x10^", "e")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # 3,18 typed on a continental keyboard
    cleaned = cleaned.replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class Numeric(QuestionType):
    name = "numeric"
    label = "Numeric"
    fields = {"answer", "unit", "tolerance"}
    required = {"answer", "unit", "tolerance"}

    def validate(self, check):
        data = check.data
        answer = data.get("answer")
        if (
            isinstance(answer, bool)
            or not isinstance(answer, int | float)
            or not math.isfinite(answer)
        ):
            check.error("'answer' must be a number", "answer")
        if data.get("unit") not in UNITS:
            check.error(f"'unit' must be one of: {', '.join(UNITS)}", "unit")
        tolerance = data.get("tolerance")
        if not (
            isinstance(tolerance, dict)
            and len(tolerance) == 1
            and next(iter(tolerance)) in ("absolute", "relative")
            and isinstance(next(iter(tolerance.values())), int | float)
            and next(iter(tolerance.values())) >= 0
        ):
            check.error(
                "'tolerance' must be {absolute: number} or {relative: fraction}", "tolerance"
            )
        elif "relative" in tolerance and tolerance["relative"] >= 1:
            check.error("a relative tolerance is a fraction: 0.02 means 2%", "tolerance")

    def present(self, data, layout):
        unit = UNITS[data["unit"]]
        return {"units": [u.symbol for u in units_of_kind(unit.kind)], "kind": unit.kind}

    def read(self, form, name, data, layout):
        value = (form.get(name) or "").strip()[:60]
        unit = (form.get(f"{name}-unit") or "").strip()[:20]
        if not value:
            return None
        return {"value": value, "unit": unit or data["unit"]}

    def bounds(self, data) -> tuple[float, float]:
        answer = float(data["answer"])
        kind, amount = next(iter(data["tolerance"].items()))
        margin = amount if kind == "absolute" else abs(answer) * amount
        return answer - margin, answer + margin

    def grade(self, data, response):
        if not response:
            return Grade(0, ["No answer was given."])
        value = parse_number(response.get("value", ""))
        if value is None:
            return Grade(0, [f"'{response.get('value')}' is not a number."])
        unit, expected = find_unit(response.get("unit", "")), UNITS[data["unit"]]
        if unit is None or unit.kind != expected.kind:
            return Grade(
                0, [f"The unit {response.get('unit')!r} is not a unit of {expected.kind}."]
            )
        converted = convert(value, unit, expected)
        low, high = self.bounds(data)
        scale = max(abs(low), abs(high), 1e-300)
        right = low - EDGE * scale <= converted <= high + EDGE * scale
        note = (
            []
            if unit is expected
            else [f"Your {value:g} {unit.symbol} is {converted:.4g} {expected.symbol}."]
        )
        return Grade(1 if right else 0, note)

    def describe_response(self, data, response):
        if not response:
            return "(no answer)"
        unit = response.get("unit", "")
        return f"{response.get('value', '')} {'' if unit == 'none' else unit}".strip()

    def describe_correct(self, data):
        unit = "" if data["unit"] == "none" else f" {data['unit']}"
        kind, amount = next(iter(data["tolerance"].items()))
        margin = f"± {amount:g}{unit}" if kind == "absolute" else f"± {amount * 100:g}%"
        return f"{data['answer']:g}{unit} ({margin})"
