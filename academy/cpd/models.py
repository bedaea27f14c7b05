"""The CPD record: academy activities counted once each, and the trainee's external CPD."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import User
from academy.clock import now
from academy.extensions import db


class Activity:
    MODULE = "module"
    QUIZ = "quiz"
    CASE_ASSESSMENT = "case_assessment"
    EXTERNAL = "external"

    ACADEMY = (MODULE, QUIZ, CASE_ASSESSMENT)
    LABELS = {
        MODULE: "Academy module",
        QUIZ: "Academy quiz",
        CASE_ASSESSMENT: "Case assessment",
        EXTERNAL: "External CPD",
    }


class CpdEntry(db.Model):
    """One completed academy activity; the unique key makes a repeat completion a no-op."""

    __tablename__ = "cpd_entries"
    __table_args__ = (sa.UniqueConstraint("user_id", "activity", "reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    activity: Mapped[str] = mapped_column(sa.String(20))
    reference: Mapped[str] = mapped_column(sa.String(120))
    title: Mapped[str] = mapped_column(sa.String(200))
    hours: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2))
    completed_at: Mapped[datetime]
    evidence_url: Mapped[str | None] = mapped_column(sa.String(300))
    recorded_at: Mapped[datetime] = mapped_column(default=now)


class ExternalStatus:
    PENDING = "pending"
    VERIFIED = "verified"
    QUERIED = "queried"

    LABELS = {PENDING: "Not yet reviewed", VERIFIED: "Verified", QUERIED: "Queried by a tutor"}


class ExternalActivity(db.Model):
    """CPD done outside the academy, recorded as the HCPC and NMC ask of a CPD record."""

    __tablename__ = "cpd_external_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    provider: Mapped[str] = mapped_column(sa.String(200))
    method: Mapped[str] = mapped_column(sa.String(40))
    start_date: Mapped[date]
    end_date: Mapped[date]
    hours: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2))
    participatory_hours: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2))
    relevance: Mapped[str] = mapped_column(sa.Text)
    learned: Mapped[str] = mapped_column(sa.Text)
    practice_change: Mapped[str] = mapped_column(sa.Text)
    client_benefit: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(20), default=ExternalStatus.PENDING)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    review_note: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    evidence: Mapped[list[EvidenceFile]] = relationship(
        back_populates="activity", order_by="EvidenceFile.id", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return ExternalStatus.LABELS[self.status]


class EvidenceFile(db.Model):
    """A certificate of attendance, a photo or a PDF kept as evidence of an external activity."""

    __tablename__ = "cpd_evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cpd_external_activities.id"), index=True
    )
    original_name: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(80))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    storage_key: Mapped[str] = mapped_column(sa.String(200))
    uploaded_at: Mapped[datetime] = mapped_column(default=now)

    activity: Mapped[ExternalActivity] = relationship(back_populates="evidence")
