"""The public model API that dashboards, calibration and scripts use (issue 9, item 5)."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from abm import InnovationModel, ParameterError
from abm.kinds import KIND_NAMES, Kind
from abm.model import StaleAgentError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def model():
    return InnovationModel(seed=5).run(steps=8)


def test_set_params_validates_and_is_all_or_nothing():
    m = InnovationModel(seed=1)
    assert m.set_params(stable_share=0.5, mission_budget=1e10) == {"stable_share": 0.5, "mission_budget": 1e10}
    assert m.params["stable_share"] == 0.5
    with pytest.raises(ParameterError, match=r"'mission_budget'.*-1"):
        m.set_params(stable_share=0.6, mission_budget=-1)
    assert m.params["stable_share"] == 0.5  # nothing applied
    with pytest.raises(ParameterError, match=r"scale.*mid-run"):
        m.set_params(scale=0.01)
    with pytest.raises(ParameterError, match="did you mean 'stable_share'"):
        m.set_params(stable_shar=0.3)
    m.set_params(scale=m.params["scale"])  # the value in force is accepted


def test_set_params_changes_the_run_from_the_next_quarter():
    a = InnovationModel(seed=2).run(steps=4)
    b = InnovationModel(seed=2).run(steps=4)
    b.set_params(stable_share=0.9)
    a.run(steps=4)
    b.run(steps=4)
    qa, qb = a.quarterly(), b.quarterly()
    assert qa.iloc[:5].equals(qb.iloc[:5])
    assert (qb["gov_stable"].iloc[5:] > qa["gov_stable"].iloc[5:]).all()


def test_actors_frame_by_kind(model):
    every = model.actors()
    assert set(every["kind"]) == set(KIND_NAMES)
    assert every["unique_id"].is_unique
    soe = model.actors("soe")
    assert len(soe) == int((every["kind"] == "soe").sum()) and (soe["kind"] == "soe").all()
    assert len(model.actors(Kind.LAB)) == int((every["kind"] == "lab").sum())
    with pytest.raises(ValueError, match="allowed: soe, private"):
        model.actors("bank")
    # weighted counts agree with the indicator table
    q = model.quarterly().iloc[-1]
    for k in KIND_NAMES:
        assert every.loc[every["kind"] == k, "weight"].sum() == pytest.approx(q[f"n_{k}"])


def test_agent_by_id_and_stale_agents_raise():
    m = InnovationModel(seed=6)
    sme = m.actors("sme")
    uids = [int(u) for u in sme["unique_id"].iloc[:50]]
    agents = [m.agent(u) for u in uids]
    assert all(a.unique_id == u and a.kind == "sme" and a.alive for a, u in zip(agents, uids, strict=True))
    # run until one of them leaves the model (died, listed or was bought)
    for _ in range(200):
        m.step()
        gone = [a for a in agents if not a.alive]
        if gone:
            break
    a = gone[0]
    uid = a.unique_id
    assert not a.alive
    with pytest.raises(StaleAgentError):
        _ = a.cash
    with pytest.raises(StaleAgentError):
        _ = a.field
    with pytest.raises(KeyError):
        m.agent(uid)


def test_links_frame_names_both_ends(model):
    links = model.links()
    assert list(links.columns) == [
        "step",
        "source_id",
        "target_id",
        "source_kind",
        "target_kind",
        "alive",
        "real_deals",
    ]
    assert links["step"].between(model.steps - 7, model.steps).all()
    assert (links["step"] == model.steps).any()  # this quarter's deals are there
    assert links["real_deals"].sum() == pytest.approx(model.quarterly()["network_links"].iloc[-1])
    assert set(links["source_kind"]) <= {"soe", "private", "sme"}  # buyers are firms
    live = links[links["alive"]]
    ids = set(model.actors()["unique_id"])
    assert set(live["source_id"]) <= ids and set(live["target_id"]) <= ids


def test_world_frame(model):
    w = model.world_frame()
    assert len(w) == 8 and {"frontier", "capability", "dependence", "science", "cutoff", "controlled"} <= set(w.columns)
    assert np.allclose(w["capability"], [model.quarterly()[f"capability_{f}"].iloc[-1] for f in w["field"]])
    assert (w["frontier"] > 1.0).all()


def test_research_projects_frame(model):
    d = model.research_projects()
    assert len(d) and set(d.funder) <= {"central_stable", "central_project", "local", "mission", "enterprise", "vc"}
    assert {"active", "failure", "incremental"} <= set(d.outcome)
    assert d.risk.between(0, 1).all() and (d.duration >= 1).all()


def test_quarterly_arrays_are_the_quarterly_columns(model):
    cols = ["step", "year", "gdp", "rd_total", "controlled_fields"]
    for since in (0, 5, model.steps, model.steps + 1):
        q = model.quarterly(since_step=since, columns=cols)
        arrays = model.quarterly_arrays(since, cols)
        assert list(arrays) == cols
        for c in cols:
            assert arrays[c].dtype == q[c].dtype or len(q) == 0
            assert np.array_equal(arrays[c], q[c].to_numpy())
    with pytest.raises(KeyError):
        model.quarterly_arrays(0, ["no_such_column"])


def test_vc_deals_frame(model):
    d = model.vc_deals()
    assert {"invested", "stake", "exit", "multiple"} <= set(d.columns)
    assert set(d["exit"]) <= {"open", "ipo", "acquisition", "horizon_sale", "write_off"}
    assert d.loc[d["open"], "multiple"].isna().all() and d.loc[~d["open"], "multiple"].notna().all()


# --- dashboards and experiments use only the public API ---------------------------------------
PRIVATE_MODEL_ATTRIBUTES = {
    "s",
    "acc",
    "flow",
    "world",
    "nation",
    "deals",
    "projects",
    "streams",
    "agent_of",
    "indicators",
}


def _model_attribute_uses(path: Path) -> list[str]:
    """Attribute accesses on names that hold a model (model, m, self.model, session.model...)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        base = node.value
        name = base.attr if isinstance(base, ast.Attribute) else base.id if isinstance(base, ast.Name) else ""
        if name not in ("model", "m", "mdl"):
            continue
        if node.attr in PRIVATE_MODEL_ATTRIBUTES or (node.attr.startswith("_") and not node.attr.startswith("__")):
            bad.append(f"{path.name}:{node.lineno}: .{node.attr}")
    return bad


def test_dashboards_and_experiments_use_only_the_public_model_api():
    files = sorted((ROOT / "dashboards").rglob("*.py")) + sorted((ROOT / "experiments").rglob("*.py"))
    bad = [use for f in files for use in _model_attribute_uses(f)]
    assert not bad, "private model state used outside abm/:\n" + "\n".join(bad)


def test_the_api_checker_finds_a_private_access(tmp_path):
    f = tmp_path / "probe.py"
    f.write_text(
        "def f(model, session):\n    return model.s.cash, session.model._cache, model.links()\n", encoding="utf-8"
    )
    assert sorted(_model_attribute_uses(f)) == ["probe.py:2: ._cache", "probe.py:2: .s"]
