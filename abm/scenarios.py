"""Scenarios as TOML files shipped in abm/data/scenarios/ (read with importlib.resources).

A scenario file::

    [scenario]
    name = "Funding reform"
    question = "What happens ... ?"
    description = "..."
    years = 16            # suggested run length

    [params]              # parameter-table values that differ from the defaults
    stable_share = 0.28

    [[schedule]]          # timed policy changes, applied at the start of the year
    year = 2021
    param = "stable_share"
    value = 0.5

A scenario may build on others: ``extends = ["baseline_calibrated", "policy_calendar"]`` in
``[scenario]`` (shipped scenario names, or ``.toml`` paths relative to the file) composes them in order
and then the file's own settings, with :func:`compose`'s rule: a later layer's ``[params]`` win (and drop
the earlier layers' scheduled changes of those parameters); a parameter a later layer schedules drops
the earlier layers' changes of it from the later layer's first year for it on.

Any mistake raises ScenarioError naming the file, the key and the problem.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from abm.params import PARAMS_BY_NAME, ParameterError, validate_params, validate_schedule
from abm.resources import shipped

SCENARIO_DIR: Traversable = shipped("abm", "data", "scenarios")
_TOP_KEYS = {"scenario", "params", "schedule"}
_META_KEYS = {"name": str, "question": str, "description": str, "years": int, "sources": list, "extends": object}


class ScenarioError(ValueError):
    """A scenario file is missing, unreadable or invalid."""


@dataclass
class Scenario:
    """A loaded scenario."""

    key: str
    name: str
    question: str
    description: str
    years: int
    params: dict[str, Any]
    schedule: list[dict[str, Any]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    path: Path | Traversable | None = None
    extends: list[str] = field(default_factory=list)


def compose(*layers: Scenario) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Params and schedule of scenarios laid one on another, first at the bottom.

    Each layer's ``[params]`` override the layers below and drop the lower layers' scheduled changes of
    the same parameters (the layer sets them from the start). A parameter a layer schedules drops the
    lower layers' changes of it from that layer's first year for it on (earlier ones stay, so runs are
    paired until the layer's policy starts). So a policy scenario on the policy calendar takes over the
    levers it touches instead of being undone by a later calendar step. Schedules are returned sorted by
    year (stable: same-year items keep layer order).
    """
    params: dict[str, Any] = {}
    schedule: list[dict[str, Any]] = []
    for layer in layers:
        first: dict[str, int] = {}
        for item in layer.schedule:
            first[item["param"]] = min(first.get(item["param"], item["year"]), item["year"])
        params.update(layer.params)
        schedule = [
            item
            for item in schedule
            if item["param"] not in layer.params and item["year"] < first.get(item["param"], 10**6)
        ] + [dict(i) for i in layer.schedule]
    return params, sorted(schedule, key=lambda i: i["year"])


def scenario_dir() -> Traversable:
    """Folder of the shipped scenario files (a ``pathlib.Path`` when the package is installed as files)."""
    return SCENARIO_DIR


def list_scenarios() -> list[str]:
    """Names of the shipped scenarios (file stems), baseline first."""
    names = sorted(p.name.removesuffix(".toml") for p in SCENARIO_DIR.iterdir() if p.name.endswith(".toml"))
    return sorted(names, key=lambda n: (n != "baseline", n))


