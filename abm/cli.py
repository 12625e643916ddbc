"""Command-line interface: ``nis-abm`` or ``python -m abm``.

Examples::

    python -m abm run                                # baseline, 20 years, seed 1, table on screen
    python -m abm run --scenario funding_reform --years 16 --seed 7 --out runs/fr.parquet
    python -m abm run --set stable_share=0.5 --set scale=0.01 --out out.csv
    python -m abm scenarios                          # list shipped scenarios
    python -m abm params                             # the parameter table
    python -m abm columns                            # every output column with unit and meaning
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from abm import glossary
from abm.params import PARAMETERS, PARAMS_BY_NAME, ParameterError, parameter_table_markdown, suggest
from abm.scenarios import ScenarioError, list_scenarios, load_scenario


class CLIError(Exception):
    """A user error on the command line (exit code 2)."""


def _parse_value(name: str, text: str) -> Any:
    p = PARAMS_BY_NAME.get(name)
    if p is None:
        raise CLIError(f"--set: unknown parameter '{name}'{suggest(name, PARAMS_BY_NAME)}")
    if p.kind in ("choice", "fields", "components"):
        return text
    if p.kind == "bool":
        if text.lower() in ("true", "1", "yes"):
            return True
        if text.lower() in ("false", "0", "no"):
            return False
        raise CLIError(f"--set {name}: value {text!r} is not allowed; allowed: true or false")
    try:
        value = float(text.replace("_", ""))
    except ValueError:
        raise CLIError(f"--set {name}: value {text!r} is not a number; allowed: {p.allowed()}") from None
    if p.kind == "int":
        if not value.is_integer():
            raise CLIError(f"--set {name}: value {text!r} is not an integer; allowed: {p.allowed()}")
        return int(value)
    return value


def _overrides(pairs: list[str]) -> dict[str, Any]:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise CLIError(f"--set: expected NAME=VALUE, got {pair!r}")
        name, text = pair.split("=", 1)
        out[name.strip()] = _parse_value(name.strip(), text.strip())
    return out


def cmd_run(args: argparse.Namespace) -> int:
    """Run one scenario and write or print its yearly indicators."""
    from abm.model import InnovationModel

    overrides = _overrides(args.set or [])
    sc = load_scenario(args.scenario)
    years = args.years if args.years is not None else sc.years
    if years < 1 or years > 100:
        raise CLIError(f"--years: value {years} is not allowed; allowed: an integer in [1, 100]")
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix not in (".parquet", ".csv"):
        raise CLIError(f"--out: file {out} must end in .parquet or .csv")
    if args.snapshot and out is None:
        raise CLIError("--snapshot: needs --out (the snapshot is written beside the indicator file)")
    if args.snapshot and Path(args.snapshot).suffix not in (".parquet", ".csv"):
        raise CLIError(f"--snapshot: file {args.snapshot} must end in .parquet or .csv")
    t0 = time.perf_counter()
    model = InnovationModel.from_scenario(args.scenario, seed=args.seed, **overrides)
    n_steps = 4 * years
    bar = None
    show = not args.quiet and (args.progress or (args.progress is None and len(model.agents) * n_steps > 2_000_000))
    if show:
        from tqdm import tqdm

        bar = tqdm(total=n_steps, unit="quarter", desc=sc.key, file=sys.stderr)
    model.run(steps=n_steps, progress=(lambda _s: bar.update(1)) if bar else None)
    if bar:
        bar.close()
    table = model.quarterly() if args.quarterly else model.yearly()
    table.insert(0, "scenario", sc.key)
    table.insert(1, "seed", model.seed_value)
    elapsed = time.perf_counter() - t0
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        if out.suffix == ".parquet":
            table.to_parquet(tmp, index=False)
        else:
            table.to_csv(tmp, index=False)
        tmp.replace(out)
        if args.snapshot:
            snap = Path(args.snapshot)
            snap.parent.mkdir(parents=True, exist_ok=True)
            model.snapshot().to_csv(snap, index=False) if snap.suffix == ".csv" else model.snapshot().to_parquet(snap)
        if not args.quiet:
            print(f"wrote {len(table)} rows to {out} ({len(model.agents)} agents, {elapsed:.1f} s)", file=sys.stderr)
    else:
        groups = (
            glossary.quarterly_groups(table.drop(columns=["scenario", "seed"]))
            if args.quarterly
            else glossary.SUMMARY_GROUPS
        )
        print(
            f"{sc.name} | seed {model.seed_value} | scale {model.params['scale']} | "
            f"{len(model.agents):,} agents | {elapsed:.1f} s"
        )
        print(glossary.format_table(table, groups))
        print("columns and units: nis-abm columns")
    return 0


def cmd_columns(args: argparse.Namespace) -> int:
    """Print the column glossary (every output column with unit, kind and meaning)."""
    if args.markdown:
        print(glossary.markdown())
        return 0
    df = glossary.frame()
    if args.group:
        df = df[df["group"] == args.group]
        if df.empty:
            groups = ", ".join(dict.fromkeys(glossary.frame()["group"]))
            raise CLIError(f"--group: value {args.group!r} is not allowed; allowed: {groups}")
    for group, rows in df.groupby("group", sort=False):
        print(f"--- {group} " + "-" * max(0, 76 - len(group)))
        for _, c in rows.iterrows():
            print(f"{c['name']:34s} {c['unit']:26s} {c['kind']:6s} {c['meaning']}")
    return 0


def cmd_scenarios(_args: argparse.Namespace) -> int:
    """List shipped scenarios."""
    for name in list_scenarios():
        sc = load_scenario(name)
        print(f"{name:28s} {sc.name}")
        if sc.question:
            print(f"{'':28s} Q: {sc.question}")
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    """Print the parameter table."""
    if args.markdown:
        print(parameter_table_markdown())
        return 0
    for p in PARAMETERS:
        print(f"{p.name:28s} {p.default!r:>14} {p.unit:24s} {p.group:10s} {p.meaning}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser."""
    ap = argparse.ArgumentParser(prog="nis-abm", description="National innovation system ABM (China).")
    sub = ap.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="run a scenario headless")
    r.add_argument(
        "--scenario", default="baseline", help="scenario name (shipped in abm/data/scenarios) or a .toml path"
    )
    r.add_argument("--years", type=int, default=None, help="years to run (default: the scenario's)")
    r.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    r.add_argument("--scale", type=float, default=None, help="agents per real actor (shortcut for --set scale=...)")
    r.add_argument("--set", action="append", metavar="NAME=VALUE", help="override a parameter (repeatable)")
    r.add_argument("--out", help="write indicators to a .parquet or .csv file")
    r.add_argument("--snapshot", help="with --out: also write the final per-agent snapshot (.csv or .parquet)")
    r.add_argument("--quarterly", action="store_true", help="write quarterly rows instead of yearly")
    r.add_argument("--progress", action="store_true", default=None, help="always show a progress bar")
    r.add_argument("--quiet", action="store_true", help="print nothing but errors")
    r.set_defaults(func=cmd_run)
    c = sub.add_parser("columns", help="every output column with unit, kind and meaning")
    c.add_argument("--group", help="only one column group (a mechanism's name, 'ratios' or 'time')")
    c.add_argument("--markdown", action="store_true")
    c.set_defaults(func=cmd_columns)
    s = sub.add_parser("scenarios", help="list the shipped scenarios")
    s.set_defaults(func=cmd_scenarios)
    p = sub.add_parser("params", help="print the parameter table")
    p.add_argument("--markdown", action="store_true")
    p.set_defaults(func=cmd_params)
    return ap


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code (0 ok, 2 bad input)."""
    args = build_parser().parse_args(argv)
    if getattr(args, "scale", None) is not None:
        args.set = [*(args.set or []), f"scale={args.scale}"]
    try:
        return args.func(args)
    except (CLIError, ParameterError, ScenarioError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
