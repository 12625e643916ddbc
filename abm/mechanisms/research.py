"""Research: money and researchers become knowledge, patents and breakthroughs.

Each performer's R&D is split into basic, applied and experimental development. Universities and
labs do more basic research the more of their public money is stable (institutional) funding;
firms do almost none (MP:115), long-horizon private firms a little more (MP:115-117).
Effective effort X combines researchers and money (Cobb-Douglas), raised by doctorates.
- development raises the performer's own capability toward the frontier; project funding makes this
  incremental progress faster (safer, shorter cycles: MP:84-88);
- applied research and development yield patents (more under stronger IP protection, DT:81);
- basic research feeds a national science stock per field that raises breakthrough rates;
- breakthroughs come at a rate that rises with basic and applied effort, the science stock, stable
  funding (riskier research with a higher ceiling, MP:84-88) and mission coordination (DT:54-57);
  each moves the performer's capability up by a jump, possibly past the frontier.
Capability is relative to a world frontier that grows by itself; national capability of a field is
the researcher-weighted 90th percentile of performers' capability.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from abm.fields import (
    APPLIED_SHARE,
    BASIC_SHARE,
    FTE_COST,
    LAB,
    N_FIELDS,
    PRIVATE,
    SME,
    SOE,
    UNIVERSITY,
    WAGE_SHARE,
)
from abm.sampling import grouped_choice

if TYPE_CHECKING:
    from abm.model import InnovationModel

SCIENCE_DECAY = 0.03  # per quarter
INSTITUTION_SPEND_RATE = 0.85  # share of cash an institution spends on R&D per quarter
SME_EQUITY_BURN = 0.1  # share of unspent VC money a start-up spends on R&D per quarter
X_HALF = 30.0  # effort (FTE) at which development progress is half its maximum
DUPLICATION_PENALTY = 0.5  # effort lost per unit of duplicated local funding
PHD_PREMIUM = 0.5  # productivity premium of a fully doctoral research staff
X_BT_REF = 100.0  # effort (FTE) at which breakthroughs are linear in effort
BT_EFFORT_EXPONENT = 0.7  # returns to effort in breakthroughs
ABOVE_FRONTIER_SCALE = 0.1  # breakthrough gains shrink by e for every 0.1 above the frontier


def fte_cost(m: InnovationModel, slots: np.ndarray) -> np.ndarray:
    """Cost of one FTE researcher-year for each slot's kind, growing with nominal GDP."""
    kind = m.s.kind[slots]
    base = np.where(kind == UNIVERSITY, FTE_COST["university"],
                    np.where(kind == LAB, FTE_COST["institute"], FTE_COST["enterprise"]))
    return base * (m.gdp_q / m.gdp0_q) ** 0.8


