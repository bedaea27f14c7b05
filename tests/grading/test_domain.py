"""The submission state machine and rubric scoring, on plain data."""

from __future__ import annotations

from decimal import Decimal
from itertools import product

import pytest
import yaml

from academy.grading import rubric, states
from tests.grading.conftest import CASE

RUBRIC = yaml.safe_load(CASE)["rubric"]
ALL = [
    states.DRAFT,
    states.SUBMITTED,
    states.BEING_MARKED,
    states.AWAITING_RELEASE,
    states.RETURNED,
    states.PASSED,
    states.REFERRED,
]


@pytest.mark.parametrize(("current", "target"), list(product(ALL, ALL)))
def test_only_the_listed_moves_are_allowed(current, target):
    allowed = states.ALLOWED.get((current, target))
    for actor in ("trainee", "tutor"):
        if allowed == actor:
            states.check(current, target, actor)
        else:
            with pytest.raises(states.IllegalTransition):
                states.check(current, target, actor)


def test_released_outcomes_are_final_except_a_return():
    for outcome in (states.PASSED, states.REFERRED):
        assert not [t for (c, t) in states.ALLOWED if c == outcome]
    assert states.ALLOWED[(states.RETURNED, states.DRAFT)] == "trainee"


def test_a_trainee_never_sees_a_decided_but_unreleased_outcome():
    assert states.TRAINEE_LABELS[states.AWAITING_RELEASE] == "Being marked"


def test_rubric_scoring():
    selections = {
        "safety": {"level": 2},
        "schedule": {"level": 1},
        "aftercare": {"level": 2},
        "expectations": {"level": 0},
    }
    score = rubric.score(RUBRIC, selections)
    assert (score.total, score.maximum, score.complete) == (Decimal(8), Decimal(12), True)
    assert score.percent == Decimal("66.7") and rubric.passes(RUBRIC, score)


def test_an_incomplete_rubric_never_passes():
    score = rubric.score(RUBRIC, {"safety": {"level": 2}, "schedule": {"level": 2}})
    assert not score.complete and not rubric.passes(RUBRIC, score)


def test_selections_naming_unknown_criteria_or_levels_are_refused():
    cleaned, errors = rubric.clean_selections(
        RUBRIC,
        {
            "safety": {"level": "9"},
            "bogus": {"level": 1},
            "schedule": {"level": "1", "comment": "ok"},
            "aftercare": "not a dict",
        },
    )
    assert cleaned == {"schedule": {"level": 1, "comment": "ok"}}
    assert set(errors) == {"safety", "bogus", "aftercare"}
