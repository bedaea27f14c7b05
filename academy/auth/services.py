"""Account operations: plain functions over a session, with no request in sight.

They flush and leave the commit to the caller (one commit per request).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from academy.auth.models import Role, User
from academy.auth.passwords import hash_password, needs_rehash, verify_password
from academy.clock import now
from academy.cohorts.models import CohortMembership, InviteCode
from academy.extensions import db

# Verifying against a dummy hash when the e-mail is unknown keeps the timing the same,
# so the log-in form does not reveal which addresses have accounts.
_DUMMY_HASH = hash_password("not-a-real-password-for-timing")


class AccountError(ValueError):
    """A request about an account that cannot be done, with a message for the person."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    error: str | None = None
    throttled: bool = False


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def authenticate(
    email: str, password: str, *, throttle_after: int, throttle_max_minutes: int
) -> LoginResult:
    """Check a log-in, throttling an account after repeated failures.

    Throttling delays further attempts for a while (doubling up to a cap) instead of
    locking the account, so an attacker cannot shut a real user out for long; a password
    reset clears it.
    """
    moment = now()
    user = find_user_by_email(email)
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return LoginResult(None, "That e-mail address and password do not match an account.")
    if user.throttled_until and user.throttled_until > moment:
        minutes = max(1, round((user.throttled_until - moment).total_seconds() / 60))
        return LoginResult(
            None,
            "Too many failed log-ins for this account. Try again in "
            f"{minutes} minute{'s' if minutes != 1 else ''}, or reset your password.",
            throttled=True,
        )
    if not verify_password(user.password_hash, password):
        user.failed_login_count += 1
        over = user.failed_login_count - throttle_after
        if over >= 0:
            user.throttled_until = moment + timedelta(minutes=min(2**over, throttle_max_minutes))
        db.session.flush()
        if over >= 0:
            return LoginResult(
                None,
                "That e-mail address and password do not match an account. After repeated "
                "failures this account is paused for a few minutes; you can reset your password.",
                throttled=True,
            )
        return LoginResult(None, "That e-mail address and password do not match an account.")
    if not user.active:
        return LoginResult(None, "This account has been deactivated. Please contact the academy.")
    user.failed_login_count = 0
    user.throttled_until = None
    user.last_login_at = moment
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.flush()
    return LoginResult(user)


def create_user(email: str, full_name: str, password: str, role: Role) -> User:
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise AccountError("An account with this e-mail address already exists.", "email")
    user = User(
        email=email, full_name=full_name.strip(), password_hash=hash_password(password), role=role
    )
    db.session.add(user)
    db.session.flush()
    return user


def find_invite(code: str) -> InviteCode | None:
    cleaned = code.upper().replace(" ", "").replace("-", "").strip()
    return db.session.scalar(sa.select(InviteCode).where(InviteCode.code == cleaned))


def register_trainee(email: str, full_name: str, password: str, invite_code: str) -> User:
    """Create a trainee account in the cohort that the invite code belongs to."""
    invite = find_invite(invite_code)
    if invite is None or not invite.usable_at(now()):
        raise AccountError(
            "This invite code is not valid, has expired or has been used up. "
            "Check it with your tutor.",
            "invite_code",
        )
    user = create_user(email, full_name, password, Role.TRAINEE)
    db.session.add(CohortMembership(cohort_id=invite.cohort_id, user_id=user.id))
    # Counted in SQL so two registrations at once cannot both take the last use.
    db.session.execute(
        sa.update(InviteCode)
        .where(InviteCode.id == invite.id)
        .values(use_count=InviteCode.use_count + 1)
    )
    db.session.flush()
    return user


def end_other_sessions(user: User) -> None:
    """Invalidate every cookie issued to the user so far (the caller re-logs in the current one)."""
    user.session_version += 1
    db.session.flush()


def set_password(user: User, new_password: str) -> None:
    user.password_hash = hash_password(new_password)
    user.password_changed_at = now()
    user.failed_login_count = 0
    user.throttled_until = None
    end_other_sessions(user)


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise AccountError("Your current password is not correct.", "current_password")
    set_password(user, new_password)


def set_active(user: User, active: bool, *, acting: User) -> None:
    if user.id == acting.id and not active:
        raise AccountError("You cannot deactivate your own account.")
    if user.active == active:
        return  # nothing changes (reactivating oneself must not end one's own session)
    user.active = active
    end_other_sessions(user)


def set_role(user: User, role: Role, *, acting: User) -> Role:
    if user.id == acting.id:
        raise AccountError("You cannot change your own role.", "role")
    previous = user.role
    user.role = role
    end_other_sessions(user)
    return previous


def session_is_current(user: User, version: int) -> bool:
    return user.active and user.session_version == version


def sessions_expired(
    login_at: datetime | None, seen_at: datetime | None, *, idle: timedelta, absolute: timedelta
) -> bool:
    """True when a session has been idle too long or has lived past its absolute lifetime."""
    moment = now()
    if login_at is None or seen_at is None:
        return True
    return moment - seen_at > idle or moment - login_at > absolute
