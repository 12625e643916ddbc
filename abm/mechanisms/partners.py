"""Partnerships: joint projects chosen on complementarity, past ties, partners of partners, region and
reputation (SKIN's partnering rules), with ties that lapse; partners learn from each other.

Who searches. Each real performer (firm, university, lab) starts a joint project in a quarter with
probability ``partner_rate`` (an agent of weight w starts Poisson(w x partner_rate) of them).

Where candidates come from (SKIN: previous partners first, S:626-639; GREAT-SKIN: then partners'
previous partners, then anyone, G:1962-2025). With probability ``repeat_partner`` the candidate is
one of the actor's current partners; of the other searches, a share ``triadic_closure`` goes to a
partner of one of them (closing a triangle); otherwise (or when the actor has no partner yet) a random search: in the
actor's own field and, with probability ``region_bias``, its own region, unless (with probability
``cross_field_search``) it searches the whole country across fields; candidates are weighted by reputation,
(1 + patents per actor) ^ ``reputation_pull``.

Whether they partner (SKIN's attractiveness, S:653-671, turned into a probability). Complementarity
peaks at a moderate knowledge distance: enough overlap to understand each other, enough difference
to learn (Nooteboom's optimal cognitive distance). With d the cost-weighted mean absolute difference
of the two actors' component rows (same field) or of their capability summaries (different fields),
the project starts with probability exp(-(d / partner_distance - 1)^2 / 2).

What a project does. Partners learn in both directions (SKIN S:693-735) what
:func:`abm.components.absorption` allows (best at a moderate gap), scaled by ``joint_learning`` and
by the share of each side's real actors in the project; only partners of the same field share
component know-how. A share ``joint_effort_share`` of an engaged actor's research is joint, and so
is that share of the patents it obtained this quarter (co-patents; a subset of patents, never extra).

Ties. A tie lapses each quarter with probability 1 / ``tie_life``; a repeated project renews it.
Agents remember up to :data:`MEMORY` partner agents (``ActorState.allies``). A remembered partner stands
for the partner of one of the agent's real actors: a pair's projects are written into each side's memory
with probability the share of that side's real actors in them (1 for a single actor), so how often an
actor's memory turns over, and whom it holds, does not depend on how many actors its agent stands for
(one write per agent would let an institution agent, about as many at every scale, fill ~10x more firm
memories per real institution at scale 0.002 than at 0.02, and turn repeat projects towards institutions).

The real-actor network (for statistics that do not depend on the scale). Agents stand for many
actors, so network statistics are measured on a panel of ``network_sample`` real actors drawn per
run from its own stream (``partner_network``), in proportion to real numbers, from every kind of
performer: each is one member of an agent, with the agent's knowledge, field and region, and its
own patents: each of the agent's patents is held by one of its real actors at random, so a member's
count is Poisson with the agent's rate per actor (the agent's mean, used as reputation between
agents, would be smoother the more actors an agent stands for, and a smoother reputation makes
fewer hubs and more clustering at a coarser scale). Panel members partner with each other under
exactly the rules above, one real actor each, with reputation from their own patents, keeping every
tie (no memory limit); a member whose agent leaves the model is replaced by a fresh draw. The
panel's size and rules do not depend on the scale, so neither do its statistics, and its cost is
the same at every scale. It is a representative miniature of the population (every actor finds its
partners inside it); its statistics are those of a community of that size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from abm import network
from abm.components import WEIGHTS, absorption, row_any, row_counts, scatter_rows, take_pairs, take_rows
from abm.contract import FLOW, STOCK, Mechanism, Output
from abm.fields import N_FIELDS
from abm.kinds import INSTITUTIONS, KIND_NAMES, PERFORMERS, in_group
from abm.mechanisms.supply import sync_know

if TYPE_CHECKING:
    from abm.model import InnovationModel

STREAM = "partners"
PANEL_STREAM = "partner_network"
MEMORY = 2  # partner agents an agent remembers (width of ActorState.allies)


class Panel:
    """The sampled real-actor network: members (slot, agent id, member index within the agent's
    weight) and their ties (member pairs a < b, the step each tie was formed or last renewed).
    """

    def __init__(self) -> None:
        """An empty panel."""
        self.slot = np.zeros(0, dtype=np.int64)
        self.uid = np.zeros(0, dtype=np.int64)
        self.member = np.zeros(0, dtype=np.int64)
        self.a = np.zeros(0, dtype=np.int64)
        self.b = np.zeros(0, dtype=np.int64)
        self.since = np.zeros(0, dtype=np.int64)
        self.patents = np.zeros(0)  # each member's own patent stock (its share of its agent's patents)
        self.projects = 0  # joint projects between panel members this quarter
        self._cache: tuple[int, dict[str, Any]] | None = None

    @property
    def size(self) -> int:
        """Number of members."""
        return int(self.slot.size)


# ---------------------------------------------------------------------------------------------
# shared rules
# ---------------------------------------------------------------------------------------------
def attractiveness(m: InnovationModel, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Probability that actors of slots ``i`` and ``j`` start a joint project: peaks at knowledge
    distance ``partner_distance`` (complementarity), 0.61 for identical knowledge, falling beyond.
    """
    s = m.s
    same = s.field[i] == s.field[j]
    d = np.abs(s.know[i] - s.know[j])
    if same.any():
        ii, jj = i[same], j[same]
        d[same] = np.einsum(
            "ij,ij->i", np.abs(take_rows(s.know_c, ii) - take_rows(s.know_c, jj)), take_rows(WEIGHTS, s.field[ii])
        )
    x = d / m.params["partner_distance"] - 1.0
    return np.exp(-0.5 * x * x)


