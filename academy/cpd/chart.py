"""Geometry for the CPD hours chart, drawn as SVG by templates/cpd/_chart.html.

Bars show each month's hours, a line with dots the running total and a dashed line the
target, so the chart reads by shape and label, not by colour; its title and description
carry the same numbers in words for screen readers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from academy.cpd.services import MonthHours

WIDTH, HEIGHT = 560, 270
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 26, 30
INSIDE_LABEL_HEIGHT = 20  # a bar at least this tall carries its value inside


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    centre: float

    @property
    def value_inside(self) -> bool:
        return self.height >= INSIDE_LABEL_HEIGHT


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    line_points: str
    dots: list[tuple[float, float]]
    target_y: float | None
    target_label: str
    ticks: list[tuple[float, str]]
    plot_left: float
    plot_right: float
    plot_bottom: float
    title: str
    description: str


def _fmt(value: Decimal) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _nice_step(maximum: float) -> float:
    raw = maximum / 4
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= raw:
            return step * magnitude
    return 10 * magnitude


def hours_chart(
    months: list[MonthHours], target: Decimal, cycle_label: str, today: date | None = None
) -> Chart:
    """Bars for each month; the running total is drawn up to the current month only."""
    values = [float(target), *(float(m.cumulative) for m in months)]
    values += [float(m.hours) for m in months]
    top_value = max([*values, 1.0])
    step = _nice_step(top_value)
    scale_max = step * math.ceil(top_value / step)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    bottom = TOP + plot_h

    def y_of(value: float) -> float:
        return round(bottom - plot_h * value / scale_max, 1)

    slot = plot_w / max(len(months), 1)
    bars, dots = [], []
    for i, month in enumerate(months):
        centre = LEFT + slot * (i + 0.5)
        value = float(month.hours)
        top = y_of(value)
        bars.append(
            Bar(
                x=round(centre - slot * 0.3, 1),
                y=top,
                width=round(slot * 0.6, 1),
                height=round(bottom - top, 1),
                label=month.month.strftime("%b"),
                value=_fmt(month.hours) if month.hours else "",
                centre=round(centre, 1),
            )
        )
        if today is None or month.month <= today:
            dots.append((round(centre, 1), y_of(float(month.cumulative))))
    ticks = []
    value = 0.0
    while value <= scale_max + 1e-9:
        ticks.append((y_of(value), f"{value:g}"))
        value += step
    in_words = "; ".join(f"{m.label}: {_fmt(m.hours)} h" for m in months)
    shown = [m for m in months if today is None or m.month <= today]
    total = shown[-1].cumulative if shown else Decimal(0)
    description = (
        f"Hours of CPD in each month of the {cycle_label} cycle. {in_words}. "
        f"Running total {_fmt(total)} hours against a target of {_fmt(target)} hours."
    )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        line_points=" ".join(f"{x},{y}" for x, y in dots),
        dots=dots,
        target_y=y_of(float(target)) if target else None,
        target_label=f"Target {_fmt(target)} h",
        ticks=ticks,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_bottom=bottom,
        title=f"CPD hours by month, {cycle_label} cycle",
        description=description,
    )
