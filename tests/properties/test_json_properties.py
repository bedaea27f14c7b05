"""The JSON endpoints under hostile bodies: the simulator's public API and the autosaves.

Bodies of every shape (not JSON at all, JSON of the wrong shape, the right shape with
wrong types, NaN and Infinity, huge integers, lone surrogates, NUL, deep nesting): the
reply is always JSON, a 4xx always says what was wrong, and the database changes only
when the reply says it saved, and then exactly as it says.
"""

from __future__ import annotations

import json
import math

import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from academy.extensions import db
from academy.grading.models import Mark, SubmissionVersion
from academy.quizzes.models import AttemptQuestion, SavedAnswer
from academy.simulator.params import FIELDS, validate
from tests.properties.checks import json_error
from tests.properties.conftest import fresh_address
from tests.properties.strategies import (
    encode_json,
    field_names,
    hostile_text,
    json_scalars,
    json_values,
    raw_bodies,
)
from tests.properties.test_form_properties import _plan_check

PROFILE = settings.get_profile("academy-properties")
JSON_ENDPOINTS = {
    "simulator.api_simulate",
    "quizzes.autosave",
    "grading.autosave",
    "grading.autosave_mark",
}

# --- The simulator API -----------------------------------------------------------------

GOOD_VALUES = {
    "wavelength_nm": [1064, 532, "755", 694.0],
    "fluence_j_cm2": [2.5, "3.5", 0.1, 30],
    "pulse_energy_mj": [400, "250"],
    "pulse_duration_ns": [6, 0.45, "10"],
    "spot_diameter_mm": [4, "5", 10],
    "fitzpatrick_type": [5, "V", "ii", 1],
    "pigment_type": ["carbon", "Iron_Oxide", " mixed "],
    "pigment_density": ["dense", "light"],
    "layered": [True, "on", 0],
    "passes": [1, "2"],
    "sessions": [6, "8"],
    "interval_weeks": [6, 8.5],
    "pigment_depth_mm": [0.7, "1"],
    "pigment_age_years": [0, 3],
    "particle_diameter_um": [None, 1.0],
    "scarring": ["none", "minimal"],
    "target_clearance_percent": [90, "95"],
    "repigmentation_after_weeks": [None, "", 12],
    "beam_profile": ["flat_top", "gaussian"],
    "repetition_rate_hz": [5, "2"],
}
assert set(GOOD_VALUES) <= set(FIELDS)

param_values = st.one_of(json_scalars, json_values)
parameter_sets = st.fixed_dictionaries(
    {"fluence_j_cm2": st.one_of(st.sampled_from(GOOD_VALUES["fluence_j_cm2"]), param_values)},
    optional={
        name: st.one_of(st.sampled_from(values), st.sampled_from(values), param_values)
        for name, values in GOOD_VALUES.items()
        if name != "fluence_j_cm2"
    },
)
api_bodies = st.one_of(
    parameter_sets.map(encode_json),
    st.tuples(parameter_sets, st.dictionaries(st.text(max_size=12), param_values, max_size=2)).map(
        lambda pair: encode_json({**pair[1], **pair[0]})
    ),
    json_values.map(encode_json),
    raw_bodies,
)
content_types = st.sampled_from(
    ["application/json", "application/json; charset=utf-8", "text/plain", "", "multipart/x"]
)


