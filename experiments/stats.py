"""Student-t confidence intervals over replications: the one implementation every table here uses."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

CONF = 0.95


def half_widths(sd: Any, n: Any, conf: float = CONF) -> np.ndarray:
    """Student-t CI half-widths t(0.5 + conf/2, n - 1) * sd / sqrt(n), elementwise (NaN where n < 2)."""
    from scipy import stats

    sd_arr = np.asarray(sd, dtype=float)
    n_arr = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n_arr >= 2, stats.t.ppf(0.5 + conf / 2, n_arr - 1) * sd_arr / np.sqrt(n_arr), np.nan)


def t_half_width(sd: float, n: int, conf: float = CONF) -> float:
    """Half-width of the Student-t confidence interval of a mean of n values with s.d. sd (NaN if n < 2)."""
    if n < 2 or not math.isfinite(sd):
        return float("nan")
    from scipy import stats

    return float(stats.t.ppf(0.5 + conf / 2, n - 1) * sd / math.sqrt(n))


def describe(values: Sequence[float] | pd.Series | np.ndarray, *, single: str = "nan") -> dict[str, float]:
    """n, mean, s.d., 95% CI and half-width of the finite values.

    Args:
        values: Replication values; NaNs and infinities are dropped.
        single: What s.d. and half-width are for a single value: "nan" (undefined) or "zero".
    """
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    n = int(v.size)
    mean = float(v.mean()) if n else float("nan")
    if n > 1:
        sd = float(v.std(ddof=1))
        hw = t_half_width(sd, n)
    else:
        sd = hw = 0.0 if (single == "zero" and n == 1) else float("nan")
    return {"n": n, "mean": mean, "sd": sd, "ci_low": mean - hw, "ci_high": mean + hw, "half_width": hw}


def add_ci(table: pd.DataFrame, *, mean: str = "mean", sd: str = "sd", n: str = "n") -> pd.DataFrame:
    """Add ci_low and ci_high columns (95% Student-t) to a table of means, s.d. and counts."""
    hw = half_widths(table[sd].to_numpy(dtype=float), table[n].to_numpy())
    table["ci_low"] = table[mean] - hw
    table["ci_high"] = table[mean] + hw
    return table
