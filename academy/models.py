"""Every model in one import, so Alembic and the relationships see all tables."""

from academy.auth.models import Role, User
from academy.catalogue.models import Lesson, LessonRead, Module, ModuleCompletion
from academy.cohorts.models import Cohort, CohortMembership, InviteCode
from academy.mail.models import OutboxMessage

__all__ = [
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
