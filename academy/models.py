"""Every model in one import, so Alembic and the relationships see all tables."""

from academy.audit.models import AuditEntry
from academy.auth.models import Role, User
from academy.catalogue.models import Lesson, LessonRead, Module, ModuleCompletion
from academy.certificates.models import Certificate
from academy.cohorts.models import Cohort, CohortMembership, InviteCode
from academy.cpd.models import CpdEntry, EvidenceFile, ExternalActivity
from academy.grading.models import (
    Attachment,
    CaseAssessment,
    Mark,
    MarkingPresence,
    Notification,
    Submission,
    SubmissionVersion,
)
from academy.mail.models import OutboxMessage
from academy.quizzes.models import (
    Attempt,
    AttemptQuestion,
    Question,
    QuestionVersion,
    Quiz,
    SavedAnswer,
)
from academy.simulator.models import SavedRun

__all__ = [
    "Certificate",
    "CpdEntry",
    "EvidenceFile",
    "ExternalActivity",
    "Attachment",
    "CaseAssessment",
    "Mark",
    "MarkingPresence",
    "Notification",
    "Submission",
    "SubmissionVersion",
    "Attempt",
    "AttemptQuestion",
    "AuditEntry",
    "Question",
    "QuestionVersion",
    "Quiz",
    "SavedAnswer",
    "SavedRun",
    "Cohort",
    "CohortMembership",
    "InviteCode",
    "Lesson",
    "LessonRead",
    "Module",
    "ModuleCompletion",
    "OutboxMessage",
    "Role",
    "User",
]
