"""Forms for certificates: revoking with a reason, issuing attendance, typing a code."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from academy.auth.forms import email_field


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        "Reason for revoking",
        description="Shown on the public verify page and kept in the audit trail.",
        validators=[DataRequired("Give the reason for revoking."), Length(max=500)],
    )


class AttendanceForm(FlaskForm):
    email = email_field("Trainee's e-mail address")
    module = SelectField("Module", validators=[DataRequired("Choose a module.")])


class VerifyForm(FlaskForm):
    """A GET form: looking a code up changes nothing, so it needs no CSRF token."""

    class Meta:
        csrf = False

    code = StringField(
        "Verification code",
        description="The code printed on the certificate, for example K7QF-M2XD-9HTP-…",
        validators=[DataRequired("Enter the code printed on the certificate."), Length(max=80)],
    )
