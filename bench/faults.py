"""Faults under load: the server killed mid-attempt, and PostgreSQL restarted.

    .venv/bin/python bench/faults.py                      # (a) on a fresh SQLite file
    .venv/bin/python bench/faults.py --db postgresql      # (a) on a fresh PostgreSQL database
    .venv/bin/python bench/faults.py --restart-postgres   # (a) on PostgreSQL, then (b)

(a) Trainees autosave answers to the laser-physics quiz against ``gunicorn -w 2`` on
loopback. Mid-attempt the whole server (master and workers) is killed with SIGKILL, as a
crash or an OOM kill would, and started again on the same port. The trainees carry on with
the same cookies. Afterwards, in the database: every answer a trainee was told was saved
is still there (the stored answer is the last one told saved, or a later one that was
sent but whose reply the crash swallowed), each trainee resumes the same attempt, and it
submits and grades.

(b) Only with ``--restart-postgres``: the same load against PostgreSQL while the cluster
is stopped, kept down a few seconds (``--down-seconds``, default 3) and started again
(``pg_ctlcluster --skip-systemctl-redirect <version> main stop|start``). PostgreSQL is
shared with other work on this machine, so the outage is kept short and only made on
request. While it is down every reply must be the clear 503 (the HTML page saying "briefly
unavailable", or its JSON for the autosaves), none a 500, none hanging; once it is back,
requests succeed, and no answer told saved is lost.

Results are merged into bench/results/faults.json (a part not run keeps its last figures).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
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
    RESULTS,
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

DOWN_MARKERS = ("briefly unavailable", "The academy is briefly unavailable")


@dataclass
class Sample:
    at: float  # seconds since the load started, when the request was sent
    seconds: float
    status: int
    kind: str  # autosave or page
    clear_503: bool = False
    error: str | None = None


@dataclass
class Trainee:
    email: str
    rng: random.Random
    browser: Browser
    attempt_id: int | None = None
    questions: dict = field(default_factory=dict)
    sequence: int = 0
    told_saved: dict = field(default_factory=dict)  # slot -> (sequence, fields), the latest
    unanswered: dict = field(default_factory=dict)  # slot -> [(sequence, fields)] no reply
    samples: list = field(default_factory=list)
    problems: list = field(default_factory=list)


def begin(trainee: Trainee) -> bool:
    browser = trainee.browser
    if browser.log_in(trainee.email).status != 200 or "Log out" not in browser.get("/").body:
        trainee.problems.append("could not log in")
        return False
    browser.get(f"/quizzes/{QUIZ}")
    reply = browser.post(f"/quizzes/{QUIZ}/start")
    if "/attempts/" not in reply.url:
        trainee.problems.append(f"start landed on {reply.url} ({reply.status})")
        return False
    trainee.attempt_id = int(reply.url.split("/attempts/")[1].split("?")[0])
    for page in (1, 2):
        trainee.questions.update(
            attempt_fields(browser.get(f"/attempts/{trainee.attempt_id}?page={page}").body)
        )
    return bool(trainee.questions)


def work(trainee: Trainee, stop: threading.Event, clock_zero: float, pages_too: bool) -> None:
    """Autosave answers (and now and then load a page) until told to stop."""
    rng, browser = trainee.rng, trainee.browser
    slots = sorted(trainee.questions)
    while not stop.is_set():
        sent = time.perf_counter() - clock_zero
        if pages_too and rng.random() < 0.25:
            reply = browser.get(f"/attempts/{trainee.attempt_id}?page={rng.randint(1, 2)}")
            kind = "page"
        else:
            slot = rng.choice(slots)
            trainee.sequence += rng.randint(1, 3)
            sequence, fields = trainee.sequence, an_answer(trainee.questions[slot], rng)
            reply = browser.post_json(
                f"/attempts/{trainee.attempt_id}/autosave",
                {"slot": slot, "sequence": sequence, "fields": fields},
            )
            kind = "autosave"
            answer = reply.json() if reply.status == 200 else None
            if answer and answer.get("saved"):
                trainee.told_saved[slot] = (sequence, fields)
            elif reply.status == 0:  # no reply: it may or may not have been stored
                trainee.unanswered.setdefault(slot, []).append((sequence, fields))
        clear = reply.status == 503 and any(m in reply.body for m in DOWN_MARKERS)
        trainee.samples.append(
            Sample(sent, reply.seconds, reply.status, kind, clear, reply.error and reply.error[:80])
        )
        if reply.status != 200:
            time.sleep(0.2)  # as the page's script would, before trying again


def finish(trainee: Trainee) -> None:
    """Come back to the quiz: the same attempt resumes, then submit it."""
    browser = trainee.browser
    reply = browser.post(f"/quizzes/{QUIZ}/start")
    if f"/attempts/{trainee.attempt_id}" not in reply.url:
        trainee.problems.append(f"did not resume attempt {trainee.attempt_id}: {reply.url}")
    reply = browser.post(f"/attempts/{trainee.attempt_id}/submit")
    if reply.status != 200 or "/review" not in reply.url:
        trainee.problems.append(f"submit: {reply.status} {reply.url}")


def wind_down(stop, threads, trainees: list[Trainee], server, database: FreshDatabase):
    """End the load, let every trainee submit, stop the server; its tracebacks and the checks."""
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    for trainee in trainees:
        finish(trainee)
    server.stop()
    return server.errors_logged(), verify(database, trainees)


def verify(database: FreshDatabase, trainees: list[Trainee]) -> dict:
    """Every answer told saved is stored (or a later one that was sent); attempts finished."""
    import sqlalchemy as sa
    from werkzeug.datastructures import MultiDict

    from academy.extensions import db
    from academy.quizzes.attempts import load_attempt
    from academy.quizzes.models import AttemptState
    from academy.quizzes.types.registry import question_type

    found = Counter()
    problems = []
    app = database.app()
    with app.app_context():
        for trainee in trainees:
            if trainee.attempt_id is None:
                continue
            attempt = load_attempt(trainee.attempt_id)
            found["attempts_finished"] += attempt.state == AttemptState.FINISHED and (
                attempt.score is not None
            )
            for slot in attempt.slots:
                told = trainee.told_saved.get(slot.id)
                if told is None:
                    continue
                found["answers_told_saved"] += 1
                data = slot.version.data

                def read(fields, slot=slot, data=data):
                    pairs = [(k, v) for k, vs in fields.items() for v in vs]
                    return question_type(data["type"]).read(
                        MultiDict(pairs), f"q{slot.id}", data, slot.layout
                    )

                stored = slot.answer
                sequence, fields = told
                if stored is None or stored.sequence < sequence:
                    found["answers_lost"] += 1
                    problems.append(f"{trainee.email} q{slot.id}: told saved #{sequence} lost")
                elif stored.sequence == sequence and stored.response == read(fields):
                    found["answers_kept"] += 1
                elif any(
                    s == stored.sequence and stored.response == read(f)
                    for s, f in trainee.unanswered.get(slot.id, [])
                ):
                    found["answers_kept_later_unacknowledged"] += 1
                else:
                    found["answers_wrong"] += 1
                    problems.append(f"{trainee.email} q{slot.id}: stored #{stored.sequence}")
        rows = db.session.scalar(sa.text("SELECT count(*) FROM saved_answers"))
        found["saved_answer_rows"] = rows
        db.session.remove()
        db.engine.dispose()
    return {"counts": dict(found), "problems": problems}


def _summarise(samples: list[Sample], windows: dict[str, tuple[float, float]]) -> dict:
    out = {}
    for name, (start, end) in windows.items():
        inside = [s for s in samples if start <= s.at < end]
        out[name] = {
            "requests": len(inside),
            "statuses": dict(Counter(str(s.status) for s in inside)),
            "clear_503": sum(s.clear_503 for s in inside),
            "p50_ms": round(percentile([s.seconds for s in inside], 50) * 1000, 1),
            "max_ms": round(max((s.seconds for s in inside), default=0) * 1000, 1),
        }
    return out


def _load(trainees, clock_zero, pages_too):
    stop = threading.Event()
    threads = [
        threading.Thread(target=work, args=(t, stop, clock_zero, pages_too)) for t in trainees
    ]
    for thread in threads:
        thread.start()
    return stop, threads


def _prepare(args, kind: str, label: str):
    database = FreshDatabase(kind, label, args.pg_admin_url)
    database.prepare()
    app = database.app()
    emails = create_trainees(app, args.trainees)
    with app.app_context():
        from academy.extensions import db

        db.engine.dispose()
    rng = random.Random(args.seed)
    return database, emails, rng


# --- (a) The server killed --------------------------------------------------------------------


def server_killed(args, kind: str) -> dict:
    database, emails, rng = _prepare(args, kind, "kill")
    server = Server(database, workers=2)
    try:
        server.start()
        trainees = [Trainee(e, random.Random(rng.random()), Browser(server.base)) for e in emails]
        for trainee in trainees:
            begin(trainee)
        zero = time.perf_counter()
        stop, threads = _load(trainees, zero, pages_too=False)
        time.sleep(args.load_seconds)
        killed_at = time.perf_counter() - zero
        server.kill()
        time.sleep(1.0)
        boot = server.start()
        back_at = time.perf_counter() - zero
        time.sleep(args.load_seconds)
        tracebacks, checked = wind_down(stop, threads, trainees, server, database)
    finally:
        server.stop()
        database.drop()
    samples = [s for t in trainees for s in t.samples]
    after = [s for s in samples if s.at >= back_at]
    counts = checked["counts"]
    result = {
        "database": kind,
        "trainees": len(trainees),
        "killed_after_seconds": round(killed_at, 1),
        "down_seconds": round(back_at - killed_at, 1),
        "restart_seconds": round(boot, 1),
        "windows": _summarise(
            samples,
            {"before": (0, killed_at), "down": (killed_at, back_at), "after": (back_at, 1e9)},
        ),
        "requests_after_restart_not_200": sum(1 for s in after if s.status != 200),
        "in_flight_when_killed": sum(
            1 for s in samples if s.status == 0 and s.at < killed_at
        ),
        "refused_while_down": sum(1 for s in samples if s.status == 0 and s.at >= killed_at),
        "resumed_same_attempt": sum(
            1 for t in trainees if t.attempt_id and not any("resume" in p for p in t.problems)
        ),
        "server_tracebacks": len(tracebacks),
        "checks": counts,
        "problems": ([f"{t.email}: {p}" for t in trainees for p in t.problems] + checked[
            "problems"
        ] + tracebacks)[:30],
    }  # fmt: skip
    result["ok"] = (
        not result["problems"]
        and counts.get("answers_lost", 0) == 0
        and counts.get("answers_wrong", 0) == 0
        and counts.get("attempts_finished", 0) == len(trainees)
        and result["resumed_same_attempt"] == len(trainees)
        and result["requests_after_restart_not_200"] == 0
    )
    return result


# --- (b) PostgreSQL restarted -----------------------------------------------------------------


def _pg_version() -> str:
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir() if p.name[0].isdigit())
    if not versions:
        raise SystemExit("no PostgreSQL cluster under /etc/postgresql")
    return versions[-1]


def _block_database(database: FreshDatabase, block: bool) -> float:
    """The rehearsal's outage: only this run's database refuses connections (its open ones
    are cut), so nothing else on the shared cluster notices."""
    import sqlalchemy as sa

    started = time.perf_counter()
    admin = sa.create_engine(database.pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        allow = "false" if block else "true"
        connection.execute(
            sa.text(f'ALTER DATABASE "{database.pg_name}" WITH ALLOW_CONNECTIONS {allow}')
        )
        if block:
            connection.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
                ),
                {"n": database.pg_name},
            )
    admin.dispose()
    return time.perf_counter() - started


def _pg_ctl(version: str, action: str) -> float:
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - fixed arguments
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],  # noqa: S607
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def postgres_restarted(args) -> dict:
    version = _pg_version()
    rehearsal = args.rehearse_outage
    database, emails, rng = _prepare(args, "postgresql", "pgrestart")
    server = Server(database, workers=2)
    try:
        server.start()
        trainees = [Trainee(e, random.Random(rng.random()), Browser(server.base)) for e in emails]
        for trainee in trainees:
            begin(trainee)
        zero = time.perf_counter()
        stop, threads = _load(trainees, zero, pages_too=True)
        time.sleep(args.load_seconds)
        stop_began = time.perf_counter() - zero
        stop_took = _block_database(database, True) if rehearsal else _pg_ctl(version, "stop")
        down_at = time.perf_counter() - zero
        try:
            time.sleep(args.down_seconds)
        finally:
            start_began = time.perf_counter() - zero
            start_took = (
                _block_database(database, False) if rehearsal else _pg_ctl(version, "start")
            )
        up_at = time.perf_counter() - zero
        time.sleep(args.load_seconds + 2)
        tracebacks, checked = wind_down(stop, threads, trainees, server, database)
    finally:
        server.stop()
        database.drop()
    samples = [s for t in trainees for s in t.samples]
    # Requests sent while PostgreSQL was stopping, stopped or starting.
    outage = [s for s in samples if stop_began <= s.at < up_at]
    down = [s for s in samples if down_at <= s.at < start_began]
    settled = [s for s in samples if s.at >= up_at + 1.0]
    first_success = min((s.at for s in samples if s.at >= up_at and s.status == 200), default=None)
    counts = checked["counts"]
    result = {
        "database": f"postgresql {version}",
        "outage": (
            "rehearsal: connections to this run's database refused and cut"
            if rehearsal
            else "pg_ctlcluster stop, wait, start (the whole cluster)"
        ),
        "trainees": len(trainees),
        "stop_seconds": round(stop_took, 2),
        "down_seconds": round(start_began - down_at, 2),
        "start_seconds": round(start_took, 2),
        "outage_seconds": round(up_at - stop_began, 2),
        "windows": _summarise(
            samples,
            {
                "before": (0, stop_began),
                "stopping": (stop_began, down_at),
                "down": (down_at, start_began),
                "starting": (start_began, up_at),
                "after": (up_at, 1e9),
            },
        ),
        "outage_500s": sum(1 for s in outage if s.status >= 500 and s.status != 503),
        "server_errors_anywhere": sum(1 for s in samples if s.status >= 500 and s.status != 503),
        "outage_503s_without_the_clear_message": sum(
            1 for s in outage if s.status == 503 and not s.clear_503
        ),
        "down_replies_not_503": sum(1 for s in down if s.status != 503),
        "down_slowest_reply_ms": round(max((s.seconds for s in down), default=0) * 1000, 1),
        "first_success_after_start_seconds": (
            round(first_success - up_at, 2) if first_success is not None else None
        ),
        "failures_a_second_after_start": sum(1 for s in settled if s.status != 200),
        "server_tracebacks": len(tracebacks),
        "checks": counts,
        "problems": ([f"{t.email}: {p}" for t in trainees for p in t.problems] + checked[
            "problems"
        ] + tracebacks)[:30],
    }  # fmt: skip
    result["ok"] = (
        not result["problems"]
        and result["server_errors_anywhere"] == 0
        and result["outage_503s_without_the_clear_message"] == 0
        and result["down_replies_not_503"] == 0
        and len(down) > 0
        and result["down_slowest_reply_ms"] < 10_000
        and result["failures_a_second_after_start"] == 0
        and counts.get("answers_lost", 0) == 0
        and counts.get("answers_wrong", 0) == 0
        and counts.get("attempts_finished", 0) == len(trainees)
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--restart-postgres",
        action="store_true",
        help="also stop and start the shared PostgreSQL cluster under load (part b)",
    )
    parser.add_argument(
        "--rehearse-outage",
        action="store_true",
        help="part (b) without touching the cluster: only the bench database refuses "
        "connections for the outage (written as postgres_outage_rehearsal)",
    )
    parser.add_argument("--trainees", type=int, default=20)
    parser.add_argument("--load-seconds", type=float, default=4.0)
    parser.add_argument("--down-seconds", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--pg-admin-url", default=PG_ADMIN_URL)
    args = parser.parse_args()
    kind = "postgresql" if args.restart_postgres or args.rehearse_outage else args.db

    path = RESULTS / "faults.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    results["machine"] = machine()
    log(f"(a) killing gunicorn mid-attempt ({kind}, {args.trainees} trainees)")
    killed = server_killed(args, kind)
    results[f"server_killed_{kind}"] = killed
    w = killed["windows"]
    log(
        f"    killed after {killed['killed_after_seconds']}s, back "
        f"{killed['down_seconds']}s later; {killed['in_flight_when_killed']} requests in "
        f"flight lost their reply, {killed['refused_while_down']} refused while down; "
        f"answers told saved: {killed['checks'].get('answers_told_saved', 0)}, kept "
        f"{killed['checks'].get('answers_kept', 0)} (+"
        f"{killed['checks'].get('answers_kept_later_unacknowledged', 0)} overtaken by a "
        f"later unacknowledged save), lost {killed['checks'].get('answers_lost', 0)}; "
        f"resumed {killed['resumed_same_attempt']}/{killed['trainees']}: "
        f"{'OK' if killed['ok'] else 'FAILED'}"
    )
    ok = killed["ok"]
    if args.restart_postgres or args.rehearse_outage:
        what = (
            "refusing connections to the bench database"
            if args.rehearse_outage
            else ("restarting PostgreSQL")
        )
        log(f"(b) {what} under load (down {args.down_seconds}s)")
        restarted = postgres_restarted(args)
        part = "postgres_outage_rehearsal" if args.rehearse_outage else "postgres_restarted"
        results[part] = restarted
        w = restarted["windows"]
        log(
            f"    outage {restarted['outage_seconds']}s: while down "
            f"{w['down']['requests']} requests, statuses {w['down']['statuses']}, "
            f"slowest {restarted['down_slowest_reply_ms']} ms; 500s during the outage: "
            f"{restarted['outage_500s']}; first success "
            f"{restarted['first_success_after_start_seconds']}s after the start; failures a "
            f"second after: {restarted['failures_a_second_after_start']}; answers lost "
            f"{restarted['checks'].get('answers_lost', 0)}: "
            f"{'OK' if restarted['ok'] else 'FAILED'}"
        )
        ok = ok and restarted["ok"]
    else:
        log("(b) PostgreSQL restart skipped: run with --restart-postgres (it is shared)")
    write_result("faults.json", results)
    for part in ("server_killed_" + kind, "postgres_restarted", "postgres_outage_rehearsal"):
        for problem in results.get(part, {}).get("problems", [])[:8]:
            log(f"  ! {part}: {problem}")
    log(f"written to bench/results/faults.json: {'OK' if ok else 'FAILED'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
