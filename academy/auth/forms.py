"""Forms for logging in, registering and managing one's password."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, ValidationError

from academy.auth.passwords import MAX_LENGTH, password_problems


def _strip(value):
    return value.strip() if isinstance(value, str) else value


EMAIL_MESSAGE = "Enter an e-mail address such as name@example.co.uk."


def email_field(label: str = "E-mail address") -> EmailField:
    return EmailField(
        label,
        validators=[
            DataRequired("Enter your e-mail address."),
            Length(max=254, message="An e-mail address has at most 254 characters."),
            Email(EMAIL_MESSAGE, check_deliverability=False),
        ],
        filters=[_strip],
        render_kw={"autocomplete": "email"},
    )


def new_password_field(label: str = "New password") -> PasswordField:
    return PasswordField(
        label,
        validators=[InputRequired("Choose a password.")],
        description=f"At least 12 characters; a phrase of several words is easy to remember. "
        f"At most {MAX_LENGTH}.",
        render_kw={"autocomplete": "new-password", "minlength": 12, "maxlength": MAX_LENGTH},
    )


def confirm_field() -> PasswordField:
    return PasswordField(
        "Repeat the new password",
        validators=[
            InputRequired("Repeat the new password."),
            EqualTo("password", message="The two passwords are not the same."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class StrongPasswordMixin:
    """Check ``password`` against the policy, using the form's e-mail and name if it has them."""

    def validate_password(self, field):
        email = getattr(getattr(self, "email", None), "data", None) or getattr(
            self, "account_email", ""
        )
        name = getattr(getattr(self, "full_name", None), "data", None) or ""
        problems = password_problems(field.data or "", email=email or "", full_name=name)
        if problems:
            raise ValidationError(problems[0])


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        "Password",
        validators=[InputRequired("Enter your password."), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me logged in on this device")


class RegistrationForm(StrongPasswordMixin, FlaskForm):
    full_name = StringField(
        "Full name",
        validators=[
            DataRequired("Enter your full name as it should appear on certificates."),
            Length(max=120, message="A name has at most 120 characters."),
        ],
        description="As it should appear on your certificates.",
        filters=[_strip],
        render_kw={"autocomplete": "name"},
    )
    email = email_field()
    password = new_password_field("Password")
    confirm = confirm_field()
    invite_code = StringField(
        "Cohort invite code",
        validators=[
            DataRequired("Enter the invite code your tutor gave you."),
            Length(max=40, message="An invite code has at most 40 characters."),
        ],
        description="Your tutor gives you this code, for example K7QF-M2XD-9HTP.",
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},
    )


class ForgotPasswordForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(StrongPasswordMixin, FlaskForm):
    password = new_password_field()
    confirm = confirm_field()


class ChangePasswordForm(StrongPasswordMixin, FlaskForm):
    current_password = PasswordField(
        "Current password",
        validators=[InputRequired("Enter your current password."), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field()
    confirm = confirm_field()
