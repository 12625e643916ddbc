"""Issue 12 items 3 and 5: the whole technology market, and innovation that feeds growth."""

from __future__ import annotations

import numpy as np
import pytest

from abm import InnovationModel
from abm.contract import Mechanism
from abm.fields import gdp
from abm.kinds import FIRMS, INSTITUTIONS, in_group
from abm.mechanisms import ORDER, growth
from abm.mechanisms.supply import sync_know
from abm.params import ParameterError
from tests.conftest import assert_conserved, run_with_stocks


def test_pinned_gdp_is_the_observed_path_with_services_on():
    m = InnovationModel(seed=3).run(years=4)
    q = m.quarterly()
    expected = [gdp(2015 + (s - 1) / 4.0, m.params["gdp_growth"]) / 4.0 for s in q["step"][1:]]
    assert q["gdp"].to_numpy()[1:].tolist() == expected
    assert (q["gdp_factor"] == 1.0).all()


def _freezer() -> tuple[Mechanism, Mechanism]:
    """Two test mechanisms: record domestic capability at the start of a quarter, restore it (in
    absolute terms, following the frontier) just before technology in use is measured.
    """
    saved: dict[str, np.ndarray] = {}

    def record(m: InnovationModel) -> None:
        s = m.s
        saved["know_c"] = s.know_c[: s.n].copy()
        saved["uid"] = s.uid[: s.n].copy()
        saved["frontier"] = m.comp.frontier.copy()

    def restore(m: InnovationModel) -> None:
        from abm.components import OF_FIELD

        s = m.s
        n = saved["uid"].size
        sl = np.arange(n)
        keep = s.alive[:n] & (s.uid[:n] == saved["uid"]) & in_group(s.kind[:n], FIRMS + INSTITUTIONS)
        sl = sl[keep]
        moved = (saved["frontier"] / m.comp.frontier)[OF_FIELD[s.field[sl]]]
        s.know_c[sl] = saved["know_c"][sl] * moved
        sync_know(m, sl)
        from abm.mechanisms.supply import measure

        measure(m)

    start = Mechanism(name="freeze_start", stream="", step=record, doc="test", outputs=())
    end = Mechanism(name="freeze_end", stream="", step=restore, doc="test", outputs=())
    return start, end


def _endogenous(seed: int, years: int, *, frozen: bool) -> InnovationModel:
    m = InnovationModel(seed=seed, gdp_mode="endogenous")
    if frozen:
        start, end = _freezer()
        m.mechanisms = (start, *ORDER[:-1], end, ORDER[-1])
    return m.run(years=years)


def test_frozen_capability_makes_endogenous_gdp_fall_below_the_baseline_path():
    for seed in (1, 2):
        base = _endogenous(seed, 10, frozen=False).yearly()
        frozen = _endogenous(seed, 10, frozen=True).yearly()
        observed = np.array([gdp(y + 0.375, 0.06) for y in frozen["year"]])  # mean of the quarters
        # frozen capability: technology in use grows slower than in the baseline and than expected
        assert frozen["tech_in_use"].iloc[-1] < base["tech_in_use"].iloc[-1]
        assert frozen["gdp"].iloc[-1] < base["gdp"].iloc[-1]
        assert frozen["gdp"].iloc[-1] < 0.97 * observed[-1]
        g_frozen = (frozen["gdp"].iloc[-1] / frozen["gdp"].iloc[0]) ** (1 / 9) - 1
        g_base = (base["gdp"].iloc[-1] / base["gdp"].iloc[0]) ** (1 / 9) - 1
        assert g_frozen < g_base
        assert frozen["tech_progress_contribution"].iloc[-1] < base["tech_progress_contribution"].iloc[-1]


def test_growth_accounting_is_the_solow_residual_of_model_gdp():
    m = InnovationModel(seed=4, gdp_mode="endogenous").run(years=5)
    y = m.yearly()
    p = m.params
    inputs = p["capital_share"] * p["capital_growth"] + (1 - p["capital_share"]) * p["labour_growth"]
    g = (y["gdp"].to_numpy()[1:] / y["gdp"].to_numpy()[:-1]) / (1 + p["gdp_deflator_growth"]) - 1
    assert np.allclose(y["tfp_growth"].to_numpy()[1:], g - inputs, rtol=1e-9)
    assert np.allclose(y["tech_progress_contribution"].to_numpy()[1:], (g - inputs) / g, rtol=1e-9)


def test_endogenous_runs_are_deterministic_and_conserve():
    a = InnovationModel(seed=11, gdp_mode="endogenous", public_procurement=0.002)
    stocks = run_with_stocks(a, 12)
    assert_conserved(a, stocks)
    b = InnovationModel(seed=11, gdp_mode="endogenous", public_procurement=0.002).run(steps=12)
    assert a.indicator_hash() == b.indicator_hash()


