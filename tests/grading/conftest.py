"""A small case assessment, a trainee in a tutor's cohort, and helpers to drive a submission."""

from __future__ import annotations

import textwrap

import pytest
import sqlalchemy as sa

from academy.auth.models import Role, User
from academy.cohorts import services as cohorts
from academy.extensions import db
from academy.grading.loader import apply_cases, parse_cases
from academy.grading.models import Submission

MODULES = {"laser-physics", "skin-typing"}

CASE = """\
slug: dense-carbon
title: Dense carbon on type V skin
group: skin-typing
modules: [skin-typing]
cpd_hours: 2.5
summary: A type V client who wants dense carbon SMP removed.
client:
  name: Marcus
  age: 34
  fitzpatrick_type: 5
  pigment_type: carbon
  pigment_density: dense
  pigment_age_years: 6
  history: |
    Healthy, no medication.
  goal: |
    Full removal before a new, softer design.
tasks:
  - key: method
    kind: method
    title: Method and why
    prompt: Which method, and why?
  - key: parameters
    kind: laser_plan
    title: Laser parameters
    prompt: Attach your simulator run.
  - key: schedule
    kind: schedule
    title: Sessions and intervals
    prompt: How many sessions, how far apart, and how long before new SMP?
  - key: aftercare
    kind: text
    title: Aftercare
    prompt: What aftercare do you give?
rubric:
  pass_percent: 60
  criteria:
    - key: safety
      title: Safety for this skin type
      levels:
        - {points: 0, label: Unsafe, descriptor: Uses 532 nm or high fluence.}
        - {points: 2, label: Adequate, descriptor: 1064 nm at moderate fluence.}
        - {points: 4, label: Strong, descriptor: "1064 nm, low fluence, large spot, test patch."}
    - key: schedule
      title: Schedule
      levels:
        - {points: 0, label: Too short, descriptor: Intervals under four weeks.}
        - {points: 2, label: Sound, descriptor: Six to eight weeks.}
        - {points: 4, label: Justified, descriptor: "Eight weeks or more, justified for type V."}
    - key: aftercare
      title: Aftercare
      levels:
        - {points: 0, label: Missing, descriptor: None given.}
        - {points: 1, label: Partial, descriptor: Some points.}
        - {points: 2, label: Complete, descriptor: "Sun, hygiene, review."}
    - key: expectations
      title: Expectations
      levels:
        - {points: 0, label: Missing, descriptor: Not addressed.}
        - {points: 1, label: Partial, descriptor: Mentions sessions.}
        - {points: 2, label: Honest, descriptor: Ghosting and range of sessions.}
model_answer: |
  MODEL-ANSWER for tutors.
marking_notes: |
  MARKING-NOTES for tutors.
"""

RUN_PARAMS = {
    "wavelength_nm": "1064",
    "pulse_duration_ns": "6",
    "fluence_j_cm2": "2.5",
    "spot_diameter_mm": "5",
    "fitzpatrick_type": "5",
    "pigment_type": "carbon",
    "pigment_density": "dense",
}

PLAN = {
    "task-method-method": "laser",
    "task-method-text": "1064 nm <script>alert(1)</script> to spare melanin.",
    "task-schedule-sessions": "7",
    "task-schedule-interval_weeks": "8",
    "task-schedule-wait_weeks": "12",
    "task-schedule-text": "Long intervals for type V.",
    "task-aftercare-text": "SPF 30, keep clean, review.",
    "task-parameters-text": "Low fluence, large spot.",
}


@pytest.fixture
def case_dir(tmp_path):
    root = tmp_path / "quizzes" / "cases"
    (root / "figures").mkdir(parents=True)
    (root / "dense-carbon.yaml").write_text(textwrap.dedent(CASE))
    return root


@pytest.fixture
def case(app, case_dir):
    with app.app_context():
        apply_cases(parse_cases(case_dir, MODULES))
        db.session.commit()
    return "dense-carbon"


@pytest.fixture
def cohort(app, trainee, tutor):
    """The trainee is in a cohort that the tutor leads."""
    with app.app_context():
        group = cohorts.create_cohort(
            "Rossendale weekday", lead_tutor=db.session.get(User, tutor.id)
        )
        cohorts.add_trainee(group, trainee.email)
        db.session.commit()
        return group.id


@pytest.fixture
def saved_run(app, trainee):
    from academy.simulator.services import save_run

    with app.app_context():
        run = save_run(trainee.id, "Type V plan", RUN_PARAMS)
        db.session.commit()
        return run.id


def submission_id(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Submission.id))


def state(app) -> str:
    with app.app_context():
        return db.session.scalar(sa.select(Submission.state))


@pytest.fixture
def other_tutor(make_user):
    return make_user(Role.TUTOR)
