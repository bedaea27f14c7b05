"""Shared by bench/concurrency_quiz.py and bench/faults.py: a fresh database, gunicorn on
loopback, and a small cookie-keeping HTTP client (the standard library only).

Nothing here listens beyond 127.0.0.1. PostgreSQL databases made here have names starting
``academy_bench_live_`` and are dropped when the run ends.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
PASSWORD = "rossendale-bench-trainee-passphrase"  # noqa: S105 - throwaway accounts
QUIZ = "laser-physics-quiz"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def log(message: str) -> None:
    print(message, flush=True)


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "processor": platform.machine(),
        "cpus": os.cpu_count(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def write_result(name: str, result: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / name
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    return path


# --- A fresh database ----------------------------------------------------------------------


class FreshDatabase:
    """A new SQLite file in a temporary folder, or a new PostgreSQL database (dropped after)."""

    def __init__(self, kind: str, label: str, pg_admin_url: str = PG_ADMIN_URL):
        self.kind = kind
        self.folder = Path(tempfile.mkdtemp(prefix=f"academy-{label}-"))
        self.pg_admin_url = pg_admin_url
        self.pg_name = None
        if kind == "sqlite":
            self.url = f"sqlite:///{self.folder / 'academy.sqlite3'}"
        else:
            import sqlalchemy as sa

            self.pg_name = f"academy_bench_live_{label}_{os.getpid()}"
            admin = sa.create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.pg_name}"'))
                connection.execute(sa.text(f'CREATE DATABASE "{self.pg_name}"'))
            admin.dispose()
            self.url = (
                sa.engine.make_url(pg_admin_url)
                .set(database=self.pg_name)
                .render_as_string(hide_password=False)
            )
        self.secret_key = secrets.token_urlsafe(48)

    def env(self, **extra) -> dict:
        """The environment for the flask CLI and gunicorn: development profile (plain http on
        loopback), fixed keys, this database, rate limits off (every simulated trainee
        shares 127.0.0.1; the limits have tests of their own)."""
        env = {
            **os.environ,
            "ACADEMY_ENV": "development",
            "ACADEMY_SECRET_KEY": self.secret_key,
            "ACADEMY_CERTIFICATE_SIGNING_KEY": self.secret_key + "-certificates",
            "ACADEMY_DATABASE_URL": self.url,
            "ACADEMY_INSTANCE_PATH": str(self.folder / "instance"),
            "ACADEMY_RATELIMIT_ENABLED": "false",
            "ACADEMY_MAIL_PRINT_OUTBOX": "false",
            "PYTHONUNBUFFERED": "1",
        }
        env.update(extra)
        return env

    def flask(self, *args: str) -> None:
        subprocess.run(  # noqa: S603 - our own venv's flask, fixed arguments
            [str(VENV_BIN / "flask"), "--app", "academy", *args],
            cwd=ROOT,
            env=self.env(),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def prepare(self) -> None:
        """Migrate, then load the shipped courses and quizzes with the real commands."""
        self.flask("db", "upgrade")
        self.flask("content", "load")

    def app(self):
        from academy import create_app

        return create_app(
            {
                "ACADEMY_ENV": "testing",
                "SQLALCHEMY_DATABASE_URI": self.url,
                "INSTANCE_PATH": str(self.folder / "instance"),
            }
        )

    def drop(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.pg_name:
            import sqlalchemy as sa

            admin = sa.create_engine(self.pg_admin_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(
                    sa.text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": self.pg_name},
                )
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.pg_name}"'))
            admin.dispose()


def create_trainees(app, count: int, prefix: str = "trainee") -> list[str]:
    """``count`` trainee accounts in one statement, sharing one argon2 hash (hashing each
    would take a fifth of a second)."""
    import sqlalchemy as sa

    from academy import clock
    from academy.auth.models import Role, User
    from academy.auth.passwords import hash_password
    from academy.extensions import db

    password_hash = hash_password(PASSWORD)
    emails = [f"{prefix}{n:04d}@bench.academy.example.com" for n in range(1, count + 1)]
    with app.app_context():
        db.session.execute(
            sa.insert(User),
            [
                {
                    "email": email,
                    "full_name": f"Bench Trainee {n:04d}",
                    "password_hash": password_hash,
                    "role": Role.TRAINEE,
                    "created_at": clock.now(),
                }
                for n, email in enumerate(emails, start=1)
            ],
        )
        db.session.commit()
    return emails


# --- gunicorn ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``gunicorn -w 2 -b 127.0.0.1:PORT wsgi:app`` in its own process group."""

    def __init__(self, database: FreshDatabase, workers: int = 2, port: int | None = None):
        self.database = database
        self.workers = workers
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log_path = database.folder / "gunicorn.log"

    def start(self, timeout: float = 60) -> float:
        started = time.perf_counter()
        log_file = open(self.log_path, "ab")  # noqa: SIM115 - kept open for the process's life
        self.process = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn
            [
                str(VENV_BIN / "gunicorn"),
                "-w",
                str(self.workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=self.database.env(),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                health = self.base + "/healthz"  # http://127.0.0.1 only
                with urllib.request.urlopen(health, timeout=2) as reply:  # noqa: S310
                    if reply.status == 200:
                        return time.perf_counter() - started
            except (OSError, urllib.error.URLError):
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not answer /healthz in time")

    def kill(self) -> None:
        """SIGKILL the whole process group (master and workers), as a crash would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def errors_logged(self) -> list[str]:
        if not self.log_path.exists():
            return []
        lines = self.log_path.read_text(errors="replace").splitlines()
        return [line for line in lines if "Traceback" in line or "Exception on" in line]


# --- A browser -----------------------------------------------------------------------------


class _NoRaise(urllib.request.HTTPErrorProcessor):
    """Follow redirects, but hand back 4xx and 5xx replies instead of raising."""

    def http_response(self, request, response):
        if response.status in (301, 302, 303, 307, 308):
            return super().http_response(request, response)
        return response

    https_response = http_response


@dataclass
class Reply:
    status: int
    url: str
    body: str
    seconds: float
    error: str | None = None

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None


@dataclass
class Browser:
    """One person's browser: its own cookies, the CSRF token of the last page it saw."""

    base: str
    timeout: float = 60
    token: str = ""
    cookies: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def __post_init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRaise()
        )

    def _open(self, request: urllib.request.Request) -> Reply:
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=self.timeout) as reply:
                body = reply.read().decode("utf-8", "replace")
                status, url = reply.status, reply.geturl()
        except (OSError, urllib.error.URLError) as error:  # refused, reset, timed out
            return Reply(0, request.full_url, "", time.perf_counter() - started, repr(error))
        match = CSRF_META.search(body)
        if match:
            self.token = match.group(1)
        return Reply(status, url, body, time.perf_counter() - started)

    def get(self, path: str) -> Reply:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310 - loopback

    def post(self, path: str, data: dict | None = None) -> Reply:
        fields = {"csrf_token": self.token, **(data or {})}
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")  # noqa: S310
        return self._open(request)

    def post_json(self, path: str, payload) -> Reply:
        request = urllib.request.Request(  # noqa: S310 - loopback
            self.base + path,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "X-CSRFToken": self.token},
        )
        return self._open(request)

    def log_in(self, email: str, password: str = PASSWORD) -> Reply:
        self.get("/auth/login")
        return self.post("/auth/login", {"email": email, "password": password})


