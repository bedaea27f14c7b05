"""Certificates: what was awarded to whom, as issued (a snapshot), signed by the academy."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import User
from academy.clock import now
from academy.extensions import db


class CertificateKind:
    COURSE = "course"
    ATTENDANCE = "attendance"

    LABELS = {COURSE: "Course certificate", ATTENDANCE: "Certificate of attendance"}


class Certificate(db.Model):
    """Issued once per holder and scope ("course" or "module:<slug>"); never edited after.

    The printed details are copied here when issued so that the PDF regenerates
    identically, and they are signed so that an edited row fails verification.
    """

    __tablename__ = "certificates"
    __table_args__ = (sa.UniqueConstraint("user_id", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(40), unique=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    scope: Mapped[str] = mapped_column(sa.String(100))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    module_id: Mapped[int | None] = mapped_column(sa.ForeignKey("modules.id"))
    holder_name: Mapped[str] = mapped_column(sa.String(120))
    title: Mapped[str] = mapped_column(sa.String(200))
    cpd_hours: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2))
    issued_at: Mapped[datetime] = mapped_column(default=now)
    signer_name: Mapped[str] = mapped_column(sa.String(120))
    signer_title: Mapped[str] = mapped_column(sa.String(120))
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    signature: Mapped[str] = mapped_column(sa.String(100))
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(sa.Text)
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    holder: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def kind_label(self) -> str:
        return CertificateKind.LABELS[self.kind]

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
