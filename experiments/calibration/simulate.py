"""Replicated model runs with common random numbers (plain loops; no mesa.batch_run)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from abm import InnovationModel
from experiments.calibration.micro import with_micro
from experiments.plan import run_seed

CALIBRATION_ROOT_SEED = 20150101  # seeds used while fitting
VALIDATION_ROOT_SEED = 20260505  # different seeds for validation (not seen by the fit)
SELECTION_ROOT_SEED = 20251125  # seeds that choose among the fit's best points (seen by neither)


def seeds(root: int, n: int) -> list[int]:
    """N run seeds from a root: SeedSequence(root, spawn_key=(0, r)) -> 63-bit integers (the runner's seeds)."""
    return [run_seed(root, 0, r) for r in range(n)]


def run_one(params: dict[str, Any], seed: int, years: int, schedule: Sequence[dict[str, Any]] = ()) -> pd.DataFrame:
    """One run's yearly table with the micro moments of :mod:`experiments.calibration.micro`."""
    m = InnovationModel(seed=seed, schedule=tuple(schedule), **params)
    m.run(years=years)
    return with_micro(m.yearly(), m)


def replicate(
    params: dict[str, Any], seed_list: Sequence[int], years: int, schedule: Sequence[dict[str, Any]] = ()
) -> list[pd.DataFrame]:
    """Yearly tables of one run per seed."""
    return [run_one(params, s, years, schedule) for s in seed_list]
