"""Tabs on one link share their run (dashboards.replay): the same quarters as a tab's own run, one step each."""

from __future__ import annotations

import pytest

pytest.importorskip("solara")

from abm import ParameterError
from dashboards import replay
from dashboards.session import Session


@pytest.fixture
def store(monkeypatch) -> replay.RunStore:
    """A store of this test's own (the server's is shared by every test of the process)."""
    s = replay.RunStore(cap=240)
    monkeypatch.setattr(replay, "STORE", s)
    return s


def _own_run(seed: int, steps: int, monkeypatch) -> Session:
    """The same tab with sharing off: it steps its own model."""
    with monkeypatch.context() as m:
        m.setattr(replay, "STORE", replay.RunStore(cap=0))
        s = Session(seed=seed, warmup=4)
        assert s.shared is None
        s.step(steps - 4)
    return s


def _same_run(a: Session, b: Session) -> bool:
    return (
        a.model.steps == b.model.steps
        and a.model.quarterly().equals(b.model.quarterly())
        and a.model.actors().equals(b.model.actors())
    )


def test_tabs_on_one_link_share_their_quarters_and_step_each_once(store, monkeypatch):
    a = Session(seed=3, warmup=4)  # alone on its run: steps its model in place, keeps and copies nothing
    run = store.run(a.shared)
    assert run.steps_run == 4 and run.copies == 0 and not run.quarters
    b = Session(seed=3, warmup=4)  # joins: makes the quarters it needs, kept from now on
    assert b.shared == a.shared and b.model.steps == 4 and run.steps_run == 8 and len(run.quarters) == 5
    a.step(3)  # two tabs on the run: a's next quarters are frozen copies
    b.step(2)
    assert run.steps_run == 11 and b.model.steps == 6 and b.model is run.quarters[6]
    b.step()
    assert b.model is a.model and run.steps_run == 11
    c = Session(seed=3, warmup=4)  # a third tab: every quarter it needs is there
    assert c.model is run.quarters[4] and run.steps_run == 11
    c.step(3)
    assert c.model is a.model and run.steps_run == 11
    assert _same_run(a, _own_run(3, 7, monkeypatch))  # the shared quarters are the tab's own run
    other = Session(seed=4, warmup=4)  # another seed: another run
    assert other.shared != a.shared and other.model is not a.model


def test_a_tab_alone_on_its_run_copies_nothing(store, monkeypatch):
    s = Session(seed=9, warmup=4)
    model = s.model
    s.step(4)
    run = store.run(s.shared)
    assert s.model is model and run.copies == 0 and not run.quarters and store.quarters() == 0
    assert _same_run(s, _own_run(9, 8, monkeypatch))


def test_a_lever_applied_while_running_leaves_the_shared_run_and_changes_no_other_tab(store, monkeypatch):
    a = Session(seed=5, warmup=4)
    b = Session(seed=5, warmup=4)
    a.step()
    b.step()
    held = a.model
    assert b.model is held
    before = held.params["stable_share"]
    a.set_value("stable_share", 0.8)
    a.apply_now()
    assert a.shared is None and a.model is not held and a.model.params["stable_share"] == 0.8
    assert held.params["stable_share"] == before and b.model is held  # the frozen quarter is untouched
    a.step(3)
    b.step(3)
    assert b.shared is not None and _same_run(b, _own_run(5, 8, monkeypatch))
    assert not a.model.quarterly().equals(b.model.quarterly())  # the lever acted on a's run alone
    b.reset()  # the same seed and settings: the same run's first year again (b alone on it: made anew)
    assert b.model.steps == 4 and _same_run(b, _own_run(5, 4, monkeypatch))
    a.reset()  # a's applied lever is now one of its settings: a run of its own key
    assert a.shared is not None and a.shared != b.shared


def test_the_watched_actor_is_followed_from_quarter_to_quarter(store):
    s = Session(seed=6, warmup=4)
    watched = s.pick("soe", "largest")
    s.step(3)
    assert s.watch.model is s.model and s.watch.unique_id == watched.unique_id
    assert len(s.history) == 4 and [h["_quarter"] for h in s.history][-1] == "2016 Q3"
    assert s.watch_gone is None


def test_quarters_dropped_past_the_cap_are_made_again(monkeypatch):
    small = replay.RunStore(cap=3)
    monkeypatch.setattr(replay, "STORE", small)
    a = Session(seed=7, warmup=4)
    a.step(6)
    assert small.quarters() <= 3
    b = Session(seed=7, warmup=4)  # its first quarters were dropped: made again, the same
    b.step(6)
    assert small.quarters() <= 3 and _same_run(a, b) and _same_run(b, _own_run(7, 10, monkeypatch))


def test_the_cap_setting_is_checked(monkeypatch):
    monkeypatch.setenv(replay.SHARED_QUARTERS_ENV, "lots")
    with pytest.raises(ParameterError, match=r"NIS_DASHBOARD_SHARED_QUARTERS='lots'.*whole number"):
        replay.shared_quarters()
    monkeypatch.setenv(replay.SHARED_QUARTERS_ENV, "0")
    assert replay.RunStore().run(("k",)) is None
    monkeypatch.delenv(replay.SHARED_QUARTERS_ENV)
    assert replay.shared_quarters() == replay.DEFAULT_SHARED_QUARTERS


def test_the_server_command_refuses_a_wrong_cap_before_it_starts(monkeypatch, capsys):
    from dashboards.__main__ import main

    calls = []
    monkeypatch.setattr("dashboards.__main__.serve", lambda c, env: calls.append(c) or 0)
    monkeypatch.setattr("dashboards.__main__.port_in_use", lambda host, port: False)
    monkeypatch.setenv(replay.SHARED_QUARTERS_ENV, "-5")
    assert main(["--port", "9999"]) == 2 and not calls
    assert "NIS_DASHBOARD_SHARED_QUARTERS='-5'" in capsys.readouterr().err


def test_a_link_with_a_seed_builds_that_run_alone(store):
    """A tab opened on ?seed=7 builds and warms up seed 7 only (not the default seed first)."""
    from dashboards import app, share

    s = app._new_session(share.View(None, None, "baseline", 7, None))
    assert s.seed == 7 and s.model.steps == app.WARMUP and list(store.runs) == [s.shared]
    assert store.run(s.shared).steps_run == app.WARMUP
