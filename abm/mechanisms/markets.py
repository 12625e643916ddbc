"""Markets: firms sell in their field; revenue follows capability, size and component supply.

Each field has a demand that grows with GDP. Part of it is imported in proportion to the field's
dependence on foreign key components (abm.mechanisms.supply: the import share of its components,
OUT:50-52). The domestic part is shared among firms of the field in proportion to
``size * exp(beta * (know - C))`` (capability relative to the national capability C; SOEs get a
protected-market bonus, MP:84), and each firm sells what it can make with the components it gets.
Firms spend ``component_cost_share`` of their operating costs on the field's key components, from
domestic suppliers (the field's firms, by capability in the component) or foreign frontier firms.
Firm sizes follow a multiplicative process whose drift rewards capability and whose noise falls
with size. A supply cut-off (DT:60-63) stops imports of final goods and of components: domestic firms
cover final demand only as far as they can produce, and lose output that needed foreign components.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from abm import firms as firm_rules
from abm.contract import FLOW, STOCK, Mechanism, Output
from abm.fields import N_FIELDS
from abm.kinds import FIRMS, Kind
from abm.mechanisms import supply

if TYPE_CHECKING:
    from abm.model import InnovationModel

STREAM = "markets"


def target_intensity(m: InnovationModel, slots: np.ndarray) -> np.ndarray:
    """R&D budget as a share of revenue for firm slots (before subsidies and equity money)."""
    s = m.s
    kind = s.kind[slots]
    out = np.zeros(slots.size)
    soe = kind == Kind.SOE
    out[soe] = firm_rules.rd_intensity(m, slots[soe])  # SOE managers' decision (abm.firms)
    own = (kind == Kind.PRIVATE) | (kind == Kind.SME)
    out[own] = firm_rules.owner_rd_intensity(m, slots[own])  # owners' decision from expected returns
    return out


def substitution_opportunity(m: InnovationModel) -> np.ndarray:
    """Per field: cost-weighted share of component requirements no one supplies this quarter."""
    from abm.components import OF_FIELD, WEIGHTS

    return np.sum(WEIGHTS * m.comp.unserved[OF_FIELD], axis=1)


def init_markets(m: InnovationModel) -> None:
    """Set each field's total demand from the initial firm revenues."""
    p = m.params
    s = m.s
    w = m.world
    firms = s.of_group(FIRMS)
    domestic = np.bincount(s.field[firms], s.weight[firms] * s.revenue[firms], minlength=N_FIELDS)
    w.import_share = p["import_share_of_dependence"] * w.dependence
    w.output = np.ones(N_FIELDS)
    # size = revenue divided by the market-share factors, so initial shares reproduce revenues
    factor = _capability_factor(m, firms) * _soe_bonus(m, firms)
    s.size[firms] = s.revenue[firms] / factor / 1e6
    w.demand0 = domestic / (1.0 - w.import_share)
    w.demand = w.demand0.copy()
    w.domestic_market = domestic


def _capability_factor(m: InnovationModel, firms: np.ndarray) -> np.ndarray:
    """Market-share factor of each firm's capability relative to its field's national capability."""
    rel = m.s.know[firms] - m.world.capability[m.s.field[firms]]
    return np.exp(m.params["market_share_sensitivity"] * np.clip(rel, -1.0, 1.0))


def revenue_gain(m: InnovationModel, firms: np.ndarray, capability_gain: np.ndarray) -> np.ndarray:
    """Extra revenue a quarter that a capability gain brings each firm: its market share rises by
    ``market_share_sensitivity`` per unit of capability (:func:`_capability_factor`, to first order).
    """
    return m.s.revenue[firms] * m.params["market_share_sensitivity"] * capability_gain


def _soe_bonus(m: InnovationModel, firms: np.ndarray) -> np.ndarray:
    """Market-share factor of SOEs' protected markets (MP:84); 1 for other firms."""
    return np.where(m.s.kind[firms] == Kind.SOE, m.params["soe_market_bonus"], 1.0)


def _supply(m: InnovationModel) -> None:
    """Final-goods imports and the domestic market of each field, with any cut-off.

    Dependence is the import share of the field's key components (abm.mechanisms.supply); final
    goods are imported in proportion to it. A cut-off of a field stops ``cutoff_severity`` of its
    final-goods imports too; domestic firms cover that demand only as far as they can produce
    (their output given the components they get).
    """
    p = m.params
    w = m.world
    w.import_share = p["import_share_of_dependence"] * w.dependence
    # demand_factor: the response to the field's relative price when GDP is endogenous (else 1)
    w.demand = w.demand0 * (m.nation.gdp_q / m.nation.gdp0_q) * w.demand_factor
    imports = w.import_share.copy()
    cut = w.cutoff
    imports[cut] = w.import_share[cut] * (1.0 - p["cutoff_severity"])
    covered = (w.import_share - imports) * w.output
    w.domestic_market = w.demand * (1.0 - w.import_share + covered)
    w.imports = w.demand * imports


