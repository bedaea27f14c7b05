"""The academy's journeys in a real browser, each page checked with axe-core.

1. A trainee registers with an invite code, reads a lesson and marks it read, starts a
   timed quiz, answers, closes the browser mid-attempt and comes back to find the answers.
2. A trainee uses the simulator (skin type and wavelength change the risk), saves the run,
   and submits a case plan with it; the tutor marks it against the rubric and releases
   the mark; the trainee reads it.
3. A trainee who has completed the course downloads the certificate PDF, and someone with
   no account opens the verify page its QR code leads to.

Screenshots: test-artifacts/e2e/<journey>/<step>.png, with each page's axe report beside it.
"""

from __future__ import annotations

import re
import shutil
from types import SimpleNamespace

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from academy.auth.models import Role, User
from academy.extensions import db
from tests.e2e import academy_state as state
from tests.e2e.browser import E2E
from tests.pdf_tools import pdf_text, qr_codes

PASSWORD = "pendle-hill-misty-morning-walk"
QUIZ = "laser-physics-quiz"
QUIZ_TITLE = "Laser physics for pigment removal: module quiz"
MODULE_TITLE = "Laser physics for pigment removal"
CASE = "type-v-fresh-tan-lasting-marks"


def user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.email == email))


def autosave_of(page: Page):
    """Wait for the page's next autosave to be answered by the server."""
    return page.expect_response(
        lambda r: r.url.endswith("/autosave") and r.request.method == "POST" and r.ok
    )


def flash(page: Page):
    return page.locator(".flashes")


def question(page: Page, slot: dict):
    """A question of the attempt page, by its slot."""
    return page.locator(f'section[data-slot="{slot["slot"]}"]')


def time_left(page: Page) -> int:
    """The seconds the quiz timer shows (once its script has started it)."""
    timer = page.get_by_role("timer")
    expect(timer).to_contain_text(re.compile(r"Time left: \d+:\d\d"))
    minutes, seconds = re.search(r"(\d+):(\d\d)", timer.inner_text()).groups()
    return int(minutes) * 60 + int(seconds)


