"""Fixtures for the property-based tests: a small world, and clients logged in by role.

Hypothesis runs many examples inside one test function, so the world is built once per
test (the suite's autouse fixture empties every table afterwards) and the examples share
it. Examples are derived from a fixed seed (``derandomize``), so that CI runs the same
inputs every time; a failure is reported as drawn, without shrinking.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, Phase, settings

from tests.helpers import csrf_token, login
from tests.properties.world import World, build_world

settings.register_profile(
    "academy-properties",
    derandomize=True,
    deadline=None,
    # No shrinking: the examples of a test share a database, so a shrunk example would run
    # on a different state; the failing example is reported as drawn.
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

_addresses = itertools.count(1)


def fresh_address() -> str:
    """A different client address for each request, so per-address rate limits stay out of
    the way of the form logic under test (the limits have tests of their own)."""
    n = next(_addresses)
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


class Visitor:
    """A test client with its CSRF token read once from a page, as a browser keeps it."""

    def __init__(self, app, email: str | None = None):
        self.app = app
        self.email = email
        self.client = app.test_client()
        if email is not None:
            response = login(self.client, email)
            assert response.status_code == 302, "the world's user could not log in"
        self.token = csrf_token(self.client)

    def refresh(self) -> None:
        """Log in again (after an example logged out or changed the session)."""
        self.client = self.app.test_client()
        if self.email is not None:
            login(self.client, self.email)
        self.token = csrf_token(self.client)

    def post(self, url: str, data=None, **kwargs):
        self.client.environ_base["REMOTE_ADDR"] = fresh_address()
        payload = {"csrf_token": self.token, **(data or {})}
        return self.client.post(url, data=payload, follow_redirects=True, **kwargs)

    def post_json(self, url: str, body: bytes, content_type: str = "application/json"):
        self.client.environ_base["REMOTE_ADDR"] = fresh_address()
        return self.client.post(
            url, data=body, content_type=content_type, headers={"X-CSRFToken": self.token}
        )

    def get(self, url: str, **kwargs):
        self.client.environ_base["REMOTE_ADDR"] = fresh_address()
        return self.client.get(url, follow_redirects=True, **kwargs)


@pytest.fixture
def world(app, tmp_path) -> World:
    return build_world(app, tmp_path)


# Logged in once per test and kept across its examples (a log-in costs an argon2 hash).
@pytest.fixture
def as_trainee(app, world) -> Visitor:
    return Visitor(app, world.trainee.email)


@pytest.fixture
def as_tutor(app, world) -> Visitor:
    return Visitor(app, world.tutor.email)


@pytest.fixture
def as_admin(app, world) -> Visitor:
    return Visitor(app, world.admin.email)
