"""A small academy with something of everything, for posting hostile values at every form.

Built straight through the services (not the pages), in a second or less: users of each
role, a cohort with an invite, a course with quizzes (an attempt in progress, another
trainee's attempt, a written answer awaiting a tutor), a case assessment (a draft with an
attachment, another trainee's plan marked and awaiting release), a saved simulator run,
external CPD and a certificate.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from academy import clock
from academy.auth.models import Role, User
from academy.auth.tokens import make_reset_token
from academy.catalogue.loader import load_courses
from academy.catalogue.models import Module
from academy.certificates import services as certificates
from academy.cohorts import services as cohorts
from academy.cpd import services as cpd
from academy.extensions import db
from academy.grading import services as grading
from academy.grading.loader import apply_cases, parse_cases
from academy.quizzes import attempts as rules
from academy.quizzes import services as quizzes
from academy.quizzes.loader import load_quizzes
from academy.quizzes.models import Quiz
from academy.simulator import services as simulator
from academy.storage import storage_for
from tests.catalogue.conftest import CourseTree
from tests.grading.conftest import CASE, RUN_PARAMS
from tests.grading.conftest import MODULES as CASE_MODULES
from tests.helpers import DEFAULT_PASSWORD_HASH
from tests.quizzes.conftest import LESSONS, MODULES, QuizFiles

WRITTEN_QUIZ = """\
slug: written-quiz
title: Written quiz
draw:
  - {pool: sample/written, count: 1}
