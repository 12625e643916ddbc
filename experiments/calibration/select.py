"""The fit's point chosen on seeds it never saw: ``python -m experiments.calibration select``.

The optimiser minimises J measured on the calibration's own seeds (``Config.reps`` of them). Among points
whose J differs by less than its noise, the lowest is partly the luckiest draw of those seeds: the
fifth and sixth calendar fits' best points kept no order of their in-fit J on other seeds
(docs/validation.md). ``select`` re-evaluates the fit's result (its rounded values, as installed) and
the best distinct points of its evaluation cache on independent selection seeds (root
:data:`experiments.calibration.simulate.SELECTION_ROOT_SEED`, neither the calibration's nor the
validation's) and installs the one with the lowest J there. Ties keep the fit's own result.

Writes ``selection.csv`` (every candidate: its J on the selection seeds, on each half of them, its hits
and its J in the fit) beside the fit's record; the record (``calibration.json``) gains ``selection`` and,
when another point wins, that point's values, its objective and target table on the fit's seeds; the
scenario's header says how it was chosen.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.calibration.calibrate import (
    Config,
    _sig,
    git_commit,
    point_runs,
    point_table,
    read_cache,
    target_records,
    write_scenario,
)
from experiments.calibration.paths import Targets, output_targets
from experiments.calibration.simulate import SELECTION_ROOT_SEED
from experiments.calibration.targets import FREE, evaluate, fixed_params, objective, target_table
from experiments.pools import process_pool, stop_pool


class SelectionError(ValueError):
    """The fit's record or cache is missing or unusable (the message names the file and what is wrong)."""


def _read_fit(results: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    rec_path = results / "calibration.json"
    if not rec_path.is_file():
        raise SelectionError(
            f"{rec_path}: no calibration record; run `python -m experiments.calibration calibrate` first"
        )
    return json.loads(rec_path.read_text()), read_cache(results / "evals.jsonl")


def candidates(
    record: dict[str, Any], rows: list[dict[str, Any]], points: int
) -> list[tuple[str, dict[str, float], float]]:
    """The fit's result, then the ``points`` best distinct points of the cache (by J in the fit), each as
    (label, free parameters rounded to 4 significant digits as installed, J in the fit).
    """
    names = [f.name for f in FREE]
    fit = {k: float(record["params"][k]) for k in names}
    out = [("fit result", fit, float(record["objective"]))]
    seen = {tuple(fit[k] for k in names)}
    for r in sorted((r for r in rows if r.get("J") is not None), key=lambda r: r["J"]):
        if len(out) > points:
            break
        p = {k: _sig(float(r["params"][k])) for k in names}
        key = tuple(p[k] for k in names)
        if key in seen:
            continue
        seen.add(key)
        out.append((f"cache #{len(out)}", p, float(r["J"])))
    return out


def selection_objective(params: dict[str, float], cfg: Config, reps: int) -> tuple[float, int, float, float]:
    """J of a point on ``reps`` selection seeds, its hits, and J on each half of the seeds."""
    runs = point_runs({**fixed_params(), **params}, cfg, root_seed=SELECTION_ROOT_SEED, reps=reps)
    table = target_table("calibration")
    ev = evaluate(runs, table)
    h = reps // 2
    return (
        float(objective(ev)),
        int(ev["hit"].sum()),
        float(objective(evaluate(runs[:h], table))),
        float(objective(evaluate(runs[h:], table))),
    )


def select(
    points: int = 12, reps: int = 16, workers: int = 2, where: Targets | None = None, write: bool = True
) -> pd.DataFrame:
    """Re-evaluate the fit's result and its cache's best points on selection seeds; install the best.

    Returns:
        One row per candidate (label, J_selection, hits, J_half1, J_half2, J_fit, chosen, the parameters).
    """
    if points < 0:
        raise SelectionError(f"points = {points!r} is not allowed; allowed: an integer >= 0")
    if reps < 2:
        raise SelectionError(f"reps = {reps!r} is not allowed; allowed: an integer >= 2 (J is also given on each half)")
    where = where or output_targets()
    record, rows = _read_fit(where.results)
    cfg = Config(**{k: v for k, v in record["config"].items() if k in Config.__dataclass_fields__})
    cands = candidates(record, rows, points)
    args = [p for _, p, _ in cands]
    if workers > 1 and len(args) > 1:
        pool = process_pool(min(workers, len(args)))
        try:
            values = list(pool.map(selection_objective, args, [cfg] * len(args), [reps] * len(args)))
        finally:
            stop_pool(pool)
    else:
        values = [selection_objective(a, cfg, reps) for a in args]
    tab = pd.DataFrame(
        [
            {"label": lab, "J_selection": J, "hits": hits, "J_half1": a, "J_half2": b, "J_fit": jf, **p}
            for (lab, p, jf), (J, hits, a, b) in zip(cands, values, strict=True)
        ]
    )
    best = int(tab["J_selection"].idxmin())  # the first of equals: the fit's result on a tie
    tab["chosen"] = tab.index == best
    tab.to_csv(where.results / "selection.csv", index=False)
    label, chosen, _ = cands[best]
    record["selection"] = {
        "root_seed": SELECTION_ROOT_SEED,
        "reps": reps,
        "candidates": len(cands),
        "chosen": label,
        "J_selection": float(tab.loc[best, "J_selection"]),
        "J_selection_fit_result": float(tab.loc[0, "J_selection"]),
        "hits_selection": int(tab.loc[best, "hits"]),
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "commit": git_commit(),  # the model the selection runs were made with
    }
    if best != 0:  # another point: its values, and its objective and targets on the fit's own seeds
        ev = point_table({**fixed_params(), **chosen}, cfg)
        record["params"] = {**record["params"], **chosen}
        record["objective"] = float(objective(ev))
        record["targets"] = target_records(ev)
    (where.results / "calibration.json").write_text(json.dumps(record, indent=1, default=float))
    if write:
        write_scenario(record, where.scenario)
    return tab


__all__ = ["SelectionError", "candidates", "select", "selection_objective"]
