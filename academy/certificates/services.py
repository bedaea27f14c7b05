"""Issue certificates once, revoke them with a reason, and verify them by code.

Plain functions over the session that flush; the caller commits. The signing key is
handed in, or read from the app's configuration by ``signing.signing_key()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from academy.audit.models import record
from academy.auth.models import Role, User
from academy.catalogue.models import Module, ModuleCompletion
from academy.certificates import signing
from academy.certificates.models import Certificate, CertificateKind
from academy.extensions import db

ACADEMY_NAME = "SMP Removal Academy"
COURSE_TITLE = "Safe Removal of Scalp Micropigmentation"
FINAL_ASSESSMENT = "final-assessment"
COURSE_SCOPE = "course"


class CertificateError(Exception):
    """An issue or revocation the rules refuse, with a message for the person asking."""


# --- Issuing -----------------------------------------------------------------------------


@dataclass
class CourseStatus:
    modules_completed: int
    modules_total: int
    final_passed: bool

    @property
    def complete(self) -> bool:
        return (
            self.modules_total > 0
            and self.modules_completed >= self.modules_total
            and self.final_passed
        )


def course_status(
    user_id: int,
    progress: list | None = None,
    *,
    live_quizzes: list | None = None,
    attempts_by_quiz: dict | None = None,
) -> CourseStatus:
    """How far the trainee is towards the course certificate: live modules and the final.

    The dashboard has already read the trainee's module progress (``progress``, from
    ``catalogue.services.progress_for``), the live quizzes and the trainee's attempts by
    quiz; given them, this runs no query at all.
    """
    from academy.quizzes import services as quizzes  # the certificate builds on the quizzes
    from academy.quizzes.attempts import attempts_of, quiz_grade

    if progress is not None:
        total, done = len(progress), sum(1 for p in progress if p.completed_at)
    else:
        live = sa.select(Module.id).where(Module.retired_at.is_(None))
        total = db.session.scalar(sa.select(sa.func.count()).select_from(live.subquery())) or 0
        done = (
            db.session.scalar(
                sa.select(sa.func.count(ModuleCompletion.id)).where(
                    ModuleCompletion.user_id == user_id, ModuleCompletion.module_id.in_(live)
                )
            )
            or 0
        )
    if live_quizzes is not None and attempts_by_quiz is not None:
        final = next((q for q in live_quizzes if q.slug == FINAL_ASSESSMENT), None)
        final_attempts = attempts_by_quiz.get(final.id, []) if final else []
    else:
        final = quizzes.quiz_by_slug(FINAL_ASSESSMENT)
        final_attempts = attempts_of(final, user_id) if final else []
    passed = final is not None and quiz_grade(final, final_attempts)[1]
    return CourseStatus(done, total, passed)


def course_hours() -> Decimal:
    """The course's CPD hours: every live module's plus the final assessment's."""
    from academy.quizzes import services as quizzes

    modules = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Module.cpd_hours), 0)).where(
            Module.retired_at.is_(None)
        )
    )
    final = quizzes.quiz_by_slug(FINAL_ASSESSMENT)
    return Decimal(str(modules or 0)) + (final.cpd_hours if final else Decimal(0))


def check_course_completion(user_id: int, moment: datetime) -> Certificate | None:
    """After a completion event: issue the course certificate if the course is now complete."""
    exists = db.session.scalar(
        sa.select(Certificate.id).where(
            Certificate.user_id == user_id, Certificate.scope == COURSE_SCOPE
        )
    )
    if exists or not course_status(user_id).complete:
        return None
    trainee = db.session.get(User, user_id)
    certificate = _issue(
        trainee,
        CertificateKind.COURSE,
        COURSE_SCOPE,
        COURSE_TITLE,
        course_hours(),
        moment,
        issued_by=None,
    )
    if certificate is not None:
        record(None, "certificate.issue", "certificate", certificate.id, number=certificate.number)
    return certificate


def issue_attendance(admin: User, trainee: User, module: Module, moment: datetime) -> Certificate:
    """An admin's certificate of attendance for one module (once per trainee and module)."""
    if trainee.role != Role.TRAINEE:
        raise CertificateError("Certificates are issued to trainee accounts only.")
    certificate = _issue(
        trainee,
        CertificateKind.ATTENDANCE,
        f"module:{module.slug}",
        module.title,
        module.cpd_hours,
        moment,
        issued_by=admin,
        module=module,
    )
    if certificate is None:
        raise CertificateError(
            f"{trainee.full_name} already has a certificate of attendance for {module.title}."
        )
    record(
        admin,
        "certificate.issue",
        "certificate",
        certificate.id,
        number=certificate.number,
        trainee_id=trainee.id,
        module=module.slug,
    )
    return certificate


