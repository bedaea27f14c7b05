"""Quizzes, versioned questions, attempts and the answers saved in them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.clock import now
from academy.extensions import db


class Question(db.Model):
    """A question as identified in the banks; its content lives in versions."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    bank: Mapped[str] = mapped_column(sa.String(80))
    pool: Mapped[str] = mapped_column(sa.String(161), index=True)
    type: Mapped[str] = mapped_column(sa.String(40))
    lesson_ref: Mapped[str] = mapped_column(sa.String(161))
    position: Mapped[int] = mapped_column(default=0)
    current_version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("question_versions.id", use_alter=True)
    )
    retired_at: Mapped[datetime | None]

    current_version: Mapped[QuestionVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )


class QuestionVersion(db.Model):
    """One version of a question's content, kept for ever: attempts point at it."""

    __tablename__ = "question_versions"
    __table_args__ = (sa.UniqueConstraint("question_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id"), index=True)
    version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    data: Mapped[dict] = mapped_column(sa.JSON)
    points: Mapped[Decimal] = mapped_column(sa.Numeric(7, 2))
    created_at: Mapped[datetime] = mapped_column(default=now)

    question: Mapped[Question] = relationship(foreign_keys=[question_id])


class Quiz(db.Model):
    __tablename__ = "quizzes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    module_slug: Mapped[str | None] = mapped_column(sa.String(80), index=True)
    intro: Mapped[str] = mapped_column(sa.Text, default="")
    draw: Mapped[list] = mapped_column(sa.JSON)
    time_limit_minutes: Mapped[int | None]
    attempts_allowed: Mapped[int | None]
    pass_mark_percent: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2))
    grading_method: Mapped[str] = mapped_column(sa.String(20))
    wait_minutes: Mapped[int] = mapped_column(default=0)
    shuffle_questions: Mapped[bool] = mapped_column(default=True)
    shuffle_options: Mapped[bool] = mapped_column(default=True)
    review: Mapped[dict] = mapped_column(sa.JSON)
    closes_at: Mapped[datetime | None]
    # CPD hours a pass earns; 0 for module quizzes, whose hours the module completion counts.
    cpd_hours: Mapped[Decimal] = mapped_column(
        sa.Numeric(6, 2), default=Decimal(0), server_default="0"
    )
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    revised_at: Mapped[datetime] = mapped_column(default=now)
    retired_at: Mapped[datetime | None]

    @property
    def question_count(self) -> int:
        return sum(int(d["count"]) for d in self.draw)


class AttemptState:
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"  # being graded: a moment only, inside the submitting request
    AWAITING_GRADING = "awaiting_grading"
    FINISHED = "finished"

    LABELS = {
        IN_PROGRESS: "In progress",
        SUBMITTED: "Submitted",
        AWAITING_GRADING: "Waiting for a tutor's mark",
        FINISHED: "Finished",
    }


class Attempt(db.Model):
    __tablename__ = "quiz_attempts"
    __table_args__ = (sa.UniqueConstraint("quiz_id", "user_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quizzes.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    number: Mapped[int]
    state: Mapped[str] = mapped_column(sa.String(20), default=AttemptState.IN_PROGRESS, index=True)
    seed: Mapped[int] = mapped_column(sa.BigInteger)
    started_at: Mapped[datetime] = mapped_column(default=now)
    deadline_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    overdue: Mapped[bool] = mapped_column(default=False)
    score: Mapped[Decimal | None] = mapped_column(sa.Numeric(9, 3))
    max_score: Mapped[Decimal] = mapped_column(sa.Numeric(9, 3), default=0)
    percent: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 2))
    passed: Mapped[bool | None]

    quiz: Mapped[Quiz] = relationship()
    slots: Mapped[list[AttemptQuestion]] = relationship(
        back_populates="attempt", order_by="AttemptQuestion.position"
    )

    @property
    def state_label(self) -> str:
        return AttemptState.LABELS[self.state]


class AttemptQuestion(db.Model):
    """A question as given in one attempt: pinned to a version, with its presentation order."""

    __tablename__ = "attempt_questions"
    __table_args__ = (sa.UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz_attempts.id"), index=True)
    position: Mapped[int]
    question_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question_versions.id"), index=True
    )
    layout: Mapped[dict] = mapped_column(sa.JSON)
    max_points: Mapped[Decimal] = mapped_column(sa.Numeric(7, 2))
    fraction: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 5))
    feedback: Mapped[dict | None] = mapped_column(sa.JSON)
    needs_marking: Mapped[bool] = mapped_column(default=False)
    marked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    marked_at: Mapped[datetime | None]
    tutor_comment: Mapped[str | None] = mapped_column(sa.Text)

    attempt: Mapped[Attempt] = relationship(back_populates="slots")
    version: Mapped[QuestionVersion] = relationship()
    answer: Mapped[SavedAnswer | None] = relationship(uselist=False, back_populates="slot")

    @property
    def score(self) -> Decimal | None:
        return None if self.fraction is None else self.fraction * self.max_points


class SavedAnswer(db.Model):
    """The latest response to a question in an attempt; a save with a lower sequence loses."""

    __tablename__ = "saved_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("attempt_questions.id"), unique=True
    )
    response: Mapped[dict | list | str | int | None] = mapped_column(sa.JSON)
    sequence: Mapped[int] = mapped_column(sa.BigInteger)
    saved_at: Mapped[datetime] = mapped_column(default=now)

    slot: Mapped[AttemptQuestion] = relationship(back_populates="answer")
