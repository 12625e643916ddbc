"""Supply chains: key components, buyers who choose domestic or foreign, foreign frontier firms.

Every field's firms need the field's ``K`` key components (:mod:`abm.components`).
- **Buyers choose.** Buyers differ in how demanding they are. A buyer accepts a domestic component
  when the domestic supply capability (capability of the field's domestic firms weighted by what
  they supply, :data:`ComponentState.quality`) is good enough for it at the price; the share of
  buyers who accept is ``d0 * exp(buyer_quality_sensitivity * (q - q0 + price_quality_tradeoff *
  first_set_support))``, anchored at the 2015 domestic share ``d0`` and capability ``q0`` (a
  log-uniform spread of requirements). An agent stands for ``weight`` buyers, so its domestic share
  moves toward the share of them who accept, at ``supplier_switch_rate`` per quarter (contracts,
  qualification): never toward domestic supply they do not accept.
- **First-set support** (首台套, OUT:264) subsidises buyers of domestic key components; it lowers
  the quality a buyer needs and is paid by the central government on domestic purchases.
- **Cut-offs** (DT:61 "if upstream supplies are cut off"; ``cutoff_fields`` cuts every component of a
  field and its final-goods imports, ``cutoff_components`` named components). A cut removes
  ``cutoff_severity`` of foreign supply; a buyer's requirement of a component is met by its domestic
  purchases plus what foreign supply is left. The firm's output is a CES aggregate of what it gets
  of each component (``component_substitution`` < 1: components are poor substitutes), so firms
  that depend on a cut component lose output until domestic supply is good enough for them.
- **Foreign frontier firms** (:data:`Kind.FOREIGN`, ``FOREIGN_PER_FIELD`` real firms per field) sell
  the imported components and sell to the rest of the world. They spend ``foreign_rd_intensity`` of
  their revenue on R&D; innovations arrive at a Poisson rate that rises with their R&D (elasticity
  ``foreign_rd_elasticity``; at 2015 spending the rate makes the frontier grow at the field's
  reference ``frontier_growth``), each raising their capability in a component by ``frontier_step``;
  followers imitate the leader. Losing Chinese sales under a cut-off lowers their R&D.
- **The frontier** of a component is the best capability anyone holds (:func:`renormalise`): when a
  foreign or a domestic actor passes 1, the frontier moves and everyone's relative capability falls.
  A domestic breakthrough moves it only from close to the frontier (leading fields), never from far
  behind (catch-up fields).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from abm.components import (
    COMPONENT_FIELD,
    N_COMPONENTS,
    OF_FIELD,
    WEIGHTS,
    K,
    component_index,
    max_by_field,
    per_component,
    row_sums,
    summary,
    take_rows,
)
from abm.contract import FLOW, STOCK, Mechanism, Output
from abm.fields import FTE_COST, N_FIELDS
from abm.kinds import FIRMS, INSTITUTIONS, KNOWERS, Kind

if TYPE_CHECKING:
    from abm.model import InnovationModel

STREAM = "supply"
FOREIGN_PER_FIELD = 3
FOREIGN_REVENUE_SPLIT = np.array([0.5, 0.3, 0.2])  # shares of the field's foreign sales by firm rank


def cut_components(m: InnovationModel) -> np.ndarray:
    """Boolean per component: foreign supply cut off this quarter (fields' and named components)."""
    cut = m.world.cutoff[COMPONENT_FIELD].copy()
    p = m.params
    names = p["cutoff_components"]
    if names != "none" and m.year >= p["cutoff_start_year"]:
        for name in names.split(","):
            cut[component_index(name)] = True
    return cut


def sync_know(m: InnovationModel, slots: np.ndarray) -> None:
    """Recompute the capability summary ``know`` of ``slots`` from their component rows."""
    s = m.s
    s.know[slots] = summary(take_rows(s.know_c, slots), s.field[slots])


def init_know(m: InnovationModel, slots: np.ndarray, level: np.ndarray, best: np.ndarray | None = None) -> None:
    """Give new actors component rows: the field's 2015 profile scaled so the summary is ``level``,
    capped at the best domestic capability in each component (``best``, per component; default the
    2015 best, abm.components), so nobody starts ahead of the country's best.
    """
    from abm.components import CAPABILITY0

    s = m.s
    f = s.field[slots]
    prof = CAPABILITY0[OF_FIELD[f]]
    cap = (CAPABILITY0 if best is None else best)[OF_FIELD[f]]
    base = summary(prof, f)
    s.know_c[slots] = np.minimum(prof * (np.asarray(level, dtype=float) / np.maximum(base, 1e-9))[:, None], cap)
    sync_know(m, slots)


def best_domestic(m: InnovationModel) -> np.ndarray:
    """Best capability any domestic performer holds in each component."""
    s = m.s
    perf = s.of_group(FIRMS + INSTITUTIONS)
    best = max_by_field(s.field[perf], take_rows(s.know_c, perf), N_FIELDS)
    out = np.zeros(N_COMPONENTS)
    out[OF_FIELD.ravel()] = best.ravel()
    return out


def _acceptance(m: InnovationModel) -> np.ndarray:
    """Share of buyers (per component) who accept domestic supply at today's capability and price."""
    p = m.params
    c = m.comp
    shift = c.quality - c.quality0 + p["price_quality_tradeoff"] * p["first_set_support"]
    return np.clip(c.domestic_share0 * np.exp(p["buyer_quality_sensitivity"] * shift), 0.0, 1.0)


def choose(m: InnovationModel) -> None:
    """Buyers' component sourcing, what a cut-off leaves, and each firm's output factor."""
    p = m.params
    s = m.s
    c = m.comp
    firms = s.of_group(FIRMS)
    f = s.field[firms]
    cidx = take_rows(OF_FIELD, f)  # (n, K) component index of each firm's row
    c.cut = cut_components(m)
    accept_share = _acceptance(m)
    accept = accept_share[cidx]  # share of each agent's real buyers for whom domestic is good enough
    use = take_rows(s.dom_use, firms)
    use += p["supplier_switch_rate"] * (accept - use)
    s.dom_use[firms] = use
    sev = p["cutoff_severity"]
    avail = use + (1.0 - use) * (1.0 - sev * c.cut[cidx])
    sigma = p["component_substitution"]
    rho = (sigma - 1.0) / sigma
    wts = take_rows(WEIGHTS, f)
    out = row_sums(wts * np.maximum(avail, 1e-3) ** rho) ** (1.0 / rho)
    s.output[firms] = np.minimum(out, 1.0)
    # per component: output-weighted shares of buyers (by what they would buy)
    wrev = s.weight[firms] * np.maximum(s.revenue[firms], 0.0)
    wr = wrev[:, None]
    tot = per_component(cidx, wr)
    den = np.maximum(tot, 1e-12)
    c.accept = np.where(tot > 0, per_component(cidx, wr * accept) / den, accept_share)
    c.domestic_share = np.where(
        tot > 0,
        per_component(cidx, wr * use) / den,
        c.domestic_share,
    )
    c.available = np.where(tot > 0, per_component(cidx, wr * avail) / den, 1.0)
    c.unserved = 1.0 - c.available
    w = m.world
    dep = 1.0 - c.domestic_share
    w.dependence = np.sum(WEIGHTS * dep[OF_FIELD], axis=1)
    fw = np.bincount(f, wrev, minlength=N_FIELDS)
    w.output = np.where(fw > 0, np.bincount(f, wrev * s.output[firms], minlength=N_FIELDS) / np.maximum(fw, 1e-12), 1.0)


def purchase(m: InnovationModel, firms: np.ndarray, spend: np.ndarray) -> float:
    """Firms buy their components for ``spend`` (yuan per actor per quarter at full supply).

    Domestic purchases go to the field's domestic firms in proportion to size and relative
    capability in the component; imports go to the field's foreign frontier firms by capability.
    First-set support refunds buyers part of their domestic purchases (central government).
    Returns the imports paid.
    """
    p = m.params
    s = m.s
    c = m.comp
    f = s.field[firms]
    cidx = take_rows(OF_FIELD, f)
    w = s.weight[firms]
    use = take_rows(s.dom_use, firms)
    sev = p["cutoff_severity"]
    per = (w * spend)[:, None] * take_rows(WEIGHTS, f)  # (n, K) requirement in yuan
    dom = per * use
    imp = per * (1.0 - use) * (1.0 - sev * c.cut[cidx])
    m.acc.pay("component_purchases", firms, "market", row_sums(dom + imp))
    dom_c = per_component(cidx, dom)
    imp_c = per_component(cidx, imp)
    c.purchases = per_component(cidx, per)
    c.imports = imp_c
    # domestic suppliers: size x exp(beta x (know_c - quality)) within the field, per component
    beta = p["market_share_sensitivity"]
    appeal = _supplier_appeal(m, firms, cidx)
    tot = per_component(cidx, appeal)
    share = appeal / np.maximum(tot[cidx], 1e-300)
    income = row_sums(share * dom_c[cidx])
    # (cash, not revenue: R&D budgets, sizes and valuations follow product sales, as calibrated in 2015)
    m.acc.pay("component_sales", "market", firms, income)
    # foreign frontier firms
    fo = s.of_kind(Kind.FOREIGN)
    if fo.size:
        ff = s.field[fo]
        fidx = take_rows(OF_FIELD, ff)
        fa = np.exp(beta * np.clip(take_rows(s.know_c, fo) - 1.0, -1.0, 0.0))
        ftot = np.bincount(fidx.ravel(), fa.ravel(), minlength=N_COMPONENTS)
        fin = row_sums(fa / np.maximum(ftot[fidx], 1e-300) * imp_c[fidx])
        m.acc.pay("component_sales", "market", fo, fin)
        s.revenue[fo] += fin
    # first-set support on domestic purchases
    support = p["first_set_support"]
    if support > 0:
        from abm.mechanisms.funding import gov_pay

        m.flow["first_set_support"] += gov_pay(m, "first_set_support", m.gov_central, firms, support * row_sums(dom))
    total_imp = float(imp_c.sum())
    m.flow["foreign_inputs"] += total_imp
    m.flow["component_sales_domestic"] += float(dom_c.sum())
    return total_imp


def _foreign_rd(m: InnovationModel) -> None:
    """Foreign frontier firms spend on R&D out of last quarter's revenue, innovate and imitate;
    then pay out last quarter's takings and sell to the rest of the world for this quarter.
    """
    p = m.params
    s = m.s
    rng = m.streams[STREAM]
    fo = s.of_kind(Kind.FOREIGN)
    if not fo.size:
        return
    rd = p["foreign_rd_intensity"] * s.revenue[fo]
    s.rd_spend[fo] = rd
    ref = np.maximum(s.rd_budget[fo], 1e-9)  # R&D at 2015 revenue (set once at the start)
    f = s.field[fo]
    step = p["frontier_step"]
    # the leader innovates at the rate that moves the frontier at the field's reference growth when
    # it spends as in 2015, followers in proportion to their 2015 sales relative to the leader's
    rank = np.arange(fo.size) % FOREIGN_PER_FIELD
    rel = FOREIGN_REVENUE_SPLIT[rank] / FOREIGN_REVENUE_SPLIT[0]
    lam = m.world.frontier_growth[f] / 4.0 / step * rel * (rd / ref) ** p["foreign_rd_elasticity"]
    draws = rng.poisson(np.repeat(lam, K).reshape(-1, K))
    know = take_rows(s.know_c, fo) + step * draws
    # followers imitate the field's best foreign firm
    best = max_by_field(f, know, N_FIELDS)
    know += p["foreign_imitation"] * np.maximum(best[f] - know, 0.0)
    s.know_c[fo] = know
    sync_know(m, fo)
    # the patents they offer in China (what licensing draws on): as if their R&D paid enterprise
    # researchers, for China's share of their market
    s.patents[fo] = 0.2 * 4.0 * rd / FTE_COST["enterprise"] * p["china_share_of_world_demand"]
    m.acc.pay("foreign_costs", fo, "foreign", s.weight[fo] * np.maximum(s.cash[fo], 0.0))
    world_sales = s.size[fo] * (1.0 + p["world_demand_growth"]) ** (m.year_float - m.start_year)
    m.acc.pay("world_sales", "foreign", fo, s.weight[fo] * world_sales)
    s.revenue[fo] = world_sales
    m.flow["foreign_rd"] += float(np.sum(s.weight[fo] * rd))
    m.flow["foreign_innovations"] += float(draws.sum())


def innovation_rate(m: InnovationModel, field: np.ndarray, rd: np.ndarray) -> np.ndarray:
    """Expected innovations per quarter of a domestic performer spending ``rd`` yuan per quarter on
    development: the foreign firms' productivity at 2015 spending (the field's reference frontier
    growth per frontier_step, per yuan of their R&D), the same technology of invention for all.
    """
    w = m.world
    return w.frontier_growth[field] / 4.0 / m.params["frontier_step"] * rd / np.maximum(w.foreign_rd0[field], 1.0)


def renormalise(m: InnovationModel) -> None:
    """Move each component's frontier to the best capability anyone holds, if someone passed it."""
    s = m.s
    kn = s.of_group(KNOWERS)
    f = s.field[kn]
    top = max_by_field(f, take_rows(s.know_c, kn), N_FIELDS, floor=1.0)
    if np.all(top <= 1.0):
        return
    s.know_c[kn] /= top[f]
    sync_know(m, kn)
    c = m.comp
    moved = np.ones(N_COMPONENTS)
    moved[OF_FIELD.ravel()] = top.ravel()
    c.frontier = c.frontier * moved
    m.world.frontier = np.exp(np.sum(WEIGHTS * np.log(c.frontier[OF_FIELD]), axis=1))
    # everything measured relative to the frontier falls with it
    c.pool_know = c.pool_know / moved
    c.quality = c.quality / moved
    c.science = c.science / moved


def _supplier_appeal(m: InnovationModel, firms: np.ndarray, cidx: np.ndarray) -> np.ndarray:
    """(n, K) weight of each domestic firm as a supplier of each component of its field: its size
    (output it can make) times exp(market_share_sensitivity x its capability in the component
    relative to the field's domestic supply capability).
    """
    s = m.s
    beta = m.params["market_share_sensitivity"]
    rel = take_rows(s.know_c, firms) - m.comp.quality[cidx]
    size = s.weight[firms] * np.maximum(s.size[firms] * s.output[firms], 0.0)
    return size[:, None] * np.exp(beta * np.clip(rel, -1.0, 1.0))


def measure(m: InnovationModel) -> None:
    """Domestic supply capability per component and science per component (institutions).

    Supply capability is measured where it is used: the mean capability of the field's domestic
    firms weighted by what each supplies of the component (its output and its relative capability,
    :func:`_supplier_appeal`); universities and labs are reported apart, researcher-weighted.
    """
    s = m.s
    c = m.comp
    firms = s.of_group(FIRMS)
    cidx = take_rows(OF_FIELD, s.field[firms])
    share = _supplier_appeal(m, firms, cidx)
    num = per_component(cidx, share * take_rows(s.know_c, firms))
    den = per_component(cidx, share)
    c.quality = np.where(den > 0, num / np.maximum(den, 1e-300), 0.0)
    inst = s.of_group(INSTITUTIONS)
    iidx = take_rows(OF_FIELD, s.field[inst])
    wi = s.weight[inst] * (np.maximum(s.researchers[inst], 0.0) + 1.0)
    num = per_component(iidx, wi[:, None] * take_rows(s.know_c, inst))
    den = per_component(iidx, wi[:, None])
    c.science = np.where(den > 0, num / np.maximum(den, 1e-300), 0.0)
    m.world.capability = np.sum(WEIGHTS * c.quality[OF_FIELD], axis=1)
    m.world.science_capability = np.sum(WEIGHTS * c.science[OF_FIELD], axis=1)


def build_foreign_firms(m: InnovationModel) -> None:
    """Create FOREIGN_PER_FIELD foreign frontier firms per field (each a real firm, weight 1)."""
    from abm.ledger import money_node

    s = m.s
    rng = m.streams["init"]
    n = FOREIGN_PER_FIELD * N_FIELDS
    sl = s.allocate(n)
    s.kind[sl] = Kind.FOREIGN
    s.roster_changed()
    s.weight[sl] = 1.0
    s.node[sl] = money_node(Kind.FOREIGN, 0)
    s.field[sl] = np.repeat(np.arange(N_FIELDS), FOREIGN_PER_FIELD)
    s.region[sl] = 0
    s.born[sl] = -40
    # the leader of each component is one of the field's foreign firms (at the frontier); others close
    know = 1.0 - 0.03 * rng.integers(0, FOREIGN_PER_FIELD, size=(n, K))
    for fi in range(N_FIELDS):
        kk = know[fi * FOREIGN_PER_FIELD : (fi + 1) * FOREIGN_PER_FIELD]
        kk[np.argmax(kk, axis=0), np.arange(K)] = 1.0
        know[fi * FOREIGN_PER_FIELD : (fi + 1) * FOREIGN_PER_FIELD] = kk
    s.know_c[sl] = know
    sync_know(m, sl)


def init_supply(m: InnovationModel) -> None:
    """2015 state: buyers' draws and sourcing, domestic quality, foreign firms' sales and R&D."""
    from abm.components import DOMESTIC_SHARE0

    p = m.params
    s = m.s
    c = m.comp
    firms = s.of_group(FIRMS)
    # before markets set sizes, revenue stands in for size; finish_init re-measures after them
    s.size[firms] = s.revenue[firms] / 1e6
    c.quality = np.zeros(N_COMPONENTS)
    for _ in range(5):  # the supplier weights depend on the quality they measure: its fixed point
        measure(m)
    c.quality0 = c.quality.copy()
    c.domestic_share0 = DOMESTIC_SHARE0.copy()
    c.domestic_share = DOMESTIC_SHARE0.copy()
    c.pool_know = c.quality.copy()
    cidx = take_rows(OF_FIELD, s.field[firms])
    s.dom_use[firms] = DOMESTIC_SHARE0[cidx]
    choose(m)
    # foreign firms' Chinese sales at 2015 sourcing; the rest of the world buys the remainder
    fo = s.of_kind(Kind.FOREIGN)
    opex = (1.0 - p["gross_margin"]) * s.revenue[firms] * p["component_cost_share"]
    per = (s.weight[firms] * opex)[:, None] * take_rows(WEIGHTS, s.field[firms])
    fk = np.repeat(s.field[firms], K)
    imp_f = np.bincount(fk, (per * (1.0 - take_rows(s.dom_use, firms))).ravel(), minlength=N_FIELDS)
    all_f = np.bincount(fk, per.ravel(), minlength=N_FIELDS)
    rank = np.tile(np.arange(FOREIGN_PER_FIELD), N_FIELDS)
    china = imp_f[s.field[fo]] * FOREIGN_REVENUE_SPLIT[rank]
    # the rest of the world buys (1 - china_share) of the world's components, from foreign firms
    share = p["china_share_of_world_demand"]
    world = all_f[s.field[fo]] * (1.0 - share) / share * FOREIGN_REVENUE_SPLIT[rank]
    s.size[fo] = world  # world sales per quarter in 2015 (grow at world_demand_growth)
    s.revenue[fo] = china + world
    s.rd_budget[fo] = p["foreign_rd_intensity"] * s.revenue[fo]  # reference R&D
    s.rd_spend[fo] = s.rd_budget[fo]
    s.patents[fo] = 0.2 * 4.0 * s.rd_budget[fo] / FTE_COST["enterprise"] * p["china_share_of_world_demand"]
    s.output[fo] = 1.0
    m.world.foreign_rd0 = np.bincount(s.field[fo], s.rd_budget[fo], minlength=N_FIELDS)


def finish_init(m: InnovationModel) -> None:
    """After markets set firm sizes: measure 2015 supply capability again; it anchors acceptance."""
    c = m.comp
    for _ in range(5):
        measure(m)
    c.quality0 = c.quality.copy()


def step(m: InnovationModel) -> None:
    """Foreign frontier firms do R&D and sell to the world; domestic buyers choose their sourcing."""
    _foreign_rd(m)
    choose(m)


def _components_controlled(m: InnovationModel) -> int:
    return int(np.sum(1.0 - m.comp.domestic_share > m.params["control_threshold"]))


CONTRACT = Mechanism(
    name="supply",
    stream=STREAM,
    step=step,
    doc="Key components: buyers' domestic or foreign sourcing, cut-offs, foreign frontier firms' sales and R&D.",
    outputs=(
        Output("component_sales_domestic", "yuan", FLOW, "Key components bought from domestic firms."),
        Output("first_set_support", "yuan", FLOW, "Central subsidy to buyers of domestic key components (OUT:264)."),
        Output("foreign_rd", "yuan", FLOW, "R&D of the foreign frontier firms (outside national R&D)."),
        Output("foreign_innovations", "innovations", FLOW, "Foreign frontier firms' component innovations."),
        Output(
            "controlled_components",
            "components",
            STOCK,
            "Key components 'controlled by others': import share above control_threshold (of 40).",
            dtype="int",
            measure=_components_controlled,
        ),
        Output(
            "output_{}",
            "share",
            STOCK,
            "Field output relative to full component supply (below 1 when a cut-off starves firms).",
            per="field",
            measure=lambda m: m.world.output,
        ),
        Output(
            "science_capability_{}",
            "index (1 = world frontier)",
            STOCK,
            "Institutions' capability in the field (researcher-weighted), reported apart from production.",
            per="field",
            measure=lambda m: m.world.science_capability,
        ),
        Output(
            "frontier_{}",
            "index (1 = 2015)",
            STOCK,
            "World frontier of the field (cost-weighted geometric mean over its components).",
            per="field",
            measure=lambda m: m.world.frontier,
        ),
    ),
)
