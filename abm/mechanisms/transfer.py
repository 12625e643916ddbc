"""Technology transfer: licensing and technology trade, spillovers, acquisitions of start-ups.

- Licensing and technology services: a firm buys a technology with a probability that rises with
  its absorptive capacity (researchers) and its gap to the best knowledge of its field. Sellers are
  universities and labs (weighted by patents and by their autonomy to dispose of patents, DT:90,
  OUT:185), more capable firms (technology trade between enterprises, DT:72-76) and the field's
  foreign frontier firms (technology imports, none where supply is cut off). Partners are
  found in the buyer's region with probability ``region_bias``. The buyer pays the contract price
  (scaled by IP protection, OUT:252-254) and closes part of its gap to the seller. The buyer takes an
  offer only if it pays: the revenue its capability gain brings (market share rises with capability,
  abm.mechanisms.markets) over ``license_payback_years`` must cover the price, so small firms, whose
  revenue is small, buy few licences even when they can learn from them. Each deal is a collaboration
  link.
- Spillovers: every performer learns, component by component, part of its gap to its region's and
  its field's knowledge for free (weaker under strong IP protection), to its last partner's
  knowledge, and to the world frontier through imported components (stopped by a cut-off). Each gap
  is learnt at the rate :func:`abm.components.absorption` gives it: best at a moderate distance.
- Technical work, make or buy (OUT:185: R&D design, pilot maturation, inspection, testing and
  certification; a separate contract :data:`SERVICES` with its own random stream): a firm's operations
  need technical work worth ``tech_work_share`` of its revenue; it contracts out the tasks a provider
  of its field (firms, universities, labs) does more cheaply, price = provider's cost x (1 +
  ``tech_service_markup``), the provider's cost falling with its capability and its experience
  (a learning curve, held by the real firms that did the work: :func:`provider_terms`). Each task
  contracted out is a contract; it is registered, so counted in turnover, when its tax relief (``tech_contract_tax_relief``, OUT:264) pays the registration cost
  ``tech_registration_cost``, which falls with the contracts registered in the field (a network effect).
  Institutions' licence deals are capped by their transfer offices (``tto_capacity``, OUT:185).
- Turnover in the official definition (technology development, transfer, consulting and service
  contracts): ``tech_contract_turnover`` = licences and services bought by firms (``tech_contracts``)
  plus contract research (abm.mechanisms.research).
- Acquisitions: capable start-ups are bought by large private firms of their field, which absorb
  their researchers, size and knowledge (MODEL.md "buys start-ups").
"""

from __future__ import annotations

from statistics import NormalDist
from typing import TYPE_CHECKING

import numpy as np

from abm.components import OF_FIELD, absorption, add_rows, row_counts, scatter_rows, summary, take_rows
from abm.contract import FLOW, Mechanism, Output
from abm.fields import N_FIELDS
from abm.kinds import FIRMS, INSTITUTIONS, PERFORMERS, ExitReason, Kind, in_group
from abm.mechanisms.finance import close_stakes, valuation
from abm.mechanisms.markets import revenue_gain
from abm.mechanisms.supply import sync_know
from abm.sampling import grouped_choice, real_takers, running_sum_by_group, spread_rows

if TYPE_CHECKING:
    from abm.model import InnovationModel

STREAM = "transfer"
SERVICES_STREAM = "services"


