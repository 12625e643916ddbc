"""Markets: firms sell in their field; revenue follows capability and size; foreign supply.

Each field has a demand that grows with GDP. Part of it is imported; the import share falls as
domestic capability approaches the world frontier (dependence on foreign supply, OUT:50-52). The
domestic part is shared among firms of the field in proportion to ``size * exp(beta * (know - C))``
(capability relative to the national capability C; SOEs get a protected-market bonus, MP:84).
Firm sizes follow a multiplicative process whose drift rewards capability and whose noise falls
with size. A supply cut-off in a field (DT:60-63) stops imports of products and of components:
domestic firms take over demand only as far as their capability allows, and lose output that
depended on foreign components.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from abm import firms as firm_rules
from abm.contract import FLOW, STOCK, Mechanism, Output
from abm.fields import N_FIELDS
from abm.kinds import FIRMS, Kind

if TYPE_CHECKING:
    from abm.model import InnovationModel

STREAM = "markets"


def target_intensity(m: InnovationModel, slots: np.ndarray) -> np.ndarray:
    """R&D budget as a share of revenue for firm slots (before subsidies and equity money)."""
    p = m.params
    s = m.s
    kind = s.kind[slots]
    out = np.zeros(slots.size)
    # after-tax price of R&D relative to the 2015 rule (50% extra deduction)
    t = p["corporate_tax_rate"]
    price = (1.0 - t * (1.0 + p["rd_super_deduction"])) / (1.0 - t * 1.5)
    tax_factor = max(price, 0.05) ** (-p["rd_price_elasticity"])
    cut = m.world.cutoff[s.field[slots]]
    priv = kind == Kind.PRIVATE
    out[priv] = p["private_rd_intensity"] * tax_factor * (1.0 + 0.5 * s.long_horizon[slots][priv])
    soe = kind == Kind.SOE
    out[soe] = firm_rules.rd_intensity(m, slots[soe])  # SOE managers' decision (abm.firms)
    out[kind == Kind.SME] = p["sme_rd_intensity"] * tax_factor
    # import substitution: firms in a cut-off field raise R&D
    out = out * np.where(cut & (kind != Kind.SOE), p["cutoff_rd_response"], 1.0)
    return out


def init_markets(m: InnovationModel) -> None:
    """Set each field's total demand from the initial firm revenues."""
    p = m.params
    s = m.s
    w = m.world
    firms = s.of_group(FIRMS)
    domestic = np.bincount(s.field[firms], s.weight[firms] * s.revenue[firms], minlength=N_FIELDS)
    w.import_share = p["import_share_of_dependence"] * w.dependence
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


def _soe_bonus(m: InnovationModel, firms: np.ndarray) -> np.ndarray:
    """Market-share factor of SOEs' protected markets (MP:84); 1 for other firms."""
    return np.where(m.s.kind[firms] == Kind.SOE, m.params["soe_market_bonus"], 1.0)


def _supply(m: InnovationModel) -> None:
    """Dependence, imports and the domestic market of each field, with any cut-off."""
    p = m.params
    w = m.world
    # dependence falls as capability nears the frontier
    gap0 = np.maximum(1.02 - w.capability0, 0.02)
    w.dependence = np.clip(w.dependence0 * (1.02 - w.capability) / gap0, 0.0, 1.0)
    w.import_share = p["import_share_of_dependence"] * w.dependence
    w.demand = w.demand0 * (m.nation.gdp_q / m.nation.gdp0_q)
    imports = w.import_share.copy()
    output = np.ones(N_FIELDS)
    sev = p["cutoff_severity"]
    cut = w.cutoff
    # cut-off: imports stop; domestic firms cover them as far as capability allows and lose
    # output that depended on foreign components.
    substitution = np.clip(w.capability, 0.0, 1.0)
    imports[cut] = w.import_share[cut] * (1.0 - sev)
    covered = np.where(cut, (w.import_share - imports) * substitution, 0.0)
    output[cut] = np.clip(1.0 - sev * w.dependence[cut] * (1.0 - np.clip(w.capability[cut], 0, 1)) * 2.0, 0.2, 1.0)
    w.domestic_market = w.demand * (1.0 - w.import_share + covered) * output
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
    rev = share_w * price[f]
    s.revenue[firms] = rev
    m.acc.pay("sales", "market", firms, w * rev)
    opex = (1.0 - p["gross_margin"]) * rev
    sev = p["cutoff_severity"]
    foreign_share = p["foreign_input_share"] * m.world.dependence[f] * np.where(m.world.cutoff[f], 1.0 - sev, 1.0)
    m.acc.pay("foreign_inputs", firms, "foreign", w * opex * foreign_share)
    fixed = np.where(s.kind[firms] == Kind.SME, p["sme_fixed_cost"], firm_rules.fixed_cost(m, firms))
    m.acc.pay("operating_costs", firms, "suppliers", w * (opex * (1.0 - foreign_share) + fixed))
    m.flow["sales"] += float(np.sum(w * rev))
    m.flow["foreign_inputs"] += float(np.sum(w * opex * foreign_share))


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
        Output("foreign_inputs", "yuan", FLOW, "Operating inputs firms bought abroad."),
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
