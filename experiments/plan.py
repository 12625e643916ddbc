"""Expand a spec into its run table: design points x scenarios x replications, with seeds.

The expansion is deterministic: the same spec always gives the same table, on any machine.
Each run's seed comes from ``numpy.random.SeedSequence(root_seed, spawn_key=(point, replication))``,
so the same design point and replication use the same random stream in every scenario (common
random numbers) and scenario differences are paired.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd

from experiments.spec import Spec, canonical_json, sha256


def run_seed(root_seed: int, point: int, replication: int) -> int:
    """The integer seed of one run, from SeedSequence(root_seed, spawn_key=(point, replication))."""
    ss = np.random.SeedSequence(root_seed, spawn_key=(point, replication))
    return int(ss.generate_state(1, dtype=np.uint64)[0] % (2**63))


def salib_problem(spec: Spec) -> dict[str, Any]:
    """The SALib problem dict of a sampler design."""
    names = list(spec.ranges)
    return {"num_vars": len(names), "names": names, "bounds": [list(spec.ranges[n]) for n in names]}


def design_points(spec: Spec) -> list[dict[str, Any]]:
    """Parameter values of every design point, in order (point index = list index)."""
    from abm.params import PARAMS_BY_NAME

    kind = spec.design_kind
    if kind == "none":
        return [{}]
    if kind == "grid":
        names = list(spec.grid)
        return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*(spec.grid[n] for n in names))]
    problem = salib_problem(spec)
    if kind == "lhs":
        from SALib.sample import latin

        x = latin.sample(problem, spec.samples, seed=spec.design_seed)
    elif kind == "sobol":
        from SALib.sample import sobol

        x = sobol.sample(problem, spec.samples, calc_second_order=spec.second_order, seed=spec.design_seed)
    else:
        from SALib.sample import morris

        x = morris.sample(problem, spec.samples, num_levels=spec.levels, seed=spec.design_seed)
    points = []
    for row in x:
        point = {}
        for name, value in zip(problem["names"], row, strict=True):
            p = PARAMS_BY_NAME[name]
            point[name] = round(float(value)) if p.kind == "int" else float(value)
        points.append(point)
    return points


def design_matrix(spec: Spec) -> np.ndarray:
    """The sampler's matrix of a sampler design (rows = points), as SALib analyses need it."""
    points = design_points(spec)
    return np.array([[pt[n] for n in spec.ranges] for pt in points], dtype=float)


def plan(spec: Spec) -> pd.DataFrame:
    """The run table of a spec: one row per run, ordered by point, scenario, replication.

    Columns: run_index, run_id, point, scenario, replication, seed, years, param_<name> per varied
    parameter, params_json (every parameter of the run), schedule_json, task_hash.
    """
    from abm import validate_params

    rows = []
    points = design_points(spec)
    varied = list(spec.grid) or list(spec.ranges)
    metrics = [m.name for m in spec.summary] + list(spec.series)
    index = 0
    for p, point in enumerate(points):
        for sc in spec.scenarios:
            params = validate_params({**sc.params, **spec.fixed, **point})
            for r in range(spec.replications):
                seed = run_seed(spec.root_seed, p, r)
                task = {
                    "params": params,
                    "schedule": sc.schedule,
                    "seed": seed,
                    "years": spec.years,
                    "metrics": metrics,
                }
                row = {
                    "run_index": index,
                    "run_id": f"{sc.key}-p{p:05d}-r{r:05d}",
                    "point": p,
                    "scenario": sc.key,
                    "replication": r,
                    "seed": seed,
                    "years": spec.years,
                }
                for name in varied:
                    row[f"param_{name}"] = point[name]
                row["params_json"] = canonical_json(params)
                row["schedule_json"] = canonical_json(sc.schedule)
                row["task_hash"] = sha256(task)[:16]
                rows.append(row)
                index += 1
    return pd.DataFrame(rows)


def plan_hash(spec: Spec, table: pd.DataFrame) -> str:
    """The spec hash kept in the manifest: the spec's identity plus every run's inputs."""
    return sha256({"identity": spec.identity(), "tasks": list(table["task_hash"])})
