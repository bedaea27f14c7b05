"""Saved simulator runs: plain functions over the session (they flush; the request commits).

The grading issue attaches saved runs to case plans through ``saved_runs_for`` and
``get_run``, so both take a user id and never return another user's run.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa

from academy.clock import now
from academy.extensions import db
from academy.simulator import params as fields
from academy.simulator.engine import simulate
from academy.simulator.models import SavedRun

TITLE_MAX = 120
MAX_VALUE_LENGTH = 64  # no parameter needs more; a longer value is never echoed whole
MAX_RUNS_PER_USER = 200

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI"}


class RunRefused(ValueError):
    """The run cannot be saved (a bad title, or too many runs); the message says why."""


def given_params(raw: Mapping) -> dict:
    """The known, non-empty parameters of a query string or form, as the user typed them."""
    given = {}
    for name in fields.FIELDS:
        value = raw.get(name)
        if isinstance(value, str):
            value = value.strip()[:MAX_VALUE_LENGTH]
        if value is None or value == "":
            continue
        given[name] = value
    return given


def clean_params(raw: Mapping) -> dict:
    """Validate the given parameters; return only those, as typed values.

    Raises ``InvalidParameters``. Defaults are not stored, so the saved run says what the
    user chose; the derived one of energy and fluence is not stored either.
    """
    given = given_params(raw)
    valid = fields.validate(given)
    return {name: valid[name] for name in given}


def query_args(params: Mapping) -> dict:
    """Parameters as query-string values that reproduce the run on the simulator page."""
    out = {}
    for name, value in params.items():
        if isinstance(value, bool):
            out[name] = "true" if value else "false"
        elif isinstance(value, float):
            out[name] = f"{value:g}"
        else:
            out[name] = value
    return out


def summarise(result: dict) -> dict:
    """The key numbers and the verdict of a result, for listing a run without rerunning it."""
    inputs = result["inputs"]
    return {
        "model_version": result["model_version"],
        "wavelength_nm": inputs["wavelength_nm"],
        "fitzpatrick_type": inputs["fitzpatrick_type"],
        "pigment_type": inputs["pigment_type"],
        "fluence_j_cm2": result["fluence_j_cm2"],
        "fluence_at_pigment_j_cm2": result["fluence_at_pigment_j_cm2"],
        "epidermal_temperature_rise_k": result["epidermal_temperature_rise_k"],
        "regime": result["confinement"]["regime"],
        "first_session_fraction": result["clearance"]["first_session_fraction"],
        "sessions_to_90_percent": result["clearance"]["sessions_to_90_percent"],
        "risk_level": result["risk"]["level"],
        "flags": [flag["code"] for flag in result["risk"]["flags"]],
        "safe": result["verdict"]["safe"],
        "effective": result["verdict"]["effective"],
    }


def default_title(result: dict) -> str:
    inputs = result["inputs"]
    return (
        f"{inputs['wavelength_nm']} nm, {result['fluence_j_cm2']:g} J/cm², "
        f"{inputs['spot_diameter_mm']:g} mm, type {ROMAN[inputs['fitzpatrick_type']]}, "
        f"{inputs['pigment_type'].replace('_', ' ')}"
    )


def save_run(user_id: int, title: str | None, raw_params: Mapping) -> SavedRun:
    """Validate and simulate ``raw_params``, then store them with a summary of the result.

    Raises ``InvalidParameters`` for bad parameters and ``RunRefused`` for a bad title or
    when the user already keeps ``MAX_RUNS_PER_USER`` runs.
    """
    title = " ".join((title or "").split())
    if len(title) > TITLE_MAX:
        raise RunRefused(f"The title must be at most {TITLE_MAX} characters.")
    count = db.session.scalar(
        sa.select(sa.func.count(SavedRun.id)).where(SavedRun.user_id == user_id)
    )
    if count >= MAX_RUNS_PER_USER:
        raise RunRefused(
            f"You keep {MAX_RUNS_PER_USER} saved runs, the most allowed; delete some first."
        )
    params = clean_params(raw_params)
    result = simulate(params)
    run = SavedRun(
        user_id=user_id,
        title=title or default_title(result),
        params=params,
        summary=summarise(result),
        created_at=now(),
    )
    db.session.add(run)
    db.session.flush()
    return run


def saved_runs_for(user_id: int) -> list[SavedRun]:
    """The user's saved runs, newest first."""
    return list(
        db.session.scalars(
            sa.select(SavedRun)
            .where(SavedRun.user_id == user_id)
            .order_by(SavedRun.created_at.desc(), SavedRun.id.desc())
        )
    )


def get_run(user_id: int, run_id: int) -> SavedRun | None:
    """One of the user's runs, or None (also when the run belongs to someone else)."""
    return db.session.scalar(
        sa.select(SavedRun).where(SavedRun.id == run_id, SavedRun.user_id == user_id)
    )


def delete_run(user_id: int, run_id: int) -> bool:
    """Delete one of the user's runs; False if they have no such run."""
    run = get_run(user_id, run_id)
    if run is None:
        return False
    db.session.delete(run)
    db.session.flush()
    return True
