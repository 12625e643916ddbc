"""Compare the model's speed at this checkout with another git revision, in one interleaved run.

    .venv/bin/python benchmarks/bench_compare.py c4fc82b            # 5 rounds
    .venv/bin/python benchmarks/bench_compare.py HEAD~3 --rounds 9

The other revision is checked out into a temporary git worktree; each round runs both trees in fresh
processes (build, 80 classroom quarters, 20 quarters at scale 0.05) so the noise of a shared machine
hits both alike. Prints medians and the ratio new/old.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = """
import sys, time
sys.path.insert(0, sys.argv[1])
from abm import InnovationModel
t = time.perf_counter(); m = InnovationModel(seed=1); build = time.perf_counter() - t
t = time.perf_counter(); m.run(years=20); run = time.perf_counter() - t
t = time.perf_counter(); InnovationModel(seed=1, scale=0.05).run(years=5); big = time.perf_counter() - t
print(build, run, big)
"""
LABELS = ("build (classroom)", "80 quarters (classroom)", "20 quarters at scale 0.05")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rev", help="git revision to compare with")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(old), args.rev], check=True)
        try:
            res: dict[str, list[list[float]]] = {"old": [], "new": []}
            for _ in range(args.rounds):
                for name, path in (("old", old), ("new", ROOT)):
                    out = subprocess.run(
                        [sys.executable, "-c", CODE, str(path)], capture_output=True, text=True, cwd=tmp, check=True
                    )
                    res[name].append([float(x) for x in out.stdout.split()])
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)], check=False)
    print(f"medians of {args.rounds} interleaved rounds; old = {args.rev}, new = this checkout")
    for i, label in enumerate(LABELS):
        o = statistics.median(r[i] for r in res["old"])
        n = statistics.median(r[i] for r in res["new"])
        print(f"{label:28s} old {o:8.3f} s   new {n:8.3f} s   new/old {n / o:5.2f}")


if __name__ == "__main__":
    main()
