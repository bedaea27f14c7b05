"""Reading content files (YAML and Markdown front matter) with line numbers for every value.

The course and quiz loaders report each mistake as "file:line: reason", so a tutor can go
straight to it. ``LineMap`` remembers where each value of a YAML document started.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


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
