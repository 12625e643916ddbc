"""Entry and exit: start-up births and spin-offs, deaths when cash runs out, soft budgets.

- Start-ups are born each quarter (incubators and makerspaces, OUT:212-213, NT:88-90) at
  ``sme_birth_rate`` times the initial SME population, with founders' seed money; universities and
  labs spin off start-ups in proportion to their patents and their patent-disposal autonomy
  (OUT:200, DT:90).
- A start-up whose cash is negative at the end of a quarter dies: suppliers absorb the unpaid bills,
  its researchers join the pool, VC stakes are written off.
- State-owned enterprises have a soft budget constraint: negative cash is covered by a state capital
  injection. Private firms cover negative cash with bank credit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from abm.components import OF_FIELD
from abm.contract import FLOW, Mechanism, Output
from abm.fields import FIELDS, MIN_AGENTS, N_FIELDS, REAL_COUNTS, REGION_LAYOUTS
from abm.kinds import INSTITUTIONS, ExitReason, Kind
from abm.ledger import money_node
from abm.mechanisms.supply import best_domestic, init_know, sync_know
from abm.sampling import stochastic_round

if TYPE_CHECKING:
    from abm.model import InnovationModel

STREAM = "entry"


def remove_actors(m: InnovationModel, slots: np.ndarray) -> None:
    """Take actors out of the model. Their cash and people must already be zero (moved by the caller)."""
    from abm.agents import remove_agent

    s = m.s
    for slot in slots:
        remove_agent(m, int(slot))
    s.alive[slots] = False
    # forget links to removed actors
    part = s.partner[: s.n]
    part[np.isin(part, slots)] = -1


def _births(m: InnovationModel) -> None:
    p = m.params
    s = m.s
    rng = m.streams[STREAM]
    n_real, n_min = REAL_COUNTS["sme"], MIN_AGENTS["sme"]
    w_new = n_real / max(n_min, round(n_real * p["scale"]))
    births_real = p["sme_birth_rate"] / 4.0 * n_real
    inst = s.of_group(INSTITUTIONS)
    spin_real = p["spinoff_rate"] / 4.0 * p["patent_disposal_autonomy"] * float(np.sum(s.weight[inst]))
    k_regular = stochastic_round(rng, births_real / w_new)
    k_spin = stochastic_round(rng, spin_real / w_new)
    k = k_regular + k_spin
    if k == 0:
        return
    slots = s.allocate(k)
    s.kind[slots] = Kind.SME
    s.weight[slots] = w_new
    s.node[slots] = money_node(Kind.SME, 0)
    s.born[slots] = m.steps
    layout = REGION_LAYOUTS[p["regions"]]
    rp = np.array([r[1] for r in layout])
    fp = np.array([f.market_share for f in FIELDS])
    reg = slots[:k_regular]
    s.region[reg] = rng.choice(len(rp), size=reg.size, p=rp / rp.sum())
    s.field[reg] = rng.choice(N_FIELDS, size=reg.size, p=fp / fp.sum())
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
    m.acc.pay("seed_money", "founders", slots, w_new * p["seed_money"] * rng.lognormal(0.0, 0.5, size=k))
    from abm.agents import make_agent

    for slot in slots:
        make_agent(m, int(slot))
    m.flow["sme_births"] += k * w_new
    m.flow["spinoffs"] += k_spin * w_new


def _deaths(m: InnovationModel) -> None:
    s = m.s
    n = s.n
    dead = np.flatnonzero(s.alive[:n] & (s.kind[:n] == Kind.SME) & (s.cash[:n] < 0.0))
    if dead.size == 0:
        return
    from abm.mechanisms.finance import close_stakes

    close_stakes(m, dead, ExitReason.WRITE_OFF, None)  # holders get nothing
    m.acc.pay("unpaid_bills", "suppliers", dead, -s.weight[dead] * s.cash[dead])
    m.acc.move("firm_death", dead, "pool", s.weight[dead] * s.researchers[dead])
    m.flow["sme_deaths"] += float(np.sum(s.weight[dead]))
    remove_actors(m, dead)


def _soft_budgets(m: InnovationModel) -> None:
    s = m.s
    n = s.n
    soe = np.flatnonzero(s.alive[:n] & (s.kind[:n] == Kind.SOE) & (s.cash[:n] < 0.0))
    if soe.size:
        from abm.mechanisms.funding import gov_pay

        m.flow["soe_injections"] += gov_pay(
            m, "soe_capital_injection", m.gov_central, soe, -s.weight[soe] * s.cash[soe]
        )
    priv = np.flatnonzero(s.alive[:n] & (s.kind[:n] == Kind.PRIVATE) & (s.cash[:n] < 0.0))
    if priv.size:
        m.acc.pay("bank_credit", "capital_market", priv, -s.weight[priv] * s.cash[priv])


def step(m: InnovationModel) -> None:
    """Deaths, soft budgets, then births."""
    _deaths(m)
    _soft_budgets(m)
    _births(m)


CONTRACT = Mechanism(
    name="entry",
    stream=STREAM,
    step=step,
    doc="Start-up deaths when cash runs out, soft budgets of SOEs, bank credit, births and spin-offs.",
    outputs=(
        Output("soe_injections", "yuan", FLOW, "State capital injections covering SOEs' negative cash."),
        Output("sme_births", "firms", FLOW, "Start-ups born (spin-offs included)."),
        Output("spinoffs", "firms", FLOW, "Start-ups spun off from universities and labs."),
        Output("sme_deaths", "firms", FLOW, "Start-ups that died when their cash ran out."),
    ),
)
