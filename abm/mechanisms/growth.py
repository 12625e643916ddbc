"""Innovation feeds growth: technology in use, endogenous GDP, growth accounting, public procurement.

- **Technology in use** (per field, :data:`WorldState.productivity`): the world frontier times the
  field's output (below 1 when components are missing) times a Cobb-Douglas of the capability of the
  field's domestic firms (revenue-weighted, weight ``1 - component_cost_share``) and the capability of
  the key components they use (weight ``component_cost_share``): domestic purchases at the domestic
  supply capability, imports at the frontier. It rises with domestic capability and adopted technology
  (licences, services, spillovers and imported components).
- **Endogenous GDP** (``gdp_mode = "endogenous"``): GDP is the observed path times
  ``(A / A_ref) ** tfp_tech_elasticity``, where ``A`` is national technology in use (fields weighted by
  their 2015 demand) and ``A_ref`` its expected path (growing at ``tech_in_use_growth_ref``, the growth
  the observed path embodies). A field's price falls as its productivity rises above its expected path,
  and its nominal demand changes by ``(relative price) ** (1 - demand_price_elasticity)``. Pinned
  (the default, for calibration) leaves GDP and demand on the observed path exactly.
- **Growth accounting** (Solow 1957): each year, the residual ``g_Y - a g_K - (1 - a) g_L`` of the
  model's real GDP growth (nominal growth deflated at ``gdp_deflator_growth``; ``a = capital_share``,
  capital and employment growing at ``capital_growth`` and ``labour_growth``) is technological
  progress, and its share of GDP growth is the contribution of technological progress to growth (the
  outline's target of over 60%, OUT:82).
- **Public procurement** (OUT:264): the central government buys ``public_procurement`` of GDP of
  domestic innovative products, from firms at or above their field's national capability, across fields
  by their 2015 demand and within a field by size, output and capability (as the market shares them).
  The firms earn the sales (and pay their operating costs on them). First-set ordering of key
  components is the buyer subsidy ``first_set_support`` (abm.mechanisms.supply), not repeated here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from abm.components import OF_FIELD, WEIGHTS
from abm.contract import FLOW, STOCK, Mechanism, Output
from abm.fields import N_FIELDS, gdp
from abm.kinds import FIRMS, Kind

if TYPE_CHECKING:
    from abm.model import InnovationModel

STREAM = ""  # draws no random numbers


def field_productivity(m: InnovationModel) -> np.ndarray:
    """Technology in use per field (1 = world frontier in 2015), see the module docstring."""
    s = m.s
    w = m.world
    c = m.comp
    firms = s.of_group(FIRMS)
    f = s.field[firms]
    wr = s.weight[firms] * np.maximum(s.revenue[firms], 0.0)
    tot = np.bincount(f, wr, minlength=N_FIELDS)
    own = np.bincount(f, wr * np.maximum(s.know[firms], 0.0), minlength=N_FIELDS)
    own = np.where(tot > 0, own / np.maximum(tot, 1e-300), w.capability)
    d = c.domestic_share
    in_use = d * c.quality + (1.0 - d)  # domestic at domestic supply capability, imports at the frontier
    comp = np.sum(WEIGHTS * in_use[OF_FIELD], axis=1)
    phi = m.params["component_cost_share"]
    return w.frontier * w.output * np.maximum(own, 1e-6) ** (1.0 - phi) * np.maximum(comp, 1e-6) ** phi


def national_tech(m: InnovationModel, productivity: np.ndarray) -> float:
    """National technology in use: fields' productivity weighted by their 2015 demand."""
    d0 = m.world.demand0
    return float(np.sum(d0 * productivity) / max(float(np.sum(d0)), 1e-300))


def init_growth(m: InnovationModel) -> None:
    """Technology in use at the start; the growth accounting of the year before the start."""
    w = m.world
    w.productivity = field_productivity(m)
    w.productivity0 = w.productivity.copy()
    nat = m.nation
    nat.tech_in_use = 1.0
    nat.gdp_factor = 1.0
    g = m.params["gdp_growth"]
    nat.gdp_prev_year = gdp(m.start_year - 1, g)
    _account(m, gdp(m.start_year, g) / nat.gdp_prev_year - 1.0)


def _account(m: InnovationModel, g_nominal: float) -> None:
    """Solow residual and its share of real GDP growth (yearly rates; ``g_nominal`` nominal growth)."""
    p = m.params
    g_y = (1.0 + g_nominal) / (1.0 + p["gdp_deflator_growth"]) - 1.0
    a = p["capital_share"]
    inputs = a * p["capital_growth"] + (1.0 - a) * p["labour_growth"]
    nat = m.nation
    nat.tfp_growth = g_y - inputs
    # a share of growth only while GDP grows; reported as 0 when GDP does not grow (no growth to share)
    nat.tech_contribution = nat.tfp_growth / g_y if g_y > 1e-9 else 0.0


