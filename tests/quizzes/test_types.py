"""Grading every question type, edge cases included, on plain data (no app, no request)."""

from __future__ import annotations

import math
import random

import pytest
import yaml
from werkzeug.datastructures import MultiDict

from academy.quizzes.types.ordering import longest_ordered_run
from academy.quizzes.types.registry import QUESTION_TYPES, question_type
from tests.quizzes.conftest import BANK

QUESTIONS = {q["id"]: q for pool in yaml.safe_load(BANK)["pools"] for q in pool["questions"]}


def grade(qid, response):
    data = QUESTIONS[qid]
    return question_type(data["type"]).grade(data, response)


def read(qid, pairs, layout=None):
    data = QUESTIONS[qid]
    kind = question_type(data["type"])
    layout = layout if layout is not None else kind.layout(data, random.Random(1), False)
    return kind.read(MultiDict(pairs), "q1", data, layout)


def test_single_choice():
    assert grade("s-choice", 0).fraction == 1
    wrong = grade("s-choice", 1)
    assert wrong.fraction == 0 and wrong.feedback == ["WATER-OPTION-FEEDBACK"]
    assert grade("s-choice", None).fraction == 0
    assert read("s-choice", [("q1", "0")]) == 0
    assert read("s-choice", [("q1", "7")]) is None  # not an option
    assert read("s-choice", [("q1", "0"), ("q1", "1")]) is None  # a radio sends one value


def test_multiple_response_partial_credit_and_ticking_everything():
    assert grade("s-multi", [0, 1]).fraction == 1
    assert grade("s-multi", [0]).fraction == 0.5
    assert grade("s-multi", [0, 2]).fraction == 0  # half right minus half wrong
    assert grade("s-multi", [0, 1, 2, 3]).fraction == 0
    assert grade("s-multi", [2, 3]).fraction == 0  # never below zero
    assert grade("s-multi", None).fraction == 0
    assert read("s-multi", [("q1", "1"), ("q1", "0"), ("q1", "x"), ("q1", "1")]) == [0, 1]


def test_true_false():
    assert grade("s-tf", False).fraction == 1
    assert grade("s-tf", True).fraction == 0
    assert grade("s-tf", None).fraction == 0
    assert read("s-tf", [("q1", "false")]) is False
    assert read("s-tf", [("q1", "maybe")]) is None


@pytest.mark.parametrize(
    ("value", "unit", "right"),
    [
        ("3.183", "J/cm²", True),
        ("3.12", "J/cm²", True),  # inside 2%
        ("3.0", "J/cm²", False),
        ("31.83", "mJ/mm²", True),  # 1 mJ/mm² = 0.1 J/cm²
        ("31830", "J/m²", True),
        ("3183", "mJ/cm²", True),
        ("3,18", "J/cm²", True),  # a comma as the decimal mark
        ("3.183", "mJ", False),  # energy is not fluence
        ("3.183", "nonsense", False),
        ("three", "J/cm²", False),
        ("nan", "J/cm²", False),
        ("inf", "J/cm²", False),
        ("1e400", "J/cm²", False),
    ],
)
def test_numeric_units_and_tolerance(value, unit, right):
    assert (grade("s-fluence", {"value": value, "unit": unit}).fraction == 1) is right


def test_numeric_tolerance_bounds_are_inclusive():
    data = {"type": "numeric", "answer": 10, "unit": "ns", "tolerance": {"absolute": 0.5}}
    kind = question_type("numeric")
    assert kind.grade(data, {"value": "10.5", "unit": "ns"}).fraction == 1
    assert kind.grade(data, {"value": "9.5", "unit": "ns"}).fraction == 1
    assert kind.grade(data, {"value": "10.51", "unit": "ns"}).fraction == 0
    assert kind.grade(data, {"value": "10500", "unit": "ps"}).fraction == 1
    length = {"type": "numeric", "answer": 0.75, "unit": "mm", "tolerance": {"relative": 0.1}}
    assert kind.grade(length, {"value": "750", "unit": "µm"}).fraction == 1
    assert kind.grade(length, {"value": "750", "unit": "um"}).fraction == 1
    assert kind.grade(length, {"value": "825", "unit": "µm"}).fraction == 1  # exactly +10%
    assert kind.grade(length, {"value": "826", "unit": "µm"}).fraction == 0


def test_numeric_empty_and_hostile_reads():
    assert grade("s-fluence", None).fraction == 0
    assert read("s-fluence", [("q1", "  ")]) is None
    response = read("s-fluence", [("q1", "x" * 500), ("q1-unit", "<script>")])
    assert len(response["value"]) == 60
    assert grade("s-fluence", response).fraction == 0


def test_matching_partial_credit():
    assert grade("s-match", {"0": 0, "1": 1, "2": 2}).fraction == 1
    assert math.isclose(grade("s-match", {"0": 0, "1": 2, "2": 1}).fraction, 1 / 3)
    assert grade("s-match", {"0": 3}).fraction == 0  # the distractor
    assert grade("s-match", None).fraction == 0
    assert read("s-match", [("q1-0", "2"), ("q1-1", "99"), ("q1-2", "x")]) == {"0": 2}


def test_ordering_partial_credit_by_longest_run():
    perfect = {"positions": {"0": 1, "1": 2, "2": 3, "3": 4}}
    assert grade("s-order", perfect).fraction == 1
    swapped = {"positions": {"0": 2, "1": 1, "2": 3, "3": 4}}
    assert grade("s-order", swapped).fraction == 0.75
    reversed_ = {"positions": {"0": 4, "1": 3, "2": 2, "3": 1}}
    assert grade("s-order", reversed_).fraction == 0.25
    assert grade("s-order", None).fraction == 0
    assert longest_ordered_run([0, 2, 1, 3]) == 3


def test_ordering_is_never_shown_in_the_right_order():
    data = QUESTIONS["s-order"]
    kind = question_type("ordering")
    for seed in range(50):
        assert kind.layout(data, random.Random(seed), False)["order"] != [0, 1, 2, 3]


def test_case_study_weights_its_parts():
    full = grade("s-case", {"s-case-a": 0, "s-case-b": {"value": "6", "unit": "weeks"}})
    assert full.fraction == 1
    part = grade("s-case", {"s-case-a": 1, "s-case-b": {"value": "5", "unit": "weeks"}})
    assert math.isclose(part.fraction, 2 / 3)  # part b is worth two of the three marks
    assert [p["id"] for p in part.parts] == ["s-case-a", "s-case-b"]
    assert grade("s-case", None).fraction == 0


def test_written_answer_waits_for_a_tutor():
    result = grade("s-written", "A long considered answer.")
    assert result.pending
    assert read("s-written", [("q1", "x" * 50_000)]).__len__() == 20_000


@pytest.mark.parametrize("qid", list(QUESTIONS))
def test_what_a_trainee_sees_never_holds_an_answer_or_feedback(qid):
    data = QUESTIONS[qid]
    kind = question_type(data["type"])
    view = repr(kind.present(data, kind.layout(data, random.Random(3), True)))
    for secret in (
        "FEEDBACK",
        "MODEL-ANSWER",
        "MARKING-NOTES",
        "'correct'",
        "3.183",
        "'answer'",
        "tolerance",
    ):
        assert secret not in view, f"{qid} shows {secret}"


def test_every_registered_type_grades_an_empty_answer_as_zero():
    for name, kind in QUESTION_TYPES.items():
        sample = next((q for q in QUESTIONS.values() if q["type"] == name), None)
        if sample is not None:
            assert kind.grade(sample, None).fraction == 0
