"""Conservation of money and people (issue 2, item 7)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from abm import InnovationModel
from abm.kinds import Kind
from abm.ledger import MONEY_INDEX, Accounts
from abm.state import ActorState as State
from tests.conftest import assert_conserved, param_sets, run_with_stocks


def test_baseline_conserves_money_and_people_every_step(baseline_run):
    model, stocks = baseline_run
    assert_conserved(model, stocks)


def _break(model: InnovationModel, kind: Kind, k: int = 5) -> None:
    """Drain the cash of ``k`` firms of ``kind`` to twice their credit limit below zero (through the ledger)."""
    s = model.s
    sl = s.of_kind(kind)[:k]
    limit = model.params["credit_limit_revenue"] * 4.0 * s.revenue[sl]
    model.acc.pay("test_drain", sl, "suppliers", s.weight[sl] * (s.cash[sl] + 2.0 * limit))
    model.acc.money.close_step(model.steps)  # the drain belongs to the set-up, before the stocks are taken


def test_scenarios_with_every_mechanism_conserve():
    # mission, cut-off, reform and VC together: every mechanism moves money and people
    model = InnovationModel(
        seed=5,
        mission_field="chips_ict",
        mission_budget=8e10,
        mission_start_year=2015,
        cutoff_fields="chips_ict,aerospace",
        cutoff_start_year=2016,
        soe_reform_share=0.5,
        reformed_soe_failure_tolerance=1.0,
        fixed_cost_share=0.1,  # losses: bank credit, exits, injections
        vc_fundraising=4e11,
        subsidy_targeting="sme",
        ipo_valuation=2e8,
        acquisition_rate=0.2,
    )
    _break(model, Kind.SOE)  # beyond their credit lines: the soft budget injects capital
    stocks = run_with_stocks(model, 24)
    assert_conserved(model, stocks)
    kinds = set(model.ledger("money")["kind"])
    for k in (
        "mission_funding",
        "vc_investment",
        "vc_exit",
        "acquisition",
        "soe_capital_injection",
        "technology_contract",
        "contract_research",
        "seed_money",
        "unpaid_bills",
        "sales",
        "bank_loan",
        "loan_interest",
        "dividends",
    ):
        assert k in kinds, f"flow kind {k} never happened"
    pkinds = set(model.ledger("people")["kind"])
    for k in (
        "hire",
        "retirement",
        "job_to_job",
        "enrolment",
        "graduate_to_research",
        "return_from_abroad",
        "study_abroad",
        "firm_death",
        "acquisition",
    ):
        assert k in pkinds, f"person flow kind {k} never happened"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params=param_sets(), seed=st.integers(0, 2**31))
def test_conservation_over_random_valid_parameters(params, seed):
    model = InnovationModel(seed=seed, **params)
    stocks = run_with_stocks(model, 8)
    assert_conserved(model, stocks)
    for table in (model.quarterly(), model.yearly()):
        assert np.isfinite(table.select_dtypes("number").to_numpy()).all(), params


def test_pay_divides_by_weight_and_records():
    s = State(4)
    slots = s.allocate(2)
    s.weight[slots] = [10.0, 2.0]
    s.kind[slots] = [0, 3]
    s.node[slots] = [MONEY_INDEX["soe"], MONEY_INDEX["university"]]
    acc = Accounts(s)
    acc.pay("x", "fiscal", slots, np.array([100.0, 100.0]))
    assert s.cash[slots].tolist() == [10.0, 50.0]
    acc.pay("y", slots[:1], slots[1:], 20.0)
    assert s.cash[slots].tolist() == [8.0, 60.0]
    acc.money.close_step(1)
    df = acc.money.frame()
    assert set(zip(df.source, df.target, df.amount, strict=True)) == {
        ("fiscal", "soe", 100.0),
        ("fiscal", "university", 100.0),
        ("soe", "university", 20.0),
    }
    with pytest.raises(ValueError, match="internal node"):
        acc.pay("z", "soe", slots, 1.0)


def test_move_tracks_doctorate_share():
    s = State(4)
    slots = s.allocate(1)
    s.weight[slots] = 2.0
    s.kind[slots] = 4
    s.researchers[slots] = 10.0  # 20 real persons
    s.phd_share[slots] = 0.5
    acc = Accounts(s)
    acc.move("hire", "abroad", "pool", 20.0, phd_frac=1.0)
    acc.move("hire", "pool", slots, 20.0)
    assert s.researchers[slots[0]] == pytest.approx(20.0)
    assert s.phd_share[slots[0]] == pytest.approx(0.75)
    assert acc.pool == pytest.approx(0.0)


def test_credit_and_exits_of_every_kind_conserve():
    # no soft budget, dear credit, heavy fixed costs: private firms and SOEs borrow, repay and exit
    model = InnovationModel(
        seed=8, soe_soft_budget=False, loan_interest_rate=0.2, fixed_cost_share=0.1, soe_reform_share=0.6
    )
    _break(model, Kind.SOE)
    _break(model, Kind.PRIVATE)
    stocks = run_with_stocks(model, 20)
    assert_conserved(model, stocks)
    kinds = set(model.ledger("money")["kind"])
    # (repayments need positive cash after a shortfall: in 20 quarters of this harsh set-up there may be none)
    assert {"bank_loan", "loan_interest", "unpaid_bills", "dividends"} <= kinds
    y = model.yearly()
    assert y["firm_exits_soe"].sum() > 0 and y["firm_exits_private"].sum() > 0
    assert y["soe_injections"].sum() == 0