def test_a_trainee_registers_reads_a_lesson_and_resumes_a_timed_quiz(
    e2e: E2E, app, make_user, monkeypatch
):
    journey = "trainee-registers-reads-and-quizzes"
    state.load_shipped_content(app)
    tutor = make_user(Role.TUTOR, full_name="Helen Ashworth")
    code = state.invite_code(app, state.cohort(app, tutor.id), tutor.id)
    # Attempts draw their questions at random: pin the seed so the first page has a
    # single-choice and a numeric question (the attempt is still started in the browser).
    seed = state.seed_with_first_page(app, QUIZ, ("single_choice", "numeric"))
    monkeypatch.setattr(
        "academy.quizzes.attempts.secrets", SimpleNamespace(randbits=lambda bits: seed)
    )

    # A visitor arrives and registers with the code the tutor gave out.
    page = e2e.page()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Learn to remove scalp micropigmentation safely"
    )
    e2e.check(page, journey, "01-landing")
    page.get_by_role("link", name="Register with an invite code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register as a trainee")
    page.get_by_label("Full name").fill("Aisha Rahman")
    page.get_by_label("E-mail address").fill("aisha.rahman@example.co.uk")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the new password").fill(PASSWORD)
    page.get_by_label("Cohort invite code").fill(code.lower())  # typed as read out
    e2e.check(page, journey, "02-register")
    page.get_by_role("button", name="Create my account").click()

    expect(flash(page)).to_contain_text("Welcome to the academy, Aisha Rahman.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Aisha Rahman")
    cohort_panel = page.locator("section", has=page.get_by_role("heading", name="Your cohort"))
    expect(cohort_panel).to_contain_text("Rossendale weekday cohort")
    expect(cohort_panel).to_contain_text("lead tutor Helen Ashworth")
    e2e.check(page, journey, "03-home")
    trainee_id = user_id(app, "aisha.rahman@example.co.uk")

    # The home page says what to do next: the first lesson. Read it and mark it read.
    page.get_by_role("link", name=re.compile(r"^Read the lesson")).first.click()
    lesson_title = page.get_by_role("heading", level=1).inner_text()
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text(MODULE_TITLE)
    expect(page.locator(".lesson-body")).not_to_be_empty()
    e2e.check(page, journey, "04-lesson")
    page.get_by_role("button", name="Mark as read and go to the next lesson").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text(lesson_title)
    e2e.check(page, journey, "05-next-lesson")
    page.get_by_role("link", name=re.compile(r"←")).click()  # back to the lesson just read
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson_title)
    expect(page.locator(".read-mark")).to_contain_text("You marked this lesson as read")
    e2e.check(page, journey, "06-lesson-read")
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=MODULE_TITLE).click()
    expect(page.locator(".progress-text").first).to_have_text(
        re.compile(r"^1 of \d+ lessons read$")
    )
    expect(page.locator(".lesson-list li").first).to_contain_text("✓ read")
    e2e.check(page, journey, "07-module")

    # The module's timed quiz: start it in the browser and answer two questions.
    page.get_by_role("link", name=QUIZ_TITLE).click()
    expect(page.locator(".facts")).to_contain_text("30 minutes, counted by the server")
    e2e.check(page, journey, "08-quiz-rules")
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(QUIZ_TITLE)
    started_with = time_left(page)
    assert 29 * 60 <= started_with <= 30 * 60
    all_slots = state.first_page_slots(app, trainee_id, QUIZ)
    slots = all_slots[: state.PER_PAGE]
    single = next(s for s in slots if s["type"] == "single_choice")
    numeric = next(s for s in slots if s["type"] == "numeric")

    single_section = question(page, single)
    choice = single_section.get_by_role("radio").nth(1)
    choice_label = single_section.locator(f'label[for="{choice.get_attribute("id")}"]').inner_text()
    with autosave_of(page):
        single_section.get_by_label(choice_label, exact=True).check()
    expect(page.locator(".autosave-status")).to_contain_text("Saved at")

    numeric_section = question(page, numeric)
    unit = numeric["data"]["unit"]
    numeric_section.get_by_label("Your answer").fill("3.2")
    with autosave_of(page):
        numeric_section.get_by_label("Unit").select_option(unit)
    expect(page.locator(".autosave-status")).to_contain_text("Saved at")
    e2e.check(page, journey, "09-attempt-answered")

    # Leave mid-attempt: close the page (and the browser), without pressing any button.
    page.context.close()
    saved = state.saved_responses(app, trainee_id, QUIZ)
    assert saved[numeric["slot"]] == {"value": "3.2", "unit": unit}
    assert single["slot"] in saved

    # Come back later in a new browser: the home page offers to resume the attempt.
    page = e2e.page()
    e2e.log_in(page, "aisha.rahman@example.co.uk", PASSWORD, check=(journey, "10-log-in"))
    steps = page.locator(".next-steps")
    expect(steps).to_contain_text("You have an attempt in progress")
    e2e.check(page, journey, "11-home-resume")
    # (The link's name ends with the quiz title, read out to screen-reader users only.)
    resume = re.compile(r"^Resume the quiz\b.*" + re.escape(QUIZ_TITLE))
    page.get_by_role("link", name=resume).click()
    expect(page.locator(".lesson-meta").first).to_contain_text(
        f"2 of {len(all_slots)} questions answered"
    )
    expect(question(page, single).get_by_label(choice_label, exact=True)).to_be_checked()
    numeric_section = question(page, numeric)
    expect(numeric_section.get_by_label("Your answer")).to_have_value("3.2")
    expect(numeric_section.get_by_label("Unit")).to_have_value(unit)
    assert 0 < time_left(page) <= started_with  # the server's clock kept running
    e2e.check(page, journey, "12-attempt-resumed")
    e2e.finish()