def load_scenario(name_or_path: str | os.PathLike[str] | Traversable, _chain: tuple[str, ...] = ()) -> Scenario:
    """Load and validate a scenario by name (a file shipped in abm/data/scenarios) or path.

    A path is a ``.toml`` file name or path, or a file from :mod:`importlib.resources`. A scenario with
    ``extends`` is returned composed (:func:`compose`): its params and schedule include its bases'.

    Raises:
        ScenarioError: The file is missing, not TOML, or has an unknown key or invalid value, or a
            scenario it extends is missing, invalid or extends it back.
    """
    path: Path | Traversable
    if isinstance(name_or_path, str | os.PathLike):
        path = Path(name_or_path)
        if path.suffix != ".toml":
            path = SCENARIO_DIR / f"{name_or_path}.toml"
    else:
        path = name_or_path
    if not path.is_file():
        raise ScenarioError(
            f"scenario '{name_or_path}': no such file {path}; shipped scenarios: {', '.join(list_scenarios())}"
        )
    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"{where}: not valid TOML: {err}") from None
    extra = set(data) - _TOP_KEYS
    if extra:
        raise ScenarioError(f"{where}: unknown top-level key '{sorted(extra)[0]}'; allowed: {sorted(_TOP_KEYS)}")
    meta = data.get("scenario", {})
    if not isinstance(meta, dict):
        raise ScenarioError(f"{where}: [scenario] must be a table")
    for k, v in meta.items():
        if k not in _META_KEYS:
            raise ScenarioError(f"{where}: unknown key 'scenario.{k}'; allowed: {sorted(_META_KEYS)}")
        if k == "extends":
            continue
        if not isinstance(v, _META_KEYS[k]) or isinstance(v, bool):
            raise ScenarioError(f"{where}: key 'scenario.{k}' must be {_META_KEYS[k].__name__}, got {v!r}")
    if "name" not in meta:
        raise ScenarioError(f"{where}: missing key 'scenario.name'")
    years = meta.get("years", 20)
    if not 1 <= years <= 100:
        raise ScenarioError(f"{where}: key 'scenario.years' = {years} is out of range; allowed: 1 to 100")
    params = data.get("params", {})
    if not isinstance(params, dict):
        raise ScenarioError(f"{where}: [params] must be a table")
    try:
        validate_params(params)
    except ParameterError as err:
        raise ScenarioError(f"{where}: [params] {err}") from None
    schedule = data.get("schedule", [])
    if not isinstance(schedule, list):
        raise ScenarioError(f"{where}: 'schedule' must be an array of tables ([[schedule]])")
    for i, item in enumerate(schedule):
        if not isinstance(item, dict) or set(item) != {"year", "param", "value"}:
            raise ScenarioError(f"{where}: schedule[{i}] needs exactly the keys year, param, value; got {item!r}")
        if item["param"] not in PARAMS_BY_NAME:
            raise ScenarioError(f"{where}: schedule[{i}].param: unknown parameter '{item['param']}'")
        try:
            validate_schedule([item])
        except ParameterError as err:
            raise ScenarioError(f"{where}: {err}") from None
    sc = Scenario(
        key=path.name.removesuffix(".toml"),
        name=meta["name"],
        question=meta.get("question", ""),
        description=meta.get("description", ""),
        years=years,
        params=dict(params),
        schedule=list(schedule),
        sources=list(meta.get("sources", [])),
        path=path,
    )
    if "extends" not in meta:
        return sc
    bases = _bases(where, path, meta["extends"], (*_chain, where))
    sc.params, sc.schedule = compose(*bases, sc)
    sc.extends = [b.key for b in bases]
    return sc


def _bases(where: str, path: Path | Traversable, extends: Any, chain: tuple[str, ...]) -> list[Scenario]:
    """The scenarios named by ``scenario.extends``, loaded (and themselves composed)."""
    names = [extends] if isinstance(extends, str) else extends
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
        raise ScenarioError(
            f"{where}: key 'scenario.extends' must be a scenario name or a non-empty list of names, got {extends!r}"
        )
    out = []
    for name in names:
        ref: str | Path | Traversable = name
        if name.endswith(".toml") and isinstance(path, Path):
            ref = path.parent / name
        target = str(ref if not isinstance(ref, str) else SCENARIO_DIR / f"{name}.toml")
        if target in chain:
            raise ScenarioError(
                f"{where}: key 'scenario.extends': '{name}' extends back to this file ({' -> '.join(chain)})"
            )
        try:
            out.append(load_scenario(ref, chain))
        except ScenarioError as err:
            raise ScenarioError(f"{where}: key 'scenario.extends': cannot use '{name}': {err}") from None
    return out
