"""Innovation consortia (abm.mechanisms.consortia): members gain, money is conserved, levers matter."""

from __future__ import annotations

import numpy as np
import pytest

from abm import InnovationModel
from abm.fields import FIELD_NAMES
from abm.kinds import Kind
from abm.mechanisms import consortia
from abm.params import ParameterError
from tests.conftest import assert_conserved, run_with_stocks

MISSION = dict(mission_field="chips_ict", mission_budget=6e10, mission_start_year=2016, mission_years=10)
CHIPS = FIELD_NAMES.index("chips_ict")


def _formed(m: InnovationModel, limit: int = 12):
    """Step until the first consortium forms; return it."""
    for _ in range(limit):
        m.step()
        if m.consortium_book.all:
            return m.consortium_book.all[0]
    raise AssertionError("no consortium formed")


def _gains(seed: int, quarters: int = 16, **kw) -> tuple[np.ndarray, np.ndarray]:
    """Capability gain of the first consortium's founding members and of matched non-members over the
    consortium's life (at most ``quarters`` quarters). A member's match is the non-member of the same kind and field nearest to it in
    capability at formation (each non-member used once); non-members that join a later consortium within
    the window, and pairs where either actor died, are dropped.
    """
    m = InnovationModel(seed=seed, scale=0.005, **{**MISSION, **kw})
    c = _formed(m)
    s = m.s
    n = s.n
    members = c.members.copy()
    used = np.zeros(n, dtype=bool)
    used[members] = True
    pairs = []
    for slot in members:
        pool = np.flatnonzero(s.alive[:n] & ~used & (s.field[:n] == CHIPS) & (s.kind[:n] == s.kind[slot]))
        if pool.size:
            match = pool[np.argmin(np.abs(s.know[pool] - s.know[slot]))]
            used[match] = True
            pairs.append((slot, match))
    a = np.array(pairs)
    uid = s.uid[a].copy()
    k0 = s.know[a].copy()
    for _ in range(quarters):  # the first consortium's life, at most ``quarters``
        m.step()
        if c.outcome != "running":
            break
    joined = {u for later in m.consortium_book.all[1:] for u in later.founders.tolist()}
    ok = (s.uid[a] == uid).all(axis=1) & s.alive[a].all(axis=1) & ~np.isin(uid[:, 1], list(joined))
    gain = s.know[a] - k0
    return gain[ok, 0], gain[ok, 1]


def test_members_capability_rises_more_than_equal_non_members():
    """The issue's check, against matched non-members (same kind, field, nearest capability): pooled over
    seeds members gain more. Per seed the difference is noisy (a consortium that succeeds in its first
    quarter lasts one quarter), so the pooled mean is what is asserted.
    """
    diffs = []
    for seed in (1, 2, 3, 4, 5):
        mem, non = _gains(seed)
        assert mem.size >= 4
        diffs.append(float(np.mean(mem - non)))
    assert np.mean(diffs) > 0.01, diffs


def test_members_gain_more_than_themselves_without_the_consortium_paired_seeds():
    """Paired seeds: the founding members' capability gain over 12 quarters against the same actors in the
    same seed's run without the mission (the equal non-members: themselves, not members)."""
    diffs = []
    for seed in (1, 2, 3, 4, 5):
        a = InnovationModel(seed=seed, scale=0.005, **MISSION)
        c = _formed(a)
        b = InnovationModel(seed=seed, scale=0.005).run(steps=a.steps)
        mem = c.members.copy()
        uid = a.s.uid[mem].copy()
        assert (b.s.uid[mem] == uid).all()
        k0a, k0b = a.s.know[mem].copy(), b.s.know[mem].copy()
        for _ in range(12):
            a.step()
            b.step()
        ok = (a.s.uid[mem] == uid) & (b.s.uid[mem] == uid) & a.s.alive[mem] & b.s.alive[mem]
        diffs.append(float(np.mean((a.s.know[mem] - k0a)[ok] - (b.s.know[mem] - k0b)[ok])))
    assert np.mean(diffs) > 0.02, diffs
    assert sum(d > 0 for d in diffs) >= 4, diffs


def _accept_all(m, fidx, leader, ranked, k):
    return ranked[:k], ranked[:0]


