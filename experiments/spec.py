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
    timeout = 3600                              # time limit of one run, seconds
    max_runs = 100000                           # a spec with more runs is refused (raise it here)

``experiment.output`` (optional) names the results folder inside the results root (``results/``);
absolute paths and ``..`` are refused (use ``--out`` on the command line for any other place).

Every mistake raises :class:`SpecError` naming the file, the key and what is allowed.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from abm.params import suggest
from abm.resources import shipped_path

SPEC_DIR = shipped_path("experiments", "specs")  # ships in this package

DESIGN_KINDS = ("none", "grid", "lhs", "sobol", "morris")
EXECUTORS = ("serial", "process", "dask")
AGGREGATIONS = ("last", "sum", "mean", "min", "max", "first", "change")
#: Columns of the run tables; a metric may not take one of these names.
RESERVED_COLUMNS = frozenset(
    {
        "run_id",
        "run_index",
        "point",
        "replication",
        "scenario",
        "seed",
        "years",
        "task_hash",
        "status",
        "attempts",
        "model_seconds",
        "run_seconds",
        "worker",
        "finished_at",
        "abm_version",
        "source_hash",
        "git_commit",
        "spec_hash",
        "params_json",
        "schedule_json",
        "year",
        "experiment",
    }
)

_SECTIONS: dict[str, dict[str, Any]] = {
    "experiment": {
        "name": str,
        "description": str,
        "scenarios": list,
        "reference": str,
        "replications": int,
        "root_seed": int,
        "years": int,
        "output": str,
    },
    "fixed": {},  # parameter names, checked against the parameter table
    "design": {
        "kind": str,
        "grid": dict,
        "ranges": dict,
        "samples": int,
        "levels": int,
        "second_order": bool,
        "seed": int,
    },
    "metrics": {"summary": list, "series": list},
    "execution": {
        "executor": str,
        "workers": int,
        "address": str,
        "max_attempts": int,
        "timeout": float,
        "max_runs": int,
    },
    "advisor": {"pilot": int, "half_width": dict, "relative": float},
}
_REQUIRED = {"experiment": ("name", "scenarios", "replications", "root_seed"), "metrics": ()}
_TYPE_WORDS = {
    str: "a string",
    int: "an integer",
    list: "an array",
    dict: "a table",
    bool: "true or false",
    float: "a number",
}


class InputError(ValueError):
    """A bad input (spec, command-line value, file): exit status 2, nothing written."""


class SpecError(InputError):
    """An experiment spec is missing, unreadable or invalid."""


@dataclass(frozen=True)
class Limit:
    """Allowed range of a numeric setting, shared by the spec check and the command line."""

    low: float
    high: float
    allowed: str
    open_low: bool = False
    open_high: bool = False

    def problem(self, value: Any) -> str:
        """'' if ``value`` is allowed, else what is wrong with it."""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return f"= {value!r} is not a number"
        too_low = value <= self.low if self.open_low else value < self.low
        too_high = value >= self.high if self.open_high else value > self.high
        shown = value if isinstance(value, int) else f"{value:g}"
        return f"= {shown} is out of range" if too_low or too_high else ""


#: Ranges of the numeric settings (spec key or command-line option -> allowed values).
LIMITS = {
    "replications": Limit(1, 100_000, "an integer in [1, 100000]"),
    "years": Limit(1, 100, "an integer in [1, 100]"),
    "samples": Limit(1, 1_000_000, "an integer in [1, 1000000]"),
    "workers": Limit(0, 4096, "0 (all cores) or a positive integer up to 4096"),
    "max_attempts": Limit(1, 20, "an integer in [1, 20]"),
    "timeout": Limit(0, 30 * 86400, "a number of seconds in (0, 2592000]", open_low=True),
    "max_runs": Limit(1, 10_000_000, "an integer in [1, 10000000]"),
    "pilot": Limit(3, 10_000, "an integer in [3, 10000]"),
    "relative": Limit(0, 10, "a number in (0, 10)", open_low=True, open_high=True),
    "half_width": Limit(0, math.inf, "a positive number", open_low=True),
}
DEFAULT_TIMEOUT = 3600.0  # seconds per run
DEFAULT_MAX_RUNS = 100_000


