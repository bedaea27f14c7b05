"""Markdown to safe HTML for everything tutors write: lessons, questions, feedback.

CommonMark with tables and footnotes; a paragraph holding only an image becomes a
<figure> with its title as the caption. The HTML is then sanitised with nh3 (an
allow-list), so a <script> or an event handler in a content file never reaches a page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from html import unescape

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from mdit_py_plugins.footnote import footnote_plugin

_TAG = re.compile(r"<[^>]+>")

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
    "sub",
    "section",
    "details",
    "summary",
    "abbr",
    "del",
    "mark",
    "span",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id", "class"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "li": {"id", "class"},
    "sup": {"class", "id"},
    "section": {"class"},
    "ol": {"start", "class"},
    "th": {"scope"},
    "span": {"class"},
    "hr": {"class"},
}


def _figure_rule(state) -> None:
    """Mark paragraphs that hold a single image, so they render as captioned figures."""
    tokens = state.tokens
    for i in range(len(tokens) - 2):
        opening, inline, closing = tokens[i], tokens[i + 1], tokens[i + 2]
        if (
            opening.type == "paragraph_open"
            and inline.type == "inline"
            and closing.type == "paragraph_close"
            and inline.children
            and len(inline.children) == 1
            and inline.children[0].type == "image"
        ):
            opening.tag = closing.tag = "figure"
            caption = inline.children[0].attrGet("title")
            if caption:
                opening.meta["caption"] = caption
                closing.meta["caption"] = caption


def _build(resolve_image: Callable[[str], str] | None) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable("table")
    md.use(footnote_plugin)
    md.core.ruler.push("figures", _figure_rule)
    default_image = md.renderer.rules["image"]

    def image(renderer, tokens, idx, options, env):
        token = tokens[idx]
        if resolve_image is not None:
            token.attrSet("src", resolve_image(token.attrGet("src") or ""))
        return default_image(tokens, idx, options, env)

    def paragraph_close(renderer, tokens, idx, options, env):
        token = tokens[idx]
        if token.tag == "figure" and token.meta.get("caption"):
            return f"<figcaption>{escapeHtml(token.meta['caption'])}</figcaption></figure>\n"
        return renderer.renderToken(tokens, idx, options, env)

    md.add_render_rule("image", image)
    md.add_render_rule("paragraph_close", paragraph_close)
    return md


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


@lru_cache(maxsize=512)
def _render_cached(text: str, image_base: str | None) -> str:
    resolve = None
    if image_base is not None:

        def resolve(src: str) -> str:
            if "://" in src or src.startswith(("/", "#", "data:")):
                return src
            return f"{image_base.rstrip('/')}/{src.removeprefix('./').removeprefix('figures/')}"

    return sanitise(_build(resolve).render(text))


def render_markdown(text: str, image_base: str | None = None) -> str:
    """Render Markdown to sanitised HTML; relative figure paths are served from ``image_base``."""
    return _render_cached(text, image_base)


def plain_text(text: str) -> str:
    """The words of a Markdown text without markup, for search and word counts."""
    html = _build(None).render(text)
    return " ".join(unescape(_TAG.sub(" ", html)).split())
