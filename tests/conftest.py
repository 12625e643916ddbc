"""Shared fixtures: small seeded runs reused across tests."""

from __future__ import annotations

import numpy as np
import pytest

from abm import InnovationModel
from abm.ledger import MONEY_INTERNAL, MONEY_NODES, PEOPLE_INTERNAL, PEOPLE_NODES


def assert_nonnegative(model: InnovationModel, rel: float = 1e-9) -> None:
    """Stocks that cannot be negative: cash of VC firms, guidance funds and governments; researchers,
    students and the job-seekers' pool (firms may hold negative cash within a quarter: debts)."""
    from abm.kinds import FUNDERS, in_group

    s = model.s
    n = s.n
    alive = s.alive[:n]
    funders = alive & in_group(s.kind[:n], FUNDERS)
    cash = s.cash[:n][funders]
    scale = max(float(np.abs(s.cash[:n][alive]).max(initial=0.0)), 1.0)
    assert (cash >= -rel * scale).all(), f"a funder's cash is negative at step {model.steps}: {cash.min():.6g}"
    for col in ("researchers", "students"):
        v = getattr(s, col)[:n][alive]
        assert (v >= -1e-9 * max(float(v.max(initial=0.0)), 1.0)).all(), f"negative {col} at step {model.steps}"
    assert model.acc.pool >= -1e-6, f"negative job-seekers' pool at step {model.steps}"


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
        for which, df, nodes, n_int, k in (("money", money, MONEY_NODES, n_int_m, 0),
                                           ("people", people, PEOPLE_NODES, n_int_p, 1)):
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
