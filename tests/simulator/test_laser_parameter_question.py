"""The laser-parameter question type: its YAML, what the trainee sees, and how it is graded."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from flask import render_template_string
from werkzeug.datastructures import MultiDict

from academy.contentfiles import FieldChecker, parse_yaml
from academy.quizzes.loader import parse_quizzes, validate_question
from academy.quizzes.types.registry import question_type

ROOT = Path(__file__).resolve().parents[2]
BANK = ROOT / "quizzes" / "banks" / "simulator-practice.yaml"
DEFINITION = ROOT / "quizzes" / "definitions" / "simulator-practice.yaml"
KIND = question_type("laser_parameter")

SOUND = {
    "wavelength_nm": "1064",
    "pulse_duration_ns": "6",
    "fluence_j_cm2": "2.5",
    "spot_diameter_mm": "5",
    "repetition_rate_hz": "5",
    "passes": "1",
    "sessions": "7",
    "interval_weeks": "8",
}


def bank_questions() -> list[dict]:
    return yaml.safe_load(BANK.read_text())["pools"][0]["questions"]


@pytest.fixture
def question() -> dict:
    """sim-param-01: carbon SMP on type V skin."""
    return next(q for q in bank_questions() if q["id"] == "sim-param-01")


def problems(data: dict) -> list[str]:
    text = yaml.safe_dump(data, allow_unicode=True)
    parsed, lines = parse_yaml(text, "bank.yaml")
    errors = []
    validate_question(FieldChecker("bank.yaml", parsed, lines, errors))
    return [e.reason for e in errors]


def test_the_type_is_registered():
    assert KIND is not None and KIND.name == "laser_parameter"


@pytest.mark.parametrize("q", bank_questions(), ids=lambda q: q["id"])
def test_the_shipped_questions_validate_and_their_examples_score_full_marks(q):
    assert problems(q) == []
    example = {k: str(v) for k, v in q["example"].items()}
    assert KIND.grade(q, example).fraction == 1.0


def test_the_bank_and_quiz_load(tmp_path):
    root = tmp_path / "quizzes"
    (root / "banks").mkdir(parents=True)
    (root / "definitions").mkdir()
    shutil.copy(BANK, root / "banks")
    shutil.copy(DEFINITION, root / "definitions")
    lessons = {
        "laser-physics/chromophores-and-wavelengths",
        "laser-physics/selective-photothermolysis",
        "laser-physics/frosting-and-clearance",
    }
    questions, quizzes, pools = parse_quizzes(root, lessons, {"laser-physics"})
    assert [q.key for q in questions] == ["sim-param-01", "sim-param-02", "sim-param-03"]
    assert pools == {"simulator-practice/parameters": 3}
    [quiz] = quizzes
    assert quiz.slug == "simulator-practice"
    assert quiz.values["title"] == "Laser parameters in practice"
    assert quiz.values["module_slug"] is None
    assert quiz.values["time_limit_minutes"] is None
    assert quiz.values["attempts_allowed"] == 5
    assert quiz.values["grading_method"] == "highest"
    assert quiz.values["wait_minutes"] == 0


def test_every_question_names_a_real_lesson():
    lessons = {
        f"laser-physics/{yaml.safe_load(p.read_text().split('---')[1])['slug']}"
        for p in (ROOT / "courses" / "01-laser-physics" / "lessons").glob("*.md")
    }
    assert {q["lesson"] for q in bank_questions()} <= lessons


@pytest.mark.parametrize(
    "change, message",
    [
        ({"case": {"skin": 5}}, "unknown parameter 'skin'"),
        ({"case": "type V"}, "'case' must map"),
        ({"case": {"fitzpatrick_type": 9, "pigment_type": "carbon"}}, "case: Fitzpatrick"),
        ({"window": {"safe": "yes"}}, "safe must be true or false"),
        ({"window": {"colour": "black"}}, "unknown window key 'colour'"),
        ({"window": {}}, "at least one criterion"),
        ({"window": {"case": {"fitzpatrick_type": 2}}}, "not inside 'window'"),
        ({"editable": ["wavelength_nm", "fitzpatrick_type"]}, "both fixed by 'case'"),
        ({"editable": ["wavelength_nm", "laser_colour"]}, "unknown parameter 'laser_colour'"),
        ({"editable": ["wavelength_nm", "spot_diameter_mm"]}, "must include fluence_j_cm2"),
        ({"editable": []}, "'editable' must list"),
        ({"example": {**SOUND, "wavelength_nm": 532}}, "'example' does not meet the window"),
        ({"example": {"fitzpatrick_type": 2}}, "editable parameters only"),
    ],
)
def test_mistakes_in_a_question_are_reported(question, change, message):
    reasons = problems({**question, **change})
    assert any(message in r for r in reasons), reasons


def test_a_missing_window_is_reported(question):
    del question["window"]
    assert "missing field 'window'" in problems(question)


def test_presenting_never_shows_the_window(question):
    view = KIND.present(question, {})
    dumped = json.dumps(view)
    assert "window" not in view
    for secret in ("max_risk_level", "effective", 'interval_weeks": {', "2.5"):
        assert secret not in dumped
    assert [f["field"] for f in view["fields"]] == list(SOUND)
    assert {"label": "Fitzpatrick skin type", "value": "V: very rarely burns, brown skin"} in view[
        "case"
    ]
    assert view["case_params"]["fitzpatrick_type"] == "5"
    assert all("Default" not in f["hint"] for f in view["fields"])


def test_reading_the_form(question):
    form = MultiDict({f"q7-{k}": f" {v} " for k, v in SOUND.items()})
    form.add("q7-fitzpatrick_type", "1")  # not editable: ignored
    form.add("q8-wavelength_nm", "532")  # another question's field
    assert KIND.read(form, "q7", question, {}) == SOUND
    assert KIND.read(MultiDict(), "q7", question, {}) is None
    long = KIND.read(MultiDict({"q7-fluence_j_cm2": "9" * 500}), "q7", question, {})
    assert len(long["fluence_j_cm2"]) == 40


def test_a_safe_effective_choice_scores_full_marks(question):
    grade = KIND.grade(question, SOUND)
    assert grade.fraction == 1.0
    assert all(line.startswith("✓") for line in grade.feedback)
    assert any(line.startswith("✓ Safety:") for line in grade.feedback)
    assert any(line.startswith("✓ Wavelength:") for line in grade.feedback)


def test_an_unsafe_choice_scores_less_with_feedback_per_parameter(question):
    grade = KIND.grade(question, {**SOUND, "wavelength_nm": "532"})
    assert grade.fraction == pytest.approx(0.4)
    failed = [line for line in grade.feedback if line.startswith("✗")]
    assert any(line.startswith("✗ Safety:") and "532 nm" in line for line in failed)
    assert any(line.startswith("✗ Wavelength:") for line in failed)
    assert any(line.startswith("✗ Risk:") for line in failed)
    assert any(line.startswith("✓ Effectiveness:") for line in grade.feedback)
    assert any(line.startswith("✓ Interval between sessions:") for line in grade.feedback)


def test_too_short_an_interval_loses_that_criterion(question):
    grade = KIND.grade(question, {**SOUND, "interval_weeks": "3"})
    assert 0 < grade.fraction < 1
    assert any(line.startswith("✗ Interval between sessions:") for line in grade.feedback)


def test_too_high_a_fluence_is_unsafe(question):
    grade = KIND.grade(question, {**SOUND, "fluence_j_cm2": "9"})
    assert grade.fraction < 1
    assert any("✗ Safety" in line for line in grade.feedback)


def test_a_missing_setting_scores_nothing_and_says_which(question):
    partial = {k: v for k, v in SOUND.items() if k != "spot_diameter_mm"}
    grade = KIND.grade(question, partial)
    assert grade.fraction == 0
    assert "spot diameter" in grade.feedback[0]
    assert KIND.grade(question, None).fraction == 0


def test_an_invalid_value_scores_nothing_with_the_simulators_message(question):
    grade = KIND.grade(question, {**SOUND, "fluence_j_cm2": "lots"})
    assert grade.fraction == 0
    assert any("Fluence must be a number" in line for line in grade.feedback)


def test_the_case_cannot_be_overridden_by_the_response(question):
    sneaky = {**SOUND, "fitzpatrick_type": "1"}
    assert KIND.grade(question, sneaky).fraction == KIND.grade(question, SOUND).fraction
    sneaky = {**SOUND, "wavelength_nm": "532", "fitzpatrick_type": "1"}
    assert KIND.grade(question, sneaky).fraction < 1


def test_responses_and_the_right_answer_in_words(question):
    words = KIND.describe_response(question, SOUND)
    assert "Wavelength: 1064 nm (Nd:YAG)" in words
    assert "Fluence: 2.5 J/cm²" in words
    correct = KIND.describe_correct(question)
    assert "safe for this client" in correct and "1064 nm" in correct
    assert "interval between sessions at least 6 weeks" in correct
    assert "For example:" in correct
    assert KIND.describe_response(question, None) == "(no settings given)"


def test_the_template_names_fields_by_the_prefix_and_links_to_the_simulator(app, question):
    q = {"view": KIND.present(question, {}), "response": {"wavelength_nm": "1064"}}
    with app.test_request_context():
        html = render_template_string(
            '{% import "quizzes/types/laser_parameter.html" as t %}{{ t.render(q, "q7") }}', q=q
        )
    assert 'name="q7-wavelength_nm"' in html and 'id="q7-fluence_j_cm2"' in html
    assert '<option value="1064" selected>' in html
    assert 'target="_blank"' in html and "Try these settings in the simulator" in html
    assert "/simulator?" in html and "fitzpatrick_type=5" in html
    assert "wavelength_nm=1064" in html
    assert "max_risk_level" not in html and "interval_weeks=8" not in html
