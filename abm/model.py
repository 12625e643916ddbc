"""InnovationModel: China's national innovation system as a Mesa model.

One step is a quarter. The order of a step (docs/ODD.md, "Process overview"):
budgets -> finance -> markets -> research -> technology transfer -> talent -> entry and exit ->
accounting and indicators. Mechanisms work on the structure-of-arrays state (:mod:`abm.state`);
the Mesa agents (:mod:`abm.agents`) are the objects users see and read that state.
"""

from __future__ import annotations

import copy
import hashlib
import inspect
import zlib
from collections.abc import Iterable
from typing import Any

import mesa
import numpy as np
import pandas as pd

from abm import agents as agent_classes
from abm import mechanisms
from abm.components import CAPABILITY0, COMPONENT_NAMES, COMPONENTS, COST_SHARE, N_COMPONENTS, OF_FIELD, WEIGHTS, K
from abm.contract import new_quarter
from abm.fields import (
    FIELD_NAMES,
    FIELDS,
    FTE_COST,
    GERD_2015,
    LAB_BUDGET_SHARE,
    MAX_SOE_AGENT_SHARE,
    MIN_AGENTS,
    N_FIELDS,
    REAL_COUNTS,
    REGION_LAYOUTS,
    RESEARCHERS_ABROAD_2015,
    REVENUE_2015,
    STUDENTS_2015,
    gdp,
)
from abm.indicators import Indicators
from abm.kinds import FIRMS, KIND_NAMES, ExitReason, Funder, GovLevel, Kind, LabType, ProjectOutcome, VCType
from abm.ledger import Accounts, money_node
from abm.mechanisms import (
    ORDER,
    consortia,
    dual,
    entry,
    finance,
    funding,
    funds,
    growth,
    location,
    markets,
    partners,
    projects,
    research,
    supply,
)
from abm.params import (
    FIXED_PARAMS,
    PARAMETERS,
    PARAMS_BY_NAME,
    ParameterError,
    suggest,
    validate_params,
    validate_schedule,
)
from abm.state import ActorState, ComponentState, NationalState, WorldState


def field_capability0() -> np.ndarray:
    """2015 capability per field: cost-weighted mean of its components' initial domestic capability."""
    return np.sum(WEIGHTS * CAPABILITY0[OF_FIELD], axis=1)


#: Named random streams: set-up, then one per mechanism that draws (abm.contract).
STREAMS: tuple[str, ...] = ("init", *dict.fromkeys(m.stream for m in ORDER if m.stream))


