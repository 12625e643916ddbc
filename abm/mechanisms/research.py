"""Research: money and researchers become knowledge, patents and breakthroughs.

Each performer's R&D is split into basic, applied and experimental development. Universities and
labs do more basic research the more of their public money is stable (institutional) funding;
firms do almost none (MP:115), long-horizon private firms a little more (MP:115-117).
Effective effort X combines researchers and money (Cobb-Douglas), raised by doctorates.
- development raises the performer's capability in each component of its field toward (never past)
  the frontier, fastest at a moderate distance (abm.components.absorption), aimed where it pays;
  project funding makes this incremental progress faster (safer, shorter cycles: MP:84-88);
  development money also buys own innovations at the foreign frontier firms' rate per yuan;
- applied research and development yield patents (more under stronger IP protection, DT:81);
- basic research feeds a national science stock per field that raises breakthrough rates;
- breakthroughs come at a rate that rises with basic and applied effort, the science stock and stable
  funding (riskier research with a higher ceiling, MP:84-88); a mission's coordinated work is its
  consortium's (abm.mechanisms.consortia: pooled money, parallel pathways, shared knowledge);
  each lands in the component with the most effort (and, recombined, in other mastered ones); what
  lands beyond the frontier moves it (abm.mechanisms.supply.renormalise).
Capability is relative to each component's world frontier, which moves with whoever innovates at the
top; national capability is measured on firms' supply (abm.mechanisms.supply.measure).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from abm import firms as firm_rules
from abm.components import OF_FIELD, WEIGHTS, K, absorption, row_sums, take_rows
from abm.contract import FLOW, STOCK, Mechanism, Output
from abm.fields import APPLIED_SHARE, BASIC_SHARE, FIELD_NAMES, FTE_COST, N_FIELDS, WAGE_SHARE
from abm.kinds import FIRMS, INSTITUTIONS, N_KINDS, PERFORMERS, Kind, in_group
from abm.mechanisms.projects import maturity
from abm.mechanisms.supply import innovation_rate, measure, renormalise, sync_know
from abm.sampling import grouped_choice, split_by_group

if TYPE_CHECKING:
    from abm.model import InnovationModel

STREAM = "research"
DIGITAL = FIELD_NAMES.index("digital_ai")
RECOMBINE_LEVEL = 0.8  # capability (share of the frontier) a component needs to be recombined


def fte_cost(m: InnovationModel, slots: np.ndarray) -> np.ndarray:
    """Cost of one FTE researcher-year for each slot's kind, growing with nominal GDP; its wage part
    follows the field's wage index (the labour market, :mod:`abm.mechanisms.talent`).
    """
    kind = m.s.kind[slots]
    base = np.where(
        kind == Kind.UNIVERSITY,
        FTE_COST["university"],
        np.where(kind == Kind.LAB, FTE_COST["institute"], FTE_COST["enterprise"]),
    )
    wage = (1.0 - WAGE_SHARE) + WAGE_SHARE * m.world.wage[m.s.field[slots]]
    return base * wage * (m.nation.gdp_q / m.nation.gdp0_q) ** 0.8


def type_shares(m: InnovationModel, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Basic and applied shares of each performer's R&D."""
    s = m.s
    kind = s.kind[slots]
    # institutions' basic research is the risky part of their projects (long, uncertain lines)
    risky = s.risk[slots]
    basic = np.zeros(slots.size)
    applied = np.zeros(slots.size)
    u = kind == Kind.UNIVERSITY
    basic[u] = (
        BASIC_SHARE["university_low"] + (BASIC_SHARE["university_high"] - BASIC_SHARE["university_low"]) * risky[u]
    )
    applied[u] = APPLIED_SHARE["university"]
    lab = kind == Kind.LAB
    basic[lab] = BASIC_SHARE["lab_low"] + (BASIC_SHARE["lab_high"] - BASIC_SHARE["lab_low"]) * risky[lab]
    applied[lab] = APPLIED_SHARE["lab"]
    for k in FIRMS:
        sel = kind == k
        basic[sel] = BASIC_SHARE[k.label]
        applied[sel] = APPLIED_SHARE[k.label]
    # firms: what their decision-makers weigh (horizon, tolerance of failure) shifts the mix (abm.firms)
    fs = in_group(kind, FIRMS)
    fb, fa = firm_rules.research_mix(m, slots[fs])
    basic[fs] *= fb
    applied[fs] *= fa
    # mission money is applied and basic work on the key technology
    mf = s.mission_frac[slots]
    applied = applied + (0.4 - applied).clip(0) * mf
    basic = basic + (0.15 - basic).clip(0) * mf
    return np.minimum(basic, np.maximum(1.0 - applied, 0.0)), applied


