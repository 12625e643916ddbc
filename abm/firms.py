"""Firms' rules: SOE managers' R&D decision and incumbents' fixed costs.

SOE managers choose R&D to maximise what they are judged on.

An SOE manager picks the R&D intensity ``x`` (share of revenue) that maximises the assessed value of
R&D over the horizon the manager is judged on, within a profit floor and the cash the firm holds
(a rule in the Nelson-Winter / Keynes+Schumpeter spirit: the expected return of R&D against its cost as
the manager sees it):

    U(x) = kappa * g * beta * gap * H * (1 - exp(-x / x_h))  -  C * x          (per yuan of revenue)

- ``1 - exp(-x / x_h)``: the chance that R&D produces an innovation raising the firm's capability,
  with diminishing returns (``rd_return_half_intensity`` = x_h); the capability gained is larger the
  further the firm is from the frontier (``gap = 1.02 - know``, as in abm.mechanisms.research);
- ``g * beta``: the extra gross profit a unit of capability brings (gross margin times the market-share
  sensitivity of abm.mechanisms.markets);
- ``H``: the quarters over which the manager is judged (tenure): returns later than that do not count;
- ``C = (1 - r) + phi * (1 - tau)``: the cost of a yuan of R&D in the assessment: ``r`` is the share of
  R&D counted as profit (OUT:248), ``phi`` the penalty put on R&D at risk of failing and ``tau`` the
  tolerance of failure (OUT:266);
- ``kappa``: the return scale, calibrated once so that a manager judged by the 2015 rules (the
  defaults of the ``soe_*`` parameters) at the reference gap (the median gap of all SOEs at the
  time, so the sector's catching up as a whole does not by itself lower its R&D) chooses
  ``soe_rd_intensity`` (MP:107-110: central SOEs 2.5-3%).

The first-order condition gives ``x* = x_h * ln(kappa g beta gap H / (x_h C))``, that is

    x* = soe_rd_intensity + x_h * [ln(H / H_2015) + ln(gap / gap_ref) + ln(C_2015 / C)],

bounded below by 0 and above by the profit floor (operating margin after fixed costs minus
``soe_profit_floor``: managers are judged on profit margins too, and may not let R&D push the margin
below what SOEs kept during the 2020-2022 reform action) and by the cash the firm holds. Reform (``soe_reform_share``) changes only what
reformed managers are judged on (``reformed_soe_tenure_years``, ``reformed_soe_rd_as_profit``,
``reformed_soe_failure_tolerance``); the intensity they choose, and whether the firm can pay for it,
follow from the rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from abm.fields import N_FIELDS
from abm.kinds import Kind
from abm.params import PARAMS_BY_NAME

if TYPE_CHECKING:
    from abm.model import InnovationModel

#: Smallest assessed cost of a yuan of R&D (R&D counted fully as profit with full tolerance of failure
#: still uses cash the manager could show otherwise); keeps the rule finite.
MIN_ASSESSED_COST = 0.05


def reformed(m: InnovationModel, slots: np.ndarray) -> np.ndarray:
    """Whether each SOE slot is judged by the reformed rules (its reform rank is below the reform share)."""
    return m.s.quality[slots] < m.params["soe_reform_share"]


def assessed_cost(rd_as_profit: np.ndarray | float, tolerance: np.ndarray | float, penalty: float) -> np.ndarray:
    """Cost of a yuan of R&D in the manager's assessment: C = (1 - r) + phi (1 - tau)."""
    return np.maximum((1.0 - np.asarray(rd_as_profit)) + penalty * (1.0 - np.asarray(tolerance)), MIN_ASSESSED_COST)


