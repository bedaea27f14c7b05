"""Reading content files (YAML and Markdown front matter) with line numbers for every value.

The course and quiz loaders report each mistake as "file:line: reason", so a tutor can go
straight to it. ``LineMap`` remembers where each value of a YAML document started.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, order=True)
class ContentError:
    """One mistake in a content file."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class ContentInvalid(Exception):
    """Raised when content files have mistakes; nothing has been loaded."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass
class LineMap:
    """Line numbers (1-based) of the values in a YAML document, keyed by their path."""

    lines: dict[tuple, int] = field(default_factory=dict)
    offset: int = 0

    def line(self, *path: Any, default: int | None = None) -> int:
        """The line of the value at ``path``, or of its nearest parent that has one."""
        while path:
            if path in self.lines:
                return self.lines[path] + self.offset
            path = path[:-1]
        return (default if default is not None else self.lines.get((), 1)) + self.offset


def _construct(loader, node: yaml.Node, path: tuple, lines: dict[tuple, int]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            result[key] = _construct(loader, value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, (*path, i), lines) for i, item in enumerate(node.value)]
    return loader.construct_object(node)


def parse_yaml(text: str, file: str, first_line: int = 1) -> tuple[Any, LineMap]:
    """Parse YAML safely, returning the data and where each value is; raise ContentInvalid."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = (mark.line + first_line) if mark else first_line
        problem = getattr(error, "problem", None) or str(error)
        raise ContentInvalid([ContentError(file, line, f"malformed YAML: {problem}")]) from error
    lines: dict[tuple, int] = {}
    try:
        if node is None:
            return None, LineMap({(): 1}, first_line - 1)
        data = _construct(loader, node, (), lines)
    except yaml.YAMLError as error:  # e.g. a bad date or an unhashable key
        line = node.start_mark.line + first_line
        raise ContentInvalid([ContentError(file, line, f"malformed YAML: {error}")]) from error
    finally:
        loader.dispose()
    return data, LineMap(lines, first_line - 1)


@dataclass
class MarkdownFile:
    meta: dict
    lines: LineMap
    body: str
    body_first_line: int


def parse_front_matter(path: Path, display: str) -> MarkdownFile:
    """Split a Markdown file into its YAML front matter (between --- lines) and its body."""
    text = path.read_text(encoding="utf-8")
    all_lines = text.splitlines()
    if not all_lines or all_lines[0].strip() != "---":
        raise ContentInvalid(
            [
                ContentError(
                    display, 1, "missing front matter: the file must start with a '---' line"
                )
            ]
        )
    try:
        end = next(i for i, line in enumerate(all_lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        raise ContentInvalid(
            [ContentError(display, 1, "malformed front matter: no closing '---' line")]
        ) from None
    meta, lines = parse_yaml("\n".join(all_lines[1:end]), display, first_line=2)
    if not isinstance(meta, dict):
        raise ContentInvalid(
            [ContentError(display, 2, "malformed front matter: expected 'key: value' lines")]
        )
    rest = all_lines[end + 1 :]
    blank = next((i for i, line in enumerate(rest) if line.strip()), len(rest))
    body = "\n".join(rest[blank:]).rstrip("\n") + "\n"
    return MarkdownFile(meta, lines, body, end + 2 + blank)


class FieldChecker:
    """Collects the mistakes in one file's values instead of stopping at the first."""

    def __init__(
        self, file: str, data: dict, lines: LineMap, errors: list[ContentError], base: tuple = ()
    ):
        self.file, self.data, self.lines, self.errors, self.base = file, data, lines, errors, base

    def error(self, reason: str, *path) -> None:
        self.errors.append(ContentError(self.file, self.lines.line(*self.base, *path), reason))

    def child(self, data: dict, *path) -> FieldChecker:
        """A checker for a mapping nested at ``path`` (a question inside a pool, say)."""
        return FieldChecker(self.file, data, self.lines, self.errors, (*self.base, *path))

    def fields(self, allowed: set[str], required: set[str]) -> None:
        for name in sorted(set(self.data) - allowed):
            self.error(f"unknown field '{name}' (allowed: {', '.join(sorted(allowed))})", name)
        for name in sorted(required - set(self.data)):
            self.error(f"missing field '{name}'")

    def text(self, name: str, max_length: int = 10_000) -> str:
        value = self.data.get(name)
        if name not in self.data:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.error(f"'{name}' must be non-empty text", name)
            return ""
        if len(value) > max_length:
            self.error(f"'{name}' is longer than {max_length} characters", name)
        return value.strip()

    def slug(self, name: str = "slug") -> str:
        value = self.text(name, 80)
        if value and not SLUG.match(value):
            self.error(
                f"'{name}' must be lowercase letters, digits and hyphens, not {value!r}", name
            )
        return value

    def number(self, name: str, *, minimum: float, maximum: float, integer: bool) -> float | None:
        if name not in self.data:
            return None
        value = self.data[name]
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            self.error(f"'{name}' must be {'a whole number' if integer else 'a number'}", name)
            return None
        if not minimum <= value <= maximum:
            self.error(f"'{name}' must be between {minimum:g} and {maximum:g}, not {value}", name)
            return None
        return value

    def text_list(self, name: str, *, required: bool) -> list[str]:
        value = self.data.get(name, [])
        if not isinstance(value, list):
            self.error(f"'{name}' must be a list", name)
            return []
        if required and not value:
            self.error(f"'{name}' must list at least one item", name)
        good = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                self.error(
                    f"item {i + 1} of '{name}' must be text; it contains ': ', which YAML reads "
                    "as a key and value, so put the item in quotes",
                    name,
                    i,
                )
            elif not isinstance(item, str) or not item.strip():
                self.error(f"item {i + 1} of '{name}' must be non-empty text", name, i)
            else:
                good.append(item.strip())
        return good


def read_mapping(path: Path, display: str, errors: list[ContentError], what: str):
    """Parse a YAML file that must be a mapping; on a mistake, note it and return None."""
    try:
        data, lines = parse_yaml(path.read_text(encoding="utf-8"), display)
    except ContentInvalid as invalid:
        errors.extend(invalid.errors)
        return None
    if not isinstance(data, dict):
        errors.append(ContentError(display, 1, f"{what} must be a mapping of 'field: value'"))
        return None
    return data, lines


def upsert_by_slug(model, items, moment) -> int:
    """Create or update rows of ``model`` from validated items (slug, values, content_hash).

    A changed item moves its row's ``revised_at``; a row whose slug is no longer in the
    files is retired, never deleted, because people's records point at it. Returns how
    many rows were newly retired.
    """
    import sqlalchemy as sa

    from academy.extensions import db

    existing = {row.slug: row for row in db.session.scalars(sa.select(model))}
    for item in items:
        row = existing.pop(item.slug, None)
        if row is None:
            row = model(slug=item.slug, revised_at=moment)
            db.session.add(row)
        elif row.content_hash != item.content_hash:
            row.revised_at = moment
        for name, value in item.values.items():
            setattr(row, name, value)
        row.content_hash, row.retired_at = item.content_hash, None
    retired = 0
    for row in existing.values():
        if row.retired_at is None:
            row.retired_at = moment
            retired += 1
    db.session.flush()
    return retired