def safe_folder_name(name: str) -> str:
    """A results folder name from a spec's file stem: one path component, never '.', '..' or hidden."""
    cleaned = re.sub(r"[^\w.\-]", "_", name).lstrip(".")
    return cleaned or "experiment"


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
    timeout: float = DEFAULT_TIMEOUT
    max_runs: int = DEFAULT_MAX_RUNS

    @property
    def stem(self) -> str:
        """File stem of the spec."""
        return self.path.stem

    @property
    def folder_name(self) -> str:
        """The default results folder name: the spec's file stem made safe (see safe_folder_name)."""
        return safe_folder_name(self.path.stem)

    @property
    def n_points(self) -> int:
        """Number of design points, computed without expanding the design."""
        return count_points(self.design_kind, self.grid, self.ranges, self.samples, self.second_order)

    @property
    def n_runs(self) -> int:
        """Number of runs: design points x scenarios x replications."""
        return self.n_points * len(self.scenarios) * self.replications

    def identity(self) -> dict[str, Any]:
        """Everything that decides the runs' results (not how they are executed), as plain data."""
        raw = copy.deepcopy(self.raw)
        for section in ("execution", "advisor"):
            raw.pop(section, None)
        raw.get("experiment", {}).pop("output", None)
        raw.get("experiment", {}).pop("description", None)
        return {
            "spec": raw,
            "scenarios": [{"key": s.key, "params": s.params, "schedule": s.schedule} for s in self.scenarios],
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


def count_points(
    kind: str, grid: dict[str, list[Any]], ranges: dict[str, Any], samples: int, second_order: bool
) -> int:
    """Design points of a design, by arithmetic (no sampling): the same count design_points() gives."""
    d = len(ranges)
    if kind == "grid":
        return math.prod(len(v) for v in grid.values())
    if kind == "lhs":
        return samples
    if kind == "sobol":
        return samples * (2 * d + 2 if second_order else d + 2)
    if kind == "morris":
        return samples * (d + 1)
    return 1


def _fail(where: str, key: str, problem: str, allowed: str = "") -> SpecError:
    tail = f"; allowed: {allowed}" if allowed else ""
    return SpecError(f"{where}: key '{key}' {problem}{tail}")


def _check_type(where: str, key: str, value: Any, typ: type) -> None:
    ok = isinstance(value, typ) and not (typ in (int, float) and isinstance(value, bool))
    if typ is float and isinstance(value, int) and not isinstance(value, bool):
        ok = True
    if not ok:
        raise _fail(where, key, f"must be {_TYPE_WORDS[typ]}, got {value!r}")


def _check_limit(where: str, key: str, value: Any, limit: str) -> None:
    problem = LIMITS[limit].problem(value)
    if problem:
        raise _fail(where, key, problem, LIMITS[limit].allowed)


# --- the parts of load_spec, in file order ---------------------------------------------------------------
def _read_toml(path: Path, where: str) -> tuple[str, dict[str, Any]]:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise SpecError(f"{where}: cannot be read: {err.strerror or err}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SpecError(
            f"{where}: not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start}); "
            "allowed: a UTF-8 encoded TOML file"
        ) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise SpecError(f"{where}: not valid TOML: {err}") from None


def _check_sections(raw: dict[str, Any], where: str) -> None:
    """Known sections and keys with the right types; required ones present."""
    for section, value in raw.items():
        if section not in _SECTIONS:
            raise SpecError(
                f"{where}: unknown section [{section}]{suggest(section, _SECTIONS)}; allowed: {', '.join(_SECTIONS)}"
            )
        if not isinstance(value, dict):
            raise SpecError(f"{where}: '{section}' must be a table ([{section}])")
        keys = _SECTIONS[section]
        if section == "fixed":
            continue
        for key, v in value.items():
            if key not in keys:
                raise _fail(where, f"{section}.{key}", f"is unknown{suggest(key, keys)}", ", ".join(keys))
            _check_type(where, f"{section}.{key}", v, keys[key])
    for section, required in _REQUIRED.items():
        if section not in raw:
            raise SpecError(f"{where}: missing section [{section}]")
        for key in required:
            if key not in raw[section]:
                raise _fail(where, f"{section}.{key}", "is missing")


def _check_counts(exp: dict[str, Any], where: str) -> tuple[int, int]:
    replications = exp["replications"]
    _check_limit(where, "experiment.replications", replications, "replications")
    root_seed = exp["root_seed"]
    if root_seed < 0:
        raise _fail(where, "experiment.root_seed", f"= {root_seed} is negative", "an integer >= 0")
    if root_seed >= 2**63:
        raise _fail(where, "experiment.root_seed", f"= {root_seed} is too large", "an integer in [0, 2**63)")
    return replications, root_seed


def _load_scenario_ref(item: Any, i: int, spec_dir: Path, where: str) -> ScenarioRef:
    from abm import ParameterError, ScenarioError, load_scenario

    key = f"experiment.scenarios[{i}]"
    if not isinstance(item, str):
        raise _fail(where, key, f"must be a string, got {item!r}")
    candidate = spec_dir / item if item.endswith(".toml") else None
    try:
        sc = load_scenario(candidate if candidate is not None and candidate.is_file() else item)
    except (ScenarioError, ParameterError) as err:
        raise _fail(where, key, f"= '{item}' cannot be loaded: {err}") from None
    except UnicodeDecodeError as err:
        raise _fail(
            where,
            key,
            f"= '{item}' cannot be loaded: not UTF-8 text (offset {err.start})",
            "a UTF-8 encoded scenario TOML file",
        ) from None
    except (OSError, ValueError) as err:
        raise _fail(where, key, f"= '{item}' cannot be loaded: {err}") from None
    return ScenarioRef(sc.key, sc.name, dict(sc.params), [dict(s) for s in sc.schedule], sc.years, str(sc.path))


def _load_scenarios(exp: dict[str, Any], spec_dir: Path, where: str) -> tuple[list[ScenarioRef], str]:
    if not exp["scenarios"]:
        raise _fail(where, "experiment.scenarios", "is empty", "a list of scenario names or TOML paths")
    scenarios: list[ScenarioRef] = []
    for i, item in enumerate(exp["scenarios"]):
        ref = _load_scenario_ref(item, i, spec_dir, where)
        if any(s.key == ref.key for s in scenarios):
            raise _fail(where, f"experiment.scenarios[{i}]", f"repeats scenario '{ref.key}'", "each scenario once")
        scenarios.append(ref)
    keys = [s.key for s in scenarios]
    reference = exp.get("reference", keys[0])
    if reference not in keys:
        raise _fail(where, "experiment.reference", f"= '{reference}' is not one of the scenarios", ", ".join(keys))
    return scenarios, reference


def _years(exp: dict[str, Any], scenarios: list[ScenarioRef], where: str) -> int:
    if "years" in exp:
        _check_limit(where, "experiment.years", exp["years"], "years")
        return exp["years"]
    lengths = {s.years for s in scenarios}
    if len(lengths) > 1:
        raise _fail(where, "experiment.years", "is missing and the scenarios differ in length", LIMITS["years"].allowed)
    return lengths.pop()


def _output(exp: dict[str, Any], where: str) -> str:
    """experiment.output: a relative folder inside the results root (never absolute, never '..')."""
    output = exp.get("output", "")
    if not output:
        return ""
    parts = Path(output).parts
    if (
        Path(output).is_absolute()
        or not parts
        or any(p in ("..", ".") or p.startswith(".") for p in parts)
        or "\\" in output
        or "\0" in output
    ):
        raise _fail(
            where,
            "experiment.output",
            f"= {output!r} leaves the results root",
            'a relative folder inside the results root, such as "my_sweep" '
            "(any other place: --out on the command line)",
        )
    return output


def _param(pname: str, where: str, key: str) -> Any:
    from abm.params import PARAMS_BY_NAME

    if pname not in PARAMS_BY_NAME:
        raise _fail(where, key, f"is not a model parameter{suggest(pname, PARAMS_BY_NAME)}")
    return PARAMS_BY_NAME[pname]


def _fixed(fixed_raw: dict[str, Any], where: str) -> dict[str, Any]:
    from abm import ParameterError

    fixed = {}
    for pname, value in fixed_raw.items():
        p = _param(pname, where, f"fixed.{pname}")
        try:
            fixed[pname] = p.validate(value)
        except ParameterError as err:
            raise _fail(where, f"fixed.{pname}", f"= {value!r} is not allowed: {err}") from None
    return fixed


_SAMPLERS = ("lhs", "sobol", "morris")
_DESIGN_KEYS = {
    "none": {"kind"},
    "grid": {"kind", "grid"},
    "lhs": {"kind", "ranges", "samples", "seed"},
    "sobol": {"kind", "ranges", "samples", "second_order", "seed"},
    "morris": {"kind", "ranges", "samples", "levels", "seed"},
}


def _grid(design: dict[str, Any], where: str) -> dict[str, list[Any]]:
    from abm import ParameterError

    if not design.get("grid"):
        raise _fail(where, "design.grid", "is missing or empty", "a table of parameter = [values]")
    grid = {}
    for pname, values in design["grid"].items():
        k = f"design.grid.{pname}"
        p = _param(pname, where, k)
        if not isinstance(values, list) or not values:
            raise _fail(where, k, f"must be a non-empty array of values, got {values!r}")
        checked = []
        for v in values:
            try:
                checked.append(p.validate(v))
            except ParameterError as err:
                raise _fail(where, k, f"has a value {v!r} that is not allowed: {err}") from None
        if len(set(map(repr, checked))) != len(checked):
            raise _fail(where, k, "repeats a value", "distinct values")
        grid[pname] = checked
    return grid


def _ranges(design: dict[str, Any], where: str) -> dict[str, tuple[float, float]]:
    if not design.get("ranges"):
        raise _fail(where, "design.ranges", "is missing or empty", 'a table of parameter = [low, high] or "table"')
    ranges = {}
    for pname, rng in design["ranges"].items():
        k = f"design.ranges.{pname}"
        p = _param(pname, where, k)
        if p.kind not in ("float", "int"):
            raise _fail(
                where,
                k,
                f"names a {p.kind} parameter, which a sampler cannot vary",
                'numeric parameters (use kind = "grid" for choices)',
            )
        if rng == "table":
            lo, hi = float(p.low), float(p.high)
        elif (
            isinstance(rng, list)
            and len(rng) == 2
            and all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in rng)
        ):
            lo, hi = float(rng[0]), float(rng[1])
        else:
            raise _fail(where, k, f"= {rng!r} is not a range", '[low, high] or "table"')
        if not lo < hi:
            raise _fail(where, k, f"= [{lo:g}, {hi:g}] has low >= high", "low < high")
        if lo < p.low or hi > p.high:
            raise _fail(
                where,
                k,
                f"= [{lo:g}, {hi:g}] leaves the parameter's range",
                f"within [{p.low:g}, {p.high:g}] [{p.unit}]",
            )
        ranges[pname] = (lo, hi)
    if "samples" not in design:
        raise _fail(where, "design.samples", "is missing", "a positive integer")
    return ranges


