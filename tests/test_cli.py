"""Command-line set-up: demo accounts once, printed log-ins, and creating users."""

import sqlalchemy as sa

from academy.auth.models import Role, User
from academy.cli import DEMO_ACCOUNTS
from academy.cohorts.models import CohortMembership
from academy.extensions import db


def test_demo_load_creates_accounts_once_and_prints_their_log_ins(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    for _role, email, _name, password in DEMO_ACCOUNTS:
        assert email in first.output and password in first.output
    assert "Invite code" in first.output

    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0
    assert "Created the demo accounts" not in second.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 4
        assert db.session.scalar(sa.select(sa.func.count(CohortMembership.id))) == 2


def test_demo_load_leaves_a_real_academy_alone(app, admin):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_users_create_makes_an_account_and_checks_the_password(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "lead@academy.example.com",
            "--name",
            "Lead Admin",
            "--role",
            "admin",
            "--password",
            "whitworth square mile morning",
        ]
    )
    assert result.exit_code == 0, result.output
    weak = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "weak@academy.example.com",
            "--name",
            "Weak",
            "--password",
            "short",
        ]
    )
    assert weak.exit_code != 0 and "at least 12" in weak.output
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "lead@academy.example.com"))
        assert user.role == Role.ADMIN
