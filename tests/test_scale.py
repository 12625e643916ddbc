"""Indicators in real units agree across scales within replication noise (issue 2, item 6)."""

from __future__ import annotations

import numpy as np
import pytest

from abm import InnovationModel
from abm.fields import FIELD_NAMES

INDICATORS = (
    "rd_total",
    "rd_intensity",
    "enterprise_share",
    "basic_share",
    "researchers_total",
    "patents",
    "n_sme",
    "tech_contracts",
)


def _yearly(scale: float, seed: int):
    return InnovationModel(seed=seed, scale=scale).run(years=4).yearly()


def test_two_scales_agree_within_noise():
    small = [_yearly(0.002, s) for s in range(4)]
    large = [_yearly(0.01, s) for s in range(100, 103)]
    for name in INDICATORS:
        a = np.array([y[name].iloc[-1] for y in small])
        b = np.array([y[name].iloc[-1] for y in large])
        # difference of means against its standard error (plus 3% model-structure tolerance)
        se = np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
        diff = abs(a.mean() - b.mean())
        assert diff <= 4 * se + 0.03 * abs(b.mean()), f"{name}: {a.mean():.4g} (small) vs {b.mean():.4g} (large)"


def test_agent_counts_follow_scale_and_weights_sum_to_real_counts():
    m1 = InnovationModel(seed=1, scale=0.002)
    m2 = InnovationModel(seed=1, scale=0.01)
    q1, q2 = m1.quarterly().iloc[0], m2.quarterly().iloc[0]
    assert q2["n_agents_private"] == 5 * q1["n_agents_private"]
    for kind in ("soe", "private", "sme", "university", "lab", "vc"):
        assert q1[f"n_{kind}"] == pytest.approx(q2[f"n_{kind}"], rel=1e-12)  # real populations at any scale
    assert q1["n_private"] == 400_000
    assert q1["n_gov"] == 4  # central + 3 regions


#: Yearly columns allowed to differ between scales 0.002 and 0.02, with the reason (issue 13, item 5).
#: Lumpy matching (abm.sampling.MAX_DRAWS = 1): a firm agent's real buyers of a quarter share one
#: licensor and one technical-service provider, so a university's or lab's income from them arrives in
#: lumps ~10x larger per real institution at 0.002; its staff target swings, it lays people off and hires
#: again, and wages follow the unfilled vacancies. Measured (10 seeds at 0.002, 6 at 0.02, mean of years
#: 13-16): hires +9% (z 10.7), hires_lab x2.2, hires_university +33%, wages +4-7% in every field.
#: SME exits, SME patents and researchers, VC-funded projects and the service-contract count agree since
#: VC rounds are split over real investors (abm.mechanisms.finance._pairs).
SCALE_EXEMPT = {
    "hires": "research labour churn from lumpy technical-service and licence income (lumpy matching)",
    "hires_university": "as hires",
    "hires_lab": "as hires",
    **{f"wage_{f}": "wages follow unfilled vacancies, which churn as hires" for f in FIELD_NAMES},
    "dividends": "firm profits paid out; move with the service market (lumpy matching): -10%, z 6.7",
    "tech_services_from_institutions": "lumpy matching: one provider per firm agent and quarter, so an institution "
    "wins a whole agent's services or none: +30% at 0.002 (z 3.6 with 10 and 6 seeds, 4.2 with 6 and 4)",
    "vc_open_funds": "fund vintages: 20 VC agents at 0.002 (MIN_AGENTS) against 95 at 0.02 close their funds in "
    "fewer, bigger lumps: +3% to +5% (z 3.0 with 10 and 6 seeds, 5.0 with 6 and 4)",
    # Technical services, years 13-16. The providers' learning curve is held by the real firms that did the work
    # (abm.mechanisms.transfer.provider_terms: an agent's experienced share and their experience), no longer by the
    # agent's work spread over all its real firms. That removed part of the gap (registered value +22% -> +19%,
    # projects abandoned +18% -> +12%, SME exits +14% -> +12%: now within the bound). What is left is concentration
    # of the work among an agent's experienced firms: at 0.02 buyers pick among 10x more agents, so the work (and
    # so the experience) concentrates on the most capable and experienced of them, and the providers a seeker
    # meets are further down their learning curve (cost factor 0.35 against 0.45 at 0.002, appeal-weighted, year
    # 16): contracts are cheaper, so the registered value is lower though more work is done (+12% at 0.02).
    # Measured (6 and 4 seeds, years 13-16, /work/notes/scale_check.py): registered value +19% (z 4.9), services
    # +24% (z 5.7), turnover +19% (z 5.0); with service_learning_exponent 0: -0.05% (z 0.0), -0.4%, +0.1%, and SME
    # exits -0.6%, projects abandoned +1.6%.
    "tech_contracts": "learning-curve work concentrates more among finer agents: +19% (z 4.9); with no learning "
    "curve -0.05%",
    "tech_services": "as tech_contracts: +24% (z 5.7); with no learning curve -0.4%",
    "tech_contract_turnover": "as tech_contracts: +19% (z 5.0); with no learning curve +0.1%",
    "projects_started_central_stable": "rare lumps at both scales: a stable line starts for a whole institution "
    "agent (~60 real institutions at either scale, MIN_AGENTS) every few years; noise (z = -2.3 with 6 and 4 seeds)",
}


def _tail(scale: float, seed: int, years: int):
    y = InnovationModel(seed=seed, scale=scale).run(years=years).yearly()
    return y.iloc[-4:].mean(numeric_only=True)


@pytest.mark.slow
def test_every_yearly_indicator_agrees_across_scales_over_16_years():
    """Mean of the last 4 of 16 years, 6 seeds at 0.002 and 4 at 0.02 (about 1 minute): every
    reported yearly column agrees within 4 standard errors of the difference or 3%, except SCALE_EXEMPT.
    (With 4 and 3 seeds the standard errors are too rough: controlled_components and
    productivity_new_energy then fail at z 4.3 and 5.0, and pass with 6 and 4, 8 and 5, 10 and 6 seeds.)
    """
    small = [_tail(0.002, s, 16) for s in range(6)]
    large = [_tail(0.02, s, 16) for s in range(100, 104)]
    cols = [c for c in small[0].index if c not in ("year", "step", "quarter") and not c.startswith("n_agents")]
    assert set(SCALE_EXEMPT) <= set(cols), set(SCALE_EXEMPT) - set(cols)  # no stale exemptions
    bad = []
    for c in cols:
        if c in SCALE_EXEMPT:
            continue
        a = np.array([t[c] for t in small], dtype=float)
        b = np.array([t[c] for t in large], dtype=float)
        se = np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
        diff = abs(a.mean() - b.mean())
        if diff > max(4 * se, 0.03 * abs(b.mean())) + 1e-12:
            bad.append(f"{c}: {a.mean():.4g} (0.002) vs {b.mean():.4g} (0.02), z={diff / se if se > 0 else np.inf:.1f}")
    assert not bad, "\n".join(bad)
