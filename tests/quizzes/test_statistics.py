"""Item statistics against a small example worked by hand."""

import math

from academy.quizzes.statistics import (
    ItemSums,
    distribution,
    item_statistics,
    item_statistics_from_sums,
    pearson,
)


def test_facility_and_discrimination_match_the_hand_worked_example():
    # Four attempts. The question (1 mark) was right in the two best attempts.
    # Totals out of 4: 4, 3, 1, 0. Rest of the quiz: 3, 2, 1, 0.
    # Facility = 2/4 = 50%. Deviations: q (.5,.5,-.5,-.5), rest (1.5,.5,-.5,-1.5):
    # Sxy = 2.0, Sxx = 1.0, Syy = 5.0, so r = 2/sqrt(5) = 0.894 -> discrimination 89.4.
    rows = [(1, 1, 4, 4), (1, 1, 3, 4), (0, 1, 1, 4), (0, 1, 0, 4)]
    stats = item_statistics("q1", rows)
    assert stats.attempts == 4
    assert stats.facility == 50.0
    assert math.isclose(stats.discrimination, 100 * 2 / math.sqrt(5))
    assert stats.flags == []


def test_a_question_the_weak_get_right_and_the_strong_get_wrong_is_flagged():
    rows = [(0, 1, 3, 4), (0, 1, 3, 4), (1, 1, 1, 4), (1, 1, 2, 4)]
    stats = item_statistics("q2", rows)
    assert stats.discrimination < 0 and "negative discrimination" in stats.flags


def test_everyone_right_is_flagged_as_very_easy_and_has_no_discrimination():
    stats = item_statistics("q3", [(1, 1, 3, 4), (1, 1, 4, 4)])
    assert stats.facility == 100 and stats.discrimination is None
    assert "very easy" in stats.flags


def test_no_attempts_means_no_statistics():
    assert item_statistics("q4", []).facility is None


def test_pearson_needs_variation():
    assert pearson([1, 1], [2, 3]) is None
    assert math.isclose(pearson([1, 2, 3], [2, 4, 6]), 1.0)


def test_distribution_bands():
    assert distribution([0, 9.99, 10, 55, 100]) == [2, 1, 0, 0, 0, 1, 0, 0, 0, 1]


def _sums(rows) -> ItemSums:
    xs = [score for score, _, _, _ in rows]
    ys = [total - score for score, _, total, _ in rows]
    return ItemSums(
        len(rows),
        sum(score / maximum for score, maximum, _, _ in rows if maximum),
        sum(xs),
        sum(x * x for x in xs),
        sum(ys),
        sum(y * y for y in ys),
        sum(x * y for x, y in zip(xs, ys, strict=True)),
    )


def test_statistics_from_database_sums_match_those_from_rows():
    # The report sums per question in SQL; it must say what the rows would have said.
    examples = [
        [(1, 1, 4, 4), (1, 1, 3, 4), (0, 1, 1, 4), (0, 1, 0, 4)],
        [(0, 1, 3, 4), (0, 1, 3, 4), (1, 1, 1, 4), (1, 1, 2, 4)],
        [(1, 1, 3, 4), (1, 1, 4, 4)],
        [(2.5, 3, 7.5, 11), (0, 3, 4, 11), (3, 3, 10, 11), (1.5, 3, 6, 11), (0, 0, 2, 11)],
        [],
    ]
    for rows in examples:
        from_rows = item_statistics("q", rows)
        from_sums = item_statistics_from_sums("q", _sums(rows))
        assert from_sums.attempts == from_rows.attempts
        assert from_sums.flags == from_rows.flags
        for name in ("facility", "discrimination"):
            a, b = getattr(from_rows, name), getattr(from_sums, name)
            assert (a is None and b is None) or math.isclose(a, b, abs_tol=1e-9), (name, rows)


def test_sums_over_the_attempt_score_give_the_same_statistics():
    # The report sums x and the attempt's score t; the rest of the quiz is y = t - x.
    for rows in [
        [(1, 1, 4, 4), (1, 1, 3, 4), (0, 1, 1, 4), (0, 1, 0, 4)],
        [(2.5, 3, 7.5, 11), (0, 3, 4, 11), (3, 3, 10, 11), (1.5, 3, 6, 11)],
    ]:
        xs = [score for score, _, _, _ in rows]
        ts = [total for _, _, total, _ in rows]
        shares = sum(score / maximum for score, maximum, _, _ in rows)
        from_totals = ItemSums.from_totals(
            len(rows),
            shares,
            sum(xs),
            sum(x * x for x in xs),
            sum(ts),
            sum(t * t for t in ts),
            sum(t * x for t, x in zip(ts, xs, strict=True)),
        )
        direct = _sums(rows)
        for name in ("attempts", "shares", "x", "xx", "y", "yy", "xy"):
            assert math.isclose(getattr(from_totals, name), getattr(direct, name)), name