def rd_intensity(m: InnovationModel, slots: np.ndarray) -> np.ndarray:
    """R&D intensity (share of revenue) each SOE manager chooses, before grants and subsidies."""
    p = m.params
    s = m.s
    if slots.size == 0:
        return np.zeros(0)
    ref = {k: PARAMS_BY_NAME[k].default for k in ("soe_tenure_years", "soe_rd_as_profit", "soe_failure_tolerance")}
    phi = p["soe_failure_penalty"]
    ref_cost = float(assessed_cost(ref["soe_rd_as_profit"], ref["soe_failure_tolerance"], phi))
    ref_h = ref["soe_tenure_years"]
    ref_x = p["soe_rd_intensity"]
    r = reformed(m, slots)
    horizon = np.where(r, p["reformed_soe_tenure_years"], p["soe_tenure_years"])
    cost = assessed_cost(
        np.where(r, p["reformed_soe_rd_as_profit"], p["soe_rd_as_profit"]),
        np.where(r, p["reformed_soe_failure_tolerance"], p["soe_failure_tolerance"]),
        phi,
    )
    gap = np.maximum(1.02 - s.know[slots], 0.02)
    every_soe = s.of_kind(Kind.SOE)
    if every_soe.size:  # the reference moves with the sector: distance matters relative to other SOEs
        m.nation.soe_gap_ref = float(np.median(np.maximum(1.02 - s.know[every_soe], 0.02)))
    xh = p["rd_return_half_intensity"]
    x = ref_x + xh * (np.log(horizon / ref_h) + np.log(gap / m.nation.soe_gap_ref) + np.log(ref_cost / cost))
    return np.clip(x, 0.0, _affordable(m, slots))


def rd_price(m: InnovationModel) -> float:
    """After-tax price of a yuan of R&D relative to the 2015 rule (50% extra deduction)."""
    p = m.params
    t = p["corporate_tax_rate"]
    return max((1.0 - t * (1.0 + p["rd_super_deduction"])) / (1.0 - t * 1.5), 0.05)


def owner_rd_intensity(m: InnovationModel, slots: np.ndarray) -> np.ndarray:
    """R&D intensity (share of revenue) private owners and start-up founders choose from expected returns.

    The same rule as SOE managers' (module docstring) with the owner's own terms: the horizon over
    which returns count (``enterprise_horizon_years``; ``private_long_horizon_years`` for the firms that
    plan research over more than 10 years, MP:115-117), the after-tax price of R&D
    (``rd_super_deduction``, :func:`rd_price`) in place of the assessment's cost, the distance to the
    frontier relative to the kind's sales-weighted mean (:func:`_gap_reference`), and the market a domestic substitute would win where no
    one supplies a component (``substitution_rd_response`` x the field's unserved share: expected
    extra profit per unit of capability):

        x* = x_ref + x_h [ln(H / H_ref) + ln(gap / gap_ref) + ln(P_2015 / P) + ln(1 + s u)]

    ``x_ref`` is set so that the kind's sales-weighted mean intensity under 2015 conditions is
    ``private_rd_intensity`` (SMEs: ``sme_rd_intensity``). Private firms spend at most their operating margin after fixed costs and
    their cash; start-ups (who spend investors' equity besides revenue, abm.mechanisms.research) their cash.
    """
    from abm.mechanisms.markets import substitution_opportunity

    p = m.params
    s = m.s
    out = np.zeros(slots.size)
    if slots.size == 0:
        return out
    kind = s.kind[slots]
    xh = p["rd_return_half_intensity"]
    h_short, h_long = p["enterprise_horizon_years"], p["private_long_horizon_years"]
    long_bonus = xh * np.log(h_long / h_short)
    opp = substitution_opportunity(m)[s.field[slots]]
    common = xh * (np.log(1.0 / rd_price(m)) + np.log1p(p["substitution_rd_response"] * opp))
    for k, x_mean in ((Kind.PRIVATE, p["private_rd_intensity"]), (Kind.SME, p["sme_rd_intensity"])):
        sel = kind == k
        if not sel.any():
            continue
        gap = np.maximum(1.02 - s.know[slots[sel]], 0.02)
        gap_ref = _gap_reference(m, k)
        x = x_mean + xh * np.log(gap / gap_ref) + common[sel]
        if k == Kind.PRIVATE:
            lh = s.long_horizon[slots[sel]] == 1
            x += long_bonus * (lh - p["private_long_horizon_share"])
            out[sel] = np.clip(x, 0.0, _affordable(m, slots[sel], 0.0))
        else:
            out[sel] = np.maximum(x, 0.0)
    return out


def _gap_reference(m: InnovationModel, kind: Kind) -> float:
    """Sales-weighted geometric mean distance to the frontier of a kind's firms: the reference of the
    owners' rule, so the kind's aggregate intensity is its anchor whatever the spread of distances, and
    the kind's catching up as a whole does not by itself lower its R&D.
    """
    s = m.s
    every = s.of_kind(kind)
    gap = np.maximum(1.02 - s.know[every], 0.02)
    w = s.weight[every] * np.maximum(s.revenue[every], 0.0)
    total = float(np.sum(w))
    if total <= 0:
        return float(np.exp(np.mean(np.log(gap)))) if every.size else 1.0
    return float(np.exp(np.sum(w * np.log(gap)) / total))