def _design(design: dict[str, Any], root_seed: int, fixed: dict[str, Any], where: str) -> dict[str, Any]:
    """The [design] section checked: kind, grid or ranges, samples, levels, seed."""
    kind = design.get("kind", "none" if not design else "")
    if kind not in DESIGN_KINDS:
        raise _fail(
            where, "design.kind", f"= {kind!r} is not allowed{suggest(kind, DESIGN_KINDS)}", ", ".join(DESIGN_KINDS)
        )
    allowed_keys = _DESIGN_KEYS[kind]
    for key in design:
        if key not in allowed_keys:
            raise _fail(
                where, f"design.{key}", f"does not apply to design.kind = '{kind}'", ", ".join(sorted(allowed_keys))
            )
    grid = _grid(design, where) if kind == "grid" else {}
    ranges = _ranges(design, where) if kind in _SAMPLERS else {}
    samples = design.get("samples", 0)
    if kind in _SAMPLERS:
        _check_limit(where, "design.samples", samples, "samples")
    if kind == "sobol" and (samples < 2 or samples & (samples - 1)):
        raise _fail(
            where,
            "design.samples",
            f"= {samples} is not a power of two (Sobol' sequences need one)",
            "2, 4, 8, 16, ...",
        )
    if kind in ("sobol", "morris") and len(ranges) < 2:
        raise _fail(
            where,
            "design.ranges",
            f"has {len(ranges)} parameter; {kind} indices need at least 2",
            "two or more parameters",
        )
    levels = design.get("levels", 4)
    if kind == "morris" and (levels < 2 or levels % 2):
        raise _fail(where, "design.levels", f"= {levels} is not allowed", "an even integer >= 2")
    both = (set(grid) | set(ranges)) & set(fixed)
    if both:
        raise _fail(
            where, f"fixed.{sorted(both)[0]}", "is also varied in [design]", "a parameter either fixed or varied"
        )
    return {
        "design_kind": kind,
        "grid": grid,
        "ranges": ranges,
        "samples": samples,
        "levels": levels,
        "second_order": design.get("second_order", False),
        "design_seed": design.get("seed", root_seed),
    }


