"""Experiment specs: TOML files that say what to run, validated before anything runs.

A spec::

    [experiment]
    name = "Funding reform vs baseline"
    description = "..."
    scenarios = ["baseline", "funding_reform"]   # names in abm/data/scenarios/ or paths to TOML files
    reference = "baseline"                      # scenario the paired differences are taken against
    replications = 30
    root_seed = 20260101
    years = 20                                  # default: the scenarios' own run length

    [fixed]                                     # parameters for every run (override scenario params)
    scale = 0.002

    [design]                                    # optional; without it there is one design point
    kind = "grid"                               # none, grid, lhs, sobol or morris
    [design.grid]                               # grid: parameter = [values]
    stable_share = [0.28, 0.4, 0.5]
    # lhs / sobol / morris: [design.ranges] parameter = [low, high] or "table" (the table's range)
    # samples = 64 (lhs: points; sobol: base N, a power of two; morris: trajectories)
    # levels = 4 (morris), second_order = false (sobol), seed = <int> (sampler seed; default root_seed)

    [metrics]
    summary = ["rd_intensity", "breakthroughs:sum"]   # column[:last|sum|mean|min|max|first|change]
    series = ["rd_intensity"]                         # yearly series kept per run

    [execution]                                 # how to run; may change between resumes
    executor = "process"                        # serial, process or dask
    workers = 0                                 # 0 = all cores
    address = ""                                # dask: scheduler address; empty = LocalCluster
    max_attempts = 3

Every mistake raises :class:`SpecError` naming the file, the key and what is allowed.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import math
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from abm.resources import shipped_path

SPEC_DIR = shipped_path("experiments", "specs")  # ships in this package

DESIGN_KINDS = ("none", "grid", "lhs", "sobol", "morris")
EXECUTORS = ("serial", "process", "dask")
AGGREGATIONS = ("last", "sum", "mean", "min", "max", "first", "change")
#: Columns of the run tables; a metric may not take one of these names.
RESERVED_COLUMNS = frozenset(
    {
        "run_id", "run_index", "point", "replication", "scenario", "seed", "years", "task_hash", "status",
        "attempts", "model_seconds", "run_seconds", "worker", "finished_at", "abm_version", "abm_source_hash",
        "git_commit", "spec_hash", "params_json", "schedule_json", "year", "experiment",
    }
)

_SECTIONS: dict[str, dict[str, Any]] = {
    "experiment": {
        "name": str, "description": str, "scenarios": list, "reference": str, "replications": int,
        "root_seed": int, "years": int, "output": str,
    },
    "fixed": {},  # parameter names, checked against the parameter table
    "design": {
        "kind": str, "grid": dict, "ranges": dict, "samples": int, "levels": int, "second_order": bool,
        "seed": int,
    },
    "metrics": {"summary": list, "series": list},
    "execution": {"executor": str, "workers": int, "address": str, "max_attempts": int},
    "advisor": {"pilot": int, "half_width": dict, "relative": float},
}
_REQUIRED = {"experiment": ("name", "scenarios", "replications", "root_seed"), "metrics": ()}
_TYPE_WORDS = {str: "a string", int: "an integer", list: "an array", dict: "a table", bool: "true or false",
               float: "a number"}


class SpecError(ValueError):
    """An experiment spec is missing, unreadable or invalid."""


@dataclass(frozen=True)
class Metric:
    """One end-of-run summary: a yearly column reduced over the run's years."""

    column: str
    agg: str

    @property
    def name(self) -> str:
        """Column name in the results table."""
        return self.column if self.agg == "last" else f"{self.column}_{self.agg}"


@dataclass
class ScenarioRef:
    """A scenario as used by an experiment: its key, parameters and schedule."""

    key: str
    name: str
    params: dict[str, Any]
    schedule: list[dict[str, Any]]
    years: int
    path: str


