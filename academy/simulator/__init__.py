"""Laser-parameter simulator for SMP removal: skin optics, light transport, heat, outcome.

The physics is pure Python and NumPy, with no Flask; ``views.py`` (the pages and the JSON
API), ``models.py`` and ``services.py`` (saved runs) are the web layer, and ``plots.py``
draws the SVG plots without Flask. The public API:

- ``simulate(params) -> dict`` and ``InvalidParameters`` (``.errors``: field -> message);
- ``transport.simulate_layers(layers, n_above, n_below, photons, seed)``, the MCML-style
  Monte Carlo engine (Numba-compiled when Numba is installed);
- ``diffusion.fluence_profile``, the diffusion-approximation check;
- ``grading.grade_parameters(params, window)``, for laser-parameter questions;
- ``params.describe_fields()``, every parameter with its unit, range and default;
- ``services.saved_runs_for(user_id)`` and ``services.get_run(user_id, run_id)``, a user's
  saved runs (for case plans).

``python -m academy.simulator.build_tables`` rebuilds the shipped fluence tables.
"""

from academy.simulator.engine import simulate
from academy.simulator.params import FIELDS, InvalidParameters, describe_fields

__all__ = ["FIELDS", "InvalidParameters", "describe_fields", "simulate"]
