"""Every shipped policy question with its answer and its robustness (issue 13, item 4).

For each question (:data:`QUESTIONS`): the scenario, the run it is compared with (the baseline, or the
scenario it adds a policy to), one outcome, and the assumed parameters of the mechanisms the answer runs
through, each with a plausible range.

- **Answer:** the paired difference scenario - reference (same seed, same random streams) over
  ``--reps`` seeds (default 30): mean, Student-t 95% interval, and the share of seeds with the sign of
  the mean. Questions without a reference (the level is the answer) report the level.
- **Sensitivity:** Morris elementary effects (SALib; ``--trajectories`` trajectories of (k + 1) points
  over the k assumed parameters, 4 levels) on the paired difference, each design point averaged over
  ``--point-seeds`` common seeds: mu* (mean absolute elementary effect), sigma, both over the whole
  range of the parameter and in the outcome's unit, so they compare with the answer.
- **Base:** by default every scenario runs on the parameter-table defaults, as its file is written. With
  ``--base calendar_calibrated`` (or any scenario) each scenario is laid on that base instead
  (:func:`abm.scenarios.compose`: the scenario's levers win and drop the base's scheduled steps of them, as
  in the 2030 projection) and the reference ``baseline`` is the base itself; so the answers are those of the
  calibrated model on the policy calendar. Morris points override the base's values of the assumptions.
- **Verdict** (rule written in docs/validation.md before any result was computed): the conclusion
  "the policy raises (lowers) the outcome" *holds over the plausible ranges* when the answer's 95%
  interval excludes 0 and at least 90% of the Morris design points give an effect of the same sign;
  otherwise it *depends on* the parameters with the largest mu*.

Every run is one seed of one setting, so serial and parallel execution give identical numbers.

    python -m experiments.robustness --workers 2                      # every question (long)
    python -m experiments.robustness --questions soe_reform --reps 10 --trajectories 2
    python -m experiments.robustness --base calendar_calibrated --workers 2   # on the calibrated calendar

Writes results/robustness/<question>.json (with the commit, date and command of the run) and prints a
Markdown table (docs/validation.md records one).

    python -m experiments.robustness --publish    # results/robustness/*.json -> dashboards/robustness.json

``--publish`` runs nothing: it collects one result file per question of :data:`QUESTIONS` (every question
must have one) into the compact file the dashboard reads (its "How sure?" tab), with each answer's run
(commit, date, command), scale and seeds. That file is committed; refresh it after a new run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from abm import InnovationModel, load_scenario
from abm.params import PARAMS_BY_NAME
from abm.scenarios import compose
from experiments.funding_reform_sensitivity import VARIATIONS as FUNDING_VARIATIONS
from experiments.pools import exit_on_sigterm, leaving_on_error, process_pool, stop_pool
from experiments.provenance import git_commit

START = 2015
DESIGN_SEED0 = 1001  # the Morris design points run with seeds 1001, 1002, ... (the answer with 1, 2, ...)
PUBLISHED = Path("dashboards/robustness.json")  # what the dashboard reads (python -m experiments.robustness --publish)


@dataclass(frozen=True)
class Question:
    """A shipped policy question: scenario, what it is compared with, outcome and assumptions."""

    scenario: str
    reference: str | None  # None: the scenario's own level is the answer
    outcome: str  # a yearly indicator column
    years: tuple[int, int]  # first and last year of the outcome window (inclusive)
    how: str  # "sum" or "mean" over the window
    relative: bool  # report the difference relative to the reference (share) rather than in units
    unit: str
    assumptions: dict[str, tuple[float, float]] = field(default_factory=dict)


#: The cut-off's severity is a setting of the scenario (a lever: the foreign side's policy), not varied here.
_CUTOFF = {
    "substitution_rd_response": (0.5, 3.0),
    "buyer_quality_sensitivity": (2.0, 8.0),
    "price_quality_tradeoff": (0.1, 0.6),
    "supplier_switch_rate": (0.05, 0.2),
    "component_substitution": (0.15, 0.6),
    "absorption_distance": (0.2, 0.6),
}
_MISSION = {
    "consortium_success_rate": (0.1, 0.5),
    "consortium_half_effort": (1e4, 4e4),
    "consortium_sharing": (0.05, 0.2),
    "breakthrough_size": (0.015, 0.05),
    "absorption_distance": (0.2, 0.6),
    "recombination_gain": (0.25, 1.0),
}

#: The policy questions of the shipped scenarios (policy_calendar is a calendar, not a question).
QUESTIONS: dict[str, Question] = {
    "funding_reform": Question(
        "funding_reform",
        "baseline",
        "breakthroughs",
        (2021, 2024),
        "sum",
        True,
        "breakthroughs",
        dict(FUNDING_VARIATIONS),
    ),
    "soe_reform": Question(
        "soe_reform",
        "baseline",
        "rd_intensity",
        (2030, 2030),
        "mean",
        False,
        "share of GDP",
        {
            "rd_return_half_intensity": (0.015, 0.05),
            "soe_profit_floor": (0.02, 0.08),
            "soe_failure_penalty": (0.5, 2.0),
            "research_failure_risk": (0.3, 0.7),
            "gross_margin": (0.09, 0.15),
            "fixed_cost_share": (0.01, 0.03),
            "market_share_sensitivity": (2.0, 8.0),
        },
    ),
    "talent_programme": Question(
        "talent_programme",
        "baseline",
        "researchers_total",
        (2030, 2030),
        "mean",
        True,
        "researchers (FTE)",
        {
            "job_search_rate": (0.025, 0.1),
            "wage_adjustment": (0.02, 0.1),
            "pool_exit_rate": (0.08, 0.3),
            "hire_speed": (0.25, 0.75),
            "staff_target_slack": (1.1, 1.4),
            "research_entry_share": (0.3, 0.7),
            "returnee_expertise": (0.5, 1.0),
        },
    ),
    "chip_cutoff": Question(
        "chip_cutoff", "baseline", "capability_chips_ict", (2030, 2030), "mean", False, "capability", dict(_CUTOFF)
    ),
    "chip_cutoff_first_set": Question(
        "chip_cutoff_first_set",
        "chip_cutoff",
        "capability_chips_ict",
        (2030, 2030),
        "mean",
        False,
        "capability",
        dict(_CUTOFF),
    ),
    "supply_cutoff": Question(
        "supply_cutoff", "baseline", "capability_chips_ict", (2030, 2030), "mean", False, "capability", dict(_CUTOFF)
    ),
    "supply_cutoff_cushioned": Question(
        "supply_cutoff_cushioned",
        "supply_cutoff",
        "capability_chips_ict",
        (2030, 2030),
        "mean",
        False,
        "capability",
        dict(_CUTOFF),
    ),
    "key_core_mission": Question(
        "key_core_mission",
        "baseline",
        "capability_chips_ict",
        (2030, 2030),
        "mean",
        False,
        "capability",
        dict(_MISSION),
    ),
    "consortium_soe_led": Question(
        "consortium_soe_led",
        "key_core_mission",
        "capability_chips_ict",
        (2030, 2030),
        "mean",
        False,
        "capability",
        dict(_MISSION),
    ),
    "quantum_mission": Question(
        "quantum_mission",
        "baseline",
        "capability_quantum_6g",
        (2030, 2030),
        "mean",
        False,
        "capability",
        dict(_MISSION),
    ),
    "vc_expansion": Question(
        "vc_expansion",
        "baseline",
        "patents_sme",
        (2021, 2030),
        "sum",
        True,
        "SME patents",
        {
            "vc_signal_threshold": (0.4, 1.2),
            "screening_noise": (0.3, 1.2),
            "vc_track_record_elasticity": (0.5, 2.0),
            "round_size": (1e7, 4e7),
            "ipo_valuation": (5e8, 2e9),
            "guidance_signal_threshold": (0.0, 0.5),
        },
    ),
    "innovation_driven": Question(
        "innovation_driven",
        None,
        "tech_progress_contribution",
        (2021, 2030),
        "mean",
        False,
        "share of growth",
        {
            "tfp_tech_elasticity": (0.25, 1.0),
            "demand_price_elasticity": (0.75, 3.0),
            "capital_share": (0.3, 0.5),
            "breakthrough_size": (0.015, 0.05),
            "absorption_distance": (0.2, 0.6),
        },
    ),
}


class RobustnessError(ValueError):
    """A question or option that cannot be run; the message names the field, the value and what is allowed."""


def check(questions: dict[str, Question] = QUESTIONS) -> None:
    """Every scenario exists, every outcome window lies in 2015-2035, every assumption is a parameter
    of the table with its range inside the table's.
    """
    for key, q in questions.items():
        for name in filter(None, (q.scenario, q.reference)):
            load_scenario(name)  # raises a clear error for an unknown scenario
        if not START <= q.years[0] <= q.years[1] <= 2035:
            raise RobustnessError(f"question {key!r}: years {q.years} must satisfy 2015 <= first <= last <= 2035")
        if q.how not in ("sum", "mean"):
            raise RobustnessError(f"question {key!r}: how={q.how!r}; allowed: 'sum', 'mean'")
        for p, (lo, hi) in q.assumptions.items():
            if p not in PARAMS_BY_NAME:
                raise RobustnessError(f"question {key!r}: assumption {p!r} is not a model parameter")
            par = PARAMS_BY_NAME[p]
            if par.lever:
                raise RobustnessError(f"question {key!r}: {p!r} is a policy lever, not an assumption")
            if not (par.low <= lo < hi <= par.high):
                raise RobustnessError(
                    f"question {key!r}: range of {p!r} [{lo:g}, {hi:g}] must lie in the table's [{par.low:g}, {par.high:g}]"
                )


def setting(name: str, base: str = "") -> str | tuple[dict[str, Any], list[dict[str, Any]]]:
    """What a run of scenario ``name`` is: its name (no base: the file on the parameter-table defaults), or
    the params and schedule of ``name`` laid on ``base`` (``baseline`` on a base is the base itself).
    """
    if not base:
        return name
    layers = [load_scenario(base)] + ([] if name == "baseline" else [load_scenario(name)])
    return compose(*layers)


def outcome(
    job: tuple[
        str | tuple[dict[str, Any], list[dict[str, Any]]], int, dict[str, Any], str, tuple[int, int], str, float
    ],
) -> float:
    """The outcome of one run: scenario (a name, or params and schedule), seed, parameter overrides
    (assumptions), column, window, how, scale.
    """
    scenario, seed, overrides, column, years, how, scale = job
    if isinstance(scenario, str):
        m = InnovationModel.from_scenario(scenario, seed=seed, scale=scale, **overrides)
    else:
        params, schedule = scenario
        m = InnovationModel(seed=seed, schedule=tuple(schedule), **{**params, "scale": scale, **overrides})
    y = m.run(years=years[1] - START + 1).yearly()
    w = y.loc[(y["year"] >= years[0]) & (y["year"] <= years[1]), column]
    return float(w.sum() if how == "sum" else w.mean())


def _effects(
    q: Question, settings: Sequence[dict[str, Any]], seeds: Sequence[int], scale: float, pool, base: str = ""
) -> np.ndarray:
    """Paired effect (or level) for every setting x seed: array (settings, seeds)."""
    jobs, shape = [], (len(settings), len(seeds))
    scen = setting(q.scenario, base)
    ref = setting(q.reference, base) if q.reference else None
    for s in settings:
        for seed in seeds:
            jobs.append((scen, seed, s, q.outcome, q.years, q.how, scale))
            if q.reference:
                jobs.append((ref, seed, s, q.outcome, q.years, q.how, scale))
    vals = np.array(list(pool.map(outcome, jobs) if pool else map(outcome, jobs)), dtype=float)
    if not q.reference:
        return vals.reshape(shape)
    scen, ref = vals[0::2].reshape(shape), vals[1::2].reshape(shape)
    diff = scen - ref
    return diff / np.where(ref != 0, np.abs(ref), 1.0) if q.relative else diff


def robustness(
    key: str,
    reps: int = 30,
    trajectories: int = 4,
    point_seeds: int = 2,
    scale: float = 0.002,
    workers: int = 1,
    base: str = "",
) -> dict[str, Any]:
    """Answer, Morris sensitivity and verdict of one question (on ``base``: see :func:`setting`)."""
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    from experiments.stats import describe

    if key not in QUESTIONS:
        raise RobustnessError(f"question {key!r} is not known; allowed: {sorted(QUESTIONS)}")
    for name, v, lo in (("reps", reps, 3), ("trajectories", trajectories, 2), ("point_seeds", point_seeds, 1)):
        if v < lo:
            raise RobustnessError(f"{name}={v}: must be at least {lo}")
    q = QUESTIONS[key]
    check({key: q})
    if base:
        try:
            load_scenario(base)
        except (ValueError, OSError) as err:
            raise RobustnessError(f"--base {base!r}: not a scenario ({err})") from err
    names = list(q.assumptions)
    problem = {"num_vars": len(names), "names": names, "bounds": [list(q.assumptions[n]) for n in names]}
    x = morris_sample.sample(problem, trajectories, num_levels=4, seed=13)
    points = [dict(zip(names, map(float, row), strict=True)) for row in x]
    pool = process_pool(workers) if workers > 1 else None
    try:
        answer = _effects(q, [{}], list(range(1, reps + 1)), scale, pool, base)[0]
        design = _effects(q, points, list(range(DESIGN_SEED0, DESIGN_SEED0 + point_seeds)), scale, pool, base)
        design = design.mean(axis=1)
    finally:
        stop_pool(pool, now=leaving_on_error())
    d = describe(list(answer), single="zero")
    mi = morris_analyze.analyze(problem, x, design, num_levels=4, seed=13)
    sign = np.sign(d["mean"])
    same = float(np.mean(np.sign(design) == sign)) if sign != 0 else 0.0
    ci_excludes_zero = d["ci_low"] > 0 or d["ci_high"] < 0
    order = np.argsort(-np.asarray(mi["mu_star"]))
    holds_ = bool(q.reference and ci_excludes_zero and same >= 0.9)
    return {
        "question": key,
        "scenario": q.scenario,
        "reference": q.reference,
        "outcome": q.outcome,
        "years": list(q.years),
        "how": q.how,
        "relative": q.relative,
        "unit": q.unit,
        "reps": reps,
        "answer": {k: d[k] for k in ("mean", "sd", "ci_low", "ci_high", "n")},
        "share_same_sign": float(np.mean(np.sign(answer) == sign)) if sign != 0 else 0.0,
        "design_points": len(points),
        "point_seeds": point_seeds,
        "design_same_sign": same,
        "design_range": [float(design.min()), float(design.max())],
        "morris": [
            {
                "parameter": names[i],
                "range": list(q.assumptions[names[i]]),
                "mu_star": float(mi["mu_star"][i]),
                "sigma": float(mi["sigma"][i]),
                "mu": float(mi["mu"][i]),
            }
            for i in order
        ],
        "verdict": (
            "level (no comparison)"
            if not q.reference
            else "holds over the plausible ranges"
            if holds_
            else "depends on " + ", ".join(names[i] for i in order[:2])
        ),
        "scale": scale,
        "base": base,
    }


def holds(result: dict[str, Any]) -> bool:
    """The rule of docs/validation.md on a result's numbers: a comparison whose 95% interval excludes 0 and
    whose sign is shared by at least 90% of the Morris design points.
    """
    a = result["answer"]
    return bool(result["reference"] and (a["ci_low"] > 0 or a["ci_high"] < 0) and result["design_same_sign"] >= 0.9)


def verdict(result: dict[str, Any]) -> str:
    """The verdict the rule gives a result's numbers: holds, depends on the two largest mu*, or a level."""
    if not result["reference"]:
        return "level (no comparison)"
    if holds(result):
        return "holds over the plausible ranges"
    top = sorted(result["morris"], key=lambda m: -m["mu_star"])[:2]
    return "depends on " + ", ".join(m["parameter"] for m in top)