def _licensing(m: InnovationModel, firms: np.ndarray, sellers: np.ndarray) -> None:
    p = m.params
    s = m.s
    rng = m.streams[STREAM]
    R = m.n_regions
    f = s.field[firms]
    best = np.zeros(N_FIELDS)
    np.maximum.at(best, s.field[sellers], s.know[sellers])
    gap = np.clip(best[f] - s.know[firms], 0.0, 1.0)
    absorb = s.researchers[firms] / (s.researchers[firms] + p["absorptive_half_researchers"])
    prob = np.clip(p["transfer_rate"] * absorb * gap * 4.0, 0.0, 1.0)
    # an agent's real firms look and choose a seller separately (abm.sampling.real_takers, spread_rows):
    # share is the part of the agent's real firms each row stands for
    takers = real_takers(rng, s.weight[firms], prob)
    buyers, real = spread_rows(firms[takers > 0], takers[takers > 0])
    if buyers.size == 0:
        return
    share = real / s.weight[buyers]
    is_inst = in_group(s.kind[sellers], INSTITUTIONS)
    appeal = s.weight[sellers] * np.maximum(s.patents[sellers], 0.0) * np.maximum(s.know[sellers], 0.0) ** 2
    appeal = appeal * np.where(is_inst, p["patent_disposal_autonomy"], 1.0)
    same = rng.random(buyers.size) < p["region_bias"]
    group_region = s.field[buyers] * R + s.region[buyers]
    partner = np.where(
        same,
        grouped_choice(
            rng, group_region, sellers, s.field[sellers] * R + s.region[sellers], appeal, N_FIELDS * R, wanted=same
        ),
        grouped_choice(rng, s.field[buyers], sellers, s.field[sellers], appeal, N_FIELDS, wanted=~same),
    )
    ok = (partner >= 0) & (partner != buyers)
    ok[ok] &= s.know[partner[ok]] > s.know[buyers[ok]]
    # foreign frontier firms license abroad-made technology, except where supply is cut off
    foreign = np.zeros(buyers.size, dtype=bool)
    foreign[ok] = s.kind[partner[ok]] == Kind.FOREIGN
    blocked = m.world.cutoff | m.comp.cut[OF_FIELD].any(axis=1)
    ok &= ~(foreign & blocked[s.field[buyers]])
    b, sel, share = buyers[ok], partner[ok], share[ok]
    if b.size == 0:
        return
    price = p["license_price"] * (0.5 + p["ip_protection"]) * (m.nation.gdp_q / m.nation.gdp0_q)
    wb = s.weight[b] * share  # real buyers of each row
    amount = wb * price
    # the buyer learns the seller's technology component by component, best at a moderate distance
    gain = p["technology_absorption"] * absorption(
        take_rows(s.know_c, sel) - take_rows(s.know_c, b), p["absorption_distance"]
    )
    # the buyer's decision: the offer is taken if the revenue its capability gain brings (markets.revenue_gain)
    # pays the price back within license_payback_years, and the buyer has the cash
    value = revenue_gain(m, b, summary(gain, s.field[b])) * 4.0 * p["license_payback_years"]
    afford = (s.cash[b] >= price) & (value >= price)
    # a university's or lab's transfer office closes at most tto_capacity deals a year (OUT:185): buyers
    # beyond it, in turn, find no one to deal with this quarter
    # (an agent's deal is taken in part when the office fills up during it: only part of the real buyers deal)
    part = np.ones(b.size)
    cand = np.flatnonzero(afford & in_group(s.kind[sel], INSTITUTIONS))
    if cand.size:
        order, before = running_sum_by_group(sel[cand], wb[cand], inclusive=False)
        room = p["tto_capacity"] / 4.0 * s.weight[sel[cand[order]]] - before
        part[cand[order]] = np.clip(room / wb[cand[order]], 0.0, 1.0)
    afford &= part > 0
    b, sel, part, share, wb, gain = b[afford], sel[afford], part[afford], share[afford], wb[afford], gain[afford]
    amount = amount[afford] * part
    abroad = s.kind[sel] == Kind.FOREIGN
    m.acc.pay("technology_contract", b[~abroad], sel[~abroad], amount[~abroad])
    m.acc.pay("technology_import", b[abroad], sel[abroad], amount[abroad])
    # share x part: the share of the agent's real firms that deal (rows of one agent add up)
    add_rows(s.know_c, b, (share * part)[:, None] * gain)
    sync_know(m, b)
    m.flow["technology_imports"] += float(np.sum(amount[abroad]))
    m.flow["licences_from_abroad"] += float(np.sum(wb[abroad]))
    b, sel, amount, part, wb = b[~abroad], sel[~abroad], amount[~abroad], part[~abroad], wb[~abroad]
    s.partner[b] = sel
    s.partner[sel] = b
    deals = wb * part
    m.flow.links.append(np.stack([b, sel]))
    m.flow.link_weights.append(deals)
    inst_sale = in_group(s.kind[sel], INSTITUTIONS)
    m.flow["licences"] += float(np.sum(deals))
    m.flow["tech_contracts"] += float(np.sum(amount))
    m.flow["licences_from_institutions"] += float(np.sum(deals[inst_sale]))


