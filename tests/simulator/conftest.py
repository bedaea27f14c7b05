"""Fixtures for the simulator tests.

The engine tests use plain data, with no database and no Flask app; the tests of the pages,
the API and saved runs use the app and client fixtures of tests/conftest.py.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def sound_smp() -> dict:
    """A sound first session: carbon SMP on type II skin, Q-switched 1064 nm."""
    return {
        "wavelength_nm": 1064,
        "pulse_duration_ns": 6,
        "fluence_j_cm2": 4,
        "spot_diameter_mm": 4,
        "beam_profile": "flat_top",
        "fitzpatrick_type": 2,
        "pigment_type": "carbon",
        "pigment_depth_mm": 0.7,
        "pigment_density": "moderate",
        "pigment_age_years": 3,
    }