def init_science(m: InnovationModel) -> None:
    """Start the science stock at the steady state of initial basic research."""
    s = m.s
    perf = s.of_group(PERFORMERS)
    basic, _ = type_shares(m, perf)
    x = effort(m, perf, s.rd_spend[perf])
    flow = np.bincount(s.field[perf], s.weight[perf] * basic * x, minlength=N_FIELDS)
    m.world.science = flow / m.params["science_decay"]
    m.world.science_ref = np.maximum(m.world.science.copy(), 1e-9)


def effort(m: InnovationModel, slots: np.ndarray, spend: np.ndarray) -> np.ndarray:
    """Effective research effort (FTE-quarter equivalents) per actor."""
    s = m.s
    fte_money = np.maximum(spend, 0.0) * 4.0 / fte_cost(m, slots)
    # dual appointees' time counts at the firm that hosts them, not at their institution (abm.mechanisms.dual)
    fte = s.researchers[slots] + m.params["dual_time_share"] * (s.dual_in[slots] - s.dual_out[slots])
    x = np.sqrt(np.maximum(fte, 0.0) * fte_money)
    x *= 1.0 + m.params["phd_premium"] * s.phd_share[slots]
    inst = in_group(s.kind[slots], INSTITUTIONS)
    x[inst] *= 1.0 - m.params["duplication_penalty"] * m.params["regional_duplication"] * s.local_frac[slots][inst]
    return x


def _contract_research(m: InnovationModel, firms: np.ndarray, budget: np.ndarray, inst: np.ndarray) -> np.ndarray:
    """Firms contract a share of their R&D out to universities and labs of their field.

    Each real firm chooses an institution of its field in proportion to its research capacity (weight x
    researchers x capability); a firm agent's real firms choose separately, so its money is split over
    the field's institutions in those proportions (abm.sampling.split_by_group). One sampled partner
    per firm agent records the link (the network's sample of these ties).
    """
    p = m.params
    s = m.s
    rng = m.streams[STREAM]
    out = budget * p["contract_research_share"]
    appeal = s.weight[inst] * s.researchers[inst] * s.know[inst]
    partner = grouped_choice(rng, s.field[firms], inst, s.field[inst], appeal, N_FIELDS)
    ok = (partner >= 0) & (out > 0)
    i, j, amt = split_by_group(s.field[firms[ok]], s.weight[firms[ok]] * out[ok], s.field[inst], appeal, N_FIELDS)
    src, dst = firms[ok][i], inst[j]
    m.acc.pay("contract_research", src, dst, amt)
    np.add.at(s.contract_in, dst, amt / s.weight[dst])
    m.flow["contract_research"] += float(np.sum(amt))
    m.flow.links.append(np.stack([firms[ok], partner[ok]]))
    m.flow.link_weights.append(s.weight[firms[ok]])
    res = budget.copy()
    res[ok] -= out[ok]
    return res


