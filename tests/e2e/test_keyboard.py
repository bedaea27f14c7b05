"""The quiz page and the tutor's marking page with the keyboard alone.

Tab goes through every control of the page in document order (a radio group is one stop),
focus is always visible (an indicator with 3:1 contrast, scrolled into view), and the work
gets done: a single-choice and a numeric question answered and the next page reached; a
rubric level chosen and a comment written for every criterion and the mark finished.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

from playwright.sync_api import expect

from academy.auth.models import Role
from tests.e2e import academy_state as state
from tests.e2e.browser import E2E
from tests.e2e.keyboard import TabWalk, expected_stops, focused

QUIZ = "laser-physics-quiz"
QUIZ_TITLE = "Laser physics for pigment removal: module quiz"
CASE = "type-v-fresh-tan-lasting-marks"


def _walk_through(page, answer) -> TabWalk:
    """Tab through every stop of the page, letting ``answer`` act at each; check the order."""
    expected = expected_stops(page)
    walk = TabWalk(page)
    for stop in expected:
        info = walk.tab()
        if info["key"] != stop:
            break
        answer(stop)
    assert walk.visited == expected, (
        "Tab did not follow the page's order.\nexpected: "
        + "\n          ".join(expected)
        + "\nvisited:  "
        + "\n          ".join(walk.visited)
    )
    assert not walk.problems, "Focus could not be seen:\n" + "\n".join(walk.problems)
    return walk


def test_a_quiz_page_is_answered_and_left_with_the_keyboard_alone(
    e2e: E2E, app, make_user, monkeypatch
):
    state.load_shipped_content(app)
    trainee = make_user(Role.TRAINEE)
    seed = state.seed_with_first_page(app, QUIZ, ("single_choice", "numeric"))
    monkeypatch.setattr(
        "academy.quizzes.attempts.secrets", SimpleNamespace(randbits=lambda bits: seed)
    )
    page = e2e.page()
    e2e.log_in(page, trainee.email)
    page.goto(f"/quizzes/{QUIZ}")
    TabWalk(page).to(r'^button "Start the quiz"')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(QUIZ_TITLE)
    slots = state.first_page_slots(app, trainee.id, QUIZ)[: state.PER_PAGE]
    single = next(s for s in slots if s["type"] == "single_choice")
    numeric = next(s for s in slots if s["type"] == "numeric")
    unit = numeric["data"]["unit"]

    def answer(stop: str) -> None:
        if stop == f"radio group q{single['slot']}":
            page.keyboard.press("ArrowDown")  # the second option, chosen with an arrow key
            expect(page.locator(f'input[name="q{single["slot"]}"]').nth(1)).to_be_checked()
            e2e.snap(page, "keyboard-quiz", "01-focus-on-an-option")
        elif stop.startswith(f"input#q{numeric['slot']}["):
            page.keyboard.type("3.2")
        elif stop.startswith(f"select#q{numeric['slot']}-unit["):
            e2e.snap(page, "keyboard-quiz", "02-focus-on-the-unit")
            select = page.locator(f"#q{numeric['slot']}-unit")
            for _ in range(12):
                if select.input_value() == unit:
                    break
                page.keyboard.press("ArrowDown")
            expect(select).to_have_value(unit)

    _walk_through(page, answer)
    # Back up to the button with Shift+Tab, and press Enter.
    walk = TabWalk(page)
    walk.to(r'^button\S* "Save and next page"', key="Shift+Tab")
    assert not walk.problems, walk.problems
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]page=2"))
    expect(page.locator(".lesson-meta").first).to_contain_text("page 2 of 3")
    saved = state.saved_responses(app, trainee.id, QUIZ)
    assert saved[numeric["slot"]] == {"value": "3.2", "unit": unit}
    assert saved[single["slot"]] is not None
    e2e.check(page, "keyboard-quiz", "03-page-2")
    e2e.finish()


def test_the_marking_page_is_used_with_the_keyboard_alone(e2e: E2E, app, make_user):
    state.load_shipped_content(app)
    trainee = make_user(Role.TRAINEE, full_name="Bilal Hussain Trainee")
    tutor = make_user(Role.TUTOR)
    state.cohort(app, tutor.id, trainee.id)
    submission_id = state.submitted_plan(app, trainee.id, CASE)  # written and submitted
    page = e2e.page()
    e2e.log_in(page, tutor.email)
    page.goto(f"/marking/submissions/{submission_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bilal Hussain Trainee")
    commented = []

    def answer(stop: str) -> None:
        if stop.startswith("radio group level-"):
            page.keyboard.press("ArrowDown")
            page.keyboard.press("ArrowDown")  # the third level of each criterion
        elif stop.startswith("textarea#comment-"):
            criterion = re.match(r"textarea#comment-([\w-]+)", stop).group(1)
            page.keyboard.type(f"Keyboard comment on {criterion}.")
            commented.append(criterion)
            if len(commented) == 1:
                e2e.snap(page, "keyboard-marking", "01-focus-on-a-comment")
        elif stop.startswith("textarea#overall_feedback"):
            page.keyboard.type("Marked with the keyboard alone.")
        elif stop == "radio group outcome":
            page.keyboard.press("Space")  # the first outcome: Pass
            assert focused(page)["key"] == "radio group outcome"

    _walk_through(page, answer)
    assert len(commented) == 5
    walk = TabWalk(page)
    walk.to(r'^button\S* "Finish the mark"', key="Shift+Tab")
    assert not walk.problems, walk.problems
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text("Mark finished")
    mark = state.mark_of(app, submission_id)
    assert mark["state"] == "final" and mark["outcome"] == "pass"
    assert mark["overall_feedback"] == "Marked with the keyboard alone."
    assert {k: (v["level"], v["comment"]) for k, v in mark["selections"].items()} == {
        key: (2, f"Keyboard comment on {key}.") for key in commented
    }
    e2e.check(page, "keyboard-marking", "02-finished")
    e2e.finish()
