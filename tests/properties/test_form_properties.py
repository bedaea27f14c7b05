"""Every form in the academy, posted hostile values by Hypothesis as the role that uses it.

Each example posts one drawn body to *every* form of a role in turn (with a valid CSRF
token, so the form's own logic is what is tested), following redirects like a browser.
For each answer: never a 5xx, a clear message (a field error, a flash message or the
error page), hostile markup escaped, and nothing stored that should not be. Fields are
sometimes good and sometimes hostile, and sometimes missing, so that each check is
reached with the others passing; unexpected extra fields come along too.

``tests/security/routes.py`` walks the URL map; ``test_every_post_route_is_fuzzed`` checks
that each POST route is covered here or in the JSON tests.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

import sqlalchemy as sa
from hypothesis import event, given, settings
from hypothesis import strategies as st

from academy import clock
from academy.auth.models import Role, User
from academy.certificates.models import Certificate
from academy.cohorts.models import Cohort, CohortMembership, InviteCode
from academy.cpd.models import ExternalActivity
from academy.cpd.services import METHODS
from academy.extensions import db
from academy.grading.models import Attachment, Mark, Submission, SubmissionVersion
from academy.grading.services import MAX_TEXT
from academy.mail.models import OutboxMessage
from academy.quizzes.models import Attempt, AttemptQuestion, AttemptState, SavedAnswer
from academy.simulator.models import SavedRun
from academy.simulator.params import validate
from academy.storage import KINDS
from tests.helpers import DEFAULT_PASSWORD
from tests.properties.checks import count, page_is_clear
from tests.properties.conftest import Visitor
from tests.properties.strategies import NASTY, form, hostile_text, maybe
from tests.properties.world import PNG, STRONG_PASSWORD, World

PROFILE = settings.get_profile("academy-properties")
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@dataclass
class Route:
    """One form: where it posts, what to post, and what must (not) have been stored."""

    name: str
    url: Callable[[World], str | st.SearchStrategy]
    body: Callable[[World], st.SearchStrategy]
    snapshot: Callable[[object, World], object] | None = None
    check: Callable[..., None] | None = None
    silent_ok: bool = False


def _draw_url(data, route: Route, world: World) -> str:
    url = route.url(world)
    return data.draw(url, label=f"{route.name} url") if isinstance(url, st.SearchStrategy) else url


def _post_all(app, data, visitor: Visitor, world: World, routes: list[Route]) -> None:
    """Post a drawn body to each route; report every failing route at the end.

    The examples of one test share a database (a world per example would cost seconds),
    so a failure may depend on what earlier examples stored. Drawing every route's body
    even after a failure keeps the draws the same whatever the state, so that Hypothesis
    reports the failure itself rather than "inconsistent data generation".
    """
    failures = []
    for route in routes:
        url = _draw_url(data, route, world)
        body = data.draw(route.body(world), label=route.name)
        try:
            before = route.snapshot(app, world) if route.snapshot else None
            response = visitor.post(url, body)
            text = page_is_clear(response, silent_ok=route.silent_ok)
            # --hypothesis-show-statistics lists how each form answered.
            outcome = "field error" if 'class="error-message"' in text else response.status_code
            event(f"{route.name}: {outcome}")
            if route.check:
                route.check(app, world, before, response, text, body)
        except Exception as error:  # noqa: BLE001 - reported below, with the route's name
            error.add_note(f"while posting to {route.name} at {url}")
            failures.append(error)
            continue
        token = _CSRF_META.search(text)
        if token:  # a session restarted by the form (a password change) has a new token
            visitor.token = token.group(1)
    if failures:
        if len(failures) == 1:
            raise failures[0]
        raise ExceptionGroup(f"{len(failures)} forms failed", failures)


# --- Values -----------------------------------------------------------------------------

ids = st.sampled_from([0, 1, 2, 3, 99_999, 2**31, 2**63 - 1, 2**63, 2**64 + 1, 10**30])
positions = st.one_of(st.sampled_from(["0", "1", "2", "3", "4"]), hostile_text)
sequences = maybe(st.integers(min_value=-(2**70), max_value=2**70).map(str))
today = lambda: clock.now().date().isoformat()  # noqa: E731


def upload(content_choices=(PNG, b"%PDF-1.4\n%%EOF\n", b"", b"<html><script>x</script>")):
    contents = st.one_of(st.sampled_from(list(content_choices)), st.binary(max_size=64))
    names = st.one_of(
        st.sampled_from(["scan.png", "plan.pdf", "../../etc/passwd", "a" * 400, "x.PNG.exe"]),
        st.text(alphabet=st.characters(codec="utf-8", exclude_characters='\x00\r\n"'), max_size=40),
    )
    return st.tuples(contents, names).map(lambda pair: (io.BytesIO(pair[0]), pair[1]))


def _maybe_list(values):
    return st.one_of(maybe(values), st.lists(maybe(values), max_size=4))


def _in(query: dict) -> str:
    return "?" + urlencode(query) if query else ""


# --- Checks shared by several forms -----------------------------------------------------


def created_only_with(model, message: str, *where):
    """A row of ``model`` is added exactly when the page says ``message``, never else."""

    def snapshot(app, world):
        return count(app, model, *where)

    def check(app, world, before, response, text, body):
        after = count(app, model, *where)
        assert after - before in (0, 1), f"{after - before} rows from one form"
        assert (after == before + 1) == (message in text), (
            f"stored={after > before} but message {message!r} shown={message in text}"
        )

    return snapshot, check


def _user_field(app, user_id: int, name: str):
    with app.app_context():
        return getattr(db.session.get(User, user_id), name)


# --- Anonymous visitors ----------------------------------------------------------------


def _emails(prefix: str):
    return st.integers(min_value=1, max_value=10**6).map(
        lambda n: f"{prefix}{n}@academy.example.com"
    )


def test_every_post_route_is_fuzzed(app):
    """The lists below (and the JSON tests) cover every POST route in the URL map."""
    from tests.properties.test_json_properties import JSON_ENDPOINTS

    covered = {
        *(r.name for r in PUBLIC), *(r.name for r in TRAINEE), *(r.name for r in TUTOR),
        *(r.name for r in ADMIN), "auth.logout", *JSON_ENDPOINTS,
    }  # fmt: skip
    posts = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())}
    assert posts - covered == set(), "POST routes without a property test"


def _register_check(app, world, before, response, text, body):
    after = count(app, User)
    welcomed = "Welcome to the academy" in text
    assert after - before == (1 if welcomed else 0), (before, after, welcomed)
    if welcomed:  # only a valid registration gets here: check what it stored
        with app.app_context():
            user = db.session.scalar(sa.select(User).order_by(User.id.desc()))
            assert user.role == Role.TRAINEE
            assert user.full_name.strip() and len(user.full_name) <= 120
            assert "\x00" not in user.full_name


def _reset_snapshot(app, world):
    return _user_field(app, world.victim.id, "password_hash")


def _reset_check(app, world, before, response, text, body):
    changed = _user_field(app, world.victim.id, "password_hash") != before
    assert changed == ("Your password has been set" in text)


def _forgot_snapshot(app, world):
    return count(app, OutboxMessage)


def _forgot_check(app, world, before, response, text, body):
    if count(app, OutboxMessage) > before:
        with app.app_context():
            message = db.session.scalar(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()))
            assert message.recipient == world.victim.email


PUBLIC = [
    Route(
        "auth.login",
        lambda w: "/auth/login",
        lambda w: form(
            {
                "email": maybe([w.victim.email, w.victim.email.upper()]),
                "password": maybe([DEFAULT_PASSWORD]),
                "remember": maybe(["y"]),
            }
        ),
        silent_ok=True,  # a good log-in lands quietly on the home page
    ),
    Route(
        "auth.register",
        lambda w: "/auth/register",
        lambda w: form(
            {
                "full_name": maybe(["Rita Registrant", "  Ana  "], valid_weight=2),
                "email": maybe(_emails("new"), valid_weight=2),
                "password": maybe([STRONG_PASSWORD], valid_weight=2),
                "confirm": maybe([STRONG_PASSWORD], valid_weight=2),
                "invite_code": maybe([w.invite_code, w.invite_code.lower()], valid_weight=2),
            }
        ),
        lambda app, w: count(app, User),
        _register_check,
    ),
    Route(
        "auth.forgot_password",
        lambda w: "/auth/password/forgot",
        lambda w: form({"email": maybe([w.victim.email, "nobody@example.com"])}),
        _forgot_snapshot,
        _forgot_check,
    ),
    Route(
        "auth.reset_password",
        lambda w: st.one_of(
            st.just(f"/auth/password/reset/{w.reset_token}"),
            st.sampled_from(["x", "a" * 600, w.reset_token[:-3] + "abc", "%00", "..%2f"]).map(
                lambda t: f"/auth/password/reset/{t}"
            ),
        ),
        lambda w: form({"password": maybe([STRONG_PASSWORD]), "confirm": maybe([STRONG_PASSWORD])}),
        _reset_snapshot,
        _reset_check,
    ),
]


@settings(PROFILE, max_examples=25)
@given(data=st.data())
def test_public_forms(app, world, data):
    for route in PUBLIC:
        # A fresh browser for each: a good log-in or registration would change the session.
        _post_all(app, data, Visitor(app), world, [route])


@settings(PROFILE, max_examples=4)
@given(body=form({}))
def test_logout_form(app, world, body):
    visitor = Visitor(app, world.trainee.email)
    page_is_clear(visitor.post("/auth/logout", body))


# --- Trainees --------------------------------------------------------------------------


def _quiz_fields(w: World):
    fields = {"sequence": sequences, "action": maybe(["next", "previous", "finish", "stay"])}
    for slot in w.slot_ids:
        fields[f"q{slot}"] = _maybe_list(["0", "1", "2", "true", "false", "3.2"])
        for suffix in ("0", "1", "2", "3", "unit", "s-case-a", "s-case-b", "s-case-b-unit"):
            fields[f"q{slot}-{suffix}"] = maybe(["0", "1", "2", "3", "J/cm²", "weeks", "6"])
    return fields


def _answers_stay_in_their_attempt(app, world):
    with app.app_context():
        rows = db.session.execute(
            sa.select(AttemptQuestion.attempt_id, sa.func.count(SavedAnswer.id))
            .join(SavedAnswer, SavedAnswer.attempt_question_id == AttemptQuestion.id)
            .group_by(AttemptQuestion.attempt_id)
        ).all()
    return dict(rows)


def _answers_check(app, world, before, response, text, body):
    after = _answers_stay_in_their_attempt(app, world)
    assert after.get(world.peer_attempt_id, 0) == before.get(world.peer_attempt_id, 0), (
        "an answer was saved into another trainee's attempt"
    )
    assert after.get(world.attempt_id, 0) <= len(world.slot_ids)
    with app.app_context():
        for response_value in db.session.scalars(
            sa.select(SavedAnswer.response)
            .join(AttemptQuestion)
            .where(AttemptQuestion.attempt_id == world.attempt_id)
        ):
            assert len(repr(response_value)) < 25_000, "an unbounded answer was stored"


def _attempt_state(app, world):
    with app.app_context():
        attempt = db.session.get(Attempt, world.attempt_id)
        return attempt.state, attempt.finished_at, attempt.score


def _submit_check(app, world, before, response, text, body):
    state, finished_at, score = _attempt_state(app, world)
    assert state in (AttemptState.IN_PROGRESS, AttemptState.FINISHED)
    if state == AttemptState.FINISHED:
        assert score is not None and finished_at is not None
    if before[0] == AttemptState.FINISHED:  # graded once: a later submission changes nothing
        assert (state, finished_at, score) == before


def _run_snapshot(app, world):
    return count(app, SavedRun)


def _run_check(app, world, before, response, text, body):
    after = count(app, SavedRun)
    assert (after == before + 1) == ("to your notes" in text and "Saved" in text)
    with app.app_context():
        for params in db.session.scalars(sa.select(SavedRun.params)):
            validate(params)  # what was stored is a valid parameter set


def _peer_runs_kept(app, world):
    return count(app, SavedRun, SavedRun.user_id == world.peer.id)


def _peer_runs_check(app, world, before, response, text, body):
    assert count(app, SavedRun, SavedRun.user_id == world.peer.id) == before


def _plan_check(app, world, before, response, text, body):
    with app.app_context():
        own_runs = set(
            db.session.scalars(sa.select(SavedRun.id).where(SavedRun.user_id == world.trainee.id))
        )
        versions = db.session.scalars(
            sa.select(SubmissionVersion).where(
                SubmissionVersion.submission_id == world.submission_id
            )
        )
        allowed = {"text", "method", "run", "sessions", "interval_weeks", "wait_weeks", "problems"}
        for version in versions:
            assert set(version.answers) <= set(world.task_keys)
            for answer in version.answers.values():
                assert set(answer) <= allowed
                assert len(answer.get("text") or "") <= MAX_TEXT
                if answer.get("run"):
                    assert answer["run"]["id"] in own_runs, "another trainee's run attached"
        assert count(app, Submission, Submission.trainee_id == world.trainee.id) == 1, (
            "one submission per trainee and case"
        )


def _attachments_check(app, world, before, response, text, body):
    after = count(app, Attachment)
    assert (after == before + 1) == ("Attached" in text)
    with app.app_context():
        types = set(db.session.scalars(sa.select(Attachment.content_type)))
    assert types <= {kind.content_type for kind in KINDS.values()}


def _external_fields(w: World, with_removal: bool = False):
    fields = {
        "title": maybe(["Nd:YAG safety update"], valid_weight=2),
        "provider": maybe(["Pendle Laser Society"], valid_weight=2),
        "method": maybe(list(METHODS), valid_weight=2),
        "start_date": maybe(st.builds(today), valid_weight=2),
        "end_date": maybe(st.builds(today), valid_weight=2),
        "hours": maybe(["2.5", "0.25", "200", "1.75"], valid_weight=2),
        "participatory_hours": maybe(["0", "1", "0.25"], valid_weight=2),
        "relevance": maybe(["Safety."], valid_weight=2),
        "learned": maybe(["Eyewear."], valid_weight=2),
        "practice_change": maybe(["I check OD."], valid_weight=2),
        "client_benefit": maybe(["Safer eyes."], valid_weight=2),
        "evidence": st.lists(upload(), max_size=2),
    }
    if with_removal:
        fields["remove_evidence"] = _maybe_list(["1", "2"])
    return form(fields)


def _externals_are_sound(app, world):
    with app.app_context():
        for activity in db.session.scalars(sa.select(ExternalActivity)):
            assert 0.25 <= activity.hours <= 200
            assert 0 <= activity.participatory_hours <= activity.hours
            assert date(2000, 1, 1) <= activity.start_date <= activity.end_date
            assert activity.end_date <= clock.now().date()
            assert activity.title.strip() and "\x00" not in activity.title


def _external_new_check(app, world, before, response, text, body):
    after = count(app, ExternalActivity)
    assert (after == before + 1) == ("Added to your CPD record" in text)
    _externals_are_sound(app, world)


def _external_snapshot(app, world):
    with app.app_context():
        activity = db.session.get(ExternalActivity, world.activity_id)
        return activity.updated_at


def _external_edit_check(app, world, before, response, text, body):
    with app.app_context():
        updated = db.session.get(ExternalActivity, world.activity_id).updated_at
    assert (updated != before) == ("Saved. A tutor will review" in text)
    _externals_are_sound(app, world)


def _password_snapshot(app, world):
    return _user_field(app, world.trainee.id, "password_hash")


def _password_check(app, world, before, response, text, body):
    changed = _user_field(app, world.trainee.id, "password_hash") != before
    assert changed == ("Your password has been changed" in text)


TRAINEE = [
    Route(
        "auth.change_password",
        lambda w: "/auth/password",
        lambda w: form(
            {
                "current_password": maybe([DEFAULT_PASSWORD]),
                "password": maybe([STRONG_PASSWORD]),
                "confirm": maybe([STRONG_PASSWORD]),
            }
        ),
        _password_snapshot,
        _password_check,
    ),
    Route(
        "quizzes.start",
        lambda w: st.sampled_from([f"/quizzes/{w.quiz_slug}/start", "/quizzes/nope/start"]),
        lambda w: form({}),
        silent_ok=True,  # resuming the attempt in progress
    ),
    Route(
        "quizzes.attempt_page",
        lambda w: st.tuples(
            st.sampled_from([w.attempt_id, w.peer_attempt_id]), maybe(["1", "2"])
        ).map(lambda pair: f"/attempts/{pair[0]}{_in({'page': pair[1]})}"),
        lambda w: form(_quiz_fields(w)),
        _answers_stay_in_their_attempt,
        _answers_check,
        silent_ok=True,  # "next" moves to the next page quietly
    ),
    Route(
        "catalogue.mark_read",
        lambda w: f"/modules/{w.module_slug}/lessons/{w.lesson_slug}/read",
        lambda w: form({}),
        silent_ok=True,
    ),
    Route(
        "simulator.save_run",
        lambda w: "/simulator/runs",
        lambda w: form(
            {
                "title": maybe(["Type V plan"]),
                "wavelength_nm": maybe(["1064", "532", "755"], valid_weight=3),
                "fluence_j_cm2": maybe(["2.5", "3.5"], valid_weight=3),
                "pulse_duration_ns": maybe(["6", "0.45"], valid_weight=2),
                "spot_diameter_mm": maybe(["4", "5"], valid_weight=2),
                "fitzpatrick_type": maybe(["5", "V", "ii"], valid_weight=2),
                "pigment_type": maybe(["carbon", "iron_oxide"], valid_weight=2),
                "pigment_density": maybe(["dense", "light"]),
                "layered": maybe(["on", "false"]),
                "passes": maybe(["1", "2"]),
                "repigmentation_after_weeks": maybe(["", "12"]),
            }
        ),
        _run_snapshot,
        _run_check,
    ),
    Route(
        "simulator.delete_run",
        lambda w: st.sampled_from([w.run_id, w.extra["peer_run_id"], 99_999]).map(
            lambda i: f"/simulator/runs/{i}/delete"
        ),
        lambda w: form({}),
        _peer_runs_kept,
        _peer_runs_check,
    ),
    Route(
        "grading.start",
        lambda w: st.sampled_from([f"/cases/{w.case_slug}/start", "/cases/nope/start"]),
        lambda w: form({}),
        silent_ok=True,
        check=_plan_check,
    ),
    Route(
        "grading.save_draft",
        lambda w: f"/cases/{w.case_slug}/draft",
        lambda w: form(
            {
                "task-method-method": maybe(["laser", "saline", "combined"]),
                "task-method-text": maybe(["1064 nm."]),
                "task-parameters-run": maybe([str(w.run_id), str(w.extra["peer_run_id"])]),
                "task-parameters-text": maybe(["Low fluence."]),
                "task-schedule-sessions": maybe(["7", "30"]),
                "task-schedule-interval_weeks": maybe(["8", "104"]),
                "task-schedule-wait_weeks": maybe(["12", "0"]),
                "task-schedule-text": maybe(["Long intervals."]),
                "task-aftercare-text": maybe(["SPF 30."]),
                "sequence": sequences,
                "action": maybe(["save", "submit"]),
            }
        ),
        check=_plan_check,
    ),
    Route(
        "grading.reopen",
        lambda w: f"/cases/{w.case_slug}/reopen",
        lambda w: form({}),
    ),
    Route(
        "grading.upload",
        lambda w: f"/cases/{w.case_slug}/attachments",
        lambda w: form({"file": upload()}),
        lambda app, w: count(app, Attachment),
        _attachments_check,
    ),
    Route(
        "grading.delete_attachment",
        lambda w: st.sampled_from([w.attachment_id, 99_999]).map(
            lambda i: f"/attachments/{i}/delete"
        ),
        lambda w: form({}),
    ),
    Route(
        "cpd.new_external",
        lambda w: "/cpd/external/new",
        lambda w: _external_fields(w),
        lambda app, w: count(app, ExternalActivity),
        _external_new_check,
    ),
    Route(
        "cpd.edit_external",
        lambda w: f"/cpd/external/{w.activity_id}/edit",
        lambda w: _external_fields(w, with_removal=True),
        _external_snapshot,
        _external_edit_check,
    ),
    Route(
        "cpd.delete_external",
        lambda w: st.sampled_from([w.doomed_activity_id, 99_999]).map(
            lambda i: f"/cpd/external/{i}/delete"
        ),
        lambda w: form({}),
    ),
    Route("grading.notifications", lambda w: "/notifications", lambda w: form({}), silent_ok=True),
    # Last: submitting ends the attempt, after which the forms above meet a closed attempt.
    Route(
        "quizzes.submit",
        lambda w: f"/attempts/{w.attempt_id}/submit",
        lambda w: form({"page": maybe(["1", "2"]), **_quiz_fields(w)}),
        _attempt_state,
        _submit_check,
        silent_ok=True,
    ),
]


@settings(PROFILE, max_examples=12)
@given(data=st.data())
def test_trainee_forms(app, world, as_trainee, data):
    _post_all(app, data, as_trainee, world, TRAINEE)


# --- Tutors ----------------------------------------------------------------------------


def _written_snapshot(app, world):
    with app.app_context():
        slot = db.session.get(AttemptQuestion, world.written_slot_id)
        return slot.marked_at


def _written_check(app, world, before, response, text, body):
    with app.app_context():
        slot = db.session.get(AttemptQuestion, world.written_slot_id)
        if slot.marked_at != before:
            assert "Mark saved." in text
            assert 0 <= slot.fraction <= 1
        if slot.fraction is not None:
            assert 0 <= slot.fraction <= 1


def _marks_are_sound(app, world, before, response, text, body):
    with app.app_context():
        for mark in db.session.scalars(sa.select(Mark)):
            assert mark.outcome in (None, "pass", "refer", "return")
            assert set(mark.selections) <= set(world.criteria)
            for chosen in mark.selections.values():
                assert chosen["level"] is None or 0 <= chosen["level"] <= 2
                assert "\x00" not in chosen.get("comment", "")


def _review_snapshot(app, world):
    with app.app_context():
        return db.session.get(ExternalActivity, world.activity_id).status


def _review_check(app, world, before, response, text, body):
    status = _review_snapshot(app, world)
    if status != before:
        assert "Verified." in text or "Queried" in text


TUTOR = [
    Route(
        "quizzes.mark",
        lambda w: st.sampled_from([w.written_slot_id] * 4 + [w.slot_ids[0], 99_999]).map(
            lambda i: f"/marking/{i}"
        ),
        lambda w: form({"points": maybe(["0", "1", "0.5", "1e3", "-0"]), "comment": maybe(["Ok"])}),
        _written_snapshot,
        _written_check,
    ),
    Route(
        "grading.mark",
        lambda w: st.tuples(
            st.sampled_from([w.peer_submission_id] * 3 + [w.submission_id]),
            maybe(["first", "second"], valid_weight=3),
        ).map(lambda pair: f"/marking/submissions/{pair[0]}{_in({'role': pair[1]})}"),
        lambda w: form(
            {
                **{f"level-{key}": maybe(["0", "1", "2", ""]) for key in w.criteria},
                **{f"comment-{key}": maybe(["Good."]) for key in w.criteria},
                "overall_feedback": maybe(["Sound plan."]),
                "outcome": maybe(["pass", "refer", "return", ""]),
                "lock_version": maybe(["0", "1", "2", "3"]),
                "action": maybe(["save", "finish"]),
            }
        ),
        check=_marks_are_sound,
    ),
    Route(
        "grading.release",
        # Mostly not the marked plan: once released it cannot be marked, and the other
        # forms should meet it still open for a while.
        lambda w: st.sampled_from(
            [w.submission_id] * 3 + [99_999] * 2 + [w.peer_submission_id]
        ).map(lambda i: f"/marking/submissions/{i}/release"),
        lambda w: form({}),
    ),
    Route(
        "grading.release_many",
        lambda w: "/marking/release",
        lambda w: form(
            {"submission": _maybe_list([str(w.submission_id)] * 4 + [str(w.peer_submission_id)])}
        ),
    ),
    Route(
        "quizzes.regrade",
        lambda w: st.sampled_from([f"/quizzes/{w.quiz_slug}/regrade", "/quizzes/nope/regrade"]),
        lambda w: form({"question": maybe(w.question_keys)}),
        silent_ok=True,  # without a question it shows the page to choose one
    ),
    Route(
        "cpd.review_external",
        lambda w: st.sampled_from([w.activity_id, 99_999]).map(
            lambda i: f"/cpd/external/{i}/review"
        ),
        lambda w: form({"decision": maybe(["verify", "query"]), "note": maybe(["Add a date."])}),
        _review_snapshot,
        _review_check,
    ),
]


@settings(PROFILE, max_examples=25)
@given(data=st.data())
def test_tutor_forms(app, world, as_tutor, data):
    _post_all(app, data, as_tutor, world, TUTOR)


# --- Administrators --------------------------------------------------------------------


def _role_check(app, world, before, response, text, body):
    role = _user_field(app, world.victim.id, "role")
    assert role in set(Role)
    if role != before:
        assert "is now a" in text


def _lead_is_staff(app, world, before, response, text, body):
    with app.app_context():
        for cohort in db.session.scalars(sa.select(Cohort)):
            if cohort.lead_tutor_id is not None:
                lead = db.session.get(User, cohort.lead_tutor_id)
                assert lead.role in (Role.TUTOR, Role.ADMIN), "a trainee leads a cohort"


def _members_are_trainees(app, world, before, response, text, body):
    with app.app_context():
        roles = db.session.scalars(
            sa.select(User.role).join(CohortMembership, CohortMembership.user_id == User.id)
        )
        assert set(roles) <= {Role.TRAINEE}


def _invite_check(app, world, before, response, text, body):
    after = count(app, InviteCode)
    assert (after == before + 1) == ("New invite code" in text)
    with app.app_context():
        for invite in db.session.scalars(sa.select(InviteCode)):
            assert invite.max_uses is None or 1 <= invite.max_uses <= 1000


def _revoke_snapshot(app, world):
    with app.app_context():
        return db.session.get(Certificate, world.certificate_id).revoked_at


def _revoke_check(app, world, before, response, text, body):
    with app.app_context():
        certificate = db.session.get(Certificate, world.certificate_id)
    if certificate.revoked_at != before:
        assert "is revoked" in text
        assert 0 < len(certificate.revoked_reason.strip()) <= 500


_user_created = created_only_with(User, "Account created for")
_cohort_created = created_only_with(Cohort, "created.")
_certificate_issued = created_only_with(Certificate, "issued to")

ADMIN = [
    Route(
        "admin.create_user",
        lambda w: "/admin/users/new",
        lambda w: form(
            {
                "full_name": maybe(["Nia Newcomer"], valid_weight=2),
                "email": maybe(_emails("staff"), valid_weight=2),
                "role": maybe([r.value for r in Role], valid_weight=2),
            }
        ),
        *_user_created,
    ),
    Route(
        "admin.change_role",
        lambda w: st.sampled_from([w.victim.id, 99_999]).map(lambda i: f"/admin/users/{i}/role"),
        lambda w: form({"role": maybe([r.value for r in Role])}),
        lambda app, w: _user_field(app, w.victim.id, "role"),
        _role_check,
    ),
    Route(
        "admin.set_active",
        lambda w: st.sampled_from([w.victim.id, w.admin.id, 99_999]).map(
            lambda i: f"/admin/users/{i}/active"
        ),
        lambda w: form({"active": maybe(["0", "1"])}),
    ),
    Route(
        "admin.cohort_list",
        lambda w: "/admin/cohorts",
        lambda w: form(
            {
                "name": maybe(["Spring cohort"], valid_weight=2),
                "description": maybe(["Weekends."]),
                "lead_tutor": maybe([str(w.tutor.id), str(w.tutor2.id), str(w.trainee.id), ""]),
            }
        ),
        *_cohort_created,
    ),
    Route(
        "admin.set_lead_tutor",
        lambda w: f"/admin/cohorts/{w.cohort_id}/lead-tutor",
        lambda w: form(
            {"lead_tutor": maybe([str(w.tutor.id), str(w.tutor2.id), str(w.trainee.id), ""])}
        ),
        check=_lead_is_staff,
    ),
    Route(
        "admin.add_member",
        lambda w: f"/admin/cohorts/{w.cohort_id}/members",
        lambda w: form({"email": maybe([w.victim.email, w.peer.email, w.tutor.email])}),
        check=_members_are_trainees,
    ),
    Route(
        "admin.remove_member",
        lambda w: st.sampled_from([w.victim.id, 99_999]).map(
            lambda i: f"/admin/cohorts/{w.cohort_id}/members/{i}/remove"
        ),
        lambda w: form({}),
    ),
    Route(
        "admin.create_invite",
        lambda w: f"/admin/cohorts/{w.cohort_id}/invites",
        lambda w: form({"valid_days": maybe(["30", "", "365"]), "max_uses": maybe(["5", ""])}),
        lambda app, w: count(app, InviteCode),
        _invite_check,
    ),
    Route(
        "admin.revoke_invite",
        lambda w: st.sampled_from([w.invite_id, 99_999]).map(
            lambda i: f"/admin/cohorts/{w.cohort_id}/invites/{i}/revoke"
        ),
        lambda w: form({}),
    ),
    Route(
        "certificates.issue",
        lambda w: "/certificates/issue",
        lambda w: form(
            {
                "email": maybe([w.trainee.email, w.peer.email, w.tutor.email], valid_weight=2),
                "module": maybe(["physics", "safety"], valid_weight=2),
            }
        ),
        *_certificate_issued,
    ),
    Route(
        "certificates.revoke",
        lambda w: st.sampled_from([w.certificate_id, 99_999]).map(
            lambda i: f"/certificates/{i}/revoke"
        ),
        lambda w: form({"reason": maybe(["Issued in error."])}),
        _revoke_snapshot,
        _revoke_check,
    ),
    Route(
        "grading.moderation",
        lambda w: "/moderation",
        lambda w: form(
            {
                "submission": _maybe_list([str(w.peer_submission_id)]),
                "sample": maybe(["1", "5", "0"]),
            }
        ),
    ),
    Route(
        "grading.resolve",
        lambda w: st.sampled_from([w.peer_submission_id, 99_999]).map(
            lambda i: f"/moderation/{i}/resolve"
        ),
        lambda w: form({"choice": maybe(["first", "second", "agreed"])}),
        check=_marks_are_sound,
    ),
]


@settings(PROFILE, max_examples=20)
@given(data=st.data())
def test_admin_forms(app, world, as_admin, data):
    _post_all(app, data, as_admin, world, ADMIN)


def test_the_hostile_list_reaches_every_kind_of_field():
    """A sanity check on the strategies: the fixed list holds each family of trouble."""
    joined = "".join(NASTY)
    for needle in ("\x00", "\u202e", "<script>", "NaN", "1e309", "\u00b2", "9" * 5000):
        assert needle in joined
