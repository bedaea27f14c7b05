"""A written answer, marked later by a tutor against a model answer and marking notes."""

from __future__ import annotations

from academy.quizzes.types.base import Grade, QuestionType

MAX_CHARACTERS = 20_000


class WrittenAnswer(QuestionType):
    name = "written_answer"
    label = "Written answer"
    auto_graded = False
    fields = {"model_answer", "marking_notes", "max_words"}
    required = {"model_answer"}
    default_points = 5
    requires_feedback = False  # the model answer teaches, shown in the review

    def validate(self, check):
        if (
            not isinstance(check.data.get("model_answer"), str)
            or not check.data["model_answer"].strip()
        ):
            check.error("'model_answer' must be text", "model_answer")
        if "marking_notes" in check.data and not isinstance(check.data["marking_notes"], str):
            check.error("'marking_notes' must be text", "marking_notes")
        check.number("max_words", minimum=10, maximum=5000, integer=True)

    def present(self, data, layout):
        return {"max_words": data.get("max_words", 300)}

    def read(self, form, name, data, layout):
        text = (form.get(name) or "")[:MAX_CHARACTERS]
        return text if text.strip() else None

    def grade(self, data, response):
        return Grade(0, ["A tutor will mark this answer."], pending=True)

    def describe_response(self, data, response):
        return response or "(no answer)"

    def describe_correct(self, data):
        return str(data["model_answer"])

    @staticmethod
    def word_count(text: str | None) -> int:
        return len((text or "").split())
