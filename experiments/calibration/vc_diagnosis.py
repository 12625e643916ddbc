"""Which calibrated parameter moves VC returns (patterns F5a, F5b)? One parameter at a time.

Runs the 2015 baseline (settings held) with, in turn: the table defaults, the whole calibration, each
calibrated parameter alone on the defaults, and the calibration with one parameter put back at its
default; for each, the shares of closed financings (each stake counts for the real financings it stands
for) under 1x and at 10x or more, written off, and ending in an IPO. docs/validation.md ("Reading the
results") records a run.

    python -m experiments.calibration.vc_diagnosis                      # 16 years, seeds 1-3 (one seed alone)
    python -m experiments.calibration.vc_diagnosis --years 6 --back absorptive_half_researchers
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

import numpy as np

from abm import InnovationModel, load_scenario
from abm.kinds import ExitReason
from abm.params import PARAMS_BY_NAME
from experiments.calibration.facts import closed_financings


def vc_outcomes(params: dict[str, Any], seeds: Sequence[int], years: int) -> dict[str, float]:
    """Mean over seeds of the shares under 1x, at 10x or more, written off and IPO of closed financings."""
    rows = []
    for seed in seeds:
        deals, r = closed_financings(InnovationModel(seed=seed, **params).run(years))
        fin = deals["financings"].to_numpy()
        ipo = float(fin[(deals["exit"] == ExitReason.IPO.label).to_numpy()].sum())
        r["ipo"] = ipo / fin.sum() if fin.sum() > 0 else np.nan
        rows.append(r)
    return {k: float(np.mean([r[k] for r in rows])) for k in ("below_1x", "at_least_10x", "writeoff", "ipo")}


def diagnose(
    years: int = 16, seeds: Sequence[int] = (1, 2, 3), alone_seeds: Sequence[int] = (1,), back: Sequence[str] = ()
) -> list[tuple[str, dict[str, float]]]:
    """Rows (label, outcomes): defaults, the calibration, each calibrated parameter alone, and the calibration
    with each parameter of ``back`` at its default.
    """
    whole = dict(load_scenario("baseline_calibrated").params)  # with its fixed policy inputs
    cal = {k: v for k, v in whole.items() if not PARAMS_BY_NAME[k].lever}  # the fitted parameters
    unknown = [k for k in back if k not in cal]
    if unknown:
        raise ValueError(f"--back: {unknown} are not calibrated parameters; allowed: {sorted(cal)}")
    out = [("defaults", vc_outcomes({}, seeds, years)), ("calibrated (all)", vc_outcomes(whole, seeds, years))]
    for k, v in cal.items():
        label = f"defaults, only `{k}` calibrated ({PARAMS_BY_NAME[k].default:g} -> {v:.4g})"
        out.append((label, vc_outcomes({k: v}, alone_seeds, years)))
    for k in back:
        out.append(
            (f"calibrated, `{k}` at its default", vc_outcomes({**whole, k: PARAMS_BY_NAME[k].default}, seeds, years))
        )
    return out


def table(rows: list[tuple[str, dict[str, float]]]) -> str:
    """Markdown table of :func:`diagnose`'s rows."""
    lines = [
        "| setting | under 1x (F5a: 50-80%) | 10x or more (F5b: 1-10%) | written off | IPO |",
        "|---|---|---|---|---|",
    ]
    for label, r in rows:
        lines.append(
            f"| {label} | {100 * r['below_1x']:.1f}% | {100 * r['at_least_10x']:.1f}% | "
            f"{100 * r['writeoff']:.1f}% | {100 * r['ipo']:.1f}% |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run :func:`diagnose` and print its table; 2 on a bad option."""
    ap = argparse.ArgumentParser(
        prog="python -m experiments.calibration.vc_diagnosis", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--years", type=int, default=16)
    ap.add_argument("--seeds", type=int, default=3, help="seeds 1..N for the defaults, the calibration and --back rows")
    ap.add_argument("--back", default="absorptive_half_researchers", help="comma-separated calibrated parameters")
    args = ap.parse_args(argv)
    if args.years < 1 or args.seeds < 1:
        print("vc_diagnosis: --years and --seeds must be at least 1", flush=True)
        return 2
    try:
        rows = diagnose(args.years, range(1, args.seeds + 1), (1,), [b for b in args.back.split(",") if b])
    except ValueError as err:
        print(f"vc_diagnosis: {err}")
        return 2
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