def _firm_budgets(m: InnovationModel, firms: np.ndarray) -> np.ndarray:
    """Firm R&D budgets: own intensity x revenue, public grants, additional subsidies, equity."""
    from abm.mechanisms.markets import target_intensity

    p = m.params
    s = m.s
    budget = target_intensity(m, firms) * s.revenue[firms]
    budget += s.gov_in[firms] + p["subsidy_additionality"] * s.subsidy_in[firms]
    # a consortium member's co-funding is part of its R&D, done by the consortium (abm.mechanisms.consortia)
    budget = np.maximum(budget - s.cofund_out[firms], 0.0)
    sme = s.kind[firms] == Kind.SME
    sm = firms[sme]
    s.equity_stock[sm] += s.equity_in[sm]
    burn = p["sme_equity_burn"] * s.equity_stock[sm]
    s.equity_stock[sm] -= burn
    budget[sme] += burn
    # no firm spends cash it does not have (SOEs' soft budget rescues losses, not R&D: abm.firms)
    budget = np.minimum(budget, np.maximum(s.cash[firms], 0.0))
    s.rd_budget[firms] = budget
    return budget


def step(m: InnovationModel) -> None:
    """Set R&D budgets, pay for R&D, and turn effort into knowledge, patents and breakthroughs."""
    p = m.params
    s = m.s
    rng = m.streams[STREAM]
    n = s.n
    s.contract_in[:n] = 0.0
    firms = s.of_group(FIRMS)
    inst = s.of_group(INSTITUTIONS)
    budget = _firm_budgets(m, firms)
    intramural = _contract_research(m, firms, budget, inst)
    # institutions spend most of their cash
    ibudget = p["institution_spend_rate"] * np.maximum(s.cash[inst], 0.0)
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

    # science stock
    world = m.world
    world.science = world.science * (1.0 - p["science_decay"]) + np.bincount(f, w * basic * x, minlength=N_FIELDS)
    sci = np.sqrt(np.maximum(world.science / world.science_ref, 0.0))

    # projects (abm.mechanisms.projects): each running project puts its share of the performer's effort
    # into a risky line (breakthroughs once mature) and a safe line (incremental progress)
    pr = m.projects
    rows = pr.running()
    row_of = np.full(s.capacity, -1, dtype=np.int64)
    row_of[perf] = np.arange(perf.size)
    ri = row_of[pr.perf[rows]]
    live = ri >= 0
    rows, ri = rows[live], ri[live]
    pr.budget[rows] = pr.share[rows] * spend[ri]
    # a project's quality (that of the proposal that won its grant, 1 without a call) scales both lines
    safe = np.bincount(ri, pr.share[rows] * (1.0 - pr.risk[rows]) * pr.quality[rows], minlength=perf.size)
    research = np.clip(basic + applied, 0.0, 1.0)

    # development and the safe part of research: incremental progress toward (never past) the
    # frontier of each component, fastest at a moderate distance (abm.components.absorption).
    # Effort goes where it pays: components with a learnable gap, weighted by cost share and by the
    # demand a cut-off leaves unserved (the market a domestic substitute would win).
    know_c = take_rows(s.know_c, perf)
    gain = absorption(1.0 - know_c, p["absorption_distance"])
    opp = m.comp.unserved[take_rows(OF_FIELD, f)]
    alloc = take_rows(WEIGHTS, f) * (1.0 + p["substitution_rd_response"] * opp) * (gain + 1e-6)
    alloc /= row_sums(alloc)[:, None]
    quality = np.where(s.kind[perf] == Kind.SME, np.exp(0.2 * s.quality[perf]), 1.0)
    inc = dev + research * safe
    push = p["learning_rate"] * quality * (1.0 - np.exp(-inc * x / p["development_half_effort"]))
    know_c = know_c + push[:, None] * K * alloc * gain
    # own innovations (Nelson-Winter): development money buys innovations at the same rate per yuan
    # as foreign frontier firms'; each adds frontier_step to a component, past the frontier too (an
    # agent stands for many actors: the expected number is used)
    lam = innovation_rate(m, f, spend * inc)
    know_c = know_c + p["frontier_step"] * lam[:, None] * alloc
    # patents from applied research and development
    ip = 0.5 + p["ip_protection"]
    lam_pat = p["patent_rate"] / 4.0 * (applied + 0.2 * dev) * x * ip
    pats = rng.poisson(w * lam_pat)
    s.patents_new[perf] = pats / w
    s.patents[perf] = s.patents[perf] * (1.0 - p["patent_depreciation"]) + pats / w

    # breakthroughs, drawn per project from its risky effort and the maturity of its line
    # concave in effort: a very large performer gets fewer breakthroughs per researcher
    x_ref = p["breakthrough_reference_effort"]
    x_bt = x_ref * (x / x_ref) ** p["breakthrough_effort_exponent"]
    lam = p["breakthrough_rate"] / 4.0 * (basic + 0.5 * applied) * x_bt * sci[f]
    lam_row = lam[ri] * pr.share[rows] * pr.risk[rows] * maturity(m, rows) * pr.quality[rows]
    bt_row = rng.poisson(w[ri] * lam_row)
    pr.bt[rows] += bt_row / w[ri]
    bt = np.bincount(ri, bt_row, minlength=perf.size)
    s.breakthroughs[perf] = bt / w
    # a breakthrough jumps the performer's capability in the component it works on most; past the
    # world frontier each adds less (the frontier is the world's best), and it moves the frontier
    # (supply.renormalise) only when it lands beyond it: from close behind, never from far behind
    focus = np.argmax(alloc, axis=1)
    jump = p["breakthrough_size"] * bt / w
    hit = np.flatnonzero(jump)  # a zero jump leaves a row as it is
    _land(m, know_c, hit, focus[hit], jump[hit])
    m.flow["radical_breakthroughs"] += recombine(m, know_c, f, focus, jump, bt)
    s.know_c[perf] = know_c
    sync_know(m, perf)
    renormalise(m)
    fl = m.flow
    fl["patents"] += float(np.sum(pats))
    fl["breakthroughs"] += float(np.sum(bt))
    fl["breakthroughs_by_field"] += np.bincount(f, bt, minlength=N_FIELDS)
    fl["patents_by_kind"] += np.bincount(s.kind[perf], pats, minlength=N_KINDS)


