"""Each mechanism responds the way theory says (paired seeds, common random numbers)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from abm import InnovationModel
from abm.fields import FIELD_NAMES
from abm.kinds import FIRMS, PERFORMERS, Kind, in_group
from experiments.calibration.facts import CRITERIA
from tests.conftest import assert_conserved, run_with_stocks

LAB, SME, UNIVERSITY = Kind.LAB, Kind.SME, Kind.UNIVERSITY

SEEDS = (1, 2, 3)


def mean_over_seeds(column: str, years: int = 5, last: int | None = None, **params) -> float:
    vals = []
    for seed in SEEDS:
        y = InnovationModel(seed=seed, **params).run(years=years).yearly()
        vals.append(y[column].iloc[-last:].mean() if last else y[column].sum())
    return float(np.mean(vals))


# --- funding -------------------------------------------------------------------------------------
def test_more_stable_funding_raises_basic_share_and_breakthroughs():
    lo = dict(stable_share=0.1)
    hi = dict(stable_share=0.7)
    assert mean_over_seeds("basic_share", last=2, **hi) > mean_over_seeds("basic_share", last=2, **lo)
    assert mean_over_seeds("breakthroughs", **hi) > mean_over_seeds("breakthroughs", **lo)


# --- research projects (issue 11, item 1) -----------------------------------------------------------
NEUTRAL_RISK = dict(stable_horizon_years=3.0, project_cycle_years=3.0, stable_failure_penalty=0.8)


def _quarterly_breakthroughs(seeds, years=8, **params) -> np.ndarray:
    """Quarterly breakthroughs from 2017 on, one row per seed."""
    rows = []
    for seed in seeds:
        q = InnovationModel(seed=seed, **params).run(years=years).quarterly()
        rows.append(q.loc[q.year >= 2017, "breakthroughs"].to_numpy())
    return np.array(rows)


def test_project_funding_picks_short_safe_projects_and_stable_funding_long_risky_ones():
    m = InnovationModel(seed=1).run(steps=11)
    before = {int(u) for u in m.s.uid[m.s.of_group(PERFORMERS)]}  # agents of last quarter
    m.run(steps=1)
    y = m.yearly().iloc[-1]
    assert y["project_years_central_project"] == pytest.approx(3.0)
    assert y["project_years_central_stable"] == pytest.approx(8.0)
    assert y["project_risk_central_project"] + 0.2 < y["project_risk_central_stable"]
    assert 0.05 < y["project_failure_share"] < 0.9 and y["projects_renewed"] > 0
    # every performer runs at least one project (from the quarter after its birth); its projects'
    # shares of its research add up to 1
    pr, s = m.projects, m.s
    rows = pr.running()
    # agents that existed last quarter: a start-up born, or an SOE agent split off (abm.mechanisms.entry),
    # this quarter starts its projects next quarter
    perf = s.of_group(PERFORMERS)
    perf = perf[np.isin(s.uid[perf], list(before))]
    total = np.bincount(pr.perf[rows], pr.share[rows], minlength=s.n)[perf]
    assert total == pytest.approx(np.ones(perf.size))


#: Competitive calls that allocate like stable funding: asks so small that every call is undersubscribed
#: and funds every applicant, in proportion to its staff cost (abm.mechanisms.funding).
NEUTRAL_CALLS = dict(grant_size=0.05)


def test_neutral_risk_parameters_make_the_stable_project_mix_irrelevant():
    """Neutral: stable projects have the project cycle and penalty, and calls fund everybody by staff
    cost as stable funding does. The mix then changes breakthroughs by less than replication noise.
    Project money to firms (project_firm_share) is held at 0: it moves money between firms and
    institutions, a separate channel (docs/funding_reform_sensitivity.md). With real calls (default
    grant_size) the mix also acts through which proposals calls select and how they concentrate money
    (issue 11, item 7: about -700 breakthroughs over 2017-2022 for stable 0.6 vs 0.1, 6 seeds)."""
    seeds = (1, 2, 3, 4, 5, 6)
    # joint projects (issue 12) on, at their defaults: measured 2026-11-23, stable 0.6 against 0.1 gives
    # -185 breakthroughs over 2017-2022 (6 seeds, noise 485; -347 with joint projects off)
    neutral = dict(project_firm_share=0.0, **NEUTRAL_RISK, **NEUTRAL_CALLS)
    lo = _quarterly_breakthroughs(seeds, stable_share=0.1, **neutral).sum(axis=1)
    hi = _quarterly_breakthroughs(seeds, stable_share=0.6, **neutral).sum(axis=1)
    noise = np.std(lo, ddof=1)  # replication noise: spread of the outcome across seeds
    assert abs(np.mean(hi - lo)) < noise


def test_longer_stable_horizons_raise_mean_and_variance_of_breakthroughs():
    """Longer stable horizons (12 years against the neutral 3) raise national breakthroughs and the
    variance of what a stable project yields: its lines are longer and riskier, so outcomes spread.

    Measured 2026-11-23 (seeds 1-4): per finished stable project, mean breakthroughs 0.085-0.144 (short)
    against 0.50-0.65 (long), variance 0.11-0.47 against 1.96-7.44. The variance of national quarterly
    breakthroughs around their trend (quarter-on-quarter changes), which this test used before, no longer
    rises once the whole technology market was added (8 seeds: 487 short, 447 long): at the national level
    many projects' lumps average out."""
    for seed in (1, 2, 3, 4):
        runs = []
        for horizon in (3.0, 12.0):
            m = InnovationModel(seed=seed, stable_share=0.6, **{**NEUTRAL_RISK, "stable_horizon_years": horizon})
            m.run(years=8)
            f = m.research_projects()
            done = f[(f.funder == "central_stable") & (f.outcome != "running")]
            q = m.quarterly()
            runs.append((done.breakthroughs.mean(), done.breakthroughs.var(), q.loc[q.year >= 2017, "breakthroughs"]))
        (mean_s, var_s, nat_s), (mean_l, var_l, nat_l) = runs
        assert mean_l > mean_s and var_l > 2 * var_s, (seed, runs[0][:2], runs[1][:2])
        assert nat_l.sum() > 1.05 * nat_s.sum(), seed