def _check_runs(scenarios: list[ScenarioRef], fixed: dict[str, Any], varied: set[str], where: str) -> list[str]:
    """Every scenario's parameters with [fixed] must be valid together; notes on scheduled changes."""
    from abm import ParameterError
    from abm.params import validate_params

    for s in scenarios:
        try:
            validate_params({**s.params, **fixed})
        except ParameterError as err:
            raise SpecError(f"{where}: scenario '{s.key}' with [fixed]: {err}") from None
    warnings = []
    for s in scenarios:
        scheduled = {e["param"] for e in s.schedule}
        for n in sorted(scheduled & (varied | set(fixed))):
            warnings.append(
                f"scenario '{s.key}' changes '{n}' by its schedule: the experiment's value holds only until then"
            )
    return warnings


def _summary_metric(item: Any, i: int, columns: list[str], where: str) -> Metric:
    k = f"metrics.summary[{i}]"
    if not isinstance(item, str):
        raise _fail(where, k, f"must be a string 'column' or 'column:aggregation', got {item!r}")
    col, _, agg = item.partition(":")
    agg = agg or "last"
    if col not in columns:
        raise _fail(
            where,
            k,
            f"= '{item}': '{col}' is not a column of model.yearly(){suggest(col, columns)}",
            "see `python -m experiments columns`",
        )
    if agg not in AGGREGATIONS:
        raise _fail(where, k, f"= '{item}': unknown aggregation '{agg}'", ", ".join(AGGREGATIONS))
    m = Metric(col, agg)
    if m.name in RESERVED_COLUMNS or m.name.startswith("param_"):
        raise _fail(where, k, f"= '{item}' would make a column named '{m.name}', which the run table uses")
    return m


