"""The SMP Removal Academy: a Flask application built by ``create_app``."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from academy.config import build_config, refuse_unsafe

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, then command-line commands.

    ``config`` overrides settings (tests pass their database here). No database work
    happens here: the CLI migrates and loads content.
    """
    config = dict(config or {})
    instance_path = config.pop("INSTANCE_PATH", None) or os.environ.get(
        "ACADEMY_INSTANCE_PATH", str(PROJECT_ROOT / "instance")
    )
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    app.config.update(build_config(config.get("ACADEMY_ENV"), app.instance_path))
    app.config.update(config)
    refuse_unsafe(app.config)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:"):
        # A file on this machine does not go away the way a server's connection does: no
        # "SELECT 1" before every request's first query.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            k: v for k, v in app.config["SQLALCHEMY_ENGINE_OPTIONS"].items() if k != "pool_pre_ping"
        }
    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    from academy.security.input import install as install_input_hygiene

    install_input_hygiene(app)  # before the routes: bounded <int:…>, JSON depth
    _init_extensions(app)
    _register_blueprints(app)
    _register_hooks(app)

    from academy.cli import register_commands

    register_commands(app)
    return app


def _init_extensions(app: Flask) -> None:
    from academy.extensions import csrf, db, limiter, login_manager, migrate
    from academy.security.events import configure_security_log

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    configure_security_log()
    import academy.auth.sessions  # noqa: F401  (registers the user loader)
    import academy.models  # noqa: F401  (every table, for Alembic and relationships)


def _register_blueprints(app: Flask) -> None:
    from academy.admin.views import bp as admin_bp
    from academy.auth.access import public
    from academy.auth.views import bp as auth_bp
    from academy.catalogue.views import bp as catalogue_bp
    from academy.certificates.views import bp as certificates_bp
    from academy.cpd.views import bp as cpd_bp
    from academy.grading.views import bp as grading_bp
    from academy.main.views import bp as main_bp
    from academy.quizzes.views import bp as quizzes_bp
    from academy.simulator.views import bp as simulator_bp

    for blueprint in (
        main_bp, auth_bp, admin_bp, catalogue_bp, quizzes_bp, simulator_bp, grading_bp
    ):
        app.register_blueprint(blueprint)
    for blueprint in (cpd_bp, certificates_bp):
        app.register_blueprint(blueprint)
    public(app.view_functions["static"])


def _register_hooks(app: Flask) -> None:
    from academy.auth.access import enforce_access
    from academy.auth.sessions import check_session_lifetime
    from academy.errors import register_error_handlers
    from academy.security.headers import add_security_headers
    from academy.templating import register_template_helpers

    app.before_request(check_session_lifetime)
    app.before_request(enforce_access)
    app.after_request(add_security_headers)
    register_error_handlers(app)
    register_template_helpers(app)
