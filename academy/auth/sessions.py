"""Server-side control over cookie sessions.

A session cookie names the user *and* their session version (see ``User.get_id``); bumping
the version on log-out, password change, role change or deactivation makes every older
cookie, remember-me cookies included, useless. Idle and absolute lifetimes are checked on
every request.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, flash, session
from flask_login import current_user, login_user, logout_user, user_loaded_from_cookie

from academy.auth.models import User
from academy.auth.services import session_is_current, sessions_expired
from academy.clock import now
from academy.extensions import db, login_manager

login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to see that page."
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(identifier: str) -> User | None:
    user_id, _, version = identifier.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not session_is_current(user, int(version)):
        return None
    return user


def start_session(user: User, *, remember: bool) -> None:
    """Log the user in on a fresh session (nothing from before log-in carries over)."""
    session.clear()
    login_user(user, remember=remember)
    session.permanent = True
    stamp = now().isoformat()
    session["login_at"] = stamp
    session["seen_at"] = stamp
    session["remembered"] = remember


@user_loaded_from_cookie.connect
def _restored_from_remember_cookie(sender, user):
    stamp = now().isoformat()
    session["login_at"] = stamp
    session["seen_at"] = stamp
    session["remembered"] = True


def _parse(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def check_session_lifetime():
    """Before each request: end sessions that were idle too long or lived too long."""
    if not current_user.is_authenticated:
        return
    config = current_app.config
    if session.get("remembered"):
        idle = absolute = config["REMEMBER_COOKIE_DURATION"]
    else:
        idle = timedelta(minutes=config["SESSION_IDLE_MINUTES"])
        absolute = timedelta(hours=config["SESSION_ABSOLUTE_HOURS"])
    if sessions_expired(
        _parse(session.get("login_at")),
        _parse(session.get("seen_at")),
        idle=idle,
        absolute=absolute,
    ):
        logout_user()
        session.pop("login_at", None)
        session.pop("seen_at", None)
        flash("Your session has ended. Please log in again.", "info")
        return
    # Rewrite the cookie at most once a minute: a response that rewrites it while another
    # request of the same browser is in flight can drop that request's flash message.
    seen = _parse(session.get("seen_at"))
    if seen is None or now() - seen > timedelta(minutes=1):
        session["seen_at"] = now().isoformat()
