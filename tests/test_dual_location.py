"""Dual appointments (abm.mechanisms.dual) and local governments' competition for firms
(abm.mechanisms.location): conservation, negative controls, responses and determinism."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from abm import InnovationModel
from abm.contract import new_quarter
from abm.kinds import FIRMS, INSTITUTIONS, PERFORMERS, in_group
from abm.mechanisms import dual, location
from tests.conftest import assert_conserved, run_with_stocks

DUAL = {"dual_appointment_cap": 0.2}
BIDS = {"local_incentive_budget": 2e-4}
NEW_COLUMNS = [
    "dual_appointees",
    "dual_fte",
    "dual_host_firms",
    "dual_fees",
    "local_incentives",
    "incentive_firms",
    "incentive_offer",
    "firm_region_hhi",
]


def _without(model: InnovationModel, names: tuple[str, ...]) -> InnovationModel:
    """The model with the named mechanisms' steps replaced by no-ops (their columns stay declared)."""
    model.mechanisms = tuple(
        dataclasses.replace(c, step=lambda m: None) if c.name in names else c for c in model.mechanisms
    )
    model.flow = new_quarter(model.mechanisms)
    return model


def _fte(m: InnovationModel) -> float:
    s = m.s
    perf = s.of_group(PERFORMERS)
    t = m.params["dual_time_share"]
    return float(np.sum(s.weight[perf] * (s.researchers[perf] + t * (s.dual_in[perf] - s.dual_out[perf]))))


# --------------------------------------------------------------------------------------------------
# dual appointments
# --------------------------------------------------------------------------------------------------
def test_off_by_default_and_switched_off_changes_nothing_else():
    """At the default (cap 0) no post exists, and the run equals one without the two mechanisms at all."""
    on = InnovationModel(seed=3).run(years=2)
    off = _without(InnovationModel(seed=3), ("dual", "location")).run(years=2)
    q_on, q_off = on.quarterly(), off.quarterly()
    assert (q_on[["dual_appointees", "dual_fees", "local_incentives"]] == 0).all().all()
    assert on.dual.n == 0 and not on.regions.offer.any()
    cols = [c for c in q_on.columns if c not in NEW_COLUMNS]
    pd.testing.assert_frame_equal(q_on[cols], q_off[cols])


def test_dual_conserves_money_people_headcount_and_fte():
    """Money and people through the ledger; the dual step itself moves no researcher and keeps national FTE."""
    m = InnovationModel(seed=5, **DUAL)
    stocks = run_with_stocks(m, 6)
    assert_conserved(m, stocks)
    assert m.dual.n > 0 and m.quarterly()["dual_fees"].iloc[-1] > 0
    researchers = m.s.researchers.copy()
    fte_before = _fte(m)
    m.flow = new_quarter(m.mechanisms)
    dual.step(m)
    np.testing.assert_array_equal(m.s.researchers, researchers)  # headcount: nobody moves
    assert _fte(m) == pytest.approx(fte_before, rel=1e-12)  # time is lent, not lost
    s = m.s
    n = s.n
    lent = float(np.sum(s.weight[:n] * s.dual_out[:n]))
    hosted = float(np.sum(s.weight[:n] * s.dual_in[:n]))
    assert lent == pytest.approx(hosted, rel=1e-12) == pytest.approx(float(m.dual.persons.sum()), rel=1e-12)
    # posts stay within the cap, at institutions, hosted by firms
    cap = m.params["dual_appointment_cap"] * s.researchers[:n]
    assert np.all(s.dual_out[:n] <= cap + 1e-9)
    assert in_group(s.kind[m.dual.inst], INSTITUTIONS).all() and in_group(s.kind[m.dual.firm], FIRMS).all()


def test_lowering_the_cap_ends_posts_pro_rata():
    m = InnovationModel(seed=5, **DUAL).run(steps=6)
    held = float(m.dual.persons.sum())
    m.set_params(dual_appointment_cap=0.05)
    m.step()
    s = m.s
    assert float(m.dual.persons.sum()) < held
    assert np.all(s.dual_out[: s.n] <= 0.05 * s.researchers[: s.n] + 1e-9)
    m.set_params(dual_appointment_cap=0.0)
    m.step()
    assert m.dual.n == 0 and not s.dual_in[: s.n].any() and not s.dual_out[: s.n].any()


def test_host_firms_gain_capability_over_comparable_firms():
    """Paired seeds, 2 years: firms that hosted appointees end with more capability (vs the same firm in the
    run without dual posts) than firms that did not, by at least 0.005 of the frontier (measured 0.012-0.015
    over seeds 1-3)."""
    for seed in (1, 2):
        on = InnovationModel(seed=seed, **DUAL)
        off = InnovationModel(seed=seed)
        n0 = on.s.n
        uid0 = on.s.uid[:n0].copy()
        hosted = np.zeros(n0, bool)
        for _ in range(8):
            on.step()
            off.step()
            hosted |= on.s.dual_in[:n0] > 0
        s1, s0 = on.s, off.s
        same = s1.alive[:n0] & s0.alive[:n0] & (s1.uid[:n0] == uid0) & (s0.uid[:n0] == uid0)
        same &= in_group(s1.kind[:n0], FIRMS)
        gain = s1.know[:n0] - s0.know[:n0]
        assert hosted[same].sum() > 50 and (~hosted[same]).sum() > 50
        assert gain[same & hosted].mean() - gain[same & ~hosted].mean() > 0.005