def _metrics(met: dict[str, Any], where: str) -> tuple[list[Metric], list[str]]:
    summary_raw = met.get("summary", [])
    series = met.get("series", [])
    if not summary_raw and not series:
        raise _fail(where, "metrics.summary", "and 'metrics.series' are both empty", "at least one metric")
    columns = yearly_columns()
    summary: list[Metric] = []
    for i, item in enumerate(summary_raw):
        m = _summary_metric(item, i, columns, where)
        if any(x.name == m.name for x in summary):
            raise _fail(where, f"metrics.summary[{i}]", f"= '{item}' repeats a metric", "each metric once")
        summary.append(m)
    for i, col in enumerate(series):
        k = f"metrics.series[{i}]"
        if not isinstance(col, str) or col not in columns:
            raise _fail(
                where,
                k,
                f"= {col!r} is not a column of model.yearly(){suggest(str(col), columns)}",
                "see `python -m experiments columns`",
            )
        if col == "year":
            raise _fail(where, k, "= 'year' is always kept")
    if len(set(series)) != len(series):
        raise _fail(where, "metrics.series", "repeats a column", "each column once")
    return summary, series


def check_address(address: str) -> str:
    """'' if a Dask scheduler address looks usable (``tcp://host:port`` etc.), else the problem."""
    if not address:
        return ""
    m = re.fullmatch(r"(tcp|tls|inproc|ucx|ws|wss)://([^\s/:]+|\[[0-9a-fA-F:]+\]):(\d{1,5})", address)
    if not m or not 0 < int(m.group(3)) < 65536:
        return f"= {address!r} is not a scheduler address"
    return ""