# --- Reading an attempt page ---------------------------------------------------------------

_SLOT_NAME = re.compile(r"^q(\d+)(?:-|$)")


def attempt_fields(html: str) -> dict[int, dict[str, list[str]]]:
    """For each question on an attempt page, its inputs and the values each can take."""
    from html.parser import HTMLParser

    slots: dict[int, dict[str, list[str]]] = {}

    class Reader(HTMLParser):
        select: str | None = None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            name = attrs.get("name") or ""
            slot = _SLOT_NAME.match(name)
            if tag == "option" and self.select and attrs.get("value"):
                slots[self.current][self.select].append(attrs["value"])
            if not slot:
                return
            self.current = int(slot.group(1))
            values = slots.setdefault(self.current, {}).setdefault(name, [])
            if tag == "select":
                self.select = name
            elif tag == "input" and attrs.get("type") in ("radio", "checkbox"):
                values.append(attrs.get("value", ""))
            elif tag == "input" or tag == "textarea":
                values.append("*free*")

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None

    Reader().feed(html)
    return slots


def an_answer(fields: dict[str, list[str]], rng) -> dict[str, list[str]]:
    """A random answer a trainee might give: one choice per group, a number or some words."""
    answer = {}
    for name, values in fields.items():
        if values == ["*free*"]:
            answer[name] = [rng.choice(["3.2", "6", "1064", "12", "Patch test, then 1064 nm."])]
        elif values:
            answer[name] = [rng.choice(values)]
    return answer


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]
