"""Benchmark the laser simulator; write bench/results/simulator.json and print a summary.

Measures: ``simulate()`` latency (p50/p95 over varied parameters, after one cold call);
Monte Carlo throughput in photon packets per second for the three-layer scalp model
at 1064 nm on one core, against a C implementation of the same method
(bench/mcml_ref.c, compiled here with gcc -O2 when gcc is present); the Numba compile
time from an empty cache; and the time to build the shipped tables (recorded when
they were built, or measured again with --rebuild).

usage: python bench/simulator_bench.py [--calls 300] [--photons 50000] [--rebuild]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from academy.simulator import optics, simulate, tables, transport  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "simulator.json"
C_SOURCE = ROOT / "bench" / "mcml_ref.c"
DZ, NZ, DR, NR = tables.DZ_CM, tables.NZ, tables.DR_CM, tables.NR


def random_params(rng: random.Random) -> dict:
    """Varied, valid parameters like a trainee's."""
    return {
        "wavelength_nm": rng.choice([532, 694, 755, 1064]),
        "pulse_duration_ns": rng.choice([0.45, 0.75, 6, 10, 50]),
        "fluence_j_cm2": round(rng.uniform(0.5, 8), 2),
        "spot_diameter_mm": rng.choice([2, 3, 4, 5, 6, 8]),
        "beam_profile": rng.choice(["flat_top", "gaussian"]),
        "fitzpatrick_type": rng.randint(1, 6),
        "pigment_type": rng.choice(["carbon", "iron_oxide", "mixed"]),
        "pigment_depth_mm": round(rng.uniform(0.3, 1.5), 2),
        "pigment_density": rng.choice(["light", "moderate", "dense"]),
        "pigment_age_years": rng.randint(0, 15),
        "sessions": rng.randint(1, 10),
        "interval_weeks": rng.choice([2, 4, 6, 8]),
    }


def bench_simulate(calls: int) -> dict:
    rng = random.Random(1)
    tables.load.cache_clear()
    start = time.perf_counter()
    simulate(random_params(rng))
    cold = time.perf_counter() - start
    times = []
    for _ in range(calls):
        p = random_params(rng)
        start = time.perf_counter()
        simulate(p)
        times.append(time.perf_counter() - start)
    times.sort()
    return {
        "calls": calls,
        "cold_first_call_ms": round(cold * 1000, 2),
        "p50_ms": round(statistics.median(times) * 1000, 3),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))] * 1000, 3),
        "max_ms": round(times[-1] * 1000, 3),
    }


def scalp_1064():
    return optics.scalp_layers(1064, 2)


def bench_python_mc(photons: int) -> dict:
    transport.warm_up()
    layers = scalp_1064()
    start = time.perf_counter()
    raw = transport.run_grid(
        layers, optics.N_AIR, optics.N_TISSUE, photons, 7, dz_cm=DZ, nz=NZ, dr_cm=DR, nr=NR
    )
    seconds = time.perf_counter() - start
    t = raw["tallies"]
    return {
        "engine": "numba" if transport.HAVE_NUMBA else "plain python",
        "photons": photons,
        "seconds": round(seconds, 3),
        "photons_per_second": round(photons / seconds),
        "diffuse_reflectance": round(float(t[0]) / photons, 5),
        "absorbed_fraction": round(float(t[3]) / photons, 5),
    }


def bench_van_de_hulst(photons: int) -> dict:
    layers = [{"mu_a": 10.0, "mu_s": 90.0, "g": 0.75, "n": 1.0, "thickness_cm": 0.02}]
    start = time.perf_counter()
    transport.run_grid(layers, 1.0, 1.0, photons, 7, dz_cm=0.001, nz=20)
    seconds = time.perf_counter() - start
    return {"photons": photons, "photons_per_second": round(photons / seconds)}


