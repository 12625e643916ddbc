"""Innovation consortia: missions run through consortia that a leading enterprise forms (SSF:276-285).

A consortium is an object: a leader, members, pathways, money and an end.

Formation (while a mission runs and no consortium of it is running). The leader is the field's most
capable SOE (``consortium_lead`` 'soe', NT:247-253), its most capable private firm ('private',
SSF:143-148, 276-285: consortia led by leading enterprises) or the winner of an open call among the
field's large firms, scored on reviewed proposal quality with the competitive calls' review noise ('open',
SSF:272-274). The leader invites ``consortium_members`` members (agents): under designated key tasks
(``key_task_selection``) large firms, labs and universities of the field, chosen on capability that
complements its own (knowledge where it is weak: cost-weighted sum over the field's components of
max(member - leader, 0)) and team size; under open key tasks seats are won in an open call that start-ups
may enter too, on reviewed proposal quality times the same complementarity. Invitees decide, best score
first, until the seats are filled: institutions join; a firm joins only if what it learns from the shared
knowledge is at least the rise its own knowledge brings to its rivals in the consortium (weighted by their
share of the field's sales, since market shares follow relative capability): a firm ahead of the others
declines rather than teach them (the appropriability problem of R&D consortia). The consortium takes up to
``consortium_pathways`` technical pathways in parallel, each on one component of the field, where the
cost-weighted gap of its best member to the frontier is largest.

Money (each quarter, through the ledger). The mission's government money (funding, ``gov_pay``) is
split evenly over the pathways and handed out as key tasks to the members best placed to do them
(researchers x capability in the pathway's component, squared). Members co-fund: each matches its
government task money with ``consortium_match`` yuan per yuan of its own (from its cash; its own R&D
budget falls by as much, abm.mechanisms.research: part of its R&D now serves the pathways), paid into the
consortium's pool and out again to the task holders. Members spend the task money as R&D. The pool holds
nothing between quarters (like government bodies, a pass-through); a member without tasks pays nothing
and joins for the shared knowledge.

Pathways. Each quarter pathway j succeeds with probability
1 - exp(-``consortium_success_rate``/4 x E_j/(E_j + ``consortium_half_effort``) x exp(-gap_j / ``absorption_distance``)),
E_j the researcher-years a year its money pays for, gap_j the distance of the consortium's best member
to the frontier in its component: more pooled money and better members raise it, and parallel
pathways raise the chance that one succeeds (at a concave cost). A success lifts every member that
worked on the pathway to the consortium's best in the component and lands a breakthrough of
``breakthrough_size`` there (abm.mechanisms.research._land: beyond the frontier it moves the frontier).

Sharing. Members absorb each quarter ``consortium_sharing`` x absorption(best - own) of the consortium's
best knowledge in every component of the field (abm.components.absorption).

End. On success, on failure (the pool received no money: the mission ended or its budget was cut) or at
the deadline (``consortium_years``). While the mission runs, the next quarter forms a new consortium.
At reduced scale an agent stands for several similar actors, so a consortium of agents stands for as
many consortia of the same make-up (the indicator ``consortium_members`` counts real actors).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from abm.components import COMPONENT_NAMES as _COMP_NAMES
from abm.components import OF_FIELD, WEIGHTS, absorption, row_sums
from abm.contract import FLOW, STOCK, Mechanism, Output
from abm.fields import FIELD_NAMES
from abm.kinds import FIRMS, INSTITUTIONS, LARGE_FIRMS, PERFORMERS, Kind, in_group
from abm.mechanisms.research import _land, fte_cost
from abm.mechanisms.supply import renormalise, sync_know

if TYPE_CHECKING:
    from abm.model import InnovationModel

STREAM = "consortia"
#: Who may lead, by the lever ``consortium_lead``.
LEADERS: dict[str, tuple[Kind, ...]] = {"soe": (Kind.SOE,), "private": (Kind.PRIVATE,), "open": tuple(LARGE_FIRMS)}
#: Who may join, by the lever ``key_task_selection``.
JOINERS: dict[str, tuple[Kind, ...]] = {
    "designated": tuple(LARGE_FIRMS) + tuple(INSTITUTIONS),
    "open": tuple(PERFORMERS),
}
#: Kinds counted as private firms in the share of mission money (indicator mission_private_share).
PRIVATE_FIRMS: tuple[Kind, ...] = (Kind.PRIVATE, Kind.SME)
OUTCOMES = ("running", "success", "failure", "deadline")


@dataclass
class Consortium:
    """One consortium. ``members`` are slots (the leader first), ``uids`` their agent ids (to detect
    death or slot reuse), ``pathways`` positions j of the field's components, ``task`` the share of
    each pathway's money each member got last quarter (members x pathways). Money in yuan (nominal).
    """

    ident: int
    field: int
    lead: str
    members: np.ndarray
    uids: np.ndarray
    kinds: np.ndarray
    weights: np.ndarray
    pathways: np.ndarray
    start: int
    deadline: int
    task: np.ndarray
    pool: float = 0.0  # money into the pool this quarter
    gov: float = 0.0
    cofunding: float = 0.0
    outcome: str = "running"
    end: int = -1
    success_component: str = ""
    founders: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


class Consortia:
    """Every consortium formed in the run (few: one at a time per mission) and this quarter's figures."""

    def __init__(self) -> None:
        self.all: list[Consortium] = []
        self.private_share = 0.0

    @property
    def running(self) -> Consortium | None:
        """The running consortium, if any."""
        return self.all[-1] if self.all and self.all[-1].outcome == "running" else None


