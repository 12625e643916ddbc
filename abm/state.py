"""Declared state of the model: per-actor columns, per-field world state and national scalars.

Every piece of state is declared once here, with its unit and meaning, and created in one place
(the model's set-up). Mechanisms read and write these arrays but never add attributes of their own:
the classes use ``__slots__``-like checks (:meth:`Declared.__setattr__`) so a typo or an undeclared
attribute raises instead of silently creating state.

- :class:`ActorState`: structure-of-arrays over actor slots. Every actor (Mesa agent) owns one slot
  ``i``; values are *per real actor*: an agent of weight ``w`` stands for ``w`` identical real
  actors, so national totals are ``sum(w * x)``.
- :class:`WorldState`: one value per technology field (frontier, capability, dependence, science,
  demand, ...).
- :class:`NationalState`: national scalars (GDP, researchers abroad, whether a mission runs).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np


class Column:
    """Declaration of one state variable: unit, meaning, dtype and the value of a fresh slot.

    Used as a class attribute of a :class:`Declared` subclass; the array itself lives in the
    instance (instance attributes take precedence over this non-data descriptor, so reading
    ``state.cash`` costs nothing extra).
    """

    def __init__(self, unit: str, meaning: str, dtype: Any = float, fill: Any = 0, width: int = 0) -> None:
        self.unit = unit
        self.meaning = meaning
        self.dtype = np.dtype(dtype)
        self.fill = fill
        self.width = int(width)  # 0: one value per slot; k > 0: a row of k values per slot
        self.name = ""

    def shape(self, n: int) -> tuple[int, ...]:
        """Shape of the array for ``n`` slots."""
        return (n, self.width) if self.width else (n,)

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, objtype: Any = None) -> Any:
        if obj is None:
            return self
        raise AttributeError(f"{type(obj).__name__}.{self.name} has not been created")

    def __repr__(self) -> str:
        return f"Column({self.name!r}, unit={self.unit!r}, dtype={self.dtype})"


class Scalar(Column):
    """Declaration of a scalar state variable (a number, not an array)."""


_COLUMNS: dict[type, tuple[Column, ...]] = {}  # Declared.columns of each class


class Declared:
    """Base class: state whose attributes are exactly the declared columns (plus private helpers)."""

    @classmethod
    def columns(cls) -> tuple[Column, ...]:
        """Declared columns in declaration order (worked out once per class: a fresh slot asks each time)."""
        cached = _COLUMNS.get(cls)
        if cached is not None:
            return cached
        out: dict[str, Column] = {}
        for klass in reversed(cls.__mro__):
            for name, value in vars(klass).items():
                if isinstance(value, Column):
                    out[name] = value
        cached = _COLUMNS[cls] = tuple(out.values())
        return cached

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("_") and not isinstance(getattr(type(self), name, None), Column):
            raise AttributeError(f"{type(self).__name__} has no declared state '{name}'")
        object.__setattr__(self, name, value)

    def describe(self) -> list[dict[str, str]]:
        """Name, unit, dtype and meaning of every declared column."""
        return [
            {
                "name": c.name,
                "unit": c.unit,
                "dtype": str(c.dtype) + (f" x {c.width}" if c.width else ""),
                "meaning": c.meaning,
            }
            for c in self.columns()
        ]


class ActorState(Declared):
    """Arrays of actor state with free-slot reuse.

    Attributes:
        n: Number of slots in use (alive or dead); arrays have capacity >= n.
    """

    # identity
    kind = Column("abm.kinds.Kind", "Kind of actor.", np.int64)
    subtype = Column("sub-type enum", "Lab type, VC type or government level (abm.kinds).", np.int64)
    region = Column("region index", "Region of the actor (model.region_names).", np.int64)
    field = Column("field index", "Technology field of the actor (abm.fields.FIELD_NAMES).", np.int64)
    born = Column("step", "Step the actor was born (negative for actors older than the start).", np.int64)
    node = Column("ledger node", "Money node of the actor in the ledger (abm.ledger.MONEY_NODES).", np.int64)
    alive = Column("flag", "The slot holds a living actor.", bool, False)
    uid = Column("agent id", "unique_id of the Mesa agent in the slot (-1 before it is made).", np.int64, -1)
    weight = Column("real actors per agent", "Number of real actors the agent stands for.")
    # money
    cash = Column("yuan per actor", "Cash held (changes only through the ledger).")
    revenue = Column("yuan per quarter per actor", "Sales last quarter.")
    size = Column("market-share weight", "Revenue capacity of a firm (1 = 1 m yuan of quarterly revenue at par).")
    debt = Column("yuan per actor", "Bank loans outstanding (private firms and SOEs; abm.mechanisms.entry).")
    rd_budget = Column("yuan per quarter per actor", "R&D planned this quarter.")
    cofund_out = Column(
        "yuan per quarter per actor",
        "Co-funding paid into a mission consortium this quarter (abm.mechanisms.consortia); part of the member's R&D.",
    )
    rd_spend = Column("yuan per quarter per actor", "R&D performed in the last quarter (intramural).")
    rd_basic = Column("yuan per quarter per actor", "Basic research part of rd_spend.")
    rd_applied = Column("yuan per quarter per actor", "Applied research part of rd_spend.")
    rd_dev = Column("yuan per quarter per actor", "Experimental development part of rd_spend.")
    # people
    researchers = Column("persons (FTE) per actor", "Researchers employed (changes only through the ledger).")
    phd_share = Column("share", "Share of researchers with a doctorate.")
    students = Column("persons per actor", "Research-track postgraduate students (universities).")
    dual_out = Column(
        "persons per actor",
        "Institutions: researchers holding a part-time post at a firm (still on the staff; abm.mechanisms.dual).",
    )
    dual_in = Column(
        "persons per actor",
        "Firms: institutions' researchers holding a part-time post here (counted at their institution).",
    )
    # knowledge
    know = Column(
        "index (1 = world frontier)",
        "Capability relative to the world frontier of the field: the cost-weighted mean of know_c over the field's "
        "components (abm.technology).",
    )
    know_c = Column(
        "index (1 = world frontier of the component)",
        "Capability in each key component of the actor's field (row j = component j of the field, abm.technology).",
        width=5,
    )
    dom_use = Column("share", "Share of each component of its field the firm buys from domestic suppliers.", width=5)
    patents = Column("patents per actor", "Stock of patents (2% depreciation per quarter).")
    quality = Column("index", "Latent idea quality (start-ups); uniform reform rank in [0, 1) for SOEs.")
    # funding composition
    stable_frac = Column("share", "Moving average of the stable share of public funding received.")
    project_frac = Column("share", "Moving average of the project share of public funding received.")
    local_frac = Column("share", "Moving average of the local-government share of public funding received.")
    mission_frac = Column("share", "Moving average of the mission share of funding received.")
    risk = Column(
        "share", "Share of the actor's research effort in risky lines (its projects' risk, abm.mechanisms.projects)."
    )
    # selection: track record, evaluated performance
    track_record = Column(
        "index 0-1",
        "Outcomes of the actor's ended projects (breakthrough 1, incremental 0.5, failure 0), a moving average.",
        float,
        0.5,
    )
    performance = Column(
        "outputs per researcher-quarter",
        "Institutions: moving average of the outputs their evaluation counts (evaluation_basis), per researcher.",
    )
    evaluation = Column(
        "index (1 = mean institution)",
        "Institutions: last yearly evaluation of performance (noisy), which re-allocates stable funding.",
        float,
        1.0,
    )
    # received last quarter
    gov_in = Column("yuan per quarter per actor", "Public research money received last quarter.")
    subsidy_in = Column("yuan per quarter per actor", "Subsidies and R&D tax credit received last quarter.")
    contract_in = Column("yuan per quarter per actor", "Contract research received last quarter.")
    work_bought = Column(
        "yuan per actor",
        "In-house cost of the technical work a firm contracted out last quarter: its operating costs fall by it "
        "this quarter (abm.mechanisms.transfer, make or buy).",
    )
    service_experience = Column(
        "yuan per actor at 2015 prices",
        "Technical work delivered to other firms as a provider, cumulative, per real actor of the agent (held by "
        "the service_reach of them that have provided: abm.mechanisms.transfer.provider_terms).",
    )
    service_reach = Column(
        "share of the agent's real actors",
        "Share of the agent's real actors that have delivered technical work to other firms (experienced "
        "providers, each with service_experience / service_reach of work behind it; the rest are novices).",
    )
    equity_in = Column("yuan per quarter per actor", "VC money received last quarter.")
    equity_stock = Column("yuan per actor", "VC money received and not yet spent on R&D (start-ups).")
    proceeds_in = Column("yuan per actor", "Exit proceeds received by a VC firm since its last payout.")
    vc_belief = Column(
        "index", "Investors' expectation of a financed start-up's latent quality (updated by news each quarter)."
    )
    revenue_last = Column("yuan per quarter per actor", "Revenue investors saw a quarter earlier (start-ups).")
    revenue_growth = Column(
        "log growth per quarter", "Investors' estimate of a start-up's revenue growth: a moving average over a year."
    )
    vc_post = Column("yuan per actor", "Post-money valuation of a start-up's last VC round (0 = never financed).")
    output = Column(
        "share",
        "Output a firm can make with the components it gets (1 = fully supplied; abm.mechanisms.supply).",
        float,
        1.0,
    )
    breakthroughs = Column("breakthroughs per quarter per actor", "Breakthroughs in the last quarter.")
    patents_new = Column("patents per quarter per actor", "Patents granted in the last quarter.")
    # behaviour flags
    partner = Column("slot", "Last technology partner (-1 = none).", np.int64, -1)
    allies = Column(
        "slot",
        "Agents this agent remembers as joint-project partners (-1 = none; abm.mechanisms.partners.MEMORY).",
        np.int64,
        -1,
        width=2,
    )
    ally_uid = Column("agent id", "Agent ids of those partners (a reused slot is no partner).", np.int64, -1, width=2)
    long_horizon = Column("flag (0/1)", "Private firm that plans research over more than 10 years.", np.int64)
    reformed = Column("flag", "SOE drawn as reformed at set-up.", bool, False)

    def __init__(self, capacity: int) -> None:
        self._cap = max(16, int(capacity))
        self._groups: dict[Any, np.ndarray] = {}  # of_kind / of_group results until the roster changes
        self.n = 0
        for c in self.columns():
            setattr(self, c.name, np.full(c.shape(self._cap), c.fill, dtype=c.dtype))

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "n":
            object.__setattr__(self, name, value)
            return
        super().__setattr__(name, value)

    @property
    def capacity(self) -> int:
        """Allocated length of every array."""
        return self._cap

    def _grow(self, need: int) -> None:
        new_cap = max(need, int(self._cap * 1.5) + 16)
        for c in self.columns():
            old = getattr(self, c.name)
            arr = np.full(c.shape(new_cap), c.fill, dtype=c.dtype)
            arr[: self._cap] = old
            setattr(self, c.name, arr)
        self._cap = new_cap

    def allocate(self, k: int) -> np.ndarray:
        """Return ``k`` fresh slots (dead slots are reused first), reset to their fill values and alive."""
        if k <= 0:
            return np.zeros(0, dtype=np.int64)
        free = np.flatnonzero(~self.alive[: self.n])[:k]
        extra = k - free.size
        if extra > 0:
            if self.n + extra > self._cap:
                self._grow(self.n + extra)
            new = np.arange(self.n, self.n + extra)
            self.n += extra
            slots = np.concatenate([free, new])
        else:
            slots = free
        for c in self.columns():
            getattr(self, c.name)[slots] = c.fill
        self.alive[slots] = True
        self.roster_changed()
        return slots

    def roster_changed(self) -> None:
        """Forget the cached :meth:`of_kind` / :meth:`of_group` results.

        Called by whatever writes ``alive`` or ``kind``: :meth:`allocate`, the removal of actors
        (abm.mechanisms.entry.remove_actors) and every assignment of kinds (set-up, births,
        reclassification). Between such writes a step asks for the same groups many times.
        """
        self._groups.clear()

    def _cached(self, key: Any, make: Any) -> np.ndarray:
        out = self._groups.get(key)
        if out is None:
            out = self._groups[key] = make()
            out.setflags(write=False)  # shared by every caller until the roster changes: never written
        return out

    def of_kind(self, kind: int) -> np.ndarray:
        """Slots of alive actors of a kind, in slot order (read-only; cached until the roster changes)."""
        n = self.n
        return self._cached(int(kind), lambda: np.flatnonzero(self.alive[:n] & (self.kind[:n] == kind)))

    def of_group(self, group: Iterable[int]) -> np.ndarray:
        """Slots of alive actors whose kind is in ``group`` (e.g. abm.kinds.FIRMS), in slot order
        (read-only; cached until the roster changes).
        """
        from abm.kinds import in_group

        n = self.n
        key = tuple(group)
        return self._cached(key, lambda: np.flatnonzero(self.alive[:n] & in_group(self.kind[:n], key)))


class PerItem(Declared):
    """State with one value per item (field or component) in every declared column."""

    def __init__(self, n: int) -> None:
        for c in self.columns():
            setattr(self, c.name, np.full(n, c.fill, dtype=c.dtype))


class WorldState(PerItem):
    """Per-field state of the world and the domestic system (arrays of length N_FIELDS)."""

    klass = Column("class", "Field class: catch-up, parallel or leading (SSF:369-380).", "U16", "")
    frontier_growth = Column("per year", "Reference growth of the world frontier at foreign firms' 2015 R&D.")
    frontier = Column(
        "index (1 = frontier in 2015)", "World frontier: cost-weighted geometric mean of its components'."
    )
    foreign_rd0 = Column("yuan per quarter", "R&D of the field's foreign frontier firms in 2015 (reference).")
    capability0 = Column("index (1 = world frontier)", "National capability at the start.")
    capability = Column(
        "index (1 = world frontier)",
        "National (production) capability: cost-weighted mean of the field's components' domestic supply capability.",
    )
    science_capability = Column(
        "index (1 = world frontier)",
        "Science capability: researcher-weighted capability_percentile of universities' and labs' capability.",
    )
    dependence0 = Column("share", "Dependence on foreign supply at the start.")
    dependence = Column("share", "Dependence on foreign supply: import share of the field's key components.")
    import_share = Column("share of demand", "Share of the field's demand met by imports.")
    science = Column("effort-quarters", "National science stock of the field (decaying sum of basic research effort).")
    science_ref = Column("effort-quarters", "Science stock at the start (reference for the science index).")
    demand0 = Column("yuan per quarter", "Domestic demand of the field at the start.")
    demand = Column("yuan per quarter", "Domestic demand of the field (grows with GDP).")
    domestic_market = Column("yuan per quarter", "Demand met by domestic firms this quarter.")
    imports = Column("yuan per quarter", "Demand met by imports this quarter.")
    cutoff = Column(
        "flag", "Foreign supply of the field (final goods and all components) is cut off this quarter.", bool, False
    )
    output = Column(
        "share",
        "Output of the field's firms relative to what they could sell with all components supplied.",
        float,
        1.0,
    )
    makerspace = Column("projects", "Entrepreneurial projects in makerspaces (OUT:212, NT:88-90).")
    incubator = Column("projects", "Projects in incubators.")
    accelerator = Column("projects", "Projects in accelerators, one step from founding a start-up.")
    productivity = Column(
        "index (1 = world frontier in 2015)",
        "Technology in use (abm.mechanisms.growth): frontier x output x firms' capability^(1-c) x components' "
        "capability in use (domestic and imported)^c, c = component_cost_share.",
        float,
        1.0,
    )
    productivity0 = Column("index (1 = world frontier in 2015)", "Technology in use at the start.", float, 1.0)
    demand_factor = Column(
        "index (1 = no response)",
        "Response of the field's nominal demand to its price relative to the expected path (1 when GDP is pinned).",
        float,
        1.0,
    )
    registered = Column(
        "contracts per year",
        "Technical-service contracts registered in the field over about the last year (exponentially smoothed): "
        "the more are registered, the cheaper registering the next one (abm.mechanisms.transfer).",
    )
    wage = Column(
        "index (1 = 2015, relative to nominal GDP growth)",
        "Researcher pay in the field: rises while its vacancies outrun the job-seekers, falls otherwise.",
        float,
        1.0,
    )


class ComponentState(PerItem):
    """Per-component state of supply and know-how (arrays of length N_COMPONENTS, abm.components)."""

    frontier = Column(
        "index (1 = frontier in 2015)", "World frontier of the component (moved by the best R&D).", float, 1.0
    )
    quality = Column(
        "index (1 = world frontier)",
        "Domestic supply capability: output-weighted mean capability of the field's domestic firms.",
    )
    quality0 = Column("index (1 = world frontier)", "Domestic supply capability at the start.")
    science = Column(
        "index (1 = world frontier)", "Institutions' capability: researcher-weighted mean over universities and labs."
    )
    domestic_share0 = Column("share", "Share of domestic purchases from domestic suppliers at the start.")
    domestic_share = Column("share", "Share of domestic buyers' purchases made from domestic suppliers.")
    accept = Column("share", "Share of buyers (by output) for whom domestic supply is good enough at its price.")
    available = Column("share", "Share of the component's requirements actually supplied (below 1 under a cut-off).")
    unserved = Column("share", "Share of the component's requirements that no one supplies this quarter.")
    purchases = Column("yuan per quarter", "Domestic buyers' purchases of the component (domestic and imported).")
    imports = Column("yuan per quarter", "Part of purchases bought from foreign frontier firms.")
    cut = Column("flag", "Foreign supply of the component is cut off this quarter.", bool, False)
    pool_know = Column(
        "index (1 = world frontier)",
        "Expertise in the component carried by job-seekers (graduates, returnees, people laid off).",
    )


class RegionState(PerItem):
    """Per-region state of local governments' competition for firms (arrays of length n_regions;
    abm.mechanisms.location).
    """

    base_share = Column("share", "Share of new firms the region draws when no region offers anything (REGION_LAYOUTS).")
    offer = Column("yuan per firm", "Incentive the local government pays each new firm that settles in the region.")
    capacity = Column("yuan per quarter", "What the local government can spend on incentives this quarter.")
    asked = Column("yuan per quarter", "Incentives owed to the quarter's new firms at the offer (before the budget).")
    spend = Column("yuan per quarter", "Incentives paid this quarter.")
    births = Column("firms per quarter", "New firms (start-ups) that settled in the region this quarter.")


class NationalState(Declared):
    """National scalars."""

    gdp_q = Scalar("yuan per quarter", "Nominal GDP this quarter.")
    gdp0_q = Scalar("yuan per quarter", "Nominal GDP in the first quarter.")
    abroad = Scalar("persons", "Research-track Chinese abroad.")
    tech_in_use = Scalar(
        "index (1 = 2015)", "National technology in use: fields' productivity weighted by 2015 demand.", float, 1.0
    )
    gdp_factor = Scalar(
        "ratio",
        "Endogenous GDP relative to the observed path (technology in use against its expected path; 1 when pinned).",
        float,
        1.0,
    )
    gdp_ytd = Scalar("yuan", "GDP of the running calendar year so far.")
    gdp_prev_year = Scalar("yuan", "GDP of the last complete calendar year.")
    tfp_growth = Scalar("per year", "Solow residual of the last complete year: GDP growth less weighted input growth.")
    tech_contribution = Scalar(
        "share", "Contribution of technological progress to growth: tfp_growth / GDP growth (last complete year)."
    )
    mission_active = Scalar("flag", "A whole-of-nation mission runs this quarter.", bool, False)
    soe_gap_ref = Scalar(
        "index (1 = world frontier)",
        "Median SOE distance to the frontier (updated when SOEs decide): the reference of the SOE R&D rule (abm.firms).",
        float,
        0.3,
    )

    def __init__(self) -> None:
        for c in self.columns():
            setattr(self, c.name, c.dtype.type(c.fill).item())


def slot_groups(slots: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(slots, return_inverse=True)`` for slot indices below ``size``, in linear time.

    Marks the slots in a dense array instead of sorting: the same sorted unique slots and the same
    inverse, several times faster on the hundreds of thousands of pairs a national quarter moves.
    """
    slots = np.asarray(slots)
    mark = np.zeros(size, dtype=bool)
    mark[slots] = True
    unique = np.flatnonzero(mark)
    pos = np.empty(size, dtype=np.intp)
    pos[unique] = np.arange(unique.size)
    return unique, pos[slots]
