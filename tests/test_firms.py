"""Firms that decide (issue 11, items 3 and 4): SOE managers' R&D rule, bank credit, exit, the
incubation chain, and firm-size facts that emerge from equal initial sizes."""

from __future__ import annotations

import numpy as np
import pytest

from abm import InnovationModel
from abm import firms as firm_rules
from abm.contract import new_quarter
from abm.kinds import FIRMS, Kind
from abm.mechanisms import entry
from experiments.calibration import facts

REFORM_SEEDS = range(10)


def _soe_choice(**params) -> np.ndarray:
    m = InnovationModel(seed=1, **params)
    return firm_rules.rd_intensity(m, m.s.of_kind(Kind.SOE))


def test_soe_rule_follows_what_managers_are_judged_on():
    base = _soe_choice(soe_reform_share=0.0)
    reformed = _soe_choice(soe_reform_share=1.0)
    assert (reformed >= base).all() and reformed.mean() > base.mean() + 0.01
    # each part of the evaluation moves the choice the right way, for unreformed managers too
    for name, low, high in (
        ("soe_tenure_years", 2.0, 6.0),
        ("soe_rd_as_profit", 0.0, 1.0),
        ("soe_failure_tolerance", 0.0, 1.0),
    ):
        lo, hi = _soe_choice(**{name: low}), _soe_choice(**{name: high})
        assert (hi >= lo).all() and hi.mean() > lo.mean(), name
    # at the 2015 rules the median SOE chooses about soe_rd_intensity
    assert np.median(base) == pytest.approx(0.025, abs=0.006)


def test_soe_rule_is_bounded_by_profit_floor_and_cash():
    m = InnovationModel(seed=1, soe_reform_share=1.0, reformed_soe_tenure_years=15.0)
    s = m.s
    soe = s.of_kind(Kind.SOE)
    x = firm_rules.rd_intensity(m, soe)
    assert (x <= m.params["gross_margin"] - m.params["soe_profit_floor"] + 1e-12).all()
    m.acc.pay("test_drain", soe, "suppliers", s.weight[soe] * s.cash[soe])  # no cash, no R&D
    assert (firm_rules.rd_intensity(m, soe) < 1e-9).all()


def test_soe_agents_are_subsidiaries_of_realistic_size():
    m = InnovationModel(seed=3, soe_reform_share=0.6)
    for _ in range(2):
        s = m.s
        soe = s.of_kind(Kind.SOE)
        rev = s.weight[soe] * s.revenue[soe]
        assert rev.max() / rev.sum() < 0.10
        m.run(years=15)


@pytest.mark.slow
def test_soe_reform_stays_within_what_financing_allows():
    """Issue 11's check: R&D/GDP 2030 under the reform scenario below 3.6% in every one of 10 seeds, and
    SOE cash never negative.

    Measured 2026-11-23 with the profit floor at the margin SOEs kept during the 2020-2022 reform action
    (6%): 2.76-3.29% (baseline 2.46-2.85%); after the make-or-buy technology market merged, 2.78-3.41%
    (baseline 2.47-3.02%). The answer rests on that floor: at 4% the same seeds give
    3.05-3.55%, at the former assumption 2% 3.11-3.70% (docs/ODD.md, honest list).
    """
    values = []
    for seed in REFORM_SEEDS:
        m = InnovationModel.from_scenario("soe_reform", seed=seed)
        s = m.s
        for _ in range(64):  # 2015-2030
            m.step()
            soe = s.of_kind(Kind.SOE)
            assert (s.cash[soe] >= 0).all(), f"seed {seed}: SOE cash negative at step {m.steps}"
        y = m.yearly().set_index("year")
        values.append(float(y.loc[2030, "rd_intensity"]))
    assert max(values) < 0.036, sorted(round(v, 4) for v in values)
    # the reform still raises R&D/GDP: 10-seed mean 2.96% against the baseline's 2.66% (measured 2026-11-23)
    assert np.mean(values) > 0.028, values


def test_profit_floor_bounds_what_reformed_managers_spend():
    """The profit constraint is what limits the reform: a higher floor (a margin SOEs must keep) lowers the
    R&D reformed managers choose, never raises it; at no floor they choose what the evaluation alone says."""
    choices = [_soe_choice(soe_reform_share=1.0, soe_profit_floor=f) for f in (0.0, 0.02, 0.04, 0.06, 0.08)]
    for lo, hi in zip(choices[1:], choices[:-1], strict=True):
        assert (lo <= hi + 1e-15).all() and lo.mean() < hi.mean()
    assert np.median(choices[-1]) < np.median(choices[0]) - 0.02


def _sum(y, col: str) -> float:
    return float(y[col].sum())


def _exits_after_one_credit_round(**params) -> tuple[float, float]:
    """Private firms near their credit limit with little cash: interest, borrowing, exits of one quarter."""
    m = InnovationModel(seed=4, **params).run(steps=2)
    s = m.s
    pr = s.of_kind(Kind.PRIVATE)
    s.debt[pr] = 0.9 * m.params["credit_limit_revenue"] * 4.0 * s.revenue[pr]
    target = np.linspace(-0.02, 0.02, pr.size) * s.revenue[pr]  # cash from -2% to +2% of a quarter's sales
    m.acc.pay("test_set_cash", pr, "suppliers", s.weight[pr] * (s.cash[pr] - target))
    m.flow = new_quarter(m.mechanisms)
    entry._credit(m, pr)
    entry._exits(m)
    return float(m.flow["firm_exits"][Kind.PRIVATE]), float(m.flow["bank_lending"])


