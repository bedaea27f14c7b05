"""The shared little course as a fixture."""

from tests.course_helpers import course_fixture  # noqa: F401
