"""Local governments compete for firms: incentive packages, where start-ups settle, adaptive offers.

Local governments promote technology development in their regions (OUT:228) and build regional
innovation systems that "lack distinctive features and have similar functions" (NT:211); part of what
they fund duplicates other regions' work (MP:52, 71), and the outline asks to break "market
segmentation" (OUT:264). Here each region's local government (``model.gov_local``) bids for new firms:

- **Offer.** A local government pays each new firm that settles in its region an incentive (``offer``,
  yuan per firm: a subsidy or tax rebate), from a budget of ``local_incentive_budget`` x GDP a year split
  over the regions by their share of firms (its fiscal capacity); when the quarter's new firms ask for
  more than that, it pays what the budget allows, pro rata. A central cap (``local_incentive_cap``,
  yuan per firm) bounds every offer.
- **Choice.** A founder chooses the region of the start-up on what it expects there: the region's own
  pull (market, knowledge spillovers, talent pool and costs: its share of firms in REGION_LAYOUTS, held
  fixed) plus the incentive, valued against idiosyncratic preferences of spread
  ``location_preference_scale`` seed-money units (a logit: odds of region r proportional to
  base share x exp(offer / (scale x seed money))). Spin-offs stay in their parent's region (they get the
  incentive all the same).
- **Adaptation.** After the quarter's births each government compares the share of new firms it won
  with its share at equal offers: one that lost firms to other regions raises its offer by
  ``incentive_step`` seed-money units; one whose offers asked more than its budget cuts the offer to what
  the budget paid. No region plans the race: if all raise, shares stay where they were and the money
  only goes to firms that would have come anyway (incentives dissipate), until budgets or the cap bind.
With ``local_incentive_budget`` = 0 (the default) no offer is made and nothing changes. Relocation of
existing firms is not modelled (only where new firms settle).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from abm.contract import FLOW, STOCK, Mechanism, Output
from abm.fields import REGION_LAYOUTS
from abm.kinds import FIRMS
from abm.mechanisms.funding import gov_pay
from abm.state import RegionState

if TYPE_CHECKING:
    from abm.model import InnovationModel

STREAM = ""  # draws nothing: births draw their region from the entry stream


def init_location(m: InnovationModel) -> None:
    """No offers at the start; the base share of each region is its share of firms in the layout."""
    r = m.regions = RegionState(m.n_regions)
    share = np.array([x[1] for x in REGION_LAYOUTS[m.params["regions"]]], dtype=float)
    r.base_share = share / share.sum()


def _seed(m: InnovationModel) -> float:
    """Seed money of a start-up now (founding costs grow with nominal GDP, abm.mechanisms.entry)."""
    return m.params["seed_money"] * (m.nation.gdp_q / m.nation.gdp0_q)


def birth_odds(m: InnovationModel, base: np.ndarray) -> np.ndarray:
    """Probability that a founder settles in each region: ``base`` share x exp(offer / preference spread).

    With no offers anywhere it is ``base / base.sum()`` exactly (the draws are those without competition).
    """
    offer = m.regions.offer
    if not offer.any():
        return base / base.sum()
    spread = m.params["location_preference_scale"] * max(_seed(m), 1e-9)
    u = np.log(np.maximum(base, 1e-300)) + (offer - offer.max()) / spread
    p = np.exp(u)
    return p / p.sum()


def settle(m: InnovationModel, slots: np.ndarray) -> None:
    """New firms ``slots`` settled this quarter: count them per region and pay the offers (within budget)."""
    s = m.s
    reg = m.regions
    r = s.region[slots]
    w = s.weight[slots]
    reg.births = reg.births + np.bincount(r, w, minlength=m.n_regions)
    if not reg.offer.any():
        return
    ask = reg.offer[r] * w
    asked = np.bincount(r, ask, minlength=m.n_regions)
    reg.asked = reg.asked + asked
    room = np.maximum(reg.capacity - reg.spend, 0.0)
    part = np.minimum(1.0, np.divide(room, asked, out=np.zeros_like(room), where=asked > 0))
    paid = ask * part[r]
    for i, gov in enumerate(m.gov_local):
        sel = (r == i) & (paid > 0)
        if sel.any():
            gov_pay(m, "location_incentive", int(gov), slots[sel], paid[sel])
    reg.spend = reg.spend + np.bincount(r, paid, minlength=m.n_regions)
    m.flow["local_incentives"] += float(paid.sum())
    m.flow["incentive_firms"] += float(np.sum(w[paid > 0]))


def step(m: InnovationModel) -> None:
    """Local governments adjust their offers to the quarter's births and budgets; a new quarter's budget."""
    p = m.params
    reg = m.regions
    budget = p["local_incentive_budget"] * m.nation.gdp_q
    if budget <= 0 and not reg.offer.any():
        reg.births = np.zeros(m.n_regions)
        return
    total = float(reg.births.sum())
    if total > 0 and budget > 0:
        lost = reg.births / total < reg.base_share
        reg.offer = reg.offer + lost * p["incentive_step"] * _seed(m)
    # the budget binds: cut the offer to what the budget paid
    over = reg.asked > reg.capacity
    paid = np.divide(reg.capacity, reg.asked, out=np.ones_like(reg.asked), where=over)
    reg.offer = reg.offer * paid
    reg.offer = np.clip(reg.offer, 0.0, p["local_incentive_cap"])
    reg.capacity = budget * reg.base_share
    reg.births = np.zeros(m.n_regions)
    reg.asked = np.zeros(m.n_regions)
    reg.spend = np.zeros(m.n_regions)


def region_hhi(m: InnovationModel) -> float:
    """Herfindahl index of firms (real counts, all kinds of firm) over regions."""
    s = m.s
    firms = s.of_group(FIRMS)
    by = np.bincount(s.region[firms], s.weight[firms], minlength=m.n_regions)
    tot = float(by.sum())
    return float(np.sum((by / tot) ** 2)) if tot > 0 else 0.0


def _mean_offer(m: InnovationModel) -> float:
    reg = m.regions
    return float(np.sum(reg.base_share * reg.offer))


CONTRACT = Mechanism(
    name="location",
    stream=STREAM,
    step=step,
    doc="Local governments bid for new firms with incentives within their budgets; founders choose regions "
    "on the offer and the region's pull; offers adapt to firms lost and budgets.",
    outputs=(
        Output(
            "local_incentives", "yuan", FLOW, "Incentives local governments paid new firms to settle in their region."
        ),
        Output("incentive_firms", "firms", FLOW, "New firms that received a local incentive."),
        Output(
            "incentive_offer",
            "yuan per firm",
            STOCK,
            "Local governments' incentive per new firm (mean over regions weighted by their base share).",
            measure=_mean_offer,
        ),
        Output(
            "firm_region_hhi",
            "index (0-1)",
            STOCK,
            "Regional concentration of firms: Herfindahl index of firm counts over regions.",
            measure=region_hhi,
        ),
    ),
)
