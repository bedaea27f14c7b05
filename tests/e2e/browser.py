"""The browser tests' harness: contexts, log-in through the real form, screenshots, axe-core.

Every page a journey shows is passed to ``E2E.check``: it saves a full-page screenshot as
test-artifacts/e2e/<journey>/<step>.png and runs axe-core in the page (the copy bundled by
the ``axe-playwright-python`` package: nothing is downloaded at run time). Serious and
critical violations, and any script error, CSP refusal or other console error, or server
error (5xx) the browser met, fail the test when it calls ``E2E.finish``; every page's axe
report (with what axe could not decide, for a person to look at) is written beside its
screenshot.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.helpers import DEFAULT_PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Every rule axe-core enables by default (WCAG 2.0-2.2 A and AA, and best practices); a page
# fails on a serious or critical violation. Moderate and minor ones go to the report.
AXE_OPTIONS = {"resultTypes": ["violations"]}
FAILING_IMPACTS = ("serious", "critical")
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 15_000

_AXE = Axe()


def format_violations(violations: list[dict]) -> str:
    """Axe's violations as a person reads them: rule, impact, help, and each element."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    at {target}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def format_incomplete(incomplete: list[dict]) -> str:
    """What axe could not decide (e.g. contrast over a picture): for a person to look at."""
    lines = []
    for v in incomplete:
        targets = "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:5])
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}, at {targets}")
        first = v["nodes"][0]
        reasons = [check["message"] for check in first.get("any", []) + first.get("all", [])]
        if reasons:
            lines.append(f"    {reasons[0]}")
    return "\n".join(lines)


class E2E:
    """One test's browser contexts, journeys' screenshots, and what axe and the console said."""

    def __init__(self, browser: Browser, base_url: str):
        self.browser = browser
        self.base_url = base_url
        self.contexts: list[BrowserContext] = []
        self.findings: list[str] = []  # serious and critical axe violations, by page
        self.errors: list[str] = []  # script errors, CSP refusals, server errors
        self._cleared: set[str] = set()

    # --- Browsers -------------------------------------------------------------------------

    def context(self) -> BrowserContext:
        """A fresh browser profile (no cookies), as a second person or a later visit."""
        context = self.browser.new_context(
            base_url=self.base_url,
            viewport=VIEWPORT,
            locale="en-GB",
            timezone_id="Europe/London",
            accept_downloads=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.on("weberror", lambda e: self.errors.append(f"script error: {e.error}"))
        context.on("console", self._console)
        context.on("response", self._server_error)
        self.contexts.append(context)
        return context

    def _console(self, message) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            self.errors.append(f"console error: {message.text} ({where})")

    def _server_error(self, response) -> None:
        if response.status >= 500:
            self.errors.append(f"server error: {response.status} for {response.url}")

    def page(self) -> Page:
        return self.context().new_page()

    def log_in(
        self, page: Page, email: str, password: str = DEFAULT_PASSWORD, *, check: tuple = ()
    ) -> None:
        """Log in through the real form and land on the home page.

        ``check``: (journey, step) to check the log-in page as one of the journey's pages.
        """
        page.goto("/auth/login")
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        if check:
            self.check(page, *check)
        page.get_by_role("button", name="Log in", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome,")

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts.clear()

    # --- Screenshots and axe --------------------------------------------------------------

    def folder(self, journey: str) -> Path:
        folder = ARTIFACTS / journey
        if journey not in self._cleared:  # only this run's pictures, not an earlier run's
            shutil.rmtree(folder, ignore_errors=True)
            self._cleared.add(journey)
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def snap(self, page: Page, journey: str, step: str) -> None:
        """A picture of what is on screen now (to see where focus is), without axe."""
        page.screenshot(path=str(self.folder(journey) / f"{step}.png"))

    def check(self, page: Page, journey: str, step: str) -> None:
        """Save the page's picture and check it with axe-core (after it has loaded)."""
        page.wait_for_load_state("load")
        folder = self.folder(journey)
        page.screenshot(path=str(folder / f"{step}.png"), full_page=True)
        response = _AXE.run(page, options=AXE_OPTIONS).response
        assert response["passes"], f"axe-core did not run on {page.url}"
        where = f"{journey}/{step} ({re.sub(r'^https?://[^/]+', '', page.url)})"
        report = format_violations(response["violations"]) or "No violations."
        if response["incomplete"]:
            report += "\n\nTo review by hand:\n" + format_incomplete(response["incomplete"])
        (folder / f"{step}.axe.txt").write_text(f"{where}\n{report}\n")
        failing = [v for v in response["violations"] if v["impact"] in FAILING_IMPACTS]
        if failing:
            self.findings.append(f"{where}:\n{format_violations(failing)}")

    def finish(self) -> None:
        """Fail on any serious or critical axe violation, or any script error, seen so far."""
        problems = []
        if self.findings:
            problems.append(
                "axe-core found serious or critical accessibility violations:\n"
                + "\n\n".join(self.findings)
            )
        if self.errors:
            problems.append("The browser saw errors:\n" + "\n".join(self.errors))
        if problems:
            raise AssertionError("\n\n".join(problems))