def reputation(m: InnovationModel, patents: np.ndarray) -> np.ndarray:
    """Pull of a candidate in a random search: (1 + its patents) ^ reputation_pull."""
    return (1.0 + np.maximum(patents, 0.0)) ** m.params["reputation_pull"]


def random_search(
    m: InnovationModel,
    rng: np.random.Generator,
    seek_slot: np.ndarray,
    pool_slot: np.ndarray,
    pool_w: np.ndarray,
    pool_patents: np.ndarray,
) -> np.ndarray:
    """A candidate (index into the pool) for each seeker, weighted by ``pool_w`` x reputation (of the
    candidates' patents ``pool_patents``, per actor): in its
    own field and, with probability region_bias, its own region; or, with probability
    cross_field_search, anywhere in the country. -1 if the group has no candidate.

    The pool is sorted once by (field, region) (a radix sort of small integers), so each of the
    three searches is a contiguous range of one cumulative weight array.
    """
    p = m.params
    s = m.s
    R = m.n_regions
    k = seek_slot.size
    out = np.full(k, -1, dtype=np.int64)
    if k == 0 or pool_slot.size == 0:
        return out
    same_region = rng.random(k) < p["region_bias"]
    cross = rng.random(k) < p["cross_field_search"]
    key = (s.field[pool_slot] * R + s.region[pool_slot]).astype(np.int16)
    order = np.argsort(key, kind="stable")
    cum = np.cumsum((pool_w * reputation(m, pool_patents))[order])
    starts = np.searchsorted(key[order], np.arange(N_FIELDS * R + 1, dtype=np.int16))
    g = s.field[seek_slot] * R
    lo = np.where(same_region, starts[g + s.region[seek_slot]], starts[g])
    hi = np.where(same_region, starts[g + s.region[seek_slot] + 1], starts[g + R])
    lo[cross], hi[cross] = 0, pool_slot.size
    base = np.where(lo > 0, cum[np.maximum(lo - 1, 0)], 0.0)
    total = np.where(hi > lo, cum[np.maximum(hi - 1, 0)], 0.0) - base
    draw = rng.random(k)
    ok = np.flatnonzero(total > 0)  # only these seekers' searches are used
    pos = np.searchsorted(cum, base[ok] + draw[ok] * total[ok], side="right")
    pos = np.clip(pos, lo[ok], np.maximum(hi[ok] - 1, lo[ok]))
    out[ok] = order[pos]
    return out