def stream(seed: int, name: str) -> np.random.Generator:
    """The random generator of the stream ``name`` for a run's ``seed`` (independent of other streams)."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(zlib.crc32(name.encode()),)))


def cap_share(size: np.ndarray, max_share: float) -> np.ndarray:
    """Sizes of equally weighted agents capped so that none holds more than ``max_share`` of the total."""
    size = np.asarray(size, float).copy()
    if size.size * max_share <= 1.0:
        return np.ones(size.size)
    for _ in range(50):
        cap = max_share * size.sum()
        if size.max() <= cap * (1.0 + 1e-9):
            break
        size = np.minimum(size, cap)
    return size


# labels of the coded columns of the event tables, looked up by array indexing (a list comprehension over
# every project of a long run costs tens of milliseconds)
_FUNDER_LABELS = np.array([f.label for f in Funder], dtype=object)
_OUTCOME_LABELS = np.array([o.label for o in ProjectOutcome], dtype=object)
_EXIT_LABELS = np.array([e.label for e in ExitReason], dtype=object)


class StaleAgentError(LookupError):
    """An agent object whose actor has left the model (died, was acquired or listed) was used."""


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
        if isinstance(root, bool) or not isinstance(root, (int, np.integer)) or root < 0:
            raise ParameterError(f"parameter 'seed': value {root!r} is not allowed; allowed: an integer >= 0")
        self.seed_value = int(root)
        super().__init__(seed=self.seed_value)
        self.params = params
        self.schedule = validate_schedule(schedule)
        self.streams = {name: stream(self.seed_value, name) for name in STREAMS}
        self.start_year = params["start_year"]
        self.region_names = tuple(r[0] for r in REGION_LAYOUTS[params["regions"]])
        self.n_regions = len(self.region_names)
        self.year = self.start_year
        self.quarter = 0
        self.mechanisms = mechanisms.ORDER  # the step's mechanisms, fixed for this run
        self.streams.update(
            {
                m.stream: stream(self.seed_value, m.stream)
                for m in self.mechanisms
                if m.stream and m.stream not in self.streams
            }
        )
        self.flow = new_quarter(self.mechanisms)
        self._apply_schedule(self.start_year, initial=True)
        self._build()
        self.indicators = Indicators(self)
        self.indicators.collect()

    # ------------------------------------------------------------------------------------------
    # set-up
    # ------------------------------------------------------------------------------------------
    def _apply_schedule(self, year: int, *, initial: bool = False) -> None:
        """Apply schedule entries of ``year`` (at set-up also those before the start year)."""
        for y, name, value in self.schedule:
            if y == year or (initial and y < year):
                self.params[name] = value

    def _counts(self, key: str) -> tuple[int, float]:
        """Number of agents and weight of each for a population of REAL_COUNTS[key] real actors."""
        real = REAL_COUNTS[key]
        n = max(MIN_AGENTS[key], round(real * self.params["scale"]))
        return n, real / n

    def _new(self, kind: Kind, subtype: int, key: str, region_p: np.ndarray, field_p: np.ndarray) -> np.ndarray:
        """Allocate the agents of one population (REAL_COUNTS[key]) with random regions, fields, ages."""
        rng = self.streams["init"]
        s = self.s
        n, weight = self._counts(key)
        slots = s.allocate(n)
        s.kind[slots] = kind
        s.roster_changed()
        s.subtype[slots] = subtype
        s.weight[slots] = weight
        s.node[slots] = money_node(kind, subtype)
        s.region[slots] = rng.choice(len(region_p), size=n, p=region_p / region_p.sum())
        s.field[slots] = rng.choice(N_FIELDS, size=n, p=field_p / field_p.sum())
        s.born[slots] = -rng.integers(0, 40, size=n)
        return slots

    def _build(self) -> None:
        """Create the state, the initial population and the national starting point."""
        self._build_world()
        keys = ("soe", "private", "sme", "university", *(t.label for t in LabType), *(t.label for t in VCType))
        total = sum(self._counts(k)[0] for k in keys) + 1 + self.n_regions + supply.FOREIGN_PER_FIELD * N_FIELDS
        self.s = ActorState(int(total * 1.3))
        self.acc = Accounts(self.s)
        self.agent_of: dict[int, mesa.Agent] = {}
        layout = REGION_LAYOUTS[self.params["regions"]]
        self._firm_region_p = np.array([r[1] for r in layout])
        self._inst_region_p = np.array([r[2] for r in layout])
        self._field_p = np.array([f.market_share for f in FIELDS])
        self._build_firms()
        self._build_institutions()
        self._build_firm_rd()
        self._build_vc()
        self._build_government()
        supply.build_foreign_firms(self)
        self._build_national_state()
        for slot in range(self.s.n):
            agent_classes.make_agent(self, slot)
        partners.init_panel(self)  # needs the agents' ids

    def _build_world(self) -> None:
        """Fields (world state) and national scalars at the start."""
        w = self.world = WorldState(N_FIELDS)
        w.klass = np.array([f.klass for f in FIELDS])
        w.frontier_growth = np.array([f.frontier_growth for f in FIELDS])
        w.frontier = np.ones(N_FIELDS)  # world frontier index (1 at start)
        self.comp = ComponentState(N_COMPONENTS)
        w.science = np.zeros(N_FIELDS)
        w.science_ref = np.ones(N_FIELDS)
        w.wage = np.ones(N_FIELDS)
        nation = self.nation = NationalState()
        nation.abroad = RESEARCHERS_ABROAD_2015
        nation.gdp_q = gdp(self.start_year, self.params["gdp_growth"]) / 4.0
        nation.gdp0_q = nation.gdp_q
        self.deals = finance.Deals()
        self.vc_funds = funds.Funds()

    def _build_firms(self) -> None:
        """SOEs, private firms and start-ups: Pareto sizes, revenues, knowledge, reform and horizon."""
        p = self.params
        s = self.s
        rng = self.streams["init"]
        cap0 = field_capability0()
        for kind in FIRMS:
            key = kind.label
            slots = self._new(kind, 0, key, self._firm_region_p, self._field_p)
            n, w = self._counts(key)
            size = np.minimum(rng.pareto(p[f"pareto_tail_{key}"], size=n) + 1.0, 2e3)
            if p["equal_initial_sizes"]:
                size = np.ones(n)
            if kind == Kind.SOE:
                size = cap_share(size, MAX_SOE_AGENT_SHARE)
            rev_q = REVENUE_2015[key] / 4.0
            s.revenue[slots] = size * rev_q / float(np.sum(w * size))
            f = s.field[slots]
            gap = rng.normal(-0.12 if kind != Kind.SOE else -0.08, 0.12, size=n)
            supply.init_know(self, slots, cap0[f] * np.exp(gap))
            s.know_c[slots] = np.minimum(
                s.know_c[slots] * np.exp(rng.normal(0.0, 0.05, size=(n, K))), CAPABILITY0[OF_FIELD[f]]
            )
            supply.sync_know(self, slots)
            # SOEs: quality holds a uniform rank that decides reform status (reformed if rank < share)
            s.quality[slots] = rng.random(n) if kind == Kind.SOE else rng.normal(0.0, 1.0, size=n)
            s.phd_share[slots] = 0.05
            if kind == Kind.SOE:
                s.reformed[slots] = rng.random(n) < p["soe_reform_share"]
                # reference distance to the frontier of the SOE R&D rule (abm.firms)
                self.nation.soe_gap_ref = float(np.median(np.maximum(1.02 - s.know[slots], 0.02)))
            if kind == Kind.PRIVATE:
                s.long_horizon[slots] = (rng.random(n) < p["private_long_horizon_share"]).astype(np.int64)

    def _build_institutions(self) -> None:
        """Universities and labs: budgets (GERD 2015 by performer), researchers, students, funding mix."""
        p = self.params
        s = self.s
        rng = self.streams["init"]
        cap0 = field_capability0()
        inst_field_p = np.sqrt(self._field_p)
        u_slots = self._new(Kind.UNIVERSITY, 0, "university", self._inst_region_p, inst_field_p)
        inst_budget = {}
        for t in LabType:
            sl = self._new(Kind.LAB, t, t.label, self._inst_region_p, inst_field_p)
            inst_budget[t.label] = (sl, GERD_2015["institute"] * LAB_BUDGET_SHARE[t.label])
        inst_budget["university"] = (u_slots, GERD_2015["university"])
        for key, (sl, budget_year) in inst_budget.items():
            size = rng.lognormal(0.0, 0.7, size=sl.size)
            per = size * (budget_year / 4.0) / float(np.sum(s.weight[sl] * size))
            s.rd_budget[sl] = per
            s.rd_spend[sl] = per
            cost = FTE_COST["university" if key == "university" else "institute"]
            s.researchers[sl] = per * 4.0 / cost
            s.cash[sl] = per * 0.5
            supply.init_know(self, sl, cap0[s.field[sl]] * np.exp(rng.normal(0.0, 0.08, size=sl.size)))
            s.patents[sl] = s.researchers[sl] * 0.3
            s.phd_share[sl] = 0.45 if key != "university" else 0.55
            s.stable_frac[sl] = p["stable_share"] * p["central_share"]
            s.project_frac[sl] = 1.0 - s.stable_frac[sl]
            s.local_frac[sl] = 1.0 - p["central_share"]
        s.students[u_slots] = (
            s.researchers[u_slots] * STUDENTS_2015 / float(np.sum(s.weight[u_slots] * s.researchers[u_slots]))
        )

    def _build_firm_rd(self) -> None:
        """Firms' R&D budgets, researchers, patents and cash (start-ups: a spread of runways)."""
        p = self.params
        s = self.s
        rng = self.streams["init"]
        for kind in FIRMS:
            sl = s.of_kind(kind)
            years = 0.5 if kind != Kind.SME else 2.0
            s.cash[sl] = s.revenue[sl] * 4.0 * years * 0.2
            intensity = markets.target_intensity(self, sl)
            s.rd_budget[sl] = intensity * s.revenue[sl]
            s.rd_spend[sl] = s.rd_budget[sl] * (1.0 - p["contract_research_share"])
            s.researchers[sl] = s.rd_spend[sl] * 4.0 / FTE_COST["enterprise"]
            s.patents[sl] = s.researchers[sl] * 0.2
            if kind == Kind.SME:
                # loss-making start-ups hold cash for an exponentially distributed runway, so deaths
                # are spread over time from the start (no cohort of simultaneous deaths)
                burn = np.maximum(p["sme_fixed_cost"] + s.rd_budget[sl] - p["gross_margin"] * s.revenue[sl], 0.0)
                s.cash[sl] = 2e5 + burn * rng.exponential(p["sme_initial_runway"], size=sl.size)

    def _build_vc(self) -> None:
        """Private VC firms and state guidance funds with log-normal fund sizes."""
        p = self.params
        s = self.s
        rng = self.streams["init"]
        for t in VCType:
            sl = self._new(Kind.VC, t, t.label, self._firm_region_p, self._field_p)
            n, w = self._counts(t.label)
            cap = rng.lognormal(0.0, 1.0, size=n)
            # private VC starts with 3 years of fund-raising, guidance funds with 4 years of capital
            total_cap = 3.0 * p["vc_fundraising"] if t == VCType.PRIVATE_VC else 4.0 * p["guidance_fund_budget"]
            s.cash[sl] = cap * total_cap / float(np.sum(w * cap))
        funds.init_funds(self)  # each private VC firm's starting cash is its first fund

    def _build_government(self) -> None:
        """One central government body and one local government per region."""
        s = self.s
        sl = s.allocate(1 + self.n_regions)
        s.kind[sl] = Kind.GOV
        s.roster_changed()
        s.subtype[sl] = np.r_[GovLevel.CENTRAL, np.full(self.n_regions, GovLevel.LOCAL, dtype=np.int64)]
        s.region[sl] = np.r_[0, np.arange(self.n_regions)]
        s.weight[sl] = 1.0
        s.node[sl] = [money_node(Kind.GOV, int(t)) for t in s.subtype[sl]]
        s.field[sl] = 0
        self.gov_central = int(sl[0])
        self.gov_local = sl[1:].copy()

    def _build_national_state(self) -> None:
        """National capability, markets and science at the start; the job-seekers' pool."""
        s = self.s
        supply.init_supply(self)  # buyers' sourcing, domestic supply capability, foreign firms' sales
        self.world.capability0 = self.world.capability.copy()
        self.world.dependence0 = self.world.dependence.copy()
        markets.init_markets(self)  # sets firm sizes so the first market step reproduces revenues
        supply.finish_init(self)
        self.world.capability0 = self.world.capability.copy()
        funding.init_grants(self)
        dual.init_dual(self)
        location.init_location(self)
        consortia.init_consortia(self)
        projects.init_projects(self)
        research.init_science(self)
        entry.init_pipeline(self)
        growth.init_growth(self)
        # job-seekers pool: one quarter of hiring
        total_r = float(np.sum(s.weight[: s.n] * s.researchers[: s.n]))
        self.acc.pool = 0.01 * total_r
        self.acc.pool_phd = 0.2 * self.acc.pool

    # ------------------------------------------------------------------------------------------
    # dynamics
    # ------------------------------------------------------------------------------------------
    @property
    def year_float(self) -> float:
        """Calendar time of the current quarter, e.g. 2015.25."""
        return self.year + self.quarter / 4.0

    def _policy_state(self) -> None:
        """GDP (observed path, or endogenous: abm.mechanisms.growth), cut-offs and the mission of this quarter."""
        p = self.params
        # the observed path, times technology in use against its expected path when GDP is endogenous
        self.nation.gdp_q = gdp(self.year_float, p["gdp_growth"]) / 4.0 * growth.gdp_factor(self)
        cut = self.world.cutoff
        cut[:] = False
        if p["cutoff_fields"] != "none" and self.year >= p["cutoff_start_year"]:
            for name in p["cutoff_fields"].split(","):
                cut[FIELD_NAMES.index(name)] = True
        self.nation.mission_active = bool(
            p["mission_field"] != "none"
            and p["mission_budget"] > 0
            and p["mission_start_year"] <= self.year < p["mission_start_year"] + p["mission_years"]
        )

    def step(self) -> None:
        """Advance one quarter: every mechanism of ORDER in turn, then record the indicators."""
        t = self.steps - 1
        self.year = self.start_year + t // 4
        self.quarter = t % 4
        if self.quarter == 0 and t > 0:
            self._apply_schedule(self.year)
        self._policy_state()
        self.flow = new_quarter(self.mechanisms)
        for mechanism in self.mechanisms:
            mechanism.step(self)
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
    def quarterly(self, since_step: int | None = None, columns: list[str] | None = None) -> pd.DataFrame:
        """Indicators per quarter, in real units.

        Args:
            since_step: Only the quarters of this step and later (cheap for the last few quarters,
                e.g. the running year; the full table is copied on every call).
            columns: Only these columns, in this order (cheaper with ``since_step``).
        """
        return self.indicators.quarterly(since_step, columns)

    def quarterly_arrays(self, since_step: int, columns: list[str]) -> dict[str, np.ndarray]:
        """The quarters of ``since_step`` and later of :meth:`quarterly`'s ``columns`` as one array per column
        (the same values; no table built: cheap for the last few quarters, as a live view asks every quarter).

        Args:
            since_step: The first step.
            columns: Columns of :meth:`quarterly` (not its ratio ``rd_intensity``); a KeyError names an unknown one.
        """
        return self.indicators.columns(since_step, columns)

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

    def __deepcopy__(self, memo: dict[int, Any]) -> InnovationModel:
        """A copy that goes on exactly as this model would: every state, stream and record copied, and
        new agents numbered from where this model's numbering stands (Mesa keeps that count outside the
        model, keyed by it, so a plain deep copy would number its new agents from 1 again).
        """
        new = object.__new__(type(self))
        memo[id(self)] = new
        new.__dict__.update(copy.deepcopy(self.__dict__, memo))
        agent_classes.NISAgent._ids[new] = agent_classes.IdCounter(agent_classes.NISAgent._ids[self].next_id)
        return new

    def indicator_hash(self) -> str:
        """SHA-256 of the quarterly indicator table, columns in name order (for determinism checks).

        Hashing in name order makes the hash a property of the values, not of the table's layout.
        """
        df = self.quarterly()
        df = df[sorted(df.columns)]
        return hashlib.sha256(pd.util.hash_pandas_object(df, index=True).values.tobytes()).hexdigest()

    # ------------------------------------------------------------------------------------------
    # public API for dashboards, calibration and scripts (they use nothing else of the model)
    # ------------------------------------------------------------------------------------------
    def set_params(self, **values: Any) -> dict[str, Any]:
        """Change parameters mid-run, validated; all or none are applied.

        Parameters that shape the initial population (FIXED_PARAMS: scale, start_year, regions)
        cannot change mid-run: build a new model instead.

        Returns:
            The validated values now in force (only those given).

        Raises:
            ParameterError: naming the parameter, the value and what is allowed.
        """
        clean: dict[str, Any] = {}
        for name, value in values.items():
            if name not in PARAMS_BY_NAME:
                raise ParameterError(f"unknown parameter '{name}'{suggest(name, PARAMS_BY_NAME)}")
            if name in FIXED_PARAMS and value != self.params[name]:
                raise ParameterError(
                    f"parameter '{name}': value {value!r} cannot be set mid-run ({name} shapes the initial "
                    f"population; allowed: build a new model)"
                )
            clean[name] = validate_params({name: value})[name]
        self.params.update(clean)
        return clean

    def actors(self, kind: str | Kind | None = None) -> pd.DataFrame:
        """One row per living actor (of one kind, if given): ids, kind, field, region and state.

        Values are per real actor; ``weight`` is the number of real actors the agent stands for.

        Args:
            kind: A kind label ("soe", "private", "sme", "university", "lab", "vc", "gov"), a
                :class:`abm.kinds.Kind`, or None for all.

        Raises:
            ValueError: ``kind`` names no kind (the message lists the allowed labels).
        """
        df = agent_classes.snapshot(self)
        if kind is not None and not df.empty:
            df = df[df["kind"] == Kind.parse(kind).label].reset_index(drop=True)
        return df

    def agent(self, unique_id: int) -> agent_classes.NISAgent:
        """The living agent with ``unique_id``.

        Raises:
            KeyError: No living agent has that id.
        """
        s = self.s
        slots = np.flatnonzero(s.alive[: s.n] & (s.uid[: s.n] == int(unique_id)))
        if slots.size == 0:
            raise KeyError(f"agent: no living agent has unique_id {unique_id!r}")
        return self.agent_of[int(slots[0])]

    def links(self) -> pd.DataFrame:
        """Technology and contract-research links of the last 8 quarters, one row per deal.

        Columns: step (the quarter of the deal), source_id (the buyer), target_id (the seller),
        source_kind, target_kind, alive (both ends still in the model), real_deals (the buyer agent's
        weight: real deals the row stands for; their sum is the ``network_links`` indicator).
        """
        ids = self.indicators.edge_list(ids=True)
        steps = self.indicators.edge_steps()
        slots = self.indicators.edge_list()
        s = self.s
        names = np.array(KIND_NAMES)
        live = (s.uid[slots[0]] == ids[0]) & (s.uid[slots[1]] == ids[1]) & s.alive[slots[0]] & s.alive[slots[1]]
        return pd.DataFrame(
            {
                "step": steps,
                "source_id": ids[0],
                "target_id": ids[1],
                "source_kind": names[s.kind[slots[0]]],
                "target_kind": names[s.kind[slots[1]]],
                "alive": live,
                "real_deals": np.concatenate([x[3] for x in self.indicators.edges]) if self.indicators.edges else 0.0,
            }
        )

    def partnerships(self) -> pd.DataFrame:
        """Ties of the sampled real-actor collaboration network (abm.mechanisms.partners), one row per tie.

        Columns: a, b (panel member indices), a_id/b_id (agent ids) and a_member/b_member (which of
        the agent's real actors), a_kind/b_kind, a_field/b_field, a_region/b_region, since (step the
        tie was formed or last renewed).
        """
        return partners.partnerships(self)

    def network_stats(self, null_draws: int = 5) -> pd.DataFrame:
        """Statistics of the sampled real-actor collaboration network now (one row): nodes, edges,
        mean and max degree, clustering (transitivity), its configuration-model expectation
        (clustering_null) and the mean clustering of ``null_draws`` sampled degree-preserving random
        graphs (clustering_rewired; drawn from a generator of the seed, no model stream moves), mean
        local clustering, components, giant share, mean path length, share of firm-institution ties.
        """
        from abm import network

        p = self.panel
        out = dict(partners.panel_stats(self, now=True))
        deg = network.degrees(p.size, p.a, p.b)
        rng = np.random.default_rng([self.seed_value, self.steps, 7])
        out["clustering_rewired"] = network.configuration_null(deg, rng, draws=null_draws) if null_draws else 0.0
        return pd.DataFrame([{"step": self.steps, **out}])

    def degree_distribution(self) -> pd.DataFrame:
        """Degree distribution of the sampled real-actor network: degree, actors with that degree."""
        from abm import network

        p = self.panel
        counts = network.degree_distribution(p.size, p.a, p.b)
        return pd.DataFrame({"degree": np.arange(counts.size), "actors": counts})

    def world_frame(self) -> pd.DataFrame:
        """Per technology field: class, world frontier, national capability, dependence, science, demand,
        imports, whether supply is cut off and whether the field is 'controlled by others'.
        """
        w = self.world
        return pd.DataFrame(
            {
                "field": FIELD_NAMES,
                "label": [f.label for f in FIELDS],
                "klass": w.klass,
                "frontier": w.frontier,
                "capability": w.capability,
                "dependence": w.dependence,
                "science": w.science / w.science_ref,
                "science_capability": w.science_capability,
                "output": w.output,
                "demand": w.demand,
                "imports": w.imports,
                "cutoff": w.cutoff,
                "controlled": w.dependence > self.params["control_threshold"],
            }
        )

    def components(self) -> pd.DataFrame:
        """Per key component (abm.components): field, cost share, world frontier, domestic supply
        capability and science, domestic share of purchases (now and in 2015), share of buyers who
        accept domestic supply, what is supplied under a cut-off, purchases and imports (yuan per
        quarter), whether it is cut off and whether it is 'controlled by others' (import share above
        control_threshold).
        """
        c = self.comp
        return pd.DataFrame(
            {
                "component": COMPONENT_NAMES,
                "label": [x.label for x in COMPONENTS],
                "field": [x.field for x in COMPONENTS],
                "cost_share": COST_SHARE,
                "frontier": c.frontier,
                "capability": c.quality,
                "capability0": c.quality0,
                "science": c.science,
                "domestic_share": c.domestic_share,
                "domestic_share0": c.domestic_share0,
                "accept": c.accept,
                "available": c.available,
                "purchases": c.purchases,
                "imports": c.imports,
                "cut": c.cut,
                "controlled": 1.0 - c.domestic_share > self.params["control_threshold"],
            }
        )

    def vc_deals(self) -> pd.DataFrame:
        """Every VC stake: start-up and fund ids, money, stake, real financings the row stands for (an agent's
        round is split over its investors, so weight statistics of financings by it), step, how it ended
        and its multiple.
        """
        d = self.deals
        k = d.n
        closed = ~d.open[:k]
        return pd.DataFrame(
            {
                "sme_slot": d.sme[:k],
                "vc_slot": d.vc[:k],
                "invested": d.invested[:k],
                "stake": d.stake[:k],
                "financings": d.financings[:k],
                "step": d.step[:k],
                "open": d.open[:k],
                "exit": _EXIT_LABELS[d.exit[:k]],
                "proceeds": d.proceeds[:k],
                "multiple": np.where(closed, d.proceeds[:k] / np.maximum(d.invested[:k], 1e-9), np.nan),
            }
        )

    def funds(self) -> pd.DataFrame:
        """Every private VC fund (docs/ODD.md 7.2a): fund, vc_slot (managing agent), kind ("private", or
        "guided" with a guidance fund as LP), vintage_step, committed, called (= committed: paid in at the
        close), invested, distributed (to LPs), nav (open stakes at investors' marks plus cash; 0 once
        wound up), status ("open"/"closed"), tvpi, dpi; also guidance_committed, guidance_returned, carry,
        fees. Money in real yuan summed over the agent's firms.
        """
        return funds.frame(self)

    def research_projects(self) -> pd.DataFrame:
        """Every research project (docs/ODD.md 7.4a): performer and funder, budget, share, start, line
        start, duration, risk, breakthroughs per actor, quality of the winning proposal, outcome and weight (real
        projects the row stands for: the performer's weight when the project started); one row per agent's project.
        """
        pr = self.projects
        k = pr.n
        return pd.DataFrame(
            {
                "performer_slot": pr.perf[:k],
                "performer_id": pr.uid[:k],
                "funder": _FUNDER_LABELS[pr.funder[:k]],
                "budget": pr.budget[:k],
                "share": pr.share[:k],
                "start": pr.start[:k],
                "line_start": pr.line_start[:k],
                "duration": pr.duration[:k],
                "risk": pr.risk[:k],
                "breakthroughs": pr.bt[:k],
                "quality": pr.quality[:k],
                "outcome": _OUTCOME_LABELS[pr.outcome[:k]],
                "weight": pr.weight[:k],
            }
        )

    def consortia(self) -> pd.DataFrame:
        """Every innovation consortium of the run (docs/ODD.md 7, "Innovation consortia"): field, lead rule,
        leader, founding members (agent ids and kinds), real members now, pathways, government money and
        co-funding received (yuan), start and end step, outcome (running, success, failure, deadline) and the
        component of its first success.
        """
        return consortia.frame(self)

    def population(self) -> dict[str, Any]:
        """Counts for monitors: real actors and agents per kind, researchers, start-ups, step, year."""
        s = self.s
        n = s.n
        alive = s.alive[:n]
        kinds = s.kind[:n][alive]
        real = np.bincount(kinds, s.weight[:n][alive], minlength=len(Kind))
        agents = np.bincount(kinds, minlength=len(Kind))
        return {
            "step": self.steps,
            "year": self.year,
            "quarter": self.quarter,
            "actors": {k.label: float(real[k]) for k in Kind},
            "agents": {k.label: int(agents[k]) for k in Kind},
            "researchers": float(np.sum((s.weight[:n] * s.researchers[:n])[alive])),
        }

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
