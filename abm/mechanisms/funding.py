"""Funding: government budgets, stable vs project funding, missions, subsidies, tax deduction,
guidance funds.

Each quarter the government research budget (a share of GDP, MP:20) is drawn from the fiscal
source. The central part is split into stable (block) funding and project funding (MP:86-88: over
70% project-based) and, while a mission runs, mission money taken from the project pool
(DT:54-57). Stable funding goes to labs and universities in proportion to their researchers;
project funding is competitive (track record and luck) and part of it goes to firms. Local
governments fund institutions and firms of their own region (OUT:228); part of what local money
buys duplicates other regions' work (MP:52, 71), which the research mechanism discounts.
Subsidies are targeted by a rule (SSF:369-380); the R&D super-deduction is paid as a tax credit
on last quarter's R&D (OUT:234). Guidance-fund capital is paid into state guidance funds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from abm.fields import FIELD_NAMES, FIRM_KINDS, LAB, PRIVATE, SME, SOE, UNIVERSITY, VC
from abm.mechanisms.research import fte_cost

if TYPE_CHECKING:
    from abm.model import InnovationModel

EMA = 0.25  # weight of the current quarter in the funding-composition averages
NATIONAL_LAB_PREMIUM = 1.5  # stable funding per researcher of national labs relative to others


def gov_pay(m: InnovationModel, kind: str, gov: int, dst: np.ndarray, amounts: np.ndarray) -> float:
    """Pay ``amounts`` (real yuan per slot) from a government body, drawing the money from the fiscal
    source first (government bodies are pass-throughs of the budget). Returns the total paid.
    """
    amounts = np.asarray(amounts, dtype=float)
    total = float(np.sum(amounts))
    if dst.size == 0 or total <= 0:
        return 0.0
    g = np.array([gov])
    m.acc.pay("budget_" + kind, "fiscal", g, total)
    m.acc.pay(kind, np.repeat(g, dst.size), dst, amounts)
    return total


def _share(weights: np.ndarray, total: float) -> np.ndarray:
    tw = float(np.sum(weights))
    return weights * (total / tw) if tw > 0 else np.zeros_like(weights)


def step(m: InnovationModel) -> None:
    """Pay this quarter's public research money."""
    p = m.params
    s = m.s
    rng = m.streams["funding"]
    n = s.n
    alive = s.alive[:n]
    kind = s.kind[:n]
    s.gov_in[:n] = 0.0
    s.subsidy_in[:n] = 0.0
    inst = np.flatnonzero(alive & ((kind == UNIVERSITY) | (kind == LAB)))
    w_inst = s.weight[inst]
    budget = p["research_budget_gdp"] * m.gdp_q
    central = budget * p["central_share"]
    local = budget - central
    stable_total = central * p["stable_share"]
    project_total = central - stable_total
    mission_total = 0.0
    stable_in = np.zeros(s.capacity)
    project_in = np.zeros(s.capacity)
    local_in = np.zeros(s.capacity)
    mission_in = np.zeros(s.capacity)
    g = m.gov_central

    # institutions are funded in proportion to the cost of their research staff
    staff_cost = np.zeros(s.capacity)
    staff_cost[inst] = s.researchers[inst] * fte_cost(m, inst)

    # stable (block) funding: by staff cost, labs vs universities
    labs = inst[s.kind[inst] == LAB]
    unis = inst[s.kind[inst] == UNIVERSITY]
    for group, share in ((labs, p["stable_lab_share"]), (unis, 1.0 - p["stable_lab_share"])):
        prem = np.where((s.kind[group] == LAB) & (s.subtype[group] == 2), NATIONAL_LAB_PREMIUM, 1.0)
        amt = _share(s.weight[group] * staff_cost[group] * prem, stable_total * share)
        stable_in[group] += amt
        gov_pay(m, "stable_funding", g, group, amt)

    # mission: taken from the project pool (same total budget)
    if m.mission_active:
        mission_total = min(p["mission_budget"] / 4.0, project_total)
        project_total -= mission_total
        fidx = FIELD_NAMES.index(p["mission_field"])
        rule = p["mission_consortium"]
        shares = {
            "enterprise_led": {PRIVATE: 0.45, SOE: 0.15, LAB: 0.25, UNIVERSITY: 0.15},
            "soe_led": {SOE: 0.5, PRIVATE: 0.1, LAB: 0.25, UNIVERSITY: 0.15},
        }.get(rule)
        cand = np.flatnonzero(alive & (s.field[:n] == fidx) & (kind <= LAB) & (kind != SME))
        if cand.size:
            wt = s.weight[cand] * np.maximum(s.researchers[cand], 0.0) * np.maximum(s.know[cand], 0.0)
            if shares is None:
                amt = _share(wt, mission_total)
            else:
                amt = np.zeros(cand.size)
                present = {k: v for k, v in shares.items() if np.any(s.kind[cand] == k)}
                norm = sum(present.values())
                for k, v in present.items():
                    sel = s.kind[cand] == k
                    amt[sel] = _share(wt[sel], mission_total * v / norm)
            mission_in[cand] += amt
            gov_pay(m, "mission_funding", g, cand, amt)
        else:
            mission_total = 0.0

    # project funding: competitive, by track record with noise
    firms = np.flatnonzero(alive & ((kind == SOE) | (kind == PRIVATE)))
    firm_part = project_total * p["project_firm_share"]
    score_f = s.weight[firms] * s.researchers[firms] * s.know[firms] * rng.lognormal(0, 0.5, firms.size)
    amt_f = _share(score_f, firm_part)
    project_in[firms] += amt_f
    gov_pay(m, "project_funding", g, firms, amt_f)
    score_i = w_inst * staff_cost[inst] * s.know[inst] * rng.lognormal(0, 0.5, inst.size)
    amt_i = _share(score_i, project_total - firm_part)
    project_in[inst] += amt_i
    gov_pay(m, "project_funding", g, inst, amt_i)

    # local governments: their region's institutions (75%) and firms (25%)
    inst_w = np.bincount(s.region[inst], w_inst * staff_cost[inst], minlength=m.n_regions)
    region_share = inst_w / max(inst_w.sum(), 1e-12)
    allfirms = np.flatnonzero(alive & (kind <= SME))
    for r, gov in enumerate(m.gov_local):
        money = local * region_share[r]
        ri = inst[s.region[inst] == r]
        amt = _share(s.weight[ri] * staff_cost[ri] * rng.lognormal(0, 0.3, ri.size), 0.75 * money)
        local_in[ri] += amt
        gov_pay(m, "local_funding", int(gov), ri, amt)
        rf = allfirms[s.region[allfirms] == r]
        amt = _share(s.weight[rf] * s.rd_spend[rf], 0.25 * money)
        local_in[rf] += amt
        gov_pay(m, "local_funding", int(gov), rf, amt)

    # subsidies
    sub_total = p["firm_subsidy_gdp"] * m.gdp_q
    target = p["subsidy_targeting"]
    if target == "sme":
        rec = allfirms[s.kind[allfirms] == SME]
    elif target == "strategic":
        rec = allfirms[m.field_klass[s.field[allfirms]] == "catch-up"]
    else:
        rec = allfirms
    amt = _share(s.weight[rec] * np.maximum(s.rd_spend[rec], 0.0) + 1e-9 * s.weight[rec], sub_total)
    s.subsidy_in[rec] += amt / s.weight[rec]
    gov_pay(m, "subsidy", g, rec, amt)

    # R&D super-deduction: a tax credit on last quarter's R&D
    credit = p["corporate_tax_rate"] * p["rd_super_deduction"] * np.maximum(s.rd_spend[allfirms], 0.0)
    credit_total = gov_pay(m, "tax_deduction", g, allfirms, s.weight[allfirms] * credit)
    s.subsidy_in[allfirms] += credit

    # guidance funds: 30% central, 70% local money
    gf = np.flatnonzero(alive & (kind == VC) & (s.subtype[:n] == 1))
    gtotal = p["guidance_fund_budget"] / 4.0 * (m.gdp_q / m.gdp0_q)
    if gf.size:
        amt = _share(s.weight[gf] * np.sqrt(np.maximum(s.cash[gf], 1.0)), gtotal)
        gov_pay(m, "guidance_capital", g, gf, 0.3 * amt)
        for r, gov in enumerate(m.gov_local):
            sel = s.region[gf] == r
            gov_pay(m, "guidance_capital", int(gov), gf[sel], 0.7 * amt[sel])

    # funding composition (EMA) and public money received, per actor
    tot = stable_in + project_in + local_in + mission_in
    recv = np.flatnonzero(tot[:n] > 0)
    per = tot[recv] / s.weight[recv]
    s.gov_in[recv] = per
    for col, arr in (("stable_frac", stable_in), ("project_frac", project_in), ("local_frac", local_in),
                     ("mission_frac", mission_in)):
        c = getattr(s, col)
        c[recv] = (1 - EMA) * c[recv] + EMA * arr[recv] / tot[recv]
    idle = np.flatnonzero(alive & (tot[:n] <= 0) & np.isin(kind, FIRM_KINDS))
    s.mission_frac[idle] *= 1 - EMA
    fl = m.flow
    fl["gov_stable"] += stable_total
    fl["gov_project"] += project_total
    fl["gov_mission"] += mission_total
    fl["gov_local"] += local
    fl["subsidies"] += sub_total
    fl["tax_deduction"] += credit_total
    fl["guidance_capital"] += gtotal if gf.size else 0.0