ADDRESS_ALLOWED = "tcp://host:port (e.g. tcp://10.0.0.5:8786), or empty for a LocalCluster"


def _execution(ex: dict[str, Any], where: str) -> dict[str, Any]:
    executor = ex.get("executor", "process")
    if executor not in EXECUTORS:
        raise _fail(
            where,
            "execution.executor",
            f"= {executor!r} is not allowed{suggest(executor, EXECUTORS)}",
            ", ".join(EXECUTORS),
        )
    out = {
        "executor": executor,
        "workers": ex.get("workers", 0),
        "max_attempts": ex.get("max_attempts", 3),
        "timeout": float(ex.get("timeout", DEFAULT_TIMEOUT)),
        "max_runs": ex.get("max_runs", DEFAULT_MAX_RUNS),
        "address": ex.get("address", ""),
    }
    for key in ("workers", "max_attempts", "timeout", "max_runs"):
        _check_limit(where, f"execution.{key}", out[key], key)
    if out["address"] and executor != "dask":
        raise _fail(where, "execution.address", 'is only used with executor = "dask"')
    problem = check_address(out["address"])
    if problem:
        raise _fail(where, "execution.address", problem, ADDRESS_ALLOWED)
    return out


def _advisor(adv: dict[str, Any], summary: list[Metric], where: str) -> dict[str, Any]:
    if "pilot" in adv:
        _check_limit(where, "advisor.pilot", adv["pilot"], "pilot")
    names = [m.name for m in summary]
    for mname, hw in adv.get("half_width", {}).items():
        if mname not in names:
            raise _fail(
                where,
                f"advisor.half_width.{mname}",
                f"is not a summary metric{suggest(mname, names)}",
                ", ".join(names),
            )
        _check_limit(where, f"advisor.half_width.{mname}", hw, "half_width")
    if "relative" in adv:
        _check_limit(where, "advisor.relative", adv["relative"], "relative")
    return adv


def _check_run_count(spec: Spec, where: str) -> None:
    n = spec.n_runs
    if n > spec.max_runs:
        raise SpecError(
            f"{where}: the experiment has {n:,} runs ({spec.n_points:,} design point(s) x {len(spec.scenarios)} "
            f"scenario(s) x {spec.replications:,} replications), above the limit of {spec.max_runs:,} runs; "
            f"allowed: at most execution.max_runs runs; to raise the limit add `max_runs = {n}` under [execution] "
            f"(at most {int(LIMITS['max_runs'].high):,}), or run fewer points or replications"
        )


def load_spec(name_or_path: str | os.PathLike[str]) -> Spec:
    """Load and validate a spec; raise SpecError naming the key and what is allowed.

    Args:
        name_or_path: Path to a TOML file or the name of a shipped spec.

    Returns:
        The validated spec.

    Raises:
        SpecError: The file is missing, not TOML, or any key is unknown, missing or invalid.
    """
    path = resolve_spec_path(name_or_path)
    where = str(path)
    text, raw = _read_toml(path, where)
    _check_sections(raw, where)
    exp = raw["experiment"]
    replications, root_seed = _check_counts(exp, where)
    scenarios, reference = _load_scenarios(exp, path.parent, where)
    years = _years(exp, scenarios, where)
    output = _output(exp, where)
    fixed = _fixed(raw.get("fixed", {}), where)
    design = _design(raw.get("design", {}), root_seed, fixed, where)
    warnings = _check_runs(scenarios, fixed, set(design["grid"]) | set(design["ranges"]), where)
    summary, series = _metrics(raw["metrics"], where)
    execution = _execution(raw.get("execution", {}), where)
    adv = _advisor(raw.get("advisor", {}), summary, where)
    spec = Spec(
        path=path,
        text=text,
        raw=raw,
        name=exp["name"],
        description=exp.get("description", ""),
        scenarios=scenarios,
        reference=reference,
        replications=replications,
        root_seed=root_seed,
        years=years,
        fixed=fixed,
        **design,
        summary=summary,
        series=series,
        **execution,
        advisor=adv,
        output=output,
        warnings=warnings,
    )
    _check_run_count(spec, where)
    return spec
