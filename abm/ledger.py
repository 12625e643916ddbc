"""The ledger: every money flow and every person flow, and the only way stocks change.

Mechanisms never write ``cash``, ``researchers`` or ``students`` directly: they call
:meth:`Accounts.pay` and :meth:`Accounts.move`, which change the stocks *and* record the flow as
(step, kind, from, to, amount) with ``from``/``to`` the node of the actors involved (their kind, or
a named source or sink outside the system). Flows are aggregated per step and node pair, so the
ledger stays small at national scale while every flow is accounted for.

Money is conserved except at the external nodes (sources and sinks) in ``MONEY_EXTERNAL``; people
except at ``PEOPLE_EXTERNAL`` (enrolment, graduation to other jobs, retirement, migration).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from abm.kinds import N_KINDS, PERFORMERS, GovLevel, Kind, VCType
from abm.state import ActorState, slot_groups

MONEY_INTERNAL = (
    "soe",
    "private",
    "sme",
    "university",
    "lab",
    "private_vc",
    "guidance_fund",
    "gov_central",
    "gov_local",
    "foreign_firm",  # foreign frontier firms (abm.mechanisms.supply)
)
MONEY_EXTERNAL = (
    "fiscal",  # government revenue appropriated to S&T budgets
    "market",  # customers paying firms for products
    "suppliers",  # operating costs and R&D materials paid to the rest of the economy
    "households",  # researchers' pay
    "foreign",  # imports of inputs and technology
    "investors",  # limited partners of private VC funds
    "capital_market",  # IPO buyers and secondary buyers of VC stakes
    "founders",  # founders' own money and their share of exit proceeds
    "banks",  # bank loans to firms, their interest and repayments
    "owners",  # shareholders of private firms and SOEs (dividends; SOE dividends go to the state's capital budget)
)
PEOPLE_INTERNAL = ("soe", "private", "sme", "university", "lab", "students", "pool")
PEOPLE_EXTERNAL = ("enrolment", "other_jobs", "retirement", "abroad")

MONEY_NODES = MONEY_INTERNAL + MONEY_EXTERNAL
PEOPLE_NODES = PEOPLE_INTERNAL + PEOPLE_EXTERNAL
MONEY_INDEX = {n: i for i, n in enumerate(MONEY_NODES)}
PEOPLE_INDEX = {n: i for i, n in enumerate(PEOPLE_NODES)}

# Researcher node of each kind, indexed by kind value (VC and government employ no researchers).
PEOPLE_NODE_OF_KIND = np.full(N_KINDS, -1, dtype=np.int64)
for _k in PERFORMERS:
    PEOPLE_NODE_OF_KIND[_k] = PEOPLE_INDEX[_k.label]
del _k


def money_node(kind: int, subtype: int) -> int:
    """Money node of an actor of ``kind`` and ``subtype``."""
    kind = Kind(kind)
    if kind == Kind.VC:
        return MONEY_INDEX[VCType(subtype).label]
    if kind == Kind.GOV:
        return MONEY_INDEX["gov_" + GovLevel(subtype).label]
    if kind == Kind.FOREIGN:
        return MONEY_INDEX["foreign_firm"]
    return MONEY_INDEX[kind.label]


def _spread(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``np.broadcast_to(x, shape)`` (the same values), without its Python-level cost in the usual
    cases: ``x`` of that shape already, or a scalar.
    """
    if x.shape == shape:
        return x
    if x.ndim == 0:
        return np.full(shape, x)
    return np.broadcast_to(x, shape)