def test_dearer_and_scarcer_credit_mean_more_exits():
    rates = [_exits_after_one_credit_round(loan_interest_rate=r, credit_limit_revenue=0.02)[0] for r in (0.0, 0.1, 0.3)]
    assert rates[0] < rates[1] < rates[2], rates
    exits_no_credit, lent = _exits_after_one_credit_round(credit_limit_revenue=0.0)
    exits_credit, lent_credit = _exits_after_one_credit_round(credit_limit_revenue=0.5)
    assert lent == 0 and lent_credit > 0
    assert exits_no_credit > exits_credit


def test_soft_budget_decides_whether_soes_can_exit():
    def broke_soes(soft: bool):
        m = InnovationModel(seed=4, soe_soft_budget=soft)
        s = m.s
        soe = s.of_kind(Kind.SOE)[:5]
        limit = m.params["credit_limit_revenue"] * 4.0 * s.revenue[soe]
        m.acc.pay("test_drain", soe, "suppliers", s.weight[soe] * (s.cash[soe] + 2.0 * limit))
        m.step()
        return m.quarterly().iloc[-1]

    soft, hard = broke_soes(True), broke_soes(False)
    assert soft["firm_exits_soe"] == 0 and soft["soe_injections"] > 0
    assert hard["firm_exits_soe"] > 0 and hard["soe_injections"] == 0


def test_more_venture_capital_and_more_ideas_mean_more_startups():
    def births(**params) -> float:
        return _sum(InnovationModel(seed=5, spinoff_rate=0.0, **params).run(years=3).yearly(), "sme_births")

    base = births()
    assert births(vc_fundraising=6e11) > 1.1 * base
    assert births(makerspace_inflow=8e5) > 1.1 * base
    assert births(makerspace_inflow=0.0) == 0


def test_technology_opportunity_raises_the_inflow_of_projects():
    m = InnovationModel(seed=5)
    before = entry._inflow(m).copy()
    m.world.science[0] *= 4.0
    after = entry._inflow(m)
    assert after[0] == pytest.approx(2.0 * before[0])
    assert np.allclose(after[1:], before[1:])


def test_vc_money_is_matched_to_ready_projects():
    m = InnovationModel(seed=5)
    w = m.world
    ready = w.accelerator / m.params["incubation_stage_quarters"]
    v = entry.vc_deployable(m)
    d = float(ready.sum()) * m.params["seed_money"]
    founded = entry._pipeline(m)
    assert founded.sum() == pytest.approx(float(ready.sum()) * v / (v + d))


def _size_and_growth_facts(seed: int) -> tuple[dict, dict]:
    """Firm revenue tail (all firms, real actors) after 15 years, and growth over the 16th year."""
    m = InnovationModel(seed=seed, equal_initial_sizes=True)
    s = m.s
    m.run(years=15)
    f0 = s.of_group(FIRMS)
    uid0, rev0 = s.uid[f0].copy(), s.revenue[f0].copy()
    m.run(years=1)
    f1 = s.of_group(FIRMS)
    tail = facts.powerlaw_mle(s.revenue[f1], s.weight[f1])
    same = s.alive[f0] & (s.uid[f0] == uid0) & (rev0 > 0) & (s.revenue[f0] > 0)
    g = np.log(s.revenue[f0[same]] / rev0[same])
    return tail, facts.growth_stats(g, rev0[same], s.weight[f0[same]])


def test_equal_initial_sizes_mean_equal_sizes_within_each_kind():
    m = InnovationModel(seed=2, equal_initial_sizes=True)
    s = m.s
    for kind in FIRMS:
        sl = s.of_kind(kind)
        assert np.allclose(s.revenue[sl], s.revenue[sl][0])


@pytest.mark.slow
def test_size_tail_and_laplace_growth_emerge_from_equal_sizes():
    """From equal sizes (within each kind), entry, exit and growth give a heavy tail and tent-shaped growth.

    Criteria (MODEL.md stylised facts, written before the run): power-law density exponent of firm revenue
    between 1.8 and 3.2; growth rates fatter-tailed than normal (excess kurtosis > 1, Laplace fits better
    than normal) with spread falling with size (beta > 0.05).
    """
    for seed in (0, 1):
        tail, growth = _size_and_growth_facts(seed)
        assert 1.8 < tail["alpha"] < 3.2, tail
        assert growth["excess_kurtosis"] > 1.0 and growth["ll_laplace_minus_normal"] > 0, growth
        assert growth["beta"] > 0.05, growth


def test_a_large_soe_agent_splits_without_changing_any_total():
    from tests.conftest import assert_conserved, run_with_stocks

    m = InnovationModel(seed=6)
    s = m.s
    soe = s.of_kind(Kind.SOE)
    s.size[soe[0]] *= 50.0  # it takes most of its field's SOE sales at the next market step
    n_soe, weight = soe.size, float(s.weight[soe].sum())
    stocks = run_with_stocks(m, 1)
    assert_conserved(m, stocks)
    assert m.quarterly()["soe_splits"].iloc[-1] >= 1
    soe = s.of_kind(Kind.SOE)
    assert soe.size > n_soe and float(s.weight[soe].sum()) == pytest.approx(weight)
    rev = s.weight[soe] * s.revenue[soe]
    assert rev.max() / rev.sum() <= entry.SOE_SPLIT_SHARE or (s.weight[soe][rev.argmax()] < 2.0)
    # the halves are the same actor per real firm, half the weight each
    twins = soe[np.isclose(s.know[soe], s.know[soe[0]])]
    assert twins.size >= 2 and np.allclose(s.cash[twins], s.cash[twins][0])
