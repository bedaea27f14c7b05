"""Settings for the academy, read from ACADEMY_* environment variables.

Three profiles: development (the default, SQLite under instance/), testing, and
production, which refuses to start with unsafe settings.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

ENV_PREFIX = "ACADEMY_"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class UnsafeConfiguration(RuntimeError):
    """Raised when production settings would put trainees' data at risk."""


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(ENV_PREFIX + name, default)


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = _env(name)
    return default if value in (None, "") else int(value)


def build_config(profile: str | None, instance_path: str) -> dict:
    """Return the Flask config mapping for a profile, overlaid with the environment."""
    profile = (profile or _env("ENV", "development")).lower()
    if profile not in {"development", "testing", "production"}:
        raise UnsafeConfiguration(
            f"ACADEMY_ENV must be development, testing or production, not {profile!r}"
        )
    production = profile == "production"
    sqlite_path = Path(instance_path) / "academy.sqlite3"

    config: dict = {
        "ACADEMY_ENV": profile,
        "DEBUG": _env_bool("DEBUG", False),
        "TESTING": profile == "testing",
        "SECRET_KEY": _env("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": _env("DATABASE_URL", f"sqlite:///{sqlite_path}"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Sessions: signed cookies, renewed on log-in, ended server-side by a version.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_NAME": "__Host-session" if production else "academy_session",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_NAME": "__Host-remember" if production else "academy_remember",
        "REMEMBER_COOKIE_DURATION": timedelta(days=_env_int("REMEMBER_DAYS", 14)),
        "SESSION_IDLE_MINUTES": _env_int("SESSION_IDLE_MINUTES", 120),
        "SESSION_ABSOLUTE_HOURS": _env_int("SESSION_ABSOLUTE_HOURS", 12),
        "PERMANENT_SESSION_LIFETIME": timedelta(days=_env_int("REMEMBER_DAYS", 14)),
        # The cookie is rewritten when the session changes (at most once a minute for the
        # idle clock, see auth/sessions.py), not signed and sent again with every response.
        "SESSION_REFRESH_EACH_REQUEST": False,
        # CSRF tokens last as long as the session, so a long quiz can still be submitted.
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": production,
        # Rate limits: in memory for one process, Redis when several servers share the load.
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URL", "memory://"),
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": _env("LOGIN_RATE_LIMIT", "10 per minute;60 per hour"),
        "ACCOUNT_THROTTLE_AFTER": _env_int("ACCOUNT_THROTTLE_AFTER", 5),
        "ACCOUNT_THROTTLE_MAX_MINUTES": _env_int("ACCOUNT_THROTTLE_MAX_MINUTES", 15),
        "PASSWORD_RESET_MAX_AGE_MINUTES": _env_int("PASSWORD_RESET_MAX_AGE_MINUTES", 60),
        # Mail: SMTP when a host is configured; otherwise an outbox that prints links.
        "MAIL_SMTP_HOST": _env("MAIL_SMTP_HOST"),
        "MAIL_SMTP_PORT": _env_int("MAIL_SMTP_PORT", 587),
        "MAIL_SMTP_USERNAME": _env("MAIL_SMTP_USERNAME"),
        "MAIL_SMTP_PASSWORD": _env("MAIL_SMTP_PASSWORD"),
        "MAIL_SMTP_STARTTLS": _env_bool("MAIL_SMTP_STARTTLS", True),
        "MAIL_SENDER": _env("MAIL_SENDER", "SMP Removal Academy <academy@localhost>"),
        "MAIL_PRINT_OUTBOX": _env_bool("MAIL_PRINT_OUTBOX", not production),
        "TRUSTED_PROXIES": _env_int("TRUSTED_PROXIES", 0),
        "HSTS": production,
        "COURSES_DIR": _env("COURSES_DIR", str(PROJECT_ROOT / "courses")),
        "QUIZZES_DIR": _env("QUIZZES_DIR", str(PROJECT_ROOT / "quizzes")),
        # Uploaded files (CPD evidence, attachments): outside the web root, instance/ by default.
        "UPLOADS_DIR": _env("UPLOADS_DIR"),
        # The largest request accepted at all (413 beyond); each upload has its own lower limit.
        "MAX_CONTENT_LENGTH": _env_int("MAX_REQUEST_MB", 55) * 1024 * 1024,
        # CPD runs in yearly cycles from this month-day, with a target of hours per cycle.
        "CPD_TARGET_HOURS": _env_int("CPD_TARGET_HOURS", 20),
        "CPD_CYCLE_START": _env("CPD_CYCLE_START", "01-01"),
        # The address printed on certificates and in their QR codes (never taken from a request).
        "PUBLIC_URL": (_env("PUBLIC_URL") or "").rstrip("/") or None,
        # Signs certificates' details; development derives one from the secret key.
        "CERTIFICATE_SIGNING_KEY": _env("CERTIFICATE_SIGNING_KEY"),
        "VERIFY_RATE_LIMIT": _env("VERIFY_RATE_LIMIT", "10 per minute;60 per hour"),
        # The public simulator pages and API, per address.
        "SIMULATOR_RATE_LIMIT": _env("SIMULATOR_RATE_LIMIT", "120 per minute"),
    }

    if profile == "testing":
        config.update(
            SQLALCHEMY_DATABASE_URI=_env("TEST_DATABASE_URL", "sqlite://"),
            SECRET_KEY=config["SECRET_KEY"] or "testing-secret-key-not-for-production",
            RATELIMIT_STORAGE_URI="memory://",
            MAIL_PRINT_OUTBOX=False,
            MAIL_SMTP_HOST=None,
        )
    elif profile == "development" and not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _development_secret(instance_path)

    return config


def _development_secret(instance_path: str) -> str:
    """Keep one random key per checkout so sessions survive a restart of the dev server."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def refuse_unsafe(config: dict) -> None:
    """Stop a production start without its keys and https address, or with debug on."""
    if config.get("ACADEMY_ENV") != "production":
        return
    problems = []
    key = config.get("SECRET_KEY") or ""
    if len(key) < 32:
        problems.append(
            "ACADEMY_SECRET_KEY must be set to a random value of at least 32 characters"
        )
    if len(config.get("CERTIFICATE_SIGNING_KEY") or "") < 32:
        problems.append(
            "ACADEMY_CERTIFICATE_SIGNING_KEY must be set to a random value of at least "
            "32 characters (it signs certificates; keep it when you rotate the secret key)"
        )
    if not (config.get("PUBLIC_URL") or "").startswith("https://"):
        problems.append(
            "ACADEMY_PUBLIC_URL must be the https:// address of the academy "
            "(printed on certificates and in their QR codes)"
        )
    if config.get("DEBUG"):
        problems.append("ACADEMY_DEBUG must be off in production")
    if problems:
        raise UnsafeConfiguration("Refusing to start in production: " + "; ".join(problems))
