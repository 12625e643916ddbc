"""Command line: ``python -m experiments.calibration calibrate|validate|patterns|project|report|all [--out DIR]``.

From a source checkout the results go to results/calibration/ and the calibrated scenario and the
validation page to the checkout's own files; ``--out DIR`` puts everything under DIR (required
when the package is installed). See :mod:`experiments.calibration.paths`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from abm.resources import NoCheckoutError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m experiments.calibration", description=__doc__.splitlines()[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="write everything under DIR (default: results/calibration, the shipped scenario file "
        "and docs/ of the source checkout)",
    )
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser(
        "calibrate",
        parents=[common],
        help="fit the free parameters (resumable); writes abm/data/scenarios/baseline_calibrated.toml",
    )
    c.add_argument("--reps", type=int, default=None, help="replications per evaluation (default 6)")
    c.add_argument("--maxiter", type=int, default=None, help="differential-evolution generations (default 12)")
    c.add_argument("--polish", type=int, default=None, help="Nelder-Mead evaluations after DE (default 80)")
    c.add_argument("--no-write", action="store_true", help="do not write the scenario file")
    v = sub.add_parser(
        "validate", parents=[common], help="targets with CIs, out-of-sample years and the stylised facts"
    )
    v.add_argument("--reps", type=int, default=20)
    pr = sub.add_parser(
        "project", parents=[common], help="2030 projection of the calibrated baseline and every policy scenario"
    )
    pr.add_argument("--reps", type=int, default=20)
    pr.add_argument("--workers", type=int, default=1)
    sub.add_parser(
        "report",
        parents=[common],
        help="docs/validation.md results, docs/img/validation_*.png, results/calibration/report.html",
    )
    pt = sub.add_parser(
        "patterns",
        parents=[common],
        help="validate, then put the facts-and-patterns table in docs/validation.md (no calibration record needed)",
    )
    pt.add_argument("--reps", type=int, default=20)
    pt.add_argument("--size-reps", type=int, default=10, help="runs at scale 0.02 for the size and growth facts")
    a = sub.add_parser("all", parents=[common], help="calibrate, validate, project, report")
    a.add_argument("--reps", type=int, default=20)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one command; exit status 0 on success."""
    args = _parser().parse_args(argv)
    from experiments.calibration.paths import output_targets

    try:
        where = output_targets(args.out)
    except NoCheckoutError as err:
        print(f"python -m experiments.calibration: {err}", file=sys.stderr)
        return 2
    t0 = time.time()
    if args.command in ("calibrate", "all"):
        from experiments.calibration.calibrate import Config, calibrate

        cfg = Config()
        if args.command == "calibrate":
            cfg.reps = args.reps or cfg.reps
            cfg.maxiter = args.maxiter or cfg.maxiter
            cfg.polish_maxfev = cfg.polish_maxfev if args.polish is None else args.polish
        rec = calibrate(cfg, where, write=not getattr(args, "no_write", False))
        print(f"objective J = {rec['objective']:.4f} (defaults {rec['objective_defaults']:.4f})")
    if args.command in ("validate", "all"):
        from experiments.calibration.validate import validate

        validate(reps=args.reps, where=where)
    if args.command == "patterns":
        import datetime

        from experiments.calibration.calibrate import git_commit
        from experiments.calibration.report import write_patterns
        from experiments.calibration.validate import validate

        res = validate(reps=args.reps, size_reps=args.size_reps, net_reps=args.reps, where=where)
        commit = git_commit()
        note = (
            f"Calibrated baseline (abm/data/scenarios/baseline_calibrated.toml) on the current model: {args.reps} runs "
            f"2015-2030 at scale 0.002 (validation seeds, never used in the fit; networks from every run) and "
            f"{args.size_reps} runs at scale 0.02 for F3-F4; {datetime.date.today()}, commit `{commit or 'unknown'}`. "
            "Criteria: the tables above, written before the statistics were computed."
        )
        print(write_patterns(res, where, args.reps, note))
    if args.command in ("project", "all"):
        from experiments.calibration.project import project

        project(reps=args.reps, workers=getattr(args, "workers", 1), where=where)
    if args.command in ("report", "all"):
        from experiments.calibration.report import report

        print(report(where))
    print(f"done in {time.time() - t0:.0f} s")
    return 0