def _choose(
    m: InnovationModel,
    rng: np.random.Generator,
    seek: np.ndarray,
    neighbour: Any,
    seek_slot: np.ndarray,
    pool: np.ndarray,
    pool_slot: np.ndarray,
    pool_w: np.ndarray,
    pool_patents: np.ndarray,
) -> np.ndarray:
    """Candidate node for each seeking node: a partner, a partner's partner or a random search.

    Nodes are agent slots (agents) or member indices (panel). ``neighbour(nodes)`` returns a random
    current partner of each node (-1 if none); the random search draws from the nodes ``pool``
    (actors of slots ``pool_slot``, each standing for ``pool_w`` real actors with ``pool_patents``
    patents each).
    """
    p = m.params
    route = rng.random(seek.size)
    nb = neighbour(seek)
    cand = np.full(seek.size, -1, dtype=np.int64)
    rep = (route < p["repeat_partner"]) & (nb >= 0)
    cand[rep] = nb[rep]
    rep_p = p["repeat_partner"]
    tri = (route >= rep_p) & (route - rep_p < p["triadic_closure"] * (1.0 - rep_p)) & (nb >= 0)
    if tri.any():
        nb2 = neighbour(nb[tri])
        cand[tri] = np.where(nb2 != seek[tri], nb2, -1)
    rest = cand < 0
    found = random_search(m, rng, seek_slot[rest], pool_slot, pool_w, pool_patents)
    cand[rest] = np.where(found >= 0, pool[np.maximum(found, 0)], -1)
    cand[cand == seek] = -1
    return cand


# ---------------------------------------------------------------------------------------------
# agents: joint projects with knowledge exchange and co-patents
# ---------------------------------------------------------------------------------------------
def _valid_allies(m: InnovationModel, slots: np.ndarray) -> np.ndarray:
    """Which remembered partners of ``slots`` are partners (stale ones are cleared each quarter)."""
    return take_rows(m.s.allies, slots) >= 0


def _forget(m: InnovationModel, rng: np.random.Generator) -> None:
    """Ties lapse with probability 1 / tie_life; partners that left the model (or whose slot was
    reused by a new actor) are forgotten. In place, over every slot in use.
    """
    s = m.s
    n = s.n
    al = s.allies[:n]
    safe = np.maximum(al, 0)
    stale = (al >= 0) & (~s.alive[safe] | (s.uid[safe] != s.ally_uid[:n]))
    al[stale | (rng.random(al.shape) < 1.0 / m.params["tie_life"])] = -1


def _agent_neighbour(m: InnovationModel, rng: np.random.Generator):
    s = m.s

    def pick(slots: np.ndarray) -> np.ndarray:
        out = np.full(slots.size, -1, dtype=np.int64)
        ok = slots >= 0
        sl = slots[ok]
        valid = _valid_allies(m, sl)
        cnt = row_counts(valid)
        r = np.floor(rng.random(sl.size) * cnt).astype(np.int64)
        col = np.argmax(np.cumsum(valid, axis=1) > r[:, None], axis=1)
        got = np.where(cnt > 0, take_pairs(s.allies, sl, col), -1)
        out[ok] = got
        return out

    return pick


def _remember(m: InnovationModel, rng: np.random.Generator, who: np.ndarray, other: np.ndarray) -> None:
    """Write ``other`` into ``who``'s partner memory (kept if already there, else into a free or random cell)."""
    s = m.s
    new = ~row_any(take_rows(s.allies, who) == other[:, None])
    who, other = who[new], other[new]
    free = ~_valid_allies(m, who)
    col = np.where(row_any(free), np.argmax(free, axis=1), rng.integers(0, MEMORY, who.size))
    s.allies[who, col] = other
    s.ally_uid[who, col] = s.uid[other]


def _agents(m: InnovationModel) -> None:
    p = m.params
    s = m.s
    rng = m.streams[STREAM]
    perf = s.of_group(PERFORMERS)
    _forget(m, rng)
    if perf.size == 0 or p["partner_rate"] <= 0:
        return
    w = s.weight[perf]
    n_proj = rng.poisson(p["partner_rate"] * w)
    go = n_proj > 0
    seek, n_proj = perf[go], n_proj[go].astype(float)
    cand = _choose(m, rng, seek, _agent_neighbour(m, rng), seek, perf, perf, w, s.patents[perf])
    ok = cand >= 0
    ok[ok] &= s.alive[cand[ok]] & in_group(s.kind[cand[ok]], PERFORMERS)
    i, j, n = seek[ok], cand[ok], n_proj[ok]
    acc = rng.random(i.size) < attractiveness(m, i, j)
    i, j, n = i[acc], j[acc], n[acc]
    if i.size == 0:
        return
    fi, fj = _engaged(m, i, j, n)
    _joint_projects(m, i, j, n, fi, fj)
    # each side remembers the other for the share of its real actors in the projects (see Ties above)
    ui = rng.random(i.size) < fi
    uj = rng.random(i.size) < fj
    _remember(m, rng, i[ui], j[ui])
    _remember(m, rng, j[uj], i[uj])


