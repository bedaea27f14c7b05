"""Case assessments (from files), trainees' submissions and their versions, and tutors' marks."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import User
from academy.clock import now
from academy.extensions import db


class CaseAssessment(db.Model):
    """A client case with tasks and a rubric, as last loaded from quizzes/cases/."""

    __tablename__ = "case_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    group: Mapped[str] = mapped_column(sa.String(40))
    modules: Mapped[list] = mapped_column(sa.JSON)
    cpd_hours: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2))
    summary: Mapped[str] = mapped_column(sa.Text)
    client: Mapped[dict] = mapped_column(sa.JSON)
    tasks: Mapped[list] = mapped_column(sa.JSON)
    rubric: Mapped[dict] = mapped_column(sa.JSON)
    model_answer: Mapped[str] = mapped_column(sa.Text)
    marking_notes: Mapped[str] = mapped_column(sa.Text, default="")
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    revised_at: Mapped[datetime] = mapped_column(default=now)
    retired_at: Mapped[datetime | None]


class Submission(db.Model):
    """One trainee's work on one case: its versions, its state, and its marks."""

    __tablename__ = "submissions"
    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "trainee_id"),
        # The marking queue asks for a tutor's trainees' plans in given states.
        sa.Index("ix_submissions_state_trainee_id", "state", "trainee_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("case_assessments.id"), index=True)
    trainee_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    state: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    submitted_at: Mapped[datetime | None]
    released_at: Mapped[datetime | None]
    moderation: Mapped[str | None] = mapped_column(sa.String(20))

    assessment: Mapped[CaseAssessment] = relationship()
    trainee: Mapped[User] = relationship()
    versions: Mapped[list[SubmissionVersion]] = relationship(
        back_populates="submission", order_by="SubmissionVersion.number"
    )
    marks: Mapped[list[Mark]] = relationship(back_populates="submission", order_by="Mark.id")

    @property
    def latest(self) -> SubmissionVersion:
        return self.versions[-1]


class SubmissionVersion(db.Model):
    """What the trainee wrote, one version per (re)submission; earlier versions are kept."""

    __tablename__ = "submission_versions"
    __table_args__ = (sa.UniqueConstraint("submission_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id"), index=True)
    number: Mapped[int]
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    sequence: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(default=now)
    saved_at: Mapped[datetime] = mapped_column(default=now)
    submitted_at: Mapped[datetime | None]

    submission: Mapped[Submission] = relationship(back_populates="versions")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="version", order_by="Attachment.id"
    )


class Attachment(db.Model):
    """A file attached to a version: stored outside the web root, served only to those allowed."""

    __tablename__ = "submission_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("submission_versions.id"), index=True)
    original_name: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(80))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    storage_key: Mapped[str] = mapped_column(sa.String(200))
    uploaded_at: Mapped[datetime] = mapped_column(default=now)

    version: Mapped[SubmissionVersion] = relationship(back_populates="attachments")


class Mark(db.Model):
    """A marker's rubric selections for one version; ``lock_version`` refuses lost updates."""

    __tablename__ = "marks"
    __table_args__ = (sa.UniqueConstraint("submission_id", "version_number", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id"), index=True)
    version_number: Mapped[int]
    role: Mapped[str] = mapped_column(sa.String(10))  # first | second | agreed
    marker_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(sa.String(10), default="draft")  # draft | final
    selections: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    overall_feedback: Mapped[str] = mapped_column(sa.Text, default="")
    outcome: Mapped[str | None] = mapped_column(sa.String(10))  # pass | refer | return
    total: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    maximum: Mapped[Decimal] = mapped_column(sa.Numeric(8, 2))
    rubric: Mapped[dict] = mapped_column(sa.JSON)
    lock_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)

    submission: Mapped[Submission] = relationship(back_populates="marks")
    marker: Mapped[User | None] = relationship()


class MarkingPresence(db.Model):
    """Who has a submission open for marking, so a second tutor sees they are not alone."""

    __tablename__ = "marking_presence"
    __table_args__ = (sa.UniqueConstraint("submission_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    seen_at: Mapped[datetime] = mapped_column(default=now)

    user: Mapped[User] = relationship()


class Notification(db.Model):
    """An in-app message: work submitted, returned, released."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    message: Mapped[str] = mapped_column(sa.String(300))
    url: Mapped[str] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(default=now)
    read_at: Mapped[datetime | None]
