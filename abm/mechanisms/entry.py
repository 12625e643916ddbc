"""Entry and exit: bank credit, exits from losses and financing, soft budgets, the incubation chain.

- **Bank credit** (OUT:236, SSF:431-432). Private firms and SOEs borrow from banks when their cash
  runs out, up to ``credit_limit_revenue`` times their annual revenue (collateral); they pay
  ``loan_interest_rate`` on what they owe and repay ``loan_repayment_rate`` of it each quarter from
  cash. Cash above ``cash_target_quarters`` of revenue goes to the owners (SOE dividends to the
  state). Start-ups get no bank credit (no collateral): they live on founders' and VC money.
- **Exit.** A firm whose cash is still negative once its credit line is used up exits: suppliers absorb
  the unpaid bills, the bank writes off the loan, researchers join the job-seekers' pool, VC stakes
  (start-ups) are written off. SOEs exit the same way only without a soft budget constraint: with
  ``soe_soft_budget`` on, a state capital injection covers the rest (MP:84, 98).
- **Entry** through the incubation chain "makerspaces - incubators - accelerators" (OUT:212,
  NT:88-90): ``makerspace_inflow`` projects a year enter makerspaces, more in fields whose science
  stock has grown (technology opportunity: the inflow of field f is scaled by the square root of its
  science index). Each stage lasts ``incubation_stage_quarters`` on average; ``makerspace_pass`` and
  ``incubator_pass`` of the projects move on. An accelerator project becomes a start-up when it can
  expect seed and venture money ("incubation + venture capital", OUT:212): the share founded is
  ``V / (V + D)``, with V the money VC firms and guidance funds can deploy this quarter and D the seed
  money (``seed_money`` each) the ready projects would need (a matching of projects and money), so more
  venture capital means more start-ups. Universities and
  labs spin off start-ups in proportion to their patents and patent-disposal autonomy (OUT:200, DT:90).
- **SOE agents stay subsidiaries**: an SOE agent whose revenue passes 8% of all SOE revenue is split into
  agents of equal weight holding at most 4% each (nothing real changes; :func:`split_large_soes`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from abm.components import OF_FIELD
from abm.contract import FLOW, STOCK, Mechanism, Output
from abm.fields import FIELDS, MIN_AGENTS, N_FIELDS, REAL_COUNTS, REGION_LAYOUTS
from abm.kinds import INSTITUTIONS, ExitReason, Kind
from abm.ledger import money_node
from abm.mechanisms.supply import best_domestic, init_know, sync_know

if TYPE_CHECKING:
    from abm.model import InnovationModel

STREAM = "entry"
#: Kinds that borrow from banks (incumbents with revenue as collateral).
BORROWERS = (Kind.PRIVATE, Kind.SOE)
#: Share of all SOE revenue above which an SOE agent is split in two (abm.fields.MAX_SOE_AGENT_SHARE at
#: the start; the issue's bound is 10%).
SOE_SPLIT_SHARE = 0.08


def remove_actors(m: InnovationModel, slots: np.ndarray) -> None:
    """Take actors out of the model. Their cash and people must already be zero (moved by the caller)."""
    from abm.agents import remove_agent

    s = m.s
    for slot in slots:
        remove_agent(m, int(slot))
    s.alive[slots] = False
    s.roster_changed()
    s.debt[slots] = 0.0
    # forget links to removed actors
    part = s.partner[: s.n]
    part[np.isin(part, slots)] = -1


def _borrowers(m: InnovationModel) -> np.ndarray:
    return m.s.of_group(BORROWERS)


def _credit(m: InnovationModel, firms: np.ndarray) -> None:
    """Interest and repayments on bank debt, then new loans to cover negative cash up to the credit limit."""
    p = m.params
    s = m.s
    fl = m.flow
    w = s.weight[firms]
    owed = firms[s.debt[firms] > 0]
    if owed.size:
        wo = s.weight[owed]
        interest = p["loan_interest_rate"] / 4.0 * s.debt[owed]
        m.acc.pay("loan_interest", owed, "banks", wo * interest)
        fl["loan_interest"] += float(np.sum(wo * interest))
        repay = np.minimum(p["loan_repayment_rate"] * s.debt[owed], np.maximum(s.cash[owed], 0.0))
        m.acc.pay("loan_repayment", owed, "banks", wo * repay)
        s.debt[owed] -= repay
        fl["loan_repayments"] += float(np.sum(wo * repay))
    limit = p["credit_limit_revenue"] * 4.0 * s.revenue[firms]
    need = np.maximum(-s.cash[firms], 0.0)
    loan = np.minimum(need, np.maximum(limit - s.debt[firms], 0.0))
    got = loan > 0
    if got.any():
        m.acc.pay("bank_loan", "banks", firms[got], w[got] * loan[got])
        s.debt[firms[got]] += loan[got]
        fl["bank_lending"] += float(np.sum(w[got] * loan[got]))


def _exit(m: InnovationModel, dead: np.ndarray) -> None:
    """Firms ``dead`` (negative cash) leave: unpaid bills, bad loans, researchers to the pool."""
    if dead.size == 0:
        return
    s = m.s
    w = s.weight[dead]
    fl = m.flow
    m.acc.pay("unpaid_bills", "suppliers", dead, -w * s.cash[dead])
    m.acc.move("firm_death", dead, "pool", w * s.researchers[dead])
    fl["bad_loans"] += float(np.sum(w * s.debt[dead]))
    fl["firm_exits"] += np.bincount(s.kind[dead], w, minlength=fl["firm_exits"].size)
    remove_actors(m, dead)


def _exits(m: InnovationModel) -> None:
    """Start-ups without cash die; private firms (and SOEs without soft budgets) beyond their credit exit."""
    s = m.s
    n = s.n
    broke = s.alive[:n] & (s.cash[:n] < 0.0)
    kind = s.kind[:n]
    sme = np.flatnonzero(broke & (kind == Kind.SME))
    if sme.size:
        from abm.mechanisms.finance import close_stakes

        close_stakes(m, sme, ExitReason.WRITE_OFF, None)  # holders get nothing
        m.flow["sme_deaths"] += float(np.sum(s.weight[sme]))
    exiting = broke & ((kind == Kind.SME) | (kind == Kind.PRIVATE))
    if not m.params["soe_soft_budget"]:
        exiting |= broke & (kind == Kind.SOE)
    _exit(m, np.flatnonzero(exiting))


def _soft_budgets(m: InnovationModel) -> None:
    """State capital injections cover SOEs' negative cash (soft budget constraint)."""
    s = m.s
    n = s.n
    soe = np.flatnonzero(s.alive[:n] & (s.kind[:n] == Kind.SOE) & (s.cash[:n] < 0.0))
    if soe.size:
        from abm.mechanisms.funding import gov_pay

        m.flow["soe_injections"] += gov_pay(
            m, "soe_capital_injection", m.gov_central, soe, -s.weight[soe] * s.cash[soe]
        )


