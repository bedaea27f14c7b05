"""Browser tests: the academy served by a real server, driven in Debian's Chromium.

The server is werkzeug's, on 127.0.0.1 and a free port, in a daemon thread of this process,
serving the session ``app`` from tests/conftest.py: the browser and the test share the test
database, which is emptied after each test as everywhere else. Chromium is launched once
per session (Playwright's sync API with the browser at /usr/bin/chromium, never a
downloaded one); each test gets fresh browser contexts, i.e. fresh cookie jars.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, E2E


class _QuietHandler(WSGIRequestHandler):
    """No access-log line per request: a failing test shows the page, not 200 GETs."""

    def log_request(self, code="-", size="-") -> None:
        pass


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    """The app on http://127.0.0.1:<free port>, one thread per request, until the session ends."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}: "
            "run `bash scripts/system-packages.sh` (as root) or `apt-get install chromium`."
        )
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def e2e(app, browser: Browser, live_server: str) -> Iterator[E2E]:
    """Browser contexts, screenshots and accessibility checks for one test."""
    harness = E2E(browser, live_server)
    yield harness
    harness.close()