def test_a_dual_post_moves_knowledge_and_money_as_stated():
    """One post by hand: the firm gains dual_knowledge x FTE share x gap, the institution is paid the fee."""
    m = InnovationModel(seed=2, dual_appointment_cap=0.1, dual_take_up=0.0)
    s = m.s
    inst = s.of_group(INSTITUTIONS)
    firms = s.of_group(FIRMS)
    i = int(inst[np.argmax(s.know[inst])])
    f = int(firms[(s.field[firms] == s.field[i]) & (s.know[firms] < s.know[i])][0])
    s.cash[f] = 1e12
    persons = 0.05 * s.weight[i] * s.researchers[i]
    m.dual.add(m, np.array([i]), np.array([f]), np.array([persons]))
    m.params["dual_tenure_years"] = 20.0
    k_f, k_i = s.know_c[f].copy(), s.know_c[i].copy()
    cash_i = s.cash[i]
    m.flow = new_quarter(m.mechanisms)
    m.streams[dual.STREAM] = np.random.default_rng(0)
    dual.step(m)
    if m.dual.n == 0:  # the random end of tenure (p = 1/80) drew this post: nothing to check
        pytest.skip("post ended at random")
    t, phi = m.params["dual_time_share"], m.params["dual_knowledge"]
    fte = t * persons
    share = fte / (s.weight[f] * s.researchers[f] + fte)
    np.testing.assert_allclose(s.know_c[f], k_f + phi * share * np.maximum(k_i - k_f, 0.0), rtol=1e-12)
    fee = float(dual._fee(m, np.array([f]), np.array([persons]))[0])
    assert s.cash[i] == pytest.approx(cash_i + fee / s.weight[i], rel=1e-12)
    assert s.dual_in[f] * s.weight[f] == pytest.approx(persons)


def test_dual_is_deterministic():
    a = InnovationModel(seed=9, **DUAL, **BIDS).run(years=2)
    b = InnovationModel(seed=9, **DUAL, **BIDS).run(years=2)
    assert a.indicator_hash() == b.indicator_hash()
    assert a.quarterly()["dual_appointees"].iloc[-1] > 0


# --------------------------------------------------------------------------------------------------
# local governments compete for firms
# --------------------------------------------------------------------------------------------------
def test_bidding_conserves_money_and_is_paid_by_local_governments():
    m = InnovationModel(seed=4, **BIDS)
    stocks = run_with_stocks(m, 8)
    assert_conserved(m, stocks)
    led = m.ledger()
    paid = led[led["kind"] == "location_incentive"]
    assert paid["amount"].sum() == pytest.approx(m.quarterly()["local_incentives"].sum(), rel=1e-9)
    assert set(paid["source"]) == {"gov_local"}
    assert paid["amount"].sum() > 0


def test_founders_follow_the_offer():
    """Paired seeds: a region offered one seed-money unit per firm (others nothing, no adaptation, budget not
    binding) wins a larger share of births than in the same run without offers: expected odds x e, so
    east's share rises from ~0.61 to ~0.81; asserted > +0.08 over 4 seeds pooled."""
    share = {}
    for offer in (0.0, 1.0):
        born = np.zeros(3)
        for seed in range(4):
            m = InnovationModel(seed=seed, local_incentive_budget=0.005, incentive_step=0.0)
            m.regions.offer[0] = offer * m.params["seed_money"]
            m.regions.capacity[:] = 1e15
            for _ in range(8):
                m.step()
                m.regions.capacity[:] = 1e15  # the budget never binds, the offer stays
                if offer:
                    assert m.regions.offer[0] > 0
            s = m.s
            young = s.of_group(FIRMS)
            young = young[s.born[young] > 0]
            born += np.bincount(s.region[young], s.weight[young], minlength=3)
        share[offer] = born / born.sum()
    assert share[1.0][0] - share[0.0][0] > 0.08


def test_offers_race_until_budgets_bind_and_the_cap_cuts_spending():
    free = InnovationModel(seed=6, **BIDS).run(years=3)
    capped = InnovationModel(seed=6, local_incentive_cap=1e5, **BIDS).run(years=3)
    y_free, y_cap = free.yearly(), capped.yearly()
    offer = free.quarterly()["incentive_offer"]
    assert offer.iloc[-1] > 5.0 * offer.iloc[1] > 0  # offers race up (36 thousand to 390 thousand at seed 6)
    assert y_free["incentive_offer"].iloc[-1] > 1e5  # past the cap, without it
    assert (capped.regions.offer <= 1e5 + 1e-6).all()
    assert y_cap["local_incentives"].sum() < 0.7 * y_free["local_incentives"].sum()
    # each quarter's spending stays within the budget set at the end of the quarter before, and the race
    # brings it close to that budget (measured 0.83-0.92 of it in the third year at seed 6)
    q = free.quarterly()
    budget = free.params["local_incentive_budget"] * q["gdp"].shift(1)
    used = (q["local_incentives"] / budget).iloc[1:]
    assert (used <= 1.0 + 1e-9).all()
    assert used.iloc[-4:].mean() > 0.6


def test_region_hhi_matches_firm_counts():
    m = InnovationModel(seed=2).run(steps=2)
    s = m.s
    firms = s.of_group(FIRMS)
    by = np.bincount(s.region[firms], s.weight[firms], minlength=m.n_regions)
    assert location.region_hhi(m) == pytest.approx(float(np.sum((by / by.sum()) ** 2)))
    assert 1.0 / m.n_regions <= m.quarterly()["firm_region_hhi"].iloc[-1] <= 1.0
