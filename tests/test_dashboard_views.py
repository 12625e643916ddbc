"""The projects, entry/exit, venture-capital and real-actor network views (issue 11 item 8, issue 12 item 4)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema import load_schema

from dashboards import app, charts, data
from dashboards.labels import LABELS, set_language_source
from dashboards.session import Session
from dashboards.vega import rows

NEW_CHARTS = (
    "projects_outcomes",
    "projects_durations",
    "entry_exit",
    "vc_multiples",
    "vc_invested",
    "partner_network",
    "partner_stats",
)
# per chart: dataset -> columns it must have, and words its axis titles must carry (units)
EXPECTED = {
    "projects_outcomes": ({"main": {"funder", "outcome", "projects", "share", "budget"}}, ["share of the funder"]),
    "projects_durations": ({"main": {"funder", "years", "projects", "share"}}, ["(years)"]),
    "entry_exit": ({"main": {"year", "kind", "cause", "value"}}, ["firms per year", "year"]),
    "vc_multiples": (
        {"hist": {"lo", "hi", "deals", "share"}, "shares": {"measure", "model", "lo", "hi", "deals"}},
        ["proceeds / invested, log scale", "closed deals (number)", "share of closed deals"],
    ),
    "vc_invested": ({"main": {"year", "series", "value"}}, ["bn yuan per year"]),
    "partner_network": ({"nodes": {"x", "y", "kind", "degree", "member"}, "edges": {"edge", "x", "y"}}, []),
    "partner_stats": (
        {"degree": {"degree", "actors"}, "clustering": {"measure", "value"}, "table": {"row", "text"}},
        ["partners (number, log scale)", "real actors (number, log scale)", "clustering (0-1)"],
    ),
}


@pytest.fixture(scope="module")
def two_years() -> Session:
    s = Session(seed=42)
    s.step(8)
    return s


@pytest.fixture(scope="module")
def schema() -> dict:
    return load_schema()


def _titles(spec: object) -> list[str]:
    """Every axis title of a spec (encodings x and y at any depth)."""
    out: list[str] = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in ("x", "y") and isinstance(value, dict) and isinstance(value.get("title"), str):
                out.append(value["title"])
            out += _titles(value)
    elif isinstance(spec, list):
        for v in spec:
            out += _titles(v)
    return out


@pytest.mark.parametrize("name", NEW_CHARTS)
def test_new_charts_build_valid_vega_lite_with_data_and_units(two_years, schema, name):
    spec, datasets = app._make_parts(two_years, name)
    full = {**spec, "datasets": {**spec.get("datasets", {}), **{k: rows(v) for k, v in datasets.items()}}}
    validate_jsonschema(full, schema)  # raises on an invalid spec
    want, units = EXPECTED[name]
    for key, cols in want.items():
        got = json.loads(datasets[key])
        assert cols <= set(got), (name, key, set(got))
        if not (name == "vc_multiples" and key == "hist"):  # no deal has closed yet after 2 years at seed 42
            assert len(next(iter(got.values()))) > 0, (name, key)
    titles = " | ".join(_titles(spec))
    for unit in units:
        assert unit in titles, (name, unit, titles)
    png = charts.to_png(full, scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_vc_multiples_on_a_longer_run_and_the_observed_bands():
    s = Session(seed=42)
    s.step(24)
    deals = s.model.vc_deals()
    closed = deals[~deals["open"]]
    assert len(closed) > 0
    hist, shares = data.vc_multiple_frames(deals)
    # each stake counts for the real financings it stands for (rounded per bin)
    fin = closed["financings"].to_numpy()
    assert abs(hist["deals"].sum() - fin.sum()) <= 0.5 * len(hist) and (hist["lo"] < hist["hi"]).all()
    assert hist["lo"].min() >= data.MULTIPLE_FLOOR  # write-offs (0x) drawn in the lowest bin of the log axis
    mult = closed["multiple"].to_numpy()
    under, over = shares["model"].tolist()
    assert under == pytest.approx(np.average(mult < 1, weights=fin))
    assert over == pytest.approx(np.average(mult >= 10, weights=fin))
    assert shares[["lo", "hi"]].to_numpy().tolist() == [[0.5, 0.75], [0.02, 0.08]]
    spec = charts.template("vc_multiples", (), "en")
    assert '"type": "log"' in json.dumps(spec) and "1× (money back)" in json.dumps(spec, ensure_ascii=False)


def test_entry_exit_matches_the_recorded_indicators(two_years):
    y = two_years.yearly()
    df = data.entry_exit_frame(y)
    sme = df[df["kind"] == LABELS["en"]["node.sme"]]
    births = sme[sme["value"] > 0].groupby("year")["value"].sum().to_numpy()
    assert births == pytest.approx(y["sme_births"].to_numpy(), abs=0.2)  # spin-offs are part of sme_births
    exits = -sme[sme["value"] < 0].groupby("year")["value"].sum().reindex(y["year"], fill_value=0).to_numpy()
    assert exits == pytest.approx((y["firm_exits_sme"] + y["acquisitions"] + y["ipos"]).to_numpy(), abs=0.5)


def test_projects_frames_count_real_projects_by_funder_and_outcome(two_years):
    p = two_years.model.research_projects()
    assert "weight" in p and (p["weight"] > 0).all()
    outcomes, durations = data.projects_frames(p)
    assert outcomes["projects"].sum() == pytest.approx(p["weight"].sum(), rel=1e-3)
    assert outcomes.groupby("funder")["share"].sum().to_numpy() == pytest.approx(1.0, abs=1e-3)
    assert durations.groupby("funder")["share"].sum().to_numpy() == pytest.approx(1.0, abs=1e-3)
    assert set(durations["years"]) == set(p["duration"] / 4.0)


def test_network_layout_is_deterministic_for_a_seed_and_capped(two_years):
    ties, cons = two_years.model.partnerships(), two_years.model.consortia()
    a = data.partner_network_frames(ties, cons, 42)
    b = data.partner_network_frames(ties, cons, 42)
    c = data.partner_network_frames(ties, cons, 43)
    pd.testing.assert_frame_equal(a[0], b[0])
    pd.testing.assert_frame_equal(a[1], b[1])
    assert not np.allclose(a[0]["x"], c[0]["x"])  # another seed, another picture
    nodes, edges, total = a
    assert len(nodes) == min(data.MAX_NODES, total) and nodes["x"].between(0, 1).all()
    assert len(edges) % 2 == 0 and len(edges) > 0
    degree = np.bincount(np.concatenate([ties["a"], ties["b"]]))
    assert nodes["degree"].min() >= np.sort(degree)[::-1][data.MAX_NODES - 1]  # the most connected are drawn


def test_consortium_members_are_highlighted(two_years):
    ties = two_years.model.partnerships()
    member = int(ties["a_id"].iloc[0])
    cons = pd.DataFrame({"outcome": ["running", "success"], "member_ids": [(member,), (int(ties["b_id"].iloc[0]),)]})
    nodes, _edges, _n = data.partner_network_frames(ties, cons, 42)
    flagged = nodes[nodes["member"] == 1]
    assert len(flagged) and (flagged["id"] == member).all()  # members of ended consortia are not ringed


def test_stats_frames_show_clustering_against_its_nulls(two_years):
    clustering, table, degree = data.network_stat_frames(
        two_years.model.network_stats(), two_years.model.degree_distribution()
    )
    assert len(clustering) == 3 and clustering["value"].iloc[0] > 0
    assert len(table) == 6 and any("path length" in x for x in table["text"])
    assert (degree["degree"] >= 1).all() and (degree["actors"] > 0).all()


FAKE_FUNDS = pd.DataFrame(
    {
        "fund": [1, 2, 3],
        "vc_slot": [10, 11, 12],
        "kind": ["private_vc", "guidance_fund", "private_vc"],
        "vintage_step": [0, 4, 9],
        "committed": [2e9, 5e9, 1e9],
        "called": [1.5e9, 2e9, 0.2e9],
        "invested": [1.4e9, 1.9e9, 0.2e9],
        "distributed": [0.5e9, 0.0, 0.0],
        "nav": [2.0e9, 2.2e9, 0.2e9],
        "status": ["investing", "investing", "raising"],
        "tvpi": [1.67, 1.1, np.nan],
        "dpi": [0.33, 0.0, np.nan],
    }
)


def test_funds_panel_builds_from_a_funds_frame(schema):
    df = data.funds_frame(FAKE_FUNDS, 2015)
    assert df["vintage"].tolist() == [2015, 2015, 2017] and df["committed"].tolist() == [2.0, 5.0, 1.0]
    assert set(df["kind"]) == {LABELS["en"]["node.private_vc"], LABELS["en"]["node.guidance_fund"]}
    spec, datasets = charts.view("vc_funds", {"main": df}, key="")
    full = {**spec, "datasets": {"main": rows(datasets["main"])}}
    validate_jsonschema(full, schema)
    titles = " | ".join(_titles(spec))
    assert "TVPI" in titles and "vintage (year)" in titles
    assert charts.to_png(full, scale=1)[:4] == b"\x89PNG"


def test_funds_panel_only_when_the_model_has_funds(two_years, monkeypatch):
    import solara

    def drawn(session: Session) -> set[str]:
        from dashboards.vega import VegaView

        _box, rc = solara.render(app.ChartCells(session, 0, tuple(app.TAB_CHARTS["firms"]), ()), handle_error=False)
        try:
            return {(w.spec.get("title") or {}).get("text") for w in rc.find(VegaView).widgets}
        finally:
            rc.close()

    title = LABELS["en"]["chart.vc_funds"]
    s = Session(seed=42)
    s.step(4)
    if not s.has_funds():
        assert title not in drawn(s) and LABELS["en"]["chart.vc_invested"] in drawn(s)
        monkeypatch.setattr(type(s.model), "funds", lambda self: FAKE_FUNDS, raising=False)
    assert s.has_funds()
    assert title in drawn(s)
    _spec, datasets = app._make_parts(s, "vc_funds")
    assert len(json.loads(datasets["main"])["fund"]) == len(s.model.funds())  # the fake's 3 or the model's funds


def test_new_tab_and_labels_in_both_languages():
    assert "projects" in app.TABS and app.TAB_CHARTS["projects"] == ["projects_outcomes", "projects_durations"]
    for name in (*NEW_CHARTS, "vc_funds"):
        tab, title = charts.CHARTS[name]
        assert tab in app.TABS and title in LABELS["en"] and title in LABELS["zh"]
        help_key = app.HELP.get(name, f"{title}.help")
        assert help_key in LABELS["en"] and help_key in LABELS["zh"]
    for prefix in ("funder.", "outcome.", "cause.", "net.", "vc.", "tab.projects"):
        en = {k for k in LABELS["en"] if k.startswith(prefix)}
        assert en and en <= set(LABELS["zh"])


def test_colours_are_fixed_in_every_language():
    before = None
    try:
        specs = {}
        for lang in ("en", "zh"):
            set_language_source(lambda lang=lang: lang)
            specs[lang] = charts.template("partner_network", (), lang)
        colours = [json.dumps(specs[lang]["layer"][1]["encoding"]["color"]["scale"]["range"]) for lang in ("en", "zh")]
        assert colours[0] == colours[1]
        assert json.loads(colours[0]) == [
            charts.KIND_COLOURS[k] for k in ("soe", "private", "sme", "university", "lab")
        ]
    finally:
        set_language_source(before)


def test_start_up_monitor_and_sme_panel_count_spin_offs_once():
    """sme_births already counts spin-offs (abm.mechanisms.entry): the monitor and the SME births panel
    must not add them again (they did before the entry/exit view)."""
    from dashboards import data

    s = Session(seed=1)
    s.step(7)
    q = s.model.quarterly()
    year = q[q["year"] == q["year"].iloc[-1]]
    assert (
        year["spinoffs"].sum() > 0
    )  # the check means something at this seed (seed 42 has none in 2016 since the technology market)
    mon = data.monitors(q, 8)
    assert mon["startups"] == pytest.approx(year["sme_births"].sum() * 4.0 / len(year))
