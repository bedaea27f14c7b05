"""One page of a long list, and what a pager and a "showing 51–100 of 1,234" line need.

The tutors' lists (quiz grades, the marking queue) grow with the academy, so they are read
and shown a page at a time; this is the one place that does the arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass

PAGE_SIZE = 50


@dataclass
class Page:
    items: list
    number: int  # from 1
    total: int  # items on every page
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        """The position of this page's first item (0 when there is none)."""
        return min(self.total, (self.number - 1) * self.size + 1)

    @property
    def last(self) -> int:
        return min(self.total, self.number * self.size)

    def links(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last and those near this one (None: a gap)."""
        shown = {1, self.pages, *range(self.number - around, self.number + around + 1)}
        numbers = sorted(n for n in shown if 1 <= n <= self.pages)
        links: list[int | None] = []
        for n in numbers:
            if links and n - links[-1] > 1:
                links.append(None)
            links.append(n)
        return links


def fit(number: int, total: int, size: int = PAGE_SIZE) -> int:
    """The page to show when ``number`` is asked for: at least 1, at most the last page."""
    return min(max(number, 1), max(1, -(-total // size)))
