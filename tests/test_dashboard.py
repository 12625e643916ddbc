"""Unit tests of the dashboard components (no browser; the page is rendered with solara.render)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("solara")
pytest.importorskip("altair")

from abm import ParameterError, ScenarioError
from dashboards import charts, data
from dashboards.__main__ import build_command, main
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
    # 10 quarters: the charts show the completed years 2015 and 2016; the monitors the running 2017
    assert list(y["year"]) == [2015, 2016] and (y["quarters"] == 4).all()
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
    model = run.model.yearly().iloc[: len(mine)]
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
    # history by quarter: the state at the end of each quarter run, labelled by that quarter
    assert [h["_quarter"] for h in s.history] == ["2015 Q0", "2015 Q1", "2015 Q2", "2015 Q3"]
    assert s.history[-1]["_time"] == pytest.approx(2015.5)
    frame = data.agent_history_frame(s.history, "revenue")
    assert list(frame.columns) == ["time", "quarter", "value"] and frame["quarter"].iloc[-1] == "2015 Q3"
    with pytest.raises(ParameterError):
        s.pick("nonsense_kind")
    for how in ("median", "smallest", "random"):
        assert s.pick("sme", how) is not None


def test_compare_same_seed_and_difference():
    s = Session(seed=5)
    out = s.compare("baseline", "baseline", 2)
    _bands, diff = data.compare_bands(out["runs"], ["rd_intensity"], ("A", "B"), {})
    assert np.allclose(diff[["mean", "lo", "hi"]], 0.0)  # same seeds, same scenario: identical
    out = s.compare("baseline", "funding_reform", 2)
    assert len(out["yearly_b"]) == 2


def test_compare_over_seeds_bands_labels_and_csv():
    from dashboards.labels import indicator_label

    s = Session(seed=5)
    out = s.compare("baseline", "funding_reform", 2, seeds=3)
    assert out["seeds"] == [5, 6, 7] and len(out["runs"]) == 6
    inds = ["rd_intensity", "n_sme"]
    bands, diff = data.compare_bands(out["runs"], inds, ("A", "B"), {i: indicator_label(i) for i in inds})
    assert set(bands["indicator"]) == {"R&D intensity (% of GDP)", "Tech SMEs (number, year end)"}
    assert (bands["lo"] <= bands["mean"] + 1e-12).all() and (bands["mean"] <= bands["hi"] + 1e-12).all()
    a = bands[(bands["run"] == "A") & (bands["indicator"].str.startswith("R&D"))]["mean"].to_numpy()
    b = bands[(bands["run"] == "B") & (bands["indicator"].str.startswith("R&D"))]["mean"].to_numpy()
    d = diff[diff["indicator"].str.startswith("R&D")]["mean"].to_numpy()
    assert np.allclose(b - a, d) and 1.0 < a.mean() < 4.0  # percent of GDP
    csv = s.compare_csv().splitlines()
    assert csv[0].startswith("run,scenario,seed,year,rd_intensity") and len(csv) == 1 + 6 * 2
    spec = charts.spec("compare", {"bands": bands, "diff": diff}, ("A", "B"), 3)
    assert "mean of 3 seeds" in str(spec)


def test_csv(run):
    text = run.csv()
    lines = text.splitlines()
    assert lines[0].startswith("scenario,seed,step") and len(lines) == 12
    assert run.csv_name().endswith("_step10.csv")


def test_cli_binds_loopback_by_default(monkeypatch):
    cmd = build_command("127.0.0.1", 8765)
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1" and cmd[-1] == "--production"
    assert "--no-check-version" in cmd  # solara would ask the package index for its latest version
    calls = []
    monkeypatch.setattr("dashboards.__main__.serve", lambda c, env: calls.append((c, env)) or 0)
    monkeypatch.setattr("dashboards.__main__.port_in_use", lambda host, port: False)
    assert main(["--port", "9999", "--scenarios", "."]) == 0
    c, env = calls[0]
    assert c[c.index("--port") + 1] == "9999" and c[c.index("--host") + 1] == "127.0.0.1"
    assert env["NIS_DASHBOARD_SCENARIOS"]


def test_vega_bundle_matches_altair_and_is_served_from_the_asset_cache(tmp_path):
    import altair as alt

    from dashboards import vega

    ver = vega.versions()
    assert ver["vega-lite"] == vega.altair_vl_minor() == ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    path = vega.ensure_bundle.__wrapped__(tmp_path)
    assert path == tmp_path / vega.bundle_dir_name() / "vega-bundle.js" and path.stat().st_size > 100_000
    text = path.read_text()
    assert "window.vegaEmbed" in text and "define.amd" not in text  # plain script, no AMD clash with requirejs
    assert vega.bundle_path().startswith("nis-vega@" + ver["vega"])


def _two_tabs_time_labels() -> tuple[str, str]:
    """Render the page twice (two browser tabs), press Step twice in tab 1, then once in tab 2.

    Returns the time labels the two tabs show afterwards.
    """
    import ipyvuetify as v
    import solara

    from dashboards import app

    def button(rc, cls):
        return next(w for w in rc.find(v.Btn).widgets if cls in (w.class_ or "").split())

    def label(rc) -> str:  # the status line (pushed HTML: time, scenario, monitors)
        (text,) = [
            w.unsafe_innerHTML
            for w in rc.find(solara.widgets.HTML).widgets
            if "nis-status" in (w.attributes or {}).get("class", "")
        ]
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
    """Each tab steps its own model: tab 2 is at step 4 + 1 after tab 1 took two steps.

    Negative control: with one Session shared by every tab (a model built once, as a module-level
    model would be), the same clicks put tab 2 at step 3, so the check above would catch it.
    """
    from dashboards import app
    from dashboards.session import Session

    monkeypatch.setattr(app.LANG, "value", "en")
    tab1, tab2 = _two_tabs_time_labels()
    # the page opens with the first year run (4 quarters)
    assert "step 6" in tab1 and "step 5" in tab2, (tab1, tab2)

    shared = Session()
    monkeypatch.setattr(app, "_new_session", lambda view=None: shared)
    tab1, tab2 = _two_tabs_time_labels()
    assert "step 3" in tab2, (tab1, tab2)


def test_inputs_are_strict_in_display_units_and_scale_is_capped(monkeypatch):
    from abm.params import PARAMS_BY_NAME as P
    from dashboards import inputs

    budget = P["mission_budget"]
    assert inputs.display_unit(budget) == "bn yuan per year" and inputs.to_display(budget, 1e11) == 100
    assert inputs.parse(budget, "100") == 1e11 and inputs.parse(budget, " 2.5e1 ") == 25e9
    for bad, why in (
        ("1,000", "thousands separators"),
        ("-1", "not allowed"),
        ("1e13", "not allowed"),
        ("abc", "not a number"),
        ("", "not a number"),
    ):
        with pytest.raises(ParameterError, match=why) as info:
            inputs.parse(budget, bad)
        assert "mission_budget" in str(info.value) and "0 to 500 bn yuan per year" in str(info.value)
    assert inputs.display_unit(P["round_size"]) == "million yuan per start-up"
    assert inputs.parse(P["phd_output"], "54000") == 54000
    with pytest.raises(ParameterError, match="whole number"):
        inputs.parse(P["phd_output"], "54000.5")
    assert inputs.display_unit(P["stable_share"]) == "share"
    # scale: a short list up to the server's cap
    assert max(inputs.scale_choices()) == inputs.DEFAULT_MAX_SCALE
    monkeypatch.setenv(inputs.MAX_SCALE_ENV, "0.005")
    assert max(inputs.scale_choices()) == 0.005
    s = Session(seed=1)
    with pytest.raises(ParameterError, match="NIS_DASHBOARD_MAX_SCALE"):
        s.set_value("scale", 0.01)
    s.set_value("scale", 0.005)
    assert s.pending == {"scale": 0.005}
    big = Path(tempfile.mkdtemp()) / "big.toml"
    big.write_text('[scenario]\nname = "Big"\n\n[params]\nscale = 0.5\n')
    with pytest.raises(ParameterError, match="NIS_DASHBOARD_MAX_SCALE"):
        s.load(str(big))  # a scenario file cannot build past the cap either
    assert s.scenario == "baseline" and s.model.params["scale"] == 0.002


def test_play_stops_at_the_stop_year_and_page_opens_with_first_year():
    s = Session(seed=1, warmup=4)
    assert s.model.steps == 4 and len(s.yearly()) >= 1
    s.stop_year = s.model.start_year + 2
    s.step(8)
    assert s.model.steps == 8 and s.at_stop()  # 8 quarters asked, 4 left: stops at the stop year
    s.step(8)
    assert s.model.steps == 16  # past the stop year on purpose: steps as asked
    for frame in (s.chart_data("performers"), s.chart_data("money"), s.chart_data("people"), s.chart_data("talent")):
        assert len(frame) > 0


def test_kind_colours_are_the_same_in_every_language():
    from dashboards import labels

    specs = {}
    before = labels._source
    try:
        for lang in ("en", "zh"):
            labels.set_language_source(lambda lang=lang: lang)
            specs[lang] = charts.template("size", (), lang)["encoding"]["color"]["scale"]
    finally:
        labels.set_language_source(before)
    assert specs["en"]["range"] == specs["zh"]["range"] == [charts.KIND_COLOURS[k] for k in ("soe", "private", "sme")]
    assert specs["en"]["domain"] != specs["zh"]["domain"]
    flows = charts.template("flow", ("chart.money", "axis.bn_yuan"), "en")
    assert "sqrt" not in str(flows) and "bn yuan" in str(flows)
    cap = charts.template("capability", (), "en")
    assert "1.2" not in str(cap)


def test_actor_view_frames_and_monitors():
    s = Session(seed=4, warmup=4)
    dots, lines, total = s.chart_data("actors")
    actors = s.model.actors()
    assert len(dots) == len(actors) and set(dots.columns) == {"id", "kind", "x", "y", "heft", "weight"}
    assert dots["x"].between(-0.5, 7.5).all() and dots["y"].between(-0.5, len(s.model.region_names) - 0.5).all()
    again, _lines, _total = s.chart_data("actors")
    assert again is dots  # cached per step
    s.step()
    moved, _, _ = s.chart_data("actors")
    same = moved.merge(dots, on="id", suffixes=("", "_before"))
    assert np.allclose(same["x"], same["x_before"]), "a dot stays in its place from step to step"
    assert total > 0 and len(lines) == 2 * min(total, data.MAX_LINKS)
    uid = int(dots["id"].iloc[0])
    assert s.watch_id(uid).unique_id == uid and s.history
    m = s.chart_data("monitors")
    assert 1.0 < m["rd_intensity"] < 4.0 and 0 <= m["controlled"] <= m["fields"] == 8
    assert m["startups"] > 0 and m["researchers"] > 1e5


def test_share_link_round_trip():
    from dashboards import share
    from dashboards.lessons import load_lessons

    lessons = load_lessons()
    q = share.link(lesson="funding_reform", lang="zh", scenario="funding_reform", seed=7, year=2018)
    view, ignored = share.parse(q, lessons)
    assert view == share.View("funding_reform", "zh", "funding_reform", 7, 2018) and ignored == []
    assert "scenario" not in share.link(lesson=None, lang="en", scenario="/tmp/x/upload.toml", seed=1, year=2016)
    view, ignored = share.parse("?lesson=nope&lang=fr&seed=-3&year=2018&scenario=../../etc", lessons)
    assert view == share.View(None, None, None, None, 2018) and len(ignored) == 4
    s = Session(warmup=4)
    share.open_view(s, share.View("funding_reform", None, None, 7, 2018), lessons)
    assert s.scenario == "funding_reform" and s.seed == 7 and s.model.steps == 16 and s.model.year == 2018


def test_play_pushes_data_into_drawn_widgets_without_a_render(monkeypatch):
    import solara

    from dashboards import app
    from dashboards.vega import VegaView, rows

    made = []
    original = app._new_session
    monkeypatch.setattr(app, "_new_session", lambda view=None: made.append(original(view)) or made[-1])
    _box, rc = solara.render(app.Page(), handle_error=False)
    session = made[0]
    assert {"status", "chart:rd_intensity", "chart:rd_by_performer"} <= set(session.live)
    chart = next(w for w in rc.find(VegaView).widgets)
    status = next(
        w for w in rc.find(solara.widgets.HTML).widgets if "nis-status" in (w.attributes or {}).get("class", "")
    )
    spec_before, data_before = chart.spec, chart.datasets
    for _ in range(4):  # a year: the yearly charts get a new year
        session.step()
        session.push()
    assert "step 8" in status.unsafe_innerHTML
    assert chart.spec == spec_before and chart.datasets != data_before  # same chart, new data
    assert len(rows(chart.datasets["main"])) > len(rows(data_before["main"]))
    # a later re-render of the page (here: the Step button) keeps the pushed data, never the old
    pushed = len(rows(chart.datasets["main"]))
    import ipyvuetify as v

    next(w for w in rc.find(v.Btn).widgets if "nis-step" in (w.class_ or "").split()).click()
    chart = next(w for w in rc.find(VegaView).widgets)
    assert len(rows(chart.datasets["main"])) == pushed and "step 9" in status.unsafe_innerHTML
    rc.close()


def test_solara_telemetry_banner_and_checks_are_off_by_default():
    import os

    import solara.checks
    import solara.server.settings as server_settings

    import dashboards._env  # noqa: F401 - imported first by dashboards/app.py

    assert os.environ.get("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "").lower() in ("false", "0", "no", "off", "true", "1")
    assert server_settings.telemetry.mixpanel_enable is False
    assert server_settings.theme.show_banner is False  # the banner covered lesson text
    assert solara.checks.should_perform_solara_check() is False  # no hidden solara.dev iframe
    app_source = (ROOT / "dashboards" / "app.py").read_text()
    assert app_source.index("import dashboards._env") < app_source.index("import solara")


def test_firm_size_axis_is_in_million_yuan_not_si_prefixes():
    spec = charts.template("size", (), "en")
    x = spec["encoding"]["x"]
    assert "million yuan" in x["title"] and x["axis"]["format"] == ",~g"  # '~s' printed 0.1 yuan as '100m'
    s = Session(seed=1, warmup=4)
    size = s.chart_data("size")
    assert 0.01 < size["revenue"].median() < 1e6  # million yuan per year


def test_a_broken_live_view_is_dropped_and_the_others_still_update():
    s = Session(seed=1)
    calls = []
    s.live["bad"] = lambda: 1 / 0
    s.live["good"] = lambda: calls.append(s.model.steps)
    s.step()
    s.push()
    s.push()
    assert "bad" not in s.live and calls == [1, 1]


def test_flow_frame_sums_like_a_pandas_groupby():
    from abm import InnovationModel
    from dashboards import data as d

    m = InnovationModel(seed=2).run(steps=6)
    ledger = m.ledger("money", since_step=5)
    got = d.flow_frame(ledger, [5, 6], exclude_kinds=d.MARKET_KINDS)
    x = ledger[~ledger["kind"].str.startswith("budget_") & ~ledger["kind"].isin(d.MARKET_KINDS)]
    x = x[x["source"] != x["target"]]
    g = x.groupby(["source", "target"], as_index=False)["amount"].sum()
    g["value"] = g["amount"] * 4.0 / 2 / 1e9
    want = g[g["value"] > 0].nlargest(14, "value")
    assert got["value"].tolist() == want["value"].tolist()
    assert got["flow"].tolist() == [
        f"{d.node(a)} → {d.node(b)}" for a, b in zip(want["source"], want["target"], strict=True)
    ]
    assert d.flow_frame(ledger, [99]).empty


# -- supply chains (issue 10) ----------------------------------------------------------------------
def test_supply_view_frames_shape_units_and_step_zero():
    s = Session(seed=5)  # step 0: the page never opens on an empty chart
    sup = s.chart_data("supply")
    assert len(sup) == 40 * 3 and sup["component"].nunique() == 40 and sup["field"].nunique() == 8
    per = sup.groupby("component")["share"].sum()
    assert np.allclose(per, 1.0, atol=1e-3), "domestic + foreign + missing = what buyers need"
    assert set(sup["segment"]) == {t("series.supply_domestic"), t("series.supply_foreign"), t("series.supply_missing")}
    assert (sup.loc[sup["order"] == 2, "share"] == 0).all(), "no cut-off: nothing is missing"
    assert (sup["imports"] >= 0).all()  # bn yuan per year
    controlled, output = s.chart_data("supply_time")
    assert len(controlled) == 1 and 0 <= controlled["value"].iloc[0] <= 40
    assert len(output) == 8 and np.allclose(output["value"], 100.0)  # % of potential output
    cap = s.chart_data("capability")
    assert cap["science"].between(0, 1.5).all() and (cap["frontier"] > 0).all()
    assert (cap["text_x"] >= cap["capability"]).all()


def test_a_cut_component_shows_what_is_missing_after_the_cut_starts():
    s = Session(seed=5)
    s.model.set_params(cutoff_components="lithography,high_end_chips", cutoff_start_year=2016, cutoff_severity=0.8)
    s.step(3)  # 2015: not cut yet
    sup = s.chart_data("supply")
    assert not sup["component"].str.contains(data.CUT_MARK.strip()).any()
    assert (sup.loc[sup["order"] == 2, "share"] == 0).all()
    s.step(2)  # 2016 Q1: cut
    sup = s.chart_data("supply")
    cut = sup[sup["component"].str.startswith(data.CUT_MARK)]
    assert set(cut["component"].str.removeprefix(data.CUT_MARK)) == {
        "Lithography machines",
        "High-end chips (CPU, GPU, FPGA)",
    }
    assert (cut.loc[cut["order"] == 2, "share"] > 0.3).all(), "available < 1 for a cut component"
    assert (cut["cut"] == t("series.cut_yes")).all()
    others = sup[~sup["component"].str.startswith(data.CUT_MARK)]
    assert (others.loc[others["order"] == 2, "share"] == 0).all()
    _controlled, output = s.chart_data("supply_time")
    chips = output[output["field"] == "Chips & ICT hardware"]
    assert chips["value"].iloc[-1] < 100 and (output[output["field"] == "New materials"]["value"] == 100).all()


def test_supply_charts_build_in_both_languages_and_render():
    from dashboards import app
    from dashboards.app import chart_parts
    from dashboards.labels import set_language_source

    s = Session(seed=5, warmup=4)
    s.model.set_params(cutoff_components="eda")
    for lang in ("en", "zh"):
        try:
            app.LANG.set(lang)
            set_language_source(lambda lang=lang: lang)
            for name in ("supply_components", "supply_over_time", "capability"):
                spec, datasets = chart_parts(s, name)
                full = {**spec, "datasets": {**spec.get("datasets", {}), **datasets}}
                assert charts.to_png(full, scale=1)[:4] == b"\x89PNG"
            spec, _ = chart_parts(s, "supply_components")
            text = str(spec)
            assert (t("axis.supply_share") in text) and (t("chart.supply") in text)
        finally:
            app.LANG.set("en")
            set_language_source(lambda: app.LANG.value)  # as the page installs it
    assert t("chart.supply", "zh") != t("chart.supply", "en")
    assert set(charts.SUPPLY_COLOURS) <= set(LABELS["en"]) and set(charts.SUPPLY_COLOURS) <= set(LABELS["zh"])


def test_component_names_have_chinese_labels():
    from abm.components import COMPONENT_NAMES
    from dashboards.i18n_zh import COMPONENT_ZH

    assert set(COMPONENT_ZH) == set(COMPONENT_NAMES)


def test_cut_off_settings_warn_only_when_nothing_is_cut():
    s = Session()
    s.set_value("cutoff_severity", 0.9)
    assert any("cutoff_components" in w for w in s.warnings())
    s.set_value("cutoff_components", "eda")
    assert not any("cutoff" in w for w in s.warnings())


def _page_with_session(monkeypatch):
    """The page rendered with solara.render, its session and its render context."""
    import solara

    from dashboards import app

    made = []
    original = app._new_session
    monkeypatch.setattr(app, "_new_session", lambda view=None: made.append(original(view)) or made[-1])
    _box, rc = solara.render(app.Page(), handle_error=False)
    return made[0], rc


def test_play_pushes_the_status_every_quarter_and_the_charts_once_a_year(monkeypatch):
    """At 4 quarters per second or faster the charts follow at the quarter that completes a year."""
    import solara

    from dashboards import session as session_module
    from dashboards.vega import VegaView, rows

    session, rc = _page_with_session(monkeypatch)
    monkeypatch.setattr(session_module, "CHART_SECONDS", 3600.0)  # only the year counts here
    status = next(
        w for w in rc.find(solara.widgets.HTML).widgets if "nis-status" in (w.attributes or {}).get("class", "")
    )
    chart = next(w for w in rc.find(VegaView).widgets)  # R&D intensity: one row per completed year
    assert session.model.steps == 4
    session.push()
    years = len(rows(chart.datasets["main"]))
    pushes = session.chart_pushes
    for step in range(5, 13):
        session.advance()
        assert f"step {step}" in status.unsafe_innerHTML  # the clock every quarter
        done = session.chart_pushes - pushes
        assert done == (step - 4) // 4, (step, done)  # charts only when a year completes
    assert len(rows(chart.datasets["main"])) == years + 2
    assert next(w for w in rc.find(VegaView).widgets) is chart  # updated in place, never rebuilt
    # and whenever Play's pauses since the charts' last push add up to CHART_SECONDS, whatever the year
    monkeypatch.setattr(session_module, "CHART_SECONDS", 1.0)
    pushes = session.chart_pushes
    session.advance(pause=0.5)  # step 13
    assert session.chart_pushes == pushes
    session.advance(pause=0.5)  # step 14: a second of pauses
    assert session.chart_pushes == pushes + 1
    session.advance(pause=1.0)  # a pause of a second: every update draws the charts
    session.advance(pause=1.0)
    assert session.chart_pushes == pushes + 3
    rc.close()


def test_hidden_tabs_compute_nothing_and_refresh_when_shown(monkeypatch):
    """Playing on the R&D tab never builds the actors or network tables; the Actors tab, once shown, is current."""
    import ipyvuetify as v

    from dashboards import app
    from dashboards.vega import VegaView, rows

    session, rc = _page_with_session(monkeypatch)
    calls = []
    model_class = type(session.model)  # the model object changes every quarter (a shared run's next quarter)
    for name in ("actors", "links", "snapshot"):
        real = getattr(model_class, name)
        monkeypatch.setattr(
            model_class, name, lambda *a, real=real, name=name, **k: calls.append(name) or real(*a, **k)
        )
    for _ in range(8):
        session.advance()
    assert calls == [], "a hidden tab's chart data were computed"
    rc.find(v.Tabs).widget.v_model = app.TABS.index("agents")
    assert calls.count("actors") == 1 and calls.count("links") == 1  # once for the tab, not per chart
    [chart] = [w for w in rc.find(VegaView).widgets if w.spec.get("layer")]
    dots = rows(chart.datasets["dots"])
    assert len(dots) == len(session.model.agents)  # the state of the current quarter
    session.advance()
    session.advance()
    session.advance()
    session.advance()  # completes a year: the actors chart gets the new quarter in place
    assert next(w for w in rc.find(VegaView).widgets if w.spec.get("layer")) is chart
    assert calls.count("actors") == 2 and len(rows(chart.datasets["dots"])) == len(session.model.agents)
    rc.close()


def test_chart_datasets_are_json_by_column_with_nan_as_null():
    from dashboards.vega import rows

    df = pd.DataFrame({"year": [2016, 2017, 2018], "value": [1.5, np.nan, 2.0], "series": ["a", None, "c"]})
    text = charts.columns_json(df)
    assert "NaN" not in text and rows(text) == charts.records(df)
    assert rows(charts.columns_json(df.iloc[:0])) == [] and rows("{}") == []
    s = Session(seed=4, warmup=4)
    dots, _lines, _total = s.chart_data("actors")
    _spec, datasets = charts.view("actors", {"dots": dots}, ("f",) * 8, ("r",), key="")
    assert rows(datasets["dots"]) == charts.records(dots, key="")
