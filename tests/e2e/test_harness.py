"""The harness catches what it is for: axe violations, script errors and unseen focus."""

from __future__ import annotations

import pytest

from tests.e2e.browser import E2E
from tests.e2e.keyboard import focus_problem

BAD_PAGE = """<!doctype html><html lang="en"><head><title>Bad page</title></head>
<body><main><h1>A bad page</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#c0c0c0; background:#fff">Faint text that few can read.</p>
<script>notDefinedAnywhere();</script>
</main></body></html>"""


def test_a_bad_page_fails_with_each_problem_named(e2e: E2E):
    page = e2e.page()
    page.set_content(BAD_PAGE)
    e2e.check(page, "harness-self-test", "bad-page")
    with pytest.raises(AssertionError) as failure:
        e2e.finish()
    report = str(failure.value)
    assert "image-alt (critical)" in report
    assert "color-contrast (serious)" in report
    assert "script error" in report and "notDefinedAnywhere" in report
    e2e.findings.clear()
    e2e.errors.clear()


def _focus(**style) -> dict:
    info = {
        "key": "button",
        "inView": True,
        "focusVisible": True,
        "outlineStyle": "solid",
        "outlineWidth": 3,
        "outlineColor": "rgb(27, 36, 40)",
        "boxShadow": "none",
        "background": "rgb(255, 255, 255)",
    }
    return {**info, **style}


def test_focus_must_be_seen():
    assert focus_problem(_focus()) is None  # the academy's dark ring on white
    amber = focus_problem(_focus(outlineColor="rgb(242, 177, 52)"))
    assert "contrast 1.89:1" in amber  # the old amber outline on white
    ring = "rgb(242, 177, 52) 0px 0px 0px 2px"
    header = _focus(outlineColor="rgb(27, 36, 40)", boxShadow=ring, background="rgb(31, 78, 95)")
    assert focus_problem(header) is None  # the amber ring carries it on the dark header
    assert "no focus indicator" in focus_problem(_focus(outlineStyle="none"))
    assert "not scrolled into view" in focus_problem(_focus(inView=False))
