"""Command line: ``python -m experiments <command> <spec> [options]``.

Commands: list, columns, check, plan, run, status, collect, analyze, report, advise.
<spec> is a TOML path or the name of a shipped spec in experiments/specs/.
Exit codes: 0 fine, 1 cannot do it (missing runs, changed spec, ...), 2 bad spec or usage,
3 the sweep finished but some runs failed.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import sys
from pathlib import Path

import pandas as pd

from experiments.analysis import AnalysisError, advise, analyze
from experiments.plan import design_points, plan
from experiments.runner import ExperimentError, collect, output_dir, run_experiment, status
from experiments.spec import SPEC_DIR, SpecError, load_spec, yearly_columns


def _print_table(df: pd.DataFrame, limit: int = 60) -> None:
    with pd.option_context("display.width", 200, "display.max_columns", 30, "display.float_format", "{:.4g}".format):
        print(df.head(limit).to_string(index=False))
        if len(df) > limit:
            print(f"... {len(df) - limit} more rows")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m experiments", description="Headless batch experiments (docs/experiments.md).")
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
    c.add_argument("--force", action="store_true", help="accept a changed spec; keep finished runs whose inputs are unchanged")
    c.add_argument("--restart", action="store_true", help="delete earlier results and start over")
    c.add_argument("--quiet", action="store_true", help="no progress bar")
    c.add_argument("--report", action="store_true", help="write the HTML report when the sweep is done")
    c = cmd("status", "done, failed and remaining runs")
    c.add_argument("--json", action="store_true")
    c = cmd("collect", "one table of all finished runs (summary.parquet, series.parquet)")
    c.add_argument("--csv", action="store_true", help="also write summary.csv and series.csv")
    c = cmd("analyze", "means, CIs, paired differences, Sobol'/Morris indices")
    c.add_argument("--partial", action="store_true", help="analyse although runs are missing (not for Sobol'/Morris)")
    c = cmd("report", "write the HTML report with charts, tables, spec and provenance")
    c.add_argument("--partial", action="store_true")
    c.add_argument("--no-png", action="store_true", help="skip PNG export (faster)")
    c = cmd("advise", "pilot runs, then the replications a wanted CI half-width needs")
    c.add_argument("--pilot", type=int, help="pilot replications (default advisor.pilot or 10)")
    c.add_argument("--half-width", action="append", default=[], metavar="METRIC=H",
                   help="wanted absolute 95%% CI half-width of a metric (repeatable)")
    c.add_argument("--relative", type=float, help="wanted half-width as a share of the mean (default 0.05)")
    c.add_argument("--executor", choices=["serial", "process", "dask"])
    c.add_argument("--workers", type=int)
    c.add_argument("--quiet", action="store_true")
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "list":
            for path in sorted(SPEC_DIR.glob("*.toml")):
                spec = load_spec(path)
                print(f"{path.stem:28s} {spec.name}")
            return 0
        if args.command == "columns":
            print("\n".join(yearly_columns()))
            return 0
        spec = load_spec(args.spec)
        for w in spec.warnings:
            print(f"note: {w}", file=sys.stderr)
        if args.command == "check":
            n_points = len(design_points(spec))
            n = n_points * len(spec.scenarios) * spec.replications
            print(f"{spec.path}: valid. {spec.name}: {n_points} design point(s) x {len(spec.scenarios)} scenario(s) "
                  f"x {spec.replications} replications = {n} runs of {spec.years} years -> {output_dir(spec, args.out)}")
            return 0
        if args.command == "plan":
            table = plan(spec)
            if args.write:
                (table.to_parquet if args.write.endswith(".parquet") else table.to_csv)(args.write, index=False)
                print(f"wrote {len(table)} runs to {args.write}")
            _print_table(table.drop(columns=["params_json", "schedule_json"]), 20)
            print(f"{len(table)} runs")
            return 0
        if args.command == "run":
            result = run_experiment(spec, out=args.out, executor=args.executor, workers=args.workers,
                                    address=args.address, force=args.force, restart=args.restart,
                                    progress=not args.quiet)
            print(result.text())
            if args.report:
                from experiments.report import make_report

                print(f"report: {make_report(spec, out=args.out, partial=result.failed > 0)}")
            return 3 if result.failed else 0
        if args.command == "status":
            st = status(spec, out=args.out)
            if args.json:
                print(json.dumps(st, indent=2, default=str))
            else:
                print(f"{st['out']}: {st['done']} done, {st['failed']} failed, {st['remaining']} remaining of {st['total']}"
                      + ("  (SPEC CHANGED since these results were started)" if st["spec_changed"] else "")
                      + ("" if st["started"] else "  (not started)"))
                for run_id, err in st["failed_runs"].items():
                    print(f"  failed {run_id}: {err}")
            return 0
        if args.command == "collect":
            summary, series = collect(spec, out=args.out)
            root = output_dir(spec, args.out)
            if args.csv:
                summary.to_csv(root / "summary.csv", index=False)
                if not series.empty:
                    series.to_csv(root / "series.csv", index=False)
            print(f"{root / 'summary.parquet'}: {len(summary)} runs x {summary.shape[1]} columns"
                  + (f"; series.parquet: {len(series)} rows" if not series.empty else ""))
            return 0
        if args.command == "analyze":
            summary, series = collect(spec, out=args.out)
            tables = analyze(spec, summary, series, partial=args.partial)
            adir = output_dir(spec, args.out) / "analysis"
            adir.mkdir(exist_ok=True)
            for name, table in tables.items():
                table.to_csv(adir / f"{name}.csv", index=False)
                if name in ("summary", "differences", "sensitivity"):
                    print(f"\n== {name} ==")
                    _print_table(table.drop(columns=[c for c in ("reference",) if c in table]))
            print(f"\ntables written to {adir}/")
            return 0
        if args.command == "report":
            from experiments.report import make_report

            print(make_report(spec, out=args.out, partial=args.partial, png=not args.no_png))
            return 0
        if args.command == "advise":
            n = args.pilot or spec.advisor.get("pilot", 10)
            raw = copy.deepcopy(spec.raw)
            raw["experiment"]["replications"] = n
            pilot_spec = dataclasses.replace(spec, replications=n, raw=raw)
            out = Path(args.out) if args.out else Path(str(output_dir(spec)) + "-pilot")
            result = run_experiment(pilot_spec, out=out, executor=args.executor, workers=args.workers,
                                    progress=not args.quiet)
            print(result.text())
            summary, _ = collect(pilot_spec, out=out)
            hw = dict(spec.advisor.get("half_width", {}))
            for item in args.half_width:
                name, _, value = item.partition("=")
                if name not in {m.name for m in spec.summary}:
                    raise SpecError(f"--half-width {item}: '{name}' is not a summary metric; allowed: "
                                    + ", ".join(m.name for m in spec.summary))
                hw[name] = float(value)
            rel = args.relative if args.relative is not None else spec.advisor.get("relative")
            table = advise(pilot_spec, summary, half_width=hw, relative=rel)
            _print_table(table)
            need = int(table["replications_needed"].max())
            print(f"\nreplications needed for every target: {need} (spec has {spec.replications}); "
                  "-1 means the pilot s.d. is zero or undefined")
            table.to_csv(out / "advice.csv", index=False)
            return 0
    except SpecError as err:
        print(f"spec error: {err}", file=sys.stderr)
        return 2
    except (ExperimentError, AnalysisError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
