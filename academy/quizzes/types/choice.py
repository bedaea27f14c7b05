"""Single choice and multiple response: options, one or several of them correct."""

from __future__ import annotations

from academy.contentfiles import FieldChecker
from academy.quizzes.types.base import Grade, QuestionType, shuffled
from academy.security.input import whole_number


def _validate_options(check: FieldChecker, minimum_correct: int, needs_wrong: bool) -> None:
    options = check.data.get("options")
    if not isinstance(options, list) or not 2 <= len(options) <= 8:
        check.error("'options' must be a list of 2 to 8 options", "options")
        return
    correct = 0
    for i, option in enumerate(options):
        if not isinstance(option, dict) or not isinstance(option.get("text"), str | int | float):
            check.error(f"option {i + 1} needs a 'text'", "options", i)
            continue
        unknown = set(option) - {"text", "correct", "feedback"}
        if unknown:
            check.error(f"option {i + 1} has unknown field(s) {sorted(unknown)}", "options", i)
        if "correct" in option and not isinstance(option["correct"], bool):
            check.error(f"option {i + 1}: 'correct' must be true or false", "options", i)
        correct += option.get("correct") is True
    if minimum_correct == 1 and not needs_wrong and correct != 1:
        check.error(
            f"a single-choice question needs exactly one correct option, not {correct}", "options"
        )
    elif needs_wrong and (correct < 1 or correct == len(options)):
        check.error(
            "a multiple-response question needs at least one correct and one wrong option",
            "options",
        )


def _option_layout(data: dict, rng, shuffle: bool) -> dict:
    return {"order": shuffled(list(range(len(data["options"]))), rng, shuffle)}


def _present_options(data: dict, layout: dict) -> dict:
    order = layout.get("order") or list(range(len(data["options"])))
    return {"options": [{"value": str(i), "text": str(data["options"][i]["text"])} for i in order]}


def _chosen(form, name: str, count: int) -> list[int]:
    values = []
    for raw in form.getlist(name):
        number = whole_number(str(raw), high=count - 1)
        if number is not None and number not in values:
            values.append(number)
    return sorted(values)


def _option_feedback(data: dict, chosen: list[int]) -> list[str]:
    return [
        str(data["options"][i]["feedback"]) for i in chosen if data["options"][i].get("feedback")
    ]


class SingleChoice(QuestionType):
    name = "single_choice"
    label = "Single choice"
    fields = {"options"}
    required = {"options"}

    def validate(self, check):
        _validate_options(check, minimum_correct=1, needs_wrong=False)

    def layout(self, data, rng, shuffle):
        return _option_layout(data, rng, shuffle)

    def present(self, data, layout):
        return _present_options(data, layout)

    def read(self, form, name, data, layout):
        chosen = _chosen(form, name, len(data["options"]))
        return chosen[0] if len(chosen) == 1 else None

    def grade(self, data, response):
        if response is None:
            return Grade(0, ["No answer was given."])
        right = data["options"][response].get("correct") is True
        return Grade(1 if right else 0, _option_feedback(data, [response]))

    def describe_response(self, data, response):
        return "(no answer)" if response is None else str(data["options"][response]["text"])

    def describe_correct(self, data):
        return next(str(o["text"]) for o in data["options"] if o.get("correct"))


class MultipleResponse(QuestionType):
    name = "multiple_response"
    label = "Multiple response"
    fields = {"options"}
    required = {"options"}

    def validate(self, check):
        _validate_options(check, minimum_correct=1, needs_wrong=True)

    def layout(self, data, rng, shuffle):
        return _option_layout(data, rng, shuffle)

    def present(self, data, layout):
        return {**_present_options(data, layout), "multiple": True}

    def read(self, form, name, data, layout):
        chosen = _chosen(form, name, len(data["options"]))
        return chosen or None

    def grade(self, data, response):
        """Right ticks earn their share; wrong ticks cost theirs, so ticking all scores 0."""
        if not response:
            return Grade(0, ["No answer was given."])
        correct = {i for i, o in enumerate(data["options"]) if o.get("correct")}
        wrong = set(range(len(data["options"]))) - correct
        chosen = set(response)
        fraction = len(chosen & correct) / len(correct) - len(chosen & wrong) / len(wrong)
        return Grade(fraction, _option_feedback(data, sorted(chosen)))

    def describe_response(self, data, response):
        if not response:
            return "(no answer)"
        return "; ".join(str(data["options"][i]["text"]) for i in response)

    def describe_correct(self, data):
        return "; ".join(str(o["text"]) for o in data["options"] if o.get("correct"))
