"""InnovationModel: China's national innovation system as a Mesa model.

One step is a quarter. The order of a step (docs/ODD.md, "Process overview"):
budgets -> finance -> markets -> research -> technology transfer -> talent -> entry and exit ->
accounting and indicators. Mechanisms work on the structure-of-arrays state (:mod:`abm.state`);
the Mesa agents (:mod:`abm.agents`) are the objects users see and read that state.
"""

from __future__ import annotations

import hashlib
import inspect
import zlib
from collections.abc import Iterable, Mapping
from typing import Any

import mesa
import numpy as np
import pandas as pd

from abm import agents as agent_classes
from abm.fields import (
    FIELD_NAMES,
    FIELDS,
    FTE_COST,
    GERD_2015,
    GOV,
    LAB,
    LAB_SUBTYPES,
    MIN_AGENTS,
    N_FIELDS,
    PRIVATE,
    REAL_COUNTS,
    REGION_LAYOUTS,
    RESEARCHERS_ABROAD_2015,
    REVENUE_2015,
    SME,
    SOE,
    STUDENTS_2015,
    UNIVERSITY,
    VC,
    gdp,
)
from abm.indicators import Indicators
from abm.ledger import Accounts, money_node
from abm.mechanisms import entry, finance, funding, markets, research, talent, transfer
from abm.params import FIXED_PARAMS, PARAMETERS, ParameterError, validate_params
from abm.state import State

INITIAL_RUNWAY = 32.0  # mean quarters of cash of loss-making start-ups at the start
STREAMS = ("init", "funding", "finance", "markets", "research", "transfer", "talent", "entry")


def _stream(seed: int, name: str) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(zlib.crc32(name.encode()),)))


