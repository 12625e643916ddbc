"""The Mesa agents: seven kinds of actors, each a view on one slot of the state arrays.

Agents are what users see (the dashboard's inspector, ``model.agents_by_type``). Their behaviour is
carried out in bulk by the mechanisms in :mod:`abm.mechanisms`, which work on arrays so the model
runs at national scale; each class documents which mechanisms act on it. Attribute values are per
real actor; ``weight`` says how many real actors the agent stands for.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np
import pandas as pd

from abm.fields import FIELD_NAMES
from abm.kinds import KIND_NAMES, Kind, subtype_label
from abm.ledger import money_node

if TYPE_CHECKING:
    from abm.model import InnovationModel

SNAPSHOT_COLUMNS = (
    "weight",
    "cash",
    "revenue",
    "size",
    "rd_spend",
    "rd_basic",
    "rd_applied",
    "rd_dev",
    "researchers",
    "phd_share",
    "students",
    "know",
    "patents",
    "quality",
    "stable_frac",
    "project_frac",
    "mission_frac",
    "gov_in",
    "subsidy_in",
    "contract_in",
    "equity_in",
    "breakthroughs",
    "patents_new",
)


def _column(name: str) -> property:
    def get(self: NISAgent) -> float:
        return float(getattr(self.model.s, name)[self._live_slot()])

    get.__doc__ = f"Current ``{name}`` of this actor (per real actor)."
    return property(get)


class IdCounter:
    """The next ``unique_id`` of a model's agents (an iterator, as Mesa's ``next(Agent._ids[model])`` needs).

    Unlike ``itertools.count`` it says where it stands (``next_id``), so a copy of a model can go on
    numbering where the model would (:meth:`abm.model.InnovationModel.__deepcopy__`).
    """

    __slots__ = ("next_id",)

    def __init__(self, start: int = 1) -> None:
        self.next_id = start

    def __iter__(self) -> IdCounter:
        return self

    def __next__(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value


class _WeakCounters(weakref.WeakKeyDictionary):
    """Per-model id counters that do not keep models alive.

    Mesa 3.3.1 keeps ``Agent._ids`` as a class-level dict keyed by model, which holds a reference to
    every model ever built: a batch of thousands of runs in one process never frees any of them.
    """

    def __getitem__(self, model: Any) -> IdCounter:
        try:
            return super().__getitem__(model)
        except KeyError:
            counter = IdCounter(1)
            self[model] = counter
            return counter


class NISAgent(mesa.Agent):
    """Base class: an actor of the innovation system bound to one state slot.

    Attributes:
        slot: Index into the model's state arrays.
    """

    _ids = _WeakCounters()
    kind_id: Kind

    def __init__(self, model: InnovationModel, slot: int) -> None:
        """Bind a new agent to ``slot``."""
        super().__init__(model)
        self.slot = slot
        model.s.uid[slot] = self.unique_id

    def _live_slot(self) -> int:
        """The agent's slot, or StaleAgentError if its actor has left the model (the slot may hold another)."""
        s = self.model.s
        if not s.alive[self.slot] or s.uid[self.slot] != self.unique_id:
            from abm.model import StaleAgentError

            raise StaleAgentError(
                f"agent {self.unique_id} ({self.kind_id.label}) has left the model; its slot is no longer its own"
            )
        return self.slot

    @property
    def alive(self) -> bool:
        """Whether the actor is still in the model."""
        s = self.model.s
        return bool(s.alive[self.slot] and s.uid[self.slot] == self.unique_id)

    for _name in SNAPSHOT_COLUMNS:
        locals()[_name] = _column(_name)
    del _name

    @property
    def kind(self) -> str:
        """Kind of actor, e.g. "soe"."""
        return self.kind_id.label

    @property
    def field(self) -> str:
        """Technology field of the actor."""
        return FIELD_NAMES[int(self.model.s.field[self._live_slot()])]

    @property
    def region(self) -> str:
        """Region of the actor."""
        return self.model.region_names[int(self.model.s.region[self._live_slot()])]

    @property
    def subtype(self) -> str:
        """Sub-type (lab type, VC type, government level) or the kind."""
        return subtype_label(self.kind_id, int(self.model.s.subtype[self._live_slot()]))

    @property
    def age_quarters(self) -> int:
        """Quarters since the actor was born (founding dates before the start are drawn at random)."""
        return int(self.model.steps - self.model.s.born[self._live_slot()])

    def state(self) -> dict[str, Any]:
        """All state of this agent as a dict."""
        out: dict[str, Any] = {
            "unique_id": self.unique_id,
            "kind": self.kind,
            "subtype": self.subtype,
            "field": self.field,
            "region": self.region,
            "age_quarters": self.age_quarters,
        }
        for c in SNAPSHOT_COLUMNS:
            out[c] = getattr(self, c)
        return out

    def step(self) -> None:
        """Agents act in bulk through the model's mechanisms; stepping one agent alone is not supported."""
        raise NotImplementedError("actors act through InnovationModel.step (vectorised mechanisms)")


class StateOwnedEnterprise(NISAgent):
    """State-owned enterprise: stable R&D intensity (reformed SOEs much higher), privileged access to
    missions, protected markets and a soft budget constraint (funding, markets, research, entry).
    """

    kind_id = Kind.SOE

    @property
    def reformed(self) -> bool:
        """Whether this SOE is a reformed (technology-reform demonstration) firm."""
        return bool(self.model.s.quality[self._live_slot()] < self.model.params["soe_reform_share"])