def test_stable_share_is_paid_as_set_and_budget_is_unchanged():
    y = InnovationModel(seed=1, stable_share=0.5).run(years=2).yearly()
    assert y["stable_share_central"].iloc[-1] == pytest.approx(0.5, rel=1e-9)
    y2 = InnovationModel(seed=1, stable_share=0.2).run(years=2).yearly()
    tot = lambda d: (d.gov_stable + d.gov_project + d.gov_mission + d.gov_local).sum()  # noqa: E731
    assert tot(y) == pytest.approx(tot(y2), rel=1e-12)


def test_research_budget_raises_public_rd():
    lo = mean_over_seeds("rd_lab", years=3, research_budget_gdp=0.003)
    hi = mean_over_seeds("rd_lab", years=3, research_budget_gdp=0.006)
    assert hi > 1.5 * lo


def test_mission_moves_money_to_its_field_and_lifts_capability():
    """The mission's money goes to its field and lifts its science capability and breakthroughs
    (paired seeds). Production capability (firms' supply, issue 10) is not asserted: in the current
    model the mission's breakthroughs stay mostly in institutions (docs/ODD.md, honest list).
    """
    base = dict(seed=4)
    mission = dict(seed=4, mission_field="chips_ict", mission_budget=5e10, mission_start_year=2015, mission_years=10)
    a = InnovationModel(**base).run(years=6)
    b = InnovationModel(**mission).run(years=6)
    yb = b.yearly()
    assert yb["gov_mission"].iloc[0] == pytest.approx(5e10, rel=1e-9)
    assert (yb["gov_project"] < a.yearly()["gov_project"]).all()  # taken from the project pool
    kw = {k: v for k, v in mission.items() if k != "seed"}
    on = [InnovationModel(seed=s, **kw).run(years=6).yearly().iloc[-1] for s in SEEDS]
    off = [InnovationModel(seed=s).run(years=6).yearly().iloc[-1] for s in SEEDS]
    for col in ("science_capability_chips_ict", "breakthroughs_chips_ict"):
        assert np.mean([y[col] for y in on]) > np.mean([y[col] for y in off]), col


