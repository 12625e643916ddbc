"""Answers to the lessons' THINGS TO NOTICE questions, computed from real runs (never written by hand).

Each question has an answer recipe (:class:`dashboards.lessons.Answer`). :class:`Runs` runs and caches
``InnovationModel.from_scenario(name, seed=s).run(years=N).yearly()`` per scenario and seed;
:func:`evaluate` applies a recipe to the replications and :func:`sentence` words the result in
English or Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from abm import InnovationModel
from dashboards.lessons import Answer


class Runs:
    """Yearly tables of replicated runs, cached per (scenario, seed)."""

    def __init__(self, seeds: list[int], years: int) -> None:
        """Runs use ``seeds`` and last ``years`` years from the scenario's start year."""
        self.seeds = list(seeds)
        self.years = years
        self._cache: dict[tuple[str, int], pd.DataFrame] = {}

    def yearly(self, scenario: str, seed: int) -> pd.DataFrame:
        """The yearly indicators of one run, indexed by year."""
        key = (scenario, seed)
        if key not in self._cache:
            m = InnovationModel.from_scenario(scenario, seed=seed).run(years=self.years)
            self._cache[key] = m.yearly().set_index("year")
        return self._cache[key]


def value(yearly: pd.DataFrame, expr: str, years: tuple[int, int], agg: str) -> float:
    """An indicator (a column or an expression of columns) aggregated over ``years`` (inclusive)."""
    rows = yearly.loc[years[0] : years[1]]
    if rows.empty:
        raise ValueError(f"no rows for years {years[0]}-{years[1]}")
    series = rows[expr] if expr in rows.columns else rows.eval(expr)
    series = series.astype(float)
    if agg == "sum":
        return float(series.sum())
    if agg == "last":
        return float(series.iloc[-1])
    return float(series.mean())


@dataclass
class Result:
    """A recipe evaluated on replications: per-seed values (for 'rank', one array per indicator)."""

    answer: Answer
    seeds: list[int]
    values: np.ndarray  # shape (seeds,) or (indicators, seeds)
    base: np.ndarray | None = None  # 'compare': A's values per seed, for the relative change


def evaluate(answer: Answer, runs: Runs) -> Result:
    """Apply a recipe to every replication of ``runs``."""
    a = answer
    seeds = runs.seeds
    if a.kind == "level":
        vals = [value(runs.yearly(a.scenario, s), a.indicator, a.years, a.agg) for s in seeds]
        return Result(a, seeds, np.array(vals))
    if a.kind == "change":
        vals = [
            value(runs.yearly(a.scenario, s), a.indicator, (a.years[1], a.years[1]), "mean")
            - value(runs.yearly(a.scenario, s), a.indicator, (a.years[0], a.years[0]), "mean")
            for s in seeds
        ]
        return Result(a, seeds, np.array(vals))
    if a.kind == "compare":
        va = np.array([value(runs.yearly(a.a, s), a.indicator, a.years, a.agg) for s in seeds])
        vb = np.array([value(runs.yearly(a.b, s), a.indicator, a.years, a.agg) for s in seeds])
        return Result(a, seeds, vb - va, base=va)
    if a.kind == "rank":
        vals = [[value(runs.yearly(a.scenario, s), ind, a.years, a.agg) for s in seeds] for ind in a.indicators]
        return Result(a, seeds, np.array(vals))
    raise ValueError(f"unknown answer kind '{a.kind}'")


def fmt(v: float, unit: str, lang: str, signed: bool = False) -> str:
    """A number in the recipe's unit ('pp' = percentage points of a share)."""
    sign = "+" if signed else ""
    if unit == "percent":
        return f"{100 * v:{sign}.2f}%"
    if unit == "pp":
        return f"{100 * v:{sign}.2f} " + ("pp" if lang == "en" else "个百分点")
    if unit == "index":
        return f"{v:{sign}.3f}"
    if unit in ("count", "persons"):
        return f"{v:{sign},.0f}"
    return f"{v:{sign},.3g}" if abs(v) < 100 else f"{v:{sign},.0f}"


