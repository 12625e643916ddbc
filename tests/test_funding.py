"""Government that selects (issue 11, item 7): competitive calls with noisy review, open competition
for key tasks, institutions evaluated on performance."""

from __future__ import annotations

import numpy as np
import pytest

from abm import InnovationModel
from abm.kinds import INSTITUTIONS, Funder, Kind, ProjectOutcome
from abm.mechanisms import funding, projects
from tests.conftest import assert_conserved, run_with_stocks

MISSION = dict(mission_field="chips_ict", mission_budget=6e10, mission_start_year=2021, mission_years=10)


def test_award_funds_the_best_scores_of_each_group_until_its_budget_is_spent():
    group = np.array([0, 0, 0, 0, 1, 1, 1])
    score = np.array([0.1, 0.9, 0.5, 0.7, 2.0, -1.0, 1.0])
    ask = np.array([10.0, 10.0, 10.0, 10.0, 5.0, 5.0, 5.0])
    budget = np.array([25.0, 7.0])
    got = funding.award(group, score, ask, budget)
    # group 0: 0.9 and 0.7 in full, 0.5 gets the 5 left, 0.1 nothing; group 1: 2.0 in full, 1.0 gets 2
    assert got.tolist() == [0.0, 10.0, 5.0, 10.0, 5.0, 0.0, 2.0]
    assert funding.award(group, score, ask, np.array([1e9, 1e9])).tolist() == ask.tolist()
    assert funding.award(group, score, ask, np.zeros(2)).tolist() == [0.0] * 7


def test_with_zero_review_noise_a_call_funds_exactly_the_top_quality_proposals():
    m = InnovationModel(seed=3, review_noise=0.0, proposal_idea_spread=0.0).run(steps=2)
    s = m.s
    inst = s.of_group(INSTITUTIONS)
    m.grants.amount[:] = 0.0  # no running grants: everybody may apply
    m.grants.frac[:] = 0.0
    cost = np.zeros(s.capacity)
    cost[inst] = 1e6
    ask = s.weight[inst] * m.params["grant_size"] * 1e6
    quality = funding.proposal_quality(m, inst, np.random.default_rng(0))  # deterministic without idea spread
    order = np.argsort(-quality, kind="stable")
    budget = float(np.sum(ask[order[:5]])) + 0.5 * ask[order[5]]
    slots, paid = funding._call(
        m, Funder.CENTRAL_PROJECT, np.array([budget, 0.0]), inst, np.zeros(inst.size, dtype=np.int64), cost, 12,
        np.random.default_rng(1),
    )  # fmt: skip
    assert set(slots.tolist()) == set(inst[order[:6]].tolist())
    assert paid.sum() == pytest.approx(budget)
    got = dict(zip(slots.tolist(), paid.tolist(), strict=True))
    assert got[int(inst[order[5]])] == pytest.approx(0.5 * ask[order[5]])
    assert m.grants.quality[inst[order[:6]], 0] == pytest.approx(quality[order[:6]])


def test_review_noise_lowers_funded_quality_and_breakthroughs_per_yuan():
    """Paired seeds: noisier review funds worse proposals, which yield fewer breakthroughs per yuan."""
    noises = (0.0, 1.0, 3.0)
    quality = np.zeros((4, len(noises)))
    per_yuan = np.zeros((4, len(noises)))
    for i, seed in enumerate((1, 2, 3, 4)):
        for j, noise in enumerate(noises):
            y = InnovationModel(seed=seed, review_noise=noise).run(years=12).yearly().iloc[3:]
            bt = sum(y[f"project_breakthroughs_{f.label}"].sum() for f in funding.CALLS)
            money = (y["gov_project"] + y["gov_local"] + y["gov_mission"]).sum()
            quality[i, j] = y["grant_quality"].mean()
            per_yuan[i, j] = bt / money
    assert (np.diff(quality, axis=1) < 0).all(), quality
    # breakthroughs per yuan: clearly lower at high noise; from 0 to 1 the step is within replication
    # noise since issue 10 (mean +1.5% over these seeds), so it may not rise by more than that noise
    mean = per_yuan.mean(axis=0)
    assert mean[2] < 0.9 * mean[0], per_yuan
    assert mean[1] < 1.05 * mean[0], per_yuan


def test_open_competition_gives_start_ups_consortium_seats():
    """Consortium seats reserved for large firms and institutions vs won in an open call (SSF:272-274),
    SOE-led consortia, paired seeds: start-ups hold seats only in open calls. (The money follows the
    tasks, i.e. research capacity, so open seats do not by themselves move money to private firms.)"""
    seats = {}
    for sel in ("designated", "open"):
        for seed in (1, 2, 3, 4):
            m = InnovationModel(seed=seed, consortium_lead="soe", key_task_selection=sel, **MISSION)
            m.run(years=7)
            f = m.consortia()
            assert len(f) > 0 and f["gov_money"].sum() > 0
            seats.setdefault(sel, []).append(sum("sme" in k.split(",") for k in f["member_kinds"]))
    assert max(seats["designated"]) == 0
    assert sum(seats["open"]) > 0, seats


def test_calls_evaluation_and_open_competition_conserve_money_and_people():
    model = InnovationModel(
        seed=11,
        key_task_selection="open",
        stable_evaluation_weight=0.6,
        evaluation_basis="counts",
        review_noise=2.0,
        **{**MISSION, "mission_start_year": 2016},
    )
    stocks = run_with_stocks(model, 16)
    assert_conserved(model, stocks)
    kinds = set(model.ledger("money")["kind"])
    assert {"project_funding", "local_funding", "mission_funding", "stable_funding"} <= kinds


