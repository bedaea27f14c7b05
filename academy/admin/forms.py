"""Forms for administrators: accounts and cohorts."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from academy.auth.forms import email_field
from academy.auth.models import Role

ROLE_CHOICES = [SelectChoice(role.value, role.label) for role in Role]


class UserSearchForm(FlaskForm):
    """Search is a GET form: nothing changes, so no CSRF token is needed."""

    class Meta:
        csrf = False

    q = StringField("Name or e-mail", validators=[Optional(), Length(max=100)])
    role = SelectField(
        "Role", choices=[SelectChoice("", "Any role"), *ROLE_CHOICES], validators=[Optional()]
    )
    status = SelectField(
        "Status",
        choices=[
            SelectChoice("", "Any"),
            SelectChoice("active", "Active"),
            SelectChoice("inactive", "Deactivated"),
        ],
        validators=[Optional()],
    )


class CreateUserForm(FlaskForm):
    full_name = StringField(
        "Full name",
        validators=[DataRequired("Enter the person's full name."), Length(max=120)],
    )
    email = email_field()
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.TUTOR.value)


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change state."""


class CohortForm(FlaskForm):
    name = StringField(
        "Cohort name",
        validators=[DataRequired("Give the cohort a name."), Length(max=120)],
        description="For example: Rossendale spring 2027.",
    )
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)])
    lead_tutor = SelectField("Lead tutor", choices=[], validators=[Optional()])


class LeadTutorForm(FlaskForm):
    lead_tutor = SelectField("Lead tutor", choices=[], validators=[Optional()])


class AddTraineeForm(FlaskForm):
    email = email_field("Trainee's e-mail address")


class InviteForm(FlaskForm):
    valid_days = IntegerField(
        "Valid for (days)",
        default=30,
        validators=[
            Optional(),
            NumberRange(1, 365, "Choose between 1 and 365 days, or leave empty for no expiry."),
        ],
    )
    max_uses = IntegerField(
        "Maximum registrations",
        default=None,
        validators=[
            Optional(),
            NumberRange(1, 1000, "Choose between 1 and 1,000, or leave empty for no limit."),
        ],
    )
