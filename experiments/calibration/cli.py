"""Command line: ``python -m experiments.calibration calibrate|select|noise|profile|validate|patterns|project|report|all [--out DIR]``.

- ``calibrate [--reps R] [--popsize P] [--maxiter G] [--polish N] [--workers W] [--no-write] [--calendar S]
  [--start FILE]``: the calibration (defaults: 6 replications, popsize 18, 19 generations after the initial one,
  80 polish evaluations, 2 workers: 5,120 evaluations); prints evaluations per second after each generation.
  ``--start`` puts an earlier fit's point (its calibration.json) in the initial population instead of the defaults.
- ``noise [--reps R] [--workers W] [--at default|best] [--set NAME=VALUE ...]``: s.e. of the replication mean of every target
  against its tolerance (rule: s.e. < tolerance / 2); ``noise.csv``.
- ``select [--points N] [--reps R] [--workers W] [--no-write]``: the fit's result and the N best distinct points of
  its cache re-evaluated on R independent selection seeds; the best there is installed (``selection.csv``).
- ``profile [--points N] [--reps R] [--workers W]``: profiles of each free parameter from the best point and
  which are identified; ``profile.csv``, ``profile_verdict.csv``, ``profile.html``.
- ``validate``, ``patterns``, ``project``, ``report``, ``all``: see docs/validation.md.

From a source checkout the results go to results/calibration/ and the calibrated scenario and the
validation page to the checkout's own files; ``--out DIR`` puts everything under DIR (required
when the package is installed). See :mod:`experiments.calibration.paths`.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from abm.resources import NoCheckoutError


def _at_least(flag: str, low: int) -> Callable[[str], int]:
    """Argparse type: an integer >= low (argparse names the option in its error; the message gives value and range)."""

    def parse(text: str) -> int:
        try:
            v = int(text)
        except ValueError:
            v = None
        if v is None or v < low:
            raise argparse.ArgumentTypeError(f"value {text!r} of {flag} is not allowed; allowed: an integer >= {low}")
        return v

    return parse


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
    c.add_argument("--reps", type=_at_least("--reps", 1), default=None, help="replications per evaluation (default 6)")
    c.add_argument(
        "--popsize", type=_at_least("--popsize", 1), default=None, help="DE population per free parameter (default 18)"
    )
    c.add_argument(
        "--maxiter",
        type=_at_least("--maxiter", 0),
        default=None,
        help="differential-evolution generations after the initial population (default 19)",
    )
    c.add_argument(
        "--polish", type=_at_least("--polish", 0), default=None, help="Nelder-Mead evaluations after DE (default 80)"
    )
    c.add_argument("--workers", type=_at_least("--workers", 1), default=None, help="processes (default 2)")
    c.add_argument("--no-write", action="store_true", help="do not write the scenario file")
    c.add_argument(
        "--calendar",
        default=None,
        metavar="SCENARIO",
        help="run every evaluation on this scenario's dated policy inputs, e.g. policy_calendar (default: none, "
        "the 2015 settings held)",
    )
    c.add_argument(
        "--start",
        default=None,
        metavar="FILE",
        help="an earlier fit's calibration.json: its free parameters replace the defaults in the initial "
        "population (default: the defaults)",
    )
    n = sub.add_parser("noise", parents=[common], help="s.e. of each target's replication mean against its tolerance")
    n.add_argument("--reps", type=_at_least("--reps", 2), default=12, help="replications (default 12)")
    n.add_argument("--workers", type=_at_least("--workers", 1), default=2, help="processes (default 2)")
    n.add_argument(
        "--at",
        choices=("default", "best"),
        default="default",
        help="the point: free parameters at their table defaults, or the calibrated point (calibration.json)",
    )
    n.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a free parameter at the point (repeatable), e.g. --set transfer_rate=0.15",
    )
    se = sub.add_parser(
        "select", parents=[common], help="choose among the fit's best points on independent seeds; install the best"
    )
    se.add_argument(
        "--points", type=_at_least("--points", 0), default=12, help="best distinct cache points besides the fit's (12)"
    )
    se.add_argument("--reps", type=_at_least("--reps", 2), default=16, help="selection seeds (default 16)")
    se.add_argument("--workers", type=_at_least("--workers", 1), default=2, help="processes (default 2)")
    se.add_argument("--no-write", action="store_true", help="do not write the scenario file")
    pf = sub.add_parser("profile", parents=[common], help="profile each free parameter from the best point")
    pf.add_argument("--points", type=_at_least("--points", 3), default=9, help="points per parameter (default 9)")
    pf.add_argument("--reps", type=_at_least("--reps", 1), default=None, help="replications (default: calibration's)")
    pf.add_argument("--workers", type=_at_least("--workers", 1), default=None, help="processes (default 2)")
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
    from experiments.pools import exit_on_sigterm

    exit_on_sigterm()  # a stopped run shuts its worker processes down (and keeps its cached evaluations)
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
            cfg.popsize = args.popsize or cfg.popsize
            cfg.maxiter = cfg.maxiter if args.maxiter is None else args.maxiter
            cfg.polish_maxfev = cfg.polish_maxfev if args.polish is None else args.polish
            cfg.workers = args.workers or cfg.workers
            if args.calendar is not None:
                from abm import list_scenarios

                if args.calendar not in list_scenarios():
                    print(
                        f"python -m experiments.calibration calibrate: --calendar: value {args.calendar!r} is not "
                        f"allowed; allowed: a shipped scenario name ({', '.join(list_scenarios())})",
                        file=sys.stderr,
                    )
                    return 2
                cfg.calendar = args.calendar
            if args.start is not None:
                from experiments.calibration.calibrate import start_point

                try:
                    start_point(args.start)
                except ValueError as err:
                    print(f"python -m experiments.calibration calibrate: --{err}", file=sys.stderr)
                    return 2
                cfg.start = args.start
        from experiments.calibration.calibrate import CacheMismatchError, evaluation_inputs

        try:
            evaluation_inputs({}, cfg)  # a calendar that schedules a free parameter is refused here
        except ValueError as err:
            print(f"python -m experiments.calibration {args.command}: --calendar: {err}", file=sys.stderr)
            return 2
        try:
            rec = calibrate(cfg, where, write=not getattr(args, "no_write", False))
        except CacheMismatchError as err:
            print(f"python -m experiments.calibration {args.command}: {err}", file=sys.stderr)
            return 2
        print(
            f"objective J = {rec['objective']:.4f} (defaults {rec['objective_defaults']:.4f}); "
            f"{rec['evals_per_second']:.3f} evaluations/s"
        )
    if args.command == "noise":
        from experiments.calibration.identify import best_config, best_point, default_point, noise, parse_settings

        params = best_point(where)[0] if args.at == "best" else default_point()
        try:
            params.update(parse_settings(args.set))
        except ValueError as err:
            print(f"python -m experiments.calibration noise: {err}", file=sys.stderr)
            return 2
        tab = noise(args.reps, args.workers, params, cfg=best_config(where) if args.at == "best" else None)
        where.results.mkdir(parents=True, exist_ok=True)
        tab.to_csv(where.results / "noise.csv", index=False)
        print(tab.to_string(index=False, float_format=lambda x: f"{x:.4g}"))
        print(
            f"{int(tab['ok'].sum())} of {len(tab)} targets with s.e. < tolerance / 2 at {args.reps} replications; "
            f"replications every target needs by that rule: {int(tab['reps_needed'].max())}"
        )
    if args.command == "select":
        from experiments.calibration.select import SelectionError, select
        from experiments.calibration.targets import FREE

        try:
            tab = select(args.points, args.reps, args.workers, where, write=not args.no_write)
        except SelectionError as err:
            print(f"python -m experiments.calibration select: {err}", file=sys.stderr)
            return 2
        print(tab.drop(columns=[f.name for f in FREE]).to_string(index=False, float_format=lambda x: f"{x:.4f}"))
        row = tab[tab["chosen"]].iloc[0]
        print(f"chosen: {row['label']} (J {row['J_selection']:.4f} on {args.reps} selection seeds)")
    if args.command == "profile":
        from experiments.calibration.identify import best_config, profile, with_reps

        cfg = with_reps(best_config(where), args.reps, args.workers)
        _, verdict, origin = profile(where, args.points, cfg)
        print(f"profiles from {origin}, {cfg.reps} replications, {args.points} points per parameter")
        print(verdict.to_string(index=False, float_format=lambda x: f"{x:.4g}"))
        bad = verdict.loc[~verdict["identified"], "parameter"].tolist()
        print("not identified: " + (", ".join(bad) if bad else "none"))
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
            f"Calibrated baseline (abm/data/scenarios/baseline_calibrated.toml) on the policy calendar (calendar_calibrated), "
            f"current model: {args.reps} runs "
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