def test_mission_is_off_outside_its_years():
    y = (
        InnovationModel(
            seed=1, mission_field="new_energy", mission_budget=1e11, mission_start_year=2017, mission_years=2
        )
        .run(years=5)
        .yearly()
        .set_index("year")
    )
    assert y.loc[2016, "gov_mission"] == 0 and y.loc[2017, "gov_mission"] > 0 and y.loc[2019, "gov_mission"] == 0


def test_super_deduction_raises_private_rd():
    lo = mean_over_seeds("rd_private", years=3, rd_super_deduction=0.0)
    hi = mean_over_seeds("rd_private", years=3, rd_super_deduction=1.5)
    assert hi > lo


def test_subsidy_targeting_sme_reaches_smes_only():
    m = InnovationModel(seed=2, subsidy_targeting="sme", rd_super_deduction=0.0).run(steps=2)
    s = m.s
    alive = s.alive[: s.n]
    got = s.subsidy_in[: s.n] > 0
    assert got.any()
    assert (s.kind[: s.n][alive & got] == SME).all()


# --- firms ---------------------------------------------------------------------------------------
def test_soe_reform_raises_soe_rd_and_national_intensity():
    lo = mean_over_seeds("rd_intensity", years=3, last=1, soe_reform_share=0.0)
    hi = mean_over_seeds("rd_intensity", years=3, last=1, soe_reform_share=0.5)
    assert hi > lo + 0.002


# --- finance ---------------------------------------------------------------------------------------
def test_more_vc_money_more_deals():
    lo = mean_over_seeds("vc_deals", years=3, vc_fundraising=5e10, guidance_fund_budget=1e10)
    hi = mean_over_seeds("vc_deals", years=3, vc_fundraising=6e11, guidance_fund_budget=2e11)
    assert hi > lo


def test_vc_returns_are_skewed():
    m = InnovationModel(seed=3, scale=0.005).run(years=12)
    mult = m.deals.multiples()
    assert mult.size > 50
    assert (mult < 1).mean() > 0.3  # many financings lose money
    assert np.percentile(mult, 99) > 5 * np.median(mult)  # a few return many times


def test_vc_return_shares_match_the_data():
    # F5a (docs/validation.md): most financings return less than invested, few return 10x or more.
    # Closed stakes of the deals table, pooled over 12 seeds, 16 years at the default scale (about 10 s).
    # Each stake counts for the real financings it stands for (an agent's round is split over its investors).
    # 6 seeds are too few near the band's edge: seeds 1-6 give 80.8% under 1x, 7-12 75.5%, 13-18 77.6%.
    deals = pd.concat([InnovationModel(seed=seed).run(years=16).vc_deals() for seed in range(1, 13)])
    closed = deals.dropna(subset=["multiple"])
    mult, fin = closed["multiple"].to_numpy(), closed["financings"].to_numpy()
    assert mult.size > 1000 and (fin > 0).all()
    # the bands are F5a's and F5b's criteria (experiments.calibration.facts.CRITERIA, written before they were
    # computed). On the defaults (12 seeds): 78.2% under 1x and 1.6% at 10x or more since firms buy a licence only
    # when it pays back (start-ups, with small revenue, buy fewer and learn less); 68.8% and 3.1% before
    lo, hi = CRITERIA["F5a"].low, CRITERIA["F5a"].high
    assert lo <= np.average(mult < 1.0, weights=fin) <= hi
    lo, hi = CRITERIA["F5b"].low, CRITERIA["F5b"].high
    assert lo <= np.average(mult >= 10.0, weights=fin) <= hi


