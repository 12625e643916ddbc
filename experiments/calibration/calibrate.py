"""The calibration: differential evolution, then a bounded Nelder-Mead polish, with an evaluation cache.

Optimiser: SciPy's ``differential_evolution`` (kept from the first calibration). It is maintained, needs no
extra package, is deterministic for a seed, and evaluates a whole generation at a time through ``workers``,
so a generation is spread over a process pool; with ``updating="deferred"`` the serial and the parallel
runs take the same path and give the same result (tests/test_calibration.py checks it). A surrogate or
Bayesian optimiser would need fewer evaluations but adds a dependency and its own noise model; the budget
of the issue (5,000 evaluations in under 2 hours on 2 cores) fits DE. ``tol = 0``: DE runs every
generation, so the budget is exactly :func:`budget`.

An evaluation is one parameter point with its ``reps`` replications (common seeds, see
simulate.CALIBRATION_ROOT_SEED) for ``years`` years at ``scale``; its objective is targets.objective. The
fixed policy inputs of targets.fixed_inputs are added to every point. With ``calendar`` (a scenario name,
``--calendar policy_calendar``) every evaluation runs on that scenario's dated policy inputs (its params under
the point's, its schedule), so the fit sees the policies enacted in its window; without it the 2015 settings
are held. Each evaluation is appended to
``results/calibration/evals.jsonl``; the optimisers are deterministic for a given seed, so a killed
calibration that is started again replays the cached evaluations instantly and goes on where it stopped
(resumable). ``evals.meta.json`` beside it holds the fingerprint of what the cached objectives depend on
(the source hash of abm and experiments, replications, years, scale, seeds, calendar); a calibration whose
fingerprint differs refuses the cache, naming the fields (CacheMismatchError).
Evaluations per second are printed after each generation and recorded in ``calibration.json``. The result is written to ``abm/data/scenarios/baseline_calibrated.toml`` of the
checkout, or under ``--out`` (see :mod:`experiments.calibration.paths`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import tomli_w

from abm import load_scenario
from abm.params import PARAMS_BY_NAME
from abm.resources import checkout_root
from experiments import provenance
from experiments.calibration.paths import Targets, output_targets
from experiments.calibration.simulate import CALIBRATION_ROOT_SEED, replicate, seeds
from experiments.calibration.targets import (
    FREE,
    check_free,
    evaluate,
    fixed_inputs,
    fixed_params,
    objective,
    params_from_unit,
    target_table,
    unit_from_params,
)
from experiments.pools import leaving_on_error, process_pool, stop_pool


@dataclass
class Config:
    """Settings of one calibration (all of them recorded in the result).

    The defaults make :func:`budget` >= 5,000 evaluations: population popsize x len(FREE) = 18 x 14 = 252
    points per generation, (maxiter + 1) = 20 generations (the first is the initial population), 5,040 DE
    evaluations, plus the Nelder-Mead polish. ``reps`` is chosen with ``python -m experiments.calibration
    noise`` (docs/validation.md, "Noise").
    """

    reps: int = 6
    years: int = 6
    scale: float = 0.002
    root_seed: int = CALIBRATION_ROOT_SEED
    de_seed: int = 5
    popsize: int = 18  # population = popsize x number of free parameters
    maxiter: int = 19
    polish_maxfev: int = 80
    workers: int = 2
    calendar: str = ""  # scenario of dated policy inputs each evaluation runs on ("": 2015 settings held)
    start: str = ""  # calibration.json whose free parameters replace the defaults in the initial population


class CacheMismatchError(Exception):
    """The evaluation cache was made by a calibration with a different fingerprint."""


def evaluation_inputs(params: dict[str, Any], cfg: Config) -> tuple[dict[str, Any], tuple[dict[str, Any], ...]]:
    """Model parameters and schedule of one evaluation: the calendar's inputs (if any) under the point's.

    Raises:
        ValueError: The calendar schedules a free parameter (a fit of it would be overridden).
    """
    if not cfg.calendar:
        return {"scale": cfg.scale, **params}, ()
    sc = load_scenario(cfg.calendar)
    clash = sorted({i["param"] for i in sc.schedule} & {f.name for f in FREE})
    if clash:
        raise ValueError(f"calendar {cfg.calendar!r} schedules free parameters {clash}; allowed: policy inputs only")
    return {**sc.params, "scale": cfg.scale, **params}, tuple(sc.schedule)


def start_point(path: str) -> dict[str, float]:
    """The free parameters of an earlier calibration record, to start a new search from (``--start``).

    Raises:
        ValueError: The file is missing or not a calibration record, or a free parameter is missing or outside
            its search range; the message names the file, the field, the value and what is allowed.
    """
    p = Path(path)
    if not p.is_file():
        raise ValueError(f"start: file {path!r} not found; allowed: a calibration.json written by calibrate")
    try:
        rec = json.loads(p.read_text())
    except json.JSONDecodeError as err:
        raise ValueError(
            f"start: {path!r} is not JSON ({err}); allowed: a calibration.json written by calibrate"
        ) from err
    params = rec.get("params") if isinstance(rec, dict) else None
    if not isinstance(params, dict):
        raise ValueError(f"start: {path!r} has no 'params' object; allowed: a calibration.json written by calibrate")
    out: dict[str, float] = {}
    for f in FREE:
        v = params.get(f.name)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not f.low <= v <= f.high:
            raise ValueError(
                f"start: {path!r} field params.{f.name}: value {v!r} is not allowed; allowed: a number in "
                f"[{f.low}, {f.high}] (the search range)"
            )
        out[f.name] = float(v)
    return out


def fingerprint(cfg: Config) -> dict[str, Any]:
    """What a cached objective depends on: the code and data (``provenance.source_hash``: abm with its
    observed rows and scenarios, and experiments with the targets and free ranges) and the evaluation's
    settings. The optimiser's settings and the workers do not change an objective.
    """
    return {
        "code": provenance.source_hash(),
        "reps": cfg.reps,
        "years": cfg.years,
        "scale": cfg.scale,
        "root_seed": cfg.root_seed,
        "calendar": cfg.calendar,
    }


def budget(cfg: Config) -> int:
    """Evaluations a calibration with ``cfg`` makes (DE with tol 0 runs every generation, then the polish)."""
    return cfg.popsize * len(FREE) * (cfg.maxiter + 1) + cfg.polish_maxfev


def git_commit() -> str:
    """HEAD commit, with '+dirty' if abm/ (code and shipped data) has uncommitted changes; 'unknown' if installed."""
    root = checkout_root()
    if root is None:
        return "unknown"
    return provenance.git_commit(("abm",), cwd=root)


def _sig(x: float, digits: int = 4) -> float:
    return float(f"{x:.{digits}g}")


def point_runs(
    params: dict[str, Any], cfg: Config, root_seed: int | None = None, reps: int | None = None
) -> list[pd.DataFrame]:
    """Yearly tables of one full parameter dict's runs on ``reps`` seeds of ``root_seed`` (default: the
    calibration's own, ``cfg.root_seed`` and ``cfg.reps``).
    """
    full, sched = evaluation_inputs(params, cfg)
    root = cfg.root_seed if root_seed is None else root_seed
    return replicate(full, seeds(root, cfg.reps if reps is None else reps), cfg.years, sched)


def point_table(params: dict[str, Any], cfg: Config) -> pd.DataFrame:
    """Target table (targets.evaluate) of one full parameter dict on the calibration's seeds."""
    return evaluate(point_runs(params, cfg), target_table("calibration"))


