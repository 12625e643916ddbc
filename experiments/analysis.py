"""Statistics of an experiment's results: means and 95% CIs, paired scenario differences,
Sobol' and Morris indices, and the replication advisor.

Confidence intervals are Student-t intervals over replications (independent runs). Paired
differences match runs of two scenarios with the same design point and replication index, which
share a seed (common random numbers), and take the interval of the per-pair differences.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from experiments.plan import design_matrix, plan, salib_problem
from experiments.spec import Spec
from experiments.stats import CONF, add_ci, describe, t_half_width

__all__ = [
    "CONF",
    "AnalysisError",
    "advise",
    "analyze",
    "paired_differences",
    "sensitivity",
    "series_differences",
    "series_summary",
    "summarize",
    "t_half_width",
]


class AnalysisError(RuntimeError):
    """The results cannot be analysed as asked (missing runs, wrong design)."""


def missing_runs(spec: Spec, summary: pd.DataFrame) -> list[str]:
    """Run ids of the plan without a finished result."""
    have = set(summary["run_id"]) if not summary.empty else set()
    return [r for r in plan(spec)["run_id"] if r not in have]


def require_complete(spec: Spec, summary: pd.DataFrame, what: str) -> None:
    """Raise AnalysisError if any planned run has no result."""
    missing = missing_runs(spec, summary)
    if missing:
        raise AnalysisError(
            f"{what}: {len(missing)} of {len(plan(spec))} planned runs have no result (e.g. {missing[0]}); "
            "finish the sweep (`python -m experiments run`) or look at the failed runs (`status`) first"
        )


def metric_names(spec: Spec) -> list[str]:
    """Names of the summary metrics."""
    return [m.name for m in spec.summary]


def _point_columns(summary: pd.DataFrame) -> list[str]:
    return [c for c in summary.columns if c.startswith("param_")]


def summarize(spec: Spec, summary: pd.DataFrame) -> pd.DataFrame:
    """Mean, s.d. and 95% CI of every summary metric per design point and scenario (long table)."""
    rows = []
    pcols = _point_columns(summary)
    order = {s.key: i for i, s in enumerate(spec.scenarios)}
    for (point, scenario), grp in summary.groupby(["point", "scenario"], sort=False):
        for metric in metric_names(spec):
            row = {"point": point, "scenario": scenario, **{c: grp[c].iloc[0] for c in pcols}, "metric": metric}
            row.update(describe(grp[metric]))
            rows.append(row)
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["_o"] = out["scenario"].map(order)
    return out.sort_values(["point", "_o"], kind="stable").drop(columns="_o").reset_index(drop=True)


def paired_differences(spec: Spec, summary: pd.DataFrame) -> pd.DataFrame:
    """Each scenario minus the reference, paired by (point, replication): mean difference and 95% CI."""
    ref = spec.reference
    rows = []
    pcols = _point_columns(summary)
    for point, grp in summary.groupby("point", sort=True):
        base = grp[grp["scenario"] == ref].set_index("replication")
        for sc in spec.scenarios:
            if sc.key == ref:
                continue
            other = grp[grp["scenario"] == sc.key].set_index("replication")
            common = base.index.intersection(other.index)
            for metric in metric_names(spec):
                d = other.loc[common, metric].astype(float) - base.loc[common, metric].astype(float)
                row = {
                    "point": point,
                    "scenario": sc.key,
                    "reference": ref,
                    **{c: grp[c].iloc[0] for c in pcols},
                    "metric": metric,
                }
                row.update(describe(d))
                ref_mean = float(base.loc[common, metric].astype(float).mean()) if len(common) else float("nan")
                row["reference_mean"] = ref_mean
                row["relative"] = row["mean"] / ref_mean if ref_mean else float("nan")
                row["significant"] = bool(row["ci_low"] > 0 or row["ci_high"] < 0)
                rows.append(row)
    return pd.DataFrame(rows)


def series_summary(spec: Spec, series: pd.DataFrame) -> pd.DataFrame:
    """Mean and 95% CI of every yearly series per point, scenario and year (long table)."""
    if series.empty:
        return pd.DataFrame()
    long = series.melt(
        id_vars=["run_id", "run_index", "point", "scenario", "replication", "year"],
        value_vars=list(spec.series),
        var_name="metric",
    )
    g = long.groupby(["point", "scenario", "metric", "year"], sort=False)["value"]
    return add_ci(g.agg(n="count", mean="mean", sd="std").reset_index())


def series_differences(spec: Spec, series: pd.DataFrame) -> pd.DataFrame:
    """Yearly paired differences (scenario minus reference) with 95% CIs."""
    if series.empty or len(spec.scenarios) < 2:
        return pd.DataFrame()
    long = series.melt(
        id_vars=["point", "scenario", "replication", "year"], value_vars=list(spec.series), var_name="metric"
    )
    wide = long.pivot_table(index=["point", "replication", "year", "metric"], columns="scenario", values="value")
    frames = []
    for sc in spec.scenarios:
        if sc.key == spec.reference or sc.key not in wide:
            continue
        d = (wide[sc.key] - wide[spec.reference]).rename("diff").reset_index()
        g = add_ci(d.groupby(["point", "metric", "year"])["diff"].agg(n="count", mean="mean", sd="std").reset_index())
        g.insert(1, "scenario", sc.key)
        frames.append(g)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def sensitivity(spec: Spec, summary: pd.DataFrame, *, num_resamples: int = 200) -> pd.DataFrame:
    """Sobol' (S1, ST) or Morris (mu, mu_star, sigma) indices with 95% CIs, per scenario and metric.

    Replications are averaged first (the index is of the mean response). A design with any missing
    run is refused: the estimators need every point.
    """
    if spec.design_kind not in ("sobol", "morris"):
        raise AnalysisError(f"sensitivity indices need design.kind = 'sobol' or 'morris', not '{spec.design_kind}'")
    require_complete(spec, summary, f"{spec.design_kind} indices")
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze

    problem = salib_problem(spec)
    x = design_matrix(spec)
    rows = []
    for sc in spec.scenarios:
        sub = summary[summary["scenario"] == sc.key]
        means = sub.groupby("point")[metric_names(spec)].mean().sort_index()
        for metric in metric_names(spec):
            y = means[metric].to_numpy(dtype=float)
            if not np.all(np.isfinite(y)):
                raise AnalysisError(f"{metric} in {sc.key}: some design points have no finite mean")
            if spec.design_kind == "sobol":
                res = sobol_analyze.analyze(
                    problem,
                    y,
                    calc_second_order=spec.second_order,
                    num_resamples=num_resamples,
                    conf_level=CONF,
                    seed=spec.design_seed,
                )
                pairs = (("S1", "S1_conf"), ("ST", "ST_conf"))
            else:
                res = morris_analyze.analyze(
                    problem,
                    x,
                    y,
                    num_resamples=num_resamples,
                    conf_level=CONF,
                    num_levels=spec.levels,
                    seed=spec.design_seed,
                )
                pairs = (("mu_star", "mu_star_conf"), ("mu", None), ("sigma", None))
            for i, name in enumerate(problem["names"]):
                for index, conf in pairs:
                    value = float(np.asarray(res[index])[i])
                    c = float(np.asarray(res[conf])[i]) if conf else float("nan")
                    rows.append(
                        {
                            "scenario": sc.key,
                            "metric": metric,
                            "parameter": name,
                            "index": index,
                            "value": value,
                            "conf": c,
                            "ci_low": value - c,
                            "ci_high": value + c,
                        }
                    )
    return pd.DataFrame(rows)


def advise(
    spec: Spec, summary: pd.DataFrame, *, half_width: dict[str, float] | None = None, relative: float | None = None
) -> pd.DataFrame:
    """How many replications give a 95% CI of the wanted half-width, from pilot runs.

    For each metric, scenario (and paired difference against the reference), with pilot s.d. s,
    the smallest n with t(0.975, n-1) * s / sqrt(n) <= h. The target h is ``half_width[metric]``
    (absolute) or ``relative`` x |pilot mean| (default 5%).
    """
    half_width = half_width or {}
    relative = 0.05 if relative is None else relative
    rows = []

    def need(sd: float, h: float) -> int:
        if not (math.isfinite(sd) and h > 0):
            return -1
        if sd == 0:
            return 2
        n = max(2, math.ceil((1.96 * sd / h) ** 2))
        while t_half_width(sd, n) > h:
            n += 1
        return n

    tables = [("mean", summarize(spec, summary))]
    if len(spec.scenarios) > 1:
        tables.append(("paired difference", paired_differences(spec, summary)))
    for what, table in tables:
        for r in table.to_dict("records"):
            scale = abs(r["reference_mean"]) if what == "paired difference" else abs(r["mean"])
            h = half_width.get(r["metric"], relative * scale)
            rows.append(
                {
                    "quantity": what,
                    "point": r["point"],
                    "scenario": r["scenario"],
                    "metric": r["metric"],
                    "pilot_n": r["n"],
                    "pilot_mean": r["mean"],
                    "pilot_sd": r["sd"],
                    "pilot_half_width": r["half_width"],
                    "target_half_width": h,
                    "replications_needed": need(r["sd"], h),
                }
            )
    return pd.DataFrame(rows)


def analyze(spec: Spec, summary: pd.DataFrame, series: pd.DataFrame, *, partial: bool = False) -> dict[str, Any]:
    """Every table of an experiment's analysis (refuses missing runs unless partial=True)."""
    if not partial:
        require_complete(spec, summary, "analysis")
    out: dict[str, Any] = {"summary": summarize(spec, summary)}
    if len(spec.scenarios) > 1:
        out["differences"] = paired_differences(spec, summary)
    if not series.empty:
        out["series"] = series_summary(spec, series)
        if len(spec.scenarios) > 1:
            out["series_differences"] = series_differences(spec, series)
    if spec.design_kind in ("sobol", "morris"):
        out["sensitivity"] = sensitivity(spec, summary)
    return out