class Ledger:
    """Per-step aggregated flow matrices, one per flow kind.

    A step's flows are kept as they come (each one's flat cell in a stack of kind x node x node matrices,
    and its amount) and added into the matrices once, when the step closes (:meth:`close_step`): one
    bincount, which adds every cell's flows in the order they were recorded, starting from zero (the same
    values as adding each record into its matrix as it comes).
    """

    def __init__(self, nodes: tuple[str, ...]) -> None:
        self.nodes = nodes
        self._n = len(nodes)
        self._kinds: dict[str, int] = {}  # the step's flow kinds, in the order they first came
        self._cells: list[np.ndarray] = []  # the step's flows: flat cells into the kind x node x node stack
        self._amounts: list[np.ndarray] = []
        self._one_cells: list[int] = []  # single flows since the last array of flows (added to _cells in order)
        self._one_amounts: list[float] = []
        self._rows: list[tuple[int, str, str, str, float]] = []
        self._step_rows: dict[int, int] = {}  # step -> index of its first row

    def record(self, kind: str, src: np.ndarray | int, dst: np.ndarray | int, amount: np.ndarray | float) -> None:
        """Add flows of ``kind`` from node(s) ``src`` to node(s) ``dst``."""
        n = self._n
        k = self._kinds.get(kind)
        if k is None:
            k = self._kinds[kind] = len(self._kinds)
        if not isinstance(src, np.ndarray) and not isinstance(dst, np.ndarray) and np.ndim(amount) == 0:
            self._one_cells.append((k * n + int(src)) * n + int(dst))  # one flow between two nodes
            self._one_amounts.append(float(amount))
            return
        amt = np.array(amount, dtype=float)  # a copy: the caller may change its array before the step closes
        base = k * n * n
        if isinstance(src, np.ndarray):
            cell = np.asarray(src, dtype=np.int64) * n + (np.asarray(dst, dtype=np.int64) + base)
        else:
            cell = np.asarray(dst, dtype=np.int64) + ((k * n + int(src)) * n)
        if amt.ndim == 0 and cell.ndim == 0:
            self._one_cells.append(int(cell))
            self._one_amounts.append(float(amt))
            return
        if cell.shape != amt.shape:
            cell, amt = np.broadcast_arrays(cell, amt)
        if self._one_cells:
            self._flush_ones()
        self._cells.append(cell.ravel())
        self._amounts.append(amt.ravel())

    def _flush_ones(self) -> None:
        self._cells.append(np.array(self._one_cells, dtype=np.int64))
        self._amounts.append(np.array(self._one_amounts, dtype=float))
        self._one_cells = []
        self._one_amounts = []

    def _matrices(self) -> tuple[list[str], np.ndarray]:
        """The current step's flow kinds and their kind x node x node matrices."""
        n = self._n
        if self._one_cells:
            self._flush_ones()
        if not self._cells:
            return [], np.zeros((0, n, n))
        cells = np.concatenate(self._cells) if len(self._cells) > 1 else self._cells[0]
        amounts = np.concatenate(self._amounts) if len(self._amounts) > 1 else self._amounts[0]
        return list(self._kinds), np.bincount(cells, amounts, minlength=len(self._kinds) * n * n).reshape(-1, n, n)

    def current(self) -> dict[str, np.ndarray]:
        """The current step's flows so far: a node x node matrix per flow kind."""
        kinds, mats = self._matrices()
        return dict(zip(kinds, mats, strict=True))

    def close_step(self, step: int) -> None:
        """Turn the current step's matrices into rows."""
        self._step_rows[step] = len(self._rows)
        nodes = self.nodes
        kinds, mats = self._matrices()
        if kinds:
            # nonzero cells of the stack come kind by kind, each in row-major order
            k, i, j = np.nonzero(mats)
            self._rows.extend(
                (step, kinds[c], nodes[a], nodes[b], x)
                for c, a, b, x in zip(k.tolist(), i.tolist(), j.tolist(), mats[k, i, j].tolist(), strict=True)
            )
        self._kinds = {}
        self._cells = []
        self._amounts = []

    def frame(self, since_step: int | None = None) -> pd.DataFrame:
        """Closed rows as a DataFrame with columns step, kind, source, target, amount.

        Args:
            since_step: Only rows of this step and later (cheap: rows are stored in step order).
        """
        start = 0
        if since_step is not None:
            later = [i for s, i in self._step_rows.items() if s >= since_step]
            start = min(later) if later else len(self._rows)
        return pd.DataFrame(self._rows[start:], columns=["step", "kind", "source", "target", "amount"])


