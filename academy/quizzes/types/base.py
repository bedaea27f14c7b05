"""What every question type provides: its YAML schema, presentation, reading and grading.

Types work on plain data (the question's YAML as a dict, and a response made of plain
values), never on a request, so they can be tested and reused anywhere. A question's
``data`` holds the correct answers; ``present`` returns only what a trainee may see while
answering, and is the only thing the attempt page is given.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from academy.contentfiles import FieldChecker

COMMON_FIELDS = {"id", "type", "lesson", "text", "feedback", "points", "title"}


@dataclass
class Grade:
    """A mark as a fraction of the question's points, with feedback on this response."""

    fraction: float
    feedback: list[str] = field(default_factory=list)
    parts: list[dict] = field(default_factory=list)  # per sub-question, for case studies
    pending: bool = False  # waiting for a tutor's mark (written answers)

    def __post_init__(self):
        self.fraction = min(1.0, max(0.0, float(self.fraction)))


class QuestionType(ABC):
    """Base class for question types; subclasses register themselves in ``registry``."""

    name = ""
    label = ""
    auto_graded = True
    fields: set[str] = set()  # type-specific YAML fields
    required: set[str] = set()
    default_points = 1
    requires_feedback = True  # general feedback that teaches; a model answer can stand in

    # --- the YAML schema -------------------------------------------------------------
    def validate(self, check: FieldChecker) -> None:  # noqa: B027 (optional: not every type has fields)
        """Report every mistake in the question's type-specific fields."""

    # --- presentation ------------------------------------------------------------------
    def layout(self, data: dict, rng: random.Random, shuffle: bool) -> dict:
        """Per-attempt presentation state (such as an option order), fixed by the seed."""
        return {}

    def present(self, data: dict, layout: dict) -> dict:
        """What the trainee may see while answering: never the answers or the feedback."""
        return {}

    # --- responses ---------------------------------------------------------------------
    def read(self, form, name: str, data: dict, layout: dict) -> Any:
        """Turn submitted form values (a MultiDict) into a plain response, or None if empty."""
        return None

    @abstractmethod
    def grade(self, data: dict, response: Any) -> Grade:
        """Mark a response: a fraction from 0 to 1 and feedback on what was answered."""

    def describe_response(self, data: dict, response: Any) -> str:
        """The trainee's answer in words, for the review and for tutors."""
        return "" if response is None else str(response)

    def describe_correct(self, data: dict) -> str:
        """The right answer in words, for the review (when the quiz allows it)."""
        return ""


def shuffled(items: list, rng: random.Random, shuffle: bool) -> list:
    order = list(items)
    if shuffle:
        rng.shuffle(order)
    return order
