"""Noise and identification checks of the calibration (issue 13, item 2).

``python -m experiments.calibration noise [--reps R] [--workers W] [--out DIR]``
    Runs one point (the fixed inputs with the free parameters at their table defaults, or the calibrated
    point of ``calibration.json`` with ``--at best``) R times with the calibration's seeds and reports, per
    target, the standard error of the replication mean, s.e. = s.d. / sqrt(R), against its tolerance.
    Rule: the calibration's replications are enough when s.e. < tolerance / 2 for every target; the
    replications a target needs by that rule are ceil((2 s.d. / tolerance)^2). Writes ``noise.csv``.

``python -m experiments.calibration profile [--points N] [--reps R] [--workers W] [--out DIR]``
    From the best point (``calibration.json`` in the results folder; the defaults if there is none) moves
    each free parameter over its whole search range (N points, evenly spaced on the parameter's scale, the
    others held) and records S = sum_i w_i z_i^2, the objective before it is divided by the sum of the
    weights (S rises by 1 when one target of weight 1 moves one tolerance). Rule: a parameter is
    *identified* when S rises by at least 1 above its value at the best point on both sides within the
    range; a side with no room (the best point on a bound) counts as risen, but the parameter is then
    flagged "at a bound". A parameter whose profile stays within 1 of the best on some side is *not
    identified*: the targets do not pin it there. Writes ``profile.csv`` and ``profile.html`` (Altair) and
    ``docs/img/calibration_profile.png``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import fields, replace
from typing import Any

import numpy as np
import pandas as pd

from abm.params import PARAMS_BY_NAME
from experiments.calibration.calibrate import Config, evaluation_inputs, point_objective
from experiments.calibration.paths import Targets, output_targets
from experiments.calibration.simulate import run_one, seeds
from experiments.calibration.targets import (
    FREE,
    fixed_params,
    moments,
    params_from_unit,
    target_table,
    unit_from_params,
)
from experiments.pools import process_pool

RISE = 1.0  # one tolerance unit of a weight-1 target


def default_point() -> dict[str, float]:
    """Fixed inputs and the free parameters at their parameter-table defaults."""
    return {**fixed_params(), **{f.name: PARAMS_BY_NAME[f.name].default for f in FREE}}


def best_point(where: Targets) -> tuple[dict[str, float], str]:
    """The calibrated point of ``calibration.json`` (and where it came from), else the default point."""
    path = where.results / "calibration.json"
    if path.is_file():
        rec = json.loads(path.read_text())
        return {**fixed_params(), **rec["params"]}, str(path)
    return default_point(), "parameter-table defaults (no calibration.json)"


def best_config(where: Targets) -> Config:
    """The settings of the calibration in ``calibration.json`` (replications, years, scale, seeds, calendar),
    else the defaults: profiles and noise at the best point then run the fit's own evaluations.
    """
    path = where.results / "calibration.json"
    if not path.is_file():
        return Config()
    saved = json.loads(path.read_text()).get("config", {})
    names = {f.name for f in fields(Config)}
    return Config(**{k: v for k, v in saved.items() if k in names})


def parse_settings(items: Sequence[str]) -> dict[str, float]:
    """``NAME=VALUE`` strings for free parameters -> dict.

    Raises:
        ValueError: Not NAME=VALUE, a name that is not a free parameter, or a value outside its search range.
    """
    out = {}
    names = {f.name: f for f in FREE}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or name not in names:
            raise ValueError(
                f"--set: value {item!r} is not allowed; allowed: NAME=VALUE with NAME one of {sorted(names)}"
            )
        f = names[name]
        try:
            v = float(text)
        except ValueError:
            v = float("nan")
        if not f.low <= v <= f.high:
            raise ValueError(
                f"--set {name}: value {text!r} is not allowed; allowed: a number in [{f.low:g}, {f.high:g}]"
            )
        out[name] = v
    return out


def _moments_of_run(params: dict[str, Any], seed: int, cfg: Config) -> np.ndarray:
    """Target moments of one run of an evaluation's inputs (top-level, for the process pool)."""
    full, sched = evaluation_inputs(params, cfg)
    return moments(run_one(full, seed, cfg.years, sched), target_table("calibration"))


def noise(reps: int, workers: int = 1, params: dict[str, Any] | None = None, cfg: Config | None = None) -> pd.DataFrame:
    """Per target: replication mean, s.d., s.e. of the mean, tolerance, the rule and the reps it needs."""
    cfg = cfg or Config()
    params = default_point() if params is None else params
    table = target_table("calibration")
    sd_list = seeds(cfg.root_seed, reps)
    args = ([params] * reps, sd_list, [cfg] * reps)
    if workers > 1:
        with process_pool(workers) as pool:
            sims = np.array(list(pool.map(_moments_of_run, *args)))
    else:
        sims = np.array([_moments_of_run(*a) for a in zip(*args, strict=True)])
    out = table[["indicator", "year", "value", "tol_abs", "weight"]].copy()
    out["sim_mean"] = sims.mean(axis=0)
    out["sim_sd"] = sims.std(axis=0, ddof=1)
    out["se"] = out["sim_sd"] / math.sqrt(reps)
    out["se_over_tol"] = out["se"] / out["tol_abs"]
    out["ok"] = out["se"] < out["tol_abs"] / 2.0
    out["reps_needed"] = np.maximum(2, np.ceil((2.0 * out["sim_sd"] / out["tol_abs"]) ** 2)).astype(int)
    out["reps"] = reps
    return out


