"""Unit tests of the dashboard components (no browser; the page is rendered with solara.render)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("solara")
pytest.importorskip("altair")

from abm import ParameterError, ScenarioError
from dashboards import charts, data
from dashboards.__main__ import build_command, main
from dashboards.assets import ensure_offline_assets
from dashboards.labels import LABELS, t
from dashboards.session import Session, scenario_choices

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def run() -> Session:
    s = Session(seed=3)
    s.step(10)
    return s


def test_every_label_used_exists():
    used = set()
    for f in (ROOT / "dashboards").glob("*.py"):
        if f.name == "labels.py":
            continue
        used |= set(re.findall(r"""\bt\(\s*f?["']([a-z_.]+)["']""", f.read_text()))
    dynamic = {k for k in used if k.endswith(".")}
    missing = sorted(k for k in used - dynamic if k not in LABELS["en"])
    assert not missing
    assert t("status.agents", n=3) == "3 agents"


def test_observed_series_and_targets():
    obs = data.observed_intensity()
    assert set(obs["series"]) == {"observed", "target"}
    assert obs.loc[(obs["series"] == "target") & (obs["year"] == 2030), "value_pct"].item() == 2.8
    assert obs["source"].notna().all() and obs["ref"].notna().all()


def test_downsample_keeps_charts_under_altair_limit():
    df = pd.DataFrame({"year": np.repeat(np.arange(2015, 2015 + 3000), 3), "value": 1.0})
    small = data.downsample(df)
    assert len(small) <= data.MAX_ROWS and small["year"].max() == df["year"].max()
    spec = charts.spec("talent", {"main": df.assign(series="x")})
    assert len(spec["datasets"]["main"]) <= data.MAX_ROWS


def test_chart_frames_are_small_and_consistent(run):
    y = run.yearly()
    assert y["quarters"].iloc[-1] == 2  # 10 quarters: 2015, 2016 complete, 2017 half
    perf = run.chart_data("performers")
    assert np.allclose(perf.groupby("year")["share"].sum(), 1.0)
    money = run.chart_data("money", False)
    assert 0 < len(money) <= 14 and not money["flow"].str.contains("Researchers' pay").any()
    assert len(run.chart_data("money", True)) == 14
    cap = run.chart_data("capability")
    assert len(cap) == 8 and set(cap["controlled"]) <= {"controlled by others", "domestic supply secure"}
    nodes, edges = run.chart_data("network", "region")
    assert len(nodes) == 5 * 3 and (edges.groupby("edge").size() == 2).all()
    nodes_f, _ = run.chart_data("network", "field")
    assert len(nodes_f) == 5 * 8
    size = run.chart_data("size")
    assert (size["firms"] > 0).all() and set(size["kind"]) == {t("kind.soe"), t("kind.private"), t("kind.sme")}
    for name in ("intensity", "types", "sme", "talent", "people"):
        assert 0 < len(run.chart_data(name)) < 500


def test_yearly_matches_model(run):
    mine = run.yearly()
    model = data.annual(run.model.yearly())
    for col in ("rd_total", "rd_intensity", "n_sme", "sme_births", "researchers_lab", "vc_invested"):
        assert np.allclose(mine[col].astype(float), model[col].astype(float))


def test_every_chart_template_builds_and_renders_png(run):
    specs = [
        charts.spec("intensity", {"main": run.chart_data("intensity")}, 2015, 2035),
        charts.spec("share", {"main": run.chart_data("types")}, "chart.types"),
        charts.spec("flow", {"main": run.chart_data("money", False)}, "chart.money", "axis.bn_yuan"),
        charts.spec("capability", {"main": run.chart_data("capability")}),
        charts.spec("sme", {"main": run.chart_data("sme")}),
        charts.spec("size", {"main": run.chart_data("size")}),
        charts.spec("talent", {"main": run.chart_data("talent")}),
    ]
    nodes, edges = run.chart_data("network", "region")
    specs.append(
        charts.spec(
            "network",
            {"nodes": nodes, "edges": edges},
            "region",
            tuple(nodes["x"].unique()),
            tuple(nodes["y"].unique()),
        )
    )
    for s in specs:
        assert s["datasets"] and all(isinstance(v, list) for v in s["datasets"].values())
    png = charts.to_png(specs[0], scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_set_value_validates_and_apply_now(run):
    s = Session(seed=1)
    with pytest.raises(ParameterError, match="mission_budget"):
        s.set_value("mission_budget", 9e13)
    s.set_value("stable_share", 0.5)
    s.set_value("scale", 0.003)
    msg = s.pending_message()
    assert "stable_share" in msg and "next quarter" in msg and "Reset" in msg and "scale" in msg
    s.step(2)
    assert "stable_share" in s.apply_now()
    assert s.model.params["stable_share"] == 0.5 and list(s.pending) == ["scale"]
    s.reset()
    assert s.model.steps == 0 and s.model.params["scale"] == 0.003 and s.model.params["stable_share"] == 0.5


def test_no_effect_warnings():
    s = Session()
    s.set_value("mission_budget", 1e10)
    assert any("mission_field" in w for w in s.warnings())


def test_broken_scenario_keeps_running_model(tmp_path):
    s = Session()
    s.step()
    bad = tmp_path / "bad.toml"
    bad.write_text("[scenario]\nname = 'x'\n[params]\nstable_share = 7\n")
    with pytest.raises(ScenarioError, match="stable_share"):
        s.load(str(bad))
    with pytest.raises(ScenarioError):
        s.load_file("garbage.toml", b"not = [toml")
    assert s.scenario == "baseline" and s.model.steps == 1
    assert "cut-off" in s.load("supply_cutoff")
    assert s.model.params["cutoff_fields"] == "chips_ict,advanced_manufacturing"


def test_scenario_dir_env(monkeypatch, tmp_path):
    (tmp_path / "mine.toml").write_text("[scenario]\nname = 'Mine'\n")
    monkeypatch.setenv("NIS_DASHBOARD_SCENARIOS", str(tmp_path))
    choices = scenario_choices()
    assert choices[0] == "baseline" and choices[-1].endswith("mine.toml")


def test_inspector_records_history():
    s = Session(seed=2)
    agent = s.pick("private", "largest")
    s.step(3)
    assert [h["unique_id"] for h in s.history] == [agent.unique_id] * 4
    assert s.history[-1]["_time"] == pytest.approx(2015.75)
    with pytest.raises(ParameterError):
        s.pick("nonsense_kind")
    for how in ("median", "smallest", "random"):
        assert s.pick("sme", how) is not None


def test_compare_same_seed_and_difference():
    s = Session(seed=5)
    out = s.compare("baseline", "baseline", 2)
    df = data.compare_frame(out["yearly_a"], out["yearly_b"], ["rd_intensity"], ("A", "B"))
    assert np.allclose(df.loc[df["run"] == "B − A", "value"], 0.0)  # same seed, same scenario: identical
    out = s.compare("baseline", "funding_reform", 2)
    assert len(out["yearly_b"]) == 2


def test_csv(run):
    text = run.csv()
    lines = text.splitlines()
    assert lines[0].startswith("scenario,seed,step") and len(lines) == 12
    assert run.csv_name().endswith("_step10.csv")


def test_cli_binds_loopback_by_default(monkeypatch):
    cmd = build_command("127.0.0.1", 8765)
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1" and cmd[-1] == "--production"
    calls = []
    monkeypatch.setattr("dashboards.__main__.serve", lambda c, env: calls.append((c, env)) or 0)
    monkeypatch.setattr("dashboards.__main__.port_in_use", lambda host, port: False)
    assert main(["--port", "9999", "--scenarios", "."]) == 0
    c, env = calls[0]
    assert c[c.index("--port") + 1] == "9999" and c[c.index("--host") + 1] == "127.0.0.1"
    assert env["NIS_DASHBOARD_SCENARIOS"]


def test_offline_asset_links(tmp_path):
    for name in ("vega@5.21.0", "vega-lite@5.2.0", "vega-embed@6.20.2"):
        (tmp_path / name / "build").mkdir(parents=True)
    assert sorted(ensure_offline_assets(tmp_path)) == ["vega-embed@6", "vega-lite@5", "vega@5"]
    assert (tmp_path / "vega@5" / "build").is_dir()
    assert ensure_offline_assets(tmp_path) == []


def _two_tabs_time_labels() -> tuple[str, str]:
    """Render the page twice (two browser tabs), press Step twice in tab 1, then once in tab 2.

    Returns the time labels the two tabs show afterwards.
    """
    import ipyvuetify as v
    import solara

    from dashboards import app

    def button(rc, cls):
        return next(w for w in rc.find(v.Btn).widgets if cls in (w.class_ or "").split())

    def label(rc) -> str:
        (text,) = [str(w.children) for w in rc.find(v.Html).widgets if "nis-time" in (w.class_ or "").split()]
        return text

    _box1, rc1 = solara.render(app.Page(), handle_error=False)
    _box2, rc2 = solara.render(app.Page(), handle_error=False)
    try:
        button(rc1, "nis-step").click()
        button(rc1, "nis-step").click()
        button(rc2, "nis-step").click()
        return label(rc1), label(rc2)
    finally:
        rc1.close()
        rc2.close()


def test_page_renders_steps_and_sessions_are_separate(monkeypatch):
    """Each tab steps its own model: tab 2 is at step 1 after tab 1 took two steps.

    Negative control: with one Session shared by every tab (a model built once, as a module-level
    model would be), the same clicks put tab 2 at step 3, so the check above would catch it.
    """
    from dashboards import app
    from dashboards.session import Session

    monkeypatch.setattr(app.LANG, "value", "en")
    tab1, tab2 = _two_tabs_time_labels()
    assert "step 2" in tab1 and "step 1" in tab2, (tab1, tab2)

    shared = Session()
    monkeypatch.setattr(app, "_new_session", lambda: shared)
    tab1, tab2 = _two_tabs_time_labels()
    assert "step 3" in tab2, (tab1, tab2)
