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

from abm.fields import N_FIELDS, PRIVATE, SME, SOE

if TYPE_CHECKING:
    from abm.model import InnovationModel

IMPORT_SHARE_OF_DEPENDENCE = 0.4  # share of a field's demand imported per unit of dependence
FOREIGN_INPUT_SHARE = 0.5  # share of operating costs bought abroad per unit of dependence
BETA_KNOW = 4.0  # market-share sensitivity to relative capability
SOE_MARKET_BONUS = 1.3  # protected-market multiplier of SOEs (MP:84)
CHI_KNOW = 0.08  # size drift per unit of capability above the field average
SIGMA_SIZE = 0.25  # quarterly s.d. of log size at size 1 (size unit: 1 m yuan of quarterly revenue)
SIZE_NOISE_SLOPE = 0.2  # s.d. of growth falls as size ** -0.2


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
    cut = m.cutoff[s.field[slots]]
    priv = kind == PRIVATE
    out[priv] = p["private_rd_intensity"] * tax_factor * (1.0 + 0.5 * s.long_horizon[slots][priv])
    soe = kind == SOE
    reformed = s.quality[slots] < p["soe_reform_share"]
    out[soe] = np.where(reformed[soe], p["reformed_soe_rd_intensity"], p["soe_rd_intensity"])
    out[kind == SME] = 0.08 * tax_factor
    # import substitution: firms in a cut-off field raise R&D
    out = out * np.where(cut & (kind != SOE), 1.5, 1.0)
    return out


def init_markets(m: InnovationModel) -> None:
    """Set each field's total demand from the initial firm revenues."""
    s = m.s
    firms = np.flatnonzero(s.alive[: s.n] & (s.kind[: s.n] <= SME))
    domestic = np.bincount(s.field[firms], s.weight[firms] * s.revenue[firms], minlength=N_FIELDS)
    m.import_share = IMPORT_SHARE_OF_DEPENDENCE * m.dependence
    # size = revenue divided by the market-share factors, so initial shares reproduce revenues
    rel = s.know[firms] - m.capability[s.field[firms]]
    factor = np.exp(BETA_KNOW * np.clip(rel, -1.0, 1.0)) * np.where(s.kind[firms] == SOE, SOE_MARKET_BONUS, 1.0)
    s.size[firms] = s.revenue[firms] / factor / 1e6
    m.demand0 = domestic / (1.0 - m.import_share)
    m.demand = m.demand0.copy()
    m.domestic_market = domestic


def step(m: InnovationModel) -> None:
    """Sell, pay operating costs, update foreign dependence and firm sizes."""
    p = m.params
    s = m.s
    rng = m.streams["markets"]
    acc = m.acc
    # dependence falls as capability nears the frontier
    gap0 = np.maximum(1.02 - m.capability0, 0.02)
    m.dependence = np.clip(m.dependence0 * (1.02 - m.capability) / gap0, 0.0, 1.0)
    m.import_share = IMPORT_SHARE_OF_DEPENDENCE * m.dependence
    m.demand = m.demand0 * (m.gdp_q / m.gdp0_q)
    imports = m.import_share.copy()
    output = np.ones(N_FIELDS)
    sev = p["cutoff_severity"]
    cut = m.cutoff
    # cut-off: imports stop; domestic firms cover them as far as capability allows and lose
    # output that depended on foreign components.
    substitution = np.clip(m.capability, 0.0, 1.0)
    imports[cut] = m.import_share[cut] * (1.0 - sev)
    covered = np.where(cut, (m.import_share - imports) * substitution, 0.0)
    output[cut] = np.clip(1.0 - sev * m.dependence[cut] * (1.0 - np.clip(m.capability[cut], 0, 1)) * 2.0, 0.2, 1.0)
    m.domestic_market = m.demand * (1.0 - m.import_share + covered) * output
    m.imports = m.demand * imports

    firms = np.flatnonzero(s.alive[: s.n] & (s.kind[: s.n] <= SME))
    f = s.field[firms]
    w = s.weight[firms]
    rel = s.know[firms] - m.capability[f]
    share_w = s.size[firms] * np.exp(BETA_KNOW * np.clip(rel, -1.0, 1.0))
    share_w = share_w * np.where(s.kind[firms] == SOE, SOE_MARKET_BONUS, 1.0)
    tot = np.bincount(f, w * share_w, minlength=N_FIELDS)
    price = np.where(tot > 0, m.domestic_market / np.where(tot > 0, tot, 1.0), 0.0)
    rev = share_w * price[f]
    s.revenue[firms] = rev
    acc.pay("sales", "market", firms, w * rev)
    # operating costs: part abroad (foreign inputs), the rest to domestic suppliers
    opex = (1.0 - p["gross_margin"]) * rev
    foreign_share = FOREIGN_INPUT_SHARE * m.dependence[f] * np.where(cut[f], 1.0 - sev, 1.0)
    acc.pay("foreign_inputs", firms, "foreign", w * opex * foreign_share)
    fixed = np.where(s.kind[firms] == SME, p["sme_fixed_cost"], 0.0)
    acc.pay("operating_costs", firms, "suppliers", w * (opex * (1.0 - foreign_share) + fixed))
    m.flow["sales"] += float(np.sum(w * rev))
    m.flow["foreign_inputs"] += float(np.sum(w * opex * foreign_share))
    # size dynamics: capability-driven drift, noise falling with size, equity-financed growth
    mean_know = np.bincount(f, w * s.know[firms], minlength=N_FIELDS) / np.maximum(
        np.bincount(f, w, minlength=N_FIELDS), 1e-12
    )
    sigma = SIGMA_SIZE * np.clip(s.size[firms], 1e-3, None) ** (-SIZE_NOISE_SLOPE)
    sigma = np.clip(sigma, 0.02, 0.6)
    equity = np.where(
        s.kind[firms] == SME, 0.5 * np.log1p(s.equity_in[firms] / (4.0 * rev + 1e6)), 0.0
    )
    drift = CHI_KNOW * (s.know[firms] - mean_know[f]) + equity
    s.size[firms] *= np.exp(drift + sigma * rng.standard_normal(firms.size))
    s.size[firms] = np.clip(s.size[firms], 1e-4, 1e6)
