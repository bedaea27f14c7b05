"""Read the shipped Monte Carlo fluence tables and convolve them with a beam.

The file holds, per wavelength and Fitzpatrick type, the pencil-beam fluence of the
scalp model summed over rings: ``rings[iz, ir]`` is the fluence (over incident
fluence) at depth bin ``iz`` that a broad uniform beam contributes from the ring
``ir`` around the point of interest (the last ring collects every larger radius).
Summing the rings weighted by the beam's relative fluence over each ring gives the
fluence on the beam axis for a finite flat-top or Gaussian spot, the convolution of
MCML's CONV program. Interactive requests only do this small sum; they never run
Monte Carlo.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np

DATA_FILE = Path(__file__).resolve().parent / "data" / "fluence_tables.npz"
DZ_CM = 0.0025  # 25 um depth bins; four span the 100 um epidermis
NZ = 140  # to 3.5 mm deep
DR_CM = 1.0 / 64.0  # radial rings out to 1 cm, then one ring for the rest
NR = 64


class TablesMissing(RuntimeError):
    """The fluence table file is absent: run ``python -m academy.simulator.build_tables``."""


@lru_cache(maxsize=1)
def load(path: str | None = None) -> dict:
    """Load the table file once per process."""
    file = Path(path) if path else DATA_FILE
    if not file.exists():
        raise TablesMissing(f"{file} is missing; run python -m academy.simulator.build_tables")
    with np.load(file) as data:
        tables = {key: data[key] for key in data.files}
    tables["meta"] = json.loads(str(tables["meta"]))
    tables["rings"] = tables["rings"].astype(np.float64)
    return tables


def _index(tables: dict, wavelength_nm: int, fitzpatrick: int) -> tuple[int, int]:
    i = int(np.flatnonzero(tables["wavelengths_nm"] == wavelength_nm)[0])
    j = int(np.flatnonzero(tables["fitzpatrick"] == fitzpatrick)[0])
    return i, j


def ring_weights(spot_diameter_mm: float | None, profile: str) -> np.ndarray:
    """Beam fluence over each ring, relative to the nominal fluence E / (pi d^2 / 4).

    ``None`` means a broad beam (every ring 1). A Gaussian spot's diameter is taken as
    its 1/e^2 diameter, so its peak is twice the nominal fluence.
    """
    edges = np.arange(NR + 1) * DR_CM
    r1, r2 = edges[:-1], edges[1:]
    weights = np.zeros(NR + 1)
    if spot_diameter_mm is None:
        weights[:] = 1.0
        return weights
    radius = spot_diameter_mm / 20.0  # mm diameter -> cm radius
    if profile == "gaussian":
        k = 2.0 / radius**2
        weights[:NR] = (np.exp(-k * r1**2) - np.exp(-k * r2**2)) / (k * (r2**2 - r1**2)) * 2.0
        weights[NR] = 0.0
    else:
        inside = (np.minimum(radius, r2) ** 2 - r1**2) / (r2**2 - r1**2)
        weights[:NR] = np.clip(inside, 0.0, 1.0)
        weights[NR] = 1.0 if radius >= NR * DR_CM else 0.0
    return weights


def depth_centres_cm() -> np.ndarray:
    """Centres of the depth bins (cm)."""
    return (np.arange(NZ) + 0.5) * DZ_CM


def axis_profile(
    wavelength_nm: int, fitzpatrick: int, spot_diameter_mm: float | None, profile: str = "flat_top"
) -> tuple[np.ndarray, np.ndarray]:
    """Fluence on the beam axis over nominal fluence at each depth, and its standard error.

    The broad-beam error comes from ten batches. For a finite beam it is scaled on the
    assumption that each ring's variance is proportional to its mean (packets scoring
    independently): se = (se_broad / sqrt(sum m)) * sqrt(sum w^2 m), so a small spot,
    fed by fewer packets, gets a larger relative error.
    """
    tables = load()
    i, j = _index(tables, wavelength_nm, fitzpatrick)
    rings = tables["rings"][i, j]
    weights = ring_weights(spot_diameter_mm, profile)
    fluence = rings @ weights
    broad = rings.sum(axis=1)
    per_unit = np.divide(
        tables["profile_se"][i, j], np.sqrt(broad), out=np.zeros(NZ), where=broad > 0
    )
    se = per_unit * np.sqrt(np.clip(rings, 0.0, None) @ (weights * weights))
    return fluence, se


def at_depth(profile: np.ndarray, depth_cm: float) -> float:
    """Linear interpolation of a depth profile between bin centres."""
    z = depth_centres_cm()
    return float(np.interp(depth_cm, z, profile))


def epidermis_mean(profile: np.ndarray, epidermis_cm: float) -> float:
    """Mean of a depth profile over the epidermis (whole bins)."""
    n = max(1, int(round(epidermis_cm / DZ_CM)))
    return float(profile[:n].mean())


def summary(wavelength_nm: int, fitzpatrick: int) -> dict:
    """The table's whole-beam results for one case (reflectances, absorption by layer)."""
    tables = load()
    i, j = _index(tables, wavelength_nm, fitzpatrick)
    return {
        "specular_reflectance": float(tables["specular_reflectance"][i, j]),
        "diffuse_reflectance": float(tables["diffuse_reflectance"][i, j]),
        "diffuse_reflectance_se": float(tables["diffuse_reflectance_se"][i, j]),
        "absorbed_by_layer": [float(v) for v in tables["absorbed_by_layer"][i, j]],
        "layer_properties": tables["layer_properties"][i, j].tolist(),
        "photons": int(tables["meta"]["photons_per_case"]),
        "seed": int(tables["meta"]["seed"]),
    }


def is_finite_array(values: np.ndarray) -> bool:
    """True when every entry is finite (a guard before results leave the engine)."""
    return bool(np.all(np.isfinite(values))) and not math.isnan(float(np.sum(values)))
