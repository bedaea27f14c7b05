"""Password storage meets OWASP ASVS 5.0 (argon2id, m >= 19 MiB, t >= 2, p >= 1)."""

import re

import sqlalchemy as sa

from academy.auth.models import User
from academy.auth.passwords import hash_password, password_problems, verify_password
from academy.cli import DEMO_ACCOUNTS
from academy.extensions import db
from tests.helpers import post_form

ARGON2 = re.compile(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$")


def assert_meets_asvs(password_hash: str) -> None:
    match = ARGON2.match(password_hash)
    assert match, f"not an argon2id hash: {password_hash[:20]}"
    memory_kib, time_cost, parallelism = map(int, match.groups())
    assert memory_kib >= 19 * 1024 and time_cost >= 2 and parallelism >= 1


def test_hashes_are_argon2id_with_strong_parameters():
    assert_meets_asvs(hash_password("any password at all"))


def test_stored_hash_of_a_changed_password_meets_the_parameters(app, trainee_client, trainee):
    new = "cloughfold to waterfoot by the river"
    post_form(
        trainee_client,
        "/auth/password",
        {
            "current_password": "rossendale-valley-trainee-passphrase",
            "password": new,
            "confirm": new,
        },
    )
    with app.app_context():
        stored = db.session.scalar(sa.select(User.password_hash).where(User.id == trainee.id))
    assert_meets_asvs(stored)
    assert verify_password(stored, new)
    assert new not in stored


def test_passwords_are_checked_exactly_as_typed():
    stored = hash_password("  Spaces Matter Here  ")
    assert verify_password(stored, "  Spaces Matter Here  ")
    assert not verify_password(stored, "Spaces Matter Here")


def test_policy_explains_each_problem():
    assert "at least 12" in password_problems("short")[0]
    assert "at most 128" in password_problems("a" * 129)[0]
    assert password_problems("qwertyuiop123")
    assert password_problems("jordanclegg2026", email="jordanclegg2026@example.com")
    assert password_problems("correct horse battery staple lancashire") == []


def test_demo_passwords_meet_the_policy():
    for _role, email, name, password in DEMO_ACCOUNTS:
        assert password_problems(password, email=email, full_name=name) == []