def gdp_factor(m: InnovationModel) -> float:
    """Factor by which GDP departs from the observed path this quarter (1.0 when pinned)."""
    return m.nation.gdp_factor if m.params["gdp_mode"] == "endogenous" else 1.0


def _expected(m: InnovationModel) -> float:
    """Expected growth factor of technology in use since the start (at ``tech_in_use_growth_ref``)."""
    return (1.0 + m.params["tech_in_use_growth_ref"]) ** (m.steps / 4.0)


def step(m: InnovationModel) -> None:
    """Measure technology in use; set next quarter's GDP factor and demand response; account yearly."""
    p = m.params
    w = m.world
    nat = m.nation
    w.productivity = field_productivity(m)
    nat.tech_in_use = national_tech(m, w.productivity) / max(national_tech(m, w.productivity0), 1e-300)
    expected = _expected(m)
    if p["gdp_mode"] == "endogenous":
        nat.gdp_factor = (nat.tech_in_use / expected) ** p["tfp_tech_elasticity"]
        rel = w.productivity / np.maximum(w.productivity0 * expected, 1e-300)  # price falls as 1 / rel
        w.demand_factor = rel ** (p["demand_price_elasticity"] - 1.0)
    else:
        nat.gdp_factor = 1.0
        w.demand_factor = np.ones(N_FIELDS)
    nat.gdp_ytd += nat.gdp_q
    if m.quarter == 3:
        _account(m, nat.gdp_ytd / nat.gdp_prev_year - 1.0)
        nat.gdp_prev_year = nat.gdp_ytd
        nat.gdp_ytd = 0.0


def _procure(m: InnovationModel) -> None:
    """The central government buys domestic innovative products (OUT:264)."""
    from abm.mechanisms.funding import gov_pay

    p = m.params
    share = p["public_procurement"]
    if share <= 0:
        return
    s = m.s
    w = m.world
    firms = s.of_group(FIRMS)
    f = s.field[firms]
    rel = s.know[firms] - w.capability[f]
    ok = rel >= 0.0
    firms, f, rel = firms[ok], f[ok], rel[ok]
    if firms.size == 0:
        return
    appeal = s.weight[firms] * np.maximum(s.size[firms] * s.output[firms], 0.0)
    appeal = appeal * np.exp(p["market_share_sensitivity"] * np.clip(rel, 0.0, 1.0))
    appeal = appeal * np.where(s.kind[firms] == Kind.SOE, p["soe_market_bonus"], 1.0)
    tot = np.bincount(f, appeal, minlength=N_FIELDS)
    budget = share * m.nation.gdp_q * w.demand0 / float(np.sum(w.demand0))
    budget = np.where(tot > 0, budget, 0.0)  # a field with no innovative firm gets nothing
    amount = appeal * budget[f] / np.maximum(tot[f], 1e-300)
    paid = gov_pay(m, "public_procurement", m.gov_central, firms, amount)
    s.revenue[firms] += amount / s.weight[firms]
    m.acc.pay("operating_costs", firms, "suppliers", (1.0 - p["gross_margin"]) * amount)
    m.flow["procurement_sales"] += paid


CONTRACT = Mechanism(
    name="growth",
    stream=STREAM,
    step=step,
    doc="Technology in use per field, endogenous GDP and demand, growth accounting (Solow residual).",
    outputs=(
        Output(
            "productivity_{}",
            "index (1 = world frontier in 2015)",
            STOCK,
            "Technology in use of the field (frontier x output x firms' and components' capability in use).",
            per="field",
            measure=lambda m: m.world.productivity,
        ),
        Output(
            "tech_in_use",
            "index (1 = 2015)",
            STOCK,
            "National technology in use (fields weighted by 2015 demand).",
            measure=lambda m: m.nation.tech_in_use,
        ),
        Output(
            "gdp_factor",
            "ratio",
            STOCK,
            "Next quarter's GDP relative to the observed path (1 when gdp_mode is 'pinned').",
            measure=gdp_factor,
        ),
        Output(
            "tfp_growth",
            "per year",
            STOCK,
            "Solow residual of the last complete year: real GDP growth less capital and labour growth weighted.",
            measure=lambda m: m.nation.tfp_growth,
        ),
        Output(
            "tech_progress_contribution",
            "share",
            STOCK,
            "Contribution of technological progress to GDP growth (tfp_growth / GDP growth, last complete "
            "year; OUT:82 target over 60%).",
            measure=lambda m: m.nation.tech_contribution,
        ),
    ),
)

PROCUREMENT = Mechanism(
    name="procurement",
    stream="",
    step=_procure,
    doc="Government procurement of domestic innovative products (OUT:264).",
    outputs=(Output("procurement_sales", "yuan", FLOW, "Government purchases of domestic innovative products."),),
)
