"""True or false."""

from __future__ import annotations

from academy.quizzes.types.base import Grade, QuestionType


class TrueFalse(QuestionType):
    name = "true_false"
    label = "True or false"
    fields = {"answer", "feedback_true", "feedback_false"}
    required = {"answer"}

    def validate(self, check):
        if not isinstance(check.data.get("answer"), bool):
            check.error("'answer' must be true or false", "answer")

    def present(self, data, layout):
        return {"options": [{"value": "true", "text": "True"}, {"value": "false", "text": "False"}]}

    def read(self, form, name, data, layout):
        value = form.get(name)
        return {"true": True, "false": False}.get(value)

    def grade(self, data, response):
        if response is None:
            return Grade(0, ["No answer was given."])
        specific = data.get("feedback_true" if response else "feedback_false")
        return Grade(1 if response == data["answer"] else 0, [specific] if specific else [])

    def describe_response(self, data, response):
        return "(no answer)" if response is None else ("True" if response else "False")

    def describe_correct(self, data):
        return "True" if data["answer"] else "False"
