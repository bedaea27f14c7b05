"""Ordering: put the steps in the right order; partial credit for the longest correct run."""

from __future__ import annotations

from bisect import bisect_left

from academy.quizzes.types.base import Grade, QuestionType
from academy.security.input import whole_number


def longest_ordered_run(positions: list[int]) -> int:
    """Length of the longest increasing subsequence: items already in the right order."""
    tails: list[int] = []
    for value in positions:
        index = bisect_left(tails, value)
        if index == len(tails):
            tails.append(value)
        else:
            tails[index] = value
    return len(tails)


class Ordering(QuestionType):
    name = "ordering"
    label = "Ordering"
    fields = {"items"}
    required = {"items"}

    def validate(self, check):
        items = check.data.get("items")
        if not isinstance(items, list) or not 3 <= len(items) <= 10:
            check.error("'items' must be a list of 3 to 10 steps in the right order", "items")
        elif len({str(i) for i in items}) != len(items):
            check.error("the steps must all be different", "items")

    def layout(self, data, rng, shuffle):
        order = list(range(len(data["items"])))
        # Always shown out of order: the right order on screen would give the answer away.
        while order == sorted(order):
            rng.shuffle(order)
        return {"order": order}

    def present(self, data, layout):
        count = len(data["items"])
        return {
            "items": [{"value": str(i), "text": str(data["items"][i])} for i in layout["order"]],
            "positions": list(range(1, count + 1)),
        }

    def read(self, form, name, data, layout):
        """Each step gets a position number; the response lists item indexes in that order."""
        count, placed = len(data["items"]), {}
        for i in range(count):
            number = whole_number(form.get(f"{name}-{i}", ""), low=1, high=count)
            if number is not None:
                placed[i] = number
        if not placed:
            return None
        return {"positions": {str(i): p for i, p in placed.items()}}

    def grade(self, data, response):
        if not response or not response.get("positions"):
            return Grade(0, ["No answer was given."])
        positions = response["positions"]
        count = len(data["items"])
        if len(positions) < count or len(set(positions.values())) < count:
            note = "Give every step a different position."
        else:
            note = ""
        ranked = sorted(positions, key=lambda i: (positions[i], int(i)))
        run = longest_ordered_run([int(i) for i in ranked])
        feedback = [f"{run} of {count} steps are in the right order relative to each other."]
        return Grade(
            run / count if not note else min(run, len(set(positions.values()))) / count,
            [note, *feedback] if note else feedback,
        )

    def describe_response(self, data, response):
        if not response or not response.get("positions"):
            return "(no answer)"
        positions = response["positions"]
        ranked = sorted(positions, key=lambda i: (positions[i], int(i)))
        return " → ".join(str(data["items"][int(i)]) for i in ranked)

    def describe_correct(self, data):
        return " → ".join(str(item) for item in data["items"])