def recombine(
    m: InnovationModel, know_c: np.ndarray, field: np.ndarray, focus: np.ndarray, jump: np.ndarray, bt: np.ndarray
) -> float:
    """Radical breakthroughs by recombination (in place on ``know_c``); returns how many were radical.

    A breakthrough that can combine strengths in other components (mastered to RECOMBINE_LEVEL of the
    frontier or more) also lifts those components by ``recombination_gain`` x jump x n / (n + 1),
    shared among them (n strengths). Outside digital & AI, a national digital & AI capability at that
    level counts as one more strength (AI and digital tools as a general-purpose technology); with no
    strong component of one's own, its share lands on the focus component.
    """
    gain = m.params["recombination_gain"]
    hit = jump > 0
    if gain <= 0 or not hit.any():
        return 0.0
    r = np.flatnonzero(hit)
    kc = take_rows(know_c, r)
    strong = kc >= RECOMBINE_LEVEL
    strong[np.arange(r.size), focus[r]] = False
    digital = (field[r] != DIGITAL) & (m.world.capability[DIGITAL] >= RECOMBINE_LEVEL)
    n_own = strong.sum(axis=1)
    partners = n_own + digital
    bonus = jump[r] * gain * partners / (partners + 1.0)
    share = strong / np.maximum(n_own, 1)[:, None]
    own = bonus * n_own / np.maximum(partners, 1)  # the own strengths' part of the bonus
    for j in range(K):
        _land(m, know_c, r, np.full(r.size, j), own * share[:, j])
    _land(m, know_c, r, focus[r], bonus - own)  # the digital partner's part lands on the focus
    return float(np.sum(bt[r] * (partners > 0)))


