"""Laser-parameter simulator for SMP removal: skin optics, light transport, heat, outcome.

Pure Python and NumPy, no Flask. The public API:

- ``simulate(params) -> dict`` and ``InvalidParameters`` (``.errors``: field -> message);
- ``transport.simulate_layers(layers, n_above, n_below, photons, seed)``, the MCML-style
  Monte Carlo engine (Numba-compiled when Numba is installed);
- ``diffusion.fluence_profile``, the diffusion-approximation check;
- ``grading.grade_parameters(params, window)``, for laser-parameter questions;
- ``params.describe_fields()``, every parameter with its unit, range and default.

``python -m academy.simulator.build_tables`` rebuilds the shipped fluence tables.
"""

from academy.simulator.engine import simulate
from academy.simulator.params import FIELDS, InvalidParameters, describe_fields

__all__ = ["FIELDS", "InvalidParameters", "describe_fields", "simulate"]
