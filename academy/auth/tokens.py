"""Signed, expiring, single-use links for resetting a password.

The token names the user and a fingerprint of their current password hash; once the
password changes the fingerprint no longer matches, so each link works once.
"""

from __future__ import annotations

import hashlib
from datetime import UTC

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from academy import clock
from academy.auth.models import User
from academy.extensions import db

SALT = "academy.password-reset"


class _ClockSigner(TimestampSigner):
    """Read the time from academy.clock, so expiry follows the same clock as everything else."""

    def get_timestamp(self) -> int:
        return int(clock.now().replace(tzinfo=UTC).timestamp())


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"],
        salt=SALT,
        signer=_ClockSigner,
        signer_kwargs={"digest_method": hashlib.sha256},
    )


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def make_reset_token(user: User) -> str:
    return _serializer().dumps({"uid": user.id, "fp": _fingerprint(user)})


def user_for_reset_token(token: str) -> tuple[User | None, str | None]:
    """Return (user, None) for a good token, or (None, reason) explaining why it fails."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE_MINUTES"] * 60
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        return None, "This reset link has expired. Ask for a new one."
    except BadSignature:
        return None, "This reset link is not valid. Ask for a new one."
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("fp") != _fingerprint(user):
        return None, "This reset link has already been used or is no longer valid."
    return user, None
