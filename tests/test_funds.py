"""VC funds with a life cycle and guidance funds as LPs (abm.mechanisms.funds, docs/ODD.md 7.2a)."""

from __future__ import annotations

import numpy as np
import pytest

from abm import InnovationModel
from abm.kinds import VCType
from abm.mechanisms import funds
from tests.conftest import assert_conserved, run_with_stocks

FUND_COLUMNS = ["fund", "vc_slot", "kind", "vintage_step", "committed", "called", "invested", "distributed"]
FUND_COLUMNS += ["nav", "status", "tvpi", "dpi"]


@pytest.fixture(scope="module")
def run():
    """Ten years at classroom scale: funds of several vintages, some wound up."""
    return InnovationModel(seed=5).run(years=10)


def _fund_cash_by_agent(m: InnovationModel) -> tuple[np.ndarray, np.ndarray]:
    f = m.vc_funds
    s = m.s
    vcs = s.of_kind(funds.Kind.VC)
    priv = vcs[s.subtype[vcs] == VCType.PRIVATE_VC]
    rows = f.open_rows()
    per = np.bincount(f.vc[rows], f.cash[rows], minlength=s.capacity)
    return s.weight[priv] * s.cash[priv], per[priv]


def test_money_is_conserved_and_fund_cash_is_the_firms_cash():
    # guidance LPs, principal-first rule, ceded profit, fees and carry all active
    m = InnovationModel(seed=2, guidance_lp_share=0.8, guidance_profit_cede=0.5, vc_investment_period_years=2.0)
    stocks = run_with_stocks(m, 40)
    assert_conserved(m, stocks)
    held, in_funds = _fund_cash_by_agent(m)
    assert held == pytest.approx(in_funds, rel=1e-9, abs=1.0)
    f = m.funds()
    assert (f["kind"] == "guided").any() and (f["status"] == "closed").any()
    kinds = set(m.ledger()["kind"])
    assert {"vc_fundraising", "guidance_lp_commitment", "guidance_lp_return", "vc_management_fee"} <= kinds


def test_funds_table_columns_and_determinism(run):
    f = run.funds()
    assert list(f.columns[: len(FUND_COLUMNS)]) == FUND_COLUMNS
    again = InnovationModel(seed=5).run(years=10)
    assert again.funds().equals(f)
    assert again.indicator_hash() == run.indicator_hash()
    assert (f["called"] == f["committed"]).all()
    assert np.allclose(f["dpi"], f["distributed"] / f["called"])


def test_no_new_investment_after_the_investment_period(run):
    d = run.vc_deals()
    d["fund"] = run.deals.fund[: run.deals.n]
    d = d[d["fund"] >= 0]
    ipq = round(4 * run.params["vc_investment_period_years"])
    vintage = run.funds()["vintage_step"].to_numpy()
    late = d[d["step"] >= vintage[d["fund"].to_numpy()] + ipq]
    assert len(late), "some follow-ons after the investment period are expected"
    first = d.groupby(["fund", "sme_slot"])["step"].min()
    # every late deal is in a start-up the same fund had financed before
    assert (
        first.loc[list(zip(late["fund"], late["sme_slot"], strict=True))].to_numpy() < late["step"].to_numpy()
    ).all()
    # and funds in their investment period do make new investments
    assert len(d) > len(late)


def test_a_fund_is_wound_up_at_the_end_of_its_life(run):
    f = run.vc_funds
    life = funds.life_quarters(run.params)
    age = run.steps - f.vintage[: f.n]
    closed = f.status[: f.n] == funds.CLOSED
    assert closed.any()
    assert (closed == (age >= life)).all()  # closed exactly when the life is over
    assert np.all(f.cash[: f.n][closed] == 0.0)  # all cash returned
    d = run.deals
    still = d.open[: d.n] & (d.fund[: d.n] >= 0)
    assert not closed[d.fund[: d.n][still]].any()  # no stake left in a wound-up fund
    frame = run.funds()
    assert (frame.loc[frame["status"] == "closed", "nav"] == 0).all()
    done = frame[frame["status"] == "closed"]
    assert np.allclose(done["tvpi"], done["dpi"])


