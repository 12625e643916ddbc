"""CPU time of ``model.step()`` alone per quarter, and its split by mechanism.

One run: a seeded model, ``--warmup`` quarters, then ``--steps`` quarters timed with the process's CPU
clock (each mechanism's step and the indicator record timed inside the same quarters). With ``--root``
the same is measured on other checkouts too, each in its own process, the checkouts taking turns
round by round (on a shared machine only figures of one such run compare):

    python benchmarks/bench_step.py                               # this checkout
    python benchmarks/bench_step.py --root BEFORE --rounds 4      # BEFORE and this checkout, alternating
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def measure(root: str, steps: int, warmup: int, seed: int) -> dict:
    """Median and mean ms per quarter of the checkout at ``root``, and ms per quarter of each mechanism."""
    sys.path.insert(0, root)
    from abm import InnovationModel

    m = InnovationModel(seed=seed)
    for _ in range(warmup):
        m.step()
    clock = time.process_time
    spent: dict[str, float] = {}

    def timed(name, fn):
        def run(*args):
            t = clock()
            fn(*args)
            spent[name] = spent.get(name, 0.0) + clock() - t

        return run

    m.mechanisms = tuple(dataclasses.replace(c, step=timed(c.name, c.step)) for c in m.mechanisms)
    m.indicators.collect = timed("indicator record", m.indicators.collect)
    per_step = []
    for _ in range(steps):
        t = clock()
        m.step()
        per_step.append(1000 * (clock() - t))
    return {
        "median": statistics.median(per_step),
        "mean": statistics.mean(per_step),
        "mechanisms": {k: 1000 * v / steps for k, v in spent.items()},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", action="append", default=[], help="another checkout (repeatable)")
    ap.add_argument("--rounds", type=int, default=1, help="rounds; each measures every checkout once")
    ap.add_argument("--steps", type=int, default=60, help="timed quarters (default 60)")
    ap.add_argument("--warmup", type=int, default=12, help="quarters run before timing (default 12)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        print(json.dumps(measure(a.child, a.steps, a.warmup, a.seed)))
        return 0
    # each checkout once (naming this one with --root too would measure it twice under one key)
    roots = list(dict.fromkeys([str(Path(r).resolve()) for r in a.root] + [str(HERE)]))
    runs: dict[str, list[dict]] = {r: [] for r in roots}
    for i in range(a.rounds):
        for r in roots:
            cmd = [sys.executable, __file__, "--child", r, "--steps", str(a.steps), "--warmup", str(a.warmup)]
            out = subprocess.run([*cmd, "--seed", str(a.seed)], capture_output=True, text=True, check=True, cwd=r)
            runs[r].append(json.loads(out.stdout))
            print(f"round {i + 1} {r}: median {runs[r][-1]['median']:.2f} ms, mean {runs[r][-1]['mean']:.2f} ms")
    names = list(runs[roots[-1]][0]["mechanisms"])
    print(f"\n{'ms per quarter (median of rounds)':36s}" + "".join(f"{Path(r).name[:14]:>16s}" for r in roots))
    rows = [("model step", [statistics.median(x["median"] for x in runs[r]) for r in roots])]
    for k in names:
        rows.append((k, [statistics.median(x["mechanisms"].get(k, 0.0) for x in runs[r]) for r in roots]))
    for label, vals in rows:
        print(f"{label:36s}" + "".join(f"{v:16.2f}" for v in vals))
    if len(roots) > 1:
        base = runs[roots[0]]
        for r in roots[1:]:
            ratios = [x["median"] / b["median"] for x, b in zip(runs[r], base, strict=True)]
            print(f"ratio {Path(r).name} / {Path(roots[0]).name} per round: " + ", ".join(f"{x:.3f}" for x in ratios))
    return 0


if __name__ == "__main__":
    sys.exit(main())