class PrivateFirm(NISAgent):
    """Large private / leading technology firm: market-driven R&D with a short horizon for most
    (MP:115-117), leads mission consortia, buys start-ups (markets, research, transfer).
    """

    kind_id = Kind.PRIVATE

    @property
    def long_horizon(self) -> bool:
        """Whether this firm plans research on horizons over 10 years."""
        return bool(self.model.s.long_horizon[self._live_slot()])


class TechSME(NISAgent):
    """Technology SME / start-up: burns cash on R&D, raises VC, grows, lists, is acquired or dies
    (finance, markets, research, entry).
    """

    kind_id = Kind.SME


class University(NISAgent):
    """University: basic and applied research, trains postgraduates, licenses patents, takes contract
    research, spins off start-ups (funding, research, transfer, talent).
    """

    kind_id = Kind.UNIVERSITY


class ResearchLab(NISAgent):
    """Research lab: government institute, state key lab, national lab or new-type R&D institution
    (funding, research, transfer, talent).
    """

    kind_id = Kind.LAB


class VentureCapitalFirm(NISAgent):
    """Venture capital firm: a private VC firm or a state guidance fund; raises money, screens and
    funds start-ups, exits (finance).
    """

    kind_id = Kind.VC

    def portfolio(self) -> pd.DataFrame:
        """This firm's stakes (open and closed)."""
        d = self.model.deals
        rows = np.flatnonzero(d.vc[: d.n] == self._live_slot())
        return pd.DataFrame(
            {
                "sme_slot": d.sme[rows],
                "invested": d.invested[rows],
                "stake": d.stake[rows],
                "step": d.step[rows],
                "open": d.open[rows],
                "proceeds": d.proceeds[rows],
            }
        )


class GovernmentBody(NISAgent):
    """Government body: the central S&T authorities or a region's local government; allocates stable,
    project and mission funding, subsidies, tax credits and guidance-fund capital (funding).
    """

    kind_id = Kind.GOV


class ForeignFrontierFirm(NISAgent):
    """A foreign frontier firm of one field (a few per field, each a real firm): sells components to
    domestic buyers unless cut off, and does R&D that moves the world frontier of its components
    (supply). Outside the national system: not counted in national R&D, firms or researchers.
    """

    kind_id = Kind.FOREIGN


CLASS_OF_KIND: dict[Kind, type[NISAgent]] = {
    cls.kind_id: cls
    for cls in (
        StateOwnedEnterprise,
        PrivateFirm,
        TechSME,
        University,
        ResearchLab,
        VentureCapitalFirm,
        GovernmentBody,
        ForeignFrontierFirm,
    )
}


def make_agent(model: InnovationModel, slot: int) -> NISAgent:
    """Create the Mesa agent for a slot."""
    agent = CLASS_OF_KIND[Kind(int(model.s.kind[slot]))](model, slot)
    model.agent_of[slot] = agent
    return agent


def remove_agent(model: InnovationModel, slot: int) -> None:
    """Remove the Mesa agent of a slot from the model."""
    agent = model.agent_of.pop(slot, None)
    if agent is not None:
        agent.remove()
        model.s.uid[slot] = -1


def convert_kind(model: InnovationModel, slot: int, kind: int) -> NISAgent:
    """Turn the actor in ``slot`` into another kind (a listed start-up becomes a private firm).

    The actor's cash and researchers change ledger node with it; the ledger records both moves
    (kind "reclassification") so node stocks stay accounted for.
    """
    from abm.ledger import PEOPLE_NODE_OF_KIND

    s = model.s
    old = model.agent_of.get(slot)
    w = float(s.weight[slot])
    old_node, new_node = int(s.node[slot]), money_node(kind, 0)
    model.acc.money.record("reclassification", old_node, new_node, float(s.cash[slot]) * w)
    model.acc.people.record(
        "reclassification",
        int(PEOPLE_NODE_OF_KIND[s.kind[slot]]),
        int(PEOPLE_NODE_OF_KIND[kind]),
        float(s.researchers[slot]) * w,
    )
    s.kind[slot] = kind
    s.roster_changed()
    s.subtype[slot] = 0
    s.node[slot] = new_node
    if old is not None:
        remove_agent(model, slot)
    agent = make_agent(model, slot)
    agent.origin_id = old.unique_id if old is not None else None
    return agent


def snapshot(model: InnovationModel) -> pd.DataFrame:
    """One row per living agent with its state."""
    s = model.s
    slots = np.array(sorted(model.agent_of))
    if slots.size == 0:
        return pd.DataFrame()
    data: dict[str, Any] = {
        "unique_id": [model.agent_of[int(i)].unique_id for i in slots],
        "slot": slots,
        "kind": np.array(KIND_NAMES)[s.kind[slots]],
        "field": np.array(FIELD_NAMES)[s.field[slots]],
        "region": np.array(model.region_names)[s.region[slots]],
        "age_quarters": model.steps - s.born[slots],
    }
    for c in SNAPSHOT_COLUMNS:
        data[c] = getattr(s, c)[slots]
    return pd.DataFrame(data)