attempts_allowed: 3
pass_mark_percent: 50
grading_method: highest
review: {marks: immediately, correct_answers: immediately, feedback: immediately}
"""

# The smallest valid PNG: a 1x1 transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)
STRONG_PASSWORD = "pendle-witches-walk-past-the-cotton-mill"


@dataclass
class Person:
    id: int
    email: str


@dataclass
class World:
    admin: Person
    tutor: Person
    tutor2: Person
    trainee: Person
    peer: Person
    victim: Person
    cohort_id: int
    invite_id: int
    invite_code: str
    quiz_slug: str
    attempt_id: int
    slot_ids: list[int]
    slot_types: dict[int, str]
    peer_attempt_id: int
    peer_slot_ids: list[int]
    written_slot_id: int
    question_keys: list[str]
    module_slug: str
    lesson_slug: str
    case_slug: str
    task_keys: list[str]
    criteria: list[str]
    submission_id: int
    peer_submission_id: int
    run_id: int
    attachment_id: int
    activity_id: int
    doomed_activity_id: int
    certificate_id: int
    reset_token: str
    extra: dict = field(default_factory=dict)


def _user(role: Role, email: str, name: str) -> User:
    user = User(email=email, full_name=name, password_hash=DEFAULT_PASSWORD_HASH, role=role)
    db.session.add(user)
    db.session.flush()
    return user


def _person(user: User) -> Person:
    return Person(user.id, user.email)


def _external_values(title: str) -> dict:
    today = clock.now().date()
    return {
        "title": title,
        "provider": "Rossendale Laser Society",
        "method": next(iter(cpd.METHODS)),
        "start_date": today,
        "end_date": today,
        "hours": "2.5",
        "participatory_hours": "1",
        "relevance": "Safety.",
        "learned": "Eyewear.",
        "practice_change": "Check OD.",
        "client_benefit": "Safer eyes.",
    }


def build_world(app, root: Path) -> World:
    """Fill the (empty) test database; ``root`` is a scratch folder for content files."""
    tree = CourseTree(root / "courses")
    tree.module("01-physics", slug="physics", order=1, cpd_hours=2.5)
    tree.lesson("01-physics", "01-light.md", "light")
    tree.lesson("01-physics", "02-pulses.md", "pulses")
    tree.module("02-safety", slug="safety", order=2, cpd_hours=1.5)
    tree.lesson("02-safety", "01-eyes.md", "eyes")
    files = QuizFiles(root / "quizzes")
    files.quiz(textwrap.dedent(WRITTEN_QUIZ), name="written-quiz")
    case_dir = root / "cases"
    (case_dir / "figures").mkdir(parents=True)
    (case_dir / "dense-carbon.yaml").write_text(textwrap.dedent(CASE))

    with app.app_context():
        load_courses(tree.root)
        load_quizzes(files.root, LESSONS, MODULES)
        apply_cases(parse_cases(case_dir, CASE_MODULES))
        moment = clock.now()

        admin = _user(Role.ADMIN, "admin@academy.example.com", "Alex Admin")
        tutor = _user(Role.TUTOR, "tutor@academy.example.com", "Tara Tutor")
        tutor2 = _user(Role.TUTOR, "tutor2@academy.example.com", "Tom Tutor")
        trainee = _user(Role.TRAINEE, "trainee@academy.example.com", "Sam Trainee")
        peer = _user(Role.TRAINEE, "peer@academy.example.com", "Priya Peer")
        victim = _user(Role.TRAINEE, "victim@academy.example.com", "Vic Victim")

        cohort = cohorts.create_cohort("Rossendale weekday", "Weekdays.", lead_tutor=tutor)
        for person in (trainee, peer, victim):
            cohorts.add_trainee(cohort, person.email)
        invite = cohorts.create_invite(cohort, admin, valid_days=30, max_uses=None)

        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "sample-quiz"))
        attempt = rules.start_attempt(quiz, trainee.id, moment, seed=7)
        peer_attempt = rules.start_attempt(quiz, peer.id, moment, seed=8)
        written = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "written-quiz"))
        written_attempt = rules.start_attempt(written, peer.id, moment, seed=9)
        rules.save_answer(written_attempt.slots[0], "Consent first.", 1, moment)
        quizzes.submit_attempt(written_attempt, peer, moment)

        assessment = grading.assessment_by_slug("dense-carbon")
        submission = grading.start(assessment, trainee, moment)
        run = simulator.save_run(trainee.id, "Type V plan", RUN_PARAMS)
        storage = storage_for(app.config, app.instance_path)
        attachment = grading.add_attachment(
            submission, storage, io.BytesIO(PNG), "scan.png", moment
        )
        peer_submission = grading.start(assessment, peer, moment)
        peer_run = simulator.save_run(peer.id, "Peer plan", RUN_PARAMS)
        plan = {
            "task-method-method": "laser",
            "task-method-text": "1064 nm.",
            "task-parameters-run": str(peer_run.id),
            "task-parameters-text": "Low fluence.",
            "task-schedule-sessions": "7",
            "task-schedule-interval_weeks": "8",
            "task-schedule-wait_weeks": "12",
            "task-schedule-text": "Long intervals.",
            "task-aftercare-text": "SPF 30.",
        }
        from werkzeug.datastructures import MultiDict

        runs = {peer_run.id: {"id": peer_run.id, "title": peer_run.title,
                              "params": peer_run.params, "summary": peer_run.summary,
                              "saved_at": moment.isoformat()}}  # fmt: skip
        answers = grading.clean_answers(assessment, MultiDict(plan), runs)
        grading.save_draft(peer_submission, answers, 1, moment)
        grading.submit(peer_submission, peer, moment)
        criteria = [c["key"] for c in assessment.rubric["criteria"]]
        grading.save_mark(
            peer_submission,
            tutor,
            role="first",
            expected_lock=0,
            raw_selections={key: {"level": "1", "comment": "Fine."} for key in criteria},
            overall_feedback="Sound plan.",
            outcome="pass",
            finalise=True,
            moment=moment,
        )

        activity, _ = cpd.save_external(
            trainee.id, cpd.ExternalChange(_external_values("Eye safety update")), moment
        )
        doomed, _ = cpd.save_external(
            trainee.id, cpd.ExternalChange(_external_values("To be deleted")), moment
        )
        module = db.session.scalar(sa.select(Module).where(Module.slug == "physics"))
        certificate = certificates.issue_attendance(admin, trainee, module, moment)
        db.session.commit()

        question_keys = sorted({slot.version.question.key for slot in attempt.slots})
        return World(
            admin=_person(admin),
            tutor=_person(tutor),
            tutor2=_person(tutor2),
            trainee=_person(trainee),
            peer=_person(peer),
            victim=_person(victim),
            cohort_id=cohort.id,
            invite_id=invite.id,
            invite_code=invite.code,
            quiz_slug=quiz.slug,
            attempt_id=attempt.id,
            slot_ids=[slot.id for slot in attempt.slots],
            slot_types={slot.id: slot.version.data["type"] for slot in attempt.slots},
            peer_attempt_id=peer_attempt.id,
            peer_slot_ids=[slot.id for slot in peer_attempt.slots],
            written_slot_id=written_attempt.slots[0].id,
            question_keys=question_keys,
            module_slug="physics",
            lesson_slug="light",
            case_slug=assessment.slug,
            task_keys=[task["key"] for task in assessment.tasks],
            criteria=criteria,
            submission_id=submission.id,
            peer_submission_id=peer_submission.id,
            run_id=run.id,
            attachment_id=attachment.id,
            activity_id=activity.id,
            doomed_activity_id=doomed.id,
            certificate_id=certificate.id,
            reset_token=make_reset_token(victim),
            extra={"peer_run_id": peer_run.id},
        )
