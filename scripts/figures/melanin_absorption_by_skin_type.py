#!/usr/bin/env python3
"""Epidermal melanin absorption at the four removal wavelengths, by pigmentation.

Draws courses/03-skin-typing/figures/melanin-absorption-by-skin-type.svg from
Jacques SL, Phys Med Biol 2013;58:R37-R61, Eq. 8:

    mu_a,mel = 519 * (lambda / 500 nm) ** -3.5  cm^-1  * M

where M is the volume fraction of melanosomes in the epidermis. The three M
values are illustrative points inside the ranges given in Jacques SL, "Skin
optics", Oregon Medical Laser Center News, January 1998 (light 1.3-6.3 %,
moderately pigmented 11-16 %, darkly pigmented 18-43 %).

Only numpy and matplotlib (Agg backend). Run from anywhere:

    python3 scripts/figures/melanin_absorption_by_skin_type.py

The output is made accessible and self-contained afterwards: a <title> and
<desc> are added, and matplotlib's RDF metadata block and DOCTYPE (which carry
external URLs) are removed. Text stays as text, with a generic sans-serif font.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "courses" / "03-skin-typing" / "figures" / "melanin-absorption-by-skin-type.svg"

WAVELENGTHS_NM = np.array([532, 694, 755, 1064])
LASERS = [
    "532 nm\nfrequency-doubled\nNd:YAG",
    "694 nm\nruby",
    "755 nm\nalexandrite",
    "1064 nm\nNd:YAG",
]
# (label, M, hatch, face colour) - hatching and labels carry the meaning, colour only helps
GROUPS = [
    ("Lightly pigmented, M = 2%", 0.02, "", "#f2f2f2"),
    ("Moderately pigmented, M = 13%", 0.13, "///", "#b3b3b3"),
    ("Darkly pigmented, M = 30%", 0.30, "xxx", "#4d4d4d"),
]


def melanin_mua(wavelength_nm: np.ndarray, m: float) -> np.ndarray:
    """Epidermal absorption coefficient in cm^-1 (Jacques 2013, Eq. 8)."""
    return 519.0 * (wavelength_nm / 500.0) ** -3.5 * m


def main() -> None:
    plt.rcParams.update(
        {
            "svg.fonttype": "none",  # keep text as <text>, no embedded glyph paths
            "svg.hashsalt": "skin-typing",  # stable element ids between runs
            "font.family": "sans-serif",
            "font.sans-serif": ["DejaVu Sans"],
            "font.size": 10,
            "hatch.linewidth": 0.8,
        }
    )
    fig, ax = plt.subplots(figsize=(8.0, 4.8))
    x = np.arange(len(WAVELENGTHS_NM))
    width = 0.26
    for i, (label, m, hatch, face) in enumerate(GROUPS):
        values = melanin_mua(WAVELENGTHS_NM, m)
        bars = ax.bar(
            x + (i - 1) * width,
            values,
            width,
            label=label,
            hatch=hatch,
            facecolor=face,
            edgecolor="black",
            linewidth=0.8,
        )
        for bar, v in zip(bars, values, strict=True):
            text = f"{v:.1f}" if v < 10 else f"{v:.0f}"
            ax.annotate(
                text,
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8.5,
            )
    ax.set_xticks(x, LASERS)
    ax.set_ylabel("Epidermal absorption coefficient µa (cm⁻¹)")
    ax.set_ylim(0, 140)
    ax.set_title(
        "Melanin absorption in the epidermis by wavelength and pigmentation\n"
        "µa = 519 × (λ / 500 nm)^−3.5 × M  (Jacques 2013, Eq. 8)",
        fontsize=10.5,
    )
    ax.legend(frameon=False, loc="upper right")
    ax.spines[["top", "right"]].set_visible(False)
    ax.yaxis.grid(True, linewidth=0.5, color="#cccccc")
    ax.set_axisbelow(True)
    fig.tight_layout()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(OUT, format="svg", metadata={"Date": None})
    plt.close(fig)
    _make_accessible(OUT)
    for label, m, _, _ in GROUPS:
        vals = ", ".join(
            f"{w} nm {v:.1f}"
            for w, v in zip(WAVELENGTHS_NM, melanin_mua(WAVELENGTHS_NM, m), strict=True)
        )
        print(f"{label}: {vals}")
    print(f"wrote {OUT}")


def _make_accessible(path: Path) -> None:
    svg = path.read_text(encoding="utf-8")
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    rows = []
    for label, m, _, _ in GROUPS:
        vals = melanin_mua(WAVELENGTHS_NM, m)
        rows.append(
            f"{label}: "
            + "; ".join(f"{w} nm {v:.1f}" for w, v in zip(WAVELENGTHS_NM, vals, strict=True))
        )
    title = (
        "Epidermal melanin absorption at 532, 694, 755 and 1064 nm for three levels of pigmentation"
    )
    desc = (
        "Grouped bar chart of the epidermal absorption coefficient in cm^-1 calculated with "
        "Jacques (2013) Eq. 8. Values - " + ". ".join(rows) + ". Absorption rises with "
        "pigmentation and falls steeply with wavelength: at 1064 nm it is about one "
        "eleventh of the value at 532 nm for every skin type. Bars are distinguished by "
        "hatching (none, diagonal lines, cross-hatching) as well as by shade."
    )
    svg = re.sub(
        r"(<svg\b[^>]*>)",
        lambda mo: mo.group(1) + f"\n <title>{title}</title>\n <desc>{desc}</desc>",
        svg,
        count=1,
    )
    svg = svg.replace("<svg ", '<svg role="img" ', 1)
    path.write_text(svg, encoding="utf-8")


if __name__ == "__main__":
    main()
