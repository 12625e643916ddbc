"""Indicators in real units agree across scales within replication noise (issue 2, item 6)."""

from __future__ import annotations

import numpy as np
import pytest

from abm import InnovationModel

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