def test_grants_are_held_by_part_of_each_agents_real_actors_and_end_at_one_cycle_a_quarter():
    m = InnovationModel(seed=2).run(steps=1)
    g = m.grants
    c = funding.CALLS.index(Funder.CENTRAL_PROJECT)
    held = np.flatnonzero(g.amount[: m.s.n, c] > 0)
    assert held.size > 0
    frac = g.frac[held, c].copy()
    amount = g.amount[held, c].copy()
    assert (frac > 0).all() and (frac <= 1).all()
    # the real actors of an agent apply and win on their own: most agents hold grants for part of them
    assert (frac < 1).mean() > 0.5
    funding._expire(m)  # the next quarter: 1 of the 12 quarters of the cycle ends
    assert g.frac[held, c] == pytest.approx(frac * 11 / 12)
    assert g.amount[held, c] == pytest.approx(amount * 11 / 12)
    m.run(steps=12)
    y = m.yearly()
    assert (y["grants_awarded"] > 0).all() and (y["grants_awarded"] < y["grant_applications"]).all()
    # call projects count the real actors holding grants, not the agents' whole weight
    assert (y["projects_active_central_project"] < y["n_university"] + y["n_lab"] + y["n_soe"] + y["n_private"]).all()


def test_track_record_moves_toward_the_outcomes_of_ended_projects():
    m = InnovationModel(seed=1).run(steps=1)
    s = m.s
    a, b = (int(x) for x in s.of_kind(Kind.LAB)[:2])
    s.track_record[[a, b]] = 0.5
    mem = m.params["track_record_memory"]
    projects._track_record(
        m,
        np.array([a, a, b, b]),
        np.array(
            [ProjectOutcome.BREAKTHROUGH, ProjectOutcome.BREAKTHROUGH, ProjectOutcome.FAILURE, ProjectOutcome.ABANDONED]
        ),
    )
    assert s.track_record[a] == pytest.approx(0.5 + (1 - (1 - mem) ** 2) * 0.5)
    assert s.track_record[b] == pytest.approx(0.5 * (1 - mem))  # an abandoned project is not judged


@pytest.mark.parametrize("basis, output", [("counts", "patents_new"), ("impact", "breakthroughs")])
def test_evaluation_moves_stable_money_toward_what_it_counts(basis, output):
    """Performance follows what the basis counts; with every stable yuan allocated on evaluation, stable
    money per unit of staff cost is proportional to the evaluation; without, it is the same for all."""
    for weight in (0.0, 1.0):
        m = InnovationModel(seed=4, stable_evaluation_weight=weight, evaluation_basis=basis, evaluation_noise=0.0)
        s = m.s
        unis = s.of_kind(Kind.UNIVERSITY)
        perf = np.zeros(unis.size)  # the counted output per researcher, summed over the last two years
        for q in range(16):
            m.step()
            if q >= 8:
                perf += getattr(s, output)[unis] / np.maximum(s.researchers[unis], 1e-9)
        assert np.corrcoef(perf, s.performance[unis])[0, 1] > 0.2
        # evaluations differ (less since grants are won per real actor, not by whole agents: 0.044 at counts)
        assert np.std(s.evaluation[unis]) > 0.03
        inst = s.of_group(INSTITUTIONS)
        cost = np.zeros(s.capacity)
        cost[inst] = s.researchers[inst] * 1e5
        z = np.zeros(s.capacity)
        q = funding._Quarter(inst, cost, z.copy(), z.copy(), z.copy(), z.copy())
        funding._stable(m, q, 1e10)
        per_cost = q.stable_in[unis] / (s.weight[unis] * cost[unis])
        expected = s.evaluation[unis] if weight == 1.0 else np.ones(unis.size)
        assert per_cost / expected == pytest.approx(np.full(unis.size, per_cost[0] / expected[0]))


def test_award_share_spends_each_calls_budget_and_matches_a_bisection():
    """Per-real-actor grant decisions (abm.mechanisms.funding.award_share): an oversubscribed call group
    spends exactly its budget, an undersubscribed one funds every proposal, one without money none; a
    better mean score gets a larger share; the cut-offs equal a plain 200-step bisection's."""
    from abm.mechanisms.funding import _ncdf, award_share

    rng = np.random.default_rng(3)
    for _ in range(40):
        G, n = int(rng.integers(1, 12)), int(rng.integers(2, 300))
        g = rng.integers(0, G, n)
        mu, sd, ask = rng.normal(0, 0.5, n), float(rng.uniform(0.05, 1.5)), rng.lognormal(15, 1, n)
        asked = np.bincount(g, ask, minlength=G)
        budget = asked * rng.uniform(0, 1.3, G)
        budget[0] = 0.0
        share, _ = award_share(g, mu, sd, ask, budget)
        spent = np.bincount(g, ask * share, minlength=G)
        tight = asked > budget
        assert spent[tight] == pytest.approx(budget[tight], rel=1e-9, abs=1e-3)
        assert (share[~tight[g]] == 1.0).all() and (share[g == 0] == 0.0).all()
        for k in np.flatnonzero(tight & (budget > 0)):
            lo, hi = mu.min() - 12 * sd, mu.max() + 12 * sd
            rows = g == k
            for _ in range(200):
                cut = 0.5 * (lo + hi)
                lo, hi = (cut, hi) if (ask[rows] * _ncdf((mu[rows] - cut) / sd)).sum() > budget[k] else (lo, cut)
            assert share[rows] == pytest.approx(_ncdf((mu[rows] - hi) / sd), abs=1e-9)
            order = np.argsort(mu[rows])
            assert (np.diff(share[rows][order]) >= -1e-15).all()