def judge_profile(grid: Sequence[float], s: Sequence[float], u0: float, rise: float = RISE) -> dict[str, Any]:
    """Apply the identification rule to one profile.

    Args:
        grid: Points of the unit range (0 = lower bound, 1 = upper bound), with u0 among them.
        s: S at each point.
        u0: The best point's coordinate.
        rise: The rise of S that counts (default one tolerance unit).

    Returns:
        rise_low and rise_high (largest rise of S above S(u0) below and above u0; None if there is no room),
        below_best (how far the profile's minimum lies below S(u0)), at_bound, identified.
    """
    g, v = np.asarray(grid, float), np.asarray(s, float)
    at = int(np.argmin(np.abs(g - u0)))
    s0 = v[at]
    low, high = v[g < g[at]], v[g > g[at]]
    rise_low = float(low.max() - s0) if low.size else None
    rise_high = float(high.max() - s0) if high.size else None
    ok_low = rise_low is None or rise_low >= rise
    ok_high = rise_high is None or rise_high >= rise
    return {
        "s0": float(s0),
        "rise_low": rise_low,
        "rise_high": rise_high,
        "below_best": float(s0 - v.min()),  # > 0: the profile finds a better value (the point is not a minimum)
        "at_bound": rise_low is None or rise_high is None,
        "identified": bool(ok_low and ok_high and (low.size or high.size)),
    }


def profile_point(
    s_of: Callable[[list[np.ndarray]], list[float]], u0: np.ndarray, names: Sequence[str], points: int
) -> pd.DataFrame:
    """Profiles of every coordinate around ``u0`` with a batch objective ``s_of`` (list of points -> S)."""
    grid = np.linspace(0.0, 1.0, points)
    rows, batch, where = [], [], []
    for i in range(len(u0)):
        g = np.unique(np.concatenate([grid, [u0[i]]]))
        for x in g:
            u = np.array(u0, dtype=float)
            u[i] = x
            batch.append(u)
            where.append((i, float(x)))
    values = s_of(batch)
    for (i, x), sv in zip(where, values, strict=True):
        rows.append({"parameter": names[i], "u": x, "S": sv})
    return pd.DataFrame(rows)


def judge_all(prof: pd.DataFrame, u0: np.ndarray, names: Sequence[str]) -> pd.DataFrame:
    """judge_profile for every parameter of a profile table."""
    out = []
    for i, name in enumerate(names):
        p = prof[prof["parameter"] == name].sort_values("u")
        out.append({"parameter": name, "u0": float(u0[i]), **judge_profile(p["u"], p["S"], float(u0[i]))})
    return pd.DataFrame(out)


def profile(
    where: Targets | None = None, points: int = 9, cfg: Config | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Profile every free parameter from the best point; returns (profiles, verdicts, where the point came from)."""
    where = where or output_targets()
    cfg = cfg or Config()
    params, origin = best_point(where)
    fixed = fixed_params()
    u0 = np.clip(unit_from_params(params), 0.0, 1.0)
    weight_sum = float(target_table("calibration")["weight"].sum())

    def s_of(batch: list[np.ndarray]) -> list[float]:
        full = [{**fixed, **params_from_unit(u)} for u in batch]
        if cfg.workers > 1:
            with process_pool(cfg.workers) as pool:
                js = list(pool.map(point_objective, full, [cfg] * len(full)))
        else:
            js = [point_objective(p, cfg) for p in full]
        return [j * weight_sum for j in js]

    names = [f.name for f in FREE]
    prof = profile_point(s_of, u0, names, points)
    prof["value"] = [FREE[names.index(n)].from_unit(u) for n, u in zip(prof["parameter"], prof["u"], strict=True)]
    verdict = judge_all(prof, u0, names)
    verdict["best_value"] = [FREE[i].from_unit(u) for i, u in enumerate(verdict["u0"])]
    out = where.results
    out.mkdir(parents=True, exist_ok=True)
    prof.to_csv(out / "profile.csv", index=False)
    verdict.to_csv(out / "profile_verdict.csv", index=False)
    _chart(prof, verdict, where)
    return prof, verdict, origin


def _chart(prof: pd.DataFrame, verdict: pd.DataFrame, where: Targets) -> None:
    import altair as alt

    s0 = dict(zip(verdict["parameter"], verdict["s0"], strict=True))
    ok = dict(zip(verdict["parameter"], verdict["identified"], strict=True))
    d = prof.assign(
        dS=prof["S"] - prof["parameter"].map(s0),
        identified=prof["parameter"].map(ok).map({True: "identified", False: "not identified"}),
    )
    base = alt.Chart(d)
    line = base.mark_line(point=True).encode(
        x=alt.X("u:Q", title="place in range (0 low, 1 high)"),
        y=alt.Y("dS:Q", title="S - S(best)"),
        color=alt.Color("identified:N"),
    )
    rule = base.mark_rule(strokeDash=[4, 4], color="grey").encode(y=alt.datum(RISE))
    chart = (
        alt.layer(line, rule)
        .properties(width=170, height=120)
        .facet(facet=alt.Facet("parameter:N"), columns=4)
        .resolve_scale(y="independent")
    )
    chart.save(str(where.results / "profile.html"))
    img = where.docs / "img"
    img.mkdir(parents=True, exist_ok=True)
    chart.save(str(img / "calibration_profile.png"), scale_factor=1.5)


def with_reps(cfg: Config, reps: int | None, workers: int | None) -> Config:
    """A copy of ``cfg`` with the given replications and workers (None keeps the value)."""
    return replace(cfg, reps=reps or cfg.reps, workers=workers or cfg.workers)
