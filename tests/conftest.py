"""Fixtures for every test: an app on a migrated database, clients, and users of each role.

The suite runs on SQLite by default and on PostgreSQL when ACADEMY_TEST_DATABASE_URL is
set. The schema is built by the Alembic migrations (so every run exercises them), and
every table is emptied after each test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from academy import clock, create_app
from academy.auth.models import Role, User
from academy.extensions import db, limiter
from tests.helpers import DEFAULT_PASSWORD_HASH, login

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("ACADEMY_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'academy-test.sqlite3'}"


def reset_schema(url: str) -> None:
    """Start from an empty database: the migrations must build everything."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        else:
            sa.MetaData().reflect(connection)
            for table in reversed(sa.MetaData().sorted_tables):
                table.drop(connection)
    engine.dispose()


def make_app(url: str, instance_path: Path, **overrides):
    return create_app(
        {
            "ACADEMY_ENV": "testing",
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_PATH": str(instance_path),
            "SERVER_NAME": "localhost",
            **overrides,
        }
    )


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return _database_url(tmp_path_factory)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    reset_schema(database_url)
    application = make_app(database_url, tmp_path_factory.mktemp("instance"))
    with application.app_context():
        upgrade(directory=MIGRATIONS)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_state(request):
    """Empty every table, reset the clock and the rate limits after each test."""
    yield
    clock.reset()
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as connection:
            if db.engine.dialect.name == "postgresql":
                truncate = f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"
                connection.execute(sa.text(truncate))
            else:
                for name in tables:
                    connection.execute(sa.text(f"DELETE FROM {name}"))  # noqa: S608 (our tables)
        limiter.reset()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    """Create a user directly in the database (password: tests.helpers.DEFAULT_PASSWORD)."""
    counter = iter(range(1, 10_000))

    def factory(role: Role = Role.TRAINEE, email: str | None = None, **fields) -> User:
        n = next(counter)
        with app.app_context():
            user = User(
                email=email or f"{role.value}{n}@academy.example.com",
                full_name=fields.pop("full_name", f"{role.label} Number{n}"),
                password_hash=fields.pop("password_hash", DEFAULT_PASSWORD_HASH),
                role=role,
                **fields,
            )
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return factory


@pytest.fixture
def trainee(make_user):
    return make_user(Role.TRAINEE)


@pytest.fixture
def tutor(make_user):
    return make_user(Role.TUTOR)


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


def _logged_in(app, user):
    client = app.test_client()
    response = login(client, user.email)
    assert response.status_code == 302, "the fixture user could not log in"
    return client


@pytest.fixture
def trainee_client(app, trainee):
    return _logged_in(app, trainee)


@pytest.fixture
def tutor_client(app, tutor):
    return _logged_in(app, tutor)


@pytest.fixture
def admin_client(app, admin):
    return _logged_in(app, admin)
