"""200 trainees taking the same module quiz at once, against gunicorn on loopback.

    .venv/bin/python bench/concurrency_quiz.py                    # a fresh SQLite file
    .venv/bin/python bench/concurrency_quiz.py --db postgresql    # a fresh PostgreSQL database

Builds a fresh database (``flask db upgrade``, ``flask content load``, 200 trainees sharing
one argon2 hash), starts ``gunicorn -w 2 -b 127.0.0.1:PORT wsgi:app``, then lets every
trainee loose at once, each in its own thread with its own cookies: log in, open the
laser-physics module quiz, start it (a quarter double-click Start, two requests at once),
read both pages of the attempt, autosave answers to every question (several answers per
question, some sent out of order, some sent twice, some two at once), and submit (a
quarter submit twice at once). Then it checks the database directly:

- no response was an error (no 5xx, no refused connection, no unexpected 4xx);
- every question's stored answer is the one the trainee saved with the highest sequence
  (compared with what the question type reads from those fields): none lost, none
  duplicated, one saved answer per question;
- every trainee has exactly one attempt, finished, with score and percent set, every
  question graded and the score the sum of the questions' scores; CPD recorded once for
  each pass;
- submitted once and graded once, counted by the database itself: triggers added to this
  throwaway database log every change of an attempt's state and every question's first
  grade, so each attempt must show exactly one move to "submitted", one to "finished"
  and one grade per question, however many submit requests raced;
- a trainee who submitted once was told "submitted" once. (Of a double submission, the
  message may show on neither page or on both: it travels in the session cookie, which
  the two racing replies share, as two tabs of a browser would. The database's log above
  is what proves a single submission.)

Results go to bench/results/concurrency-<db>.json and a summary is printed.
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_server import (  # noqa: E402
    PG_ADMIN_URL,
    QUIZ,
    Browser,
    FreshDatabase,
    Server,
    an_answer,
    attempt_fields,
    create_trainees,
    log,
    machine,
    percentile,
    write_result,
)

SUBMITTED = "Your attempt has been submitted."


@dataclass
class Trainee:
    email: str
    rng: random.Random
    browser: Browser
    attempt_id: int | None = None
    # slot -> (sequence, fields) of the highest sequence sent; every save's reply
    last: dict = field(default_factory=dict)
    saves: list = field(default_factory=list)
    submit_replies: list = field(default_factory=list)
    double_start: bool = False
    problems: list = field(default_factory=list)
    timings: dict = field(default_factory=lambda: {"autosave": [], "page": [], "submit": []})


def _check(trainee: Trainee, reply, what: str, expect=(200,)) -> bool:
    if reply.status not in expect:
        trainee.problems.append(f"{what}: {reply.status} {reply.error or reply.body[:200]}")
        return False
    return True


def _twice(action):
    """Run ``action`` twice at the same moment (a double click); return both results."""
    results = [None, None]

    def run(i):
        results[i] = action()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _autosave(trainee: Trainee, slot: int, sequence: int, fields: dict) -> None:
    reply = trainee.browser.post_json(
        f"/attempts/{trainee.attempt_id}/autosave",
        {"slot": slot, "sequence": sequence, "fields": fields},
    )
    trainee.timings["autosave"].append(reply.seconds)
    if _check(trainee, reply, f"autosave q{slot}#{sequence}"):
        answer = reply.json() or {}
        trainee.saves.append((slot, sequence, bool(answer.get("saved"))))
        if "saved" not in answer:
            trainee.problems.append(f"autosave q{slot}: no 'saved' in {reply.body[:100]}")


def journey(trainee: Trainee, start_gate: threading.Barrier) -> None:
    browser, rng = trainee.browser, trainee.rng
    start_gate.wait()
    if not _check(trainee, browser.log_in(trainee.email), "log in"):
        return
    if "Log out" not in browser.get("/").body:
        trainee.problems.append("log in: not logged in")
        return
    reply = browser.get(f"/quizzes/{QUIZ}")
    if not _check(trainee, reply, "quiz page"):
        return
    trainee.double_start = rng.random() < 0.25
    starts = (
        _twice(lambda: browser.post(f"/quizzes/{QUIZ}/start"))
        if trainee.double_start
        else [browser.post(f"/quizzes/{QUIZ}/start")]
    )
    for reply in starts:
        if not _check(trainee, reply, "start"):
            return
    ids = {int(reply.url.rstrip("/").split("/")[-1].split("?")[0]) for reply in starts}
    if len(ids) != 1 or "/attempts/" not in starts[0].url:
        trainee.problems.append(f"start: landed on {[r.url for r in starts]}")
        return
    trainee.attempt_id = ids.pop()

    questions: dict[int, dict] = {}
    for page in (1, 2):
        reply = browser.get(f"/attempts/{trainee.attempt_id}?page={page}")
        trainee.timings["page"].append(reply.seconds)
        if _check(trainee, reply, f"attempt page {page}"):
            questions.update(attempt_fields(reply.body))
    if not questions:
        trainee.problems.append("attempt: no questions found on the pages")
        return

    # Plan every save first: 2-4 answers per question with rising sequences.
    plan = []
    sequence = rng.randrange(1, 10**6)
    for slot, inputs in questions.items():
        for _ in range(rng.randint(2, 4)):
            sequence += rng.randint(1, 5)
            plan.append((slot, sequence, an_answer(inputs, rng)))
    for slot, sequence, fields in plan:
        if sequence > trainee.last.get(slot, (-1, None))[0]:
            trainee.last[slot] = (sequence, fields)
    # Out of order: swap some neighbours, so an older save arrives after a newer one.
    for i in range(len(plan) - 1):
        if rng.random() < 0.2:
            plan[i], plan[i + 1] = plan[i + 1], plan[i]
    for slot, sequence, fields in plan:
        roll = rng.random()
        if roll < 0.1:  # two at once (two tabs, a retry racing the original)
            _twice(lambda s=slot, q=sequence, f=fields: _autosave(trainee, s, q, f))
        else:
            _autosave(trainee, slot, sequence, fields)
            if roll < 0.2:  # sent again (a retry after a slow reply)
                _autosave(trainee, slot, sequence, fields)

    if rng.random() < 0.25:
        replies = _twice(lambda: browser.post(f"/attempts/{trainee.attempt_id}/submit"))
    else:
        replies = [browser.post(f"/attempts/{trainee.attempt_id}/submit")]
    for reply in replies:
        trainee.timings["submit"].append(reply.seconds)
        if _check(trainee, reply, "submit") and "/review" not in reply.url:
            trainee.problems.append(f"submit: landed on {reply.url}")
        trainee.submit_replies.append(SUBMITTED in reply.body)


TRANSITION_LOG = {
    "sqlite": [
        "CREATE TABLE bench_log (attempt_id INTEGER, event TEXT)",
        "CREATE TRIGGER bench_state AFTER UPDATE OF state ON quiz_attempts "
        "WHEN NEW.state IS NOT OLD.state "
        "BEGIN INSERT INTO bench_log VALUES (NEW.id, NEW.state); END",
        "CREATE TRIGGER bench_grade AFTER UPDATE OF fraction ON attempt_questions "
        "WHEN OLD.fraction IS NULL AND NEW.fraction IS NOT NULL "
        "BEGIN INSERT INTO bench_log VALUES (NEW.attempt_id, 'graded'); END",
    ],
    "postgresql": [
        "CREATE TABLE bench_log (attempt_id integer, event text)",
        "CREATE FUNCTION bench_log_state() RETURNS trigger AS $$ BEGIN "
        "INSERT INTO bench_log VALUES (NEW.id, NEW.state); RETURN NEW; END $$ "
        "LANGUAGE plpgsql",
        "CREATE FUNCTION bench_log_grade() RETURNS trigger AS $$ BEGIN "
        "INSERT INTO bench_log VALUES (NEW.attempt_id, 'graded'); RETURN NEW; END $$ "
        "LANGUAGE plpgsql",
        "CREATE TRIGGER bench_state AFTER UPDATE OF state ON quiz_attempts FOR EACH ROW "
        "WHEN (NEW.state IS DISTINCT FROM OLD.state) EXECUTE FUNCTION bench_log_state()",
        "CREATE TRIGGER bench_grade AFTER UPDATE OF fraction ON attempt_questions FOR EACH ROW "
        "WHEN (OLD.fraction IS NULL AND NEW.fraction IS NOT NULL) "
        "EXECUTE FUNCTION bench_log_grade()",
    ],
}


def install_transition_log(database: FreshDatabase) -> None:
    """Triggers in the throwaway database that log state changes and first grades."""
    import sqlalchemy as sa

    engine = sa.create_engine(database.url)
    with engine.begin() as connection:
        for statement in TRANSITION_LOG[database.kind]:
            connection.execute(sa.text(statement))
    engine.dispose()


def verify(database: FreshDatabase, trainees: list[Trainee]) -> dict:
    """Compare what each trainee was told with what the database holds."""
    import sqlalchemy as sa
    from werkzeug.datastructures import MultiDict

    from academy.auth.models import User
    from academy.cpd.models import CpdEntry
    from academy.extensions import db
    from academy.quizzes.attempts import load_attempt
    from academy.quizzes.models import Attempt, AttemptQuestion, AttemptState, Quiz, SavedAnswer
    from academy.quizzes.types.registry import question_type

    app = database.app()
    found = Counter()
    problems: list[str] = []
    with app.app_context():
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == QUIZ))
        users = {u.email: u for u in db.session.scalars(sa.select(User))}
        duplicates = db.session.execute(
            sa.select(SavedAnswer.attempt_question_id, sa.func.count())
            .group_by(SavedAnswer.attempt_question_id)
            .having(sa.func.count() > 1)
        ).all()
        found["slots_with_two_saved_answers"] = len(duplicates)
        for trainee in trainees:
            user = users[trainee.email]
            attempts = db.session.scalars(
                sa.select(Attempt).where(Attempt.user_id == user.id, Attempt.quiz_id == quiz.id)
            ).all()
            found["attempt_rows"] += len(attempts)
            if len(attempts) != 1:
                problems.append(f"{trainee.email}: {len(attempts)} attempts")
                continue
            attempt = load_attempt(attempts[0].id)
            graded = (
                attempt.state == AttemptState.FINISHED
                and attempt.score is not None
                and attempt.percent is not None
                and attempt.submitted_at is not None
                and all(slot.fraction is not None for slot in attempt.slots)
                and attempt.score
                == sum(slot.score for slot in attempt.slots).quantize(attempt.score)
            )
            found["finished_and_graded"] += graded
            if not graded:
                problems.append(f"{trainee.email}: attempt {attempt.id} is {attempt.state}")
            log_rows = Counter(
                db.session.scalars(
                    sa.text("SELECT event FROM bench_log WHERE attempt_id = :id"),
                    {"id": attempt.id},
                )
            )
            once = (
                log_rows[AttemptState.SUBMITTED] == 1
                and log_rows[AttemptState.FINISHED] == 1
                and log_rows["graded"] == len(attempt.slots)
            )
            found["submitted_once_graded_once"] += once
            if not once:
                problems.append(f"{trainee.email}: state log {dict(log_rows)}")
            told = sum(trainee.submit_replies)
            if len(trainee.submit_replies) == 1:
                found["single_submit_told_once"] += told == 1
                if told != 1:
                    problems.append(f"{trainee.email}: told 'submitted' {told} times")
            else:
                found[f"double_submit_pages_saying_submitted_{told}"] += 1
            cpd = db.session.scalar(
                sa.select(sa.func.count(CpdEntry.id)).where(
                    CpdEntry.user_id == user.id, CpdEntry.activity == "quiz"
                )
            )
            if cpd != (1 if attempt.passed else 0):
                problems.append(f"{trainee.email}: {cpd} CPD entries for the quiz")
            found["passed"] += bool(attempt.passed)
            for slot in attempt.slots:
                expected = trainee.last.get(slot.id)
                if expected is None:
                    continue
                found["questions_checked"] += 1
                stored = slot.answer
                sequence, fields = expected
                data = slot.version.data
                want = question_type(data["type"]).read(
                    MultiDict([(k, v) for k, vs in fields.items() for v in vs]),
                    f"q{slot.id}",
                    data,
                    slot.layout,
                )
                if stored is None or stored.sequence != sequence:
                    found["answers_lost_or_stale"] += 1
                    problems.append(
                        f"{trainee.email} q{slot.id}: stored sequence "
                        f"{stored.sequence if stored else None}, last saved {sequence}"
                    )
                elif stored.response != want:
                    found["answers_wrong_content"] += 1
                    problems.append(f"{trainee.email} q{slot.id}: {stored.response} != {want}")
                else:
                    found["answers_as_last_saved"] += 1
        found["saved_answer_rows"] = db.session.scalar(
            sa.select(sa.func.count(SavedAnswer.id))
            .join(AttemptQuestion)
            .join(Attempt)
            .where(Attempt.quiz_id == quiz.id)
        )
        db.session.remove()
        db.engine.dispose()
    return {"counts": dict(found), "problems": problems}


def run(args) -> dict:
    database = FreshDatabase(args.db, "concurrency", args.pg_admin_url)
    server = Server(database, workers=2)
    try:
        log(f"[{args.db}] preparing a fresh database and {args.trainees} trainees")
        t0 = time.perf_counter()
        database.prepare()
        install_transition_log(database)
        app = database.app()
        emails = create_trainees(app, args.trainees)
        with app.app_context():
            from academy.extensions import db

            db.engine.dispose()
        prepare_s = time.perf_counter() - t0
        boot_s = server.start()
        log(f"[{args.db}] gunicorn -w 2 on {server.base} (up in {boot_s:.1f}s); go")
        rng = random.Random(args.seed)
        trainees = [
            Trainee(email, random.Random(rng.random()), Browser(server.base)) for email in emails
        ]
        gate = threading.Barrier(len(trainees))
        threads = [threading.Thread(target=journey, args=(t, gate)) for t in trainees]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.timeout)
        elapsed = time.perf_counter() - started
        still_running = sum(thread.is_alive() for thread in threads)
        server.stop()
        server_errors = server.errors_logged()
        log(f"[{args.db}] all journeys ended in {elapsed:.1f}s; checking the database")
        checked = verify(database, trainees)
    finally:
        server.stop()
        database.drop()

    autosaves = [s for t in trainees for s in t.timings["autosave"]]
    saves = [s for t in trainees for s in t.saves]
    client_problems = [f"{t.email}: {p}" for t in trainees for p in t.problems]
    counts = checked["counts"]
    result = {
        "database": args.db,
        "machine": machine(),
        "server": "gunicorn -w 2 (sync workers), 127.0.0.1",
        "trainees": len(trainees),
        "quiz": QUIZ,
        "seed": args.seed,
        "prepare_seconds": round(prepare_s, 1),
        "run_seconds": round(elapsed, 1),
        "journeys_still_running_at_timeout": still_running,
        "requests": {
            "autosaves": len(saves),
            "autosaves_told_saved": sum(1 for _s, _q, ok in saves if ok),
            "autosaves_told_stale": sum(1 for _s, _q, ok in saves if not ok),
            "double_starts": sum(1 for t in trainees if t.double_start),
            "submit_requests": sum(len(t.submit_replies) for t in trainees),
            "double_submits": sum(1 for t in trainees if len(t.submit_replies) == 2),
        },
        "latency_ms": {
            "autosave_p50": round(percentile(autosaves, 50) * 1000, 1),
            "autosave_p99": round(percentile(autosaves, 99) * 1000, 1),
            "autosave_max": round(max(autosaves, default=0) * 1000, 1),
            "submit_p50": round(
                percentile([s for t in trainees for s in t.timings["submit"]], 50) * 1000, 1
            ),
        },
        "client_errors": len(client_problems),
        "server_tracebacks": len(server_errors),
        "checks": counts,
        "problems": (client_problems + checked["problems"] + server_errors)[:50],
    }
    expected = len(trainees)
    result["ok"] = (
        not client_problems
        and not checked["problems"]
        and not server_errors
        and still_running == 0
        and counts.get("finished_and_graded", 0) == expected
        and counts.get("attempt_rows", 0) == expected
        and counts.get("submitted_once_graded_once", 0) == expected
        and counts.get("slots_with_two_saved_answers", 0) == 0
        and counts.get("answers_as_last_saved", 0) == counts.get("questions_checked", -1)
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--trainees", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--timeout", type=float, default=600, help="seconds for the journeys")
    parser.add_argument("--pg-admin-url", default=PG_ADMIN_URL)
    args = parser.parse_args()
    result = run(args)
    path = write_result(f"concurrency-{args.db}.json", result)
    c, r = result["checks"], result["requests"]
    log(
        f"\n{args.db}: {result['trainees']} trainees at once, {result['run_seconds']}s; "
        f"{r['autosaves']} autosaves ({r['autosaves_told_stale']} refused as older or repeated), "
        f"{r['submit_requests']} submit requests ({r['double_submits']} double)\n"
        f"  errors: {result['client_errors']} client, {result['server_tracebacks']} server\n"
        f"  answers as last saved: {c.get('answers_as_last_saved', 0)}"
        f"/{c.get('questions_checked', 0)}; "
        f"questions with two saved answers: {c.get('slots_with_two_saved_answers', 0)}\n"
        f"  attempts: {c.get('attempt_rows', 0)} rows, {c.get('finished_and_graded', 0)} finished "
        f"and graded; submitted once and graded once (by the database's own log): "
        f"{c.get('submitted_once_graded_once', 0)}\n"
        f"  autosave latency p50 {result['latency_ms']['autosave_p50']} ms, "
        f"p99 {result['latency_ms']['autosave_p99']} ms\n"
        f"  {'OK' if result['ok'] else 'FAILED'}; written to {path.relative_to(path.parents[2])}"
    )
    for problem in result["problems"][:10]:
        log(f"  ! {problem}")
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