def init_consortia(m: InnovationModel) -> None:
    """No consortium at the start; a mission forms one."""
    m.consortium_book = Consortia()


def _reviewed(m: InnovationModel, slots: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Reviewed log score of proposals: true log quality plus review noise (as in the competitive calls)."""
    from abm.mechanisms.funding import proposal_quality

    logq = np.log(proposal_quality(m, slots, rng))
    spread = float(np.std(logq)) if slots.size > 1 else 0.0
    return logq + m.params["review_noise"] * spread * rng.standard_normal(slots.size)


def _form(m: InnovationModel, fidx: int, rng: np.random.Generator) -> Consortium | None:
    """A leader proposes, members are invited (or win seats), pathways are chosen."""
    p = m.params
    s = m.s
    n = s.n
    here = s.alive[:n] & (s.field[:n] == fidx)
    lead = p["consortium_lead"]
    cand = np.flatnonzero(here & in_group(s.kind[:n], LEADERS[lead]))
    if cand.size == 0:
        return None
    if lead == "open":
        leader = int(cand[np.argmax(_reviewed(m, cand, rng))])
    else:  # the field's leading enterprise of that kind: capability x research team
        leader = int(cand[np.argmax(s.know[cand] * np.maximum(s.researchers[cand], 0.0))])
    sel = p["key_task_selection"]
    pool = np.flatnonzero(here & in_group(s.kind[:n], JOINERS[sel]))
    pool = pool[pool != leader]
    w = WEIGHTS[fidx]
    comp = row_sums(np.maximum(s.know_c[pool] - s.know_c[leader], 0.0) * w)
    if sel == "open":
        score = _reviewed(m, pool, rng) + np.log1p(comp / max(float(s.know[leader]), 1e-6))
    else:
        # what the member adds where the leader is weak, times its team; capability only breaks ties
        score = np.log(np.maximum(comp + 0.01 * s.know[pool], 1e-12) * np.sqrt(np.maximum(s.researchers[pool], 1e-9)))
    k = min(int(p["consortium_members"]), pool.size)
    ranked = pool[np.argsort(-score, kind="stable")]
    chosen, declined = _accepting(m, fidx, leader, ranked, k)
    m.flow["consortium_declined"] += float(np.sum(s.weight[declined]))
    members = np.concatenate([[leader], chosen]).astype(np.int64)
    best = s.know_c[members].max(axis=0)
    need = w * (np.maximum(1.0 - best, 0.0) + 0.01)  # at the frontier: by cost share
    paths = np.sort(np.argsort(-need, kind="stable")[: int(p["consortium_pathways"])])
    book = m.consortium_book
    c = Consortium(
        ident=len(book.all),
        field=fidx,
        lead=lead,
        members=members,
        uids=s.uid[members].copy(),
        kinds=s.kind[members].copy(),
        weights=s.weight[members].copy(),
        pathways=paths,
        start=m.steps,
        deadline=m.steps + max(round(4 * p["consortium_years"]), 1),
        task=np.zeros((members.size, paths.size)),
        founders=s.uid[members].copy(),
    )
    book.all.append(c)
    m.flow["consortia_formed"] += 1.0
    return c


def _shared_gain(know_c: np.ndarray, best: np.ndarray, w: np.ndarray, sharing: float, dist: float) -> np.ndarray:
    """One quarter's capability gain (cost-weighted summary) of rows ``know_c`` absorbing ``best``."""
    return sharing * row_sums(absorption(best[None, :] - know_c, dist) * w)


def _accepting(m: InnovationModel, fidx: int, leader: int, ranked: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Invited actors, best score first, decide whether to join until ``k`` have joined.

    Institutions join (they have no market share to protect; the evaluation rewards the work). A firm
    weighs what it learns against what it teaches its rivals (appropriability): it joins if its own
    gain from the consortium's shared knowledge is at least the rise its own knowledge brings to the
    field's sales-weighted capability through the other member firms (market shares follow capability
    relative to the field, abm.mechanisms.markets). A firm ahead of the others in most components
    teaches more than it learns and declines; with no sharing every invitation is accepted.

    Returns:
        The slots that joined and those that declined.
    """
    p = m.params
    s = m.s
    if k == 0:
        return ranked[:0], ranked[:0]
    sharing, dist = p["consortium_sharing"], p["absorption_distance"]
    w = WEIGHTS[fidx]
    field_firms = s.of_group(FIRMS)
    field_firms = field_firms[s.field[field_firms] == fidx]
    sales = float(np.sum(s.weight[field_firms] * np.maximum(s.revenue[field_firms], 0.0)))
    firm_kind = ~in_group(s.kind[ranked], INSTITUTIONS)
    joined = [leader]
    declined = []
    for pos, j in enumerate(ranked):
        if len(joined) > k:
            break
        j = int(j)
        if firm_kind[pos] and sharing > 0 and sales > 0:
            mem = np.array(joined, dtype=np.int64)
            best_without = s.know_c[mem].max(axis=0)
            best_with = np.maximum(best_without, s.know_c[j])
            own = _shared_gain(s.know_c[j][None, :], best_with, w, sharing, dist)[0]
            firms = mem[~in_group(s.kind[mem], INSTITUTIONS)]
            share = s.weight[firms] * np.maximum(s.revenue[firms], 0.0) / sales
            taught = float(
                np.sum(
                    share
                    * (
                        _shared_gain(s.know_c[firms], best_with, w, sharing, dist)
                        - _shared_gain(s.know_c[firms], best_without, w, sharing, dist)
                    )
                )
            )
            if own < taught:
                declined.append(j)
                continue
        joined.append(j)
    return np.array(joined[1:], dtype=np.int64), np.array(declined, dtype=np.int64)


def _end(m: InnovationModel, c: Consortium, outcome: str) -> None:
    c.outcome = outcome
    c.end = m.steps


def _prune(m: InnovationModel, c: Consortium) -> bool:
    """Drop members that died (or whose slot was reused); False if the leader is gone."""
    s = m.s
    ok = s.alive[c.members] & (s.uid[c.members] == c.uids)
    if not ok[0]:
        return False
    if not ok.all():
        c.members, c.uids, c.kinds, c.weights, c.task = (
            c.members[ok],
            c.uids[ok],
            c.kinds[ok],
            c.weights[ok],
            c.task[ok],
        )
    return True


def fund(m: InnovationModel, gov_total: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The mission's quarter: form a consortium if none runs, collect members' co-funding and split the
    pool (``gov_total`` of government money plus co-funding) into key tasks for the members.

    Pays the co-funding through the ledger (members to task holders); the government part is paid by the
    caller (abm.mechanisms.funding, with ``gov_pay``). Returns the member slots, the government money of
    each and the co-funding each received (yuan this quarter).
    """
    p = m.params
    s = m.s
    book = m.consortium_book
    fidx = FIELD_NAMES.index(p["mission_field"])
    c = book.running
    if c is not None and (c.field != fidx or not _prune(m, c)):
        _end(m, c, "failure")
        c = None
    if c is None:
        c = _form(m, fidx, m.streams[STREAM])
    empty = np.zeros(0)
    if c is None:
        book.private_share = 0.0
        return np.zeros(0, dtype=np.int64), empty, empty
    mem = c.members
    wt = s.weight[mem]
    # key tasks: each pathway's government money to the members best placed for it
    fit = wt[:, None] * np.maximum(s.researchers[mem], 0.0)[:, None] * s.know_c[mem][:, c.pathways] ** 2
    col = fit.sum(axis=0)
    task = np.where(col > 0, fit / np.where(col > 0, col, 1.0), 1.0 / mem.size)
    c.task = task
    share = task.sum(axis=1) / max(c.pathways.size, 1)  # sums to 1 over members
    gov = gov_total * share
    # co-funding: members match their government task money from their own cash (their own R&D, aimed
    # at the pathways); it goes through the pool and back to the task holders
    out = np.minimum(p["consortium_match"] * gov / wt, np.maximum(s.cash[mem], 0.0))
    contrib = wt * out
    cof = float(contrib.sum())
    total = gov_total + cof
    got_cof = cof * share
    if cof > 0:
        i, j = np.nonzero(contrib[:, None] * share[None, :] > 0)
        m.acc.pay("consortium_cofunding", mem[i], mem[j], contrib[i] * share[j])
    s.cofund_out[mem] = out
    c.pool = total
    c.gov += gov_total
    c.cofunding += cof
    fl = m.flow
    fl["consortium_spending"] += total
    fl["consortium_cofunding"] += cof
    priv = in_group(s.kind[mem], PRIVATE_FIRMS)
    book.private_share = float(share[priv].sum())
    return mem, gov, got_cof


def step(m: InnovationModel) -> None:
    """Pathways of the running consortium, knowledge sharing among members, and its end."""
    p = m.params
    s = m.s
    book = m.consortium_book
    c = book.running
    n = s.n
    s.cofund_out[:n] = 0.0  # research has spent this quarter's budgets
    if c is None:
        return
    if not _prune(m, c) or c.pool <= 0:  # the leader is gone, or the money stopped
        _end(m, c, "failure")
        return
    rng = m.streams[STREAM]
    mem = c.members
    rows = OF_FIELD[c.field]
    know_c = s.know_c[mem]
    best = know_c.max(axis=0)
    # pathways: hazard from pooled money (researcher-years a year) and the best member's distance
    ftes = c.pool * 4.0 / float(np.mean(fte_cost(m, mem))) / c.pathways.size
    gap = np.maximum(1.0 - best[c.pathways], 0.0)
    lam = p["consortium_success_rate"] / 4.0 * ftes / (ftes + p["consortium_half_effort"])
    hazard = 1.0 - np.exp(-lam * np.exp(-gap / p["absorption_distance"]))
    won = rng.random(c.pathways.size) < hazard
    landed = False
    for j in np.flatnonzero(won):
        comp = int(c.pathways[j])
        workers = np.flatnonzero(c.task[:, j] > 0)
        know_c[workers, comp] = np.maximum(know_c[workers, comp], best[comp])
        _land(m, know_c, workers, np.full(workers.size, comp), np.full(workers.size, p["breakthrough_size"]))
        c.success_component = c.success_component or _COMP_NAMES[rows[comp]]
        m.flow["consortium_successes"] += 1.0
        landed = True
    # sharing: members absorb from the consortium's best knowledge in every component
    best = know_c.max(axis=0)
    know_c = know_c + p["consortium_sharing"] * absorption(best[None, :] - know_c, p["absorption_distance"])
    s.know_c[mem] = know_c
    sync_know(m, mem)
    if landed:
        renormalise(m)
        _end(m, c, "success")
    elif m.steps + 1 >= c.deadline:
        _end(m, c, "deadline")
    c.pool = 0.0


def frame(m: InnovationModel) -> pd.DataFrame:
    """One row per consortium: field, lead rule, leader, founding members, pathways, money, outcome."""
    rows = []
    for c in m.consortium_book.all:
        kinds = [Kind(int(k)).label for k in c.kinds]
        rows.append(
            {
                "consortium": c.ident,
                "field": FIELD_NAMES[c.field],
                "lead": c.lead,
                "leader_id": int(c.uids[0]),
                "leader_kind": kinds[0],
                "members": int(c.founders.size),
                "member_ids": tuple(int(u) for u in c.founders),
                "member_kinds": ",".join(sorted(set(kinds))),
                "real_members": float(np.sum(c.weights)),
                "pathways": ",".join(_COMP_NAMES[OF_FIELD[c.field][j]] for j in c.pathways),
                "start_step": c.start,
                "end_step": c.end,
                "gov_money": c.gov,
                "cofunding": c.cofunding,
                "outcome": c.outcome,
                "success_component": c.success_component,
            }
        )
    cols = ["consortium", "field", "lead", "leader_id", "leader_kind", "members", "member_ids", "member_kinds",
            "real_members", "pathways", "start_step", "end_step", "gov_money", "cofunding", "outcome",
            "success_component"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def _members(m: InnovationModel) -> float:
    c = m.consortium_book.running
    return float(np.sum(m.s.weight[c.members])) if c is not None else 0.0


CONTRACT = Mechanism(
    name="consortia",
    stream=STREAM,
    step=step,
    doc="Innovation consortia of a mission: leader, members, co-funding, parallel pathways, knowledge sharing, end.",
    outputs=(
        Output(
            "consortia_active",
            "consortia",
            STOCK,
            "Consortia running at the end of the quarter.",
            measure=lambda m: int(m.consortium_book.running is not None),
            dtype="int",
        ),
        Output("consortium_members", "actors", STOCK, "Real actors in the running consortium.", measure=_members),
        Output(
            "consortium_declined",
            "actors",
            FLOW,
            "Invited firms that declined to join a consortium (they would teach rivals more than they learn).",
        ),
        Output("consortia_formed", "consortia", FLOW, "Consortia formed."),
        Output("consortium_spending", "yuan", FLOW, "Money paid out by consortia (government money and co-funding)."),
        Output("consortium_cofunding", "yuan", FLOW, "Members' co-funding paid into consortia."),
        Output("consortium_successes", "pathways", FLOW, "Consortium pathways that succeeded (a breakthrough landed)."),
    ),
)
