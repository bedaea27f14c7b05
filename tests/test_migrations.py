"""Migrations build the schema from empty, tear it down, build it again and match the models."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy.engine import make_url

from academy.extensions import db
from tests.conftest import MIGRATIONS, make_app, reset_schema


@pytest.fixture
def scratch_database_url(database_url, tmp_path):
    """A database of its own, so going down to base never disturbs the other tests."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    name = f"{url.database}_migrations"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def table_names() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade_and_no_pending_changes(scratch_database_url, tmp_path):
    reset_schema(scratch_database_url)
    app = make_app(scratch_database_url, tmp_path)
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        assert table_names() == set(db.metadata.tables)

        downgrade(directory=MIGRATIONS, revision="base")
        assert table_names() == set()

        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == [], f"models and migrations disagree: {differences}"
        db.engine.dispose()
