"""Server-rendered SVG plots of a simulation: fluence with depth, clearance, absorption spectra.

Plain strings, no Flask and no plotting library: each plot is a small, accessible SVG
(``role="img"`` with a ``<title>`` and a ``<desc>`` giving the data in words), labelled
axes with units, and series told apart by line style, markers and labels as well as by
colour. Styling is by class names (``academy.css``): the Content-Security-Policy allows no
inline ``style``; SVG presentation attributes such as ``stroke-dasharray`` are fine.
Every piece of text is escaped here, so the caller may insert the SVG as it is.
"""

from __future__ import annotations

import math
from html import escape

from academy.simulator import optics

WIDTH, HEIGHT = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 70, 24, 28, 58
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI"}
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _e(text) -> str:
    return escape(str(text), quote=True)


def fmt(x: float, digits: int = 3) -> str:
    """A number for people: a few significant digits, no exponent for everyday sizes."""
    if x is None:
        return "—"
    if x == 0:
        return "0"
    if abs(x) >= 1e5 or abs(x) < 1e-3:
        mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
        return f"{float(mantissa):g} × 10{str(int(exponent)).translate(SUPERSCRIPT)}"
    if abs(x) >= 1000:
        return f"{float(f'{x:.{digits}g}'):,.0f}"
    return f"{x:.{digits}g}"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (the 1-2-5 rule)."""
    span = high - low
    if span <= 0:
        return [low]
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


class Plot:
    """A plot area with linear or logarithmic axes and an element list."""

    def __init__(self, uid: str, x_range, y_range, *, y_log: bool = False, klass: str = ""):
        self.uid = uid
        self.x0, self.x1 = x_range
        self.y0, self.y1 = y_range
        self.y_log = y_log
        self.klass = klass
        self.parts: list[str] = []
        self.defs: list[str] = []
        self.left, self.right = LEFT, WIDTH - RIGHT
        self.top, self.bottom = TOP, HEIGHT - BOTTOM

    # --- coordinates ------------------------------------------------------------------
    def x(self, value: float) -> float:
        return self.left + (value - self.x0) / (self.x1 - self.x0) * (self.right - self.left)

    def y(self, value: float) -> float:
        if self.y_log:
            value = math.log10(max(value, 10**self.y0))
        frac = (value - self.y0) / (self.y1 - self.y0)
        return self.bottom - frac * (self.bottom - self.top)

    # --- elements ---------------------------------------------------------------------
    def add(self, element: str) -> None:
        self.parts.append(element)

    def text(self, x, y, content, klass="label", anchor="start", extra="") -> None:
        self.add(
            f'<text x="{x:.1f}" y="{y:.1f}" class="{klass}" text-anchor="{anchor}"{extra}>'
            f"{_e(content)}</text>"
        )

    def line(self, x1, y1, x2, y2, klass, dash: str | None = None) -> None:
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        self.add(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'class="{klass}"{dashed}/>'
        )

    def polyline(self, xs, ys, klass, dash: str | None = None) -> None:
        points = " ".join(
            f"{self.x(a):.1f},{self.y(b):.1f}"
            for a, b in zip(xs, ys, strict=True)
            if b is not None and (not self.y_log or b > 0)
        )
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        self.add(f'<polyline points="{points}" class="{klass}" fill="none"{dashed}/>')

    def marker(self, shape: str, cx: float, cy: float, klass: str, size: float = 4.5) -> None:
        if shape == "circle":
            self.add(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{size:.1f}" class="{klass}"/>')
        elif shape == "square":
            s = size * 0.9
            self.add(
                f'<rect x="{cx - s:.1f}" y="{cy - s:.1f}" width="{2 * s:.1f}" '
                f'height="{2 * s:.1f}" class="{klass}"/>'
            )
        elif shape == "triangle":
            s = size * 1.2
            self.add(
                f'<polygon points="{cx:.1f},{cy - s:.1f} {cx + s:.1f},{cy + s * 0.8:.1f} '
                f'{cx - s:.1f},{cy + s * 0.8:.1f}" class="{klass}"/>'
            )
        else:  # diamond
            s = size * 1.3
            self.add(
                f'<polygon points="{cx:.1f},{cy - s:.1f} {cx + s:.1f},{cy:.1f} '
                f'{cx:.1f},{cy + s:.1f} {cx - s:.1f},{cy:.1f}" class="{klass}"/>'
            )

    def axes(self, x_ticks, y_ticks, x_label: str, y_label: str, *, x_format=None, y_format=None):
        x_format = x_format or (lambda v: f"{v:g}")
        y_format = y_format or (lambda v: f"{v:g}")
        for v in y_ticks:
            yy = self.y(10**v if self.y_log else v)
            self.line(self.left, yy, self.right, yy, "grid")
            self.text(self.left - 8, yy + 4, y_format(v), "tick", "end")
        for v in x_ticks:
            xx = self.x(v)
            self.line(xx, self.bottom, xx, self.bottom + 5, "axis")
            self.text(xx, self.bottom + 19, x_format(v), "tick", "middle")
        self.line(self.left, self.bottom, self.right, self.bottom, "axis")
        self.line(self.left, self.top, self.left, self.bottom, "axis")
        self.text((self.left + self.right) / 2, HEIGHT - 14, x_label, "axis-label", "middle")
        cy = (self.top + self.bottom) / 2
        self.text(18, cy, y_label, "axis-label", "middle", f' transform="rotate(-90 18 {cy:.1f})"')

    def svg(self, title: str, desc: str) -> str:
        uid = _e(self.uid)
        defs = f"<defs>{''.join(self.defs)}</defs>" if self.defs else ""
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'class="plot {self.klass}" role="img" '
            f'aria-labelledby="{uid}-title {uid}-desc" focusable="false">'
            f'<title id="{uid}-title">{_e(title)}</title>'
            f'<desc id="{uid}-desc">{_e(desc)}</desc>'
            f'{defs}<rect x="{self.left}" y="{self.top}" width="{self.right - self.left}" '
            f'height="{self.bottom - self.top}" class="plot-area"/>'
            f"{''.join(self.parts)}</svg>"
        )


def _hatch(uid: str, name: str, klass: str, kind: str) -> str:
    """A fill pattern, so an area reads without colour: diagonal lines or dots."""
    if kind == "dots":
        mark = f'<circle cx="3" cy="3" r="1.2" class="{klass}"/>'
    else:
        mark = f'<path d="M0,6 L6,0" class="{klass}"/>'
    return (
        f'<pattern id="{_e(uid)}-{name}" width="6" height="6" patternUnits="userSpaceOnUse">'
        f"{mark}</pattern>"
    )


def _value_at(xs: list[float], ys: list[float], x: float) -> float:
    """Linear interpolation in a table (clamped at the ends)."""
    if x <= xs[0]:
        return ys[0]
    for i in range(1, len(xs)):
        if x <= xs[i]:
            t = (x - xs[i - 1]) / (xs[i] - xs[i - 1])
            return ys[i - 1] + t * (ys[i] - ys[i - 1])
    return ys[-1]


def fluence_depth(result: dict, uid: str = "fluence") -> str:
    """Fluence on the beam axis against depth, with the skin layers and the pigment marked."""
    prof = result["fluence_profile"]
    depth, fluence = prof["depth_mm"], prof["fluence_j_cm2"]
    incident = result["fluence_j_cm2"]
    pigment = prof["pigment_depth_mm"]
    at_pigment = result["fluence_at_pigment_j_cm2"]
    bounds = prof["layer_boundaries_mm"]
    x_max = 3.5
    top = max(max(f for f in fluence if f is not None), incident) * 1.12
    y_ticks = nice_ticks(0, top)
    plot = Plot(uid, (0, x_max), (0, max(top, y_ticks[-1])), klass="plot-fluence")
    plot.defs.append(_hatch(uid, "epidermis", "hatch-line", "lines"))
    plot.defs.append(_hatch(uid, "fat", "hatch-dot", "dots"))

    edges = [0.0, *bounds, x_max]
    names = ["Epidermis", "Dermis", "Subcutaneous fat"]
    fills = [f"url(#{_e(uid)}-epidermis)", None, f"url(#{_e(uid)}-fat)"]
    for i in range(len(names)):
        a, b = edges[i], edges[i + 1]
        fill = f' fill="{fills[i]}"' if fills[i] else ""
        plot.add(
            f'<rect x="{plot.x(a):.1f}" y="{plot.top}" width="{plot.x(b) - plot.x(a):.1f}" '
            f'height="{plot.bottom - plot.top}" class="layer layer-{i}"{fill}/>'
        )
    for i, name in enumerate(names):
        a, b = edges[i], edges[i + 1]
        if i == 0:  # too thin to hold its name: label it from the side
            plot.text(plot.x(b) + 6, plot.bottom - 8, "◂ Epidermis", "layer-label", "start")
        else:
            plot.text((plot.x(a) + plot.x(b)) / 2, plot.top + 14, name, "layer-label", "middle")
    for b in bounds:
        plot.line(plot.x(b), plot.top, plot.x(b), plot.bottom, "layer-edge")

    plot.axes(
        nice_ticks(0, x_max, 7),
        y_ticks,
        "Depth below the skin surface (mm)",
        "Fluence (J/cm²)",
    )
    # Incident fluence, for scale: scattered light can exceed it just under the surface.
    yi = plot.y(incident)
    plot.line(plot.left, yi, plot.right, yi, "ref-line", "2 4")
    plot.text(plot.right - 4, yi - 6, f"Incident {fmt(incident)} J/cm²", "ref-label", "end")

    plot.polyline(depth, fluence, "series series-fluence")
    xp, yp = plot.x(pigment), plot.y(at_pigment)
    plot.line(xp, plot.top + 22, xp, plot.bottom, "pigment-line", "6 3")
    plot.marker("diamond", xp, yp, "marker marker-pigment", 5)
    anchor = "start" if pigment < x_max * 0.6 else "end"
    dx = 10 if anchor == "start" else -10
    plot.text(
        xp + dx, yp - 10, f"Pigment, {fmt(pigment)} mm: {fmt(at_pigment)} J/cm²", "callout", anchor
    )

    peak_i = max(range(len(fluence)), key=lambda i: fluence[i] or 0)
    at_2mm = _value_at(depth, fluence, 2.0)
    inputs = result["inputs"]
    desc = (
        f"Fluence on the beam axis against depth for {inputs['wavelength_nm']} nm on type "
        f"{ROMAN[inputs['fitzpatrick_type']]} skin with a {fmt(inputs['spot_diameter_mm'])} mm "
        f"{inputs['beam_profile'].replace('_', '-')} spot and {fmt(incident)} J/cm² at the "
        f"surface. It peaks at {fmt(fluence[peak_i])} J/cm² at {fmt(depth[peak_i])} mm, where "
        f"scattered light builds up, is {fmt(at_pigment)} J/cm² at the pigment "
        f"({fmt(pigment)} mm) and {fmt(at_2mm)} J/cm² at 2 mm. Layers: epidermis 0 to "
        f"{fmt(bounds[0])} mm (hatched), dermis to {fmt(bounds[1])} mm, subcutaneous fat "
        "below (dotted)."
    )
    return plot.svg("Fluence against depth in the scalp", desc)


def clearance(result: dict, uid: str = "clearance") -> str:
    """Expected cumulative clearance after each planned session, with the target marked."""
    clr = result["clearance"]
    cumulative = [100.0 * (c or 0.0) for c in clr["cumulative"]]
    n = len(cumulative)
    target = 100.0 * clr["target_fraction"]
    plot = Plot(uid, (0.5, n + 0.5), (0, 100), klass="plot-clearance")
    plot.axes(
        list(range(1, n + 1)),
        [0, 20, 40, 60, 80, 100],
        "Session",
        "Pigment cleared, cumulative (%)",
        x_format=lambda v: f"{v:g}",
        y_format=lambda v: f"{v:g}%",
    )
    width = min(46.0, (plot.right - plot.left) / n * 0.62)
    for i, value in enumerate(cumulative, start=1):
        cx, top = plot.x(i), plot.y(value)
        reached = value >= target - 1e-9
        plot.add(
            f'<rect x="{cx - width / 2:.1f}" y="{top:.1f}" width="{width:.1f}" '
            f'height="{plot.bottom - top:.1f}" class="bar{" bar-reached" if reached else ""}"/>'
        )
        label_y = top - 6 if value < 92 else top + 15
        klass = "bar-value" if value < 92 else "bar-value bar-value-inside"
        if n <= 12 or i % 2 == 0 or i == n:
            plot.text(cx, label_y, f"{value:.0f}%", klass, "middle")
    yt = plot.y(target)
    plot.line(plot.left, yt, plot.right, yt, "target-line", "7 4")
    plot.text(plot.left + 6, yt - 6, f"Target {target:.0f}%", "ref-label", "start")

    s_target = clr["sessions_to_target"]
    values = ", ".join(f"{v:.0f}%" for v in cumulative)
    reach = (
        f"{target:.0f}% is reached after session {s_target}"
        if s_target and s_target <= n
        else f"{target:.0f}% is not reached within the plan"
        + (f" (about {s_target} sessions would be needed)" if s_target else "")
    )
    desc = (
        f"Expected cumulative clearance after each of {n} session(s) "
        f"{fmt(clr['interval_weeks'])} weeks apart: {values}. {reach}. Bars that reach the "
        "target are filled solid; the dashed line marks the target."
    )
    return plot.svg("Clearance across the planned sessions", desc)


SPECTRA = (
    # key in result["spectra"], label, line class, dash pattern, marker shape
    ("melanin_epidermis_cm1", "Melanin (epidermis)", "series-melanin", None, "circle"),
    ("oxy_blood_cm1", "Blood (oxygenated)", "series-blood", "8 4", "square"),
    ("water_cm1", "Water", "series-water", "2 3", "triangle"),
)


def values_at_wavelength(wavelength_nm: int, fitzpatrick: int) -> dict:
    """Absorption (cm⁻¹) of epidermal melanin, oxygenated blood and water at one wavelength."""
    return {
        "melanin_epidermis_cm1": optics.MELANOSOME_FRACTION[fitzpatrick]
        * optics.melanin_mua(wavelength_nm),
        "oxy_blood_cm1": optics.blood_mua(wavelength_nm, 1.0),
        "water_cm1": optics.water_mua(wavelength_nm),
    }


def spectra(result: dict, uid: str = "spectra") -> str:
    """Absorption spectra of epidermal melanin, blood and water, chosen wavelength marked."""
    sp = result["spectra"]
    nm = sp["wavelength_nm"]
    wl = sp["selected_wavelength_nm"]
    fitz = result["inputs"]["fitzpatrick_type"]
    positive = [v for key, *_ in SPECTRA for v in sp[key] if v and v > 0]
    lo = math.floor(math.log10(min(positive)))
    hi = math.ceil(math.log10(max(positive)))
    plot = Plot(uid, (nm[0], nm[-1]), (lo, hi), y_log=True, klass="plot-spectra")
    plot.top = TOP + 22  # room for the legend above the plot area
    plot.axes(
        list(range(500, nm[-1] + 1, 100)),
        list(range(lo, hi + 1)),
        "Wavelength (nm)",
        "Absorption coefficient µa (cm⁻¹, log scale)",
        y_format=lambda v: f"10{str(int(v)).translate(SUPERSCRIPT)}",
    )
    for key, _label, klass, dash, shape in SPECTRA:
        plot.polyline(nm, sp[key], f"series {klass}", dash)
        for x, v in zip(nm, sp[key], strict=True):
            if x % 100 == 50 and v and v > 0:
                plot.marker(shape, plot.x(x), plot.y(v), f"marker marker-{klass}")
    xw = plot.x(wl)
    plot.line(xw, plot.top, xw, plot.bottom, "selected-line", "5 3")
    at = values_at_wavelength(wl, fitz)
    for key, _label, klass, _dash, shape in SPECTRA:
        plot.marker(shape, xw, plot.y(at[key]), f"marker marker-{klass} marker-selected", 5.5)
    anchor = "start" if wl < 900 else "end"
    plot.text(xw + (6 if anchor == "start" else -6), plot.top + 14, f"{wl} nm", "callout", anchor)

    # Legend above the plot: line style, marker and name, so the series read without colour.
    lx, ly = plot.left, TOP + 4
    for key, label, klass, dash, shape in SPECTRA:
        if key == "melanin_epidermis_cm1":
            label = f"Melanin (type {ROMAN[fitz]} epidermis)"
        plot.line(lx, ly - 4, lx + 34, ly - 4, f"series {klass}", dash)
        plot.marker(shape, lx + 17, ly - 4, f"marker marker-{klass}", 4)
        plot.text(lx + 42, ly, label, "legend-label")
        lx += 42 + 7.2 * len(label) + 28

    def trend(key: str) -> str:
        return f"{fmt(sp[key][0])} at {nm[0]} nm to {fmt(sp[key][-1])} cm⁻¹ at {nm[-1]} nm"

    desc = (
        f"Absorption coefficients on a log scale from {nm[0]} to {nm[-1]} nm. Melanin in the "
        f"epidermis of type {ROMAN[fitz]} skin ({100 * sp['melanosome_volume_fraction']:g}% "
        f"melanosomes; solid line, circles) falls steadily from {trend('melanin_epidermis_cm1')}"
        f". Blood (dashed, squares) has peaks near 540 and 580 nm and falls to "
        f"{fmt(sp['oxy_blood_cm1'][-1])} cm⁻¹ at {nm[-1]} nm. Water (dotted, triangles) "
        f"rises from {trend('water_cm1')}. At the chosen {wl} nm: melanin "
        f"{fmt(at['melanin_epidermis_cm1'])}, blood {fmt(at['oxy_blood_cm1'])} and water "
        f"{fmt(at['water_cm1'])} cm⁻¹."
    )
    return plot.svg("Absorption spectra of melanin, blood and water", desc)


def all_plots(result: dict, prefix: str = "sim") -> dict:
    """The three plots of one result, with ids unique under ``prefix``."""
    return {
        "fluence": fluence_depth(result, f"{prefix}-fluence"),
        "clearance": clearance(result, f"{prefix}-clearance"),
        "spectra": spectra(result, f"{prefix}-spectra"),
    }