@dataclass
class Spec:
    """A validated experiment spec."""

    path: Path
    text: str
    raw: dict[str, Any]
    name: str
    description: str
    scenarios: list[ScenarioRef]
    reference: str
    replications: int
    root_seed: int
    years: int
    fixed: dict[str, Any]
    design_kind: str
    grid: dict[str, list[Any]]
    ranges: dict[str, tuple[float, float]]
    samples: int
    levels: int
    second_order: bool
    design_seed: int
    summary: list[Metric]
    series: list[str]
    executor: str = "process"
    workers: int = 0
    address: str = ""
    max_attempts: int = 3
    advisor: dict[str, Any] = field(default_factory=dict)
    output: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def stem(self) -> str:
        """File stem of the spec (the default results folder name)."""
        return self.path.stem

    def identity(self) -> dict[str, Any]:
        """Everything that decides the runs' results (not how they are executed), as plain data."""
        raw = copy.deepcopy(self.raw)
        for section in ("execution", "advisor"):
            raw.pop(section, None)
        raw.get("experiment", {}).pop("output", None)
        raw.get("experiment", {}).pop("description", None)
        return {
            "spec": raw,
            "scenarios": [
                {"key": s.key, "params": s.params, "schedule": s.schedule} for s in self.scenarios
            ],
            "years": self.years,
        }


def canonical_json(obj: Any) -> str:
    """JSON with sorted keys and no spaces: the input of every hash here."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str)


def sha256(obj: Any) -> str:
    """SHA-256 of an object's canonical JSON."""
    return hashlib.sha256(canonical_json(obj).encode()).hexdigest()