def test_follow_on_rounds_dilute_earlier_stakes_and_money_is_conserved():
    m = InnovationModel(seed=2)
    stocks = run_with_stocks(m, 40)
    assert_conserved(m, stocks)
    d = m.vc_deals()
    y = m.yearly()
    assert y["vc_follow_on_rounds"].sum() > 0 and y["vc_dilution"].sum() > 0
    # an earlier stake in a start-up financed again is below the most a round can buy
    first = d[~d.duplicated("sme_slot") & d.duplicated("sme_slot", keep=False) & d.open]
    assert len(first)
    assert (first["stake"] < 1.0 / (1.0 + m.params["vc_min_premoney_rounds"]) + 1e-12).all()
    # open stakes in one start-up never add up to more than the whole firm
    assert d[d.open].groupby("sme_slot")["stake"].sum().max() < 1.0


# --- transfer --------------------------------------------------------------------------------------
def test_patent_disposal_autonomy_raises_institution_licences_and_spinoffs():
    lo = dict(patent_disposal_autonomy=0.05)
    hi = dict(patent_disposal_autonomy=1.0)
    assert mean_over_seeds("licences_from_institutions", years=3, **hi) > mean_over_seeds(
        "licences_from_institutions", years=3, **lo
    )
    assert mean_over_seeds("spinoffs", years=3, **hi) > mean_over_seeds("spinoffs", years=3, **lo)


def _licence_spending(**params) -> dict[str, float]:
    """Money paid for licences and technology contracts by each kind of buyer (ledger), seeds 1-3, 2 years."""
    tot: dict[str, float] = {}
    for seed in SEEDS:
        m = InnovationModel(seed=seed, **params)
        m.run(years=2)
        f = m.acc.money.frame()
        for kind, amount in f[f["kind"] == "technology_contract"].groupby("source")["amount"].sum().items():
            tot[kind] = tot.get(kind, 0.0) + amount
    return tot


def test_licences_are_bought_only_when_they_pay_back():
    """A firm takes an offer only if the revenue its capability gain brings within license_payback_years
    covers the price: a shorter horizon means fewer licences, and small firms (small revenue) drop out first.
    """
    short, mid, long = (_licence_spending(license_payback_years=y) for y in (0.5, 3.0, 20.0))
    total = [sum(x.values()) for x in (short, mid, long)]
    assert total[0] < total[1] < total[2]
    sme_share = [x.get("sme", 0.0) / sum(x.values()) for x in (short, long)]
    assert sme_share[0] < 0.25 * sme_share[1]
    # the price side of the same rule: a dearer licence is bought less
    cheap, dear = (_licence_spending(license_price=p) for p in (1e6, 1e7))
    assert sum(dear.values()) / 1e7 < sum(cheap.values()) / 1e6


def test_contract_research_share_moves_money_to_institutions():
    lo = mean_over_seeds("contract_research", years=2, contract_research_share=0.01)
    hi = mean_over_seeds("contract_research", years=2, contract_research_share=0.1)
    assert hi == pytest.approx(10 * lo, rel=0.25)


def test_acquisitions_remove_startups_and_move_their_researchers():
    m = InnovationModel(seed=6, acquisition_rate=0.5)
    m.run(steps=12)
    y = m.yearly()
    assert y["acquisitions"].sum() > 0
    people = m.ledger("people")
    acq = people[people.kind == "acquisition"]
    assert set(acq.source) == {"sme"} and set(acq.target) == {"private"}


