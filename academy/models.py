"""Every model in one import, so Alembic and the relationships see all tables."""

from academy.audit.models import AuditEntry
from academy.auth.models import Role, User
from academy.catalogue.models import Lesson, LessonRead, Module, ModuleCompletion
from academy.cohorts.models import Cohort, CohortMembership, InviteCode
from academy.mail.models import OutboxMessage
from academy.quizzes.models import (
    Attempt,
    AttemptQuestion,
    Question,
    QuestionVersion,
    Quiz,
    SavedAnswer,
)

__all__ = [
    "Attempt",
    "AttemptQuestion",
    "AuditEntry",
    "Question",
    "QuestionVersion",
    "Quiz",
    "SavedAnswer",
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