class Accounts:
    """Applies money and person flows to the state and records them in the ledgers.

    Attributes:
        money: Ledger of money flows (yuan).
        people: Ledger of person flows (persons).
        pool: Researchers between jobs (persons), an internal stock.
        pool_phd: Persons with a doctorate in the pool.
    """

    def __init__(self, state: ActorState) -> None:
        self.s = state
        self.money = Ledger(MONEY_NODES)
        self.people = Ledger(PEOPLE_NODES)
        self.pool = 0.0
        self.pool_phd = 0.0

    # -- money -------------------------------------------------------------------------------------
    def pay(self, kind: str, src: np.ndarray | str, dst: np.ndarray | str, amount: np.ndarray | float) -> None:
        """Pay ``amount`` real yuan (per pair) from ``src`` to ``dst``.

        Args:
            kind: Flow kind (e.g. "stable_funding").
            src: Slots of paying actors, or the name of an external node.
            dst: Slots of receiving actors, or the name of an external node.
            amount: Real total yuan per pair (array aligned with the slot arrays, or scalar).
        """
        s = self.s
        if isinstance(src, str) and isinstance(dst, str):
            raise ValueError("a flow needs at least one actor side")
        amt = np.asarray(amount, dtype=float)
        if isinstance(src, str):
            src_node = MONEY_INDEX[src]
            if src_node < len(MONEY_INTERNAL):
                raise ValueError(f"internal node {src!r} must be given as slots")
        else:
            src_node = s.node[src]
            amt = _spread(amt, np.shape(src))
            # ufunc.at: a slot that appears more than once changes in the order given, one that appears once as
            # with indexing (the same values); faster than indexing at every size (numpy >= 1.25)
            np.subtract.at(s.cash, src, amt / s.weight[src])
        if isinstance(dst, str):
            dst_node = MONEY_INDEX[dst]
            if dst_node < len(MONEY_INTERNAL):
                raise ValueError(f"internal node {dst!r} must be given as slots")
        else:
            dst_node = s.node[dst]
            amt = _spread(amt, np.shape(dst))
            np.add.at(s.cash, dst, amt / s.weight[dst])
        self.money.record(kind, src_node, dst_node, amt)

    def money_stocks(self) -> np.ndarray:
        """Money held per node (internal nodes; external nodes are zero)."""
        s = self.s
        n = s.n
        alive = s.alive[:n]
        out = np.zeros(len(MONEY_NODES))
        out += np.bincount(s.node[:n][alive], (s.weight[:n] * s.cash[:n])[alive], minlength=len(MONEY_NODES))
        return out

    # -- people ------------------------------------------------------------------------------------
    def _people_node(self, slots: np.ndarray, stock: str) -> np.ndarray:
        if stock == "students":
            return np.full(np.shape(slots), PEOPLE_INDEX["students"])
        return PEOPLE_NODE_OF_KIND[self.s.kind[slots]]

    def move(
        self,
        kind: str,
        src: np.ndarray | str,
        dst: np.ndarray | str,
        persons: np.ndarray | float,
        *,
        src_stock: str = "researchers",
        dst_stock: str = "researchers",
        phd_frac: np.ndarray | float | None = None,
    ) -> None:
        """Move ``persons`` real persons (per pair) from ``src`` to ``dst``.

        Args:
            kind: Flow kind (e.g. "hire").
            src: Slots, "pool", or an external node.
            dst: Slots, "pool", or an external node.
            persons: Real persons per pair.
            src_stock: "researchers" or "students" for slot sources.
            dst_stock: "researchers" or "students" for slot destinations.
            phd_frac: Doctorate share of the persons moved; default: the source's share
                (the pool's share for the pool, zero for external sources).
        """
        s = self.s
        if isinstance(src, str) and isinstance(dst, str):
            if "pool" not in (src, dst) or src == dst:
                raise ValueError("a person flow needs an actor or the pool on one side")
            shape = ()
        else:
            shape = np.shape(dst) if isinstance(src, str) else np.shape(src)
        p = _spread(np.asarray(persons, dtype=float), shape)
        if phd_frac is None:
            if isinstance(src, str):
                phd_frac = (self.pool_phd / self.pool if self.pool > 0 else 0.0) if src == "pool" else 0.0
            else:
                phd_frac = s.phd_share[src] if src_stock == "researchers" else 0.0
        phd = _spread(np.asarray(phd_frac, dtype=float), shape)
        if isinstance(src, str):
            src_node = PEOPLE_INDEX[src]
            if src == "pool":
                self.pool -= float(np.sum(p))
                self.pool_phd -= float(np.sum(p * phd))
            elif src_node < len(PEOPLE_INTERNAL):
                raise ValueError(f"internal node {src!r} must be given as slots")
        else:
            src_node = self._people_node(src, src_stock)
            np.subtract.at(getattr(s, src_stock), src, p / s.weight[src])
        if isinstance(dst, str):
            dst_node = PEOPLE_INDEX[dst]
            if dst == "pool":
                self.pool += float(np.sum(p))
                self.pool_phd += float(np.sum(p * phd))
            elif dst_node < len(PEOPLE_INTERNAL):
                raise ValueError(f"internal node {dst!r} must be given as slots")
        else:
            dst_node = self._people_node(dst, dst_stock)
            if dst_stock == "researchers":
                u, inv = slot_groups(dst, s.n)
                add_p = np.bincount(inv, p, minlength=u.size)
                add_phd = np.bincount(inv, p * phd, minlength=u.size)
                old = s.researchers[u] * s.weight[u]
                tot = old + add_p
                safe = np.where(tot > 0, tot, 1.0)
                s.phd_share[u] = np.clip(np.where(tot > 0, (old * s.phd_share[u] + add_phd) / safe, 0.0), 0, 1)
                s.researchers[u] += add_p / s.weight[u]
            else:
                np.add.at(getattr(s, dst_stock), dst, p / s.weight[dst])
        self.people.record(kind, src_node, dst_node, p)

    def people_stocks(self) -> np.ndarray:
        """Persons held per node (researchers by kind, students, pool)."""
        s = self.s
        n = s.n
        alive = s.alive[:n]
        kinds = s.kind[:n][alive]
        w = s.weight[:n][alive]
        out = np.zeros(len(PEOPLE_NODES))
        nodes = PEOPLE_NODE_OF_KIND[kinds]
        has = nodes >= 0
        out += np.bincount(nodes[has], (w * s.researchers[:n][alive])[has], minlength=len(PEOPLE_NODES))
        out[PEOPLE_INDEX["students"]] = float(np.sum(w * s.students[:n][alive]))
        out[PEOPLE_INDEX["pool"]] = self.pool
        return out
