"""How long one certificate PDF and one CPD statement take to generate.

Builds a throwaway SQLite database, loads the shipped courses and quizzes, gives a trainee
every module completion, the final assessment's CPD entry and 12 external activities, issues
the course certificate, then times rendering the certificate (with its QR code) and a
year's CPD statement.
Run: .venv/bin/python bench/certificate_bench.py   (writes bench/results/certificates.json)
"""

from __future__ import annotations

import json
import platform
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from academy import clock, create_app
from academy.auth.models import Role, User
from academy.catalogue.models import Module, ModuleCompletion
from academy.certificates import services as certificates
from academy.certificates.pdf import render_certificate
from academy.content import load_content
from academy.cpd import services as cpd
from academy.cpd.models import ExternalActivity
from academy.cpd.pdf import StatementData, render_statement
from academy.extensions import db

ROOT = Path(__file__).resolve().parent.parent
RUNS = 30


def _time(action) -> dict:
    action()  # warm up: font loading, imports
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        size = len(action())
        timings.append(time.perf_counter() - start)
    return {
        "runs": RUNS,
        "median_ms": round(statistics.median(timings) * 1000, 2),
        "p95_ms": round(sorted(timings)[int(RUNS * 0.95) - 1] * 1000, 2),
        "max_ms": round(max(timings) * 1000, 2),
        "bytes": size,
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "ACADEMY_ENV": "testing",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
                "INSTANCE_PATH": folder,
            }
        )
        with app.app_context(), clock.frozen_at(datetime(2026, 11, 30, 12, 0)):
            upgrade(directory=str(ROOT / "migrations"))
            load_content(ROOT / "courses", ROOT / "quizzes")
            user = User(
                email="bench@academy.example.com",
                full_name="Benedict Benchmark",
                role=Role.TRAINEE,
                password_hash="not-a-password-hash",  # noqa: S106 (never logs in)
                created_at=datetime(2026, 1, 2),
            )
            db.session.add(user)
            db.session.flush()
            moment = datetime(2026, 2, 1)
            for module in db.session.scalars(sa.select(Module).order_by(Module.position)):
                moment += timedelta(days=20)
                db.session.add(
                    ModuleCompletion(user_id=user.id, module_id=module.id, completed_at=moment)
                )
                cpd.on_module_completed(user.id, module, moment)
            for month in range(1, 13):
                day = date(2026, month, 14) if month < 12 else date(2026, 11, 20)
                db.session.add(
                    ExternalActivity(
                        user_id=user.id,
                        title=f"Workshop {month}",
                        provider="BMLA",
                        method="course",
                        start_date=day,
                        end_date=day,
                        hours=Decimal("2.5"),
                        participatory_hours=Decimal("2"),
                        relevance="Relevant. " * 20,
                        learned="Learned. " * 40,
                        practice_change="Changed. " * 30,
                        client_benefit="Benefit. " * 20,
                    )
                )
            certificate = certificates._issue(
                user,
                "course",
                "course",
                certificates.COURSE_TITLE,
                certificates.course_hours(),
                clock.now(),
                issued_by=None,
            )
            db.session.commit()
            url = "https://academy.example.com/verify/" + certificate.code
            lines = cpd.record_lines(user.id, date(2026, 1, 1), date(2027, 1, 1))
            summary = cpd.summarise(lines, cpd.cycle_containing(date(2026, 6, 1)), 20)
            data = StatementData(
                user.full_name,
                date(2026, 1, 1),
                date(2026, 12, 31),
                date(2026, 11, 30),
                lines,
                summary.by_type,
                summary.total,
                summary.participatory,
                "Target 20 hours.",
                [],
            )
            results = {
                "certificate_pdf": _time(lambda: render_certificate(certificate, url)),
                "cpd_statement_pdf": _time(lambda: render_statement(data)),
                "cpd_profile_pdf": _time(lambda: render_statement(data, profile=True)),
                "statement_lines": len(lines),
            }
    results["machine"] = {
        "python": platform.python_version(),
        "cpu": platform.processor() or platform.machine(),
    }
    out = ROOT / "bench" / "results" / "certificates.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