def signer_for(trainee: User, issued_by: User | None) -> tuple[str, str]:
    """The trainee's cohort lead tutor signs; else the issuing admin; else the academy."""
    from academy.cpd.services import lead_tutors_of

    tutors = lead_tutors_of(trainee.id)
    if tutors:
        return tutors[0].full_name, "Lead tutor"
    if issued_by is not None:
        return issued_by.full_name, f"Administrator, {ACADEMY_NAME}"
    return ACADEMY_NAME, "Issued by the academy"


def _issue(
    trainee: User,
    kind: str,
    scope: str,
    title: str,
    cpd_hours: Decimal,
    moment: datetime,
    *,
    issued_by: User | None,
    module: Module | None = None,
) -> Certificate | None:
    """Insert the certificate once for (holder, scope); None if it already existed."""
    signer_name, signer_title = signer_for(trainee, issued_by)
    code = signing.new_code()
    certificate = Certificate(
        number=f"pending-{code}",
        code=code,
        kind=kind,
        scope=scope,
        user_id=trainee.id,
        module_id=module.id if module else None,
        holder_name=trainee.full_name,
        title=title,
        cpd_hours=Decimal(str(cpd_hours)).quantize(Decimal("0.01")),
        issued_at=moment.replace(microsecond=0),
        signer_name=signer_name,
        signer_title=signer_title,
        issued_by_id=issued_by.id if issued_by else None,
        signature="",
    )
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
            db.session.flush()
            certificate.number = f"SRA-{certificate.issued_at.year}-{certificate.id:05d}"
            certificate.signature = signing.sign(certificate, signing.signing_key())
            db.session.flush()
    except IntegrityError:
        return None
    return certificate


# --- Revoking ----------------------------------------------------------------------------


def revoke(certificate: Certificate, admin: User, reason: str, moment: datetime) -> None:
    reason = reason.strip()
    if not reason:
        raise CertificateError("Give the reason for revoking; the verify page shows it.")
    if certificate.revoked:
        raise CertificateError("This certificate has already been revoked.")
    certificate.revoked_at = moment.replace(microsecond=0)
    certificate.revoked_reason = reason
    certificate.revoked_by_id = admin.id
    record(
        admin,
        "certificate.revoke",
        "certificate",
        certificate.id,
        number=certificate.number,
        reason=reason,
    )
    db.session.flush()


# --- Reading and verifying ----------------------------------------------------------------


@cache  # built once: the dashboard runs it on every visit
def _certificates_of_user() -> sa.Select:
    return (
        sa.select(Certificate)
        .where(Certificate.user_id == sa.bindparam("user_id"))
        .order_by(Certificate.issued_at, Certificate.id)
    )


@cache  # and the public verify page on every check
def _certificate_by_code() -> sa.Select:
    return sa.select(Certificate).where(Certificate.code == sa.bindparam("code"))


def certificates_of(user_id: int) -> list[Certificate]:
    return list(db.session.scalars(_certificates_of_user(), {"user_id": user_id}))


def all_certificates(limit: int = 500) -> list[Certificate]:
    return list(
        db.session.scalars(
            sa.select(Certificate).order_by(Certificate.issued_at.desc()).limit(limit)
        )
    )


def may_see(viewer: User, certificate: Certificate) -> bool:
    """The holder, a lead tutor of one of the holder's cohorts, or an admin."""
    from academy.cpd.services import may_see_trainee

    return may_see_trainee(viewer, certificate.user_id)


class Verdict:
    VALID = "valid"
    REVOKED = "revoked"
    UNKNOWN = "unknown"
    NOT_VALID = "not_valid"  # the stored details do not match the academy's signature


@dataclass
class Verification:
    verdict: str
    certificate: Certificate | None = None

    @property
    def shows_details(self) -> bool:
        return self.verdict in (Verdict.VALID, Verdict.REVOKED)


def verify(code_text: str, key: bytes) -> Verification:
    code = signing.normalise_code(code_text)
    if code is None:
        return Verification(Verdict.UNKNOWN)
    certificate = db.session.scalar(_certificate_by_code(), {"code": code})
    if certificate is None:
        return Verification(Verdict.UNKNOWN)
    if not signing.signature_valid(certificate, key):
        return Verification(Verdict.NOT_VALID)
    if certificate.revoked:
        return Verification(Verdict.REVOKED, certificate)
    return Verification(Verdict.VALID, certificate)


def verify_url(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/verify/{signing.format_code(code)}"
