"""Forms for the CPD record: an external activity, a tutor's review, an export period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from academy.clock import now
from academy.cpd.services import METHODS

REFLECTION_MAX = 5000
# CPD cycles are reckoned from 1990 to 2200 (see cpd.services.cycle_by_label).
EARLIEST_DAY = date(1990, 1, 1)
LATEST_DAY = date(2200, 12, 31)


def _reflection(label: str, hint: str) -> TextAreaField:
    return TextAreaField(
        label,
        description=hint,
        validators=[
            DataRequired(f"Write {label[0].lower()}{label[1:]}."),
            Length(max=REFLECTION_MAX),
        ],
    )


class HoursField(DecimalField):
    """A decimal field that refuses NaN and infinity, which ``Decimal`` parses happily and
    which range checks and comparisons cannot handle ("sNaN" even raises)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError("Enter a number of hours, such as 1.5.")


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ExternalActivityForm(FlaskForm):
    title = StringField(
        "Topic",
        description="What the activity was about, for example “Q-switched Nd:YAG safety update”.",
        validators=[DataRequired("Enter the topic."), Length(max=200)],
    )
    provider = StringField(
        "Provider",
        description="Who ran it: an organisation, a manufacturer, or your own clinic.",
        validators=[DataRequired("Enter the provider."), Length(max=200)],
    )
    method = SelectField(
        "Type of activity",
        choices=[SelectChoice(key, label) for key, label in METHODS.items()],
        validators=[DataRequired("Choose the type of activity.")],
    )
    start_date = DateField("First day", validators=[InputRequired("Enter the first day.")])
    end_date = DateField("Last day", validators=[InputRequired("Enter the last day.")])
    hours = HoursField(
        "CPD hours",
        places=2,
        description="The time spent learning, to the nearest quarter of an hour.",
        validators=[
            InputRequired("Enter the hours."),
            NumberRange(Decimal("0.25"), Decimal("200"), "Enter between 0.25 and 200 hours."),
        ],
    )
    participatory_hours = HoursField(
        "Participatory hours",
        places=2,
        default=Decimal(0),
        description="Of those, the hours spent learning with other people (0 if none).",
        validators=[
            InputRequired("Enter the participatory hours (0 if none)."),
            NumberRange(Decimal(0), Decimal("200"), "Enter between 0 and 200 hours."),
        ],
    )
    relevance = _reflection(
        "Relevance to your practice", "Why this topic matters for the removals you do."
    )
    learned = _reflection("What you learned", "The main things you learned.")
    practice_change = _reflection(
        "How it changes your practice", "What you now do differently, or will."
    )
    client_benefit = _reflection(
        "The benefit to your clients", "How your clients gain from the change."
    )
    evidence = MultipleFileField(
        "Evidence (optional)",
        description="Certificates, attendance records or photos: PDF, PNG, JPEG, GIF or WebP, "
        "up to 10 MB each, at most 5 per activity.",
    )
    remove_evidence = CheckboxList("Remove these files", coerce=int, validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        today = now().date()
        start, end = self.start_date.data, self.end_date.data
        if start and end and end < start:
            self.end_date.errors.append("The last day cannot be before the first day.")
            ok = False
        if start and start < EARLIEST_DAY:
            self.start_date.errors.append(f"Enter a day in {EARLIEST_DAY.year} or later.")
            ok = False
        if self.end_date.data and self.end_date.data > today:
            self.end_date.errors.append("Record an activity once it has taken place.")
            ok = False
        if (
            self.hours.data is not None
            and self.participatory_hours.data is not None
            and self.participatory_hours.data > self.hours.data
        ):
            self.participatory_hours.errors.append("This cannot be more than the CPD hours.")
            ok = False
        return ok


class ReviewForm(FlaskForm):
    decision = RadioField(
        "Your decision",
        choices=[
            SelectChoice("verify", "Verify: the entry and its evidence are in order"),
            SelectChoice("query", "Query: ask the trainee to correct or add something"),
        ],
        validators=[DataRequired("Choose verify or query.")],
    )
    note = TextAreaField(
        "Note to the trainee",
        description="Needed when you query an entry: say what should change.",
        validators=[Optional(), Length(max=2000)],
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.decision.data == "query" and not (self.note.data or "").strip():
            self.note.errors.append("Say what the trainee should correct or add.")
            ok = False
        return ok


class PeriodForm(FlaskForm):
    """A GET form choosing the period of an export."""

    class Meta:
        csrf = False

    start = DateField("From", validators=[Optional()])
    end = DateField("To (inclusive)", validators=[Optional()])