def test_a_case_plan_from_the_simulator_is_marked_released_and_read(e2e: E2E, app, make_user):
    journey = "simulator-case-plan-marking"
    state.load_shipped_content(app)
    trainee = make_user(Role.TRAINEE, full_name="Bilal Hussain Trainee")
    tutor = make_user(Role.TUTOR, full_name="Helen Ashworth")
    state.cohort(app, tutor.id, trainee.id)

    # The trainee tries settings in the simulator and watches the risk change.
    page = e2e.page()
    e2e.log_in(page, trainee.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Simulator").click()
    risk = page.locator("#results .risk-badge")
    expect(risk).to_have_text("Risk: low")
    expect(page.locator("#results")).to_contain_text("Safe for this client")
    e2e.check(page, journey, "01-simulator")
    skin = page.get_by_label("Fitzpatrick skin type")
    skin.select_option(label="V: very rarely burns, brown skin")
    expect(page.locator("#results")).to_contain_text("injury threshold for type V skin")
    expect(risk).to_have_text("Risk: low")
    page.get_by_label("Wavelength").select_option(label="532 nm (green, KTP)")
    expect(risk).to_have_text("Risk: high")
    expect(page.locator("#results")).to_contain_text("Not safe for this client")
    expect(page.locator("#results .risk-flags")).to_contain_text("Melanin absorption")
    expect(page.locator("#sim-status")).to_contain_text("Results updated")
    e2e.check(page, journey, "02-simulator-532nm-type-v")
    page.get_by_label("Wavelength").select_option(label="1064 nm (Nd:YAG)")
    expect(risk).to_have_text("Risk: low")
    expect(page.locator("#results")).to_contain_text("Safe for this client")
    assert "fitzpatrick_type=5" in page.url and "wavelength_nm=1064" in page.url  # shareable
    page.get_by_label("Title").fill("Bilal: 1064 nm, type V")
    page.get_by_role("button", name="Save to my notes").click()
    expect(flash(page)).to_contain_text("Saved “Bilal: 1064 nm, type V” to your notes.")
    run_row = page.get_by_role("row", name=re.compile("Bilal: 1064 nm, type V"))
    expect(run_row).to_contain_text("1064 nm")
    expect(run_row).to_contain_text("type V")
    expect(run_row).to_contain_text("Safe, effective; risk low")
    e2e.check(page, journey, "03-saved-runs")

    # The case assessment: start a plan, attach the run, answer every task, submit.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    e2e.check(page, journey, "04-cases")
    page.get_by_role("link", name=re.compile("Type V skin, a fresh tan")).click()
    client = page.locator(".client-card")
    expect(client.get_by_role("heading", level=2)).to_contain_text("The client: Bilal")
    expect(client.locator("dl.facts")).to_contain_text(re.compile(r"Fitzpatrick type\s*V\b"))
    e2e.check(page, journey, "05-case")
    page.get_by_role("button", name="Start my plan").click()
    plan = page.locator("#plan-form")
    expect(plan).to_be_visible()
    page.get_by_label("Method").select_option(label="Laser")
    page.get_by_label("Simulator run").select_option(label="Bilal: 1064 nm, type V")
    page.get_by_label("Sessions", exact=True).fill("10")
    page.get_by_label("Weeks between sessions").fill("10")
    page.get_by_label("Weeks before new SMP").fill("12")
    answers = {
        "Method, and whether to start now": "Laser, after the tan has faded: start in autumn.",
        "Skin type, consultation and test patch": "Type V by history and observation; "
        "test patch at 1064 nm, read at six weeks.",
        "Laser parameters in the simulator": "1064 nm, 6 ns, 3.5 J/cm², 4 mm spot; "
        "at 532 nm the simulator's risk went from low to high.",
        "Sessions, intervals and the year ahead": "Ten sessions ten weeks apart, around "
        "the cricket season and Ramadan.",
        "Aftercare for skin prone to pigment change": "Cover and SPF 50, no gym for 48 h, "
        "call me about any darkening.",
        "Managing his expectations": "An honest range of sessions; white patches are a risk "
        "we keep low.",
    }
    tasks = plan.locator("fieldset.task")
    expect(tasks).to_have_count(len(answers))
    for title, text in answers.items():
        tasks.filter(has_text=title).locator("textarea").fill(text)
    with autosave_of(page):
        page.get_by_label("Weeks before new SMP").press("Tab")  # the draft saves as you type
    e2e.check(page, journey, "06-plan-draft")
    page.get_by_role("button", name="Submit my plan").click()
    expect(flash(page)).to_contain_text("Your plan has been submitted. Your tutor has been told.")
    expect(page.locator("#plan")).to_contain_text("Submitted")
    expect(page.locator("#plan")).to_contain_text("Bilal: 1064 nm, type V")
    e2e.check(page, journey, "07-plan-submitted")

    # The tutor finds it in the queue and marks it against the rubric.
    tutor_page = e2e.page()
    e2e.log_in(tutor_page, tutor.email, check=(journey, "08-tutor-log-in"))
    tutor_page.get_by_role("navigation", name="Main").get_by_role("link", name="Marking").click()
    expect(tutor_page.get_by_role("heading", level=1)).to_have_text("Marking queue")
    e2e.check(tutor_page, journey, "09-marking-queue")
    tutor_page.get_by_role("link", name="Bilal Hussain Trainee").click()
    expect(tutor_page.locator("#work-heading")).to_contain_text("The trainee's plan")
    run_card = tutor_page.locator(".run-card")
    expect(run_card).to_contain_text("Simulator run: Bilal: 1064 nm, type V")
    expect(run_card).to_contain_text("risk low · safe, effective")
    form = tutor_page.locator("#mark-form")
    criteria = form.locator("fieldset.rubric-choice")
    expect(criteria).to_have_count(5)
    for n in range(5):
        criterion = criteria.nth(n)
        criterion.get_by_role("radio").nth(2).check()  # "Competent" in each
        criterion.get_by_role("textbox").fill(f"Comment on criterion {n + 1}.")
    form.get_by_label("Overall feedback").fill("A safe, well-reasoned plan for Bilal.")
    with autosave_of(tutor_page):
        form.get_by_label("Pass", exact=True).check()
    expect(tutor_page.locator(".autosave-status")).to_contain_text("Draft mark saved")
    e2e.check(tutor_page, journey, "10-marking")
    # A last thought, and Finish while its autosave is still on the way back (held here
    # after the server saved it): the form must wait for the new lock version rather than
    # have the server refuse the tutor's own mark as someone else's.
    held = []
    tutor_page.route("**/autosave", lambda route: held.append((route, route.fetch())))
    with tutor_page.expect_request("**/autosave"):
        form.get_by_label("Overall feedback").press_sequentially(" Well done.")
    for _ in range(100):  # the route handler fetches the server's reply in the background
        if held:
            break
        tutor_page.wait_for_timeout(50)
    form.get_by_role("button", name="Finish the mark").click()
    assert held, "the autosave never reached the server"
    route, response = held[0]
    route.fulfill(response=response)
    tutor_page.unroute("**/autosave")
    expect(flash(tutor_page)).to_contain_text("Mark finished: release it when you are ready.")
    e2e.check(tutor_page, journey, "11-mark-finished")
    tutor_page.get_by_role("button", name="Release the mark to Bilal Hussain Trainee").click()
    expect(flash(tutor_page)).to_contain_text("Mark released to Bilal Hussain Trainee.")
    e2e.check(tutor_page, journey, "12-released")

    # The trainee sees the mark, level by level, with the tutor's comments.
    page.reload()
    expect(page.locator("#plan")).to_contain_text("Your mark: Passed")
    result = page.locator("table.rubric-result")
    expect(result.get_by_role("row", name=re.compile("Protecting Bilal's skin"))).to_contain_text(
        "Competent"
    )
    expect(result).to_contain_text("Comment on criterion 1.")
    expect(page.locator("#plan")).to_contain_text(
        "A safe, well-reasoned plan for Bilal. Well done."
    )
    e2e.check(page, journey, "13-mark-released")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Notifications").click()
    expect(page.locator("main")).to_contain_text("has been released")
    e2e.check(page, journey, "14-notifications")
    e2e.finish()


def test_a_trainee_downloads_the_certificate_and_anyone_can_verify_it(
    e2e: E2E, app, make_user, tmp_path
):
    journey = "certificate-download-and-verify"
    state.load_shipped_content(app)
    trainee = make_user(Role.TRAINEE, full_name="Aisha Rahman")
    tutor = make_user(Role.TUTOR, full_name="Helen Ashworth")
    state.cohort(app, tutor.id, trainee.id)
    # Eight modules and the final assessment take hours in a browser: the services those
    # pages call complete the course, which issues the signed certificate.
    state.complete_course(app, trainee.id, tutor.id)

    page = e2e.page()
    e2e.log_in(page, trainee.email)
    panel = page.locator("section", has=page.get_by_role("heading", name="Certificates"))
    expect(panel).to_contain_text("Course certificate: Safe Removal of Scalp Micropigmentation")
    expect(page.locator(".course-progress")).to_contain_text("8 of 8 modules completed")
    e2e.check(page, journey, "01-home")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Certificates").click()
    expect(page.locator("main")).to_contain_text("You have completed the course.")
    e2e.check(page, journey, "02-certificates")
    page.get_by_role("link", name=re.compile(r"^SRA-\d{4}-\d{5}$")).click()
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Aisha Rahman")
    expect(facts).to_contain_text("Helen Ashworth, Lead tutor")
    code = facts.locator("code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4})+", code), code
    e2e.check(page, journey, "03-certificate")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    download = download_info.value
    assert re.fullmatch(r"SRA-\d{4}-\d{5}\.pdf", download.suggested_filename)
    saved = e2e.folder(journey) / "certificate.pdf"
    download.save_as(saved)
    pdf = saved.read_bytes()
    assert pdf.startswith(b"%PDF")
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert "Aisha Rahman" in text and "Safe Removal of Scalp Micropigmentation" in text
    assert code in text
    verify_url = qr_codes(pdf, tmp_path)  # what an employer's phone reads from the QR code
    assert verify_url.startswith(f"{e2e.base_url}/verify/"), verify_url
    shutil.copy(next(tmp_path.glob("page-*.png")), e2e.folder(journey) / "04-certificate-pdf.png")

    # Someone with no account (an employer, a licensing officer) opens the QR code's address.
    visitor = e2e.page()
    visitor.goto(verify_url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Verify a certificate")
    expect(visitor.locator(".verdict")).to_contain_text("Valid")
    details = visitor.locator("dl.verify-facts")
    expect(details).to_contain_text("Aisha Rahman")
    expect(details).to_contain_text("Safe Removal of Scalp Micropigmentation")
    expect(visitor.get_by_label("Verification code")).to_have_value(code)  # the same code
    expect(visitor.get_by_role("navigation", name="Main")).to_contain_text("Log in")
    e2e.check(visitor, journey, "05-verify")
    e2e.finish()