def resolve_spec_path(name_or_path: str | os.PathLike[str]) -> Path:
    """A spec path, or the name of a shipped spec (experiments/specs/<name>.toml)."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    shipped = SPEC_DIR / f"{name_or_path}.toml"
    if path.suffix != ".toml" and shipped.is_file():
        return shipped
    names = ", ".join(sorted(p.stem for p in SPEC_DIR.glob("*.toml")))
    raise SpecError(f"spec '{name_or_path}': no such file; shipped specs: {names}")


def yearly_columns() -> list[str]:
    """Columns of the model's yearly table, from the mechanisms' declarations (no model is built)."""
    from abm.glossary import yearly_columns as declared

    return declared()


def _fail(where: str, key: str, problem: str, allowed: str = "") -> SpecError:
    tail = f"; allowed: {allowed}" if allowed else ""
    return SpecError(f"{where}: key '{key}' {problem}{tail}")


def _check_type(where: str, key: str, value: Any, typ: type) -> None:
    ok = isinstance(value, typ) and not (typ in (int, float) and isinstance(value, bool))
    if typ is float and isinstance(value, int) and not isinstance(value, bool):
        ok = True
    if not ok:
        raise _fail(where, key, f"must be {_TYPE_WORDS[typ]}, got {value!r}")


def _suggest(name: str, options: Any) -> str:
    close = difflib.get_close_matches(name, list(options), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def load_spec(name_or_path: str | os.PathLike[str]) -> Spec:
    """Load and validate a spec; raise SpecError naming the key and what is allowed.

    Args:
        name_or_path: Path to a TOML file or the name of a shipped spec.

    Returns:
        The validated spec.

    Raises:
        SpecError: The file is missing, not TOML, or any key is unknown, missing or invalid.
    """
    from abm import ParameterError, ScenarioError, load_scenario
    from abm.params import PARAMS_BY_NAME, validate_params

    path = resolve_spec_path(name_or_path)
    where = str(path)
    text = path.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise SpecError(f"{where}: not valid TOML: {err}") from None

    # --- sections and keys -----------------------------------------------------------------------
    for section, value in raw.items():
        if section not in _SECTIONS:
            raise SpecError(
                f"{where}: unknown section [{section}]{_suggest(section, _SECTIONS)}; allowed: {', '.join(_SECTIONS)}"
            )
        if not isinstance(value, dict):
            raise SpecError(f"{where}: '{section}' must be a table ([{section}])")
        keys = _SECTIONS[section]
        if section == "fixed":
            continue
        for key, v in value.items():
            if key not in keys:
                raise _fail(where, f"{section}.{key}", f"is unknown{_suggest(key, keys)}", ", ".join(keys))
            _check_type(where, f"{section}.{key}", v, keys[key])
    for section, required in _REQUIRED.items():
        if section not in raw:
            raise SpecError(f"{where}: missing section [{section}]")
        for key in required:
            if key not in raw[section]:
                raise _fail(where, f"{section}.{key}", "is missing")

    exp = raw["experiment"]
    name = exp["name"]
    replications = exp["replications"]
    if not 1 <= replications <= 100_000:
        raise _fail(where, "experiment.replications", f"= {replications} is out of range", "an integer in [1, 100000]")
    root_seed = exp["root_seed"]
    if root_seed < 0:
        raise _fail(where, "experiment.root_seed", f"= {root_seed} is negative", "an integer >= 0")

    # --- scenarios -------------------------------------------------------------------------------
    if not exp["scenarios"]:
        raise _fail(where, "experiment.scenarios", "is empty", "a list of scenario names or TOML paths")
    scenarios: list[ScenarioRef] = []
    for i, item in enumerate(exp["scenarios"]):
        if not isinstance(item, str):
            raise _fail(where, f"experiment.scenarios[{i}]", f"must be a string, got {item!r}")
        candidate = path.parent / item if item.endswith(".toml") else None
        try:
            sc = load_scenario(candidate if candidate is not None and candidate.is_file() else item)
        except ScenarioError as err:
            raise _fail(where, f"experiment.scenarios[{i}]", f"= '{item}' cannot be loaded: {err}") from None
        key = sc.key
        if any(s.key == key for s in scenarios):
            raise _fail(where, f"experiment.scenarios[{i}]", f"repeats scenario '{key}'", "each scenario once")
        schedule = [dict(s) for s in sc.schedule]
        scenarios.append(ScenarioRef(key, sc.name, dict(sc.params), schedule, sc.years, str(sc.path)))
    keys = [s.key for s in scenarios]
    reference = exp.get("reference", keys[0])
    if reference not in keys:
        raise _fail(where, "experiment.reference", f"= '{reference}' is not one of the scenarios", ", ".join(keys))

    if "years" in exp:
        years = exp["years"]
        if not 1 <= years <= 100:
            raise _fail(where, "experiment.years", f"= {years} is out of range", "an integer in [1, 100]")
    else:
        lengths = {s.years for s in scenarios}
        if len(lengths) > 1:
            raise _fail(where, "experiment.years", "is missing and the scenarios differ in length", "an integer in [1, 100]")
        years = lengths.pop()

    # --- fixed parameters ------------------------------------------------------------------------
    fixed_raw = raw.get("fixed", {})
    for pname, value in fixed_raw.items():
        if pname not in PARAMS_BY_NAME:
            raise _fail(where, f"fixed.{pname}", f"is not a model parameter{_suggest(pname, PARAMS_BY_NAME)}")
        try:
            PARAMS_BY_NAME[pname].validate(value)
        except ParameterError as err:
            raise _fail(where, f"fixed.{pname}", f"= {value!r} is not allowed: {err}") from None
    fixed = {k: PARAMS_BY_NAME[k].validate(v) for k, v in fixed_raw.items()}

    # --- design ----------------------------------------------------------------------------------
    design = raw.get("design", {})
    kind = design.get("kind", "none" if not design else "")
    if kind not in DESIGN_KINDS:
        raise _fail(where, "design.kind", f"= {kind!r} is not allowed{_suggest(kind, DESIGN_KINDS)}", ", ".join(DESIGN_KINDS))
    grid: dict[str, list[Any]] = {}
    ranges: dict[str, tuple[float, float]] = {}
    samplers = ("lhs", "sobol", "morris")
    allowed_keys = {"none": {"kind"}, "grid": {"kind", "grid"}, "lhs": {"kind", "ranges", "samples", "seed"},
                    "sobol": {"kind", "ranges", "samples", "second_order", "seed"},
                    "morris": {"kind", "ranges", "samples", "levels", "seed"}}[kind]
    for key in design:
        if key not in allowed_keys:
            raise _fail(where, f"design.{key}", f"does not apply to design.kind = '{kind}'", ", ".join(sorted(allowed_keys)))
    if kind == "grid":
        if not design.get("grid"):
            raise _fail(where, "design.grid", "is missing or empty", "a table of parameter = [values]")
        for pname, values in design["grid"].items():
            k = f"design.grid.{pname}"
            if pname not in PARAMS_BY_NAME:
                raise _fail(where, k, f"is not a model parameter{_suggest(pname, PARAMS_BY_NAME)}")
            if not isinstance(values, list) or not values:
                raise _fail(where, k, f"must be a non-empty array of values, got {values!r}")
            checked = []
            for v in values:
                try:
                    checked.append(PARAMS_BY_NAME[pname].validate(v))
                except ParameterError as err:
                    raise _fail(where, k, f"has a value {v!r} that is not allowed: {err}") from None
            if len(set(map(repr, checked))) != len(checked):
                raise _fail(where, k, "repeats a value", "distinct values")
            grid[pname] = checked
    if kind in samplers:
        if not design.get("ranges"):
            raise _fail(where, "design.ranges", "is missing or empty", "a table of parameter = [low, high] or \"table\"")
        for pname, rng in design["ranges"].items():
            k = f"design.ranges.{pname}"
            if pname not in PARAMS_BY_NAME:
                raise _fail(where, k, f"is not a model parameter{_suggest(pname, PARAMS_BY_NAME)}")
            p = PARAMS_BY_NAME[pname]
            if p.kind not in ("float", "int"):
                raise _fail(where, k, f"names a {p.kind} parameter, which a sampler cannot vary", "numeric parameters (use kind = \"grid\" for choices)")
            if rng == "table":
                lo, hi = float(p.low), float(p.high)
            elif (isinstance(rng, list) and len(rng) == 2
                  and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in rng)):
                lo, hi = float(rng[0]), float(rng[1])
            else:
                raise _fail(where, k, f"= {rng!r} is not a range", "[low, high] or \"table\"")
            if not lo < hi:
                raise _fail(where, k, f"= [{lo:g}, {hi:g}] has low >= high", "low < high")
            if lo < p.low or hi > p.high:
                raise _fail(where, k, f"= [{lo:g}, {hi:g}] leaves the parameter's range", f"within [{p.low:g}, {p.high:g}] [{p.unit}]")
            ranges[pname] = (lo, hi)
        if "samples" not in design:
            raise _fail(where, "design.samples", "is missing", "a positive integer")
    samples = design.get("samples", 0)
    if kind in samplers and not 1 <= samples <= 1_000_000:
        raise _fail(where, "design.samples", f"= {samples} is out of range", "an integer in [1, 1000000]")
    if kind == "sobol" and (samples < 2 or samples & (samples - 1)):
        raise _fail(where, "design.samples", f"= {samples} is not a power of two (Sobol' sequences need one)", "2, 4, 8, 16, ...")
    if kind in ("sobol", "morris") and len(ranges) < 2:
        raise _fail(where, "design.ranges", f"has {len(ranges)} parameter; {kind} indices need at least 2", "two or more parameters")
    levels = design.get("levels", 4)
    if kind == "morris" and (levels < 2 or levels % 2):
        raise _fail(where, "design.levels", f"= {levels} is not allowed", "an even integer >= 2")
    design_seed = design.get("seed", root_seed)
    varied = set(grid) | set(ranges)
    both = varied & set(fixed)
    if both:
        n = sorted(both)[0]
        raise _fail(where, f"fixed.{n}", "is also varied in [design]", "a parameter either fixed or varied")

    # --- every run's parameters must be valid together -----------------------------------------------
    for s in scenarios:
        try:
            validate_params({**s.params, **fixed})
        except ParameterError as err:
            raise SpecError(f"{where}: scenario '{s.key}' with [fixed]: {err}") from None
    warnings = []
    for s in scenarios:
        scheduled = {e["param"] for e in s.schedule}
        for n in sorted(scheduled & (varied | set(fixed))):
            warnings.append(f"scenario '{s.key}' changes '{n}' by its schedule: the experiment's value holds only until then")

    # --- metrics ---------------------------------------------------------------------------------
    met = raw["metrics"]
    summary_raw = met.get("summary", [])
    series = met.get("series", [])
    if not summary_raw and not series:
        raise _fail(where, "metrics.summary", "and 'metrics.series' are both empty", "at least one metric")
    columns = yearly_columns()
    summary: list[Metric] = []
    for i, item in enumerate(summary_raw):
        k = f"metrics.summary[{i}]"
        if not isinstance(item, str):
            raise _fail(where, k, f"must be a string 'column' or 'column:aggregation', got {item!r}")
        col, _, agg = item.partition(":")
        agg = agg or "last"
        if col not in columns:
            raise _fail(where, k, f"= '{item}': '{col}' is not a column of model.yearly(){_suggest(col, columns)}",
                        "see `python -m experiments columns`")
        if agg not in AGGREGATIONS:
            raise _fail(where, k, f"= '{item}': unknown aggregation '{agg}'", ", ".join(AGGREGATIONS))
        m = Metric(col, agg)
        if m.name in RESERVED_COLUMNS or m.name.startswith("param_"):
            raise _fail(where, k, f"= '{item}' would make a column named '{m.name}', which the run table uses")
        if any(x.name == m.name for x in summary):
            raise _fail(where, k, f"= '{item}' repeats a metric", "each metric once")
        summary.append(m)
    for i, col in enumerate(series):
        k = f"metrics.series[{i}]"
        if not isinstance(col, str) or col not in columns:
            raise _fail(where, k, f"= {col!r} is not a column of model.yearly(){_suggest(str(col), columns)}",
                        "see `python -m experiments columns`")
        if col == "year":
            raise _fail(where, k, "= 'year' is always kept")
    if len(set(series)) != len(series):
        raise _fail(where, "metrics.series", "repeats a column", "each column once")

    # --- execution -------------------------------------------------------------------------------
    ex = raw.get("execution", {})
    executor = ex.get("executor", "process")
    if executor not in EXECUTORS:
        raise _fail(where, "execution.executor", f"= {executor!r} is not allowed{_suggest(executor, EXECUTORS)}", ", ".join(EXECUTORS))
    workers = ex.get("workers", 0)
    if not 0 <= workers <= 4096:
        raise _fail(where, "execution.workers", f"= {workers} is out of range", "0 (all cores) or a positive integer")
    max_attempts = ex.get("max_attempts", 3)
    if not 1 <= max_attempts <= 20:
        raise _fail(where, "execution.max_attempts", f"= {max_attempts} is out of range", "an integer in [1, 20]")
    address = ex.get("address", "")
    if address and executor != "dask":
        raise _fail(where, "execution.address", "is only used with executor = \"dask\"")

    adv = raw.get("advisor", {})
    if "pilot" in adv and not 3 <= adv["pilot"] <= 10_000:
        raise _fail(where, "advisor.pilot", f"= {adv['pilot']} is out of range", "an integer in [3, 10000]")
    for mname, hw in adv.get("half_width", {}).items():
        if mname not in {m.name for m in summary}:
            raise _fail(where, f"advisor.half_width.{mname}", "is not a summary metric", ", ".join(m.name for m in summary))
        if isinstance(hw, bool) or not isinstance(hw, (int, float)) or not hw > 0 or not math.isfinite(hw):
            raise _fail(where, f"advisor.half_width.{mname}", f"= {hw!r} is not allowed", "a positive number")
    if "relative" in adv and not 0 < adv["relative"] < 10:
        raise _fail(where, "advisor.relative", f"= {adv['relative']} is out of range", "a number in (0, 10)")

    return Spec(
        path=path, text=text, raw=raw, name=name, description=exp.get("description", ""), scenarios=scenarios,
        reference=reference, replications=replications, root_seed=root_seed, years=years, fixed=fixed,
        design_kind=kind, grid=grid, ranges=ranges, samples=samples, levels=levels,
        second_order=design.get("second_order", False), design_seed=design_seed, summary=summary, series=series,
        executor=executor, workers=workers, address=address, max_attempts=max_attempts, advisor=adv,
        output=exp.get("output", ""), warnings=warnings,
    )
