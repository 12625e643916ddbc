"""Where the calibration writes (and where validate and project find the calibrated scenario).

From a source checkout with no ``--out``: results (evaluation cache, log, validation and projection
tables, report.html) in ``results/calibration/``, the calibrated scenario in the shipped
``abm/data/scenarios/baseline_calibrated.toml``, the validation page in ``docs/validation.md`` and its
charts in ``docs/img/``. With ``--out DIR`` everything goes under DIR: ``DIR/baseline_calibrated.toml``
and ``DIR/docs/``. An installed copy has no checkout, so it needs ``--out``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from abm.resources import checkout_root, default_target, shipped

SCENARIO_FILE = "baseline_calibrated.toml"


@dataclass(frozen=True)
class Targets:
    """The calibration's output locations."""

    results: Path  # evals.jsonl, calibrate.log, calibration.json, validation/, projection/, report.html
    scenario: Path  # the calibrated scenario written by calibrate, read by validate and project
    docs: Path  # folder of validation.md (results section updated in place) and img/validation_*.png

    def calibrated_scenario(self) -> Path | Traversable:
        """The calibrated scenario to validate and project: the one written here, else the shipped one."""
        return self.scenario if self.scenario.is_file() else shipped("abm", "data", "scenarios", SCENARIO_FILE)


def output_targets(out: str | Path | None = None) -> Targets:
    """The output locations for ``--out`` (None: the checkout's own files).

    Raises:
        abm.resources.NoCheckoutError: No ``out`` and not running from a source checkout.
    """
    if out is not None:
        out = Path(out)
        return Targets(results=out, scenario=out / SCENARIO_FILE, docs=out / "docs")
    results = default_target("results", "calibration", option="--out DIR")
    root = checkout_root()
    assert root is not None  # default_target raised otherwise
    return Targets(results=results, scenario=root / "abm" / "data" / "scenarios" / SCENARIO_FILE, docs=root / "docs")
