"""Draw the data figures for the "Laser physics for pigment removal" module.

Writes three SVG files into courses/01-laser-physics/figures/:

  absorption-spectra.svg   absorption of epidermal melanin, baseline skin, whole blood
                           and water, with the four treatment wavelengths marked
  penetration-depth.svg    optical penetration depth of a model dermis at the four
                           wavelengths, against the depth at which SMP pigment sits
  confinement-times.svg    thermal relaxation time and stress-confinement time against
                           particle size, with the pulse durations of Q-switched and
                           picosecond lasers

Every number comes from shared/reference/laser-physics.md, which gives the published
source of each (mainly Jacques SL, Phys Med Biol 2013;58:R37-R61, and Prahl's
haemoglobin compilation). Blood and water are only tabulated there at the four
wavelengths, so they are drawn as points, not as curves; the 1064 nm blood and water
values are approximate (extrapolated) and are drawn with open markers.

Run from the repository root:

    python scripts/figures/laser_physics_figures.py

Needs numpy and matplotlib only. Output is deterministic (fixed SVG hash salt, no date).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "courses" / "01-laser-physics" / "figures"

plt.rcParams.update(
    {
        "svg.fonttype": "none",  # keep text as text (searchable, accessible)
        "svg.hashsalt": "smp-removal-academy",  # deterministic ids
        "font.family": "DejaVu Sans",
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)

# ---------------------------------------------------------------------------
# Data (laser-physics.md; all absorption and scattering coefficients in cm^-1)
# ---------------------------------------------------------------------------
WAVELENGTHS = np.array([532.0, 694.0, 755.0, 1064.0])
LASER_NAMES = ["532 nm\nKTP", "694 nm\nruby", "755 nm\nalexandrite", "1064 nm\nNd:YAG"]

# Whole blood, 150 g/L haemoglobin (Prahl's compilation via mu_a = 2.303 * eps * C).
OXY_BLOOD = np.array([234.9, 1.50, 2.97, 5.0])  # 1064 value approximate [U]
DEOXY_BLOOD = np.array([217.3, 10.4, 8.31, 1.0])  # 1064 value approximate [U]
# Water: 1064 nm given as 0.12-0.15 [U]; the midpoint is drawn.
WATER = np.array([0.00036, 0.0056, 0.026, 0.135])
APPROX = np.array([False, False, False, True])  # which points are approximate

# Model dermis (Jacques' mcxyz tissue list): blood 0.2 %, oxygen saturation 67 %,
# water 65 %, on top of the bloodless baseline absorption.
BLOOD_FRACTION = 0.002
SATURATION = 0.67
WATER_FRACTION = 0.65

# Thermal diffusivity of soft tissue and speed of sound.
KAPPA = 1.3e-7  # m^2/s
SOUND_SPEED = 1500.0  # m/s, standard value [U]

# SMP pigment depth in the upper dermis (academy practice guide).
SMP_DEPTH_MM = (0.5, 1.0)


def melanin_mua(lam_nm, fraction):
    """Jacques 2013, Eq. 8: absorption of an epidermis with melanosome fraction M."""
    return 519.0 * (np.asarray(lam_nm) / 500.0) ** -3.5 * fraction


def baseline_mua(lam_nm):
    """Bloodless skin baseline absorption (Jacques)."""
    return 0.244 + 85.3 * np.exp(-(np.asarray(lam_nm) - 154.0) / 66.2)


def dermis_musp(lam_nm):
    """Reduced scattering of Jacques' mcxyz dermis."""
    x = np.asarray(lam_nm) / 500.0
    return 42.4 * (0.62 * x**-4 + 0.38 * x**-1)


def dermis_mua(i):
    """Absorption of the model dermis at WAVELENGTHS[i]."""
    blood = SATURATION * OXY_BLOOD[i] + (1 - SATURATION) * DEOXY_BLOOD[i]
    return BLOOD_FRACTION * blood + WATER_FRACTION * WATER[i] + baseline_mua(WAVELENGTHS[i])


def penetration_depth_mm():
    """Diffusion-approximation depth delta = 1/sqrt(3 mua (mua + musp')), in mm."""
    depths = []
    for i, lam in enumerate(WAVELENGTHS):
        mua = dermis_mua(i)
        musp = dermis_musp(lam)
        depths.append(10.0 / np.sqrt(3 * mua * (mua + musp)))  # cm -> mm
    return np.array(depths)


