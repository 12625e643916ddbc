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

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from abm.contract import FLOW, STOCK, Mechanism, Output
from abm.fields import FIELD_NAMES
from abm.kinds import FIRMS, INSTITUTIONS, LARGE_FIRMS, Kind, LabType, VCType, in_group
from abm.mechanisms.research import fte_cost

if TYPE_CHECKING:
    from abm.model import InnovationModel

STREAM = "funding"

#: Money split of a mission by kind of recipient under each consortium rule ("open": by effort only).
#: A fixed split, kept until consortia are modelled as objects (issue 12).
MISSION_SPLIT: dict[str, dict[Kind, float]] = {
    "enterprise_led": {Kind.PRIVATE: 0.45, Kind.SOE: 0.15, Kind.LAB: 0.25, Kind.UNIVERSITY: 0.15},
    "soe_led": {Kind.SOE: 0.5, Kind.PRIVATE: 0.1, Kind.LAB: 0.25, Kind.UNIVERSITY: 0.15},
}


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


@dataclass
class _Quarter:
    """Working arrays of one funding quarter (public money received per slot, by channel)."""

    inst: np.ndarray
    staff_cost: np.ndarray
    stable_in: np.ndarray
    project_in: np.ndarray
    local_in: np.ndarray
    mission_in: np.ndarray


def _stable(m: InnovationModel, q: _Quarter, stable_total: float) -> None:
    """Stable (block) funding by staff cost, split between labs and universities."""
    p = m.params
    s = m.s
    labs = q.inst[s.kind[q.inst] == Kind.LAB]
    unis = q.inst[s.kind[q.inst] == Kind.UNIVERSITY]
    for group, share in ((labs, p["stable_lab_share"]), (unis, 1.0 - p["stable_lab_share"])):
        national = (s.kind[group] == Kind.LAB) & (s.subtype[group] == LabType.NATIONAL_LAB)
        prem = np.where(national, p["national_lab_stable_premium"], 1.0)
        amt = _share(s.weight[group] * q.staff_cost[group] * prem, stable_total * share)
        q.stable_in[group] += amt
        gov_pay(m, "stable_funding", m.gov_central, group, amt)


def _mission(m: InnovationModel, q: _Quarter, mission_total: float) -> float:
    """Pay ``mission_total`` to the mission field's performers. Returns what was spent (0 if nobody
    works in the field; the money then stays unspent, as it is taken from the project pool anyway).
    """
    p = m.params
    s = m.s
    n = s.n
    fidx = FIELD_NAMES.index(p["mission_field"])
    shares = MISSION_SPLIT.get(p["mission_consortium"])
    cand = np.flatnonzero(s.alive[:n] & (s.field[:n] == fidx) & in_group(s.kind[:n], LARGE_FIRMS + INSTITUTIONS))
    if not cand.size:
        return 0.0
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
    q.mission_in[cand] += amt
    gov_pay(m, "mission_funding", m.gov_central, cand, amt)
    return mission_total


def _project(m: InnovationModel, q: _Quarter, project_total: float, rng: np.random.Generator) -> None:
    """Competitive project funding: by track record with noise, part to large firms."""
    p = m.params
    s = m.s
    firms = s.of_group(LARGE_FIRMS)
    firm_part = project_total * p["project_firm_share"]
    noise = p["project_award_noise"]
    score_f = s.weight[firms] * s.researchers[firms] * s.know[firms] * rng.lognormal(0, noise, firms.size)
    amt_f = _share(score_f, firm_part)
    q.project_in[firms] += amt_f
    gov_pay(m, "project_funding", m.gov_central, firms, amt_f)
    inst = q.inst
    score_i = s.weight[inst] * q.staff_cost[inst] * s.know[inst] * rng.lognormal(0, noise, inst.size)
    amt_i = _share(score_i, project_total - firm_part)
    q.project_in[inst] += amt_i
    gov_pay(m, "project_funding", m.gov_central, inst, amt_i)


def _local(m: InnovationModel, q: _Quarter, local: float, allfirms: np.ndarray, rng: np.random.Generator) -> None:
    """Local governments fund their region's institutions and firms."""
    p = m.params
    s = m.s
    inst = q.inst
    inst_w = np.bincount(s.region[inst], s.weight[inst] * q.staff_cost[inst], minlength=m.n_regions)
    region_share = inst_w / max(inst_w.sum(), 1e-12)
    to_inst = p["local_institution_share"]
    for r, gov in enumerate(m.gov_local):
        money = local * region_share[r]
        ri = inst[s.region[inst] == r]
        noise = rng.lognormal(0, p["local_award_noise"], ri.size)
        amt = _share(s.weight[ri] * q.staff_cost[ri] * noise, to_inst * money)
        q.local_in[ri] += amt
        gov_pay(m, "local_funding", int(gov), ri, amt)
        rf = allfirms[s.region[allfirms] == r]
        amt = _share(s.weight[rf] * s.rd_spend[rf], (1.0 - to_inst) * money)
        q.local_in[rf] += amt
        gov_pay(m, "local_funding", int(gov), rf, amt)


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
    for r, gov in enumerate(m.gov_local):
        sel = s.region[gf] == r
        gov_pay(m, "guidance_capital", int(gov), gf[sel], (1.0 - central) * amt[sel])
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


def step(m: InnovationModel) -> None:
    """Pay this quarter's public research money."""
    p = m.params
    s = m.s
    rng = m.streams[STREAM]
    n = s.n
    alive = s.alive[:n]
    s.gov_in[:n] = 0.0
    s.subsidy_in[:n] = 0.0
    inst = np.flatnonzero(alive & in_group(s.kind[:n], INSTITUTIONS))
    cap = s.capacity
    q = _Quarter(inst, np.zeros(cap), np.zeros(cap), np.zeros(cap), np.zeros(cap), np.zeros(cap))
    # institutions are funded in proportion to the cost of their research staff
    q.staff_cost[inst] = s.researchers[inst] * fte_cost(m, inst)
    budget = p["research_budget_gdp"] * m.nation.gdp_q
    central = budget * p["central_share"]
    local = budget - central
    stable_total = central * p["stable_share"]
    project_total = central - stable_total
    _stable(m, q, stable_total)
    mission_total = 0.0
    if m.nation.mission_active:
        mission_total = min(p["mission_budget"] / 4.0, project_total)
        project_total -= mission_total
        mission_total = _mission(m, q, mission_total)
    _project(m, q, project_total, rng)
    allfirms = np.flatnonzero(alive & in_group(s.kind[:n], FIRMS))
    _local(m, q, local, allfirms, rng)
    sub_total = _subsidies(m, allfirms)
    credit_total = _tax_credit(m, allfirms)
    guidance_total = _guidance(m)
    _composition(m, q)
    fl = m.flow
    fl["gov_stable"] += stable_total
    fl["gov_project"] += project_total
    fl["gov_mission"] += mission_total
    fl["gov_local"] += local
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
        Output("gov_project", "yuan", FLOW, "Central competitive project funding (after mission money is taken out)."),
        Output("gov_mission", "yuan", FLOW, "Central mission funding to performers of the mission field."),
        Output(
            "gov_local", "yuan", FLOW, "Local governments' research funding to their region's institutions and firms."
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
