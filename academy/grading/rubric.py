"""Scoring a rubric: a level per criterion, each worth its points. Plain data in, numbers out."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Score:
    total: Decimal
    maximum: Decimal
    complete: bool  # every criterion has a level

    @property
    def percent(self) -> Decimal:
        if not self.maximum:
            return Decimal(0)
        return (100 * self.total / self.maximum).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def maximum(rubric: dict) -> Decimal:
    return sum((Decimal(str(c["levels"][-1]["points"])) for c in rubric["criteria"]), Decimal(0))


def clean_selections(rubric: dict, raw: dict) -> tuple[dict, dict[str, str]]:
    """Keep only selections that name a real criterion and level; explain the rest."""
    selections, errors = {}, {}
    criteria = {c["key"]: c for c in rubric["criteria"]}
    for key, value in (raw or {}).items():
        criterion = criteria.get(key)
        if criterion is None or not isinstance(value, dict):
            errors[str(key)[:40]] = "not a criterion of this rubric"
            continue
        level = value.get("level")
        comment = str(value.get("comment") or "")[:5000]
        if level in (None, ""):
            selections[key] = {"level": None, "comment": comment}
            continue
        try:
            level = int(level)
        except (TypeError, ValueError, OverflowError):  # OverflowError: Infinity in JSON
            level = -1
        if not 0 <= level < len(criterion["levels"]):
            errors[key] = f"{criterion['title']}: choose one of the rubric's levels"
            continue
        selections[key] = {"level": level, "comment": comment}
    return selections, errors


def score(rubric: dict, selections: dict) -> Score:
    total, complete = Decimal(0), True
    for criterion in rubric["criteria"]:
        level = (selections.get(criterion["key"]) or {}).get("level")
        if level is None:
            complete = False
            continue
        total += Decimal(str(criterion["levels"][level]["points"]))
    return Score(total, maximum(rubric), complete)


def passes(rubric: dict, result: Score) -> bool:
    return result.complete and result.percent >= Decimal(str(rubric["pass_percent"]))
