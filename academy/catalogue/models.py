"""Modules and lessons loaded from courses/, and each trainee's record of what they have read."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.clock import now
from academy.extensions import db


class Module(db.Model):
    """A module as last loaded; retired (never deleted) when its folder disappears."""

    __tablename__ = "modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    folder: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text)
    position: Mapped[int]
    cpd_hours: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2))
    estimated_minutes: Mapped[int]
    completion_rule: Mapped[str] = mapped_column(sa.String(40))
    prerequisites: Mapped[list] = mapped_column(sa.JSON, default=list)
    learning_objectives: Mapped[list] = mapped_column(sa.JSON, default=list)
    references: Mapped[list] = mapped_column(sa.JSON, default=list)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    revised_at: Mapped[datetime] = mapped_column(default=now)
    retired_at: Mapped[datetime | None]

    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="module", order_by="Lesson.position"
    )

    @property
    def live_lessons(self) -> list[Lesson]:
        return [lesson for lesson in self.lessons if lesson.retired_at is None]

    def reference(self, key: str) -> str | None:
        return next((r["citation"] for r in self.references if r["key"] == key), None)


class Lesson(db.Model):
    __tablename__ = "lessons"
    __table_args__ = (sa.UniqueConstraint("module_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("modules.id"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(80))
    title: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int]
    estimated_minutes: Mapped[int]
    learning_objectives: Mapped[list] = mapped_column(sa.JSON, default=list)
    reference_keys: Mapped[list] = mapped_column(sa.JSON, default=list)
    body_markdown: Mapped[str] = mapped_column(sa.Text)
    body_text: Mapped[str] = mapped_column(sa.Text)
    word_count: Mapped[int]
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    revised_at: Mapped[datetime] = mapped_column(default=now)
    retired_at: Mapped[datetime | None]

    module: Mapped[Module] = relationship(back_populates="lessons")


class LessonRead(db.Model):
    """A trainee marked a lesson as read (once; the first time is kept)."""

    __tablename__ = "lesson_reads"
    __table_args__ = (sa.UniqueConstraint("user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lessons.id"), index=True)
    read_at: Mapped[datetime] = mapped_column(default=now)


class ModuleCompletion(db.Model):
    """A trainee met a module's completion rule: recorded once, the event CPD counts."""

    __tablename__ = "module_completions"
    __table_args__ = (sa.UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("modules.id"), index=True)
    completed_at: Mapped[datetime] = mapped_column(default=now)