def test_next_fund_size_rises_with_track_record():
    """Two firms alike but for what their mature funds returned: the better one is offered more LP money."""
    m = InnovationModel(seed=3).run(years=3)
    f = m.vc_funds
    s = m.s
    vcs = s.of_kind(funds.Kind.VC)
    priv = vcs[s.subtype[vcs] == VCType.PRIVATE_VC]
    a, b = int(priv[0]), int(priv[1])
    f.franchise[b] = f.franchise[a]
    mature = np.flatnonzero((m.steps - f.vintage[: f.n]) >= funds.MATURE_QUARTERS)
    ra, rb = mature[f.vc[mature] == a], mature[f.vc[mature] == b]
    assert ra.size and rb.size
    gains = []
    for extra in (0.0, 0.5, 1.0, 2.0):
        f.gross[ra] = f.committed[ra] * extra  # as if a's funds had paid out `extra` x commitments
        f.gross[rb] = 0.0
        before = f.accrued[[a, b]].copy()
        funds._accrue(m, priv)
        got = f.accrued[[a, b]] - before
        gains.append(got[0] / got[1])
    assert np.all(np.diff(gains) > 0)
    # no track-record response at elasticity 0
    m.set_params(vc_track_record_elasticity=0.0)
    before = f.accrued[[a, b]].copy()
    funds._accrue(m, priv)
    got = f.accrued[[a, b]] - before
    assert got[0] == pytest.approx(got[1])


def test_waterfall_returns_guidance_principal_first():
    m = InnovationModel(seed=1)
    f = m.vc_funds
    f.add(np.array([0]), 0, np.array([100.0]), np.array([30.0]), np.array([1]))
    row = np.array([f.n - 1])
    xs = np.array([0.0, 10.0, 30.0, 60.0, 100.0, 150.0])
    m.set_params(guidance_principal_first=True, guidance_profit_cede=0.0, vc_carry=0.2)
    g, p, c = funds.waterfall(m, np.repeat(row, xs.size), xs)
    assert np.allclose(g + p + c, xs)
    assert np.allclose(g[:3], xs[:3]) and np.allclose(p[:3], 0.0)  # guidance LP first, up to its 30
    assert p[4] == pytest.approx(70.0) and c[4] == 0.0  # then private principal
    assert c[5] == pytest.approx(10.0) and g[5] == pytest.approx(30.0 + 0.3 * 40.0)  # profit: carry, pro rata
    m.set_params(guidance_principal_first=False)
    g2, _, _ = funds.waterfall(m, np.repeat(row, xs.size), xs)
    assert np.allclose(g2[:5], 0.3 * xs[:5])  # pro rata return of capital
    m.set_params(guidance_profit_cede=1.0)
    g3, p3, _ = funds.waterfall(m, np.repeat(row, xs.size), xs)
    assert g3[5] == pytest.approx(30.0) and p3[5] == pytest.approx(110.0)  # profit ceded to private LPs


def test_guided_funds_honour_principal_first_in_a_run():
    m = InnovationModel(seed=4, guidance_lp_share=0.8, vc_investment_period_years=2.0).run(years=10)
    f = m.vc_funds
    k = f.n
    guided = f.gslot[:k] >= 0
    paid_private = f.dist_p[:k] > 1e-6 * f.committed[:k]
    assert (guided & paid_private).any()
    # a private LP of a guided fund is never paid before the guidance LP has its principal back
    ok = f.dist_g[:k] >= f.committed_g[:k] * (1 - 1e-9)
    assert ok[guided & paid_private].all()
    assert m.yearly()["guidance_lp_returned"].sum() > 0


def test_all_direct_guidance_is_the_old_setting():
    m = InnovationModel(seed=6, guidance_lp_share=0.0).run(years=4)
    y = m.yearly()
    assert y["guidance_lp_committed"].sum() == 0 and y["guided_fund_invested"].sum() == 0
    assert y["guidance_invested"].sum() > 0
    assert (m.funds()["kind"] == "private").all()


def test_a_guidance_fund_picked_by_several_new_funds_commits_at_most_its_earmark():
    """Regression (found by the random-parameter conservation test: a guidance fund's cash went negative):
    when several new funds draw the same guidance LP in one quarter, its commitments are honoured in
    order until its earmark is used, and other guidance funds are not starved by it."""
    from abm.kinds import Kind, VCType
    from abm.mechanisms.funds import _guidance_commitments

    m = InnovationModel(seed=2).run(steps=2)
    s = m.s
    vcs = s.of_kind(Kind.VC)
    gf = vcs[s.subtype[vcs] == VCType.GUIDANCE_FUND]
    priv = vcs[s.subtype[vcs] == VCType.PRIVATE_VC][:3]
    s.cash[gf[1:]] = 0.0  # one guidance fund holds all the earmarked money
    earmark = m.params["guidance_lp_share"] * s.weight[gf[0]] * s.cash[gf[0]]
    cap = m.params["guidance_lp_max_share"]
    want = 0.4 * earmark
    private = np.full(3, want * (1.0 - cap) / cap)  # each new fund asks the LP for 40% of its earmark
    got, gslot = _guidance_commitments(m, priv, private)
    assert (gslot == gf[0]).all()
    assert got == pytest.approx([want, want, earmark - 2 * want])
    assert got.sum() <= earmark * (1 + 1e-12)
