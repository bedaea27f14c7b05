"""Who may use which route: every view declares its roles, and anything undeclared is denied.

Use ``@allow(Role.TUTOR)`` (admins are always included with tutors) or ``@public``.
``enforce_access`` runs before every request and applies the declaration, so a route
added without one is refused with 403 instead of being open by accident.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, current_app, jsonify, redirect, request, url_for
from flask_login import current_user

from academy.auth.models import Role
from academy.security.events import security_event

PUBLIC = "public"
ACCESS_ATTRIBUTE = "__academy_access__"


def allow(*roles: Role) -> Callable:
    """Let signed-in users with one of ``roles`` use the view (admins count as tutors)."""
    if not roles:
        raise ValueError("allow() needs at least one role; use @public for open routes")

    def mark(view: Callable) -> Callable:
        setattr(view, ACCESS_ATTRIBUTE, frozenset(roles))
        return view

    return mark


def public(view: Callable) -> Callable:
    """Let anyone, signed in or not, use the view."""
    setattr(view, ACCESS_ATTRIBUTE, PUBLIC)
    return view


def access_rule(view: Callable | None) -> Any:
    return getattr(view, ACCESS_ATTRIBUTE, None) if view else None


def enforce_access():
    """Before each request: deny unless the endpoint's declared roles include the user."""
    if request.endpoint is None:  # 404 and 405 are handled by Flask itself
        return None
    rule = access_rule(current_app.view_functions.get(request.endpoint))
    if rule == PUBLIC:
        return None
    if rule is None:
        security_event("access_denied", reason="route declares no roles", path=request.path)
        abort(403)
    if not current_user.is_authenticated:
        if _wants_json():
            return jsonify(error="Please log in to use this."), 401
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if not current_user.has_role(*rule):
        security_event("access_denied", reason="role not allowed", path=request.path)
        abort(403)
    return None


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"