def _payouts(m: InnovationModel, firms: np.ndarray) -> None:
    """Cash above the target goes to the owners (dividends)."""
    s = m.s
    excess = s.cash[firms] - m.params["cash_target_quarters"] * s.revenue[firms]
    pay = excess > 0
    if pay.any():
        amt = s.weight[firms[pay]] * excess[pay]
        m.acc.pay("dividends", firms[pay], "owners", amt)
        m.flow["dividends"] += float(amt.sum())


def opportunity(m: InnovationModel) -> np.ndarray:
    """Technology opportunity of each field: square root of its science index (1 at the start)."""
    w = m.world
    return np.sqrt(np.maximum(w.science / np.where(w.science_ref > 0, w.science_ref, 1.0), 0.0))


#: Fields' shares of firm revenue in 2015: how entrepreneurial projects spread over the fields.
MARKET_SHARE = np.array([f.market_share for f in FIELDS])


def _inflow(m: InnovationModel) -> np.ndarray:
    """Projects entering makerspaces this quarter, by field (real projects)."""
    return m.params["makerspace_inflow"] / 4.0 * MARKET_SHARE / MARKET_SHARE.sum() * opportunity(m)


def init_pipeline(m: InnovationModel) -> None:
    """Fill the incubation chain at its steady state for the 2015 inflow."""
    p = m.params
    w = m.world
    t = p["incubation_stage_quarters"]
    w.makerspace = p["makerspace_inflow"] / 4.0 * MARKET_SHARE / MARKET_SHARE.sum() * t
    w.incubator = w.makerspace * p["makerspace_pass"]
    w.accelerator = w.incubator * p["incubator_pass"]


def vc_deployable(m: InnovationModel) -> float:
    """Money VC firms and guidance funds can deploy this quarter (real yuan)."""
    s = m.s
    vcs = s.of_kind(Kind.VC)
    return float(np.sum(s.weight[vcs] * np.maximum(s.cash[vcs], 0.0))) * m.params["vc_deploy_rate"]