# ---------------------------------------------------------------------------
# SVG post-processing: accessibility, no external references
# ---------------------------------------------------------------------------
PREVIEW_DIR: Path | None = None  # set by --preview: also write PNGs there for checking


def save_svg(fig, name: str, title: str, desc: str) -> Path:
    path = OUT / name
    if PREVIEW_DIR is not None:
        fig.savefig(PREVIEW_DIR / name.replace(".svg", ".png"), dpi=110, bbox_inches="tight")
    fig.savefig(path, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(fig)
    text = path.read_text(encoding="utf-8")
    # Drop the DOCTYPE (an external DTD reference) and the RDF metadata block.
    text = re.sub(r"<!DOCTYPE[^>]*>\s*", "", text)
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.S)
    # Generic fallbacks so no particular font has to be installed.
    text = text.replace("'DejaVu Sans'", "'DejaVu Sans', Arial, Helvetica, sans-serif")
    slug = name.removesuffix(".svg")
    accessible = (
        f'<title id="{slug}-title">{escape(title)}</title>\n'
        f' <desc id="{slug}-desc">{escape(desc)}</desc>\n'
    )
    text = re.sub(
        r"(<svg\b[^>]*?)(>)",
        lambda m: (
            m.group(1)
            + f' role="img" aria-labelledby="{slug}-title {slug}-desc"'
            + m.group(2)
            + "\n "
            + accessible
        ),
        text,
        count=1,
    )
    if "viewBox" not in text.split(">", 2)[1]:
        raise SystemExit(f"{name}: matplotlib wrote no viewBox")
    path.write_text(text, encoding="utf-8")
    return path


def escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mark_wavelengths(ax, y_text, va="top"):
    for lam, label in zip(WAVELENGTHS, LASER_NAMES, strict=True):
        ax.axvline(lam, color="0.55", linewidth=0.8, linestyle=(0, (1, 2)), zorder=0)
        ax.text(
            lam,
            y_text,
            label,
            ha="center",
            va=va,
            fontsize=8,
            color="0.25",
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
        )


# ---------------------------------------------------------------------------
# Figure 1: absorption spectra
# ---------------------------------------------------------------------------
def absorption_figure() -> Path:
    lam = np.linspace(450, 1100, 400)
    fig, ax = plt.subplots(figsize=(7.6, 6.0))

    melanin_styles = [
        (0.30, "-", 2.0, "Epidermis, darkly pigmented (melanin 30 %)"),
        (0.13, "--", 1.6, "Epidermis, moderately pigmented (13 %)"),
        (0.02, "-.", 1.4, "Epidermis, light (2 %)"),
    ]
    for fraction, style, width, label in melanin_styles:
        ax.plot(
            lam, melanin_mua(lam, fraction), style, color="#5b3a1e", linewidth=width, label=label
        )
    ax.plot(
        lam, baseline_mua(lam), ":", color="0.35", linewidth=1.6, label="Bloodless skin baseline"
    )

    def points(values, marker, colour, label, shift, size=60):
        # Blood markers are shifted a few nm sideways so that they do not hide
        # each other where their values are close (532 nm).
        x = WAVELENGTHS + shift
        exact = ~APPROX
        ax.scatter(
            x[exact],
            values[exact],
            marker=marker,
            s=size,
            color=colour,
            edgecolor="black",
            linewidth=0.6,
            zorder=3,
            label=label,
        )
        ax.scatter(
            x[APPROX],
            values[APPROX],
            marker=marker,
            s=size,
            facecolor="white",
            edgecolor=colour,
            linewidth=1.4,
            zorder=3,
        )

    points(OXY_BLOOD, "o", "#b2182b", "Whole blood, oxygenated", -7)
    points(DEOXY_BLOOD, "s", "#2166ac", "Whole blood, deoxygenated", 7)
    points(WATER, "^", "#4d9221", "Water", 0)

    ax.set_yscale("log")
    ax.set_ylim(1e-4, 3e3)
    ax.set_xlim(450, 1100)
    ax.set_xlabel("Wavelength (nm)")
    ax.set_ylabel("Absorption coefficient µa (per cm, log scale)")
    mark_wavelengths(ax, 2.5e3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, fontsize=8, frameon=False)
    fig.text(
        0.01,
        0.005,
        "Open markers at 1064 nm: approximate values. Blood and water are known "
        "here only at the four laser wavelengths, so they are shown as points.",
        ha="left",
        va="bottom",
        fontsize=7.5,
        color="0.25",
    )
    ax.grid(True, which="major", axis="y", color="0.9", linewidth=0.6)
    ax.set_title(
        "How strongly skin chromophores absorb at the four treatment wavelengths",
        fontsize=10.5,
        loc="left",
    )
    fig.tight_layout()
    desc = (
        "Log-scale chart of absorption coefficient against wavelength from 450 to 1100 nm. "
        "Melanin in the epidermis falls steadily with wavelength: for a darkly pigmented "
        "epidermis about 125 per cm at 532 nm and about 11 per cm at 1064 nm; for a light "
        "epidermis about 8 and 0.7 per cm. Whole blood absorbs very strongly at 532 nm "
        "(about 235 per cm oxygenated) but only about 1.5 to 10 per cm at 694 and 755 nm "
        "and roughly 1 to 5 per cm at 1064 nm. Water absorbs very weakly at all four "
        "wavelengths, from about 0.0004 per cm at 532 nm to roughly 0.1 per cm at 1064 nm. "
        "Dotted vertical lines mark 532, 694, 755 and 1064 nm. Data: Jacques 2013 and "
        "Prahl's haemoglobin compilation."
    )
    return save_svg(
        fig,
        "absorption-spectra.svg",
        "Absorption of melanin, blood and water at the treatment wavelengths",
        desc,
    )


