"""The server-rendered SVG plots: well-formed, described in words, styled without inline CSS."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest

from academy.simulator import plots, simulate
from academy.simulator.presets import PRESETS

SVG = "{http://www.w3.org/2000/svg}"
CASES = [
    dict(p["params"]) for p in PRESETS.values()
] + [
    {**PRESETS["carbon_type_2"]["params"], "wavelength_nm": wl, "fitzpatrick_type": fitz,
     "sessions": sessions, "pigment_depth_mm": depth, "beam_profile": "gaussian"}
    for wl, fitz, sessions, depth in itertools.product(
        (532, 694, 755, 1064), (1, 6), (1, 20), (0.1, 3.0)
    )
]  # fmt: skip


@pytest.mark.parametrize("params", CASES, ids=range(len(CASES)))
def test_every_plot_is_well_formed_and_described(params):
    result = simulate(params)
    for name, svg in plots.all_plots(result, "t").items():
        root = ET.fromstring(svg)  # noqa: S314 (our own output; raises if malformed)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and title.text
        assert desc is not None and len(desc.text) > 60
        assert root.get("aria-labelledby") == f"t-{name}-title t-{name}-desc"
        assert "style=" not in svg
        labels = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
        assert labels, "axes and series are labelled in words"


def test_the_fluence_plot_names_the_layers_and_the_pigment():
    result = simulate(PRESETS["carbon_type_2"]["params"])
    svg = plots.fluence_depth(result)
    for words in ("Epidermis", "Dermis", "Subcutaneous fat", "Pigment, 0.7 mm", "Incident 3.5"):
        assert words in svg
    assert "Depth below the skin surface (mm)" in svg and "Fluence (J/cm²)" in svg
    assert "url(#fluence-epidermis)" in svg, "the epidermis is hatched, not only coloured"


def test_the_clearance_plot_gives_each_session_in_words():
    result = simulate(PRESETS["carbon_type_2"]["params"])
    svg = plots.clearance(result)
    for value in result["clearance"]["cumulative"]:
        assert f"{100 * value:.0f}%" in svg
    assert "Target 90%" in svg


def test_the_spectra_plot_marks_the_chosen_wavelength():
    result = simulate({**PRESETS["carbon_type_2"]["params"], "wavelength_nm": 755})
    svg = plots.spectra(result)
    assert ">755 nm<" in svg
    for label in ("Melanin (type II epidermis)", "Blood (oxygenated)", "Water"):
        assert label in svg
    assert 'stroke-dasharray="8 4"' in svg and 'stroke-dasharray="2 3"' in svg


def test_text_in_plots_is_escaped():
    result = simulate(PRESETS["carbon_type_2"]["params"])
    svg = plots.fluence_depth(result, uid='x"><script>')
    assert "<script>" not in svg


@pytest.mark.parametrize(
    "value, shown",
    [(0, "0"), (3.5, "3.5"), (12000, "12,000"), (5.83e8, "5.83 × 10⁸"), (0.000123, "1.23 × 10⁻⁴")],
)
def test_numbers_read_naturally(value, shown):
    assert plots.fmt(value) == shown


def test_nice_ticks():
    assert plots.nice_ticks(0, 9.87) == [0, 2, 4, 6, 8]
    assert plots.nice_ticks(0, 3.5, 7) == [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5]
