"""Keyboard helpers: where Tab should go, where it went, and whether focus can be seen.

The expected order is the document's: every link, button, field and summary that is
rendered (not inside a closed <details> or display:none), with a radio group as one stop
(its checked radio, else its first, as Tab enters a group going forward). A focused
control's indicator must be an outline (or a ring drawn with box-shadow) at least 2 px
wide whose colour has 3:1 contrast with the background around it (WCAG 2.2, 1.4.11 and
2.4.7), and the control must be scrolled into view.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page

# A stable name for an element, the same whichever radio of a group is focused.
_DESCRIBE = """
(el) => {
  if (!el || el === document.body || el === document.documentElement) return "(page)";
  const tag = el.tagName.toLowerCase();
  if (tag === "input" && el.type === "radio") return `radio group ${el.name}`;
  const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
  const id = el.id ? `#${el.id}` : "";
  const name = el.name ? `[name=${el.name}]` : "";
  const href = tag === "a" ? ` -> ${el.getAttribute("href")}` : "";
  return `${tag}${id}${name} "${text.replace(/\\s+/g, " ").slice(0, 50)}"${href}`;
}
"""

EXPECTED_STOPS = (
    """
() => {
  const describe = """
    + _DESCRIBE
    + """;
  const selector = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]),'
    + ' select:not([disabled]), textarea:not([disabled]), summary, [tabindex]';
  const stops = [];
  const radioGroups = new Set();
  for (const el of document.querySelectorAll(selector)) {
    if (el.tabIndex < 0) continue;
    if (el.getClientRects().length === 0) continue;  // not rendered: display none, closed details
    if (getComputedStyle(el).visibility === "hidden") continue;
    if (el.type === "radio") {
      if (radioGroups.has(el.name)) continue;
      radioGroups.add(el.name);
    }
    stops.push(describe(el));
  }
  const positive = Array.from(document.querySelectorAll("[tabindex]"))
    .filter((el) => el.tabIndex > 0).map(describe);
  return { stops, positive };
}
"""
)

FOCUSED = (
    """
() => {
  const describe = """
    + _DESCRIBE
    + """;
  const el = document.activeElement;
  const style = getComputedStyle(el);
  let background = "rgb(255, 255, 255)";
  for (let node = el.parentElement; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour && colour !== "transparent" && !/rgba\\(.*, 0\\)$/.test(colour)) {
      background = colour;
      break;
    }
  }
  const rect = el.getBoundingClientRect();
  return {
    key: describe(el),
    focusVisible: el.matches(":focus-visible"),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    outlineColor: style.outlineColor,
    boxShadow: style.boxShadow,
    background: background,
    inView: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0
      && rect.top < window.innerHeight && rect.left < window.innerWidth,
  };
}
"""
)

_COLOUR = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)")


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = (_luminance(tuple(float(x) for x in _COLOUR.search(c).groups()[:3])) for c in (a, b))
    light, dark = max(la, lb), min(la, lb)
    return (light + 0.05) / (dark + 0.05)


def _shadow_rings(box_shadow: str) -> list[tuple[str, float]]:
    """(colour, spread) of each box-shadow ring, as Chromium computes them."""
    ring = r"(rgba?\([^)]*\))\s+(-?[\d.]+)px\s+(-?[\d.]+)px\s+([\d.]+)px\s+([\d.]+)px"
    return [(m.group(1), float(m.group(5))) for m in re.finditer(ring, box_shadow or "")]


def focus_problem(info: dict) -> str | None:
    """Why the focused element's focus could not be seen, or None when it can."""
    if not info["inView"]:
        return "the focused control is not scrolled into view"
    if not info["focusVisible"]:
        return "the browser does not show keyboard focus here (:focus-visible does not match)"
    indicators = []
    if info["outlineStyle"] != "none" and info["outlineWidth"] >= 2:
        indicators.append(info["outlineColor"])
    indicators += [colour for colour, spread in _shadow_rings(info["boxShadow"]) if spread >= 2]
    if not indicators:
        return "no focus indicator (outline or ring of at least 2 px)"
    best = max(contrast(colour, info["background"]) for colour in indicators)
    if best < 3:
        return (
            f"focus indicator {indicators} has contrast {best:.2f}:1 with the background "
            f"{info['background']} (at least 3:1 needed)"
        )
    return None


def expected_stops(page: Page) -> list[str]:
    found = page.evaluate(EXPECTED_STOPS)
    assert not found["positive"], f"positive tabindex breaks the order: {found['positive']}"
    return found["stops"]


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED)


class TabWalk:
    """Press Tab through a page, checking each stop's focus, and record where it went."""

    def __init__(self, page: Page):
        self.page = page
        self.visited: list[str] = []
        self.problems: list[str] = []

    def tab(self, key: str = "Tab") -> dict:
        self.page.keyboard.press(key)
        info = focused(self.page)
        if key == "Tab":
            self.visited.append(info["key"])
        problem = None if info["key"] == "(page)" else focus_problem(info)  # (the browser's UI)
        if problem:
            self.problems.append(f"{info['key']}: {problem}")
        return info

    def to(self, pattern: str, limit: int = 200, key: str = "Tab") -> dict:
        """Tab (or Shift+Tab) until the focused element's description matches ``pattern``."""
        info = focused(self.page)
        if re.search(pattern, info["key"]):
            return info
        for _ in range(limit):
            info = self.tab(key)
            if re.search(pattern, info["key"]):
                return info
        raise AssertionError(f"{key} never reached {pattern!r}; went through {self.visited}")