def _land(m: InnovationModel, know_c: np.ndarray, rows: np.ndarray, comp: np.ndarray, jump: np.ndarray) -> None:
    """Add a breakthrough ``jump`` to component ``comp`` of ``rows`` of ``know_c`` (in place).

    Behind the frontier it adds the jump (catching up by one's own route); the part that lands beyond
    the frontier counts as frontier innovations of ``frontier_step`` per ``breakthrough_size``, like
    the foreign firms', and adds less the farther beyond it already is.
    """
    if rows.size == 0:
        return
    p = m.params
    kf = know_c[rows, comp]
    below = np.minimum(jump, np.maximum(1.0 - kf, 0.0))
    beyond = (jump - below) * (p["frontier_step"] / p["breakthrough_size"] if p["breakthrough_size"] > 0 else 0.0)
    above = np.exp(-np.maximum(kf - 1.0, 0.0) / p["above_frontier_scale"])
    know_c[rows, comp] = kf + below + beyond * above


def _rd_by_kind(m: InnovationModel) -> np.ndarray:
    s = m.s
    n = s.n
    alive = s.alive[:n]
    if not m.steps:
        return np.zeros(N_KINDS)
    return np.bincount(s.kind[:n][alive], (s.weight[:n] * s.rd_spend[:n])[alive], minlength=N_KINDS)


def _rd_of_type(column: str):
    def measure(m: InnovationModel) -> float:
        s = m.s
        n = s.n
        if not m.steps:
            return 0.0
        perf = s.alive[:n] & in_group(s.kind[:n], PERFORMERS)
        return float(np.sum((s.weight[:n] * getattr(s, column)[:n])[perf]))

    return measure


def _rd_total(m: InnovationModel) -> float:
    rd = _rd_by_kind(m)
    return sum(float(rd[k]) for k in PERFORMERS)


CONTRACT = Mechanism(
    name="research",
    stream=STREAM,
    step=step,
    doc="Firm R&D budgets, contract research, R&D spending by type, knowledge, patents and breakthroughs.",
    outputs=(
        Output(
            "rd_{}",
            "yuan",
            FLOW,
            "R&D performed (intramural) by this kind of performer.",
            per="performer",
            measure=_rd_by_kind,
        ),
        Output("rd_total", "yuan", FLOW, "Gross domestic expenditure on R&D (all performers).", measure=_rd_total),
        Output("rd_basic", "yuan", FLOW, "Basic research expenditure.", measure=_rd_of_type("rd_basic")),
        Output("rd_applied", "yuan", FLOW, "Applied research expenditure.", measure=_rd_of_type("rd_applied")),
        Output("rd_dev", "yuan", FLOW, "Experimental development expenditure.", measure=_rd_of_type("rd_dev")),
        Output("contract_research", "yuan", FLOW, "Firms' R&D contracted out to universities and labs."),
        Output("patents", "patents", FLOW, "Invention patents (all performers)."),
        Output("breakthroughs", "breakthroughs", FLOW, "Breakthroughs (all performers and fields)."),
        Output(
            "radical_breakthroughs",
            "breakthroughs",
            FLOW,
            "Breakthroughs that recombined strengths in several components (or with digital & AI): radical.",
        ),
        Output(
            "patents_{}",
            "patents",
            FLOW,
            "Invention patents of this kind of performer.",
            per="performer",
            key="patents_by_kind",
        ),
        Output(
            "breakthroughs_{}",
            "breakthroughs",
            FLOW,
            "Breakthroughs in this field.",
            per="field",
            key="breakthroughs_by_field",
        ),
        Output(
            "science_{}",
            "index (1 = 2015)",
            STOCK,
            "National science stock of the field relative to its 2015 level.",
            per="field",
            measure=lambda m: m.world.science / m.world.science_ref,
        ),
    ),
)


CAPABILITY = Mechanism(
    name="capability",
    stream="",
    step=measure,
    doc="National capability per field after the quarter's research, transfer, talent and entry.",
    outputs=(
        Output(
            "capability_{}",
            "index (1 = world frontier)",
            STOCK,
            "National capability: researcher-weighted 90th percentile of performers' capability.",
            per="field",
            measure=lambda m: m.world.capability,
        ),
    ),
)
