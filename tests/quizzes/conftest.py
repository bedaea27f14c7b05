"""A small quiz with one question of every type, loaded from files like the real banks."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

from academy.extensions import db
from academy.quizzes.loader import load_quizzes
from academy.quizzes.models import Quiz

LESSONS = {"physics/light", "physics/pulses", "safety/eyes"}
MODULES = {"physics", "safety"}

BANK = """\
bank: sample
title: Sample bank
pools:
  - slug: mixed
    title: One of each
    questions:
      - id: s-choice
        type: single_choice
        lesson: physics/light
        text: Which chromophore competes most at 532 nm?
        options:
          - text: Melanin
            correct: true
            feedback: MELANIN-OPTION-FEEDBACK
          - text: Water
            feedback: WATER-OPTION-FEEDBACK
          - text: Fat
        feedback: GENERAL-FEEDBACK-CHOICE
      - id: s-multi
        type: multiple_response
        lesson: physics/light
        text: Which lasers are Q-switched?
        options:
          - {text: Nd:YAG 1064 nm, correct: true}
          - {text: Ruby 694 nm, correct: true}
          - {text: CO2 10600 nm}
          - {text: Diode 810 nm continuous}
        feedback: GENERAL-FEEDBACK-MULTI
      - id: s-tf
        type: true_false
        lesson: safety/eyes
        text: Eyewear for 532 nm protects at 1064 nm.
        answer: false
        feedback: GENERAL-FEEDBACK-TF
      - id: s-fluence
        type: numeric
        lesson: physics/pulses
        text: The spot is 4 mm and the pulse energy 400 mJ. What is the fluence?
        answer: 3.183
        unit: J/cm²
        tolerance: {relative: 0.02}
        feedback: GENERAL-FEEDBACK-NUMERIC
      - id: s-match
        type: matching
        lesson: physics/light
        text: Match each wavelength to its main use.
        pairs:
          - {left: 1064 nm, right: Carbon pigment on darker skin}
          - {left: 532 nm, right: Residual red tones}
          - {left: 755 nm, right: Stubborn multi-tonal pigment}
        distractors: [Hair removal only]
        feedback: GENERAL-FEEDBACK-MATCH
      - id: s-order
        type: ordering
        lesson: safety/eyes
        text: Put the patch-test steps in order.
        items: [Consent, Test spot, Wait and review, Decide the plan]
        feedback: GENERAL-FEEDBACK-ORDER
  - slug: cases
    title: Cases
    questions:
      - id: s-case
        type: case_study
        lesson: safety/eyes
        title: Type V client
        text: Marcus, 34, Fitzpatrick type V, dense carbon SMP.
        feedback: GENERAL-FEEDBACK-CASE
        questions:
          - id: s-case-a
            type: single_choice
            lesson: physics/light
            text: Which wavelength?
            options:
              - {text: 1064 nm, correct: true}
              - {text: 532 nm}
            feedback: CASE-PART-A-FEEDBACK
          - id: s-case-b
            type: numeric
            lesson: physics/pulses
            points: 2
            text: How many weeks at least between sessions?
            answer: 6
            unit: weeks
            tolerance: {absolute: 2}
            feedback: CASE-PART-B-FEEDBACK
  - slug: written
    title: Written
    questions:
      - id: s-written
        type: written_answer
        lesson: safety/eyes
        text: Explain the consent conversation.
        model_answer: MODEL-ANSWER-TEXT
        marking_notes: MARKING-NOTES-TEXT
"""

QUIZ = """\
slug: sample-quiz
title: Sample quiz
module: physics
draw:
  - {pool: sample/mixed, count: 6}
  - {pool: sample/cases, count: 1}
time_limit_minutes: 30
attempts_allowed: 2
pass_mark_percent: 60
grading_method: highest
wait_between_attempts_minutes: 10
shuffle_questions: true
shuffle_options: true
review: {marks: immediately, correct_answers: immediately, feedback: immediately}
"""


class QuizFiles:
    def __init__(self, root: Path):
        self.root = root
        (root / "banks").mkdir(parents=True)
        (root / "definitions").mkdir()
        self.bank(BANK)
        self.quiz(QUIZ)

    def bank(self, text: str, name: str = "sample") -> Path:
        path = self.root / "banks" / f"{name}.yaml"
        path.write_text(textwrap.dedent(text))
        return path

    def quiz(self, text: str, name: str = "sample-quiz") -> Path:
        path = self.root / "definitions" / f"{name}.yaml"
        path.write_text(textwrap.dedent(text))
        return path

    def edit(self, old: str, new: str, name: str = "sample") -> None:
        path = self.root / "banks" / f"{name}.yaml"
        path.write_text(path.read_text().replace(old, new))


@pytest.fixture
def quiz_files(tmp_path) -> QuizFiles:
    return QuizFiles(tmp_path / "quizzes")


def load(app, files: QuizFiles):
    with app.app_context():
        report = load_quizzes(files.root, LESSONS, MODULES)
        db.session.commit()
        return report


@pytest.fixture
def sample_quiz(app, quiz_files) -> int:
    """The sample quiz loaded; returns its id."""
    load(app, quiz_files)
    with app.app_context():
        return db.session.scalar(sa.select(Quiz.id).where(Quiz.slug == "sample-quiz"))