def type_shares(m: InnovationModel, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Basic and applied shares of each performer's R&D."""
    s = m.s
    kind = s.kind[slots]
    stable = s.stable_frac[slots]
    basic = np.zeros(slots.size)
    applied = np.zeros(slots.size)
    u = kind == UNIVERSITY
    basic[u] = BASIC_SHARE["university_low"] + (BASIC_SHARE["university_high"] - BASIC_SHARE["university_low"]) * stable[u]
    applied[u] = APPLIED_SHARE["university"]
    lab = kind == LAB
    basic[lab] = BASIC_SHARE["lab_low"] + (BASIC_SHARE["lab_high"] - BASIC_SHARE["lab_low"]) * stable[lab]
    applied[lab] = APPLIED_SHARE["lab"]
    for k, key in ((SOE, "soe"), (PRIVATE, "private"), (SME, "sme")):
        sel = kind == k
        basic[sel] = BASIC_SHARE[key]
        applied[sel] = APPLIED_SHARE[key]
    lh = (kind == PRIVATE) & (s.long_horizon[slots] == 1)
    basic[lh] *= 5.0
    applied[lh] *= 2.0
    reformed = (kind == SOE) & (s.quality[slots] < m.params["soe_reform_share"])
    basic[reformed] *= 3.0
    applied[reformed] *= 2.0
    # mission money is applied and basic work on the key technology
    mf = s.mission_frac[slots]
    applied = applied + (0.4 - applied).clip(0) * mf
    basic = basic + (0.15 - basic).clip(0) * mf
    return basic, applied


def update_capability(m: InnovationModel) -> None:
    """National capability per field: researcher-weighted 90th percentile of performers' know."""
    s = m.s
    n = s.n
    perf = np.flatnonzero(s.alive[:n] & (s.kind[:n] <= LAB))
    f = s.field[perf]
    k = s.know[perf]
    wt = s.weight[perf] * (s.researchers[perf] + 1.0)
    order = np.lexsort((k, f))
    f, k, wt = f[order], k[order], wt[order]
    cap = np.zeros(N_FIELDS)
    bounds = np.searchsorted(f, np.arange(N_FIELDS + 1))
    for j in range(N_FIELDS):
        a, b = bounds[j], bounds[j + 1]
        if b > a:
            cw = np.cumsum(wt[a:b])
            cap[j] = k[a:b][min(np.searchsorted(cw, 0.9 * cw[-1]), b - a - 1)]
    m.capability = cap


def init_science(m: InnovationModel) -> None:
    """Start the science stock at the steady state of initial basic research."""
    s = m.s
    perf = np.flatnonzero(s.alive[: s.n] & (s.kind[: s.n] <= LAB))
    basic, _ = type_shares(m, perf)
    x = effort(m, perf, s.rd_spend[perf])
    flow = np.bincount(s.field[perf], s.weight[perf] * basic * x, minlength=N_FIELDS)
    m.science = flow / SCIENCE_DECAY
    m.science_ref = np.maximum(m.science.copy(), 1e-9)


def effort(m: InnovationModel, slots: np.ndarray, spend: np.ndarray) -> np.ndarray:
    """Effective research effort (FTE-quarter equivalents) per actor."""
    s = m.s
    fte_money = np.maximum(spend, 0.0) * 4.0 / fte_cost(m, slots)
    x = np.sqrt(np.maximum(s.researchers[slots], 0.0) * fte_money)
    x *= 1.0 + PHD_PREMIUM * s.phd_share[slots]
    inst = s.kind[slots] >= UNIVERSITY
    x[inst] *= 1.0 - DUPLICATION_PENALTY * m.params["regional_duplication"] * s.local_frac[slots][inst]
    return x


def _contract_research(m: InnovationModel, firms: np.ndarray, budget: np.ndarray, inst: np.ndarray) -> np.ndarray:
    """Firms contract a share of their R&D out to universities and labs of their field."""
    p = m.params
    s = m.s
    rng = m.streams["research"]
    out = budget * p["contract_research_share"]
    n_groups = N_FIELDS
    partner = grouped_choice(rng, s.field[firms], inst, s.field[inst],
                             s.weight[inst] * s.researchers[inst] * s.know[inst], n_groups)
    ok = (partner >= 0) & (out > 0)
    amt = s.weight[firms[ok]] * out[ok]
    m.acc.pay("contract_research", firms[ok], partner[ok], amt)
    np.add.at(s.contract_in, partner[ok], amt / s.weight[partner[ok]])
    m.flow["contract_research"] += float(np.sum(amt))
    m.transfer_edges.append(np.stack([firms[ok], partner[ok]]))
    res = budget.copy()
    res[ok] -= out[ok]
    return res


def step(m: InnovationModel) -> None:
    """Set R&D budgets, pay for R&D, and turn effort into knowledge, patents and breakthroughs."""
    from abm.mechanisms.markets import target_intensity

    p = m.params
    s = m.s
    rng = m.streams["research"]
    n = s.n
    alive = s.alive[:n]
    kind = s.kind[:n]
    s.contract_in[:n] = 0.0
    m.transfer_edges = []
    firms = np.flatnonzero(alive & (kind <= SME))
    inst = np.flatnonzero(alive & ((kind == UNIVERSITY) | (kind == LAB)))

    # firm budgets: own intensity x revenue, public R&D grants, subsidies (partly additional), equity
    budget = target_intensity(m, firms) * s.revenue[firms]
    budget += s.gov_in[firms] + p["subsidy_additionality"] * s.subsidy_in[firms]
    sme = s.kind[firms] == SME
    sm = firms[sme]
    s.equity_stock[sm] += s.equity_in[sm]
    burn = SME_EQUITY_BURN * s.equity_stock[sm]
    s.equity_stock[sm] -= burn
    budget[sme] += burn
    # SMEs and private firms cannot spend cash they do not have; SOEs have a soft budget constraint
    hard = s.kind[firms] != SOE
    budget[hard] = np.minimum(budget[hard], np.maximum(s.cash[firms[hard]], 0.0))
    s.rd_budget[firms] = budget
    intramural = _contract_research(m, firms, budget, inst)
    # institutions spend most of their cash
    ibudget = INSTITUTION_SPEND_RATE * np.maximum(s.cash[inst], 0.0)
    s.rd_budget[inst] = ibudget

    perf = np.concatenate([firms, inst])
    spend = np.concatenate([intramural, ibudget])
    w = s.weight[perf]
    s.rd_spend[perf] = spend
    m.acc.pay("rd_wages", perf, "households", w * spend * WAGE_SHARE)
    m.acc.pay("rd_materials", perf, "suppliers", w * spend * (1.0 - WAGE_SHARE))

    basic, applied = type_shares(m, perf)
    dev = np.clip(1.0 - basic - applied, 0.0, 1.0)
    s.rd_basic[perf] = spend * basic
    s.rd_applied[perf] = spend * applied
    s.rd_dev[perf] = spend * dev
    x = effort(m, perf, spend)
    f = s.field[perf]

    # frontier moves: capability is relative to it
    g = (1.0 + m.frontier_growth) ** 0.25
    m.frontier *= g
    alive_perf = np.flatnonzero(alive & (kind <= LAB))
    s.know[alive_perf] /= g[s.field[alive_perf]]

    # science stock
    m.science = m.science * (1.0 - SCIENCE_DECAY) + np.bincount(f, w * basic * x, minlength=N_FIELDS)
    sci = np.sqrt(np.maximum(m.science / m.science_ref, 0.0))

    # development: incremental progress toward (not past) the frontier
    know = s.know[perf]
    proj = 1.0 + p["project_safety"] * s.project_frac[perf]
    quality = np.where(s.kind[perf] == SME, np.exp(0.2 * s.quality[perf]), 1.0)
    progress = p["learning_rate"] * proj * quality * (1.0 - np.exp(-dev * x / X_HALF))
    know = know + progress * np.maximum(1.02 - know, 0.0)

    # patents from applied research and development
    ip = 0.5 + p["ip_protection"]
    lam_pat = p["patent_rate"] / 4.0 * (applied + 0.2 * dev) * x * ip
    pats = rng.poisson(w * lam_pat)
    s.patents_new[perf] = pats / w
    s.patents[perf] = s.patents[perf] * 0.98 + pats / w

    # breakthroughs
    risk = 1.0 + p["stable_risk_premium"] * s.stable_frac[perf]
    mission = 1.0 + (p["mission_coordination"] - 1.0) * s.mission_frac[perf]
    # concave in effort: a very large performer gets fewer breakthroughs per researcher
    x_bt = X_BT_REF * (x / X_BT_REF) ** BT_EFFORT_EXPONENT
    lam = p["breakthrough_rate"] / 4.0 * (basic + 0.5 * applied) * x_bt * sci[f] * risk * mission
    lam /= 1.0 + 0.5 * p["project_safety"] * s.project_frac[perf]
    bt = rng.poisson(w * lam)
    s.breakthroughs[perf] = bt / w
    # beyond the world frontier each breakthrough adds less (the frontier is the world's best)
    know = know + p["breakthrough_size"] * bt / w * np.exp(-np.maximum(know - 1.0, 0.0) / ABOVE_FRONTIER_SCALE)
    s.know[perf] = know
    fl = m.flow
    fl["patents"] += float(np.sum(pats))
    fl["breakthroughs"] += float(np.sum(bt))
    m.breakthroughs_by_field = np.bincount(f, bt, minlength=N_FIELDS).astype(float)
    m.patents_by_kind = np.bincount(s.kind[perf], pats, minlength=5).astype(float)