#: A firm's technical work is TASKS equal tasks; a provider's cost relative to the buyer's differs by task
#: (log-normal with spread ``tech_task_spread``, here at the mid-quantiles of a standard normal).
TASKS = 8
_TASK_Z = np.array([NormalDist().inv_cdf((k + 0.5) / TASKS) for k in range(TASKS)])


def provider_terms(m: InnovationModel, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The learning curve of providers held by the real firms that did the work.

    An agent's experienced providers, the share ``service_reach`` = r of its real actors, have each done
    e = ``service_experience`` / r of work for others (per real actor: the agent's work over its experienced
    firms, not smeared over all of them); their cost relative to a novice's is the learning curve
    x = (1 + e / ``service_experience_half``) ** -``service_learning_exponent``, a novice's 1.

    Returns:
        x for the agent's experienced providers; the agent's appeal per real actor relative to a novice's,
        a = r / x + (1 - r) (appeal falls with cost, so this sums its real firms' appeals); and the chance
        q = (r / x) / a that a seeker who finds the agent finds one of its experienced firms.
        At weight 1 this is the learning curve of one firm (r 0 or 1); at any weight the same work done by the
        same real firms gives the same terms. (How the work spreads over an agent's experienced firms is not
        kept: finer agents concentrate it more, ODD scale agreement (d).)
    """
    p = m.params
    r = np.clip(m.s.service_reach[slots], 0.0, 1.0)
    e = np.maximum(m.s.service_experience[slots], 0.0) / np.maximum(r, 1e-12)
    x = (1.0 + e / p["service_experience_half"]) ** -p["service_learning_exponent"]
    a = r / x + (1.0 - r)
    return x, a, r / x / a


def registration_cost(m: InnovationModel, fields: np.ndarray) -> np.ndarray:
    """Cost of registering a technical-service contract of these fields at 2015 prices: ``tech_registration_cost``
    x (1 + R_f / ``registration_network_half``) ** -``registration_learning_exponent``, R_f the contracts
    registered in the field over about the last year (registration offices, technology brokers and standard
    contract forms spread with the registrations: a network effect).
    """
    p = m.params
    r = np.maximum(m.world.registered[fields], 0.0) / p["registration_network_half"]
    return p["tech_registration_cost"] * (1.0 + r) ** -p["registration_learning_exponent"]


def _services(m: InnovationModel) -> None:
    """Make or buy: firms contract technical work (development, engineering, design, testing, software,
    consulting) out to providers of their field where that is cheaper than doing it themselves, and
    register the contracts whose tax relief pays for the registration.
    """
    p = m.params
    s = m.s
    rate = p["tech_service_rate"]
    if rate <= 0:
        return
    rng = m.streams[SERVICES_STREAM]
    R = m.n_regions
    firms = s.of_group(FIRMS)
    sellers = s.of_group(PERFORMERS)
    # an agent's real firms look and choose a provider separately (abm.sampling.real_takers, spread_rows)
    takers = real_takers(rng, s.weight[firms], rate)
    looking, real = spread_rows(firms[takers > 0], takers[takers > 0])
    if looking.size == 0 or sellers.size == 0:
        return
    took = real / s.weight[looking]  # the part of the agent's real firms each row stands for
    # providers are found in proportion to their technical staff (a firm's do its own technical work, an
    # institution's its research), their capability and their low cost (experience)
    own_work = np.where(
        in_group(s.kind[sellers], FIRMS), p["tech_work_share"] * s.revenue[sellers], s.rd_spend[sellers]
    )
    capacity = s.weight[sellers] * np.maximum(own_work, 0.0)
    appeal = capacity * np.maximum(s.know[sellers], 0.0) ** 2 * provider_terms(m, sellers)[1]
    same = rng.random(looking.size) < p["region_bias"]
    # each seeker asks one provider: in its region (same) or anywhere in its field
    partner = np.empty(looking.size, dtype=np.int64)
    near, far = looking[same], looking[~same]
    partner[same] = grouped_choice(
        rng, s.field[near] * R + s.region[near], sellers, s.field[sellers] * R + s.region[sellers], appeal, N_FIELDS * R
    )
    partner[~same] = grouped_choice(rng, s.field[far], sellers, s.field[sellers], appeal, N_FIELDS)
    # a seeker that finds its own agent has found one of the agent's real firms: another firm than itself
    # with chance (weight - 1) / weight, from which it buys as from any other provider
    own = np.flatnonzero(partner == looking)
    ok = partner >= 0
    ok[own] = rng.random(own.size) * s.weight[looking[own]] >= 1.0
    b, sel, took = looking[ok], partner[ok], took[ok]
    # the seekers who found an agent found its experienced firms (chance q) or its novices: a row for each
    # part, so that each is priced on its own learning curve (a row where q is 0 or 1 stays one row)
    x, _, q = provider_terms(m, sel)
    mixed = np.flatnonzero((q > 0.0) & (q < 1.0))
    rows = np.concatenate([np.arange(b.size), mixed])
    expert = np.concatenate([q > 0.0, np.zeros(mixed.size, dtype=bool)])
    part = np.concatenate([np.where(q > 0.0, q, 1.0), 1.0 - q[mixed]])
    b, sel, took = b[rows], sel[rows], took[rows] * part
    # the work of the next 1/rate quarters, at the buyer's in-house cost
    work = p["tech_work_share"] * np.maximum(s.revenue[b], 0.0) / rate
    # the provider's cost of each task relative to the buyer's: lower the more capable and experienced it is
    factor = np.where(expert, x[rows], 1.0)
    ratio = np.maximum(s.know[b], 1e-6) / np.maximum(s.know[sel], 1e-6) * factor
    task_cost = ratio[:, None] * np.exp(p["tech_task_spread"] * _TASK_Z)[None, :]
    ask = (1.0 + p["tech_service_markup"]) * task_cost  # the provider's price per unit of in-house cost
    cheaper = ask < 1.0
    n_tasks = row_counts(cheaper)
    share = n_tasks / TASKS  # share of the work contracted out (= cheaper.mean(axis=1), exactly)
    index = m.nation.gdp_q / m.nation.gdp0_q  # wages and prices grow with nominal GDP
    # each task contracted out is a contract; the provider's fixed cost of the engagement (work too: it falls
    # along the same learning curve) is shared by its contracts
    setup = p["tech_service_cost"] * index * factor
    task_price = (1.0 + p["tech_service_markup"]) * np.where(
        cheaper, work[:, None] / TASKS * task_cost + (setup / np.maximum(n_tasks, 1))[:, None], 0.0
    )
    price = task_price.sum(axis=1)
    cost = price / (1.0 + p["tech_service_markup"])
    saved = work * share
    # the buyer contracts if it saves money and can pay; registering relieves a contract of tax (the seller's
    # VAT and income tax on technology contracts) and is worth it where the relief pays the registration
    relief = p["tech_contract_tax_relief"]
    reg_task = cheaper & (relief * task_price >= (registration_cost(m, s.field[b]) * index)[:, None])
    reg_value = np.where(reg_task, task_price, 0.0).sum(axis=1)
    tax = relief * (price - reg_value)
    buy = (share > 0) & (saved > price) & (s.cash[b] >= price)
    b, sel, price, cost, saved, reg_value, tax, took, expert = (
        b[buy],
        sel[buy],
        price[buy],
        cost[buy],
        saved[buy],
        reg_value[buy],
        tax[buy],
        took[buy],
        expert[buy],
    )
    n_reg = row_counts(reg_task[buy])
    if b.size == 0:
        return
    w = s.weight[b] * took  # real buyers of each row
    amount = w * price
    m.acc.pay("technical_service", b, sel, amount)
    # the provider does the work (its staff and materials) and pays tax on unregistered contracts;
    # the buyer's own operating costs fall by the in-house cost of the work next quarter (abm.mechanisms.markets)
    m.acc.pay("technical_service_costs", sel, "suppliers", w * cost)
    taxed = tax > 0
    m.acc.pay("technical_service_tax", sel[taxed], "fiscal", (w * tax)[taxed])
    np.add.at(s.work_bought, b, took * saved)
    # the provider's experience: the work done, valued at the buyer's in-house cost, at 2015 prices (per real
    # actor); each real buyer served by a novice makes one more experienced provider, until all are
    np.add.at(s.service_experience, sel, w * saved / index / s.weight[sel])
    novice = ~expert
    np.add.at(s.service_reach, sel[novice], w[novice] / s.weight[sel[novice]])
    s.service_reach[sel] = np.minimum(s.service_reach[sel], 1.0)
    # the buyer closes part of its gap to the provider, component by component
    add_rows(
        s.know_c,
        b,
        (took * p["tech_service_learning"])[:, None]
        * np.maximum(take_rows(s.know_c, sel) - take_rows(s.know_c, b), 0.0),
    )
    sync_know(m, b)
    s.partner[b] = sel
    m.flow.links.append(np.stack([b, sel]))
    m.flow.link_weights.append(w)
    reg = w * reg_value
    total = float(np.sum(reg))
    m.flow["tech_services"] += total
    m.flow["tech_contracts"] += total
    m.flow["tech_services_unregistered"] += float(np.sum(amount) - total)
    contracts = w * n_reg
    m.flow["tech_service_contracts"] += float(np.sum(contracts))
    # the field's registrations of the last year (smoothed): offices, brokers and standard forms spread with them
    year = np.bincount(s.field[b], contracts, minlength=N_FIELDS) * 4.0
    m.world.registered += 0.25 * (year - m.world.registered)
    inst = in_group(s.kind[sel], INSTITUTIONS)
    m.flow["tech_services_from_institutions"] += float(np.sum(reg[inst]))


def services_step(m: InnovationModel) -> None:
    """Technical services and consulting bought by firms this quarter."""
    _services(m)


def _spillovers(m: InnovationModel, perf: np.ndarray) -> None:
    """Free learning per component from the region's and the field's average know-how, the last
    partner, and the world frontier through imports; each gap is learnt at the rate absorption()
    gives it (best at a moderate distance).
    """
    p = m.params
    s = m.s
    R = m.n_regions
    f = s.field[perf]
    w = s.weight[perf] * (s.researchers[perf] + 1.0)
    know = take_rows(s.know_c, perf)
    g = f * R + s.region[perf]
    dist = p["absorption_distance"]
    wk = w[:, None] * know
    k_fr = scatter_rows(g, wk, N_FIELDS * R)
    k_f = scatter_rows(f, wk, N_FIELDS)
    k_fr /= np.maximum(np.bincount(g, w, minlength=N_FIELDS * R), 1e-12)[:, None]
    k_f /= np.maximum(np.bincount(f, w, minlength=N_FIELDS), 1e-12)[:, None]
    absorb = s.researchers[perf] / (s.researchers[perf] + p["absorptive_half_researchers"])
    rate = (p["spillover_rate"] * (1.0 - 0.5 * p["ip_protection"]) * absorb)[:, None]
    gain = rate * (
        absorption(take_rows(k_fr, g) - know, dist)
        + p["cross_region_spillover"] * absorption(take_rows(k_f, f) - know, dist)
    )
    partner = s.partner[perf]
    has = (partner >= 0) & s.alive[np.maximum(partner, 0)]
    linked = np.flatnonzero(has)  # rows gathered with take: the same rows as the mask, faster on (n, K) arrays
    gain[linked] += (
        p["link_spillover"]
        * take_rows(rate, linked)
        * absorption(take_rows(s.know_c, partner[linked]) - take_rows(know, linked), dist)
    )
    # the world frontier (1) through imported components, not through the ones cut off
    c = m.comp
    open_c = np.where(c.cut, 0.0, 1.0 - c.domestic_share)[take_rows(OF_FIELD, f)]
    gain += p["foreign_spillover"] * open_c * absorb[:, None] * absorption(1.0 - know, dist)
    s.know_c[perf] = know + gain
    sync_know(m, perf)


def _acquisitions(m: InnovationModel) -> None:
    p = m.params
    s = m.s
    rng = m.streams[STREAM]
    smes = s.of_kind(Kind.SME)
    if smes.size == 0:
        return
    capable = s.know[smes] > m.world.capability[s.field[smes]] * p["acquisition_capability_threshold"]
    capable &= m.steps - s.born[smes] >= p["acquisition_min_age_quarters"]
    target = smes[capable & (rng.random(smes.size) < p["acquisition_rate"])]
    if target.size == 0:
        return
    priv = s.of_kind(Kind.PRIVATE)
    buyer = grouped_choice(rng, s.field[target], priv, s.field[priv], s.weight[priv] * s.size[priv], N_FIELDS)
    ok = buyer >= 0
    target, buyer = target[ok], buyer[ok]
    price = valuation(m, target) * p["acquisition_premium"]
    total = s.weight[target] * price
    # a buyer must afford it, and buys at most one start-up per quarter
    _, first = np.unique(buyer, return_index=True)
    one = np.zeros(buyer.size, dtype=bool)
    one[first] = True
    afford = one & (s.weight[buyer] * s.cash[buyer] >= total)
    target, buyer, price, total = target[afford], buyer[afford], price[afford], total[afford]
    if target.size == 0:
        return
    # pay VC holders their stakes, founders the rest
    to_vc = close_stakes(m, target, ExitReason.ACQUISITION, price, payer=buyer)
    m.flow["vc_exit_proceeds"] += float(to_vc.sum())
    m.acc.pay("acquisition", buyer, "founders", np.maximum(total - to_vc, 0.0))
    # absorb researchers, size, knowledge and cash of the start-up
    share = s.weight[target] / s.weight[buyer]
    m.acc.move("acquisition", target, buyer, s.weight[target] * s.researchers[target])
    m.acc.pay("acquisition_cash", target, buyer, s.weight[target] * s.cash[target])
    absorb = p["technology_absorption"]
    # knowledge is not added up: each of the buyer's real firms learns from the start-ups it bought (the share
    # of its real firms that bought one, at most all of them), so no buyer passes what the start-ups knew.
    # (Adding by the weight ratio lets a buyer agent of fewer real firms than the start-up agent take that
    # ratio times the gap: with stratified sizes, 24 firms buying 500 start-ups took 0.70 -> 1.87 of the
    # frontier in one quarter, which renormalised everyone's capability.)
    learn = np.minimum(share, 1.0)
    s.know_c[buyer] += (
        absorb * learn[:, None] * np.maximum(take_rows(s.know_c, target) - take_rows(s.know_c, buyer), 0.0)
    )
    sync_know(m, buyer)
    s.size[buyer] += share * s.size[target]
    m.flow["acquisitions"] += float(np.sum(s.weight[target]))
    from abm.mechanisms.entry import remove_actors

    remove_actors(m, target)


def step(m: InnovationModel) -> None:
    """Run licensing, spillovers and acquisitions for this quarter."""
    s = m.s
    firms = s.of_group(FIRMS)
    perf = s.of_group(PERFORMERS)
    _licensing(m, firms, np.concatenate([perf, s.of_kind(Kind.FOREIGN)]))
    _spillovers(m, perf)
    _acquisitions(m)


CONTRACT = Mechanism(
    name="transfer",
    stream=STREAM,
    step=step,
    doc="Licensing and technology contracts, knowledge spillovers, acquisitions of start-ups.",
    outputs=(
        Output(
            "tech_contracts",
            "yuan",
            FLOW,
            "Domestic licences, transfers, technical services and consulting bought by firms (contract research apart).",
        ),
        Output("licences", "contracts", FLOW, "Technology contracts (licences, services) bought by firms."),
        Output("licences_from_institutions", "contracts", FLOW, "Part of licences sold by universities and labs."),
        Output("acquisitions", "firms", FLOW, "Start-ups bought by large private firms."),
        Output(
            "technology_imports",
            "yuan",
            FLOW,
            "Licences bought from foreign frontier firms (not in domestic turnover).",
        ),
        Output("licences_from_abroad", "contracts", FLOW, "Licences bought from foreign frontier firms."),
    ),
)


SERVICES = Mechanism(
    name="services",
    stream=SERVICES_STREAM,
    step=services_step,
    doc="Technical services and consulting bought by firms from more capable firms and institutions (OUT:185).",
    outputs=(
        Output(
            "tech_services",
            "yuan",
            FLOW,
            "Registered technical work (development, services, consulting) bought by firms (in tech_contracts).",
        ),
        Output("tech_service_contracts", "contracts", FLOW, "Registered technical service and consulting contracts."),
        Output(
            "tech_services_unregistered",
            "yuan",
            FLOW,
            "Technical work contracted out without registration (too small for the tax relief to pay; not in turnover).",
        ),
        Output(
            "tech_services_from_institutions",
            "yuan",
            FLOW,
            "Part of tech_services provided by universities and labs.",
        ),
        Output(
            "tech_contract_turnover",
            "yuan",
            FLOW,
            "Technology-contract turnover in the official definition: development (contract research), "
            "transfer and licences, consulting and services.",
            measure=lambda m: m.flow["tech_contracts"] + m.flow["contract_research"],
        ),
    ),
)
