"""One browser session's run: model, scenario, parameter edits, cached chart data, inspector, compare.

No user-interface code here, so everything can be unit-tested without a browser. The Solara page
(:mod:`dashboards.app`) creates one :class:`Session` per browser tab.
"""

from __future__ import annotations

import copy
import logging
import os
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from abm import PARAMETERS, InnovationModel, ParameterError, ScenarioError, list_scenarios, load_scenario
from abm.components import COMPONENTS
from abm.fields import FIELD_NAMES, FIELDS
from abm.kinds import KIND_NAMES
from abm.params import FIXED_PARAMS, PARAMS_BY_NAME, validate_params
from dashboards import data, replay
from dashboards.i18n_zh import component_label, field_label, scenario_text
from dashboards.labels import current_language, t

log = logging.getLogger(__name__)

# quarterly columns of the running year that the monitors and the ledger charts read
RUNNING_COLUMNS = (
    "step",
    "year",
    "quarter",
    "gdp",
    "rd_total",
    "sme_births",
    "spinoffs",
    "controlled_fields",
    "researchers_total",
)
# While playing, the status line (clock and monitors) is pushed every update, the charts when a year
# of the run completes or when the pauses Play made since their last push add up to this many
# seconds, whichever comes first. At 4 quarters per second (1 quarter per update, 250 ms pause) that
# is one chart update per model year, a quarter of the cost; with a pause of a second or more every
# update. Pauses, not wall time: a busy server (slow updates) must not end up drawing every quarter.
CHART_SECONDS = 1.0
EVERY_UPDATE = ("status",)  # live views pushed on every update while playing (the others when charts are due)
RESET_ONLY = FIXED_PARAMS  # fix the model's size and calendar: changed only by a reset
SCENARIO_DIR_ENV = "NIS_DASHBOARD_SCENARIOS"  # extra folder of scenario files (os.pathsep-separated)
FIELD_LABELS = {f.name: f.label for f in FIELDS}
COMPARE_INDICATORS = (
    "rd_intensity",
    "enterprise_share",
    "basic_share",
    "researchers_total",
    "patents",
    "breakthroughs",
    "vc_invested",
    "n_sme",
    "controlled_fields",
    # used by the classroom lessons
    "institute_share",
    "university_share",
    "rd_soe",
    "rd_private",
    "researchers_private",
    "researchers_lab",
    "vc_deals",
    "ipos",
    "sme_births",
    "sme_deaths",
    "tech_contracts",
    "returnees",
    "job_moves",
    "capability_chips_ict",
    "dependence_chips_ict",
    "capability_advanced_manufacturing",
    "capability_digital_ai",
    "capability_new_energy",
    "sales",
    # supply chains (issue 10)
    "controlled_components",
    "output_chips_ict",
    "science_capability_chips_ict",
    "frontier_chips_ict",
    "capability_quantum_6g",
    "frontier_quantum_6g",
    # innovation consortia (issue 12)
    "consortium_successes",
    "consortia_formed",
    "consortium_cofunding",
    "mission_private_share",
    # innovation and growth (issue 12)
    "gdp",
    "tech_in_use",
    "tech_progress_contribution",
    "tech_contract_turnover",
    "tech_services",
    "procurement_sales",
)
INSPECT_KINDS = KIND_NAMES
# Unit (a label key) of each variable of an actor's state (per real actor) in the inspector.
VARIABLE_UNITS = {
    "weight": "unit.actors",
    "age_quarters": "unit.quarters",
    "cash": "unit.yuan",
    "revenue": "unit.yuan_q",
    "size": "unit.index",
    "rd_spend": "unit.yuan_q",
    "rd_basic": "unit.yuan_q",
    "rd_applied": "unit.yuan_q",
    "rd_dev": "unit.yuan_q",
    "researchers": "unit.fte",
    "phd_share": "unit.share",
    "students": "unit.persons",
    "know": "unit.index",
    "patents": "unit.count",
    "quality": "unit.index",
    "stable_frac": "unit.share",
    "project_frac": "unit.share",
    "mission_frac": "unit.share",
    "gov_in": "unit.yuan_q",
    "subsidy_in": "unit.yuan_q",
    "contract_in": "unit.yuan_q",
    "equity_in": "unit.yuan_q",
    "breakthroughs": "unit.count_q",
    "patents_new": "unit.count_q",
}


