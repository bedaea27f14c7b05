"""Matching: each item on the left to its partner on the right (with optional distractors)."""

from __future__ import annotations

from academy.quizzes.types.base import Grade, QuestionType, shuffled
from academy.security.input import whole_number


class Matching(QuestionType):
    name = "matching"
    label = "Matching"
    fields = {"pairs", "distractors"}
    required = {"pairs"}

    def validate(self, check):
        pairs = check.data.get("pairs")
        if not isinstance(pairs, list) or not 2 <= len(pairs) <= 8:
            check.error("'pairs' must be a list of 2 to 8 {left, right} items", "pairs")
            return
        rights = []
        for i, pair in enumerate(pairs):
            if not isinstance(pair, dict) or set(pair) != {"left", "right"}:
                check.error(f"pair {i + 1} must have exactly 'left' and 'right'", "pairs", i)
                continue
            rights.append(str(pair["right"]))
        distractors = check.data.get("distractors", [])
        if not isinstance(distractors, list):
            check.error("'distractors' must be a list", "distractors")
            distractors = []
        if len(set(rights + [str(d) for d in distractors])) != len(rights) + len(distractors):
            check.error("every right-hand item and distractor must be different", "pairs")

    def _choices(self, data) -> list[str]:
        return [str(p["right"]) for p in data["pairs"]] + [
            str(d) for d in data.get("distractors", [])
        ]

    def layout(self, data, rng, shuffle):
        return {
            "rows": shuffled(list(range(len(data["pairs"]))), rng, shuffle),
            "choices": shuffled(list(range(len(self._choices(data)))), rng, True),
        }

    def present(self, data, layout):
        choices = self._choices(data)
        return {
            "rows": [{"index": i, "left": str(data["pairs"][i]["left"])} for i in layout["rows"]],
            "choices": [{"value": str(j), "text": choices[j]} for j in layout["choices"]],
        }

    def read(self, form, name, data, layout):
        answers, count = {}, len(self._choices(data))
        for i in range(len(data["pairs"])):
            number = whole_number(form.get(f"{name}-{i}", ""), high=count - 1)
            if number is not None:
                answers[str(i)] = number
        return answers or None

    def grade(self, data, response):
        if not response:
            return Grade(0, ["No answer was given."])
        right = sum(1 for i in range(len(data["pairs"])) if response.get(str(i)) == i)
        return Grade(
            right / len(data["pairs"]), [f"{right} of {len(data['pairs'])} pairs matched."]
        )

    def describe_response(self, data, response):
        if not response:
            return "(no answer)"
        choices = self._choices(data)
        return "; ".join(
            f"{p['left']} → {choices[response[str(i)]] if str(i) in response else '(none)'}"
            for i, p in enumerate(data["pairs"])
        )

    def describe_correct(self, data):
        return "; ".join(f"{p['left']} → {p['right']}" for p in data["pairs"])
