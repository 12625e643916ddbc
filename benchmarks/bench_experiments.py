"""Benchmark of the experiment runner: overhead per run, local parallel efficiency, Dask vs local pool.

    .venv/bin/python benchmarks/bench_experiments.py [--runs 40] [--years 20]

Measures, on the default scenario (baseline, scale 0.002):
  bare      the model alone: InnovationModel(...).run() + yearly() in a loop, in this process
  serial    the runner with the serial executor (plan, task, metrics, atomic Parquet writes)
  process   the runner with 2 local worker processes (wall time includes starting the workers)
  dask      the runner on a 2-worker Dask LocalCluster (wall time includes starting the cluster)
and reports runner overhead = serial / bare - 1, parallel efficiency = serial / (2 x process),
Dask / process = process / dask (throughput ratio). Results go to benchmarks/results/ (gitignored).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SPEC = """\
[experiment]
name = "benchmark"
scenarios = ["baseline"]
replications = {runs}
root_seed = 1
years = {years}

[fixed]
scale = 0.002

[metrics]
summary = ["rd_intensity", "breakthroughs:sum", "patents:sum", "controlled_fields", "n_sme"]
series = ["rd_intensity", "breakthroughs"]
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--years", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=2, help="repeat every measurement, interleaved; keep the best")
    args = ap.parse_args()

    from abm import InnovationModel
    from experiments import collect, load_spec, plan, run_experiment

    tmp = Path(tempfile.mkdtemp(prefix="bench-exp-"))
    spec_path = tmp / "bench.toml"
    spec_path.write_text(SPEC.format(runs=args.runs, years=args.years))
    spec = load_spec(spec_path)
    seeds = list(plan(spec)["seed"])

    InnovationModel(seed=0).run(years=1)  # warm up imports

    def bare_loop() -> float:
        t = time.perf_counter()
        for s in seeds:
            m = InnovationModel(seed=int(s), scale=0.002)
            m.run(years=args.years)
            m.yearly()
        return time.perf_counter() - t

    # The machine may be shared: repeat interleaved rounds and keep each measurement's best.
    times: dict[str, float] = {}
    bares = []
    for rnd in range(args.rounds):
        for executor in ("serial", "process", "dask"):
            if executor != "dask":
                bares.append(bare_loop())
            out = tmp / f"{executor}-{rnd}"
            t = time.perf_counter()
            run_experiment(spec, out=out, executor=executor, workers=2, progress=False)
            times[executor] = min(times.get(executor, float("inf")), time.perf_counter() - t)
    bare = min(bares)
    # start-up cost of each pool: a sweep of 2 one-quarter runs
    start_path = tmp / "start.toml"
    start_path.write_text(SPEC.format(runs=2, years=1))
    for executor in ("process", "dask"):
        t = time.perf_counter()
        run_experiment(
            load_spec(start_path), out=tmp / f"start-{executor}", executor=executor, workers=2, progress=False
        )
        times[f"{executor}_startup"] = time.perf_counter() - t
    model_sum = float(collect(spec, out=tmp / "serial-0", write=False)[0]["model_seconds"].sum())
    import os

    res = {
        "load_average_1min_at_end": os.getloadavg()[0],
        "runs": args.runs,
        "years": args.years,
        "bare_s": bare,
        **{f"{k}_s": v for k, v in times.items()},
        "model_seconds_sum_serial": model_sum,
        "runner_overhead_per_run_pct": 100 * (times["serial"] / bare - 1),
        "runner_overhead_vs_recorded_model_time_pct": 100 * (times["serial"] / model_sum - 1),
        "parallel_efficiency_2_workers_pct": 100 * times["serial"] / (2 * times["process"]),
        "dask_vs_process_pct": 100 * times["process"] / times["dask"],
        "parallel_efficiency_steady_pct": 100 * times["serial"] / (2 * (times["process"] - times["process_startup"])),
        "dask_vs_process_steady_pct": 100
        * (times["process"] - times["process_startup"])
        / (times["dask"] - times["dask_startup"]),
    }
    shutil.rmtree(tmp, ignore_errors=True)
    outdir = ROOT / "benchmarks" / "results"
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / "bench_experiments.json").write_text(json.dumps(res, indent=2))
    for k, v in res.items():
        print(f"{k:45s} {v:.2f}" if isinstance(v, float) else f"{k:45s} {v}")


if __name__ == "__main__":
    main()
