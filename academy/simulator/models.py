"""A simulator run a user saved to their notes: its parameters and the key numbers it gave."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from academy.clock import now
from academy.extensions import db


class SavedRun(db.Model):
    """One saved simulation; the parameters reproduce it, the summary lists it without rerunning."""

    __tablename__ = "saved_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    # Only the fields the user gave, as validated values: the defaults fill the rest.
    params: Mapped[dict] = mapped_column(sa.JSON)
    summary: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=now)

    def __repr__(self) -> str:
        return f"<SavedRun {self.id} user={self.user_id}>"
