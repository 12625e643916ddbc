"""How much of the funding-reform answer survives the assumptions of the research-projects mechanism.

The funding reform (abm/data/scenarios/funding_reform.toml) raises the stable share of central research
funding from 28% to 50% in 2021. Its answer here: breakthroughs 2021 to the last year, reform vs
baseline, in paired seeds (same seed, same random streams). Then every assumed parameter of the
projects mechanism (abm/mechanisms/projects.py) is set to the low and the high end of its plausible
range, one at a time, and the answer is measured again, and so is every assumed parameter of the
competitive calls (abm/mechanisms/funding.py); plus the neutral settings: stable projects get the
project cycle and penalty, and calls fund everybody by staff cost as stable funding does.

Run (about 2 minutes on 2 cores):

    python -m experiments.funding_reform_sensitivity --seeds 8 --years 10 --scale 0.002 --workers 2

It prints a Markdown table (docs/funding_reform_sensitivity.md records one).
"""

from __future__ import annotations

import argparse

import numpy as np

from abm import InnovationModel, load_scenario
from abm.params import PARAMS_BY_NAME
from experiments.pools import process_pool

#: Plausible ranges (low, high) of the mechanism's assumed parameters; defaults from the table.
VARIATIONS: dict[str, tuple[float, float]] = {
    "project_cycle_years": (2.0, 5.0),  # MP:86-88: 3-5 year cycles
    "stable_horizon_years": (5.0, 12.0),
    "enterprise_horizon_years": (2.0, 5.0),  # MP:86-88: 94 of 113 firms prefer 3-5 years
    "project_failure_penalty": (0.5, 1.0),
    "stable_failure_penalty": (0.0, 0.5),
    "risk_return": (2.0, 5.0),
    "risk_gestation_years": (1.5, 6.0),
    "risk_choice_noise": (0.5, 2.0),
    # competitive calls (abm/mechanisms/funding.py, issue 11 item 7): project money is selected by review
    "review_noise": (0.5, 2.0),
    "grant_size": (0.25, 1.0),
    "proposal_idea_spread": (0.25, 1.0),
    "track_record_memory": (0.1, 0.6),
}
NEUTRAL = {"stable_horizon_years": 3.0, "project_cycle_years": 3.0, "stable_failure_penalty": 0.8}
#: Calls that allocate like stable funding: every call undersubscribed, every applicant funded by staff cost.
NEUTRAL_CALLS = {"grant_size": 0.05}
FIRST_REFORM_YEAR = 2021


def _pair(job: tuple[dict, int, int, float]) -> tuple[float, float]:
    """Breakthroughs from the reform year on: (baseline, reform) for one seed."""
    params, seed, years, scale = job
    out = []
    for name in ("baseline", "funding_reform"):
        sc = load_scenario(name)
        y = InnovationModel(seed=seed, scale=scale, schedule=sc.schedule, **{**sc.params, **params}).run(years=years)
        yy = y.yearly()
        out.append(float(yy.loc[yy.year >= FIRST_REFORM_YEAR, "breakthroughs"].sum()))
    return out[0], out[1]


def settings() -> list[tuple[str, dict]]:
    """Label and parameter overrides of every setting (default first)."""
    rows = [("defaults", {})]
    for name, (lo, hi) in VARIATIONS.items():
        for v in (lo, hi):
            rows.append((f"{name} = {v:g} (default {PARAMS_BY_NAME[name].default:g})", {name: v}))
    rows.append(("neutral risk (stable = project cycle and penalty)", dict(NEUTRAL)))
    rows.append(("neutral risk, no project money to firms", {**NEUTRAL, "project_firm_share": 0.0}))
    rows.append(("neutral calls (grant_size 0.05: everybody funded by staff cost)", dict(NEUTRAL_CALLS)))
    rows.append(
        ("neutral risk and calls, no project money to firms", {**NEUTRAL, **NEUTRAL_CALLS, "project_firm_share": 0.0})
    )
    return rows


def main(argv: list[str] | None = None) -> None:
    """Run every setting over paired seeds and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=8)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--scale", type=float, default=0.002)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args(argv)
    rows = settings()
    jobs = [(params, seed, a.years, a.scale) for _, params in rows for seed in range(1, a.seeds + 1)]
    with process_pool(a.workers) as pool:
        results = list(pool.map(_pair, jobs, chunksize=2))
    print(f"seeds 1-{a.seeds}, {a.years} years from 2015, scale {a.scale:g}; breakthroughs {FIRST_REFORM_YEAR}-end\n")
    print("| setting | baseline breakthroughs | reform effect | s.e. | reform higher | share of default effect |")
    print("|---|---:|---:|---:|---:|---:|")
    base_effect = None
    for k, (label, _) in enumerate(rows):
        r = np.array(results[k * a.seeds : (k + 1) * a.seeds])
        rel = r[:, 1] / r[:, 0] - 1.0
        eff, se = rel.mean(), rel.std(ddof=1) / np.sqrt(rel.size)
        base_effect = eff if base_effect is None else base_effect
        print(
            f"| {label} | {r[:, 0].mean():,.0f} | {eff:+.1%} | {se:.1%} | {(rel > 0).sum()}/{rel.size} "
            f"| {eff / base_effect:.0%} |"
        )


if __name__ == "__main__":
    main()