def _valid(body: bytes) -> bool:
    """Whether the body is a parameter set the simulator should run (by the validator)."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        return False
    try:
        validate(payload)
    except Exception:  # noqa: BLE001 - the server must say 400 for anything the validator refuses
        return False
    return True


@settings(PROFILE, max_examples=200)
@given(body=api_bodies, content_type=content_types)
def test_simulate_api_answers_every_body_with_json(app, body, content_type):
    client = app.test_client()
    response = client.post(
        "/api/v1/simulate",
        data=body,
        content_type=content_type,
        environ_base={"REMOTE_ADDR": fresh_address()},
    )
    payload = json_error(response)
    assert response.status_code in (200, 400, 413), response.status_code
    if response.status_code == 200:
        assert _valid(body), "the API ran parameters that the validator refuses"
        assert {"inputs", "clearance"} <= set(payload) or "inputs" in payload
        for key, value in payload["inputs"].items():
            if isinstance(value, float):
                assert math.isfinite(value), key
    else:
        assert not _valid(body) or response.status_code == 413
        errors = payload.get("errors")
        assert isinstance(errors, dict) and errors
        assert all(isinstance(k, str) and isinstance(v, str) and v for k, v in errors.items())


# --- The quiz autosave -----------------------------------------------------------------


def _answers(app) -> dict:
    with app.app_context():
        rows = db.session.execute(
            sa.select(
                SavedAnswer.attempt_question_id,
                AttemptQuestion.attempt_id,
                SavedAnswer.sequence,
                SavedAnswer.response,
            ).join(AttemptQuestion, AttemptQuestion.id == SavedAnswer.attempt_question_id)
        ).all()
    by_slot = {}
    for slot, attempt, sequence, response in rows:
        assert slot not in by_slot, "two saved answers for one question"
        by_slot[slot] = (attempt, sequence, json.dumps(response, sort_keys=True))
    return by_slot


def _field_values():
    return st.one_of(
        st.sampled_from(["0", "1", "2", "3", "true", "false", "3.2", "J/cm²", "weeks"]),
        hostile_text,
        json_values,
        st.lists(st.one_of(st.sampled_from(["0", "1", "2"]), json_scalars), max_size=4),
    )


def _quiz_payloads(world):
    own, other = world.slot_ids, world.peer_slot_ids
    slot = st.one_of(
        st.sampled_from(own), st.sampled_from(own), st.sampled_from(other), json_values
    )

    def fields_for(slot_id):
        names = [f"q{slot_id}"] + [
            f"q{slot_id}-{s}" for s in ("0", "1", "2", "3", "unit", "s-case-a", "s-case-b")
        ]
        return st.dictionaries(
            st.one_of(st.sampled_from(names), field_names), _field_values(), max_size=6
        )

    structured = st.fixed_dictionaries(
        {},
        optional={
            "slot": slot,
            "sequence": st.one_of(
                st.integers(min_value=0, max_value=2**62),
                st.integers(min_value=-(2**70), max_value=2**70),
                json_values,
            ),
            "fields": st.one_of(fields_for(own[0]), fields_for(own[-1]), json_values),
            "extra": json_values,
        },
    )
    # Most bodies name a real slot with a whole sequence, so the saving itself is reached.
    typical = st.builds(
        lambda s, seq, fields: {"slot": s, "sequence": seq, "fields": fields},
        st.sampled_from(own),
        st.integers(min_value=0, max_value=2**62),
        st.one_of(*(fields_for(s) for s in own)),
    )
    return st.one_of(typical, typical, structured, json_values)


@settings(PROFILE, max_examples=120)
@given(data=st.data())
def test_quiz_autosave_saves_only_what_it_says(app, world, as_trainee, data):
    payload = data.draw(_quiz_payloads(world), label="payload")
    raw = data.draw(st.one_of(st.just(encode_json(payload)), raw_bodies), label="body")
    before = _answers(app)
    response = as_trainee.post_json(f"/attempts/{world.attempt_id}/autosave", raw)
    reply = json_error(response)
    after = _answers(app)
    changed = {slot for slot in after if after[slot] != before.get(slot)}
    assert all(after[slot][0] == world.attempt_id for slot in changed), (
        "an answer was saved outside the trainee's attempt"
    )
    if response.status_code == 200 and reply.get("saved"):
        sent = json.loads(raw)
        assert changed <= {sent["slot"]}
        assert after[sent["slot"]][1] == sent["sequence"]
    else:
        assert not changed, f"nothing should change on {response.status_code} {reply}"


# --- The case plan autosave ------------------------------------------------------------


def _version(app, world):
    with app.app_context():
        version = db.session.scalar(
            sa.select(SubmissionVersion)
            .where(SubmissionVersion.submission_id == world.submission_id)
            .order_by(SubmissionVersion.number.desc())
        )
        return version.sequence, json.dumps(version.answers, sort_keys=True)


def _plan_payloads(world):
    names = [
        "task-method-method",
        "task-method-text",
        "task-parameters-run",
        "task-parameters-text",
        "task-schedule-sessions",
        "task-schedule-interval_weeks",
        "task-schedule-wait_weeks",
        "task-schedule-text",
        "task-aftercare-text",
    ]
    values = st.one_of(
        st.sampled_from(["laser", "saline", "7", "8", "12", str(world.run_id)]),
        st.just(str(world.extra["peer_run_id"])),
        _field_values(),
    )
    fields = st.dictionaries(st.one_of(st.sampled_from(names), field_names), values, max_size=9)
    typical = st.builds(
        lambda seq, f: {"sequence": seq, "fields": f},
        st.integers(min_value=0, max_value=2**62),
        fields,
    )
    structured = st.fixed_dictionaries(
        {},
        optional={
            "sequence": st.one_of(st.integers(min_value=-(2**70), max_value=2**70), json_values),
            "fields": st.one_of(fields, json_values),
            "extra": json_values,
        },
    )
    return st.one_of(typical, typical, structured, json_values)


@settings(PROFILE, max_examples=100)
@given(data=st.data())
def test_case_autosave_saves_only_what_it_says(app, world, as_trainee, data):
    payload = data.draw(_plan_payloads(world), label="payload")
    raw = data.draw(st.one_of(st.just(encode_json(payload)), raw_bodies), label="body")
    before = _version(app, world)
    response = as_trainee.post_json(f"/cases/{world.case_slug}/autosave", raw)
    reply = json_error(response)
    after = _version(app, world)
    if response.status_code == 200 and reply.get("saved"):
        assert after[0] == json.loads(raw)["sequence"]
    else:
        assert after == before, f"the plan changed on {response.status_code} {reply}"
    _plan_check(app, world, None, response, "", None)


# --- The tutor's mark autosave ---------------------------------------------------------


def _marks(app):
    with app.app_context():
        return {
            mark.id: (mark.lock_version, json.dumps(mark.selections, sort_keys=True), mark.outcome)
            for mark in db.session.scalars(sa.select(Mark))
        }


@settings(PROFILE, max_examples=80)
@given(data=st.data())
def test_mark_autosave_saves_only_what_it_says(app, world, as_tutor, data):
    before = _marks(app)
    current_lock = max((lock for lock, _s, _o in before.values()), default=0)
    level = st.one_of(st.sampled_from([0, 1, 2, "1", "", None]), json_scalars)
    selection = st.one_of(
        st.fixed_dictionaries({}, optional={"level": level, "comment": json_scalars}),
        json_values,
    )
    selections = st.one_of(
        st.dictionaries(st.one_of(st.sampled_from(world.criteria), st.text(max_size=8)), selection,
                        max_size=5),
        json_values,
    )  # fmt: skip
    payload = data.draw(
        st.one_of(
            st.fixed_dictionaries(
                {
                    "selections": selections,
                    "lock_version": st.one_of(st.just(current_lock), json_scalars),
                },
                optional={
                    "role": st.one_of(st.sampled_from(["first", "second"]), json_scalars),
                    "overall_feedback": json_values,
                    "outcome": st.one_of(st.sampled_from(["pass", "refer", "return"]), json_values),
                },
            ),
            json_values,
        ),
        label="payload",
    )
    raw = data.draw(st.one_of(st.just(encode_json(payload)), raw_bodies), label="body")
    response = as_tutor.post_json(f"/marking/submissions/{world.peer_submission_id}/autosave", raw)
    reply = json_error(response)
    after = _marks(app)
    if response.status_code == 200:
        assert reply["saved"] is True and isinstance(reply["lock_version"], int)
    else:
        assert after == before, f"a mark changed on {response.status_code} {reply}"
    with app.app_context():
        for mark in db.session.scalars(sa.select(Mark)):
            assert set(mark.selections) <= set(world.criteria)
            for chosen in mark.selections.values():
                assert chosen["level"] is None or chosen["level"] in (0, 1, 2)
            assert mark.outcome in (None, "pass", "refer", "return")