# --- talent ----------------------------------------------------------------------------------------
def test_friction_lowers_job_moves():
    lo = mean_over_seeds("job_moves", years=2, mobility_friction=0.9)
    hi = mean_over_seeds("job_moves", years=2, mobility_friction=0.1)
    assert hi > 3 * lo


def test_job_moves_go_straight_to_the_new_employer_and_lose_nobody():
    m = InnovationModel(seed=1).run(years=2)
    people = m.ledger("people")
    j2j = people[people.kind == "job_to_job"]
    assert len(j2j) and "pool" not in set(j2j.source) | set(j2j.target)
    assert j2j.amount.sum() == pytest.approx(m.yearly()["job_moves"].sum(), rel=1e-9)
    # only job-seekers (graduates, returnees, people laid off) leave research from the pool
    leavers = people[people.target == "other_jobs"]
    assert set(leavers.source) <= {"pool", "students"}


def test_scarcity_raises_wages_and_wages_stand_still_without_adjustment():
    wage = [c for c in InnovationModel(seed=1).run(years=1).yearly().columns if c.startswith("wage_")]
    scarce = mean_over_seeds(wage[0], years=4, last=1, postgrad_intake=1e5, returnee_rate=0.0)
    plenty = mean_over_seeds(wage[0], years=4, last=1, postgrad_intake=2e6)
    assert scarce > plenty
    y = InnovationModel(seed=1, wage_adjustment=0.0).run(years=3).yearly()
    assert (y[wage] == 1.0).all().all()


@pytest.mark.slow
def test_talent_programme_raises_researchers_in_2030():
    """Issue 11: researchers higher than baseline in 2030, paired seeds 1-12 at scale 0.002: the mean paired
    effect is positive by more than 2 standard errors.

    Until the providers' learning was held by the real firms that did it, the test asked for at least 8 wins
    in 10 seeds. At the measured effect (+1.0% to +1.3%, s.d. about 1.5% across seeds; the robustness run's
    +1.0% [+0.5, +1.6] over 30 seeds, "depends") a sign count of 10 passes about half the time: after that
    change it gave 7 of 10 with the mean unchanged (+1.0%, s.e. 0.46%). Over 12 seeds: +1.27%, s.e. 0.43%.
    """
    from abm import load_scenario

    base, prog = load_scenario("baseline"), load_scenario("talent_programme")
    effect = []
    for seed in range(1, 13):
        r = []
        for sc in (base, prog):
            y = InnovationModel(seed=seed, schedule=sc.schedule, **sc.params).run(years=16).yearly()
            r.append(float(y.loc[y.year == 2030, "researchers_total"].iloc[0]))
        effect.append(r[1] / r[0] - 1.0)
    d = np.array(effect)
    assert d.mean() - 2.0 * d.std(ddof=1) / np.sqrt(d.size) > 0.0, np.round(d, 4)


def test_returnee_rate_raises_returnees_and_phd_output_raises_phd_share():
    assert mean_over_seeds("returnees", years=2, returnee_rate=0.3) > mean_over_seeds(
        "returnees", years=2, returnee_rate=0.05
    )

    def phd_share(phd):
        m = InnovationModel(seed=1, phd_output=phd).run(years=5)
        s = m.s
        perf = s.alive[: s.n] & in_group(s.kind[: s.n], PERFORMERS)
        w = s.weight[: s.n][perf] * s.researchers[: s.n][perf]
        return np.average(s.phd_share[: s.n][perf], weights=w)

    assert phd_share(200000) > phd_share(20000)


def test_universities_hold_students():
    m = InnovationModel(seed=1).run(steps=4)
    s = m.s
    has = s.alive[: s.n] & (s.students[: s.n] > 0)
    assert (s.kind[: s.n][has] == UNIVERSITY).all()