def test_procurement_is_paid_and_raises_domestic_sales_monotonically():
    levels = (0.0, 0.001, 0.003)
    bought, firm_sales, market, ledger = [], [], [], []
    for level in levels:
        per_seed = []
        for seed in (1, 2, 3):
            m = InnovationModel(seed=seed, public_procurement=level).run(years=3)
            y = m.yearly()
            led = m.ledger("money")
            paid = led.loc[led["kind"] == "public_procurement", "amount"].sum()
            assert paid == pytest.approx(y["procurement_sales"].sum(), rel=1e-9)
            per_seed.append((y["procurement_sales"].sum(), paid))
        # the first quarter, before paths part: purchases add to what firms sell on the market
        q1 = InnovationModel(seed=1, public_procurement=level)
        q1.step()
        firm_sales.append(float(np.sum(q1.s.weight[: q1.s.n] * q1.s.revenue[: q1.s.n] * q1.s.alive[: q1.s.n])))
        market.append(float(q1.quarterly()["sales"].iloc[-1]))
        arr = np.array(per_seed).mean(axis=0)
        bought.append(arr[0])
        ledger.append(arr[1])
    assert bought[0] == 0.0 and ledger[0] == 0.0
    assert bought[0] < bought[1] < bought[2]
    assert market[0] == market[1] == market[2]  # procurement adds demand; it displaces no sales
    assert firm_sales[0] < firm_sales[1] < firm_sales[2]


def test_technology_market_counts_services_between_enterprises_and_conserves_money():
    m = InnovationModel(seed=5)
    stocks = run_with_stocks(m, 12)
    assert_conserved(m, stocks)
    y = m.yearly()
    assert np.allclose(y["tech_contract_turnover"], y["tech_contracts"] + y["contract_research"])
    assert (y["tech_services"] > 0).all()
    led = m.ledger("money")
    svc = led[led["kind"] == "technical_service"]
    # the ledger has all contracted technical work; turnover only the registered contracts
    bought = y["tech_services"].sum() + y["tech_services_unregistered"].sum()
    assert svc["amount"].sum() == pytest.approx(bought, rel=1e-9)
    # services between enterprises, not only from institutions
    assert (y["tech_services"] - y["tech_services_from_institutions"] > 0).all()
    off = InnovationModel(seed=5, tech_service_rate=0.0).run(steps=12).yearly()
    assert (off["tech_services"] == 0).all()
    assert (y["tech_contract_turnover"] > off["tech_contract_turnover"]).all()


def test_services_raise_buyers_capability_and_pay_providers():
    from abm.mechanisms import transfer

    m = InnovationModel(seed=2).run(steps=4)
    s = m.s
    n = s.n
    know = s.know_c[:n].copy()
    cash = s.cash[:n] * s.weight[:n]
    before = m.flow["tech_services"]
    transfer.services_step(m)
    spent = m.flow["tech_services"] - before
    assert spent > 0
    gained = s.know_c[:n] - know
    assert gained.min() >= 0.0  # nobody unlearns from a service
    learnt = np.flatnonzero(gained.max(axis=1) > 0)
    assert learnt.size > 0 and in_group(s.kind[learnt], FIRMS).all()  # only firms buy
    income = s.cash[:n] * s.weight[:n] - cash
    # buyers pay providers; providers pay their cost of the work (and tax on unregistered contracts) out
    flows = m.acc.money.current()
    out = sum(float(flows[k].sum()) for k in ("technical_service_costs", "technical_service_tax") if k in flows)
    assert out > 0
    assert income.sum() == pytest.approx(-out, rel=1e-9)
    assert (in_group(s.kind[:n], FIRMS) & (income > 0)).any()  # services between enterprises


def test_a_seeker_that_finds_its_own_agent_buys_from_its_other_real_firms(monkeypatch):
    """An agent stands for `weight` real firms: a seeker that finds its own agent has found one of them,
    another firm than itself with chance (weight - 1) / weight (before the fix it bought nothing, so the
    service market shrank with the scale). A real firm (weight 1) never buys from itself."""
    from abm.mechanisms import transfer

    m = InnovationModel(seed=2).run(steps=4)
    s = m.s
    pairs: list[tuple[np.ndarray, np.ndarray]] = []
    pay = m.acc.pay

    def spy(kind, src, dst, amount):
        if kind == "technical_service":
            pairs.append((np.asarray(src).copy(), np.asarray(dst).copy()))
        return pay(kind, src, dst, amount)

    monkeypatch.setattr(m.acc, "pay", spy)

    def buyers_and_providers() -> tuple[np.ndarray, np.ndarray]:
        pairs.clear()
        for _ in range(4):
            transfer.services_step(m)
        return np.concatenate([a for a, _ in pairs]), np.concatenate([b for _, b in pairs])

    src, dst = buyers_and_providers()
    own = src == dst
    assert own.any() and (~own).any()  # purchases inside an agent, and between agents
    assert (s.weight[src[own]] > 1.0).all()
    s.weight[s.of_group(FIRMS)] = 1.0  # every firm agent one real firm
    src, dst = buyers_and_providers()
    assert src.size > 0 and not (src == dst).any()