def test_knowledge_sharing_raises_members_gain_paired_seeds(monkeypatch):
    """Paired seeds: switching sharing off lowers what members gain (a monotone response). Membership is
    held fixed (every invitation accepted): with sharing on, the firms that would teach more than they
    learn decline, so the two runs would otherwise compare different members."""
    monkeypatch.setattr(consortia, "_accepting", _accept_all)
    # one seed's 8 quarters are noisy (licences and spillovers move members too: with the licence payback
    # rule 3 of seeds 1-6 show the difference, by 0.002-0.036, the others miss it by up to 0.006), so the
    # response is tested on the mean over six paired seeds
    shared = [_gains(seed, quarters=8)[0].mean() for seed in range(1, 7)]
    alone = [_gains(seed, quarters=8, consortium_sharing=0.0)[0].mean() for seed in range(1, 7)]
    assert np.mean(shared) > np.mean(alone) + 0.005, (shared, alone)


def test_money_is_conserved_and_the_pool_pays_out_what_it_takes_in():
    m = InnovationModel(seed=5, key_task_selection="open", consortium_match=2.0, **MISSION)
    stocks = run_with_stocks(m, 16)
    assert_conserved(m, stocks)
    led = m.ledger("money")
    assert {"mission_funding", "consortium_cofunding"} <= set(led["kind"])
    q = m.quarterly()
    cof = led[led["kind"] == "consortium_cofunding"]["amount"].sum()
    gov = led[led["kind"] == "mission_funding"]["amount"].sum()
    assert cof > 0 and gov > 0
    assert q["consortium_cofunding"].sum() == pytest.approx(cof, rel=1e-9)
    assert q["consortium_spending"].sum() == pytest.approx(cof + gov, rel=1e-9)
    assert q["gov_mission"].sum() == pytest.approx(gov, rel=1e-9)
    frame = m.consortia()
    assert frame["gov_money"].sum() == pytest.approx(gov, rel=1e-9)
    assert frame["cofunding"].sum() == pytest.approx(cof, rel=1e-9)


@pytest.mark.parametrize("lead", ["soe", "private", "open"])
def test_each_lead_rule_forms_a_consortium(lead):
    m = InnovationModel(seed=3, consortium_lead=lead, **MISSION)
    c = _formed(m)
    leader_kind = Kind(int(c.kinds[0]))
    allowed = {"soe": {Kind.SOE}, "private": {Kind.PRIVATE}, "open": {Kind.SOE, Kind.PRIVATE}}[lead]
    assert leader_kind in allowed
    assert c.members.size == 1 + m.params["consortium_members"]
    assert (m.s.field[c.members] == CHIPS).all()
    assert Kind.SME not in set(c.kinds.tolist())  # designated key tasks: no start-ups
    assert 1 <= c.pathways.size <= m.params["consortium_pathways"]


def test_lead_and_selection_rules_give_different_membership():
    members = {}
    for lead in ("soe", "private", "open"):
        members[lead] = frozenset(_formed(InnovationModel(seed=3, consortium_lead=lead, **MISSION)).uids.tolist())
    assert len(set(members.values())) == 3, members
    # open key tasks: seats won in an open call that start-ups may enter
    kinds = set()
    for seed in (1, 2, 3):
        c = _formed(InnovationModel(seed=seed, key_task_selection="open", **MISSION))
        kinds |= {Kind(int(k)) for k in c.kinds}
        assert frozenset(c.uids.tolist()) != members["private"] or seed != 3
    assert Kind.SME in kinds or Kind.PRIVATE in kinds


def test_consortium_ends_on_deadline_and_a_new_one_forms():
    m = InnovationModel(seed=2, consortium_success_rate=0.0, consortium_years=1, **MISSION)
    m.run(steps=16)
    f = m.consortia()
    first = f.iloc[0]
    assert first["outcome"] == "deadline"
    assert first["end_step"] - first["start_step"] == 3  # four quarters, the last one included
    assert len(f) >= 2 and f.iloc[1]["start_step"] == first["end_step"] + 1


def test_consortium_fails_when_the_mission_money_stops():
    m = InnovationModel(seed=2, consortium_success_rate=0.0, consortium_years=5, **{**MISSION, "mission_years": 1})
    m.run(steps=12)
    f = m.consortia()
    assert list(f["outcome"]) == ["failure"]
    assert m.quarterly()["consortia_active"].iloc[-1] == 0


