"""Funding: government budgets, stable vs project funding, competitive calls, missions, subsidies,
tax deduction, guidance funds.

Each quarter the government research budget (a share of GDP, MP:20) is drawn from the fiscal
source. The central part is split into stable (block) funding and project funding (MP:86-88: over
70% project-based) and, while a mission runs, mission money taken from the project pool
(DT:54-57). Stable funding goes to labs and universities by staff cost; a share of it
(``stable_evaluation_weight``) is re-allocated each year on the institutions' evaluated performance
(OUT:248, SSF:210-214). Project money (central, local) is awarded in competitive calls: each
quarter a funder offers what its running grants do not use; performers without a grant of that funder
apply; reviewers see each proposal's true quality with noise (``review_noise``) and fund the best-ranked
until the call's money is spent; a grant pays its sum every quarter for its cycle. Mission money goes to
the mission's innovation consortium (abm.mechanisms.consortia: a leader, members who co-fund, parallel
pathways), which hands it to its members as key tasks. Part of what local money buys duplicates
other regions' work (MP:52, 71), which the research mechanism discounts. Subsidies are targeted by a
rule (SSF:369-380); the R&D super-deduction is paid as a tax credit on last quarter's R&D (OUT:234).
Guidance-fund capital is paid into state guidance funds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from abm.contract import FLOW, STOCK, Mechanism, Output
from abm.kinds import FIRMS, INSTITUTIONS, LARGE_FIRMS, PERFORMERS, Funder, Kind, LabType, VCType, in_group
from abm.mechanisms import consortia
from abm.mechanisms.projects import team_quality
from abm.mechanisms.research import fte_cost

if TYPE_CHECKING:
    from abm.model import InnovationModel

STREAM = "funding"

#: Funders that allocate by competitive calls, in the order of the grant table's columns (mission money
#: goes through consortia, abm.mechanisms.consortia).
CALLS: tuple[Funder, ...] = (Funder.CENTRAL_PROJECT, Funder.LOCAL)
_COL = {f: i for i, f in enumerate(CALLS)}
#: Column of each funder's grants in the grant table, by funder value (-1: the funder makes no calls); selects
#: every pair's column at once.
_COL_OF = np.full(len(Funder), -1, dtype=np.int64)
_COL_OF[list(_COL)] = list(_COL.values())


class Grants:
    """Running grants won in competitive calls, held by part of each agent's real actors.

    An agent stands for ``weight`` real performers, each of which applies and wins on its own: the table
    keeps, per slot and calling funder, the share of the agent's real actors holding a grant (``frac``)
    and what those grants pay together. Arrays over slot x call (column i is the funder CALLS[i]): amount
    (yuan per quarter to the agent, before any pro-rata cut), frac, uid (the winner's agent id, to detect
    slot reuse), group (the call's group: track, or region and track) and quality (money-weighted mean
    true quality of the funded proposals, 1 = the country's mean researcher). The agent's grants started
    in different quarters: 1/cycle of them ends each quarter. Scalars of the last quarter's calls:
    ``corr`` (correlation of the funded share with the applicants' team quality) and ``started``.
    """

    def __init__(self) -> None:
        self.amount = np.zeros((0, len(CALLS)))
        self.frac = np.zeros((0, len(CALLS)))
        self.uid = np.zeros((0, len(CALLS)), dtype=np.int64)
        self.group = np.zeros((0, len(CALLS)), dtype=np.int64)
        self.quality = np.ones((0, len(CALLS)))
        self.corr = 0.0
        self.started = False
        self._stats: list[np.ndarray] = []

    def index(self, capacity: int) -> None:
        """Grow the arrays to the state's capacity."""
        old = self.amount.shape[0]
        if old >= capacity:
            return
        for name, fill in (("amount", 0.0), ("frac", 0.0), ("uid", -1), ("group", 0), ("quality", 1.0)):
            arr = getattr(self, name)
            grown = np.full((capacity, len(CALLS)), fill, dtype=arr.dtype)
            grown[:old] = arr
            setattr(self, name, grown)

    def _cells(self, slots: np.ndarray, funders: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The grant-table cell of each (slot, funder) pair: the column of each pair's funder (-1: no calls),
        the pairs with a cell (a calling funder and a slot inside the table) and their flat index into the
        (C-ordered) tables, a faster gather than a row-and-column index.
        """
        col = _COL_OF[funders]
        pair = np.flatnonzero((col >= 0) & (slots < self.amount.shape[0]))
        return col, pair, slots[pair] * len(CALLS) + col[pair]

    def quality_of(self, slots: np.ndarray, funders: np.ndarray, default: np.ndarray) -> np.ndarray:
        """True quality of the running grant of each (slot, funder) pair; ``default`` where none runs."""
        out = np.array(default, dtype=float)
        _, pair, cell = self._cells(slots, funders)
        held = self.amount.ravel()[cell] > 0
        out[pair[held]] = self.quality.ravel()[cell[held]]
        return out

    def held_share(self, slots: np.ndarray, funders: np.ndarray) -> np.ndarray:
        """Share of each slot's real actors holding a grant of the funder (1 for funders without calls)."""
        col, pair, cell = self._cells(slots, funders)
        out = np.where(col >= 0, 0.0, 1.0)
        out[pair] = self.frac.ravel()[cell]
        return out


def init_grants(m: InnovationModel) -> None:
    """An empty grant table; the first quarter's calls fill it."""
    m.grants = Grants()
    m.grants.index(m.s.capacity)


def award(group: np.ndarray, score: np.ndarray, ask: np.ndarray, budget: np.ndarray) -> np.ndarray:
    """Fund proposals best score first within each call group until the group's budget is spent.

    Args:
        group: Call group of each proposal (an index into ``budget``).
        score: Reviewed score of each proposal (higher is better).
        ask: Money each proposal asks for (>= 0).
        budget: Money of each call group.

    Returns:
        The money awarded to each proposal: its ask, a part of it for the marginal proposal of a
        group, or 0.
    """
    if group.size == 0:
        return np.zeros(0)
    # = np.lexsort((-score, group)): best score first (ties in input order), then a stable radix sort by group
    order = np.argsort(-score, kind="stable")
    key = group[order]
    order = order[np.argsort(key.astype(np.uint16) if budget.size <= np.iinfo(np.uint16).max else key, kind="stable")]
    g = group[order]
    a = ask[order]
    cs = np.cumsum(a)
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    first = np.repeat(starts, np.diff(np.r_[starts, g.size]))  # first row of each proposal's group
    before = cs - a - (cs[first] - a[first])  # asks of the better proposals of the same group
    got = np.clip(budget[g] - before, 0.0, a)
    out = np.empty(group.size)
    out[order] = got
    return out


_SQRT2 = np.sqrt(2.0)


def _ncdf(z: np.ndarray) -> np.ndarray:
    """Standard normal distribution function (Abramowitz and Stegun 7.1.26, error below 2e-7).

    Evaluated in place on three work arrays (the same operations in the same order as the formula, so the
    same values): it runs on every applicant at every step of the call's cut-off search.
    """
    x = np.abs(z)
    x /= _SQRT2
    k = np.multiply(x, 0.3275911)
    k += 1.0
    np.divide(1.0, k, out=k)
    # poly = k * (0.254829592 + k * (-0.284496736 + k * (1.421413741 + k * (-1.453152027 + k * 1.061405429))))
    poly = np.multiply(k, 1.061405429)
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += c
        poly *= k
    # erfc = poly * exp(-x * x); the result 1 - erfc / 2 where z >= 0, erfc / 2 elsewhere
    x *= x
    np.negative(x, out=x)
    np.exp(x, out=x)
    poly *= x
    poly *= 0.5
    out = np.subtract(1.0, poly, out=x)
    np.copyto(out, poly, where=~(z >= 0))
    return out


def award_share(
    group: np.ndarray, mu: np.ndarray, sd: float, ask: np.ndarray, budget: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Share of each applicant agent's real proposals that a call funds.

    The agent's real proposals have reviewed scores normal around ``mu`` with s.d. ``sd`` (each real
    actor's idea and review are its own); a group funds every proposal above its cut-off, which is set so
    that their asks spend the group's budget (every proposal when the budget suffices).

    Returns:
        The funded share of each agent's proposals and the standardized margin (mu - cut-off) / sd.
    """
    if group.size == 0:
        return np.zeros(0), np.zeros(0)
    asked = np.bincount(group, ask, minlength=budget.size)
    # each group's cut-off solves spent(cut) = budget (spent falls with the cut): Newton steps kept inside a
    # bracket that every evaluation narrows, a bisection step where Newton would leave it; it converges in a
    # handful of steps where bisection took 60 (the same cut-offs to about 1e-12 of the budget). A group whose
    # budget covers every ask needs no cut-off; one without money funds nothing. The few groups' brackets are
    # updated in plain Python floats (the same double arithmetic as numpy's, without its per-call cost).
    ng = budget.size
    lo0 = float(mu.min()) - 12.0 * sd
    hi0 = float(mu.max()) + 12.0 * sd
    lo, hi, cut = [lo0] * ng, [hi0] * ng, [0.5 * (lo0 + hi0)] * ng
    bud = budget.tolist()
    done = ((asked <= budget) | (budget <= 0)).tolist()
    hit = [False] * ng  # converged on spent = budget (else: bracket closed)
    norm = sd * np.sqrt(2.0 * np.pi)
    for _ in range(60):
        if all(done):
            break
        z = (mu - np.array(cut)[group]) / sd
        spent = np.bincount(group, ask * _ncdf(z), minlength=ng).tolist()
        slope = (np.bincount(group, ask * np.exp(-0.5 * z * z), minlength=ng) / norm).tolist()
        for j in range(ng):
            if done[j]:
                continue
            c, gap, d = cut[j], spent[j] - bud[j], slope[j]
            if spent[j] > bud[j]:
                lo[j] = c
            else:
                hi[j] = c
            hit[j] = abs(gap) <= 1e-12 * bud[j]
            if hit[j] or hi[j] - lo[j] <= 1e-12 * sd:
                done[j] = True
                continue
            newton = c + gap / (d if d > 0 else 1.0)
            cut[j] = newton if d > 0 and lo[j] < newton < hi[j] else 0.5 * (lo[j] + hi[j])
    cut = np.where(hit, cut, hi)  # the cut-off in effect: what its proposals ask fits the budget
    cut = np.where(budget <= 0, np.inf, cut)
    z = (mu - cut[group]) / sd
    enough = asked[group] <= budget[group]
    return np.where(enough, 1.0, _ncdf(z)), np.where(enough, np.inf, z)


def proposal_quality(m: InnovationModel, slots: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """True quality of proposals: the applicant's team quality times the idea's own log-normal quality
    (mean 1, log s.d. ``proposal_idea_spread``).
    """
    sig = m.params["proposal_idea_spread"]
    idea = rng.lognormal(-0.5 * sig * sig, sig, slots.size) if sig > 0 else np.ones(slots.size)
    return team_quality(m, slots) * idea


def _weighted_var(x: np.ndarray, w: np.ndarray) -> float:
    """``float(np.cov(x, aweights=w))`` for a 1-D ``x`` with ``sum(w) > 0``: the same operations in the same
    order (so the same value, bit for bit), without np.cov's checks that loop over the weights in Python.
    """
    w_sum = w.sum()
    fact = w_sum - np.sum(w * w) / w_sum
    if not fact > 0:  # np.cov warns and divides by zero
        return float(np.cov(x, aweights=w))
    d = x - np.multiply(x, w).sum() / w_sum
    return float(np.dot(d, d * w) * np.true_divide(1, fact))


def _weighted_corr(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    tw = float(np.sum(w))
    if x.size < 2 or tw <= 0:
        return 0.0
    mx, my = np.sum(w * x) / tw, np.sum(w * y) / tw
    vx, vy = np.sum(w * (x - mx) ** 2), np.sum(w * (y - my) ** 2)
    if vx <= 0 or vy <= 0:
        return 0.0
    return float(np.sum(w * (x - mx) * (y - my)) / np.sqrt(vx * vy))


def _call(
    m: InnovationModel,
    funder: Funder,
    targets: np.ndarray,
    appl: np.ndarray,
    appl_group: np.ndarray,
    staff_cost: np.ndarray,
    horizon: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """One funder's calls of this quarter: pay the running grants (cut pro rata where they exceed their
    group's money), then fund new proposals from the money left. ``targets``: money per call group this
    quarter; ``appl``: eligible performers and their groups; each applies for its real actors that hold no
    grant of this funder. Proposals are decided per real actor (:func:`award_share`): a real proposal's
    score is its team's log quality plus its own idea (log s.d. ``proposal_idea_spread``) and review
    noise (``review_noise`` x the spread of log quality over real proposals). A group's money is spent
    whenever it has a grant holder or an applicant: proposals of an undersubscribed call are scaled up,
    and money of a group without applicants tops up its running grants for the quarter. Returns the slots
    paid and what each received (yuan this quarter).
    """
    del horizon, rng  # grants end at 1/cycle a quarter (_expire); decisions are expectations over real actors
    p = m.params
    s = m.s
    g = m.grants
    c = _COL[funder]
    n = s.n
    held = np.flatnonzero(g.amount[:n, c] > 0)
    hg = g.group[held, c]
    committed = np.bincount(hg, g.amount[held, c], minlength=targets.size)
    scale = np.where(committed > 0, np.minimum(1.0, targets / np.where(committed > 0, committed, 1.0)), 1.0)
    pay = g.amount[held, c] * scale[hg]
    ended = held[pay <= 0]  # their call group has no money any more (a rule changed): the grants end
    g.amount[ended, c] = 0.0
    g.frac[ended, c] = 0.0
    free = np.maximum(targets - committed, 0.0)
    room = 1.0 - g.frac[appl, c]  # share of the agent's real actors without a grant of this funder
    ask = s.weight[appl] * room * p["grant_size"] * staff_cost[appl]
    ok = (ask > 0) & (room > 1e-9)
    appl, appl_group, ask, room = appl[ok], appl_group[ok], ask[ok], room[ok]
    # a call with more money than its proposals ask for funds them all, with proportionally larger grants
    asked = np.bincount(appl_group, ask, minlength=targets.size)
    up = np.where((asked > 0) & (asked < free), free / np.where(asked > 0, asked, 1.0), 1.0)
    ask = ask * up[appl_group]
    team = team_quality(m, appl)
    logt = np.log(team)
    w = s.weight[appl] * room
    sig = p["proposal_idea_spread"]
    between = _weighted_var(logt, w) if appl.size > 1 and np.sum(w) > 0 else 0.0
    spread = np.sqrt(max(between, 0.0) + sig * sig)  # of log quality over the real proposals
    sd = float(np.sqrt(sig * sig + (p["review_noise"] * spread) ** 2))
    mu = logt - 0.5 * sig * sig
    if sd > 1e-9:
        share, z = award_share(appl_group, mu, sd, ask, free)
        # mean idea quality of the funded proposals (log-normal idea, normal score): a tilted normal
        zc = np.maximum(z, -4.0)
        factor = _ncdf(zc + sig * sig / sd) / np.maximum(_ncdf(zc), 1e-12)
    else:  # every real proposal of an agent scores the same: the best agents first
        got0 = award(appl_group, logt, ask, free)
        share = np.where(ask > 0, got0 / np.where(ask > 0, ask, 1.0), 0.0)
        factor = np.ones(appl.size)
    got = ask * share
    # money of a group nobody applied to tops up its running grants this quarter (the budget is spent)
    left = np.where(asked > 0, 0.0, free)
    pay = pay * (1.0 + left[hg] / np.where(committed > 0, committed, 1.0)[hg])
    win = got > 0
    won = appl[win]
    old = g.amount[won, c]
    q_new = team[win] * factor[win]
    g.quality[won, c] = (old * g.quality[won, c] + got[win] * q_new) / (old + got[win])
    g.amount[won, c] = old + got[win]
    g.frac[won, c] = np.minimum(g.frac[won, c] + room[win] * share[win], 1.0)
    g.uid[won, c] = s.uid[won]
    g.group[won, c] = appl_group[win]
    fl = m.flow
    fl["grant_applications"] += float(np.sum(w))
    fl["grants_awarded"] += float(np.sum(w * share))
    g._stats.append(np.stack([logt, share, ask]))
    out = np.zeros(s.capacity)
    out[held] += pay
    out[won] += got[win]
    slots = np.flatnonzero(out > 0)
    return slots, out[slots]


def _expire(m: InnovationModel) -> None:
    """Grants whose cycle is over stop: an agent's grants started in different quarters, so 1/cycle of
    them (money and the share of its real actors holding one) ends each quarter; all of them stop when
    the winner died (or its slot was reused).
    """
    s = m.s
    g = m.grants
    g.index(s.capacity)
    n = s.n
    for f, c in _COL.items():
        keep = 1.0 - 1.0 / _horizon(m, f)
        g.amount[:n, c] *= keep
        g.frac[:n, c] *= keep
    gone = ~s.alive[:n, None] | (g.uid[:n] != s.uid[:n, None])
    g.amount[:n][gone] = 0.0
    g.frac[:n][gone] = 0.0


def _pay_from_governments(
    m: InnovationModel, kind: str, govs: np.ndarray, which: np.ndarray | None, dst: np.ndarray, amounts: np.ndarray
) -> float:
    """Pay ``amounts`` (real yuan per slot of ``dst``) from government bodies, slot i from ``govs[which[i]]``
    (every slot from ``govs[0]`` when ``which`` is None), each body drawing its total from the fiscal source
    first (government bodies are pass-throughs of the budget). Two payments for all bodies: each body
    receives its total, then pays its slots in slot order (bodies in turn). A body with no slot or a total
    of 0 pays nothing. Returns the total paid.
    """
    amounts = np.asarray(amounts, dtype=float)
    payers, totals, rows = [], [], []
    total = 0.0
    for r, gov in enumerate(govs):
        sel = None if which is None else np.flatnonzero(which == r)
        paid = float(np.sum(amounts if sel is None else amounts[sel]))
        if (dst.size if sel is None else sel.size) and paid > 0:
            payers.append(int(gov))
            totals.append(paid)
            rows.append(sel)
            total += paid
    if not payers:
        return 0.0
    g = np.array(payers)
    m.acc.pay("budget_" + kind, "fiscal", g, np.array(totals))
    if which is None:
        m.acc.pay(kind, np.repeat(g, dst.size), dst, amounts)
    else:
        src = np.repeat(g, [sel.size for sel in rows])
        sel = np.concatenate(rows)
        m.acc.pay(kind, src, dst[sel], amounts[sel])
    return total


def gov_pay(m: InnovationModel, kind: str, gov: int, dst: np.ndarray, amounts: np.ndarray) -> float:
    """Pay ``amounts`` (real yuan per slot) from a government body, drawing the money from the fiscal
    source first (government bodies are pass-throughs of the budget): :func:`local_gov_pay` with one
    region. Returns the total paid.
    """
    return _pay_from_governments(m, kind, np.array([gov]), None, dst, amounts)


def local_gov_pay(m: InnovationModel, kind: str, dst: np.ndarray, amounts: np.ndarray) -> float:
    """Pay ``amounts`` (real yuan per slot) from the local government of each slot's region: what
    :func:`gov_pay` from each region's government in turn pays (the same stocks, ledger sums and rows),
    as two payments for all regions instead of two per region. Returns the total paid.
    """
    return _pay_from_governments(m, kind, m.gov_local, m.s.region[dst], dst, amounts)


def _share(weights: np.ndarray, total: float) -> np.ndarray:
    tw = float(np.sum(weights))
    return weights * (total / tw) if tw > 0 else np.zeros_like(weights)


@dataclass
class _Quarter:
    """Working arrays of one funding quarter (public money received per slot, by channel)."""

    inst: np.ndarray
    staff_cost: np.ndarray
    stable_in: np.ndarray
    project_in: np.ndarray
    local_in: np.ndarray
    mission_in: np.ndarray


def _horizon(m: InnovationModel, funder: Funder) -> int:
    """Quarters a grant of a calling funder runs: its evaluation cycle (the same horizon the projects it
    pays plan for, abm.mechanisms.projects.horizons).
    """
    del funder  # central project and local calls share the evaluation cycle
    return max(round(4.0 * m.params["project_cycle_years"]), 1)


def _evaluate(m: InnovationModel, q: _Quarter, rng: np.random.Generator) -> None:
    """Institutions' performance: a moving average of the outputs the evaluation counts, per researcher
    and relative to the mean institution; evaluated (with noise) in the first quarter of each year.
    """
    p = m.params
    s = m.s
    inst = q.inst
    r = np.maximum(s.researchers[inst], 1e-9)
    wt = s.weight[inst] * np.maximum(s.researchers[inst], 0.0)

    def rel(x: np.ndarray) -> np.ndarray:
        mean = float(np.sum(wt * x)) / max(float(np.sum(wt)), 1e-12)
        return x / mean if mean > 0 else np.zeros_like(x)

    if p["evaluation_basis"] == "counts":
        out = rel(s.patents_new[inst] / r)
    else:  # impact: breakthroughs and what firms pay for the institution's research
        out = 0.5 * rel(s.breakthroughs[inst] / r) + 0.5 * rel(s.contract_in[inst] / r)
    a = min(1.0, 1.0 / (4.0 * p["evaluation_years"]))
    s.performance[inst] = (1.0 - a) * s.performance[inst] + a * out
    if m.quarter != 0:
        return
    sig = p["evaluation_noise"]
    noise = rng.lognormal(-0.5 * sig * sig, sig, inst.size) if sig > 0 else np.ones(inst.size)
    mean = float(np.sum(wt * s.performance[inst])) / max(float(np.sum(wt)), 1e-12)
    s.evaluation[inst] = s.performance[inst] / mean * noise if mean > 0 else 1.0


def _stable(m: InnovationModel, q: _Quarter, stable_total: float) -> None:
    """Stable (block) funding by staff cost, split between labs and universities; a share
    (``stable_evaluation_weight``) follows the institutions' evaluated performance.
    """
    p = m.params
    s = m.s
    labs = q.inst[s.kind[q.inst] == Kind.LAB]
    unis = q.inst[s.kind[q.inst] == Kind.UNIVERSITY]
    ev = p["stable_evaluation_weight"]
    for group, share in ((labs, p["stable_lab_share"]), (unis, 1.0 - p["stable_lab_share"])):
        national = (s.kind[group] == Kind.LAB) & (s.subtype[group] == LabType.NATIONAL_LAB)
        prem = np.where(national, p["national_lab_stable_premium"], 1.0)
        judged = (1.0 - ev) + ev * s.evaluation[group]
        amt = _share(s.weight[group] * q.staff_cost[group] * prem * judged, stable_total * share)
        q.stable_in[group] += amt
        gov_pay(m, "stable_funding", m.gov_central, group, amt)


def _mission(m: InnovationModel, q: _Quarter, mission_total: float) -> float:
    """Mission money to the mission's consortium (abm.mechanisms.consortia), which forms if none runs and
    hands the money, with its members' co-funding, to its members as key tasks. Returns what was paid.
    """
    slots, gov, cof = consortia.fund(m, mission_total)
    q.mission_in[slots] += gov + cof
    return gov_pay(m, "mission_funding", m.gov_central, slots, gov)


def _project(m: InnovationModel, q: _Quarter, project_total: float, rng: np.random.Generator) -> float:
    """Central project calls: one for institutions, one for large firms (``project_firm_share`` of the money).
    Returns what was paid.
    """
    s = m.s
    firms = s.of_group(LARGE_FIRMS)
    fs = m.params["project_firm_share"]
    appl = np.concatenate([q.inst, firms])
    group = np.concatenate([np.zeros(q.inst.size, dtype=np.int64), np.ones(firms.size, dtype=np.int64)])
    targets = np.array([project_total * (1.0 - fs), project_total * fs])
    horizon = _horizon(m, Funder.CENTRAL_PROJECT)
    slots, paid = _call(m, Funder.CENTRAL_PROJECT, targets, appl, group, q.staff_cost, horizon, rng)
    q.project_in[slots] += paid
    return gov_pay(m, "project_funding", m.gov_central, slots, paid)


def _local(m: InnovationModel, q: _Quarter, local: float, allfirms: np.ndarray, rng: np.random.Generator) -> float:
    """Local governments' calls for their region's institutions and firms. Returns what was paid."""
    p = m.params
    s = m.s
    inst = q.inst
    inst_w = np.bincount(s.region[inst], s.weight[inst] * q.staff_cost[inst], minlength=m.n_regions)
    region_share = inst_w / max(inst_w.sum(), 1e-12)
    to_inst = p["local_institution_share"]
    targets = np.zeros(2 * m.n_regions)
    targets[0::2] = local * region_share * to_inst
    targets[1::2] = local * region_share * (1.0 - to_inst)
    appl = np.concatenate([inst, allfirms])
    group = np.concatenate([2 * s.region[inst], 2 * s.region[allfirms] + 1])
    slots, paid = _call(m, Funder.LOCAL, targets, appl, group, q.staff_cost, _horizon(m, Funder.LOCAL), rng)
    q.local_in[slots] += paid
    return local_gov_pay(m, "local_funding", slots, paid)


def _subsidies(m: InnovationModel, allfirms: np.ndarray) -> float:
    """Direct R&D subsidies to the targeted firms, by R&D spent. Returns the total."""
    p = m.params
    s = m.s
    sub_total = p["firm_subsidy_gdp"] * m.nation.gdp_q
    target = p["subsidy_targeting"]
    if target == "sme":
        rec = allfirms[s.kind[allfirms] == Kind.SME]
    elif target == "strategic":
        rec = allfirms[m.world.klass[s.field[allfirms]] == "catch-up"]
    else:
        rec = allfirms
    amt = _share(s.weight[rec] * np.maximum(s.rd_spend[rec], 0.0) + 1e-9 * s.weight[rec], sub_total)
    s.subsidy_in[rec] += amt / s.weight[rec]
    gov_pay(m, "subsidy", m.gov_central, rec, amt)
    return sub_total


def _tax_credit(m: InnovationModel, allfirms: np.ndarray) -> float:
    """The R&D super-deduction, paid as a tax credit on last quarter's R&D. Returns the total."""
    p = m.params
    s = m.s
    credit = p["corporate_tax_rate"] * p["rd_super_deduction"] * np.maximum(s.rd_spend[allfirms], 0.0)
    total = gov_pay(m, "tax_deduction", m.gov_central, allfirms, s.weight[allfirms] * credit)
    s.subsidy_in[allfirms] += credit
    return total


def _guidance(m: InnovationModel) -> float:
    """Capital paid into state guidance funds, part central, the rest by local governments."""
    p = m.params
    s = m.s
    n = s.n
    gf = np.flatnonzero(s.alive[:n] & (s.kind[:n] == Kind.VC) & (s.subtype[:n] == VCType.GUIDANCE_FUND))
    gtotal = p["guidance_fund_budget"] / 4.0 * (m.nation.gdp_q / m.nation.gdp0_q)
    if not gf.size:
        return 0.0
    central = p["guidance_central_share"]
    amt = _share(s.weight[gf] * np.sqrt(np.maximum(s.cash[gf], 1.0)), gtotal)
    gov_pay(m, "guidance_capital", m.gov_central, gf, central * amt)
    local_gov_pay(m, "guidance_capital", gf, (1.0 - central) * amt)
    return gtotal


def _composition(m: InnovationModel, q: _Quarter) -> None:
    """Public money received per actor and the moving averages of its composition."""
    s = m.s
    n = s.n
    ema = m.params["funding_memory_weight"]
    tot = q.stable_in + q.project_in + q.local_in + q.mission_in
    recv = np.flatnonzero(tot[:n] > 0)
    s.gov_in[recv] = tot[recv] / s.weight[recv]
    for col, arr in (
        ("stable_frac", q.stable_in),
        ("project_frac", q.project_in),
        ("local_frac", q.local_in),
        ("mission_frac", q.mission_in),
    ):
        c = getattr(s, col)
        c[recv] = (1 - ema) * c[recv] + ema * arr[recv] / tot[recv]
    idle = np.flatnonzero(s.alive[:n] & (tot[:n] <= 0) & in_group(s.kind[:n], FIRMS))
    s.mission_frac[idle] *= 1 - ema


def _grant_quality(m: InnovationModel) -> float:
    """Money-weighted mean true quality of the running grants (1 = the country's mean researcher)."""
    g = m.grants
    n = m.s.n
    amt = g.amount[:n]
    tot = float(np.sum(amt))
    return float(np.sum(amt * g.quality[:n]) / tot) if tot > 0 else 0.0


def step(m: InnovationModel) -> None:
    """Pay this quarter's public research money."""
    p = m.params
    s = m.s
    rng = m.streams[STREAM]
    n = s.n
    s.gov_in[:n] = 0.0
    s.subsidy_in[:n] = 0.0
    _expire(m)
    g = m.grants
    g._stats = []
    inst = s.of_group(INSTITUTIONS)  # alive actors of the group, in slot order (cached until the roster changes)
    cap = s.capacity
    q = _Quarter(inst, np.zeros(cap), np.zeros(cap), np.zeros(cap), np.zeros(cap), np.zeros(cap))
    # research staff cost per quarter: stable money follows it, proposals ask for a share of it
    perf = s.of_group(PERFORMERS)
    q.staff_cost[perf] = s.researchers[perf] * fte_cost(m, perf) / 4.0
    budget = p["research_budget_gdp"] * m.nation.gdp_q
    central = budget * p["central_share"]
    local = budget - central
    stable_total = central * p["stable_share"]
    project_total = central - stable_total
    _evaluate(m, q, rng)
    _stable(m, q, stable_total)
    mission_paid = 0.0
    if m.nation.mission_active:
        mission_total = min(p["mission_budget"] / 4.0, project_total)
        project_total -= mission_total
        mission_paid = _mission(m, q, mission_total)
    else:
        m.consortium_book.private_share = 0.0
    project_paid = _project(m, q, project_total, rng)
    allfirms = s.of_group(FIRMS)
    local_paid = _local(m, q, local, allfirms, rng)
    g.started = True
    st = np.concatenate(g._stats, axis=1) if g._stats else np.zeros((3, 0))
    g.corr = _weighted_corr(st[0], st[1], st[2])
    sub_total = _subsidies(m, allfirms)
    credit_total = _tax_credit(m, allfirms)
    guidance_total = _guidance(m)
    _composition(m, q)
    fl = m.flow
    fl["gov_stable"] += stable_total
    fl["gov_project"] += project_paid
    fl["gov_mission"] += mission_paid
    fl["gov_local"] += local_paid
    fl["subsidies"] += sub_total
    fl["tax_deduction"] += credit_total
    fl["guidance_capital"] += guidance_total


CONTRACT = Mechanism(
    name="funding",
    stream=STREAM,
    step=step,
    doc="Government research budgets: stable, project, mission and local funding, subsidies, tax credit, guidance capital.",
    outputs=(
        Output(
            "gov_stable", "yuan", FLOW, "Central stable (institutional, block) funding paid to labs and universities."
        ),
        Output(
            "gov_project", "yuan", FLOW, "Central project funding paid through competitive calls (mission money apart)."
        ),
        Output("gov_mission", "yuan", FLOW, "Central mission funding paid to consortium members as key tasks."),
        Output(
            "gov_local",
            "yuan",
            FLOW,
            "Local governments' research funding paid through calls to their region's institutions and firms.",
        ),
        Output("grant_applications", "proposals", FLOW, "Proposals submitted to the quarter's competitive calls."),
        Output(
            "grants_awarded",
            "grants",
            FLOW,
            "Proposals funded by the quarter's calls (a partly funded one counts its part).",
        ),
        Output(
            "award_quality_corr",
            "correlation",
            STOCK,
            "Correlation, over the quarter's proposals, of the share of its ask a proposal won with its true log quality.",
            measure=lambda m: m.grants.corr,
        ),
        Output(
            "grant_quality",
            "index (1 = mean researcher)",
            STOCK,
            "Money-weighted mean true quality of the running grants.",
            measure=_grant_quality,
        ),
        Output(
            "mission_private_share",
            "share",
            STOCK,
            "Share of the quarter's consortium key-task money (mission and co-funding) paid to private firms and start-ups.",
            measure=lambda m: m.consortium_book.private_share,
        ),
        Output("subsidies", "yuan", FLOW, "Direct R&D subsidies to firms."),
        Output("tax_deduction", "yuan", FLOW, "Tax credit paid through the R&D super-deduction."),
        Output("guidance_capital", "yuan", FLOW, "Government money paid into state guidance funds."),
        Output(
            "mission_active",
            "flag (0/1)",
            STOCK,
            "1 while a whole-of-nation mission runs.",
            measure=lambda m: int(m.nation.mission_active),
            dtype="int",
        ),
    ),
)
