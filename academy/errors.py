"""Friendly error pages (and JSON for API requests) instead of bare server messages."""

from __future__ import annotations

from flask import g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from academy.extensions import db, login_manager
from academy.security.events import security_event

MESSAGES = {
    400: (
        "Something in that request was not right",
        "The page could not use what was sent. Go back, check the form and try again.",
    ),
    403: (
        "You do not have access to this page",
        "Your account's role does not allow this. If you think it should, ask an administrator.",
    ),
    404: (
        "Page not found",
        "There is nothing at this address. Check the link or go to your home page.",
    ),
    405: ("That action is not allowed here", "This address cannot be used in that way."),
    413: ("That upload is too large", "Choose a smaller file and try again."),
    429: ("Too many attempts", "Please wait a minute before trying again."),
    500: (
        "Something went wrong on our side",
        "The error has been logged. Nothing you saved earlier is lost; please try again.",
    ),
    503: (
        "The academy is briefly unavailable",
        "The database is not answering. Your saved work is safe; please try again shortly.",
    ),
}


def _wants_json() -> bool:
    """API paths, clients that ask for JSON, and JSON requests (the autosaves) get JSON."""
    return (
        request.path.startswith("/api/")
        or request.accept_mimetypes.best == "application/json"
        or request.is_json
    )


def _render(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    if _wants_json():
        return jsonify(error=title, detail=detail or message), code
    return render_template(
        "errors/error.html", code=code, title=title, message=message, detail=detail
    ), code


def register_error_handlers(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        try:  # the event names the user, which needs the database
            security_event("csrf_rejected", path=request.path, reason=error.description)
        except (OperationalError, InterfaceError) as problem:
            return database_down(problem)
        return _render(
            400,
            "The form had expired or was not sent from this site. "
            "Reload the page and try again; anything you typed may need re-entering.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code in MESSAGES:
            detail = error.description if error.code in (400, 429) else None
            if error.code == 429:
                detail = (
                    "Too many attempts from your connection. Please wait a minute and try again."
                )
            return _render(error.code, detail)
        return error

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_down(error: DBAPIError):
        """The database not answering (refused, restarting, a dropped connection): a 503."""
        app.logger.error("Database unavailable: %s", error)
        return _database_down()

    def _database_down():
        try:
            db.session.rollback()
        except DBAPIError:  # the connection is gone; the pool has already discarded it
            db.session.remove()
        # Render as to a visitor: the page must not ask the database who is logged in (the
        # user loader would fail again, inside this handler, and end in a bare 500).
        g._login_user = login_manager.anonymous_user()
        return _render(503)

    def _server_error():
        try:
            db.session.rollback()
        except DBAPIError:
            db.session.remove()
        return _render(500)

    @app.errorhandler(InternalServerError)
    def server_error(error):
        return _server_error()