def _engaged(m: InnovationModel, i: np.ndarray, j: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Share of each side's real actors in the ``n`` joint projects of the pairs (``i``, ``j``), ``i`` unique:
    n / weight, capped at 1; a partner agent chosen by several seekers shares out at most all of its actors.
    """
    s = m.s
    fi = np.minimum(1.0, n / s.weight[i])
    rj = n / s.weight[j]
    tot = np.bincount(j, rj, minlength=s.n)
    fj = rj * np.minimum(1.0, 1.0 / np.maximum(tot[j], 1e-12))
    return fi, fj


def _joint_projects(
    m: InnovationModel,
    i: np.ndarray,
    j: np.ndarray,
    n: np.ndarray,
    fi: np.ndarray | None = None,
    fj: np.ndarray | None = None,
) -> None:
    """Knowledge exchange and co-patents of ``n`` joint projects between agents ``i`` and ``j``
    (``i`` unique). Each side learns in proportion to the share of its real actors in the projects
    (``fi``, ``fj``: :func:`_engaged`, computed when not given).
    """
    if fi is None or fj is None:
        fi, fj = _engaged(m, i, j, n)
    p = m.params
    s = m.s
    dist = p["absorption_distance"]
    rate = p["joint_learning"]
    size = s.n
    same = (s.field[i] == s.field[j])[:, None]
    ki, kj = take_rows(s.know_c, i), take_rows(s.know_c, j)
    gi = np.where(same, rate * fi[:, None] * absorption(kj - ki, dist), 0.0)
    gj = np.where(same, rate * fj[:, None] * absorption(ki - kj, dist), 0.0)
    # engaged share of each agent's real actors (bounded by 1), and the agents touched
    eng = np.minimum(1.0, np.bincount(i, fi, minlength=size) + np.bincount(j, fj, minlength=size))
    touched = np.flatnonzero(eng > 0)
    s.know_c[i] = ki + gi
    s.know_c[touched] += scatter_rows(j, gj, size)[touched]
    sync_know(m, touched)
    ut = touched
    eng = eng[touched]
    m.flow["joint_projects"] += float(n.sum())
    m.flow["co_patents"] += float(p["joint_effort_share"] * np.sum(eng * s.weight[ut] * s.patents_new[ut]))
    m.flow["joint_projects_with_institutions"] += float(
        n[in_group(s.kind[i], INSTITUTIONS) != in_group(s.kind[j], INSTITUTIONS)].sum()
    )


# ---------------------------------------------------------------------------------------------
# the real-actor panel: the same rules between sampled real actors, for network statistics
# ---------------------------------------------------------------------------------------------
def _draw_members(m: InnovationModel, rng: np.random.Generator, k: int, taken: np.ndarray) -> tuple[np.ndarray, ...]:
    """``k`` distinct real actors not in ``taken`` (keys), drawn in proportion to real numbers:
    slots, agent ids and member indices (a few redraws replace duplicates; not a loop over actors).
    """
    s = m.s
    perf = s.of_group(PERFORMERS)
    w = s.weight[perf]
    slots, uids, members = (np.zeros(0, dtype=np.int64) for _ in range(3))
    taken = np.sort(taken)  # membership by binary search: np.isin sorts both arrays on every call
    for _ in range(20):
        need = k - slots.size
        if need <= 0 or perf.size == 0:
            break
        pick = perf[rng.choice(perf.size, size=need, p=w / w.sum())]
        mem = np.floor(rng.random(need) * np.maximum(1.0, np.round(s.weight[pick]))).astype(np.int64)
        slots, uids, members = (
            np.concatenate([slots, pick]),
            np.concatenate([uids, s.uid[pick]]),
            np.concatenate([members, mem]),
        )
        key = _key(uids, members)
        _, first = np.unique(key, return_index=True)
        fresh = np.zeros(key.size, dtype=bool)
        fresh[np.sort(first)] = True
        at = np.minimum(np.searchsorted(taken, key), max(taken.size - 1, 0))
        if taken.size:
            fresh &= taken[at] != key  # = ~np.isin(key, taken)
        slots, uids, members = slots[fresh], uids[fresh], members[fresh]
    return slots[:k], uids[:k], members[:k]


def _key(uid: np.ndarray, member: np.ndarray) -> np.ndarray:
    return uid * (1 << 24) + member


def init_panel(m: InnovationModel) -> None:
    """Draw the panel of ``network_sample`` real actors from its own stream; no ties at the start."""
    from abm.model import stream

    m.streams[PANEL_STREAM] = stream(m.seed_value, PANEL_STREAM)
    m.panel = Panel()
    P = m.panel
    rng = m.streams[PANEL_STREAM]
    P.slot, P.uid, P.member = _draw_members(m, rng, m.params["network_sample"], np.zeros(0))
    P.patents = _held(m, rng, P.slot)


def _held(m: InnovationModel, rng: np.random.Generator, slots: np.ndarray) -> np.ndarray:
    """Patent stock of a real actor newly drawn from the agents ``slots``: its share of the agent's
    stock when each of the agent's patents is held by one of its real actors at random (Poisson with
    the agent's patents per actor as mean), so its spread does not depend on how many actors the
    agent stands for.
    """
    return rng.poisson(np.maximum(m.s.patents[slots], 0.0)).astype(float)


def _granted(m: InnovationModel, rng: np.random.Generator, slots: np.ndarray) -> np.ndarray:
    """This quarter's patents of real actors of the agents ``slots``: each of the agent's new patents
    goes to one of its real actors at random (binomial with probability 1 / weight). A member's count
    is Poisson with the agent's rate per actor at every scale; the agent mean alone would smooth the
    count over the agent's actors, more so the more actors an agent stands for.
    """
    s = m.s
    w = np.maximum(s.weight[slots], 1.0)
    count = np.round(np.maximum(s.patents_new[slots], 0.0) * s.weight[slots]).astype(np.int64)
    return rng.binomial(count, 1.0 / w).astype(float)


def _panel(m: InnovationModel) -> None:
    p = m.params
    s = m.s
    P = m.panel
    rng = m.streams[PANEL_STREAM]
    M = P.size
    # members whose agent left the model are replaced by fresh draws, without their ties
    gone = ~s.alive[P.slot] | (s.uid[P.slot] != P.uid)
    if gone.any():
        idx = np.flatnonzero(gone)
        keep = ~(gone[P.a] | gone[P.b])
        P.a, P.b, P.since = P.a[keep], P.b[keep], P.since[keep]
        sl, ui, me = _draw_members(m, rng, idx.size, _key(P.uid[~gone], P.member[~gone]))
        idx = idx[: sl.size]
        P.slot[idx], P.uid[idx], P.member[idx] = sl, ui, me
    # each member's own patents: the stock depreciates as its agent's does, plus its share of this
    # quarter's grants (a fresh member's stock is its share of its agent's stock, this quarter's included)
    old = ~gone
    P.patents[old] = P.patents[old] * (1.0 - p["patent_depreciation"]) + _granted(m, rng, P.slot[old])
    if gone.any():
        P.patents[idx] = _held(m, rng, P.slot[idx])
    # ties lapse
    keep = rng.random(P.a.size) >= 1.0 / p["tie_life"]
    P.a, P.b, P.since = P.a[keep], P.b[keep], P.since[keep]
    P.projects = 0
    seek = np.flatnonzero(rng.random(M) < 1.0 - np.exp(-p["partner_rate"]))
    if seek.size == 0:
        return
    indptr, nbr = network.csr(M, P.a, P.b)

    def pick(nodes: np.ndarray) -> np.ndarray:
        deg = indptr[nodes + 1] - indptr[nodes]
        r = np.floor(rng.random(nodes.size) * deg).astype(np.int64)
        if nbr.size == 0:
            return np.full(nodes.size, -1, dtype=np.int64)
        return np.where(deg > 0, nbr[np.minimum(indptr[nodes] + r, nbr.size - 1)], -1)

    nodes = np.arange(M)
    cand = _choose(m, rng, seek, pick, P.slot[seek], nodes, P.slot, np.ones(M), P.patents)
    ok = cand >= 0
    seek, cand = seek[ok], cand[ok]
    acc = rng.random(seek.size) < attractiveness(m, P.slot[seek], P.slot[cand])
    seek, cand = seek[acc], cand[acc]
    P.projects = int(seek.size)
    # new ties, and renewed ones (a repeated project restarts the tie's life)
    a = np.concatenate([np.minimum(seek, cand), P.a])
    b = np.concatenate([np.maximum(seek, cand), P.b])
    since = np.concatenate([np.full(seek.size, m.steps, dtype=np.int64), P.since])
    _, first = np.unique(a * M + b, return_index=True)
    P.a, P.b, P.since = a[first], b[first], since[first]


def panel_stats(m: InnovationModel, *, now: bool = False) -> dict[str, Any]:
    """Statistics of the real-actor network (abm.network.stats): measured at the start and at the
    end of every year and kept through the next year's quarters (the yearly table takes stocks at
    the year's end), or now with ``now=True``.
    """
    P = m.panel
    due = now or m.steps == 0 or m.quarter == 3 or P._cache is None
    if P._cache is not None and (P._cache[0] == m.steps or not due):
        return P._cache[1]
    out = network.stats(P.size, P.a, P.b, path_sources=16)
    inst = in_group(m.s.kind[P.slot], INSTITUTIONS)
    out["share_firm_institution"] = float(np.mean(inst[P.a] != inst[P.b])) if P.a.size else 0.0
    P._cache = (m.steps, out)
    return out


def step(m: InnovationModel) -> None:
    """Joint projects between agents (knowledge, co-patents), then the real-actor panel."""
    _agents(m)
    _panel(m)


def _stat(name: str):
    return lambda m: panel_stats(m)[name]


CONTRACT = Mechanism(
    name="partners",
    stream=STREAM,
    step=step,
    doc="Joint projects chosen on complementarity, past ties, partners of partners, region and reputation; "
    "knowledge exchange, co-patents, and the sampled real-actor collaboration network.",
    outputs=(
        Output("joint_projects", "projects", FLOW, "Joint projects started between pairs of real actors."),
        Output(
            "joint_projects_with_institutions",
            "projects",
            FLOW,
            "Joint projects between a firm and a university or lab.",
        ),
        Output("co_patents", "patents", FLOW, "Patents obtained jointly in joint projects (a subset of patents)."),
        Output(
            "net_mean_degree",
            "partners per actor",
            STOCK,
            "Mean number of partners of a real actor in the sampled real-actor network.",
            measure=_stat("mean_degree"),
        ),
        Output(
            "net_clustering",
            "share",
            STOCK,
            "Clustering (transitivity) of the sampled real-actor network.",
            measure=_stat("clustering"),
        ),
        Output(
            "net_clustering_null",
            "share",
            STOCK,
            "Expected clustering of a random network with the same degrees (configuration model).",
            measure=_stat("clustering_null"),
        ),
        Output(
            "net_path_length",
            "steps",
            STOCK,
            "Mean shortest path between actors of the giant component of the sampled network.",
            measure=_stat("path_length"),
        ),
        Output(
            "net_components",
            "components",
            STOCK,
            "Connected components among sampled actors with at least one partner.",
            measure=_stat("components"),
            dtype="int",
        ),
        Output(
            "net_giant_share",
            "share",
            STOCK,
            "Share of sampled actors with partners that are in the largest component.",
            measure=_stat("giant_share"),
        ),
        Output(
            "net_share_firm_institution",
            "share",
            STOCK,
            "Share of the sampled network's ties that link a firm to a university or lab.",
            measure=_stat("share_firm_institution"),
        ),
    ),
)


def partnerships(m: InnovationModel) -> Any:
    """The real-actor panel's ties as a table (see InnovationModel.partnerships)."""
    import pandas as pd

    P = m.panel
    s = m.s
    names = np.array(KIND_NAMES)
    sa, sb = P.slot[P.a], P.slot[P.b]
    return pd.DataFrame(
        {
            "a": P.a,
            "b": P.b,
            "a_id": P.uid[P.a],
            "a_member": P.member[P.a],
            "b_id": P.uid[P.b],
            "b_member": P.member[P.b],
            "a_kind": names[s.kind[sa]],
            "b_kind": names[s.kind[sb]],
            "a_field": s.field[sa],
            "b_field": s.field[sb],
            "a_region": s.region[sa],
            "b_region": s.region[sb],
            "since": P.since,
        }
    )
