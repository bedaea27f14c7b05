"""Two tutors saving the same mark at the same moment: exactly one succeeds, the other is told."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from academy.auth.models import User
from academy.clock import now
from academy.extensions import db
from academy.grading import services
from academy.grading.models import Mark, Submission
from tests.grading.test_flow import submit_plan


def test_simultaneous_saves_one_wins(app, case, cohort, saved_run, trainee_client, tutor, admin):
    submit_plan(trainee_client, saved_run)
    with app.app_context():
        submission = db.session.scalar(sa.select(Submission))
        services.save_mark(
            submission,
            db.session.get(User, tutor.id),
            role="first",
            expected_lock=0,
            raw_selections={},
            overall_feedback="start",
            outcome=None,
            finalise=False,
            moment=now(),
        )
        db.session.commit()
        submission_id = submission.id
    outcomes, barrier = [], threading.Barrier(2)

    def save_as(user_id: int, words: str):
        with app.app_context():
            submission = db.session.get(Submission, submission_id)
            user = db.session.get(User, user_id)
            barrier.wait()
            try:
                services.save_mark(
                    submission,
                    user,
                    role="first",
                    expected_lock=1,
                    raw_selections={},
                    overall_feedback=words,
                    outcome=None,
                    finalise=False,
                    moment=now(),
                )
                db.session.commit()
                outcomes.append(("saved", words))
            except services.MarkConflict as error:
                db.session.rollback()
                outcomes.append(("refused", str(error)))
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=save_as, args=(tutor.id, "tutor's words")),
        threading.Thread(target=save_as, args=(admin.id, "admin's words")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(kind for kind, _ in outcomes) == ["refused", "saved"]
    winner = next(words for kind, words in outcomes if kind == "saved")
    refusal = next(message for kind, message in outcomes if kind == "refused")
    assert "since you opened it" in refusal
    with app.app_context():
        mark = db.session.scalar(sa.select(Mark))
        assert mark.overall_feedback == winner and mark.lock_version == 2