# ---------------------------------------------------------------------------
# Figure 2: penetration depth
# ---------------------------------------------------------------------------
def penetration_figure() -> tuple[Path, np.ndarray]:
    depths = penetration_depth_mm()
    fig, ax = plt.subplots(figsize=(6.8, 4.2))
    x = np.arange(len(WAVELENGTHS))
    hatches = ["///", "\\\\\\", "xxx", "---"]
    for xi, d, h in zip(x, depths, hatches, strict=True):
        ax.bar(xi, d, width=0.55, color="white", edgecolor="black", hatch=h, linewidth=1)
        ax.text(xi, d + 0.08, f"{d:.1f} mm", ha="center", va="bottom", fontsize=9)
    ax.axhspan(*SMP_DEPTH_MM, color="0.82", zorder=0)
    ax.text(
        3.4,
        np.mean(SMP_DEPTH_MM),
        "SMP pigment\n0.5–1 mm deep",
        ha="left",
        va="center",
        fontsize=8.5,
    )
    ax.set_xticks(x, [n.replace("\n", " ") for n in LASER_NAMES], fontsize=8.5)
    ax.set_ylabel("Penetration depth δ (mm)")
    ax.set_ylim(0, 3.9)
    ax.set_xlim(-0.5, 4.3)
    ax.set_title(
        "Depth at which the light in a model dermis falls to about 37 %", fontsize=10.5, loc="left"
    )
    fig.tight_layout()
    desc = (
        "Bar chart of the optical penetration depth of a model dermis (diffusion "
        "approximation, Jacques 2013 tissue values): about "
        + ", ".join(
            f"{d:.1f} mm at {int(wl)} nm" for wl, d in zip(WAVELENGTHS, depths, strict=True)
        )
        + ". A shaded band from 0.5 to 1 mm shows where SMP pigment sits: every "
        "wavelength reaches it, 532 nm only just."
    )
    path = save_svg(
        fig,
        "penetration-depth.svg",
        "Optical penetration depth at the four treatment wavelengths",
        desc,
    )
    return path, depths


