"""The eight kinds of Mesa agents and their views of the state (issue 2, item 3)."""

from __future__ import annotations

import numpy as np
import pytest

from abm import InnovationModel, agents
from abm.kinds import Kind

PRIVATE = Kind.PRIVATE


@pytest.fixture(scope="module")
def model():
    return InnovationModel(seed=4).run(steps=6)


def test_all_eight_kinds_present(model):
    classes = {type(a) for a in model.agents}
    assert classes == {
        agents.StateOwnedEnterprise,
        agents.PrivateFirm,
        agents.TechSME,
        agents.University,
        agents.ResearchLab,
        agents.VentureCapitalFirm,
        agents.GovernmentBody,
        agents.ForeignFrontierFirm,
    }
    gov = list(model.agents_by_type[agents.GovernmentBody])
    assert sorted(a.subtype for a in gov) == ["central", "local", "local", "local"]
    vc = {a.subtype for a in model.agents_by_type[agents.VentureCapitalFirm]}
    assert vc == {"private_vc", "guidance_fund"}
    labs = {a.subtype for a in model.agents_by_type[agents.ResearchLab]}
    assert labs == {"institute", "state_key_lab", "national_lab", "new_type"}


def test_agents_are_views_on_the_state(model):
    a = next(iter(model.agents_by_type[agents.University]))
    assert a.researchers == model.s.researchers[a.slot]
    assert a.kind == "university" and a.field in a.state()["field"]
    st = a.state()
    assert st["unique_id"] == a.unique_id and st["weight"] > 0


def test_one_agent_per_living_slot(model):
    s = model.s
    alive = set(np.flatnonzero(s.alive[: s.n]).tolist())
    assert alive == set(model.agent_of)
    assert len(model.agents) == len(alive)


def test_snapshot_has_one_row_per_agent(model):
    snap = model.snapshot()
    assert len(snap) == len(model.agents)
    assert {"unique_id", "kind", "field", "region", "weight", "cash", "know"} <= set(snap.columns)


def test_listing_turns_a_startup_into_a_private_firm():
    m = InnovationModel(seed=2, ipo_valuation=1e7)
    m.run(steps=12)
    assert m.yearly()["ipos"].sum() > 0
    converted = [a for a in m.agents_by_type[agents.PrivateFirm] if getattr(a, "origin_id", None) is not None]
    assert converted and all(m.s.kind[a.slot] == PRIVATE for a in converted)


def test_agents_do_not_step_alone(model):
    with pytest.raises(NotImplementedError):
        next(iter(model.agents)).step()


def test_finished_models_are_freed():
    import gc
    import weakref

    refs = []
    for seed in range(3):
        m = InnovationModel(seed=seed).run(steps=2)
        refs.append(weakref.ref(m))
        del m
    gc.collect()
    assert all(r() is None for r in refs), "a finished model is still referenced (memory leak in batch runs)"


def test_unique_ids_count_per_model():
    a, b = InnovationModel(seed=1), InnovationModel(seed=1)
    assert sorted(x.unique_id for x in a.agents)[:3] == [1, 2, 3]
    assert sorted(x.unique_id for x in a.agents) == sorted(x.unique_id for x in b.agents)


def test_cached_groups_match_a_fresh_count_through_entry_exit_and_listing():
    """of_kind / of_group are cached until the roster changes; after every mechanism of a run with
    births, exits and listings they equal the slots counted from ``alive`` and ``kind`` afresh.
    """
    import dataclasses

    from abm.kinds import FIRMS, INSTITUTIONS, PERFORMERS, in_group

    m = InnovationModel(seed=3)
    s = m.s
    checked = []

    def check(model: InnovationModel) -> None:
        n = s.n
        for group in (FIRMS, INSTITUTIONS, PERFORMERS):
            fresh = np.flatnonzero(s.alive[:n] & in_group(s.kind[:n], group))
            assert np.array_equal(s.of_group(group), fresh)
        for k in Kind:
            assert np.array_equal(s.of_kind(k), np.flatnonzero(s.alive[:n] & (s.kind[:n] == k)))
        checked.append(n)

    def wrap(mech):
        def step(model: InnovationModel) -> None:
            mech.step(model)
            check(model)

        return dataclasses.replace(mech, step=step)

    m.mechanisms = tuple(wrap(x) for x in m.mechanisms)
    born0 = int(s.born[: s.n][s.alive[: s.n]].max())
    m.run(years=2)
    assert int(s.born[: s.n].max()) > born0  # births happened (and exits: the pins cover their values)
    assert len(set(checked)) > 1
    with pytest.raises(ValueError):
        s.of_group(FIRMS)[0] = 0  # shared between callers: read-only
    sme = int(s.of_kind(Kind.SME)[0])
    agents.convert_kind(m, sme, Kind.PRIVATE)  # a listing changes a kind in place
    assert sme in s.of_kind(Kind.PRIVATE) and sme not in s.of_kind(Kind.SME)
    check(m)