def seeds(result: dict[str, Any]) -> dict[str, list[int]]:
    """First and last seed of the answer's runs and of every Morris design point's runs."""
    return {
        "answer": [1, int(result["reps"])],
        "design_points": [DESIGN_SEED0, DESIGN_SEED0 + int(result["point_seeds"]) - 1],
    }


_KEEP = (
    "question",
    "scenario",
    "reference",
    "outcome",
    "years",
    "how",
    "relative",
    "unit",
    "reps",
    "answer",
    "share_same_sign",
    "design_points",
    "point_seeds",
    "design_same_sign",
    "design_range",
    "morris",
    "verdict",
    "scale",
    "run",
)


def publish(folders: Path | Sequence[Path], to: Path = PUBLISHED) -> dict[str, Any]:
    """Collect ``folder/<question>.json`` for every question of :data:`QUESTIONS` from each of ``folders`` (one
    run per base: the parameter-table defaults, ``--base calendar_calibrated``, ...) into ``to`` (the
    dashboard's file).

    Every folder needs a result file of every question with its run (commit, date, command; written by
    :func:`main`), all on one base, and no two folders the same base; each file's verdict must be the rule's
    (:func:`holds`) on its numbers. The entries are written base by base, in the order of ``folders``, each
    base in the order of :data:`QUESTIONS`. Returns what was written.
    """
    folders = [folders] if isinstance(folders, Path) else list(folders)
    entries: list[dict[str, Any]] = []
    bases: list[str] = []
    for folder in folders:
        missing = [k for k in QUESTIONS if not (folder / f"{k}.json").is_file()]
        if missing:
            raise RobustnessError(
                f"--publish: no result in {folder} for {missing}; run python -m experiments.robustness --questions "
                f"{','.join(missing)} first (every question of QUESTIONS must be published together)"
            )
        these = []
        for key in QUESTIONS:
            r = json.loads((folder / f"{key}.json").read_text())
            absent = [k for k in _KEEP if k not in r]
            if absent or r["question"] != key:
                raise RobustnessError(
                    f"--publish: {folder / f'{key}.json'} is not a result of {key!r} (missing {absent})"
                )
            if r["verdict"] != verdict(r):
                raise RobustnessError(f"--publish: {key}: verdict {r['verdict']!r} is not the rule's on its numbers")
            these.append({**{k: r[k] for k in _KEEP}, "base": r.get("base", ""), "seeds": seeds(r)})
        base = {e["base"] for e in these}
        if len(base) != 1:
            raise RobustnessError(f"--publish: {folder} mixes runs on the bases {sorted(base)}; one base per folder")
        (b,) = base
        if b in bases:
            raise RobustnessError(f"--publish: two folders hold runs on the base {b or 'defaults'!r}; one per base")
        bases.append(b)
        entries += these
    out = {
        "about": "Every shipped policy question with its answer (paired difference over seeds), its Morris "
        "sensitivity and its verdict; see docs/validation.md, 'Policy answers and their robustness'.",
        "command": "python -m experiments.robustness --publish",
        "published": datetime.now(UTC).strftime("%Y-%m-%d"),
        "commits": sorted({e["run"]["commit"] for e in entries}),
        "bases": bases,
        "questions": entries,
    }
    to.parent.mkdir(parents=True, exist_ok=True)
    tmp = to.with_suffix(".tmp")
    head = json.dumps({k: v for k, v in out.items() if k != "questions"}, indent=1, ensure_ascii=False)[:-2]
    lines = ",\n  ".join(json.dumps(e, ensure_ascii=False) for e in entries)  # one line per question
    tmp.write_text(f'{head},\n "questions": [\n  {lines}\n ]\n}}\n', encoding="utf-8")
    os.replace(tmp, to)
    return out