def bench_c(photons: int, vdh_photons: int) -> dict | None:
    gcc = shutil.which("gcc")
    if not gcc:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        exe = Path(tmp) / "mcml_ref"
        subprocess.run([gcc, "-O2", "-o", str(exe), str(C_SOURCE), "-lm"], check=True)  # noqa: S603
        args = []
        for layer in scalp_1064():
            thick = layer["thickness_cm"]
            args += [
                layer["mu_a"],
                layer["mu_s"],
                layer["g"],
                layer["n"],
                0 if math.isinf(thick) else thick,
            ]
        cmd = [str(exe), photons, 7, optics.N_AIR, optics.N_TISSUE, DZ, NZ, DR, NR, *args]
        out = subprocess.run(  # noqa: S603 (our own binary)
            [str(c) for c in cmd], check=True, capture_output=True, text=True
        )
        secs, rd, _, _, a = (float(v) for v in out.stdout.split())
        vdh = [str(exe), vdh_photons, 7, 1.0, 1.0, 0.001, 20, 0.01, 1, 10, 90, 0.75, 1.0, 0.02]
        out2 = subprocess.run(  # noqa: S603 (our own binary)
            [str(c) for c in vdh], check=True, capture_output=True, text=True
        )
        vsecs = float(out2.stdout.split()[0])
    return {
        "compiler": "gcc -O2",
        "photons": photons,
        "seconds": round(secs, 3),
        "photons_per_second": round(photons / secs),
        "diffuse_reflectance": round(rd, 5),
        "absorbed_fraction": round(a, 5),
        "van_de_hulst_photons_per_second": round(vdh_photons / vsecs),
    }


def numba_compile_seconds() -> float | None:
    if not transport.HAVE_NUMBA:
        return None
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache, PYTHONPATH=str(ROOT))
        code = "from academy.simulator import transport; print(transport.warm_up())"
        out = subprocess.run(  # noqa: S603 (this interpreter, fixed code)
            [sys.executable, "-c", code],
            env=env,
            check=True,  # noqa: S603
            capture_output=True,
            text=True,
        )
    return round(float(out.stdout.strip().splitlines()[-1]), 2)


def table_build(rebuild: bool) -> dict:
    if rebuild:
        from academy.simulator import build_tables

        with tempfile.TemporaryDirectory() as tmp:
            meta = build_tables.build(out=Path(tmp) / "t.npz", log=lambda *_: None)
        meta["measured_now"] = True
        return meta
    meta = dict(tables.load()["meta"])
    meta["measured_now"] = False
    meta["file_bytes"] = tables.DATA_FILE.stat().st_size
    return meta


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--photons", type=int, default=50_000)
    parser.add_argument("--rebuild", action="store_true", help="time a full table build")
    args = parser.parse_args(argv)

    results = {
        "machine": {
            "python": platform.python_version(),
            "processor": platform.machine(),
            "cpus": os.cpu_count(),
        },
        "simulate": bench_simulate(args.calls),
        "numba_compile_seconds_cold_cache": numba_compile_seconds(),
        "monte_carlo_scalp_1064nm_type2": bench_python_mc(args.photons),
        "monte_carlo_van_de_hulst_slab": bench_van_de_hulst(1_000_000),
        "c_reference": bench_c(args.photons, 1_000_000),
        "table_build": table_build(args.rebuild),
    }
    c = results["c_reference"]
    py = results["monte_carlo_scalp_1064nm_type2"]
    if c:
        # Same algorithm and random sequence from the same seed: the tallies should agree.
        results["same_result_as_c"] = (
            py["diffuse_reflectance"] == c["diffuse_reflectance"]
            and py["absorbed_fraction"] == c["absorbed_fraction"]
        )
        results["python_over_c_speed"] = round(
            py["photons_per_second"] / c["photons_per_second"], 3
        )
        results["python_over_c_speed_van_de_hulst"] = round(
            results["monte_carlo_van_de_hulst_slab"]["photons_per_second"]
            / c["van_de_hulst_photons_per_second"],
            3,
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")

    s = results["simulate"]
    print(
        f"simulate(): p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms over {s['calls']} calls "
        f"(first call {s['cold_first_call_ms']} ms)"
    )
    print(
        f"Monte Carlo, scalp model at 1064 nm, one core ({py['engine']}): "
        f"{py['photons_per_second']:,} photon packets/s"
    )
    if c:
        print(
            f"C reference (gcc -O2): {c['photons_per_second']:,} photon packets/s; "
            f"Python/C speed ratio {results['python_over_c_speed']}, "
            f"same result: {results['same_result_as_c']}"
        )
    vdh = results["monte_carlo_van_de_hulst_slab"]
    print(f"van de Hulst slab: {vdh['photons_per_second']:,} photon packets/s")
    print(f"Numba compile (cold cache): {results['numba_compile_seconds_cold_cache']} s")
    tb = results["table_build"]
    print(
        f"Table build: {tb.get('wall_seconds')} s wall, {tb.get('cpu_seconds')} s CPU, "
        f"{tb.get('photons_per_case')} photons per case, file {tb.get('file_bytes')} bytes"
    )
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