# --- markets and shocks ------------------------------------------------------------------------------
def test_cutoff_hits_firms_in_the_cut_field_and_stops_foreign_spillover():
    f = FIELD_NAMES.index("chips_ict")
    a = InnovationModel(seed=8).run(steps=5)
    b = InnovationModel(seed=8, cutoff_fields="chips_ict", cutoff_start_year=2016).run(steps=5)
    assert b.world.cutoff[f] and not a.world.cutoff[f]

    def rev(m):
        s, n = m.s, m.s.n
        firms_in_field = (s.field[:n] == f) & s.alive[:n] & in_group(s.kind[:n], FIRMS)
        return float(np.sum((s.weight * s.revenue)[:n][firms_in_field]))

    assert rev(b) < rev(a)
    assert b.world.imports[f] < a.world.imports[f]


def _chips_after_two_years(know_factor: float, switch: float = 0.1) -> tuple[float, float]:
    """Chips' (capability, dependence) after two years in which its firms start with know_c x factor
    (capped at the frontier); ``switch`` is how fast buyers move toward what they accept.
    """
    chips = FIELD_NAMES.index("chips_ict")
    m = InnovationModel(seed=1, supplier_switch_rate=switch)
    s = m.s
    firms = np.flatnonzero(s.alive[: s.n] & in_group(s.kind[: s.n], FIRMS) & (s.field[: s.n] == chips))
    s.know_c[firms] = np.minimum(s.know_c[firms] * know_factor, 1.0)
    m.run(years=2)
    return float(m.world.capability[chips]), float(m.world.dependence[chips])


def test_capability_gap_raises_dependence():
    """Paired runs (same seed): a wider gap to the frontier in chips means more foreign dependence,
    because fewer buyers find domestic components good enough (abm.mechanisms.supply).

    Negative control: when buyers never switch, the same know changes leave dependence where it
    was: dependence is what buyers import, not a formula of capability.
    """
    (cap_lo, dep_lo), (cap_mid, dep_mid), (cap_hi, dep_hi) = (_chips_after_two_years(f) for f in (0.7, 1.0, 1.3))
    assert cap_lo < cap_mid < cap_hi  # capability follows know
    assert dep_lo > dep_mid > dep_hi  # and dependence falls as domestic supply becomes good enough
    assert dep_lo - dep_hi > 0.05
    frozen = [_chips_after_two_years(f, switch=0.0)[1] for f in (0.7, 1.0, 1.3)]
    # (only new entrants, who buy as the field's buyers accept, can move it, a little)
    assert max(frozen) - min(frozen) < 0.005, f"dependence moved although no buyer switched: {frozen}"


def test_frontier_grows_and_relative_knowledge_decays_without_research():
    m = InnovationModel(
        seed=1,
        research_budget_gdp=0.001,
        learning_rate=0.0,
        breakthrough_rate=0.0,
        spillover_rate=0.0,
        transfer_rate=0.0,
        partner_rate=0.0,  # joint projects are a learning channel too
        tech_service_rate=0.0,  # and technical services
        embodied_knowledge=0.0,  # and hiring people who know more
    )
    k0 = m.s.know[: m.s.n][m.s.kind[: m.s.n] == LAB].copy()
    m.run(steps=4)
    assert (m.world.frontier > 1.0).all()
    k1 = m.s.know[: m.s.n][m.s.kind[: m.s.n] == LAB]
    assert (k1 < k0).all()


# --- entry and exit ----------------------------------------------------------------------------------
def test_startups_without_cash_die():
    m = InnovationModel(seed=2, acquisition_rate=0.0)  # a broke start-up may otherwise be bought first
    s = m.s
    sme = np.flatnonzero(s.alive[: s.n] & (s.kind[: s.n] == SME))[:5]
    for slot in sme:  # make five start-ups broke
        m.acc.pay("test_drain", np.array([slot]), "suppliers", s.weight[slot] * (s.cash[slot] + 1e9))
    old_agents = [m.agent_of[int(slot)] for slot in sme]
    m.step()
    assert all(a not in m.agents for a in old_agents)
    # their slots are either free or reused by start-ups born this quarter
    assert (~s.alive[sme] | (s.born[sme] == m.steps)).all()
    assert m.quarterly()["sme_deaths"].iloc[-1] >= 5 * s.weight[sme[0]]