def field_labels() -> dict[str, str]:
    """Field name -> display name in the current language."""
    return {name: field_label(name, label) for name, label in FIELD_LABELS.items()}


def component_labels() -> dict[str, str]:
    """Component name -> display name in the current language."""
    return {c.name: component_label(c.name, c.label) for c in COMPONENTS}


def extra_scenarios() -> list[str]:
    """Scenario files found in the folders named by the NIS_DASHBOARD_SCENARIOS environment variable."""
    out: list[str] = []
    for folder in filter(None, os.environ.get(SCENARIO_DIR_ENV, "").split(os.pathsep)):
        out += sorted(str(p) for p in Path(folder).glob("*.toml"))
    return out


def scenario_choices() -> list[str]:
    """Shipped scenario names, then paths of extra scenario files."""
    return list_scenarios() + extra_scenarios()


def scenario_label(key: str) -> str:
    """Short display name of a scenario key or path."""
    return Path(key).stem if key.endswith(".toml") else key


def when_label(model: InnovationModel) -> str:
    """Calendar label of the next quarter of a model, e.g. '2019 Q2'."""
    t_next = model.steps
    return f"{model.start_year + t_next // 4} Q{t_next % 4 + 1}"


class Session:
    """State of one dashboard session.

    Attributes:
        seed: Seed of the run.
        scenario: Key (name or path) of the loaded scenario.
        meta: The loaded :class:`abm.scenarios.Scenario`.
        overrides: Parameter values set by the user on top of the scenario.
        pending: Edited values not applied yet.
        model: The running model: a frozen quarter of a shared run (never changed in place) while
            ``shared`` is set, else this session's own.
        shared: Key of the shared run (:mod:`dashboards.replay`) the model belongs to, or None.
        run_token: Changes when the run is rebuilt (reset, scenario, lesson) or leaves the shared run.
        lock: Guards the model against a play thread and a button click at once.
    """

    def __init__(self, scenario: str = "baseline", seed: int = 42, warmup: int = 0) -> None:
        """Load ``scenario`` and build its model; run its first ``warmup`` quarters (the page uses 4).

        A run that opens with its first year done has something in every chart at once.
        """
        self.lock = threading.RLock()
        self.link_base = ""  # where shared links point (dashboards.share.link_base): "" = this address
        self.warmup = warmup
        self.seed = seed
        self.overrides: dict[str, Any] = {}
        self.pending: dict[str, Any] = {}
        self.meta = load_scenario(scenario)
        self.scenario = scenario
        self.shared: tuple | None = None
        self.run_token = 0
        self.model = self._build(self._params(), seed)
        self.years = self.meta.years  # run length: the scenario's, or the lesson's
        self.stop_year = self.model.start_year + self.years
        self._cache: dict[tuple[str, Any], Any] = {}
        self.watch: Any = None
        self.history: list[dict[str, Any]] = []
        self.watch_gone: str | None = None
        self.compare_result: dict[str, Any] | None = None
        self.step_times: list[float] = []
        # live views of the page: key -> function that sets the view's widget from the current state
        self.live: dict[str, Callable[[], None]] = {}
        self.charts_pushed: tuple[int, int] = (0, -1)  # run token and step of the last chart push
        self.paused_since_charts = 0.0  # seconds Play paused since then
        self.chart_pushes = 0  # pushes that updated the charts (read by tests and benchmarks)
        self._warm_up()

    def _warm_up(self) -> None:
        for _ in range(self.warmup):
            self._step_model()

    def _step_model(self) -> None:
        """One quarter: the shared run's next frozen quarter, or a step of this session's own model."""
        run = replay.STORE.run(self.shared) if self.shared is not None else None
        if run is None:
            self._own()
            self.model.step()
        else:
            run.join(self)  # again, if the store dropped the run this tab was on
            self.model = run.next(self.model, self)

    def _own(self) -> None:
        """Leave the shared run: from now on the model is this session's own (a deep copy of its quarter)."""
        if self.shared is not None:
            # copy first: once this tab has left, a tab alone on the run may step the same model in place
            self.model = copy.deepcopy(self.model)
            run = replay.STORE.runs.get(self.shared)
            if run is not None:
                run.leave(self)
            self.shared = None
            self.run_token += 1

    # -- parameters ---------------------------------------------------------------------------
    def _params(self, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        return validate_params({**self.meta.params, **self.overrides, **(extra or {})})

    def _build(self, params: dict[str, Any], seed: int) -> InnovationModel:
        from dashboards.inputs import check_scale

        check_scale(params["scale"])  # also for scenario files and uploads: a shared server caps the size

        def build() -> InnovationModel:
            return InnovationModel(seed=seed, schedule=self.meta.schedule, **params)

        key = replay.run_key(seed, params, self.meta.schedule)
        run = replay.STORE.run(key)
        model = build() if run is None else run.start(build, self)
        if self.shared is not None and self.shared != key and self.shared in replay.STORE.runs:
            replay.STORE.runs[self.shared].leave(self)
        self.shared = None if run is None else key
        self.run_token += 1
        return model

    def values(self) -> dict[str, Any]:
        """Parameter values shown in the controls: those in force, with pending edits on top."""
        return {**self.model.params, **self.pending}

    def set_value(self, name: str, value: Any) -> None:
        """Record an edit (validated at once); raises ParameterError with a readable message."""
        param = PARAMS_BY_NAME[name]
        value = param.validate(value)
        if name == "scale":
            from dashboards.inputs import check_scale

            check_scale(value)  # a shared server caps the size of what it builds
        if value == self.model.params.get(name):
            self.pending.pop(name, None)
        else:
            self.pending[name] = value

    def discard(self) -> None:
        """Forget the pending edits."""
        self.pending.clear()

    def warnings(self) -> list[str]:
        """Combinations that are allowed but have no effect."""
        v = self.values()
        out = []
        if v["mission_budget"] > 0 and v["mission_field"] == "none":
            out.append(t("msg.no_effect_mission"))
        defaults_cut = {p.name: p.default for p in PARAMETERS if p.name in ("cutoff_start_year", "cutoff_severity")}
        no_cut = v["cutoff_fields"] == "none" and v.get("cutoff_components", "none") == "none"
        if no_cut and any(v[k] != d for k, d in defaults_cut.items()):
            out.append(t("msg.no_effect_cutoff"))
        return out

    def pending_message(self) -> str:
        """Says what is pending and when it takes effect ('' if nothing is pending)."""
        if not self.pending:
            return ""
        msg = t(
            "msg.pending",
            n=len(self.pending),
            names=", ".join(self.pending),
            when=when_label(self.model),
            start=self.pending.get("start_year", self.model.start_year),
        )
        fixed = [n for n in self.pending if n in RESET_ONLY]
        if fixed:
            msg += " " + t("msg.pending_reset_only", names=", ".join(fixed))
        return msg

    def apply_now(self) -> str:
        """Apply pending edits to the running model from the next quarter (Reset-only ones stay pending)."""
        with self.lock:
            now = {k: v for k, v in self.pending.items() if k not in RESET_ONLY}
            if not now:
                return ""
            self._own()  # a lever applied while running: this run is no longer the shared one
            self.model.set_params(**now)
            for k, v in now.items():
                self.overrides[k] = v
                self.pending.pop(k)
            self._cache.clear()
            return t("msg.applied_now", when=when_label(self.model), names=", ".join(now))

    # -- run control ----------------------------------------------------------------------------
    def reset(self, *, seed: int | None = None, keep_pending: bool = True) -> str:
        """Rebuild the model from the scenario, the user's settings and (by default) the pending edits.

        On an error the running model is kept and ParameterError is raised.
        """
        with self.lock:
            seed = self.seed if seed is None else seed
            extra = dict(self.pending) if keep_pending else {}
            model = self._build(self._params(extra), seed)
            self.model = model
            self.seed = seed
            self.overrides.update(extra)
            self.pending.clear()
            self.stop_year = model.start_year + self.years
            self._cache.clear()
            self.history = []
            self.watch = None
            self.watch_gone = None
            self.step_times = []
            self._warm_up()
            return t(
                "msg.reset_done",
                scenario=scenario_text(self.scenario, self.meta, "name"),
                seed=seed,
                start=model.start_year,
            )

    def load(self, scenario: str) -> str:
        """Switch to another scenario (its own parameters, user settings cleared) and reset.

        Raises:
            ScenarioError: The file is missing or broken; the current run is kept.
        """
        with self.lock:
            meta = load_scenario(scenario)
            old = (self.meta, self.scenario, self.overrides, self.pending, self.years)
            self.meta, self.scenario, self.overrides, self.pending, self.years = meta, scenario, {}, {}, meta.years
            try:
                self.reset()
            except (ParameterError, ScenarioError):
                self.meta, self.scenario, self.overrides, self.pending, self.years = old
                raise
            return t(
                "msg.scenario_loaded",
                name=scenario_text(scenario, meta, "name"),
                question=scenario_text(scenario, meta, "question"),
            )

    def start_lesson(self, scenario: str, overrides: dict[str, Any], years: int, seed: int) -> None:
        """Load a lesson's scenario with its control overrides and seed; stop after ``years``.

        Raises:
            ScenarioError or ParameterError: The scenario or an override is broken; the current run is kept.
        """
        with self.lock:
            for name, value in overrides.items():
                PARAMS_BY_NAME[name].validate(value)
            old_seed = self.seed
            self.seed = seed
            try:
                self.load(scenario)
                if overrides:
                    self.overrides = dict(overrides)
                    self.reset()
            except (ParameterError, ScenarioError):
                self.seed = old_seed
                raise
            self.years = years
            self.stop_year = self.model.start_year + years

    def load_file(self, name: str, content: bytes) -> str:
        """Load a scenario from uploaded bytes (written to a temporary file first)."""
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="nis-scenario-"))
        path = folder / (Path(name).stem + ".toml")
        path.write_bytes(content)
        return self.load(str(path))

    def at_stop(self) -> bool:
        """True when the run has reached its stop year."""
        return self.model.year_float + 0.25 >= self.stop_year if self.model.steps > 0 else False

    def quarters_to_stop(self) -> int:
        """Quarters left until the stop year (0 at or after it)."""
        return max(0, 4 * (self.stop_year - self.model.start_year) - self.model.steps)

    def push(self, charts: bool = True) -> None:
        """Bring the live views of the page up to date (no re-render of the page).

        Args:
            charts: Also the charts (and every other view not in :data:`EVERY_UPDATE`); False
                updates only the status line.

        A view whose update fails (its widget was closed with the browser tab, say) is dropped and
        logged; the others and the run carry on.
        """
        with self.lock:
            for key, fn in list(self.live.items()):
                if not charts and key not in EVERY_UPDATE:
                    continue
                try:
                    fn()
                except Exception:  # one broken view must not stop the class's run
                    log.exception("live view %s failed and was removed", key)
                    self.live.pop(key, None)
            if charts:
                self.charts_pushed = (self.run_token, self.model.steps)
                self.paused_since_charts = 0.0
                self.chart_pushes += 1

    def charts_due(self) -> bool:
        """True when the charts should follow the run (see CHART_SECONDS); always after a reset or a new scenario."""
        token, steps = self.charts_pushed
        if token != self.run_token or self.model.steps // 4 != steps // 4:
            return True
        return self.paused_since_charts >= CHART_SECONDS

    def advance(self, n: int = 1, pause: float = 0.0) -> None:
        """One update of Play: step ``n`` quarters, push the status line, and the charts when due.

        Args:
            n: Quarters per update.
            pause: Seconds Play waits after this update (the *Pause between updates* control).

        At 1 quarter per update and a 250 ms pause (4 quarters per second) this updates the clock
        and monitors every quarter and the charts once per model year, at the quarter that
        completes it.
        """
        with self.lock:
            self.step(n)
            self.paused_since_charts += pause
            self.push(charts=self.charts_due())

    def step(self, n: int = 1) -> None:
        """Advance n quarters (never past the stop year while before it) and record the watched agent."""
        with self.lock:
            t0 = time.perf_counter()
            left = self.quarters_to_stop()
            if left:
                n = min(n, left)
            for _ in range(n):
                self._step_model()
                self._record_watch()
            self.step_times.append(time.perf_counter() - t0)

    # -- cached chart data -------------------------------------------------------------------------
    def cached(self, key: str, make: Callable[[], Any], *args: Any) -> Any:
        """Value of ``make()`` memoised per model, step and ``args``."""
        k = (key, (self.run_token, self.model.steps, current_language(), *args))
        if k not in self._cache:
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[k] = make()
        return self._cache[k]

    def memo(self, key: tuple, make: Callable[[], Any]) -> Any:
        """Value of ``make()`` memoised under ``key`` until the next reset (the caller puts the step in the key)."""
        if key not in self._cache:
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[key] = make()
        return self._cache[key]

    def quarterly(self) -> pd.DataFrame:
        """The model's quarterly indicators (cached per step)."""
        return self.cached("quarterly", self.model.quarterly)

    def running_year(self) -> pd.DataFrame:
        """The quarterly rows of the running year (step 0's row before the first step; cached per step).

        Only the columns the monitors and the ledger charts need: much cheaper than :meth:`quarterly`.
        """
        first, cols = self._running_selection()
        return self.cached("running_year", lambda: self.model.quarterly(since_step=first, columns=cols))

    def _running_selection(self) -> tuple[int, list[str]]:
        """First step of the running year (0 before the first step) and the RUNNING_COLUMNS the model has."""
        steps = self.model.steps
        first = 4 * ((steps - 1) // 4) + 1 if steps > 0 else 0
        have = self.memo(("columns", self.run_token), lambda: set(self.model.quarterly(since_step=0).columns))
        return first, [c for c in RUNNING_COLUMNS if c in have]

    def running_columns(self) -> dict[str, np.ndarray]:
        """The columns of :meth:`running_year` as arrays (the same rows and values, no table built): what the
        status line's monitors read every quarter (cached per step).
        """
        first, cols = self._running_selection()
        return self.cached("running_columns", lambda: self.model.quarterly_arrays(first, cols))

    def yearly(self) -> pd.DataFrame:
        """Yearly indicators of the completed years (cached until the next year completes).

        The yearly charts show completed years; the monitors show the running year. Aggregating the
        running year again after every quarter costs more than the rest of a step.
        """
        done = self.model.steps // 4
        k = ("yearly", (self.run_token, done, current_language()))
        if k not in self._cache:
            y = self.model.yearly()
            self._cache[k] = y[y["quarters"] == 4].reset_index(drop=True) if not y.empty else y
        return self._cache[k]

    def ledger(self, which: str) -> pd.DataFrame:
        """Ledger rows of the current year only (cached per step)."""

        def make() -> pd.DataFrame:
            _year, steps = data.current_year_steps(self.running_columns())
            if not steps:
                return self.model.ledger(which, since_step=self.model.steps + 1)
            return self.model.ledger(which, since_step=min(steps))

        return self.cached(f"ledger_{which}", make)

    def actors(self) -> pd.DataFrame:
        """``model.actors()`` of the current step, built once for every chart that reads it (do not modify)."""
        return self.cached("actors", self.model.actors)

    def links(self) -> pd.DataFrame:
        """``model.links()`` of the current step, built once for every chart that reads it (do not modify)."""
        return self.cached("links", self.model.links)

    def chart_data(self, name: str, *args: Any) -> Any:
        """Chart data by name, computed under the lock and cached per step."""
        with self.lock:
            return self.cached(f"chart_{name}", lambda: self._make(name, *args), *args)

    def _make(self, name: str, *args: Any) -> Any:
        if name == "intensity":
            return data.intensity_frame(self.yearly())
        if name == "performers":
            return data.performer_frame(self.yearly())
        if name == "types":
            return data.type_frame(self.yearly())
        if name == "money":
            exclude = () if args and args[0] else data.MARKET_KINDS
            _year, steps = data.current_year_steps(self.running_columns())
            return data.flow_frame(self.ledger("money"), steps, exclude_kinds=exclude)
        if name == "people":
            _year, steps = data.current_year_steps(self.running_columns())
            return data.flow_frame(self.ledger("people"), steps, scale=1.0)
        if name == "capability":
            labels = {name: field_label(name, label) for name, label in FIELD_LABELS.items()}
            have = self.memo(("columns", self.run_token), lambda: set(self.model.quarterly(since_step=0).columns))
            parts = ("capability", "dependence", "science_capability", "frontier")
            cols = [f"{p}_{f}" for f in FIELD_NAMES for p in parts if f"{p}_{f}" in have]
            last = self.model.quarterly(since_step=self.model.steps, columns=cols)  # the last row only
            return data.capability_frame(last, FIELD_NAMES, labels, self.model.params["control_threshold"])
        if name == "supply":
            return data.supply_frame(self.model.components(), field_labels(), component_labels())
        if name == "supply_time":
            cols = ["step", "controlled_components", *(f"output_{f}" for f in FIELD_NAMES)]
            q = self.model.quarterly(since_step=0, columns=cols)
            return data.controlled_frame(q, self.model.start_year), data.output_frame(
                q, FIELD_NAMES, field_labels(), self.model.start_year
            )
        if name == "sme":
            return data.sme_frame(self.yearly())
        if name == "talent":
            return data.talent_frame(self.yearly())
        if name == "size":
            return data.size_frame(self.actors())
        if name == "network":
            return data.network_frames(
                self.model, by=args[0] if args else "region", actors_df=self.actors(), links=self.links()
            )
        if name == "actors":
            links = self.links()
            dots, lines = data.actor_frames(self.actors(), links, FIELD_NAMES, self.model.region_names)
            return dots, lines, int(links["alive"].sum()) if len(links) else 0
        if name == "monitors":
            return data.monitors(self.running_columns(), len(FIELD_NAMES))
        if name == "projects":
            return data.projects_frames(self.model.research_projects())
        if name == "entry_exit":
            return data.entry_exit_frame(self.yearly())
        if name == "vc_multiples":
            return data.vc_multiple_frames(self.model.vc_deals())
        if name == "vc_invested":
            return data.vc_invested_frame(self.yearly())
        if name == "vc_funds":
            return data.funds_frame(self.model.funds(), self.model.start_year)
        if name == "partner_network":
            return data.partner_network_frames(
                self.model.partnerships(), self.model.consortia(), self.model_seed(), tuple(self.model.region_names)
            )
        if name == "partner_stats":
            return data.network_stat_frames(self.model.network_stats(), self.model.degree_distribution())
        raise KeyError(name)

    def model_seed(self) -> int:
        """The running model's seed (the network layout's)."""
        seed = getattr(self.model, "seed_value", None)
        return int(seed) if seed is not None else int(self.seed)

    def has_funds(self) -> bool:
        """True when the model records VC funds (``model.funds()``); the funds chart is shown only then."""
        return callable(getattr(self.model, "funds", None))

    def csv(self) -> str:
        """The current run's quarterly indicators as CSV text."""
        with self.lock:
            df = self.quarterly().copy()
            df.insert(0, "scenario", scenario_label(self.scenario))
            df.insert(1, "seed", self.seed)
            return df.to_csv(index=False)

    def csv_name(self) -> str:
        """File name for the CSV download."""
        return f"indicators_{scenario_label(self.scenario)}_seed{self.seed}_step{self.model.steps}.csv"

    # -- agent inspector --------------------------------------------------------------------------
    def pick(self, kind: str, how: str = "largest", rng: random.Random | None = None) -> Any:
        """Pick a living actor of ``kind`` by size ('largest', 'median', 'smallest') or 'random'; watch it."""
        with self.lock:
            from abm.kinds import KIND_NAMES

            if kind not in KIND_NAMES:
                raise ParameterError(f"inspector: kind {kind!r} is not allowed; allowed: {', '.join(KIND_NAMES)}")
            actors = self.model.actors(kind)
            if actors.empty:
                raise ParameterError(f"no living actor of kind '{kind}' in this run")
            ids = actors["unique_id"].to_numpy()
            if how == "random":
                uid = int((rng or random.Random()).choice(list(ids)))
            else:
                column = (
                    "size"
                    if kind in ("soe", "private", "sme")
                    else "researchers"
                    if kind in ("university", "lab")
                    else "cash"
                )
                order = ids[np.argsort(actors[column].to_numpy(dtype=float), kind="stable")]
                uid = int({"largest": order[-1], "smallest": order[0], "median": order[len(order) // 2]}[how])
            self.watch = self.model.agent(uid)
            self.watch_gone = None
            self.history = []
            self._record_watch()
            return self.watch

    def watch_id(self, unique_id: int) -> Any:
        """Watch the living actor ``unique_id`` (a click in the actors view)."""
        with self.lock:
            self.watch = self.model.agent(int(unique_id))
            self.watch_gone = None
            self.history = []
            self._record_watch()
            return self.watch

    def _record_watch(self) -> None:
        a = self.watch
        if a is None or self.watch_gone:
            return
        if a.model is not self.model:  # the run went on to its next frozen quarter: the same actor there
            try:
                a = self.watch = self.model.agent(a.unique_id)
            except KeyError:
                self.watch_gone = f"{self.model.year} Q{self.model.quarter + 1}"
                return
        if not a.alive:
            self.watch_gone = f"{self.model.year} Q{self.model.quarter + 1}"
            return
        rec = a.state()
        m = self.model
        # the quarter just run (its end state); before the first step, the start (shown as Q0)
        rec["_time"] = m.year_float if m.steps > 0 else m.start_year - 0.25
        rec["_quarter"] = f"{m.year} Q{m.quarter + 1}" if m.steps > 0 else f"{m.start_year} Q0"
        self.history.append(rec)

    # -- compare mode -------------------------------------------------------------------------------
    def compare(
        self, a: str, b: str, years: int, progress: Callable[[float], None] | None = None, seeds: int = 1
    ) -> dict[str, Any]:
        """Run scenarios a and b for ``years`` with ``seeds`` seeds (this session's seed and the next ones).

        The same seed runs in A and B, so each difference B - A is a paired comparison.

        Returns:
            a, b, years, seed (the first), seeds (the list), seconds, yearly_a and yearly_b (of the
            first seed) and runs: {(scenario "a"/"b", seed): yearly table}.

        Raises:
            ScenarioError or ParameterError: A scenario is broken; nothing is changed.
        """
        t0 = time.perf_counter()
        seed_list = [self.seed + k for k in range(max(1, int(seeds)))]
        out: dict[str, Any] = {"a": a, "b": b, "years": years, "seed": self.seed, "seeds": seed_list, "runs": {}}
        n = 4 * years
        total = 2 * n * len(seed_list)
        done = 0
        for seed in seed_list:
            for which, key in (("a", a), ("b", b)):
                m = InnovationModel.from_scenario(key, seed=seed)
                for j in range(n):
                    m.step()
                    done += 1
                    if progress and j % 8 == 0:
                        progress(done / total)
                out["runs"][(which, seed)] = m.yearly()
        out["yearly_a"] = out["runs"][("a", seed_list[0])]
        out["yearly_b"] = out["runs"][("b", seed_list[0])]
        out["seconds"] = time.perf_counter() - t0
        self.compare_result = out
        return out

    def compare_csv(self) -> str:
        """Every run of the last comparison, one row per run and year, with the compared indicators."""
        res = self.compare_result
        if res is None:
            return ""
        frames = []
        for (which, seed), yearly in res["runs"].items():
            cols = ["year", *[c for c in COMPARE_INDICATORS if c in yearly]]
            f = yearly[cols].copy()
            f.insert(0, "run", which.upper())
            f.insert(1, "scenario", scenario_label(res[which]))
            f.insert(2, "seed", seed)
            frames.append(f)
        return pd.concat(frames, ignore_index=True).to_csv(index=False)
