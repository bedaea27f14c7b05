"""Monte Carlo light transport in layered tissue, in the manner of MCML.

Wang L, Jacques SL, Zheng L. "MCML - Monte Carlo modeling of light transport in
multi-layered tissues." Comput Methods Programs Biomed 47:131-146 (1995).

The method, as in the paper: photon packets enter normally at the origin; each step
has the dimensionless length -ln(xi), spent at the local total attenuation mu_t; at a
boundary the packet is reflected or transmitted by the Fresnel coefficient (all or
none, chosen at random) and refracted by Snell's law, including at internal layer
boundaries with mismatched refractive index; at each interaction site it deposits the
fraction mu_a/mu_t of its weight and scatters by the Henyey-Greenstein phase function;
below a weight of 1e-4 it plays Russian roulette with a chance of survival of 0.1.

A pencil beam and a broad, uniform beam give the same totals (R, A, T) and the same
depth profile of fluence (translation invariance), so one kernel serves both: the
depth-radius grid of scored fluence is the pencil-beam response that ``tables``
convolves with a finite flat-top or Gaussian spot, and its sum over radius is the
broad-beam profile.

Fluence is scored by the collision estimator: at each interaction the packet adds
w/mu_t to its depth bin. Its expectation equals the absorption estimator A/mu_a used
by MCML, and it stays defined in a layer with mu_a = 0.

The kernel is compiled with Numba when Numba is installed (about a second the first
time, then cached on disk); without Numba the same code runs as plain Python, correct
but about a hundred times slower. Both draw the same random sequence from a seed
(xoshiro256+), so a run is reproducible from its seed with or without Numba.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

try:  # Numba is optional: the interactive simulator never runs this kernel.
    from numba import njit

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover - exercised only where Numba is absent
    HAVE_NUMBA = False

    def njit(*args, **kwargs):
        """Stand in for numba.njit: return the function unchanged."""
        if args and callable(args[0]):
            return args[0]
        return lambda f: f


WEIGHT_THRESHOLD = 1e-4  # MCML's roulette threshold
ROULETTE_CHANCE = 0.1  # MCML's survival chance
_COS_ZERO = 1.0e-12  # cosines closer than this to 1 count as normal incidence
_COS_90 = 1.0e-6  # cosines below this count as grazing (total reflection)

_NTALLY = 5  # per-photon tallies rd, td, tu, a, tt (sums, then sums of squares)


# Random numbers: xoshiro256+ (Blackman and Vigna), seeded by splitmix64. Written twice,
# for Numba (wrapping uint64 arithmetic) and for plain Python (masked ints), so both
# engines draw the same sequence from the same seed, as does bench/mcml_ref.c.
_MASK64 = 0xFFFFFFFFFFFFFFFF
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


def _new_state_py(seed):
    """Generator state from a seed (plain Python)."""
    st = []
    x = int(seed) & _MASK64
    for _ in range(4):
        x = (x + 0x9E3779B97F4A7C15) & _MASK64
        z = x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
        st.append(z ^ (z >> 31))
    return st


def _rand_py(st):
    """Uniform double in [0, 1) (plain Python)."""
    s0, s1, s2, s3 = st
    r = (s0 + s3) & _MASK64
    t = (s1 << 17) & _MASK64
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = ((s3 << 45) & _MASK64) | (s3 >> 19)
    st[0], st[1], st[2], st[3] = s0, s1, s2, s3
    return (r >> 11) * _TO_UNIT


if HAVE_NUMBA:
    _U11, _U17, _U19, _U45 = np.uint64(11), np.uint64(17), np.uint64(19), np.uint64(45)

    @njit(cache=True)
    def _new_state(seed):
        """Generator state from a seed (Numba)."""
        st = np.empty(4, dtype=np.uint64)
        x = np.uint64(seed)
        for i in range(4):
            x += np.uint64(0x9E3779B97F4A7C15)
            z = x
            z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            st[i] = z ^ (z >> np.uint64(31))
        return st

    @njit(cache=True)
    def _rand(st):
        """Uniform double in [0, 1) (Numba)."""
        s0, s1, s2, s3 = st[0], st[1], st[2], st[3]
        r = s0 + s3
        t = s1 << _U17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << _U45) | (s3 >> _U19)
        st[0], st[1], st[2], st[3] = s0, s1, s2, s3
        return (r >> _U11) * _TO_UNIT

else:  # pragma: no cover - exercised only where Numba is absent
    _new_state = _new_state_py
    _rand = _rand_py


@njit(cache=True)
def _fresnel(n1, n2, ca1):
    """Return (reflectance, cos of the transmitted angle) for unpolarised light."""
    if n1 == n2:
        return 0.0, ca1
    if ca1 > 1.0 - _COS_ZERO:
        r = (n2 - n1) / (n2 + n1)
        return r * r, ca1
    if ca1 < _COS_90:
        return 1.0, 0.0
    sa1 = math.sqrt(1.0 - ca1 * ca1)
    sa2 = n1 * sa1 / n2
    if sa2 >= 1.0:
        return 1.0, 0.0
    ca2 = math.sqrt(1.0 - sa2 * sa2)
    cap = ca1 * ca2 - sa1 * sa2  # cos(a1 + a2)
    cam = ca1 * ca2 + sa1 * sa2  # cos(a1 - a2)
    sap = sa1 * ca2 + ca1 * sa2  # sin(a1 + a2)
    sam = sa1 * ca2 - ca1 * sa2  # sin(a1 - a2)
    r = 0.5 * sam * sam * (cam * cam + cap * cap) / (sap * sap * cam * cam)
    return r, ca2


@njit(cache=True)
def _kernel(
    n_photons, seed, mua, mus, g, n, ztop, zbot, n_above, n_below,
    dz, nz, dr, nr, nbatch, tallies, layer_abs, grid,
):  # fmt: skip
    """Trace n_photons packets; fill tallies, absorbed weight per layer and the grid.

    tallies[k] holds the sum and tallies[k + _NTALLY] the sum of squares of each
    photon's rd, td, tu, a and tt; grid[b, iz, ir] is the collision-estimator sum of
    batch b (ir == nr collects every radius beyond the grid).
    """
    st = _new_state(seed)
    nl = mua.shape[0]
    r0 = (n_above - n[0]) / (n_above + n[0])
    rsp = r0 * r0
    per_batch = (n_photons + nbatch - 1) // nbatch
    for ip in range(n_photons):
        b = ip // per_batch
        w = 1.0 - rsp
        x = 0.0
        y = 0.0
        z = 0.0
        ux = 0.0
        uy = 0.0
        uz = 1.0
        layer = 0
        scattered = False
        rd = 0.0
        td = 0.0
        tu = 0.0
        a = 0.0
        sleft = 0.0
        alive = True
        while alive:
            if sleft == 0.0:
                sleft = -math.log(1.0 - _rand(st))
            mut = mua[layer] + mus[layer]
            s = sleft / mut if mut > 0.0 else math.inf
            if uz > 0.0:
                db = (zbot[layer] - z) / uz
            elif uz < 0.0:
                db = (ztop[layer] - z) / uz
            else:
                db = math.inf
            if db <= s:
                # Hit a boundary: move onto it, keep the unspent step for later.
                x += ux * db
                y += uy * db
                z += uz * db
                if mut > 0.0:
                    sleft -= db * mut
                    if sleft < 0.0:
                        sleft = 0.0
                up = uz < 0.0
                if up:
                    z = ztop[layer]
                    n2 = n_above if layer == 0 else n[layer - 1]
                else:
                    z = zbot[layer]
                    n2 = n_below if layer == nl - 1 else n[layer + 1]
                ca1 = abs(uz)
                r, ca2 = _fresnel(n[layer], n2, ca1)
                if _rand(st) <= r:
                    uz = -uz
                else:
                    ratio = n[layer] / n2
                    if up and layer == 0:
                        rd += w
                        alive = False
                    elif (not up) and layer == nl - 1:
                        if scattered:
                            td += w
                        else:
                            tu += w
                        alive = False
                    else:
                        ux *= ratio
                        uy *= ratio
                        if up:
                            layer -= 1
                            uz = -ca2
                        else:
                            layer += 1
                            uz = ca2
            else:
                x += ux * s
                y += uy * s
                z += uz * s
                sleft = 0.0
                # Score fluence (collision estimator), then absorb.
                iz = int(z / dz)
                if iz < nz:
                    ir = int(math.sqrt(x * x + y * y) / dr)
                    if ir > nr:
                        ir = nr
                    grid[b, iz, ir] += w / mut
                dw = w * mua[layer] / mut
                w -= dw
                a += dw
                layer_abs[layer] += dw
                # Henyey-Greenstein deflection.
                gg = g[layer]
                if gg == 0.0:
                    cost = 2.0 * _rand(st) - 1.0
                else:
                    tmp = (1.0 - gg * gg) / (1.0 - gg + 2.0 * gg * _rand(st))
                    cost = (1.0 + gg * gg - tmp * tmp) / (2.0 * gg)
                    if cost < -1.0:
                        cost = -1.0
                    elif cost > 1.0:
                        cost = 1.0
                sint = math.sqrt(1.0 - cost * cost)
                psi = 2.0 * math.pi * _rand(st)
                cosp = math.cos(psi)
                sinp = math.sin(psi)
                if abs(uz) > 1.0 - _COS_ZERO:
                    ux = sint * cosp
                    uy = sint * sinp
                    uz = cost if uz >= 0.0 else -cost
                else:
                    tmp = math.sqrt(1.0 - uz * uz)
                    nux = sint * (ux * uz * cosp - uy * sinp) / tmp + ux * cost
                    nuy = sint * (uy * uz * cosp + ux * sinp) / tmp + uy * cost
                    uz = -sint * cosp * tmp + uz * cost
                    ux = nux
                    uy = nuy
                scattered = True
                if w < WEIGHT_THRESHOLD:
                    if _rand(st) <= ROULETTE_CHANCE:
                        w /= ROULETTE_CHANCE
                    else:
                        alive = False
        tt = td + tu
        tallies[0] += rd
        tallies[1] += td
        tallies[2] += tu
        tallies[3] += a
        tallies[4] += tt
        tallies[5] += rd * rd
        tallies[6] += td * td
        tallies[7] += tu * tu
        tallies[8] += a * a
        tallies[9] += tt * tt
    return rsp


def _as_layers(layers: Sequence[Mapping[str, float]]):
    """Check the layer mappings and return their properties as float arrays."""
    if not layers:
        raise ValueError("at least one layer is needed")
    cols = {k: [] for k in ("mu_a", "mu_s", "g", "n", "thickness_cm")}
    for i, layer in enumerate(layers):
        for key in cols:
            if key not in layer:
                raise ValueError(f"layer {i} has no {key!r}")
            value = float(layer[key])
            if math.isnan(value) or value < 0 or (math.isinf(value) and key != "thickness_cm"):
                raise ValueError(f"layer {i}: {key} must be finite and non-negative")
            cols[key].append(value)
        if not -1.0 < cols["g"][-1] < 1.0:
            raise ValueError(f"layer {i}: g must lie strictly between -1 and 1")
        if cols["n"][-1] < 1.0:
            raise ValueError(f"layer {i}: n must be at least 1")
        if cols["thickness_cm"][-1] <= 0:
            raise ValueError(f"layer {i}: thickness_cm must be positive")
        if math.isinf(cols["thickness_cm"][-1]):
            if i != len(layers) - 1:
                raise ValueError("only the last layer may be semi-infinite")
            if cols["mu_a"][-1] + cols["mu_s"][-1] <= 0:
                raise ValueError("a semi-infinite layer needs mu_a + mu_s > 0")
    thickness = np.array(cols["thickness_cm"], dtype=np.float64)
    zbot = np.cumsum(thickness)
    ztop = np.concatenate(([0.0], zbot[:-1]))
    return (
        np.array(cols["mu_a"], dtype=np.float64),
        np.array(cols["mu_s"], dtype=np.float64),
        np.array(cols["g"], dtype=np.float64),
        np.array(cols["n"], dtype=np.float64),
        ztop,
        zbot,
    )


def run_grid(layers, n_above, n_below, photons, seed, *, dz_cm, nz, dr_cm=0.01, nr=1, nbatch=10):
    """Run the kernel and return its raw tallies (for ``simulate_layers`` and tables)."""
    mua, mus, g, n, ztop, zbot = _as_layers(layers)
    photons = int(photons)
    if photons < nbatch:
        raise ValueError(f"photons must be at least {nbatch}")
    if not (math.isfinite(n_above) and n_above >= 1 and math.isfinite(n_below) and n_below >= 1):
        raise ValueError("n_above and n_below must be finite and at least 1")
    tallies = np.zeros(2 * _NTALLY)
    layer_abs = np.zeros(len(mua))
    grid = np.zeros((nbatch, int(nz), int(nr) + 1))
    rsp = _kernel(
        photons, int(seed) % (2**32), mua, mus, g, n, ztop, zbot, float(n_above),
        float(n_below), float(dz_cm), int(nz), float(dr_cm), int(nr), int(nbatch),
        tallies, layer_abs, grid,
    )  # fmt: skip
    per_batch = (photons + nbatch - 1) // nbatch
    batch_sizes = np.array([min(per_batch, photons - b * per_batch) for b in range(nbatch)])
    return {
        "rsp": float(rsp),
        "tallies": tallies,
        "layer_abs": layer_abs,
        "grid": grid,
        "batch_sizes": batch_sizes,
        "photons": photons,
        "ztop": ztop,
        "zbot": zbot,
        "mua": mua,
    }


def _mean_se(total: float, total_sq: float, count: int) -> tuple[float, float]:
    """Mean and standard error of a per-photon tally."""
    mean = total / count
    var = max(total_sq / count - mean * mean, 0.0)
    return mean, math.sqrt(var / max(count - 1, 1))


def simulate_layers(
    layers: Sequence[Mapping[str, float]],
    n_above: float = 1.0,
    n_below: float = 1.0,
    photons: int = 100_000,
    seed: int = 1,
    *,
    dz_cm: float | None = None,
    nz: int = 100,
) -> dict:
    """Simulate a normally incident, broad, uniform beam on a stack of layers.

    Each layer maps ``mu_a`` and ``mu_s`` (cm^-1), ``g``, ``n`` and ``thickness_cm``
    (``math.inf`` for a semi-infinite last layer). Returns the reflectances,
    absorbed fraction and transmittances (fractions of the incident power), each with
    its standard error ``<name>_se`` from the photon-by-photon variance, the absorbed
    fraction per layer, and ``fluence_profile``: depth bin centres (cm) and fluence
    over incident fluence, with a standard error from ten batches.
    """
    _, _, _, _, ztop, zbot = _as_layers(layers)
    if dz_cm is None:
        depth = zbot[-1] if math.isfinite(zbot[-1]) else max(ztop[-1], 0.0) + 0.5
        dz_cm = depth / nz
    raw = run_grid(layers, n_above, n_below, photons, seed, dz_cm=dz_cm, nz=nz)
    t = raw["tallies"]
    count = raw["photons"]
    out: dict = {"photons": count, "seed": int(seed)}
    out["specular_reflectance"] = raw["rsp"]
    out["specular_reflectance_se"] = 0.0
    names = {
        "diffuse_reflectance": 0,
        "diffuse_transmittance": 1,
        "unscattered_transmittance": 2,
        "absorbed_fraction": 3,
        "total_transmittance": 4,
    }
    for name, k in names.items():
        mean, se = _mean_se(t[k], t[k + _NTALLY], count)
        out[name] = mean
        out[name + "_se"] = se
    out["absorbed_fraction_by_layer"] = [float(v) / count for v in raw["layer_abs"]]
    per_batch = raw["grid"].sum(axis=2) / (raw["batch_sizes"][:, None] * dz_cm)
    fluence = raw["grid"].sum(axis=(0, 2)) / (count * dz_cm)
    nb = per_batch.shape[0]
    se = per_batch.std(axis=0, ddof=1) / math.sqrt(nb)
    out["fluence_profile"] = {
        "depth_cm": [float(v) for v in (np.arange(nz) + 0.5) * dz_cm],
        "relative_fluence": [float(v) for v in fluence],
        "relative_fluence_se": [float(v) for v in se],
    }
    return out


def warm_up() -> float:
    """Compile (or load the cached) kernel and return the seconds it took."""
    import time

    start = time.perf_counter()
    simulate_layers(
        [{"mu_a": 1.0, "mu_s": 10.0, "g": 0.5, "n": 1.4, "thickness_cm": 0.1}],
        photons=10,
        nz=2,
    )
    return time.perf_counter() - start