def _fmt(v: float, q: dict[str, Any]) -> str:
    if q["relative"]:
        return f"{_nonzero(100 * v, 1)}%"
    if q["unit"].startswith("share"):
        return f"{_nonzero(100 * v, 2)} pp"
    return f"{v:+.3g}"


def _nonzero(x: float, decimals: int) -> str:
    """Signed ``x`` with ``decimals`` decimals, or one significant digit where that would read 0 (-0.004, not -0.00)."""
    out = f"{x:+.{decimals}f}"
    return f"{x:+.1g}" if x != 0 and float(out) == 0 else out


def table(results: Sequence[dict[str, Any]]) -> str:
    """Markdown table of answers, sensitivity and verdicts."""
    rows = [
        "| question | outcome (window) | answer: mean [95% interval], seeds with its sign | "
        "design points with its sign (range) | largest mu* (over the range) | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        a = r["answer"]
        comp = f" vs {r['reference']}" if r["reference"] else " (level)"
        top = "; ".join(f"{m['parameter']} {_fmt(m['mu_star'], r).lstrip('+')}" for m in r["morris"][:3])
        rows.append(
            f"| {r['scenario']}{comp} | {r['outcome']} {r['how']} {r['years'][0]}-{r['years'][1]} | "
            f"{_fmt(a['mean'], r)} [{_fmt(a['ci_low'], r)}, {_fmt(a['ci_high'], r)}], "
            f"{100 * r['share_same_sign']:.0f}% of {r['reps']} | {100 * r['design_same_sign']:.0f}% of "
            f"{r['design_points']} ({_fmt(r['design_range'][0], r)} to {_fmt(r['design_range'][1], r)}) | {top} | "
            f"{r['verdict']} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Run the chosen questions, write their JSON and print the table."""
    ap = argparse.ArgumentParser(prog="python -m experiments.robustness", description=__doc__.split("\n")[0])
    ap.add_argument("--questions", default="all", help=f"comma-separated, or 'all': {', '.join(QUESTIONS)}")
    ap.add_argument("--reps", type=int, default=30)
    ap.add_argument("--trajectories", type=int, default=4)
    ap.add_argument("--point-seeds", type=int, default=2)
    ap.add_argument("--scale", type=float, default=0.002)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument(
        "--base",
        default="",
        help="lay every scenario on this scenario, e.g. calendar_calibrated (default: parameter-table defaults)",
    )
    ap.add_argument(
        "--out",
        type=Path,
        action="append",
        help="folder of the result files (default results/robustness); with --publish, give one per base "
        "(e.g. --out results/robustness --out results/robustness_calendar)",
    )
    ap.add_argument(
        "--publish",
        action="store_true",
        help="run nothing: collect every --out/*.json (every question, one folder per base) into --publish-to "
        "for the dashboard",
    )
    ap.add_argument("--publish-to", type=Path, default=PUBLISHED)
    args = ap.parse_args(argv)
    exit_on_sigterm()  # a stopped run shuts its worker processes down
    outs = args.out or [Path("results/robustness")]
    if args.publish:
        try:
            out = publish(outs, args.publish_to)
        except RobustnessError as err:
            print(f"python -m experiments.robustness: {err}", file=sys.stderr)
            return 2
        bases = ", ".join(b or "defaults" for b in out["bases"])
        print(
            f"wrote {args.publish_to}: {len(out['questions'])} answers (bases: {bases}), runs at "
            f"{', '.join(out['commits'])}"
        )
        return 0
    command = " ".join(["python -m experiments.robustness", *(sys.argv[1:] if argv is None else argv)])
    keys = list(QUESTIONS) if args.questions == "all" else [k.strip() for k in args.questions.split(",") if k.strip()]
    try:
        if len(outs) > 1:
            raise RobustnessError(f"--out: a run writes to one folder, got {len(outs)} ({', '.join(map(str, outs))})")
        out_dir = outs[0]
        check()
        unknown = [k for k in keys if k not in QUESTIONS]
        if unknown:
            raise RobustnessError(f"--questions: {unknown} not known; allowed: {sorted(QUESTIONS)} or 'all'")
        out_dir.mkdir(parents=True, exist_ok=True)
        results = []
        for k in keys:
            r = robustness(k, args.reps, args.trajectories, args.point_seeds, args.scale, args.workers, args.base)
            r["run"] = {"commit": git_commit(), "date": datetime.now(UTC).strftime("%Y-%m-%d"), "command": command}
            (out_dir / f"{k}.json").write_text(json.dumps(r, indent=1))
            results.append(r)
            print(f"{k}: {r['verdict']}", file=sys.stderr, flush=True)
    except RobustnessError as err:
        print(f"python -m experiments.robustness: {err}", file=sys.stderr)
        return 2
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