def test_success_lands_on_a_pathway_component():
    m = InnovationModel(seed=1, consortium_success_rate=4.0, **MISSION)
    m.run(steps=12)
    f = m.consortia()
    wins = f[f["outcome"] == "success"]
    assert len(wins) >= 1
    for _, row in wins.iterrows():
        assert row["success_component"] in row["pathways"].split(",")
    assert m.quarterly()["consortium_successes"].sum() >= len(wins)


def test_deterministic_for_a_seed():
    a = InnovationModel(seed=7, consortium_lead="open", **MISSION).run(steps=14)
    b = InnovationModel(seed=7, consortium_lead="open", **MISSION).run(steps=14)
    assert a.indicator_hash() == b.indicator_hash()
    assert a.consortia().equals(b.consortia())


def test_no_mission_no_consortium():
    m = InnovationModel(seed=1).run(steps=6)
    assert m.consortia().empty
    q = m.quarterly()
    assert (q["consortia_active"] == 0).all() and q["consortium_spending"].sum() == 0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("consortium_lead", "state"),
        ("consortium_pathways", 0),
        ("consortium_members", 1000),
        ("key_task_selection", "x"),
    ],
)
def test_bad_lever_values_give_a_clear_error(name, value):
    with pytest.raises(ParameterError, match=rf"parameter '{name}': value {value!r} is not allowed.*allowed"):
        InnovationModel(**{name: value})


def _invitees(sharing: float):
    """A model at the first consortium's formation, the field's firms and institutions ranked by knowledge."""
    m = InnovationModel(seed=3, scale=0.005, **{**MISSION, "consortium_sharing": sharing})
    _formed(m)
    s = m.s
    here = np.flatnonzero(s.alive[: s.n] & (s.field[: s.n] == CHIPS))
    firms = here[np.isin(s.kind[here], [Kind.SOE, Kind.PRIVATE])]
    inst = here[np.isin(s.kind[here], [Kind.UNIVERSITY, Kind.LAB])]
    return m, firms[np.argsort(-s.know[firms])], inst


def test_firms_far_ahead_decline_to_teach_rivals_and_institutions_join():
    """The join decision (appropriability): a firm ahead of the members in every component learns
    nothing and teaches its rivals, so it declines; a firm behind joins; an institution ahead joins;
    with no sharing every invitation is accepted."""
    m, firms, inst = _invitees(0.1)
    s = m.s
    leader, ahead, behind = int(firms[1]), int(firms[0]), int(firms[-1])
    s.know_c[ahead] = np.maximum(s.know_c[ahead], s.know_c[firms].max(axis=0) + 0.1)  # ahead everywhere
    ranked = np.array([ahead, behind, int(inst[0])])
    s.know_c[inst[0]] = s.know_c[ahead] + 0.05
    joined, declined = consortia._accepting(m, CHIPS, leader, ranked, 3)
    assert ahead in declined.tolist() and behind in joined.tolist() and int(inst[0]) in joined.tolist()
    m.params["consortium_sharing"] = 0.0
    joined, declined = consortia._accepting(m, CHIPS, leader, ranked, 3)
    assert joined.tolist() == ranked.tolist() and declined.size == 0


def test_in_a_run_the_firms_that_decline_are_the_most_capable():
    """With sharing on, some invited firms decline (recorded in consortium_declined), and they know more
    than the firms that joined; with sharing off nobody declines (paired seeds)."""
    declined_more = []
    for seed in (1, 2, 3):
        m = InnovationModel(seed=seed, scale=0.005, **MISSION)
        calls = []
        original = consortia._accepting

        def spy(mm, fidx, leader, ranked, k, calls=calls, original=original):
            joined, declined = original(mm, fidx, leader, ranked, k)
            calls.append(
                (mm.s.know[joined[~np.isin(mm.s.kind[joined], [Kind.UNIVERSITY, Kind.LAB])]], mm.s.know[declined])
            )
            return joined, declined

        consortia._accepting = spy
        try:
            _formed(m)
        finally:
            consortia._accepting = original
        firms_in, out = calls[0]
        assert out.size > 0 and m.quarterly()["consortium_declined"].sum() > 0
        declined_more.append(out.mean() > firms_in.mean())
        off = InnovationModel(seed=seed, scale=0.005, **{**MISSION, "consortium_sharing": 0.0})
        _formed(off)
        assert off.quarterly()["consortium_declined"].sum() == 0
    assert all(declined_more)