def test_providers_learning_is_held_by_the_real_firms_that_did_the_work():
    """The learning curve works on the experience of the real firms that provided, not on the agent's work
    spread over all its real firms (a convex curve spread thin made the same work cheaper at coarse scale:
    +22% turnover at 0.002 against 0.02 over years 13-16). The same work done by the same real firms gives the
    same terms at every weight; an agent's appeal is the sum of its real firms'; at weight 1 it is one firm's
    learning curve."""
    from abm.mechanisms import transfer

    m = InnovationModel(seed=3)
    s = m.s
    p = m.params
    curve = lambda e: (1.0 + e / p["service_experience_half"]) ** -p["service_learning_exponent"]  # noqa: E731
    a, b, c = s.of_group(FIRMS)[:3]
    work = 5.0 * p["service_experience_half"]  # total work done by 3 real firms
    for slot, weight in ((a, 10.0), (b, 1000.0)):
        s.weight[slot] = weight
        s.service_experience[slot] = work / weight
        s.service_reach[slot] = 3.0 / weight
    x, appeal, q = transfer.provider_terms(m, np.array([a, b]))
    assert x == pytest.approx([curve(work / 3.0)] * 2, rel=1e-12)  # before: curve(work / weight)
    for i, weight in enumerate((10.0, 1000.0)):
        firms = np.array([1.0 / curve(work / 3.0)] * 3 + [1.0] * int(weight - 3))  # each real firm's appeal
        assert appeal[i] * weight == pytest.approx(firms.sum(), rel=1e-12)
        assert q[i] == pytest.approx(firms[:3].sum() / firms.sum(), rel=1e-12)
    s.weight[c], s.service_experience[c], s.service_reach[c] = 1.0, work, 1.0
    x, appeal, q = transfer.provider_terms(m, np.array([c]))
    assert (x[0], appeal[0], q[0]) == pytest.approx((curve(work), 1.0 / curve(work), 1.0), rel=1e-12)
    s.service_experience[c], s.service_reach[c] = 0.0, 0.0
    assert tuple(np.concatenate(transfer.provider_terms(m, np.array([c])))) == pytest.approx((1.0, 1.0, 0.0))


def test_each_real_buyer_served_by_a_novice_makes_one_more_experienced_provider(monkeypatch):
    """A quarter of technical services: the providers' experience grows by the work they did (per real actor,
    at 2015 prices), their reach by the real buyers their novices served, never past all their real firms."""
    from abm.mechanisms import transfer

    m = InnovationModel(seed=2).run(steps=6)
    s = m.s
    providers: list[np.ndarray] = []
    pay = m.acc.pay

    def spy(kind, src, dst, amount):
        if kind == "technical_service":
            providers.append(np.asarray(dst).copy())
        return pay(kind, src, dst, amount)

    monkeypatch.setattr(m.acc, "pay", spy)
    reach0, exp0 = s.service_reach.copy(), s.service_experience.copy()
    transfer.services_step(m)
    (dst,) = providers
    grew = np.flatnonzero(s.service_reach != reach0)
    assert grew.size > 0 and np.isin(grew, dst).all()  # only providers of this quarter gain reach
    assert (s.service_reach[grew] > reach0[grew]).all() and (s.service_reach <= 1.0).all()
    assert np.isin(np.flatnonzero(s.service_experience != exp0), dst).all()
    assert (s.service_experience >= exp0).all()
    # a provider that was all novices serves its first buyers with novices only: its reach grows by the real
    # buyers it served (at least one) over its weight
    first = np.setdiff1d(grew, np.flatnonzero(reach0 > 0))
    assert first.size > 0 and (s.service_reach[first] * s.weight[first] >= 1.0 - 1e-9).all()


def test_bad_growth_parameters_name_field_value_and_allowed():
    with pytest.raises(ParameterError, match=r"gdp_mode.*'fast'.*'pinned', 'endogenous'"):
        InnovationModel(seed=1, gdp_mode="fast")
    with pytest.raises(ParameterError, match=r"public_procurement.*0\.5.*\[0, 0\.01\]"):
        InnovationModel(seed=1, public_procurement=0.5)


def test_growth_is_the_last_mechanism_and_procurement_follows_markets():
    names = [c.name for c in ORDER]
    assert names[-1] == growth.CONTRACT.name
    assert names.index("procurement") == names.index("markets") + 1


