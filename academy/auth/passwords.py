"""Password hashing and the password policy.

Hashes are argon2id with argon2-cffi's defaults (t=3, m=64 MiB, p=4), above the OWASP
ASVS 5.0 minimum of m=19 MiB, t=2, p=1. The policy follows NIST SP 800-63B: length and a
check against common passwords, no composition rules.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 128

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the stored hash used weaker parameters than today's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def password_problems(password: str, *, email: str = "", full_name: str = "") -> list[str]:
    """Explain what is wrong with a proposed password; an empty list means it is acceptable."""
    if len(password) < MIN_LENGTH:
        return [
            f"Use at least {MIN_LENGTH} characters (a short phrase of several words works well)."
        ]
    if len(password) > MAX_LENGTH:
        return [f"Use at most {MAX_LENGTH} characters."]
    personal = [part for part in (email, email.split("@")[0], full_name) if part]
    result = zxcvbn(password[:100], user_inputs=personal)
    if result["score"] < 2:
        warning = result["feedback"].get("warning") or "This password is too easy to guess."
        advice = "Choose something less common, such as a phrase of several words."
        return [f"{warning.rstrip('.')}. {advice}"]
    return []