def _sell(m: InnovationModel, firms: np.ndarray) -> None:
    """Firms share their field's domestic market and pay operating costs (part abroad)."""
    p = m.params
    s = m.s
    f = s.field[firms]
    w = s.weight[firms]
    share_w = s.size[firms] * _capability_factor(m, firms)
    share_w = share_w * _soe_bonus(m, firms)
    tot = np.bincount(f, w * share_w, minlength=N_FIELDS)
    market = m.world.domestic_market
    price = np.where(tot > 0, market / np.where(tot > 0, tot, 1.0), 0.0)
    # a firm sells what it can make with the components it gets (abm.mechanisms.supply)
    rev = share_w * price[f] * s.output[firms]
    s.revenue[firms] = rev
    m.acc.pay("sales", "market", firms, w * rev)
    opex = (1.0 - p["gross_margin"]) * rev
    # key components: domestic suppliers or foreign frontier firms (and their revenue)
    comp = p["component_cost_share"] * opex
    supply.purchase(m, firms, comp / np.maximum(s.output[firms], 1e-3))  # records foreign_inputs
    fixed = np.where(s.kind[firms] == Kind.SME, p["sme_fixed_cost"], firm_rules.fixed_cost(m, firms))
    # technical work contracted out last quarter is not done in house (abm.mechanisms.transfer, make or buy)
    own = np.maximum(opex - comp - s.work_bought[firms], 0.0)
    s.work_bought[firms] = 0.0
    m.acc.pay("operating_costs", firms, "suppliers", w * (own + fixed))
    m.flow["sales"] += float(np.sum(w * rev))


def _grow(m: InnovationModel, firms: np.ndarray, rng: np.random.Generator) -> None:
    """Size dynamics: capability-driven drift, noise falling with size, equity-financed growth."""
    p = m.params
    s = m.s
    f = s.field[firms]
    w = s.weight[firms]
    rev = s.revenue[firms]
    mean_know = np.bincount(f, w * s.know[firms], minlength=N_FIELDS) / np.maximum(
        np.bincount(f, w, minlength=N_FIELDS), 1e-12
    )
    sigma = p["size_noise"] * np.clip(s.size[firms], 1e-3, None) ** (-p["size_noise_slope"])
    sigma = np.clip(sigma, 0.02, 0.6)
    equity = np.where(s.kind[firms] == Kind.SME, 0.5 * np.log1p(s.equity_in[firms] / (4.0 * rev + 1e6)), 0.0)
    drift = p["size_drift_capability"] * (s.know[firms] - mean_know[f]) + equity
    s.size[firms] *= np.exp(drift + sigma * rng.standard_normal(firms.size))
    s.size[firms] = np.clip(s.size[firms], 1e-4, 1e6)


def step(m: InnovationModel) -> None:
    """Sell, pay operating costs, update foreign dependence and firm sizes."""
    s = m.s
    _supply(m)
    firms = s.of_group(FIRMS)
    _sell(m, firms)
    _grow(m, firms, m.streams[STREAM])


CONTRACT = Mechanism(
    name="markets",
    stream=STREAM,
    step=step,
    doc="Sales by field and capability, foreign dependence and imports, supply cut-offs, firm growth.",
    outputs=(
        Output("sales", "yuan", FLOW, "Sales of the model's firms."),
        Output("foreign_inputs", "yuan", FLOW, "Key components firms bought from foreign frontier firms."),
        Output(
            "dependence_{}",
            "share",
            STOCK,
            "Dependence of the field on foreign supply.",
            per="field",
            measure=lambda m: m.world.dependence,
        ),
        Output(
            "controlled_fields",
            "fields",
            STOCK,
            "Fields 'controlled by others': dependence above control_threshold.",
            dtype="int",
            measure=lambda m: int(np.sum(m.world.dependence > m.params["control_threshold"])),
        ),
        Output(
            "cutoff_fields_active",
            "fields",
            STOCK,
            "Fields whose foreign supply is cut off this quarter.",
            dtype="int",
            measure=lambda m: int(m.world.cutoff.sum()),
        ),
    ),
)
