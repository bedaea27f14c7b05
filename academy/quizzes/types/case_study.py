"""A case study: a client vignette shared by several auto-graded sub-questions."""

from __future__ import annotations

from academy.quizzes.types.base import Grade, QuestionType


class CaseStudy(QuestionType):
    name = "case_study"
    label = "Case study"
    fields = {"questions"}
    required = {"questions"}

    def __init__(self, registry: dict[str, QuestionType]):
        self.registry = registry  # the sub-questions' types, looked up when needed

    def part_type(self, part: dict) -> QuestionType:
        return self.registry[part["type"]]

    def validate(self, check):
        from academy.quizzes.loader import validate_question  # the checks every question gets

        parts = check.data.get("questions")
        if not isinstance(parts, list) or not 2 <= len(parts) <= 8:
            check.error("'questions' must list 2 to 8 sub-questions", "questions")
            return
        for i, part in enumerate(parts):
            if not isinstance(part, dict):
                check.error(
                    f"sub-question {i + 1} must be a question (id, type, text ...)", "questions", i
                )
            elif part.get("type") in ("case_study", "written_answer"):
                check.error(
                    f"a case study's sub-questions must be auto-graded, not {part['type']}",
                    "questions",
                    i,
                    "type",
                )
            else:
                validate_question(check.child(part, "questions", i))

    def points(self, data) -> float:
        return sum(float(p.get("points", 1)) for p in data["questions"])

    def layout(self, data, rng, shuffle):
        return {
            "parts": {p["id"]: self.part_type(p).layout(p, rng, shuffle) for p in data["questions"]}
        }

    def present(self, data, layout):
        return {
            "parts": [
                {
                    "id": p["id"],
                    "type": p["type"],
                    "text": p["text"],
                    "points": float(p.get("points", 1)),
                    "view": self.part_type(p).present(p, layout["parts"][p["id"]]),
                }
                for p in data["questions"]
            ]
        }

    def read(self, form, name, data, layout):
        answers = {}
        for p in data["questions"]:
            value = self.part_type(p).read(form, f"{name}-{p['id']}", p, layout["parts"][p["id"]])
            if value is not None:
                answers[p["id"]] = value
        return answers or None

    def grade(self, data, response):
        response = response or {}
        total, earned, parts = self.points(data), 0.0, []
        for p in data["questions"]:
            grade = self.part_type(p).grade(p, response.get(p["id"]))
            points = float(p.get("points", 1))
            earned += grade.fraction * points
            parts.append(
                {
                    "id": p["id"],
                    "fraction": grade.fraction,
                    "points": points,
                    "feedback": grade.feedback,
                }
            )
        return Grade(earned / total if total else 0, [], parts)

    def describe_response(self, data, response):
        response = response or {}
        return "\n".join(
            f"{i + 1}. {self.part_type(p).describe_response(p, response.get(p['id']))}"
            for i, p in enumerate(data["questions"])
        )

    def describe_correct(self, data):
        return "\n".join(
            f"{i + 1}. {self.part_type(p).describe_correct(p)}"
            for i, p in enumerate(data["questions"])
        )
