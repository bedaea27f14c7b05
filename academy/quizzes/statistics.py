"""Item statistics for a quiz, as Moodle's quiz statistics define them.

Facility index: the mean score on a question as a percentage of its maximum.
Discrimination index: the correlation (×100) between the score on a question and the score
on the rest of the quiz in the same attempt: a question that strong trainees get right and
weak ones get wrong discriminates well. Pure functions over plain numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

LOW_FACILITY = 10.0  # nearly everyone gets it wrong: a mistake in the question, or not taught
HIGH_FACILITY = 95.0  # nearly everyone gets it right: it tells us little
LOW_DISCRIMINATION = (
    20.0  # below this (or negative) the question does not separate strong from weak
)


@dataclass
class ItemStatistics:
    key: str
    attempts: int
    facility: float | None
    discrimination: float | None
    flags: list[str]


def pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return sxy / math.sqrt(sxx * syy)


def item_statistics(key: str, rows: list[tuple[float, float, float, float]]) -> ItemStatistics:
    """``rows``: per attempt (question score, question maximum, attempt score, attempt maximum)."""
    if not rows:
        return ItemStatistics(key, 0, None, None, [])
    facility = 100 * sum(score / maximum for score, maximum, _, _ in rows if maximum) / len(rows)
    question = [score for score, _, _, _ in rows]
    rest = [total - score for score, _, total, _ in rows]
    correlation = pearson(question, rest)
    discrimination = None if correlation is None else 100 * correlation
    flags = _flags(facility, discrimination)
    return ItemStatistics(key, len(rows), facility, discrimination, flags)


@dataclass
class ItemSums:
    """What the database sums per question over finished attempts, so no row reaches Python.

    x is the score on the question, y the score on the rest of the attempt; ``shares`` adds
    up each score as a fraction of the question's maximum.
    """

    attempts: int
    shares: float
    x: float
    xx: float
    y: float
    yy: float
    xy: float

    @classmethod
    def from_totals(
        cls, attempts: int, shares: float, x: float, xx: float, t: float, tt: float, tx: float
    ) -> ItemSums:
        """The sums from ones over the attempt's score t rather than the rest y = t - x.

        Σy = Σt - Σx, Σy² = Σt² - 2Σtx + Σx² and Σxy = Σtx - Σx²: the database then works
        out the question's score once in each sum, not again inside y (half the work).
        """
        return cls(attempts, shares, x, xx, t - x, tt - 2 * tx + xx, tx - xx)


def item_statistics_from_sums(key: str, sums: ItemSums) -> ItemStatistics:
    """The same statistics as ``item_statistics``, from sums (for reports over many attempts)."""
    n = sums.attempts
    if not n:
        return ItemStatistics(key, 0, None, None, [])
    facility = 100 * sums.shares / n
    sxx = sums.xx - sums.x * sums.x / n
    syy = sums.yy - sums.y * sums.y / n
    sxy = sums.xy - sums.x * sums.y / n
    # Sums of squares in floating point: a spread this small relative to them is none at all.
    flat = sxx <= 1e-9 * max(1.0, sums.xx) or syy <= 1e-9 * max(1.0, sums.yy)
    discrimination = None
    if n >= 2 and not flat:
        discrimination = 100 * max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))
    return ItemStatistics(key, n, facility, discrimination, _flags(facility, discrimination))


def _flags(facility: float, discrimination: float | None) -> list[str]:
    flags = []
    if facility < LOW_FACILITY:
        flags.append("very hard: check the answer key")
    elif facility > HIGH_FACILITY:
        flags.append("very easy")
    if discrimination is not None and discrimination < LOW_DISCRIMINATION:
        flags.append("discriminates poorly" if discrimination >= 0 else "negative discrimination")
    return flags


def distribution(percents: list[float], bins: int = 10) -> list[int]:
    """How many grades fall in each band of 100/bins percent (the last band includes 100)."""
    counts = [0] * bins
    for value in percents:
        counts[min(bins - 1, int(value * bins // 100))] += 1
    return counts
