"""Model speed: agent-steps per second at ~1k, 10k and 100k agents, against Mesa's BoltzmannWealth.

Run on demand (not part of the tests)::

    python benchmarks/bench_model.py            # the standard table (a few minutes)
    python benchmarks/bench_model.py --quick    # 1k and 10k only
    python benchmarks/bench_model.py --national # also 1:1 national scale, 80 quarters, with peak memory

The machine is shared and noisy: every figure is the median of several repeats, and the ratio is
computed within one run of this script.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

from mesa.examples import BoltzmannWealth

from abm import InnovationModel


def scale_for(agents: int) -> float:
    """Find the scale whose initial population is closest to ``agents`` (bisection on log scale)."""
    lo, hi = 1e-5, 1.0
    for _ in range(30):
        mid = (lo * hi) ** 0.5
        n = len(InnovationModel(seed=0, scale=mid).agents)
        if n < agents:
            lo = mid
        else:
            hi = mid
    return hi


def time_steps(model, min_seconds: float, min_steps: int) -> tuple[int, float]:
    """Step ``model`` until both limits are reached; returns (steps, seconds)."""
    steps, t0 = 0, time.perf_counter()
    while steps < min_steps or time.perf_counter() - t0 < min_seconds:
        model.step()
        steps += 1
    return steps, time.perf_counter() - t0


def ours(agents: int, repeats: int, min_seconds: float) -> tuple[int, float]:
    """Median agent-steps per second of InnovationModel near ``agents`` agents."""
    scale = scale_for(agents)
    rates, n = [], 0
    for r in range(repeats):
        m = InnovationModel(seed=r, scale=scale)
        m.step()  # warm-up
        n = len(m.agents)
        steps, secs = time_steps(m, min_seconds, 4)
        rates.append(n * steps / secs)
    return n, statistics.median(rates)


def boltzmann(agents: int, repeats: int, min_seconds: float) -> float:
    """Median agent-steps per second of Mesa's BoltzmannWealth example with ``agents`` agents."""
    side = max(10, int(agents**0.5))
    rates = []
    for r in range(repeats):
        m = BoltzmannWealth(n=agents, width=side, height=side, seed=r)
        m.step()
        steps, secs = time_steps(m, min_seconds, 2)
        rates.append(agents * steps / secs)
    return statistics.median(rates)


def default_run(repeats: int) -> float:
    """Median wall time of the default scenario for 20 years (80 quarters), including set-up."""
    times = []
    for r in range(repeats):
        t0 = time.perf_counter()
        InnovationModel(seed=r).run(years=20)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def national(years: int) -> None:
    """Time a 1:1 national run and report peak memory."""
    t0 = time.perf_counter()
    m = InnovationModel(seed=1, scale=1.0)
    t_init = time.perf_counter() - t0
    n = len(m.agents)
    t1 = time.perf_counter()
    m.run(years=years)
    t_run = time.perf_counter() - t1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(
        f"national 1:1: {n:,} agents, set-up {t_init:.1f} s, {4 * years} quarters {t_run:.1f} s "
        f"({n * 4 * years / t_run:,.0f} agent-steps/s), peak memory {peak:.2f} GiB"
    )


def main() -> None:
    """Print the benchmark table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="only 1k and 10k agents")
    ap.add_argument("--national", action="store_true", help="also run 1:1 national scale")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=2.0, help="minimum timed seconds per repeat")
    args = ap.parse_args()
    sizes = (1_000, 10_000) if args.quick else (1_000, 10_000, 100_000)
    print(f"{'target':>8} {'agents':>8} {'ours agent-steps/s':>20} {'Boltzmann agent-steps/s':>24} {'ratio':>7}")
    for size in sizes:
        n, r_ours = ours(size, args.repeats, args.seconds)
        r_bw = boltzmann(size, args.repeats, args.seconds)
        print(f"{size:>8,} {n:>8,} {r_ours:>20,.0f} {r_bw:>24,.0f} {r_ours / r_bw:>7.1f}", flush=True)
    print(f"default scenario (scale 0.002), 20 years / 80 quarters: median {default_run(args.repeats):.2f} s")
    if args.national:
        national(20)


if __name__ == "__main__":
    main()