# ---------------------------------------------------------------------------
# Figure 3: thermal and stress confinement
# ---------------------------------------------------------------------------
def confinement_figure() -> Path:
    d = np.logspace(np.log10(20e-9), np.log10(20e-6), 200)  # metres
    tau_thermal = d**2 / (27 * KAPPA)
    t_stress = d / SOUND_SPEED
    fig, ax = plt.subplots(figsize=(7.2, 4.8))
    ax.loglog(
        d * 1e6,
        tau_thermal,
        "-",
        color="#b2182b",
        linewidth=2.2,
        label="Thermal relaxation time  τ = d² / 27κ",
    )
    ax.loglog(
        d * 1e6,
        t_stress,
        "--",
        color="#2166ac",
        linewidth=2.2,
        label="Stress-confinement time  tₛ = d / cₛ",
    )

    bands = [
        (5e-9, 10e-9, "Q-switched Nd:YAG 5–10 ns", "////"),
        (50e-9, 100e-9, "Q-switched alexandrite 50–100 ns", "----"),
        (300e-12, 900e-12, "Picosecond lasers 300–900 ps", "\\\\\\\\"),
    ]
    for lo, hi, label, hatch in bands:
        ax.axhspan(lo, hi, facecolor="none", edgecolor="0.45", hatch=hatch, linewidth=0)
        ax.text(
            0.022,
            hi * 1.15,
            label,
            fontsize=8,
            va="bottom",
            ha="left",
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
        )

    for size_um, name in [
        (0.1, "100 nm\nsingle carbon\nparticle"),
        (1.0, "1 µm"),
        (4.0, "4 µm\ncluster"),
    ]:
        ax.axvline(size_um, color="0.6", linewidth=0.8, linestyle=(0, (1, 2)))
        ax.text(size_um * 1.08, 2e-12, name, fontsize=7.5, va="bottom", ha="left", color="0.25")

    ax.set_xlim(0.02, 20)
    ax.set_ylim(1e-12, 1e-4)
    ax.set_xlabel("Particle or cluster diameter d (µm, log scale)")
    ax.set_ylabel("Time (s, log scale)")
    ax.legend(loc="upper left", fontsize=8, framealpha=0.95)
    ax.set_title(
        "A pulse is confined when it is shorter than the line for that size",
        fontsize=10.5,
        loc="left",
    )
    fig.tight_layout()
    desc = (
        "Log-log chart of time against particle diameter from 20 nm to 20 µm. The thermal "
        "relaxation time rises with the square of the diameter: about 2.8 ns at 100 nm, "
        "285 ns at 1 µm and 4.6 µs at 4 µm (κ = 1.3×10⁻⁷ m²/s). The stress-confinement "
        "time rises in proportion to diameter: about 67 ps at 100 nm, 0.67 ns at 1 µm and "
        "2.7 ns at 4 µm (speed of sound 1500 m/s). Hatched bands show pulse durations: "
        "Q-switched Nd:YAG 5-10 ns, alexandrite 50-100 ns and picosecond lasers "
        "300-900 ps. Nanosecond pulses are thermally confined for particles larger than "
        "about 0.13-0.6 µm but stress-confined only for objects of several micrometres or "
        "more; picosecond pulses are stress-confined for objects larger than about "
        "0.5-1.4 µm, the size of pigment clusters."
    )
    return save_svg(
        fig,
        "confinement-times.svg",
        "Thermal and stress confinement times against particle size",
        desc,
    )


def main() -> None:
    global PREVIEW_DIR
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--preview",
        type=Path,
        metavar="DIR",
        help="also write PNG previews into DIR (not committed)",
    )
    args = parser.parse_args()
    if args.preview:
        args.preview.mkdir(parents=True, exist_ok=True)
        PREVIEW_DIR = args.preview
    OUT.mkdir(parents=True, exist_ok=True)
    print("wrote", absorption_figure().relative_to(ROOT))
    path, depths = penetration_figure()
    print("wrote", path.relative_to(ROOT))
    for lam, dep in zip(WAVELENGTHS, depths, strict=True):
        print(f"  penetration depth at {lam:.0f} nm: {dep:.2f} mm")
    print("wrote", confinement_figure().relative_to(ROOT))
    k = KAPPA
    for size in (100e-9, 1e-6, 4e-6):
        print(
            f"  d = {size * 1e6:g} um: tau = {size**2 / (27 * k):.3g} s, "
            f"t_s = {size / SOUND_SPEED:.3g} s"
        )
    for pulse in (5e-9, 10e-9):
        print(
            f"  {pulse * 1e9:g} ns pulse thermally confined for d > "
            f"{np.sqrt(27 * k * pulse) * 1e9:.0f} nm"
        )
    for pulse in (300e-12, 750e-12):
        print(
            f"  {pulse * 1e12:g} ps pulse stress-confined for d > "
            f"{pulse * SOUND_SPEED * 1e6:.2f} um"
        )


if __name__ == "__main__":
    main()