def _pipeline(m: InnovationModel) -> np.ndarray:
    """Move projects along the chain; return the start-ups founded by field (real, expected)."""
    p = m.params
    w = m.world
    out_rate = 1.0 / p["incubation_stage_quarters"]
    leave_m = w.makerspace * out_rate
    leave_i = w.incubator * out_rate
    leave_a = w.accelerator * out_rate
    w.makerspace = w.makerspace - leave_m + _inflow(m)
    w.incubator = w.incubator - leave_i + p["makerspace_pass"] * leave_m
    w.accelerator = w.accelerator - leave_a + p["incubator_pass"] * leave_i
    ready = float(leave_a.sum())
    if ready <= 0:
        return np.zeros(N_FIELDS)
    money = vc_deployable(m)
    need = ready * p["seed_money"] * (m.nation.gdp_q / m.nation.gdp0_q)
    share = money / (money + need) if money + need > 0 else 0.0
    m.flow["accelerator_graduates"] += ready * share
    return leave_a * share


def _births(m: InnovationModel) -> None:
    p = m.params
    s = m.s
    rng = m.streams[STREAM]
    n_real, n_min = REAL_COUNTS["sme"], MIN_AGENTS["sme"]
    w_new = n_real / max(n_min, round(n_real * p["scale"]))
    founded = _pipeline(m)
    # agents per field: expected count rounded up or down at random (one uniform draw per field)
    x = founded / w_new
    per_field = (np.floor(x) + (rng.random(N_FIELDS) < x - np.floor(x))).astype(np.int64)
    inst = s.of_group(INSTITUTIONS)
    spin_real = p["spinoff_rate"] / 4.0 * p["patent_disposal_autonomy"] * float(np.sum(s.weight[inst]))
    xs = spin_real / w_new
    k_spin = int(np.floor(xs)) + int(rng.random() < xs - np.floor(xs))
    k_regular = int(per_field.sum())
    k = k_regular + k_spin
    if k == 0:
        return
    slots = s.allocate(k)
    s.kind[slots] = Kind.SME
    s.roster_changed()
    s.weight[slots] = w_new
    s.node[slots] = money_node(Kind.SME, 0)
    s.born[slots] = m.steps
    from abm.mechanisms import location

    layout = REGION_LAYOUTS[p["regions"]]
    rp = np.array([r[1] for r in layout])
    reg = slots[:k_regular]
    # founders choose the region on its pull and local governments' offers (abm.mechanisms.location)
    s.region[reg] = rng.choice(len(rp), size=reg.size, p=location.birth_odds(m, rp))
    s.field[reg] = np.repeat(np.arange(N_FIELDS), per_field)
    best = best_domestic(m)
    init_know(m, reg, m.world.capability[s.field[reg]] * np.exp(rng.normal(-0.15, 0.2, size=reg.size)), best)
    s.quality[reg] = rng.normal(0.0, 1.0, size=reg.size)
    spin = slots[k_regular:]
    if spin.size:
        wt = s.weight[inst] * np.maximum(s.patents[inst], 0.0)
        parent = inst[rng.choice(inst.size, size=spin.size, p=wt / wt.sum())] if wt.sum() > 0 else inst[: spin.size]
        s.region[spin] = s.region[parent]
        s.field[spin] = s.field[parent]
        s.know_c[spin] = np.minimum(
            s.know_c[parent] * np.exp(rng.normal(-0.1, 0.1, size=spin.size))[:, None], s.know_c[parent]
        )
        sync_know(m, spin)
        s.quality[spin] = rng.normal(0.3, 1.0, size=spin.size)
    s.size[slots] = rng.lognormal(-1.0, 0.5, size=k)
    # new buyers buy domestic as far as domestic supply is good enough for them
    s.dom_use[slots] = m.comp.accept[OF_FIELD[s.field[slots]]]
    s.phd_share[slots] = 0.0
    s.partner[slots] = -1
    seed = p["seed_money"] * (m.nation.gdp_q / m.nation.gdp0_q)  # founding costs grow with nominal GDP
    m.acc.pay("seed_money", "founders", slots, w_new * seed * rng.lognormal(0.0, 0.5, size=k))
    location.settle(m, slots)
    from abm.agents import make_agent

    for slot in slots:
        make_agent(m, int(slot))
    m.flow["sme_births"] += k * w_new
    m.flow["spinoffs"] += k_spin * w_new