def point_objective(params: dict[str, Any], cfg: Config) -> float:
    """Objective of one full parameter dict (a top-level function, so a process pool can run it)."""
    return objective(point_table(params, cfg))


def target_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The columns of a target table a calibration record keeps, as records."""
    cols = ["indicator", "year", "value", "weight", "tol_abs", "sim_mean", "sim_sd", "z", "hit"]
    return table[cols].to_dict("records")


def read_cache(path: Path) -> list[dict[str, Any]]:
    """The evaluations of a cache file (evals.jsonl), skipping a line cut by a kill; none if there is no file."""
    rows = []
    if path.is_file():
        for line in path.read_text().splitlines():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return rows


def timed_objective(params: dict[str, Any], cfg: Config) -> tuple[float, float]:
    """Objective and the CPU seconds it took in its process (to tell the work from a shared machine's waits)."""
    t = time.process_time()
    J = point_objective(params, cfg)
    return J, time.process_time() - t


class Evaluator:
    """Objective function with an on-disk cache of evaluations (key: the unit-cube point).

    Called on one point (Nelder-Mead) it runs in this process; :meth:`map` (DE's ``workers``) runs the
    uncached points of a generation on a process pool of ``cfg.workers`` (or here, with one worker).
    """

    def __init__(self, cfg: Config, out: Path) -> None:
        self.cfg = cfg
        self.seeds = seeds(cfg.root_seed, cfg.reps)
        self.fixed = fixed_params()
        self.path = out / "evals.jsonl"
        self.meta = out / "evals.meta.json"
        self.log = out / "calibrate.log"
        self.fingerprint = fingerprint(cfg)
        self.cache: dict[tuple[float, ...], dict[str, Any]] = {}
        if self.path.exists() and self.path.stat().st_size > 0:
            self._check_fingerprint()
            for rec in read_cache(self.path):
                self.cache[tuple(rec["u"])] = rec
        self.calls = 0
        self.new = 0
        self.compute_seconds = 0.0  # wall time spent on new evaluations
        self.cpu_seconds = 0.0  # CPU time of the processes that ran them
        self.best = min((r["J"] for r in self.cache.values()), default=np.inf)
        self.t0 = time.time()
        self._pool: ProcessPoolExecutor | None = None

    def _check_fingerprint(self) -> None:
        """Raise CacheMismatchError if the cached evaluations were made with another fingerprint."""
        where = f"{self.path}: cached evaluations"
        advice = "; move that folder away or pass --out DIR for a new one (nothing was deleted)"
        if not self.meta.is_file():
            raise CacheMismatchError(f"{where} have no fingerprint ({self.meta.name} is missing){advice}")
        old = json.loads(self.meta.read_text())
        new = json.loads(json.dumps(self.fingerprint))  # tuples and floats as JSON gives them back
        diff = [f"{k}: cached {old.get(k)!r}, now {new[k]!r}" for k in new if old.get(k) != new[k]]
        if diff:
            raise CacheMismatchError(f"{where} were made with other settings ({'; '.join(diff)}){advice}")

    def close(self, now: bool = False) -> None:
        """Shut the process pool down (``now``: cancel pending evaluations and end the workers at once)."""
        stop_pool(self._pool, now=now)
        self._pool = None

    @staticmethod
    def key(u: np.ndarray) -> tuple[float, ...]:
        """Cache key of a point (rounded so replays match)."""
        return tuple(round(float(x), 10) for x in np.clip(u, 0.0, 1.0))

    def params(self, k: tuple[float, ...]) -> dict[str, float]:
        """Full parameter dict of a cache key: the fixed inputs and the free parameters."""
        return {**self.fixed, **params_from_unit(k)}

    def run(self, params: dict[str, Any]) -> tuple[float, Any]:
        """Objective and evaluation table for a full parameter dict."""
        ev = point_table({**self.fixed, **params}, self.cfg)
        return objective(ev), ev

    def _record(self, k: tuple[float, ...], J: float) -> None:
        rec = {"u": list(k), "params": params_from_unit(k), "J": J, "time": round(time.time() - self.t0, 2)}
        if not self.meta.is_file():
            self.meta.write_text(json.dumps(self.fingerprint, indent=1))
        with self.path.open("a") as fh:
            fh.write(json.dumps(rec) + "\n")
        self.cache[k] = rec
        self.new += 1
        self.best = min(self.best, J)

    def evals_per_second(self) -> float:
        """New evaluations per second of wall time spent on them."""
        return self.new / self.compute_seconds if self.compute_seconds > 0 else float("nan")

    def cpu_per_evaluation(self) -> float:
        """CPU seconds per new evaluation: the rate on idle cores is workers / this."""
        return self.cpu_seconds / self.new if self.new else float("nan")

    def __call__(self, u: np.ndarray) -> float:
        """Objective at a unit-cube point (cached)."""
        self.calls += 1
        k = self.key(u)
        if k in self.cache:
            return float(self.cache[k]["J"])
        t = time.time()
        J, cpu = timed_objective(self.params(k), self.cfg)
        self.compute_seconds += time.time() - t
        self.cpu_seconds += cpu
        self._record(k, J)
        if self.new % 10 == 0 or self.best >= J:
            self.say(f"eval {self.calls} (new {self.new}) J={J:.4f} best={self.best:.4f}")
        return J

    def map(self, func: Callable[[np.ndarray], float], points: Iterable[np.ndarray]) -> list[float]:
        """DE's ``workers``: the objective of every point of a generation, in order (``func`` is this object)."""
        keys = [self.key(np.asarray(u)) for u in points]
        self.calls += len(keys)
        todo = list(dict.fromkeys(k for k in keys if k not in self.cache))
        if todo:
            t = time.time()
            args = [self.params(k) for k in todo]
            if self.cfg.workers > 1:
                if self._pool is None:
                    self._pool = process_pool(self.cfg.workers)
                values = self._pool.map(timed_objective, args, [self.cfg] * len(args))
            else:
                values = (timed_objective(a, self.cfg) for a in args)
            # each result is appended to the cache file as it arrives (in order), so a kill in the middle of
            # a generation loses only the evaluations still running
            for k, (J, cpu) in zip(todo, values, strict=True):
                self._record(k, J)
                self.cpu_seconds += cpu
            self.compute_seconds += time.time() - t
        self.say(
            f"generation: {len(keys)} points ({len(todo)} new), evaluations {len(self.cache)}, best J={self.best:.4f}, "
            f"{self.evals_per_second():.3f} evaluations/s, {self.cpu_per_evaluation():.2f} CPU s per evaluation"
        )
        return [float(self.cache[k]["J"]) for k in keys]

    def say(self, msg: str) -> None:
        """Append a line to the log and print it."""
        line = f"{datetime.now(UTC).strftime('%H:%M:%S')} {msg}"
        print(line, flush=True)
        with self.log.open("a") as fh:
            fh.write(line + "\n")


def calibrate(cfg: Config | None = None, where: Targets | None = None, write: bool = True) -> dict[str, Any]:
    """Run (or resume) the calibration and write the calibrated scenario.

    Returns:
        The calibration record (also written to ``calibration.json`` in the results folder).
    """
    from scipy.optimize import differential_evolution, minimize

    cfg = cfg or Config()
    where = where or output_targets()
    out = where.results
    check_free()
    out.mkdir(parents=True, exist_ok=True)
    ev = Evaluator(cfg, out)
    ev.say(
        f"calibration start: {len(FREE)} free parameters, {len(target_table('calibration'))} targets, config {asdict(cfg)}, "
        f"budget {budget(cfg)} evaluations, {len(ev.cache)} cached evaluations"
    )
    try:
        defaults = {f.name: PARAMS_BY_NAME[f.name].default for f in FREE}
        x0 = np.clip(unit_from_params(defaults), 0.0, 1.0)
        J_default = ev(x0)
        ev.say(f"defaults: J={J_default:.4f}")
        J_start, start = None, None
        if cfg.start:  # an earlier fit's point takes the defaults' place in the initial population
            start = start_point(cfg.start)
            x0 = np.clip(unit_from_params(start), 0.0, 1.0)
            J_start = ev(x0)
            ev.say(f"start point from {cfg.start}: J={J_start:.4f}")
        bounds = [(0.0, 1.0)] * len(FREE)
        de = differential_evolution(
            ev,
            bounds,
            seed=cfg.de_seed,
            popsize=cfg.popsize,
            maxiter=cfg.maxiter,
            init="halton",
            x0=x0,
            polish=False,
            tol=0.0,
            atol=0.0,
            updating="deferred",
            workers=ev.map,
        )
        ev.say(f"differential evolution: J={de.fun:.4f} after {de.nit} generations, {de.nfev} evaluations")
        if cfg.polish_maxfev > 0:
            nm = minimize(
                ev,
                de.x,
                method="Nelder-Mead",
                bounds=bounds,
                options={
                    "maxfev": cfg.polish_maxfev,
                    "xatol": 1e-3,
                    "fatol": 1e-3,
                    "initial_simplex": _simplex(de.x),
                },
            )
            best_u = nm.x if nm.fun < de.fun else de.x
            ev.say(f"Nelder-Mead polish: J={nm.fun:.4f} ({nm.nfev} evaluations)")
        else:
            best_u = de.x
    finally:
        ev.close(now=leaving_on_error())
    params = {k: _sig(v) for k, v in params_from_unit(ev.key(best_u)).items()}
    J, table = ev.run(params)  # objective of the rounded values that go into the scenario
    ev.say(f"rounded result: J={J:.4f} params={params}; {ev.evals_per_second():.3f} evaluations/s")
    record = {
        "objective": J,
        "objective_defaults": J_default,
        "objective_start": J_start,
        "start_params": start,
        "params": {**params, **ev.fixed},
        "fixed_inputs": {k: {"value": v, "source": why} for k, (v, why) in fixed_inputs().items()},
        "free": [{"name": f.name, "low": f.low, "high": f.high, "log": f.log} for f in FREE],
        "config": asdict(cfg),
        "seeds": ev.seeds,
        "evaluations": len(ev.cache),
        "new_evaluations": ev.new,
        "evals_per_second": ev.evals_per_second(),
        "cpu_seconds_per_evaluation": ev.cpu_per_evaluation(),
        "wall_seconds": round(time.time() - ev.t0, 1),
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "commit": git_commit(),
        "targets": target_records(table),
        "optimiser": f"scipy.optimize.differential_evolution (seed {cfg.de_seed}, popsize {cfg.popsize}, maxiter "
        f"{cfg.maxiter}, tol 0, init halton, updating deferred, {cfg.workers} workers, "
        f"{'the start point ' + cfg.start if cfg.start else 'defaults'} in the initial population) + Nelder-Mead "
        f"polish (maxfev {cfg.polish_maxfev})",
    }
    (out / "calibration.json").write_text(json.dumps(record, indent=1, default=float))
    if write:
        write_scenario(record, where.scenario)
        ev.say(f"wrote {where.scenario}")
    return record


def _simplex(x: np.ndarray, step: float = 0.08) -> np.ndarray:
    pts = [x]
    for i in range(len(x)):
        y = x.copy()
        y[i] = y[i] + step if y[i] + step <= 1.0 else y[i] - step
        pts.append(y)
    return np.array(pts)


def write_scenario(record: dict[str, Any], path: Path) -> None:
    """Write the calibrated baseline scenario (with its provenance) as TOML."""
    cfg = record["config"]
    hits = sum(bool(t["hit"]) for t in record["targets"])
    desc = (
        f"The 2015 baseline (policy levers at their 2015 values; {', '.join(record.get('fixed_inputs', {}))} set from "
        f"observed data) with {len(record['free'])} behavioural parameters "
        f"fitted to China's statistics 2015-2020 (abm/data/observed/china_observed.csv, use = calibration: "
        f"{len(record['targets'])} targets, {hits} within tolerance). Objective J = {record['objective']:.4f} "
        f"(defaults: {record['objective_defaults']:.4f}); {cfg['reps']} replications per evaluation, root seed "
        f"{cfg['root_seed']}, {cfg['years']} years, scale {cfg['scale']}. Calibrated {record['date']} at commit "
        f"{record['commit']}. Reproduce: python -m experiments.calibration calibrate"
        + (f" --calendar {cfg['calendar']}" if cfg.get("calendar") else "")
        + (f" --start FILE --maxiter {cfg['maxiter']} (FILE holding the start point below)" if cfg.get("start") else "")
        + ". See docs/validation.md."
        + (
            f" Fitted on the dated policy inputs of {cfg['calendar']} (each evaluation ran on them); this file holds "
            "the fitted and fixed parameters only, calendar_calibrated runs them on the calendar."
            if cfg.get("calendar")
            else " Fitted with the 2015 settings held (no policy calendar)."
        )
    )
    header = [
        "# Calibrated baseline: written by `python -m experiments.calibration calibrate`; do not edit by hand.",
        f"# date: {record['date']}   commit: {record['commit']}",
        f"# objective J = {record['objective']:.6f} (parameter-table defaults: {record['objective_defaults']:.6f})",
        f"# optimiser: {record['optimiser']}",
        f"# replications per evaluation: {cfg['reps']} (seeds {record['seeds']}), years {cfg['years']}, scale {cfg['scale']}",
        f"# policy inputs of each evaluation: {cfg.get('calendar') or '2015 settings held (no calendar)'}",
        f"# evaluations: {record['evaluations']}",
        *(
            [
                f"# start point (--start {cfg['start']}, J {record['objective_start']:.6f} there): "
                + ", ".join(f"{k} = {v:g}" for k, v in record["start_params"].items())
            ]
            if cfg.get("start") and record.get("start_params")
            else []
        ),
        *(
            [
                f"# chosen on {s['reps']} selection seeds (root {s['root_seed']}; python -m experiments.calibration "
                f"select): {s['chosen']} of {s['candidates']} candidates, J {s['J_selection']:.6f} there (the fit's "
                f"result {s['J_selection_fit_result']:.6f})"
            ]
            if (s := record.get("selection"))
            else []
        ),
        "# free parameters and search ranges: "
        + ", ".join(f"{f['name']} [{f['low']:g}, {f['high']:g}]" for f in record["free"]),
        "# targets: " + ", ".join(sorted({t["indicator"] for t in record["targets"]})),
        "# hit (|z| <= 1): " + ", ".join(f"{t['indicator']}:{t['year']}" for t in record["targets"] if t["hit"]),
        "# missed: "
        + ", ".join(f"{t['indicator']}:{t['year']} (z {t['z']:+.1f})" for t in record["targets"] if not t["hit"]),
    ]
    doc = {
        "scenario": {
            "name": "Baseline 2015, calibrated",
            "question": "How does the system run under the 2015 policy settings, with behavioural parameters fitted to 2015-2020?",
            "description": desc,
            "years": 20,
            "sources": [
                "abm/data/observed/china_observed.csv (use = calibration)",
                f"objective J = {record['objective']:.4f}",
                f"root seed {cfg['root_seed']}",
                f"date {record['date']}",
                f"commit {record['commit']}",
                "MP:86-88",
                "OUT:83",
                "OUT:93",
            ],
        },
        "params": dict(record["params"]),
    }
    # comments are not TOML data: the header is text, the document is written by tomli_w
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(header) + "\n\n" + tomli_w.dumps(doc))
