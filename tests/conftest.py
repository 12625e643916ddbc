"""Shared fixtures: small seeded runs reused across tests."""

from __future__ import annotations

import numpy as np
import pytest

from abm import InnovationModel
from abm.ledger import MONEY_INTERNAL, MONEY_NODES, PEOPLE_INTERNAL, PEOPLE_NODES


def negative_stocks(model: InnovationModel) -> list[str]:
    """Stocks that cannot be negative but are (beyond rounding), as readable lines: the cash of VC firms,
    guidance funds and governments, researchers and students of every actor, the job-seekers' pool.
    (Firms may hold negative cash within a quarter: debts that entry and exit settle.)"""
    from abm.kinds import Kind

    s, n = model.s, model.s.n
    alive = s.alive[:n]
    kind = s.kind[:n]
    cash = s.cash[:n]
    tol = 1e-9 * max(1.0, float(np.abs(s.weight[:n] * cash)[alive].sum()))
    bad = []
    for k, label in ((Kind.VC, "VC fund"), (Kind.GOV, "government")):
        idx = np.flatnonzero(alive & (kind == k) & (cash * s.weight[:n] < -tol))
        bad += [f"{label} slot {i}: cash {cash[i]:.6g} yuan" for i in idx[:3]]
    for stock in ("researchers", "students"):
        values = getattr(s, stock)[:n]
        idx = np.flatnonzero(alive & (values < -1e-9))
        bad += [f"{stock} of slot {i} ({Kind(int(kind[i])).label}): {values[i]:.6g}" for i in idx[:3]]
    for name in ("pool", "pool_phd"):
        value = getattr(model.acc, name)
        if value < -1e-9:
            bad.append(f"{name}: {value:.6g} persons")
    return bad


def assert_nonnegative(model: InnovationModel) -> None:
    """Fail naming every stock that cannot be negative but is (:func:`negative_stocks`)."""
    bad = negative_stocks(model)
    assert not bad, f"step {model.steps}: " + "; ".join(bad)


def _valid_value(p, draw):
    from hypothesis import strategies as st

    from abm.fields import FIELD_NAMES

    if p.kind == "choice":
        return draw(st.sampled_from(p.choices))
    if p.kind == "fields":
        return draw(st.sampled_from(["none", "chips_ict", "new_energy,biotech_health", ",".join(FIELD_NAMES[:3])]))
    if p.kind == "components":
        return draw(st.sampled_from(["none", "lithography", "eda,high_end_chips", "aero_engines,cnc_systems"]))
    if p.kind == "int":
        return draw(st.integers(int(p.low), int(p.high)))
    if p.kind == "bool":
        return draw(st.booleans())
    return draw(st.one_of(st.sampled_from([float(p.low), float(p.high)]), st.floats(p.low, p.high, allow_nan=False)))


def param_sets(max_size: int = 8):
    """Hypothesis strategy: up to ``max_size`` parameters at random valid values (table bounds included),
    the rest at their defaults, and a random regional layout."""
    from hypothesis import strategies as st

    from abm.params import PARAMETERS

    skip = {"scale", "start_year", "regions"}
    by = {p.name: p for p in PARAMETERS}

    @st.composite
    def draw_set(draw):
        names = draw(st.lists(st.sampled_from([n for n in by if n not in skip]), max_size=max_size, unique=True))
        params = {n: _valid_value(by[n], draw) for n in names}
        params["regions"] = draw(st.sampled_from(["three", "hubs"]))
        return params

    return draw_set()


def run_with_stocks(model: InnovationModel, steps: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Step the model, returning (money stocks, people stocks) before the first and after each step.

    Every step is also checked for stocks that cannot be negative (:func:`assert_nonnegative`).
    """
    out = [(model.acc.money_stocks(), model.acc.people_stocks())]
    assert_nonnegative(model)
    for _ in range(steps):
        model.step()
        assert_nonnegative(model)
        out.append((model.acc.money_stocks(), model.acc.people_stocks()))
    return out


def net_flows(ledger_df, step: int, nodes: tuple[str, ...]) -> np.ndarray:
    """Net inflow per node in one step of a ledger table."""
    rows = ledger_df[ledger_df["step"] == step]
    net = np.zeros(len(nodes))
    idx = {n: i for i, n in enumerate(nodes)}
    for src, dst, amt in zip(rows["source"], rows["target"], rows["amount"], strict=True):
        net[idx[dst]] += amt
        net[idx[src]] -= amt
    return net


def assert_conserved(model: InnovationModel, stocks, rel: float = 1e-9) -> None:
    """Every internal node's stock change equals its ledger net inflow, at every step."""
    money = model.ledger("money")
    people = model.ledger("people")
    n_int_m, n_int_p = len(MONEY_INTERNAL), len(PEOPLE_INTERNAL)
    for t in range(1, len(stocks)):
        for which, df, nodes, n_int, k in (
            ("money", money, MONEY_NODES, n_int_m, 0),
            ("people", people, PEOPLE_NODES, n_int_p, 1),
        ):
            before, after = stocks[t - 1][k], stocks[t][k]
            net = net_flows(df, t, nodes)
            scale = max(np.abs(before[:n_int]).sum(), np.abs(after[:n_int]).sum(), 1.0)
            diff = (after - before)[:n_int] - net[:n_int]
            bad = np.flatnonzero(np.abs(diff) > rel * scale)
            assert bad.size == 0, (
                f"{which} not conserved at step {t}: node {nodes[bad[0]]} changed by "
                f"{(after - before)[bad[0]]:.6g} but the ledger says {net[bad[0]]:.6g}"
            )
            # what the system gained is what the outside lost
            total = (after - before)[:n_int].sum()
            outside = -net[n_int:].sum()
            assert abs(total - outside) <= rel * scale, f"{which}: external flows do not balance at step {t}"


@pytest.fixture(scope="session")
def baseline_run():
    """The baseline at seed 11, 40 quarters, with stocks after every step."""
    model = InnovationModel(seed=11)
    stocks = run_with_stocks(model, 40)
    return model, stocks
