"""Command-line tasks: ``flask --app academy <group> <command>``."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from academy.auth import services as accounts
from academy.auth.models import Role, User
from academy.auth.passwords import password_problems, verify_password
from academy.cohorts import services as cohorts
from academy.cohorts.models import Cohort
from academy.extensions import db

DEMO_COHORT = "Rossendale demo cohort"
DEMO_ACCOUNTS = [
    # (role, e-mail, full name, password): printed by `demo load` for a first log-in.
    (Role.ADMIN, "admin@academy.example.com", "Alex Admin", "demo-admin-pendle-hill"),
    (Role.TUTOR, "tutor@academy.example.com", "Tara Tutor", "demo-tutor-pendle-hill"),
    (Role.TRAINEE, "trainee1@academy.example.com", "Sam Trainee", "demo-trainee-one-pendle"),
    (Role.TRAINEE, "trainee2@academy.example.com", "Priya Trainee", "demo-trainee-two-pendle"),
]


def register_commands(app: Flask) -> None:
    app.cli.add_command(users_group)
    app.cli.add_command(demo_group)
    app.cli.add_command(content_group)


@click.group("users", cls=AppGroup, help="Create and manage accounts.")
def users_group():
    pass


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True, help="Full name as on certificates.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.TRAINEE.value)
@click.password_option(help="Prompted for, hidden, when not given.")
def create_user_command(email: str, full_name: str, role: str, password: str):
    """Create an account (for example the first administrator)."""
    problems = password_problems(password, email=email, full_name=full_name)
    if problems:
        raise click.BadParameter(problems[0], param_hint="password")
    try:
        user = accounts.create_user(email, full_name, password, Role(role))
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email}.")


@click.group("demo", cls=AppGroup, help="Demo accounts and data for trying the academy.")
def demo_group():
    pass


@demo_group.command("load")
def load_demo_command():
    """Create the demo accounts and cohort if the database has no users; print the log-ins."""
    has_users = db.session.scalar(sa.select(sa.func.count(User.id))) > 0
    if not has_users:
        created = {}
        for role, email, name, password in DEMO_ACCOUNTS:
            created[role, email] = accounts.create_user(email, name, password, role)
        tutor = created[Role.TUTOR, "tutor@academy.example.com"]
        cohort = cohorts.create_cohort(
            DEMO_COHORT, "Demo cohort for trying the academy.", lead_tutor=tutor
        )
        for (role, email), _user in created.items():
            if role == Role.TRAINEE:
                cohorts.add_trainee(cohort, email)
        admin = created[Role.ADMIN, "admin@academy.example.com"]
        cohorts.create_invite(cohort, admin, valid_days=None, max_uses=None)
        db.session.commit()
        click.echo("Created the demo accounts and cohort.")
    _print_demo_logins()


@demo_group.command("generate")
@click.option("--size", type=click.Choice(["S", "M", "XL"]), required=True,
              help="S: 100 trainees; M: 1,000; XL: 10,000 (a million saved answers).")  # fmt: skip
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The day the data is anchored to (default: today).")  # fmt: skip
def generate_demo_command(size: str, seed: int, today):
    """Fill the database with generated trainees, tutors and their activity (after content load)."""
    from academy.certificates.signing import signing_key
    from academy.scale import generator

    try:
        report = generator.generate(
            db.engine,
            size,
            seed,
            signing_key=signing_key(),
            today=today.date() if today else None,
            progress=click.echo,
        )
    except generator.GeneratorError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Generated size {size} (seed {seed}, anchored to {report.anchor}) in "
               f"{report.seconds:.1f} s:")  # fmt: skip
    for table, count in sorted(report.counts.items()):
        click.echo(f"  {table:<26}{count:>10,}")
    click.echo(f"Log-ins (password for all: {generator.PASSWORD}):")
    click.echo(f"  {generator.trainee_email(1)} … {generator.trainee_email(report.size.trainees)}")
    click.echo(f"  {generator.tutor_email(1)} … {generator.tutor_email(report.size.tutors)}")
    click.echo(f"  {generator.ADMIN_EMAIL}")


def _print_demo_logins() -> None:
    click.echo("\nDemo log-ins for http://127.0.0.1:5000/auth/login")
    for role, email, _name, password in DEMO_ACCOUNTS:
        user = accounts.find_user_by_email(email)
        if user is None:
            continue
        shown = password if verify_password(user.password_hash, password) else "(changed since)"
        click.echo(f"  {role.label:<13} {email:<32} {shown}")
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.name == DEMO_COHORT))
    if cohort is not None:
        for invite in cohort.invite_codes:
            if invite.revoked_at is None:
                click.echo(
                    f"  Invite code for registering a new trainee: "
                    f"{cohorts.format_code(invite.code)}"
                )
                break
    click.echo("")


@click.group("content", cls=AppGroup, help="Course and quiz content from the files.")
def content_group():
    pass


@content_group.command("load")
@click.option(
    "--courses",
    "courses_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder of modules (default: the configured courses/).",
)
@click.option(
    "--quizzes",
    "quizzes_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder of banks and quiz definitions (default: the configured quizzes/).",
)
def load_content_command(courses_dir: str | None, quizzes_dir: str | None):
    """Validate every content file and load them; on any mistake, load nothing."""
    from flask import current_app

    from academy.content import load_content
    from academy.contentfiles import ContentInvalid

    folder = Path(courses_dir or current_app.config["COURSES_DIR"])
    quiz_folder = Path(quizzes_dir or current_app.config["QUIZZES_DIR"])
    try:
        report = load_content(folder, quiz_folder)
    except ContentInvalid as invalid:
        db.session.rollback()
        for error in invalid.errors:
            click.echo(str(error), err=True)
        raise click.ClickException(
            f"{len(invalid.errors)} mistake(s) in the content files; nothing was loaded."
        ) from invalid
    db.session.commit()
    click.echo(f"Loaded {folder} and {quiz_folder}: {report}.")


@content_group.command("stats")
@click.option("--courses", "courses_dir", type=click.Path(file_okay=False), default=None)
def content_stats_command(courses_dir: str | None):
    """Print each module's lessons, words and cited sources (for reviewing the course)."""
    from flask import current_app

    from academy.catalogue.loader import parse_courses
    from academy.markdown import plain_text

    modules = parse_courses(Path(courses_dir or current_app.config["COURSES_DIR"]))
    click.echo(f"{'module':<28}{'lessons':>8}{'words':>8}{'sources':>9}{'CPD h':>7}")
    for module in modules:
        words = sum(len(plain_text(lesson.body).split()) for lesson in module.lessons)
        cited = {key for lesson in module.lessons for key in lesson.reference_keys}
        click.echo(
            f"{module.slug:<28}{len(module.lessons):>8}{words:>8}{len(cited):>9}"
            f"{module.cpd_hours:>7}"
        )
