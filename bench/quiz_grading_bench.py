"""How long grading a 50-question attempt takes (submit: grade every slot, total, settle).

Builds a throwaway SQLite database, loads the shipped courses and banks, makes a quiz that
draws 50 questions from every module's pools, answers them all, and times the submission.
Run: .venv/bin/python bench/quiz_grading_bench.py   (writes bench/results/quiz_grading.json)
"""

from __future__ import annotations

import json
import platform
import statistics
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

from academy import clock, create_app
from academy.auth.models import Role, User
from academy.content import load_content
from academy.extensions import db
from academy.quizzes import attempts as rules
from academy.quizzes.models import Question, Quiz
from academy.quizzes.types.registry import question_type

ROOT = Path(__file__).resolve().parent.parent
RUNS = 20


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "ACADEMY_ENV": "testing",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
                "INSTANCE_PATH": folder,
            }
        )
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            load_content(ROOT / "courses", ROOT / "quizzes")
            pools = sorted(
                {
                    q.pool
                    for q in db.session.scalars(db.select(Question))
                    if q.type != "written_answer" and not q.pool.startswith("final")
                }
            )
            per_pool = {
                p: db.session.scalar(db.select(db.func.count()).where(Question.pool == p))
                for p in pools
            }
            draw, remaining = [], 50
            for pool in pools:
                take = min(per_pool[pool], max(1, remaining // max(1, len(pools) - len(draw))))
                if remaining <= 0:
                    break
                draw.append({"pool": pool, "count": min(take, remaining)})
                remaining -= draw[-1]["count"]
            quiz = db.session.scalar(db.select(Quiz).where(Quiz.slug == "laser-physics-quiz"))
            quiz.draw, quiz.attempts_allowed, quiz.wait_minutes = draw, None, 0
            quiz.time_limit_minutes = None
            user = User(
                email="bench@academy.example.com",
                full_name="Bench",
                role=Role.TRAINEE,
                password_hash="not-a-hash",  # noqa: S106 (never logs in)
            )
            db.session.add(user)
            db.session.commit()
            timings, count = [], 0
            for _ in range(RUNS):
                attempt = rules.start_attempt(quiz, user.id, clock.now())
                for n, slot in enumerate(attempt.slots):
                    data = slot.version.data
                    kind = question_type(data["type"])
                    view = kind.present(data, slot.layout)
                    rules.save_answer(slot, _some_answer(data["type"], view), n + 1, clock.now())
                db.session.commit()
                attempt = rules.load_attempt(attempt.id)
                count = len(attempt.slots)
                started = time.perf_counter()
                rules.submit(attempt, clock.now())
                db.session.commit()
                timings.append((time.perf_counter() - started) * 1000)
            db.session.remove()
    result = {
        "machine": {"python": platform.python_version(), "processor": platform.machine()},
        "questions_per_attempt": count,
        "runs": RUNS,
        "grade_ms_median": round(statistics.median(timings), 2),
        "grade_ms_max": round(max(timings), 2),
    }
    out = ROOT / "bench" / "results" / "quiz_grading.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


def _some_answer(kind: str, view: dict):
    """A plausible response of the right shape (marks do not matter for the timing)."""
    if kind == "single_choice":
        return int(view["options"][0]["value"])
    if kind == "multiple_response":
        return [int(view["options"][0]["value"])]
    if kind == "true_false":
        return True
    if kind == "numeric":
        return {"value": "1.0", "unit": view["units"][0]}
    if kind == "matching":
        return {str(row["index"]): 0 for row in view["rows"]}
    if kind == "ordering":
        return {"positions": {item["value"]: n + 1 for n, item in enumerate(view["items"])}}
    if kind == "case_study":
        return {part["id"]: _some_answer(part["type"], part["view"]) for part in view["parts"]}
    return "An answer."


if __name__ == "__main__":
    main()