def _same_region_share(region_bias: float) -> float:
    m = InnovationModel(seed=3, region_bias=region_bias, contract_research_share=0.0)
    same = []
    for _ in range(6):
        m.step()
        if m.flow.links:
            e = np.concatenate(m.flow.links, axis=1)
            # a slot freed by an exit after the contract may hold a newborn by the quarter's end
            e = e[:, (m.s.born[e] < m.steps).all(axis=0)]
            same.append(m.s.region[e[0]] == m.s.region[e[1]])
    return float(np.concatenate(same).mean())


def test_region_bias_keeps_technology_partners_in_the_region():
    assert _same_region_share(1.0) == 1.0
    assert _same_region_share(0.0) < 0.7


def test_spillovers_raise_laggards_knowledge():
    def mean_sme_know(rate):
        m = InnovationModel(seed=5, spillover_rate=rate).run(years=2)
        s = m.s
        sme = s.alive[: s.n] & (s.kind[: s.n] == SME)
        return float(np.average(s.know[: s.n][sme], weights=s.weight[: s.n][sme]))

    assert mean_sme_know(0.3) > mean_sme_know(0.0)


def test_ip_protection_raises_patents():
    assert mean_over_seeds("patents", years=2, ip_protection=1.0) > mean_over_seeds(
        "patents", years=2, ip_protection=0.0
    )


def test_grouped_choice_stays_in_group_and_follows_weights():
    from abm.sampling import grouped_choice

    rng = np.random.default_rng(0)
    cand = np.arange(6)
    cgroup = np.array([0, 0, 1, 1, 1, 2])
    weight = np.array([1.0, 3.0, 0.0, 1.0, 1.0, 0.0])
    seekers = np.repeat([0, 1, 2], 4000)
    pick = grouped_choice(rng, seekers, cand, cgroup, weight, 3)
    assert set(pick[seekers == 0]) == {0, 1} and set(pick[seekers == 1]) == {3, 4}
    assert (pick[seekers == 2] == -1).all()  # no positive weight in group 2
    assert (pick[seekers == 0] == 1).mean() == pytest.approx(0.75, abs=0.03)


def test_an_acquisition_never_lifts_the_buyer_past_what_the_startups_knew():
    """A buyer agent may stand for fewer real firms than the start-up agent it buys (with stratified sizes a
    private agent of 24 firms buys one of 500 start-ups): each of its real firms learns from what it bought,
    so no component rises above the larger of the buyer's own and the start-ups'. Adding knowledge by the
    weight ratio once took a buyer from 0.70 to 1.87 of the frontier in a quarter."""
    from abm.mechanisms import transfer

    m = InnovationModel(
        seed=6, acquisition_rate=0.5, acquisition_capability_threshold=0.0, acquisition_min_age_quarters=0
    )
    s = m.s
    priv = s.of_kind(Kind.PRIVATE)
    s.weight[priv] = s.weight[priv] / 21.0  # buyers of fewer real firms than a start-up agent,
    s.cash[priv] = s.cash[priv] * 21.0  # with the same cash in all
    before = {int(s.uid[i]): s.know_c[i].copy() for i in priv}
    smes = s.of_kind(Kind.SME)
    ceiling = s.know_c[smes].max(axis=0)  # the best start-up in each column
    transfer._acquisitions(m)
    assert s.of_kind(Kind.SME).size < smes.size  # some were bought
    grew = 0
    for i in priv:
        old = before[int(s.uid[i])]
        assert np.all(s.know_c[i] <= np.maximum(old, ceiling) + 1e-12)
        grew += bool(np.any(s.know_c[i] > old + 1e-12))
    assert grew > 0  # and buyers did learn
