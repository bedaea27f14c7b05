"""Log in, log out, register, and change or reset a password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, logout_user

from academy.auth import services
from academy.auth.access import allow, public
from academy.auth.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    RegistrationForm,
    ResetPasswordForm,
)
from academy.auth.models import Role
from academy.auth.sessions import start_session
from academy.auth.tokens import make_reset_token, user_for_reset_token
from academy.extensions import db, limiter
from academy.mail.outbox import send_mail
from academy.security.events import security_event

bp = Blueprint("auth", __name__, url_prefix="/auth")

EVERYONE = (Role.TRAINEE, Role.TUTOR, Role.ADMIN)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def safe_next(target: str | None) -> str:
    """Follow ``next`` only to a path on this site, never to another host."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        result = services.authenticate(
            form.email.data,
            form.password.data,
            throttle_after=current_app.config["ACCOUNT_THROTTLE_AFTER"],
            throttle_max_minutes=current_app.config["ACCOUNT_THROTTLE_MAX_MINUTES"],
        )
        if result.user is None:
            db.session.commit()  # keep the failure count
            security_event(
                "login_throttled" if result.throttled else "login_failed", email=form.email.data
            )
            form.password.errors.append(result.error)
            return render_template("auth/login.html", form=form), 200
        db.session.commit()
        start_session(result.user, remember=form.remember.data)
        security_event("login", user_id=result.user.id)
        return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@allow(*EVERYONE)
def logout():
    services.end_other_sessions(current_user)
    db.session.commit()
    security_event("logout", user_id=current_user.id)
    logout_user()
    flash("You have logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/register", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            user = services.register_trainee(
                form.email.data, form.full_name.data, form.password.data, form.invite_code.data
            )
        except services.AccountError as error:
            db.session.rollback()
            getattr(form, error.field or "email").errors.append(str(error))
        else:
            db.session.commit()
            security_event("registered", user_id=user.id)
            start_session(user, remember=False)
            flash(f"Welcome to the academy, {user.full_name}.", "success")
            return redirect(url_for("main.home"))
    return render_template("auth/register.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@allow(*EVERYONE)
def change_password():
    form = ChangePasswordForm()
    form.account_email = current_user.email
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except services.AccountError as error:
            form.current_password.errors.append(str(error))
        else:
            db.session.commit()
            security_event("password_changed", user_id=current_user.id)
            start_session(current_user, remember=False)
            flash("Your password has been changed. Other devices have been logged out.", "success")
            return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None and user.active:
            link = url_for("auth.reset_password", token=make_reset_token(user), _external=True)
            minutes = current_app.config["PASSWORD_RESET_MAX_AGE_MINUTES"]
            send_mail(
                user.email,
                "Reset your SMP Removal Academy password",
                f"Hello {user.full_name},\n\nSomeone asked to reset the password for your "
                f"account. To choose a new password, open this link within {minutes} minutes:"
                f"\n\n{link}\n\nIf it was not you, ignore this message: your password stays "
                "as it is.\n\nSMP Removal Academy",
            )
            db.session.commit()
            security_event("password_reset_requested", user_id=user.id)
        flash(
            "If that address has an account, we have sent it a link to reset the password. "
            "The link works once.",
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def reset_password(token: str):
    if len(token) > 500:
        abort(404)
    user, problem = user_for_reset_token(token)
    if user is None:
        return render_template("auth/reset_invalid.html", problem=problem), 400
    form = ResetPasswordForm()
    form.account_email = user.email
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        db.session.commit()
        security_event("password_reset", user_id=user.id)
        flash("Your password has been set. Please log in with it.", "success")
        if current_user.is_authenticated:
            logout_user()
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form, user=user)
