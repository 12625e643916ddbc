"""Headless batch experiments for the innovation-system model.

Specs (TOML) under ``experiments/specs/`` say what to run; ``python -m experiments <command> <spec>``
plans, runs (serial, local processes or Dask), resumes, collects, analyses and reports. See
docs/experiments.md.
"""

from experiments.plan import design_points, plan, run_seed
from experiments.runner import VOLATILE_COLUMNS, ExperimentError, collect, run_experiment, status
from experiments.spec import InputError, Spec, SpecError, load_spec

__all__ = [
    "VOLATILE_COLUMNS",
    "ExperimentError",
    "InputError",
    "Spec",
    "SpecError",
    "collect",
    "design_points",
    "load_spec",
    "plan",
    "run_experiment",
    "run_seed",
    "status",
]
