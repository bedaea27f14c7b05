"""Configuration from ACADEMY_* variables; production refuses unsafe settings."""

import pytest

from academy import create_app
from academy.config import UnsafeConfiguration

STRONG_KEY = "k" * 48


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("ACADEMY_SECRET_KEY", raising=False)
    with pytest.raises(UnsafeConfiguration, match="ACADEMY_SECRET_KEY"):
        create_app({"ACADEMY_ENV": "production", "INSTANCE_PATH": str(tmp_path)})


def test_production_refuses_debug(monkeypatch, tmp_path):
    monkeypatch.setenv("ACADEMY_SECRET_KEY", STRONG_KEY)
    monkeypatch.setenv("ACADEMY_DEBUG", "1")
    with pytest.raises(UnsafeConfiguration, match="DEBUG"):
        create_app({"ACADEMY_ENV": "production", "INSTANCE_PATH": str(tmp_path)})


def test_production_cookies_are_secure_host_only(monkeypatch, tmp_path):
    monkeypatch.setenv("ACADEMY_SECRET_KEY", STRONG_KEY)
    monkeypatch.setenv("ACADEMY_CERTIFICATE_SIGNING_KEY", "s" * 48)
    monkeypatch.setenv("ACADEMY_PUBLIC_URL", "https://academy.example.com")
    app = create_app({"ACADEMY_ENV": "production", "INSTANCE_PATH": str(tmp_path)})
    config = app.config
    assert config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert config["REMEMBER_COOKIE_NAME"] == "__Host-remember"
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["SESSION_COOKIE_HTTPONLY"] and config["REMEMBER_COOKIE_HTTPONLY"]
    assert config["SESSION_COOKIE_SAMESITE"] == config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    assert config["HSTS"]


def test_settings_come_from_academy_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("ACADEMY_DATABASE_URL", "postgresql+psycopg://u@db.example/academy")
    monkeypatch.setenv("ACADEMY_RATELIMIT_STORAGE_URL", "redis://127.0.0.1:6379/3")
    monkeypatch.setenv("ACADEMY_SESSION_IDLE_MINUTES", "45")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/academy"
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    assert app.config["SESSION_IDLE_MINUTES"] == 45


def test_development_defaults_to_sqlite_under_instance_with_a_kept_secret(monkeypatch, tmp_path):
    monkeypatch.delenv("ACADEMY_DATABASE_URL", raising=False)
    monkeypatch.delenv("ACADEMY_SECRET_KEY", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path)})
    second = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert first.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/academy.sqlite3"
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32


def test_unknown_profile_is_refused(tmp_path):
    with pytest.raises(UnsafeConfiguration, match="ACADEMY_ENV"):
        create_app({"ACADEMY_ENV": "staging", "INSTANCE_PATH": str(tmp_path)})


@pytest.mark.parametrize(
    ("variable", "message"),
    [
        ("ACADEMY_CERTIFICATE_SIGNING_KEY", "CERTIFICATE_SIGNING_KEY"),
        ("ACADEMY_PUBLIC_URL", "PUBLIC_URL"),
    ],
)
def test_production_refuses_to_start_without_certificate_settings(
    monkeypatch, tmp_path, variable, message
):
    monkeypatch.setenv("ACADEMY_SECRET_KEY", STRONG_KEY)
    monkeypatch.setenv("ACADEMY_CERTIFICATE_SIGNING_KEY", "s" * 48)
    monkeypatch.setenv("ACADEMY_PUBLIC_URL", "https://academy.example.com")
    monkeypatch.delenv(variable)
    with pytest.raises(UnsafeConfiguration, match=message):
        create_app({"ACADEMY_ENV": "production", "INSTANCE_PATH": str(tmp_path)})


def test_a_sqlite_file_writes_ahead_so_pages_read_while_answers_are_saved(tmp_path):
    """WAL: a reader is not locked out by a writer's commit, and a busy writer waits."""
    from academy.extensions import db

    url = f"sqlite:///{tmp_path / 'academy.sqlite3'}"
    app = create_app(
        {"ACADEMY_ENV": "testing", "INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": url}
    )
    assert "pool_pre_ping" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        db.engine.dispose()


def test_a_server_database_is_pinged_before_use_so_a_restart_costs_no_request(tmp_path):
    url = "postgresql+psycopg://u@db.example/academy"
    app = create_app(
        {"ACADEMY_ENV": "testing", "INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": url}
    )
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
