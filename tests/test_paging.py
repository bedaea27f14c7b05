"""The pager's arithmetic, shared by the quiz grades and the marking queue."""

import pytest

from academy.paging import Page, fit


@pytest.mark.parametrize(
    ("asked", "total", "shown"),
    [(1, 0, 1), (0, 120, 1), (-5, 120, 1), (2, 120, 2), (3, 120, 3), (4, 120, 3), (99, 50, 1)],
)
def test_a_page_out_of_range_becomes_the_nearest_there_is(asked, total, shown):
    assert fit(asked, total) == shown


def test_the_showing_line_counts_from_one_and_stops_at_the_total():
    assert (Page([], 1, 0).first, Page([], 1, 0).last, Page([], 1, 0).pages) == (0, 0, 1)
    assert (Page([], 1, 120).first, Page([], 1, 120).last) == (1, 50)
    assert (Page([], 3, 120).first, Page([], 3, 120).last, Page([], 3, 120).pages) == (101, 120, 3)
    assert (Page([], 2, 9, size=4).first, Page([], 2, 9, size=4).last) == (5, 8)
