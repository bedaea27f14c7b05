"""Where a page's time goes: one page requested in-process many times, under cProfile.

Uses the database that ``bench/pages_bench.py`` built (run that with ``--build-only`` first):

    .venv/bin/python bench/profile_page.py --db sqlite --as trainee /
    .venv/bin/python bench/profile_page.py --db postgresql --as tutor /marking/submissions

``--as`` logs in as the same kind of person the page benchmark uses (a mid-course trainee,
or that trainee's lead tutor); ``--as nobody`` requests anonymously. It prints the mean
milliseconds per request without the profiler, the SQL statements one request runs, and
the functions with the most cumulative time. Nothing is written: this is a tool for finding
what to make faster, and pages_bench.py is the measurement.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pages_bench  # noqa: E402  (the benchmark's database, keys and people)

BASE_URL = "https://academy.example.com"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "path",
        help="the page, e.g. / or /cpd; placeholders: {attempt} (a fresh attempt), {lesson}, "
        "{report} (the busiest quiz's statistics), {cohort} (the trainee's cohort id)",
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--size", choices=["S", "M", "XL"], default="XL")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as", dest="who", choices=["trainee", "tutor", "nobody"])
    parser.add_argument("-n", type=int, default=200, help="requests to time")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="cumulative", help="pstats sort key")
    parser.add_argument("--save", default=None, help="also write the raw profile to this file")
    args = parser.parse_args()

    folder = pages_bench.state_dir(args.db, args.size, args.seed)
    if not (folder / "complete.json").exists():
        sys.exit(f"no {args.size} database yet: run bench/pages_bench.py --db {args.db} "
                 f"--size {args.size} --build-only")  # fmt: skip
    url = pages_bench.database_url(argparse.Namespace(db=args.db, size=args.size, pg_url=None),
                                   folder)  # fmt: skip
    os.environ.update(pages_bench.app_env(url, folder))
    people = pages_bench.choose_people(url, folder, record=False)

    from academy import create_app
    from academy.extensions import db
    from academy.scale.generator import PASSWORD

    app = create_app()
    client = app.test_client()
    client.environ_base["HTTP_REFERER"] = BASE_URL + "/"  # CSRF checks it over https
    path = args.path
    if args.who in ("trainee", "tutor"):
        email = people["trainee" if args.who == "trainee" else "tutor"]
        client.get("/auth/login", base_url=BASE_URL)
        token = _csrf(client)
        answer = client.post(
            "/auth/login",
            data={"email": email, "password": PASSWORD, "csrf_token": token},
            base_url=BASE_URL,
        )
        if answer.status_code != 302:
            sys.exit(f"could not log in as {email}: HTTP {answer.status_code}")
    if "{attempt}" in path:
        for slug in people["quizzes"]:
            answer = client.post(
                f"/quizzes/{slug}/start", data={"csrf_token": _csrf(client)}, base_url=BASE_URL
            )
            if answer.status_code == 302 and "/attempts/" in answer.location:
                path = path.replace("{attempt}", "/attempts/" + answer.location.rsplit("/", 1)[1])
                break
    path = path.replace("{cohort}", str(people["cohort"])).replace("{lesson}", people["lesson"])
    path = path.replace("{report}", f"/quizzes/{people['report_quiz']}/report")

    statements = []

    def count(*_args):
        statements.append(_args[2])

    def get():
        answer = client.get(path, base_url=BASE_URL)
        if answer.status_code != 200:
            sys.exit(f"{path} answered {answer.status_code} {answer.location or ''}")
        return answer

    get()  # warm the caches, as a server that has been up a while has them
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    get()
    sa.event.remove(engine, "before_cursor_execute", count)

    start = time.perf_counter()
    for _ in range(args.n):
        get()
    per_request = (time.perf_counter() - start) / args.n * 1000

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.n):
        get()
    profiler.disable()
    if args.save:
        profiler.dump_stats(args.save)

    print(f"{path} as {args.who or 'nobody'} on {args.db} {args.size}: "
          f"{per_request:.2f} ms per request, {len(statements)} SQL statements")  # fmt: skip
    for statement in statements:
        print("   ", " ".join(statement.split())[:160])
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


def _csrf(client) -> str:
    page = client.get("/", base_url=BASE_URL).get_data(as_text=True)
    found = pages_bench.CSRF_META.search(page)
    if found is None:
        sys.exit("no CSRF token on the log-in page")
    return found.group(1)


if __name__ == "__main__":
    main()
