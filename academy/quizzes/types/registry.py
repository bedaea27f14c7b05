"""The one place question types are registered. A new type: write its file, add it here."""

from __future__ import annotations

from academy.quizzes.types.base import QuestionType
from academy.quizzes.types.case_study import CaseStudy
from academy.quizzes.types.choice import MultipleResponse, SingleChoice
from academy.quizzes.types.laser_parameter import LaserParameter
from academy.quizzes.types.matching import Matching
from academy.quizzes.types.numeric import Numeric
from academy.quizzes.types.ordering import Ordering
from academy.quizzes.types.true_false import TrueFalse
from academy.quizzes.types.written import WrittenAnswer

QUESTION_TYPES: dict[str, QuestionType] = {}


def register(question_type: QuestionType) -> QuestionType:
    QUESTION_TYPES[question_type.name] = question_type
    return question_type


for _type in (
    SingleChoice(),
    MultipleResponse(),
    TrueFalse(),
    Numeric(),
    Matching(),
    Ordering(),
    WrittenAnswer(),
):
    register(_type)
register(CaseStudy(QUESTION_TYPES))
register(LaserParameter())


def question_type(name: str) -> QuestionType | None:
    """The registered type, or None: an unknown type degrades, it does not crash a page."""
    return QUESTION_TYPES.get(name)