def research_mix(m: InnovationModel, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Factors on a firm's basic and applied shares from the horizon and risk its decision-maker weighs.

    Research pays later and fails more often than development. A decision-maker values a research
    line by the share of its payoff that matures within the horizon it is judged on (the mean
    maturity of abm.mechanisms.projects, with gestation ``risk_gestation_years`` for basic and half of
    it for applied research) times what the assessment leaves of the risk of failing
    (``1 - soe_failure_penalty x (1 - tolerance) x risk``, risk ``research_failure_risk`` for basic and
    half of it for applied research; owners bear their own risk, so it does not change). The factor is this value relative to
    the kind's reference decision-maker (unreformed SOE managers; owners with
    ``enterprise_horizon_years``), so reference firms keep the 2015 shares and the reform of SOEs
    and long horizons shift research toward basic and applied work only through what they change.
    """
    p = m.params
    s = m.s
    kind = s.kind[slots]
    g = p["risk_gestation_years"]
    phi = p["soe_failure_penalty"]

    def value(years: np.ndarray, tolerance: np.ndarray, gestation: float, risk: float) -> np.ndarray:
        # mean maturity over the horizon (as abm.mechanisms.projects.mean_maturity) x risk left
        q = np.maximum(np.rint(4.0 * np.asarray(years, dtype=float)), 1.0)
        mat = 1.0 - (4.0 * gestation) / q * (1.0 - np.exp(-q / (4.0 * gestation)))
        return mat * np.maximum(1.0 - phi * (1.0 - np.asarray(tolerance)) * risk, MIN_ASSESSED_COST)

    years = np.full(slots.size, float(p["enterprise_horizon_years"]))
    ref_years = years.copy()
    tol = np.ones(slots.size)
    ref_tol = np.ones(slots.size)
    lh = (kind == Kind.PRIVATE) & (s.long_horizon[slots] == 1)
    years[lh] = p["private_long_horizon_years"]
    soe = kind == Kind.SOE
    if soe.any():
        r = reformed(m, slots[soe])
        ref = {k: PARAMS_BY_NAME[k].default for k in ("soe_tenure_years", "soe_failure_tolerance")}
        years[soe] = np.where(r, p["reformed_soe_tenure_years"], p["soe_tenure_years"])
        tol[soe] = np.where(r, p["reformed_soe_failure_tolerance"], p["soe_failure_tolerance"])
        ref_years[soe] = ref["soe_tenure_years"]
        ref_tol[soe] = ref["soe_failure_tolerance"]
    rb = p["research_failure_risk"]
    basic = value(years, tol, g, rb) / value(ref_years, ref_tol, g, rb)
    applied = value(years, tol, 0.5 * g, 0.5 * rb) / value(ref_years, ref_tol, 0.5 * g, 0.5 * rb)
    return basic, applied


def _affordable(m: InnovationModel, slots: np.ndarray, floor: float | None = None) -> np.ndarray:
    """Highest intensity the profit floor (default ``soe_profit_floor``) and the firm's cash allow."""
    p = m.params
    s = m.s
    rev = s.revenue[slots]
    safe = np.where(rev > 0, rev, 1.0)
    margin = p["gross_margin"] - fixed_cost(m, slots) / safe
    by_profit = np.maximum(margin - (p["soe_profit_floor"] if floor is None else floor), 0.0)
    by_cash = np.maximum(s.cash[slots], 0.0) / safe
    return np.where(rev > 0, np.minimum(by_profit, by_cash), 0.0)


def fixed_cost(m: InnovationModel, slots: np.ndarray) -> np.ndarray:
    """Fixed cost per quarter of private firms and SOEs (yuan per quarter per actor).

    Proportional to the firm's capacity (``size``) and priced at its field's domestic sales per unit of
    capacity: ``fixed_cost_share`` of what a firm of that capacity sells at the field's average
    capability. A firm whose capability falls behind its field's sells less than that and makes losses.
    """
    from abm.kinds import FIRMS

    s = m.s
    firms = s.of_group(FIRMS)
    cap = np.bincount(s.field[firms], s.weight[firms] * s.size[firms], minlength=N_FIELDS)
    per_cap = np.where(cap > 0, m.world.domestic_market / np.where(cap > 0, cap, 1.0), 0.0)
    return m.params["fixed_cost_share"] * s.size[slots] * per_cap[s.field[slots]]