def _years(a: Answer) -> str:
    return str(a.years[0]) if a.years[0] == a.years[1] else f"{a.years[0]}-{a.years[1]}"


def sentence(res: Result, lang: str, lesson_seed: int | None = None) -> str:
    """The answer in words and numbers: mean over replications, range, and the lesson seed's own run."""
    a, v, n = res.answer, res.values, len(res.seeds)
    zh = lang == "zh"
    seed_idx = res.seeds.index(lesson_seed) if lesson_seed in res.seeds else None
    if a.kind == "rank":
        means = v.mean(axis=1)
        order = np.argsort(-means)
        names = a.labels[lang]
        parts = [f"{names[i]} {fmt(means[i], a.unit, lang)}" for i in order]
        top = [names[int(np.argmax(v[:, k]))] for k in range(n)]
        same = sum(1 for x in top if x == names[order[0]])
        if zh:
            return (
                f"{_years(a)} 年({n} 次运行的平均):"
                + " > ".join(parts)
                + f"。{names[order[0]]}在 {n} 次运行中有 {same} 次居首。"
            )
        return (
            f"{_years(a)} (mean of {n} runs): "
            + " > ".join(parts)
            + f". {names[order[0]].capitalize()} come first in {same} of {n} runs."
        )
    mean, lo, hi = float(v.mean()), float(v.min()), float(v.max())
    label = a.label[lang]
    signed = a.kind in ("compare", "change")
    own = ""
    if seed_idx is not None:
        own = (
            f";种子 {lesson_seed} 的运行:{fmt(v[seed_idx], a.unit, lang, signed)}"
            if zh
            else f"; the lesson's run (seed {lesson_seed}): {fmt(v[seed_idx], a.unit, lang, signed)}"
        )
    core = (
        f"{label}:{fmt(mean, a.unit, lang, signed)}({n} 次运行的平均,范围 {fmt(lo, a.unit, lang, signed)} 至 "
        f"{fmt(hi, a.unit, lang, signed)}{own})"
        if zh
        else f"{label}: {fmt(mean, a.unit, lang, signed)} (mean of {n} runs, range {fmt(lo, a.unit, lang, signed)} to "
        f"{fmt(hi, a.unit, lang, signed)}{own})"
    )
    if a.kind != "compare":
        return core + ("。" if zh else ".")
    base = float(np.mean(res.base)) if res.base is not None else 0.0
    rel = mean / abs(base) if base else float("nan")
    up = int((v > 0).sum())
    down = int((v < 0).sum())
    if up == n:
        verdict = f"B 在全部 {n} 次运行中都更高" if zh else f"B is higher in all {n} runs"
    elif down == n:
        verdict = f"B 在全部 {n} 次运行中都更低" if zh else f"B is lower in all {n} runs"
    elif up == 0 and down == 0:
        verdict = "每次运行中 B − A 都为零" if zh else "B − A is zero in every run"
    elif max(up, down) >= 0.8 * n:
        more = up >= down
        verdict = (
            f"B 在 {max(up, down)} 次运行中{'更高' if more else '更低'}、{min(up, down)} 次相反:大多数运行方向一致"
            if zh
            else f"B is {'higher' if more else 'lower'} in {max(up, down)} of {n} runs: "
            "the direction is clear but not certain"
        )
    else:
        verdict = (
            f"B 在 {up} 次运行中更高、{down} 次更低:差别在随机波动范围内"
            if zh
            else f"B is higher in {up} and lower in {down} of {n} runs: the difference is within the noise"
        )
    relt = (
        ""
        if not np.isfinite(rel) or a.unit == "pp"
        else (f",相对 A 为 {100 * rel:+.1f}%" if zh else f", {100 * rel:+.1f}% of A")
    )
    return f"{core}{relt}。{verdict}。" if zh else f"{core}{relt}. {verdict[0].upper()}{verdict[1:]}."