def split_large_soes(m: InnovationModel) -> None:
    """An SOE agent whose revenue passes ``SOE_SPLIT_SHARE`` of all SOE revenue becomes k agents, each
    with at most half that share.

    Each keeps the state per real actor and 1/k of the weight, so no total changes (money and people are
    per actor times weight): a representation step that keeps SOE agents subsidiaries of realistic
    size as growth concentrates revenue. The new agent starts its own projects next quarter.
    """
    from abm.agents import make_agent
    from abm.state import ActorState

    s = m.s
    soe = s.of_kind(Kind.SOE)
    if soe.size == 0:
        return
    rev = s.weight[soe] * s.revenue[soe]
    pieces = np.minimum(np.ceil(rev / (0.5 * SOE_SPLIT_SHARE * rev.sum())), np.floor(s.weight[soe]))
    big = (rev > SOE_SPLIT_SHARE * rev.sum()) & (pieces >= 2)
    if not big.any():
        return
    src, k = soe[big], pieces[big].astype(np.int64)
    copies = np.repeat(src, k - 1)
    new = s.allocate(copies.size)
    for c in ActorState.columns():
        getattr(s, c.name)[new] = getattr(s, c.name)[copies]
    s.uid[new] = -1
    s.weight[src] /= k
    s.weight[new] = s.weight[copies]
    for slot in new:
        make_agent(m, int(slot))
    m.flow["soe_splits"] += float(new.size)


def step(m: InnovationModel) -> None:
    """Credit, exits, soft budgets, payouts, births, then splits of SOE agents grown too large."""
    firms = _borrowers(m)
    _credit(m, firms)
    _exits(m)
    _soft_budgets(m)
    _payouts(m, _borrowers(m))
    _births(m)
    split_large_soes(m)


def _bank_debt(m: InnovationModel) -> float:
    s = m.s
    firms = s.of_group(BORROWERS)
    return float(np.sum(s.weight[firms] * s.debt[firms]))


def _pipeline_stock(name: str):
    return lambda m: float(np.sum(getattr(m.world, name)))


CONTRACT = Mechanism(
    name="entry",
    stream=STREAM,
    step=step,
    doc="Bank credit, exits from losses and financing, soft budgets of SOEs, the incubation chain, "
    "births and spin-offs.",
    outputs=(
        Output("soe_injections", "yuan", FLOW, "State capital injections covering SOEs' negative cash."),
        Output("sme_births", "firms", FLOW, "Start-ups born (spin-offs included)."),
        Output("spinoffs", "firms", FLOW, "Start-ups spun off from universities and labs."),
        Output("sme_deaths", "firms", FLOW, "Start-ups that died when their cash ran out."),
        Output(
            "firm_exits_{}",
            "firms",
            FLOW,
            "Firms that left because their cash ran out after bank credit (start-ups: deaths), by kind.",
            per="kind",
            key="firm_exits",
        ),
        Output(
            "accelerator_graduates",
            "projects",
            FLOW,
            "Accelerator projects founded as start-ups (expected number; births are these rounded per agent).",
        ),
        Output(
            "soe_splits",
            "agents",
            FLOW,
            "New SOE agents from splitting agents that held over 8% of SOE revenue (representation, no real change).",
        ),
        Output("bank_lending", "yuan", FLOW, "New bank loans to private firms and SOEs."),
        Output("loan_interest", "yuan", FLOW, "Interest firms paid on bank loans."),
        Output("loan_repayments", "yuan", FLOW, "Bank loans repaid."),
        Output("bad_loans", "yuan", FLOW, "Bank loans written off when the borrower exited."),
        Output("dividends", "yuan", FLOW, "Cash above their target that private firms and SOEs paid to owners."),
        Output("bank_debt", "yuan", STOCK, "Bank loans outstanding of private firms and SOEs.", measure=_bank_debt),
        Output(
            "makerspace_projects", "projects", STOCK, "Projects in makerspaces.", measure=_pipeline_stock("makerspace")
        ),
        Output(
            "incubator_projects", "projects", STOCK, "Projects in incubators.", measure=_pipeline_stock("incubator")
        ),
        Output(
            "accelerator_projects",
            "projects",
            STOCK,
            "Projects in accelerators.",
            measure=_pipeline_stock("accelerator"),
        ),
    ),
)
