"""Stocks that cannot be negative stay non-negative at every step (issue 14, item 7), beside conservation,
and no indicator is NaN, over random valid parameter sets.

Checked per actor after every quarter: the cash of venture-capital funds (private VC and guidance
funds) and of governments (central and local), and every stock of people (researchers of each
actor, students, the national pool of job seekers).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from abm import InnovationModel
from abm.fields import FIELD_NAMES, GOV, VC
from abm.params import PARAMETERS
from tests.conftest import assert_conserved

PENDING = pytest.mark.xfail(strict=False, reason="finance fix pending in abm (VC fund cash goes negative)")


def negative_stocks(model: InnovationModel) -> list[str]:
    """What is below zero now (beyond rounding), as readable lines."""
    s, n = model.s, model.s.n
    alive = s.alive[:n]
    kind = s.kind[:n]
    cash = s.cash[:n]
    scale = max(1.0, float(np.abs(s.weight[:n] * cash)[alive].sum()))
    tol = 1e-9 * scale
    bad = []
    for k, label in ((VC, "VC fund"), (GOV, "government")):
        idx = np.flatnonzero(alive & (kind == k) & (cash * s.weight[:n] < -tol))
        bad += [f"{label} slot {i}: cash {cash[i]:.6g} yuan" for i in idx[:3]]
    for stock in ("researchers", "students"):
        values = getattr(s, stock)[:n]
        idx = np.flatnonzero(alive & (values < -1e-9))
        bad += [f"{stock} of slot {i} (kind {kind[i]}): {values[i]:.6g}" for i in idx[:3]]
    for name in ("pool", "pool_phd"):
        value = getattr(model.acc, name, 0.0)
        if value < -1e-9:
            bad.append(f"{name}: {value:.6g} persons")
    return bad


def run_checked(model: InnovationModel, steps: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Step the model, checking the non-negative stocks after every step; return the stocks for conservation."""
    stocks = [(model.acc.money_stocks(), model.acc.people_stocks())]
    assert not negative_stocks(model), f"negative before the first step: {negative_stocks(model)}"
    for t in range(1, steps + 1):
        model.step()
        bad = negative_stocks(model)
        assert not bad, f"step {t}: " + "; ".join(bad)
        stocks.append((model.acc.money_stocks(), model.acc.people_stocks()))
    return stocks


def _valid_value(p, draw):
    if p.kind == "choice":
        return draw(st.sampled_from(p.choices))
    if p.kind == "fields":
        return draw(st.sampled_from(["none", "chips_ict", "new_energy,biotech_health", ",".join(FIELD_NAMES[:3])]))
    if p.kind == "int":
        return draw(st.integers(int(p.low), int(p.high)))
    if p.kind == "bool":
        return draw(st.booleans())
    return draw(st.one_of(st.sampled_from([float(p.low), float(p.high)]), st.floats(p.low, p.high, allow_nan=False)))


@st.composite
def param_sets(draw):
    """Up to 10 parameters at random valid values (table bounds included), the rest at their defaults."""
    skip = {"scale", "start_year", "regions"}
    names = draw(st.lists(st.sampled_from([p.name for p in PARAMETERS if p.name not in skip]), max_size=10, unique=True))
    by = {p.name: p for p in PARAMETERS}
    params = {n: _valid_value(by[n], draw) for n in names}
    params["regions"] = draw(st.sampled_from(["three", "hubs"]))
    return params


@PENDING
def test_vc_fund_cash_stays_non_negative_at_full_deployment():
    # the case in the issue: seed 6, vc_deploy_rate 1.0, 20 quarters gave -6.8e7 yuan
    model = InnovationModel(seed=6, vc_deploy_rate=1.0)
    stocks = run_checked(model, 20)
    assert_conserved(model, stocks)


@pytest.mark.slow
@PENDING
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(params=param_sets(), seed=st.integers(0, 2**31))
@example(params={"vc_deploy_rate": 1.0, "regions": "three"}, seed=6)  # the case of the issue
def test_stocks_stay_non_negative_and_conserved_over_random_valid_parameters(params, seed):
    model = InnovationModel(seed=seed, **params)
    stocks = run_checked(model, 12)
    assert_conserved(model, stocks)


NAN_PENDING = pytest.mark.xfail(strict=False, reason="indicator fix pending in abm: patent_share_enterprises is "
                                                     "NaN when no patent is granted (patent_rate = 0)")


def _not_finite(model: InnovationModel) -> list[str]:
    out = []
    for table in (model.yearly(), model.quarterly()):
        numbers = table.select_dtypes("number")
        out += [c for c in numbers.columns if not np.isfinite(numbers[c].to_numpy(dtype=float)).all()]
    return sorted(set(out))


@NAN_PENDING
def test_no_indicator_is_nan_without_patents():
    model = InnovationModel(seed=0, patent_rate=0.0).run(years=1)
    assert not _not_finite(model)


@pytest.mark.slow
@NAN_PENDING
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(params=param_sets(), seed=st.integers(0, 2**31))
def test_no_indicator_is_nan_for_valid_parameters(params, seed):
    model = InnovationModel(seed=seed, **params).run(years=2)
    assert not _not_finite(model), f"not finite: {_not_finite(model)} with {params}, seed {seed}"