class InnovationModel(mesa.Model):
    """Agent-based model of a national innovation system.

    Every keyword argument is a row of the parameter table (:mod:`abm.params`), plus ``seed`` or
    ``rng`` and ``schedule`` (timed policy changes). Built with no arguments it runs the 2015 baseline.

    Attributes:
        params: Validated parameter values in force.
        s: Actor state arrays.
        acc: Accounts and ledgers of money and people.
        indicators: Per-step indicator records.
    """

    def __init__(self, *, seed: int | None = None, rng: Any = None, schedule: Iterable[Any] = (), **kwargs: Any):
        """Build the model.

        Args:
            seed: Integer seed; the same seed gives the same run.
            rng: Alternative to ``seed``: an integer or numpy SeedSequence-like value.
            schedule: Timed policy changes: items ``{"year": Y, "param": name, "value": v}`` or
                ``(year, name, value)``; applied at the start of year Y.
            **kwargs: Parameters from the parameter table.

        Raises:
            ParameterError: A parameter or schedule entry is unknown, of the wrong type or out of range.
        """
        params = validate_params(kwargs)
        if seed is not None and rng is not None:
            raise ParameterError("give either 'seed' or 'rng', not both")
        root = rng if rng is not None else seed
        if root is None:
            root = int(np.random.SeedSequence().entropy % (2**63))
        if isinstance(root, bool) or not isinstance(root, (int, np.integer)):
            raise ParameterError(f"parameter 'seed': value {root!r} is not allowed; allowed: an integer >= 0")
        if root < 0:
            raise ParameterError(f"parameter 'seed': value {root!r} is not allowed; allowed: an integer >= 0")
        self.seed_value = int(root)
        super().__init__(seed=self.seed_value)
        self.params = params
        self.schedule = self._validate_schedule(schedule)
        self.streams = {name: _stream(self.seed_value, name) for name in STREAMS}
        self.start_year = params["start_year"]
        self.region_names = tuple(r[0] for r in REGION_LAYOUTS[params["regions"]])
        self.n_regions = len(self.region_names)
        self.year = self.start_year
        self.quarter = 0
        self._apply_schedule(self.start_year, initial=True)
        self._build()
        self.indicators = Indicators(self)
        self.indicators.collect_initial()

    # ------------------------------------------------------------------------------------------
    # set-up
    # ------------------------------------------------------------------------------------------
    @staticmethod
    def _validate_schedule(schedule: Iterable[Any]) -> tuple[tuple[int, str, Any], ...]:
        out = []
        for i, item in enumerate(schedule or ()):
            if isinstance(item, Mapping):
                extra = set(item) - {"year", "param", "value"}
                if extra or not {"year", "param", "value"} <= set(item):
                    raise ParameterError(
                        f"schedule[{i}]: needs exactly the keys 'year', 'param', 'value'; got {sorted(item)}"
                    )
                year, name, value = item["year"], item["param"], item["value"]
            else:
                try:
                    year, name, value = item
                except (TypeError, ValueError):
                    raise ParameterError(f"schedule[{i}]: {item!r} is not (year, param, value)") from None
            if isinstance(year, bool) or not isinstance(year, int) or not 2015 <= year <= 2100:
                raise ParameterError(f"schedule[{i}].year: value {year!r} is not allowed; allowed: an integer in [2015, 2100]")
            if name in FIXED_PARAMS:
                raise ParameterError(f"schedule[{i}].param: '{name}' is fixed for a run and cannot be scheduled")
            try:
                value = validate_params({name: value})[name]
            except ParameterError as err:
                raise ParameterError(f"schedule[{i}]: {err}") from None
            out.append((year, name, value))
        return tuple(sorted(out, key=lambda t: t[0]))

    def _apply_schedule(self, year: int, *, initial: bool = False) -> None:
        """Apply schedule entries of ``year`` (at set-up also those before the start year)."""
        for y, name, value in self.schedule:
            if y == year or (initial and y < year):
                self.params[name] = value

    def _counts(self, key: str) -> tuple[int, float]:
        real = REAL_COUNTS[key]
        n = max(MIN_AGENTS[key], round(real * self.params["scale"]))
        return n, real / n

    def _build(self) -> None:
        p = self.params
        rng = self.streams["init"]
        # fields
        self.field_klass = np.array([f.klass for f in FIELDS])
        self.frontier_growth = np.array([f.frontier_growth for f in FIELDS])
        self.dependence0 = np.array([f.dependence for f in FIELDS])
        self.dependence = self.dependence0.copy()
        self.frontier = np.ones(N_FIELDS)  # world frontier index (1 at start)
        self.science = np.zeros(N_FIELDS)
        self.science_ref = np.ones(N_FIELDS)
        self.cutoff = np.zeros(N_FIELDS, dtype=bool)
        self.mission_active = False
        self.abroad = RESEARCHERS_ABROAD_2015
        self.deals = finance.Deals()
        self.gdp_q = gdp(self.start_year, p["gdp_growth"]) / 4.0
        self.gdp0_q = self.gdp_q

        counts = {
            "soe": self._counts("soe"), "private": self._counts("private"), "sme": self._counts("sme"),
            "university": self._counts("university"),
        }
        lab_counts = {st: self._counts(st) for st in LAB_SUBTYPES}
        vc_counts = {"private_vc": self._counts("private_vc"), "guidance_fund": self._counts("guidance_fund")}
        total = sum(c[0] for c in counts.values()) + sum(c[0] for c in lab_counts.values())
        total += sum(c[0] for c in vc_counts.values()) + 1 + self.n_regions
        self.s = State(int(total * 1.3))
        self.acc = Accounts(self.s)
        self.agent_of: dict[int, mesa.Agent] = {}
        layout = REGION_LAYOUTS[p["regions"]]
        firm_region_p = np.array([r[1] for r in layout])
        inst_region_p = np.array([r[2] for r in layout])
        field_p = np.array([f.market_share for f in FIELDS])
        cap0 = np.array([f.capability for f in FIELDS])
        s = self.s

        def new(kind: int, subtype: int, n: int, weight: float, region_p: np.ndarray, fp: np.ndarray) -> np.ndarray:
            slots = s.allocate(n)
            s.kind[slots] = kind
            s.subtype[slots] = subtype
            s.weight[slots] = weight
            s.node[slots] = money_node(kind, subtype)
            s.region[slots] = rng.choice(len(region_p), size=n, p=region_p / region_p.sum())
            s.field[slots] = rng.choice(N_FIELDS, size=n, p=fp / fp.sum())
            s.born[slots] = -rng.integers(0, 40, size=n)
            return slots

        # firms
        firm_specs = ((SOE, "soe", 1.2), (PRIVATE, "private", 1.1), (SME, "sme", 1.6))  # Pareto tail index
        for kind, key, tail in firm_specs:
            n, w = counts[key]
            slots = new(kind, 0, n, w, firm_region_p, field_p)
            size = np.minimum(rng.pareto(tail, size=n) + 1.0, 2e3)
            rev_q = REVENUE_2015[key] / 4.0
            s.revenue[slots] = size * rev_q / float(np.sum(w * size))
            f = s.field[slots]
            gap = rng.normal(-0.12 if kind != SOE else -0.08, 0.12, size=n)
            s.know[slots] = cap0[f] * np.exp(gap)
            # SOEs: quality holds a uniform rank that decides reform status (reformed if rank < share)
            s.quality[slots] = rng.random(n) if kind == SOE else rng.normal(0.0, 1.0, size=n)
            s.phd_share[slots] = 0.05
            if kind == SOE:
                s.reformed[slots] = rng.random(n) < p["soe_reform_share"]
            if kind == PRIVATE:
                s.long_horizon[slots] = (rng.random(n) < p["private_long_horizon_share"]).astype(np.int64)
        self.market0 = np.zeros(N_FIELDS)
        # institutions
        inst_field_p = np.sqrt(field_p)
        n, w = counts["university"]
        u_slots = new(UNIVERSITY, 0, n, w, inst_region_p, inst_field_p)
        lab_share = {"institute": 0.70, "state_key_lab": 0.15, "national_lab": 0.08, "new_type": 0.07}
        lab_slots = []
        inst_budget = {}
        for j, st in enumerate(LAB_SUBTYPES):
            n, w = lab_counts[st]
            sl = new(LAB, j, n, w, inst_region_p, inst_field_p)
            lab_slots.append(sl)
            inst_budget[st] = (sl, GERD_2015["institute"] * lab_share[st])
        inst_budget["university"] = (u_slots, GERD_2015["university"])
        for key, (sl, budget_year) in inst_budget.items():
            size = rng.lognormal(0.0, 0.7, size=sl.size)
            per = size * (budget_year / 4.0) / float(np.sum(s.weight[sl] * size))
            s.rd_budget[sl] = per
            s.rd_spend[sl] = per
            cost = FTE_COST["university" if key == "university" else "institute"]
            s.researchers[sl] = per * 4.0 / cost
            s.cash[sl] = per * 0.5
            s.know[sl] = cap0[s.field[sl]] * np.exp(rng.normal(0.0, 0.08, size=sl.size))
            s.patents[sl] = s.researchers[sl] * 0.3
            s.phd_share[sl] = 0.45 if key != "university" else 0.55
            s.stable_frac[sl] = p["stable_share"] * p["central_share"]
            s.project_frac[sl] = 1.0 - s.stable_frac[sl]
            s.local_frac[sl] = 1.0 - p["central_share"]
        s.students[u_slots] = s.researchers[u_slots] * STUDENTS_2015 / float(
            np.sum(s.weight[u_slots] * s.researchers[u_slots])
        )
        # firm R&D and researchers
        for kind in (SOE, PRIVATE, SME):
            sl = s.of_kind(kind)
            intensity = markets.target_intensity(self, sl)
            s.rd_budget[sl] = intensity * s.revenue[sl]
            s.rd_spend[sl] = s.rd_budget[sl] * (1.0 - p["contract_research_share"])
            s.researchers[sl] = s.rd_spend[sl] * 4.0 / FTE_COST["enterprise"]
            s.patents[sl] = s.researchers[sl] * 0.2
            years = 0.5 if kind != SME else 2.0
            s.cash[sl] = s.revenue[sl] * 4.0 * years * 0.2
            if kind == SME:
                # loss-making start-ups hold cash for an exponentially distributed runway, so deaths
                # are spread over time from the start (no cohort of simultaneous deaths)
                burn = np.maximum(
                    p["sme_fixed_cost"] + s.rd_budget[sl] - p["gross_margin"] * s.revenue[sl], 0.0
                )
                s.cash[sl] = 2e5 + burn * rng.exponential(INITIAL_RUNWAY, size=sl.size)
        # VC firms
        for j, key in enumerate(("private_vc", "guidance_fund")):
            n, w = vc_counts[key]
            sl = new(VC, j, n, w, firm_region_p, field_p)
            cap = rng.lognormal(0.0, 1.0, size=n)
            total_cap = 3.0 * p["vc_fundraising"] if j == 0 else 4.0 * p["guidance_fund_budget"]
            s.cash[sl] = cap * total_cap / float(np.sum(w * cap))
        # government bodies: one central, one local per region
        sl = s.allocate(1 + self.n_regions)
        s.kind[sl] = GOV
        s.subtype[sl] = np.r_[0, np.ones(self.n_regions, dtype=np.int64)]
        s.region[sl] = np.r_[0, np.arange(self.n_regions)]
        s.weight[sl] = 1.0
        s.node[sl] = [money_node(GOV, int(t)) for t in s.subtype[sl]]
        s.field[sl] = 0
        self.gov_central = int(sl[0])
        self.gov_local = sl[1:].copy()
        # initial national state
        research.update_capability(self)
        self.capability0 = self.capability.copy()
        markets.init_markets(self)  # sets firm sizes so the first market step reproduces revenues
        research.init_science(self)
        # job-seekers pool: one quarter of hiring
        total_r = float(np.sum(s.weight[: s.n] * s.researchers[: s.n]))
        self.acc.pool = 0.01 * total_r
        self.acc.pool_phd = 0.2 * self.acc.pool
        # Mesa agents
        for slot in range(s.n):
            agent_classes.make_agent(self, slot)

    # ------------------------------------------------------------------------------------------
    # dynamics
    # ------------------------------------------------------------------------------------------
    @property
    def year_float(self) -> float:
        """Calendar time of the current quarter, e.g. 2015.25."""
        return self.year + self.quarter / 4.0

    def step(self) -> None:
        """Advance one quarter."""
        t = self.steps - 1
        self.year = self.start_year + t // 4
        self.quarter = t % 4
        if self.quarter == 0 and t > 0:
            self._apply_schedule(self.year)
        p = self.params
        self.gdp_q = gdp(self.year_float, p["gdp_growth"]) / 4.0
        self.cutoff[:] = False
        if p["cutoff_fields"] != "none" and self.year >= p["cutoff_start_year"]:
            for name in p["cutoff_fields"].split(","):
                self.cutoff[FIELD_NAMES.index(name)] = True
        self.mission_active = (
            p["mission_field"] != "none"
            and p["mission_budget"] > 0
            and p["mission_start_year"] <= self.year < p["mission_start_year"] + p["mission_years"]
        )
        self.flow = dict.fromkeys(Indicators.FLOW_KEYS, 0.0)
        funding.step(self)
        finance.step(self)
        markets.step(self)
        research.step(self)
        transfer.step(self)
        talent.step(self)
        entry.step(self)
        research.update_capability(self)
        self.indicators.collect()
        self.acc.money.close_step(self.steps)
        self.acc.people.close_step(self.steps)

    def run(self, years: int | None = None, *, steps: int | None = None, progress: Any = None) -> InnovationModel:
        """Run for ``years`` (4 steps each) or ``steps`` quarters; returns self.

        Args:
            years: Years to run.
            steps: Quarters to run (instead of years).
            progress: Optional callable called with the step number after each step.
        """
        n = steps if steps is not None else 4 * (years if years is not None else 20)
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ParameterError(f"run length: value {n!r} is not allowed; allowed: a non-negative integer")
        for _ in range(int(n)):
            self.step()
            if progress is not None:
                progress(self.steps)
        return self

    # ------------------------------------------------------------------------------------------
    # outputs
    # ------------------------------------------------------------------------------------------
    def quarterly(self) -> pd.DataFrame:
        """Indicators per quarter, in real units."""
        return self.indicators.quarterly()

    def yearly(self) -> pd.DataFrame:
        """Indicators per calendar year (flows summed over quarters, stocks at year end)."""
        return self.indicators.yearly()

    def snapshot(self) -> pd.DataFrame:
        """One row per living agent with its current state (per real actor) and weight."""
        return agent_classes.snapshot(self)

    def ledger(self, which: str = "money", *, since_step: int | None = None) -> pd.DataFrame:
        """The ledger rows (step, kind, source, target, amount) of 'money' or 'people'.

        Args:
            which: "money" (yuan) or "people" (persons).
            since_step: Only rows of this step and later.
        """
        if which not in ("money", "people"):
            raise ValueError(f"ledger: value {which!r} is not allowed; allowed: 'money' or 'people'")
        return (self.acc.money if which == "money" else self.acc.people).frame(since_step)

    def indicator_hash(self) -> str:
        """SHA-256 of the quarterly indicator table (for determinism checks)."""
        df = self.quarterly()
        return hashlib.sha256(pd.util.hash_pandas_object(df, index=True).values.tobytes()).hexdigest()

    @classmethod
    def from_scenario(cls, scenario: str, **overrides: Any) -> InnovationModel:
        """Build a model from a scenario name (data/scenarios) or TOML path, with overrides."""
        from abm.scenarios import load_scenario

        sc = load_scenario(scenario)
        params = {**sc.params, **{k: v for k, v in overrides.items() if k not in ("seed", "rng", "schedule")}}
        sched = overrides.get("schedule", sc.schedule)
        return cls(seed=overrides.get("seed"), rng=overrides.get("rng"), schedule=sched, **params)


# An explicit signature, so tools that inspect __init__ (SolaraViz, samplers) see every parameter.
_sig_params = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
_sig_params += [
    inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default)
    for name, default in (("seed", None), ("rng", None), ("schedule", ()))
]
_sig_params += [inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY, default=p.default) for p in PARAMETERS]
InnovationModel.__init__.__signature__ = inspect.Signature(_sig_params)  # type: ignore[attr-defined]
