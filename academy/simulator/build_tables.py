"""Build the shipped fluence tables by Monte Carlo: ``python -m academy.simulator.build_tables``.

One run of ``transport`` per wavelength and Fitzpatrick type on the scalp model of
``optics``; each table is the pencil-beam response on a depth-radius grid, which
``tables`` convolves with the chosen spot at request time. Runs the cases over the
available cores; the result is reproducible from the seed (with Numba installed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from academy.simulator import optics, transport
from academy.simulator.tables import DATA_FILE, DR_CM, DZ_CM, NR, NZ

DEFAULT_PHOTONS = 100_000
DEFAULT_SEED = 20250101
NBATCH = 10


def _case(args):
    wavelength, fitz, photons, seed = args
    layers = optics.scalp_layers(wavelength, fitz)
    start = time.perf_counter()
    raw = transport.run_grid(
        layers, optics.N_AIR, optics.N_TISSUE, photons, seed,
        dz_cm=DZ_CM, nz=NZ, dr_cm=DR_CM, nr=NR, nbatch=NBATCH,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    grid = raw["grid"]
    rings = grid.sum(axis=0) / (photons * DZ_CM)
    per_batch = grid.sum(axis=2) / (raw["batch_sizes"][:, None] * DZ_CM)
    profile_se = per_batch.std(axis=0, ddof=1) / np.sqrt(NBATCH)
    t = raw["tallies"]
    rd = t[0] / photons
    rd_se = np.sqrt(max(t[5] / photons - rd * rd, 0.0) / (photons - 1))
    return {
        "wavelength": wavelength,
        "fitz": fitz,
        "rings": rings.astype(np.float32),
        "profile_se": profile_se.astype(np.float32),
        "rd": rd,
        "rd_se": rd_se,
        "rsp": raw["rsp"],
        "layer_abs": raw["layer_abs"] / photons,
        "props": [[layer["mu_a"], layer["mu_s"], layer["g"]] for layer in layers],
        "seconds": seconds,
    }


def build(
    photons: int = DEFAULT_PHOTONS,
    seed: int = DEFAULT_SEED,
    out: Path = DATA_FILE,
    workers: int | None = None,
    log=print,
) -> dict:
    """Run every case and write the compressed table file; return timing figures."""
    warm = transport.warm_up()
    cases = [
        (wl, fz, photons, seed + 1000 * i + fz)
        for i, wl in enumerate(optics.WAVELENGTHS_NM)
        for fz in optics.FITZPATRICK_TYPES
    ]
    workers = workers or min(len(cases), os.cpu_count() or 1)
    start = time.perf_counter()
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_case, cases))
    else:
        results = [_case(c) for c in cases]
    wall = time.perf_counter() - start
    nw, nf = len(optics.WAVELENGTHS_NM), len(optics.FITZPATRICK_TYPES)
    rings = np.zeros((nw, nf, NZ, NR + 1), dtype=np.float32)
    profile_se = np.zeros((nw, nf, NZ), dtype=np.float32)
    rd = np.zeros((nw, nf))
    rd_se = np.zeros((nw, nf))
    rsp = np.zeros((nw, nf))
    layer_abs = np.zeros((nw, nf, 3))
    props = np.zeros((nw, nf, 3, 3))
    cpu = 0.0
    for r in results:
        i = optics.WAVELENGTHS_NM.index(r["wavelength"])
        j = optics.FITZPATRICK_TYPES.index(r["fitz"])
        rings[i, j] = r["rings"]
        profile_se[i, j] = r["profile_se"]
        rd[i, j], rd_se[i, j], rsp[i, j] = r["rd"], r["rd_se"], r["rsp"]
        layer_abs[i, j] = r["layer_abs"]
        props[i, j] = r["props"]
        cpu += r["seconds"]
        log(f"  {r['wavelength']} nm, type {r['fitz']}: {r['seconds']:.1f} s, Rd {r['rd']:.4f}")
    meta = {
        "photons_per_case": photons,
        "seed": seed,
        "numba": transport.HAVE_NUMBA,
        "wall_seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1),
        "workers": workers,
        "compile_seconds": round(warm, 2),
        "method": "MCML-style Monte Carlo, pencil beam, collision estimator",
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        wavelengths_nm=np.array(optics.WAVELENGTHS_NM),
        fitzpatrick=np.array(optics.FITZPATRICK_TYPES),
        dz_cm=DZ_CM,
        dr_cm=DR_CM,
        rings=rings,
        profile_se=profile_se,
        diffuse_reflectance=rd,
        diffuse_reflectance_se=rd_se,
        specular_reflectance=rsp,
        absorbed_by_layer=layer_abs,
        layer_properties=props,
        meta=json.dumps(meta),
    )
    meta["file_bytes"] = out.stat().st_size
    return meta


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--photons",
        type=int,
        default=DEFAULT_PHOTONS,
        help="photon packets per wavelength and skin type",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--out", type=Path, default=DATA_FILE)
    args = parser.parse_args(argv)
    print(
        f"Building {len(optics.WAVELENGTHS_NM) * len(optics.FITZPATRICK_TYPES)} tables, "
        f"{args.photons} photons each (Numba: {transport.HAVE_NUMBA})"
    )
    meta = build(args.photons, args.seed, args.out, args.workers)
    print(json.dumps(meta, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