def test_service_providers_take_no_engagement_below_their_cost():
    """tech_service_cost is a floor on each engagement's fee: paired runs (same seed, same draws) with a
    higher floor contract fewer, larger services; with a floor above every firm's fee, none."""
    counts, means = [], []
    for cost in (0.0, 5e4, 5e5):
        # every contract registered (so counted): the floor alone decides
        y = InnovationModel(seed=4, tech_service_cost=cost, tech_registration_cost=0.0).run(steps=8).yearly()
        n, v = float(y["tech_service_contracts"].sum()), float(y["tech_services"].sum())
        counts.append(n)
        means.append(v / n)
        if cost > 0:
            assert v / n >= cost  # every fee covers the cost (which grows with nominal GDP), so the mean does too
    assert counts[0] > counts[1] > counts[2] > 0
    assert means[0] < means[1] < means[2]
    none = InnovationModel(seed=4, tech_service_cost=1e8).run(steps=4).yearly()
    assert (none["tech_service_contracts"] == 0).all() and (none["tech_services"] == 0).all()


def test_registration_follows_the_tax_relief_it_brings():
    """A contract is registered (and counted) when its tax relief pays the registration: paired runs with
    a dearer registration count fewer contracts; a larger relief registers more, and more work is bought."""

    def run(**kw):
        y = InnovationModel(seed=4, **kw).run(steps=8).yearly()
        return float(y["tech_service_contracts"].sum()), float(y["tech_services"].sum()), y

    n_lo, _, _ = run(tech_registration_cost=1e4)
    n_hi, _, _ = run(tech_registration_cost=1e5)
    assert n_lo > n_hi > 0
    _, v_small, small = run(tech_contract_tax_relief=0.03)
    _, v_big, big = run(tech_contract_tax_relief=0.12)
    assert v_big > v_small
    bought = lambda y: float((y["tech_services"] + y["tech_services_unregistered"]).sum())  # noqa: E731
    assert bought(big) / bought(small) < v_big / v_small  # mostly registration, some more work bought


def test_technical_work_bought_grows_with_buyers_operations_and_falls_with_provider_cost():
    def turnover(**kw):
        y = InnovationModel(seed=6, **kw).run(steps=8).yearly()
        return float((y["tech_services"] + y["tech_services_unregistered"]).sum())

    assert turnover(tech_work_share=0.04) < turnover(tech_work_share=0.08) < turnover(tech_work_share=0.16)
    # providers who learn less stay dearer: less is contracted out
    assert turnover(service_learning_exponent=0.0) < turnover(service_learning_exponent=0.5)
    assert turnover(tech_service_markup=0.8) < turnover(tech_service_markup=0.1)


def test_transfer_offices_cap_institutions_licence_deals():
    def inst(c):
        y = InnovationModel(seed=3, tto_capacity=c).run(steps=8).yearly()
        return float(y["licences_from_institutions"].sum())

    assert inst(0.0) == 0.0
    assert 0 < inst(2.0) < inst(7.0) < inst(30.0)


def test_registration_spreads_with_registrations_and_counts_contracts_per_task():
    """Registered technical-service contracts: fewer when registering is dearer; more when the registration
    cost falls with the field's registrations than when it is fixed; each contract is one task, so an engagement
    can be several contracts; all contracted work is paid through the ledger.
    """

    def run(**kw):
        m = InnovationModel(seed=3, **kw).run(steps=16)
        return m, m.yearly()

    base_m, base = run()
    dear = run(tech_registration_cost=4e5)[1]
    fixed = run(registration_learning_exponent=0.0)[1]
    assert dear["tech_service_contracts"].sum() < base["tech_service_contracts"].sum()
    assert fixed["tech_service_contracts"].sum() < base["tech_service_contracts"].sum()
    assert fixed["tech_services"].sum() < base["tech_services"].sum()
    # the network effect makes registrations grow: the last year has more than the first
    assert base["tech_service_contracts"].iloc[-1] > base["tech_service_contracts"].iloc[0]
    assert fixed["tech_service_contracts"].iloc[-1] / fixed["tech_service_contracts"].iloc[0] < (
        base["tech_service_contracts"].iloc[-1] / base["tech_service_contracts"].iloc[0]
    )
    # every yuan of contracted work is a ledger payment; unregistered contracts pay the tax
    led = base_m.ledger("money")
    paid = led.loc[led["kind"] == "technical_service", "amount"].sum()
    assert paid == pytest.approx((base["tech_services"] + base["tech_services_unregistered"]).sum(), rel=1e-9)
    tax = led.loc[led["kind"] == "technical_service_tax", "amount"].sum()
    relief = base_m.params["tech_contract_tax_relief"]
    assert tax == pytest.approx(relief * base["tech_services_unregistered"].sum(), rel=1e-6)
