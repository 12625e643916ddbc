"""Command line: ``python -m experiments <command> <spec> [options]``.

Commands: list, columns, check, plan, run, status, collect, analyze, report, advise.
<spec> is a TOML path or the name of a shipped spec in experiments/specs/.
Exit codes: 0 fine, 1 cannot do it (missing runs, changed spec or code, ...), 2 bad spec, option,
file or folder (a message names the value and what is allowed; nothing is written), 3 the sweep
finished but some runs failed.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.analysis import AnalysisError, advise, analyze
from experiments.plan import plan
from experiments.runner import (
    ExperimentError,
    atomic_write_bytes,
    collect,
    output_dir,
    run_experiment,
    run_options,
    status,
)
from experiments.spec import LIMITS, SPEC_DIR, InputError, Spec, SpecError, load_spec, suggest, yearly_columns


def _print_table(df: pd.DataFrame, limit: int = 60) -> None:
    with pd.option_context("display.width", 200, "display.max_columns", 30, "display.float_format", "{:.4g}".format):
        print(df.head(limit).to_string(index=False))
        if len(df) > limit:
            print(f"... {len(df) - limit} more rows")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m experiments", description="Headless batch experiments (docs/experiments.md)."
    )
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list the shipped specs")
    sub.add_parser("columns", help="list the model's yearly columns (usable as metrics)")

    def cmd(name: str, help_: str) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=help_)
        c.add_argument("spec", help="spec file or shipped spec name")
        c.add_argument("--out", help="results folder (default results/<spec name>)")
        return c

    cmd("check", "validate a spec and say what it would run")
    c = cmd("plan", "expand a spec into its run table (deterministic)")
    c.add_argument("--write", help="write the run table to this .csv or .parquet file")
    c = cmd("run", "run or resume an experiment")
    c.add_argument("--executor", choices=["serial", "process", "dask"], help="override execution.executor")
    c.add_argument("--workers", type=int, help="worker count (0 = all cores)")
    c.add_argument("--address", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    c.add_argument("--timeout", type=float, help="time limit of one run in seconds (default execution.timeout)")
    c.add_argument(
        "--force",
        action="store_true",
        help="accept a changed spec or code; keep finished runs whose inputs and code are unchanged",
    )
    c.add_argument(
        "--restart", action="store_true", help="delete the earlier results and tables of this experiment and start over"
    )
    c.add_argument("--quiet", action="store_true", help="no progress bar")
    c.add_argument("--report", action="store_true", help="write the HTML report when the sweep is done")
    c = cmd("status", "done, failed and remaining runs")
    c.add_argument("--json", action="store_true")
    stale_help = "read results made for another spec or by other code (refused by default; the report says so)"
    c = cmd("collect", "one table of all finished runs (summary.parquet, series.parquet)")
    c.add_argument("--csv", action="store_true", help="also write summary.csv and series.csv")
    c.add_argument("--accept-stale", action="store_true", help=stale_help)
    c = cmd("analyze", "means, CIs, paired differences, Sobol'/Morris indices")
    c.add_argument("--partial", action="store_true", help="analyse although runs are missing (not for Sobol'/Morris)")
    c.add_argument("--accept-stale", action="store_true", help=stale_help)
    c = cmd("report", "write the HTML report with charts, tables, spec and provenance")
    c.add_argument("--partial", action="store_true")
    c.add_argument("--no-png", action="store_true", help="skip PNG export (faster)")
    c.add_argument("--accept-stale", action="store_true", help=stale_help)
    c = cmd("advise", "pilot runs, then the replications a wanted CI half-width needs")
    c.add_argument("--pilot", type=int, help="pilot replications (default advisor.pilot or 10)")
    c.add_argument(
        "--half-width",
        action="append",
        default=[],
        metavar="METRIC=H",
        help="wanted absolute 95%% CI half-width of a metric (repeatable)",
    )
    c.add_argument("--relative", type=float, help="wanted half-width as a share of the mean (default 0.05)")
    c.add_argument("--executor", choices=["serial", "process", "dask"])
    c.add_argument("--workers", type=int)
    c.add_argument("--timeout", type=float, help="time limit of one run in seconds (default execution.timeout)")
    c.add_argument("--quiet", action="store_true")
    return p


def _option(name: str, value: Any, limit: str) -> None:
    """Raise InputError if a command-line number is outside its allowed range (the spec's range)."""
    problem = LIMITS[limit].problem(value)
    if problem:
        raise InputError(f"{name} {problem}; allowed: {LIMITS[limit].allowed}")


def _half_widths(spec: Spec, items: list[str]) -> dict[str, float]:
    """Parse --half-width METRIC=H options into {metric: h}."""
    names = [m.name for m in spec.summary]
    out = {}
    for item in items:
        name, eq, value = item.partition("=")
        if name not in names:
            raise InputError(
                f"--half-width {item}: '{name}' is not a summary metric{suggest(name, names)}; "
                f"allowed: {', '.join(names)}"
            )
        try:
            h = float(value) if eq else math.nan
        except ValueError:
            h = math.nan
        if not (math.isfinite(h) and h > 0):
            raise InputError(
                f"--half-width {item}: {value!r} is not a positive number; allowed: METRIC=H with H a positive number"
            )
        out[name] = h
    return out


def _check_options(args: argparse.Namespace, spec: Spec) -> None:
    """Every option checked before anything runs or is written."""
    if args.command in ("run", "advise"):
        run_options(spec, args.executor, args.workers, getattr(args, "address", None), args.timeout, prefix="--")
    if args.command == "advise":
        if args.pilot is not None:
            _option("--pilot", args.pilot, "pilot")
        if args.relative is not None:
            _option("--relative", args.relative, "relative")
        _half_widths(spec, args.half_width)
    if args.command == "plan" and args.write and not args.write.endswith((".csv", ".parquet")):
        raise InputError(f"--write {args.write}: unknown file type; allowed: a .csv or .parquet file name")
    if args.command in ("collect", "analyze", "report", "status") and args.out and Path(args.out).is_file():
        raise InputError(f"--out {args.out}: is a file; allowed: an experiment's results folder")


# --- one function per command ------------------------------------------------------------------------
def _cmd_check(args: argparse.Namespace, spec: Spec) -> int:
    print(
        f"{spec.path}: valid. {spec.name}: {spec.n_points} design point(s) x {len(spec.scenarios)} scenario(s) "
        f"x {spec.replications} replications = {spec.n_runs} runs of {spec.years} years -> {output_dir(spec, args.out)}"
    )
    return 0


def _cmd_plan(args: argparse.Namespace, spec: Spec) -> int:
    table = plan(spec)
    if args.write:
        path = Path(args.write)
        if not path.parent.is_dir():
            raise InputError(
                f"--write {args.write}: folder {path.parent} does not exist; allowed: a file in an existing folder"
            )
        data = table.to_parquet(index=False) if args.write.endswith(".parquet") else table.to_csv(index=False).encode()
        atomic_write_bytes(path, data)
        print(f"wrote {len(table)} runs to {args.write}")
    _print_table(table.drop(columns=["params_json", "schedule_json"]), 20)
    print(f"{len(table)} runs")
    return 0


def _cmd_run(args: argparse.Namespace, spec: Spec) -> int:
    result = run_experiment(
        spec,
        out=args.out,
        executor=args.executor,
        workers=args.workers,
        address=args.address,
        force=args.force,
        restart=args.restart,
        progress=not args.quiet,
        timeout=args.timeout,
    )
    print(result.text())
    if args.report:
        from experiments.report import make_report

        print(f"report: {make_report(spec, out=args.out, partial=result.failed > 0)}")
    return 3 if result.failed else 0


def _cmd_status(args: argparse.Namespace, spec: Spec) -> int:
    st = status(spec, out=args.out)
    if args.json:
        print(json.dumps(st, indent=2, default=str))
        return 0
    print(
        f"{st['out']}: {st['done']} done, {st['failed']} failed, {st['remaining']} remaining of {st['total']}"
        + ("  (SPEC CHANGED since these results were started)" if st["spec_changed"] else "")
        + ("  (CODE CHANGED since these results were started)" if st["code_changed"] else "")
        + ("" if st["started"] else "  (not started)")
    )
    for run_id, err in st["failed_runs"].items():
        print(f"  failed {run_id}: {err}")
    return 0


def _cmd_collect(args: argparse.Namespace, spec: Spec) -> int:
    summary, series = collect(spec, out=args.out, accept_stale=args.accept_stale)
    root = output_dir(spec, args.out)
    if args.csv:
        atomic_write_bytes(root / "summary.csv", summary.to_csv(index=False).encode())
        if not series.empty:
            atomic_write_bytes(root / "series.csv", series.to_csv(index=False).encode())
    print(
        f"{root / 'summary.parquet'}: {len(summary)} runs x {summary.shape[1]} columns"
        + (f"; series.parquet: {len(series)} rows" if not series.empty else "")
    )
    return 0


def _cmd_analyze(args: argparse.Namespace, spec: Spec) -> int:
    summary, series = collect(spec, out=args.out, accept_stale=args.accept_stale)
    tables = analyze(spec, summary, series, partial=args.partial)
    adir = output_dir(spec, args.out) / "analysis"
    adir.mkdir(exist_ok=True)
    for name, table in tables.items():
        atomic_write_bytes(adir / f"{name}.csv", table.to_csv(index=False).encode())
        if name in ("summary", "differences", "sensitivity"):
            print(f"\n== {name} ==")
            _print_table(table.drop(columns=[c for c in ("reference",) if c in table]))
    print(f"\ntables written to {adir}/")
    return 0


def _cmd_report(args: argparse.Namespace, spec: Spec) -> int:
    from experiments.report import make_report

    print(make_report(spec, out=args.out, partial=args.partial, png=not args.no_png, accept_stale=args.accept_stale))
    return 0


def _cmd_advise(args: argparse.Namespace, spec: Spec) -> int:
    n = args.pilot or spec.advisor.get("pilot", 10)
    raw = copy.deepcopy(spec.raw)
    raw["experiment"]["replications"] = n
    pilot_spec = dataclasses.replace(spec, replications=n, raw=raw)
    out = Path(args.out) if args.out else Path(str(output_dir(spec)) + "-pilot")
    result = run_experiment(
        pilot_spec, out=out, executor=args.executor, workers=args.workers, progress=not args.quiet, timeout=args.timeout
    )
    print(result.text())
    summary, _ = collect(pilot_spec, out=out)
    hw = {**spec.advisor.get("half_width", {}), **_half_widths(spec, args.half_width)}
    rel = args.relative if args.relative is not None else spec.advisor.get("relative")
    table = advise(pilot_spec, summary, half_width=hw, relative=rel)
    _print_table(table)
    need = int(table["replications_needed"].max())
    print(
        f"\nreplications needed for every target: {need} (spec has {spec.replications}); "
        "-1 means the pilot s.d. is zero or undefined"
    )
    atomic_write_bytes(out / "advice.csv", table.to_csv(index=False).encode())
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Spec], int]] = {
    "check": _cmd_check,
    "plan": _cmd_plan,
    "run": _cmd_run,
    "status": _cmd_status,
    "collect": _cmd_collect,
    "analyze": _cmd_analyze,
    "report": _cmd_report,
    "advise": _cmd_advise,
}


def _without_spec(command: str) -> int:
    if command == "list":
        for path in sorted(SPEC_DIR.glob("*.toml")):
            print(f"{path.stem:28s} {load_spec(path).name}")
    else:
        print("\n".join(yearly_columns()))
    return 0


def _dispatch(args: argparse.Namespace) -> int:
    if args.command in ("list", "columns"):
        return _without_spec(args.command)
    spec = load_spec(args.spec)
    for w in spec.warnings:
        print(f"note: {w}", file=sys.stderr)
    _check_options(args, spec)
    return COMMANDS[args.command](args, spec)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except SpecError as err:
        print(f"spec error: {err}", file=sys.stderr)
        return 2
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except (ExperimentError, AnalysisError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except OSError as err:  # a full disk, a folder that cannot be written
        where = f"{err.filename}: " if err.filename else ""
        print(
            f"error: {where}{err.strerror or err}; nothing was left half-written (whole files only); "
            "free space or choose a writable --out and run the same command again",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
