"""The "How sure?" tab: every shipped policy question with its answer, sensitivity and verdict (issue 13 item 4)."""

from __future__ import annotations

import json
import string

import pytest

pytest.importorskip("solara")
pytest.importorskip("altair")

import ipyvuetify as v
import solara
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema import load_schema

from dashboards import app, charts
from dashboards import robustness as rob
from dashboards.i18n_zh import SCENARIO_ZH, UNIT_ZH
from dashboards.labels import INDICATORS, LABELS, set_language_source
from dashboards.session import Session
from dashboards.vega import VegaView, rows
from experiments.robustness import QUESTIONS

KEYS = list(QUESTIONS)


@pytest.fixture()
def lang():
    """Set the language of the labels for one test; afterwards the page's source again (app.LANG)."""
    from dashboards import labels

    before = labels._source
    current = {"v": "en"}
    set_language_source(lambda: current["v"])
    yield current
    set_language_source(before)


def test_the_tab_reads_every_shipped_question_and_has_words_for_each():
    assert list(rob.questions()) == KEYS
    for e in rob.questions().values():
        assert e["outcome"] in INDICATORS, e["outcome"]  # the outcome's name in both languages
        assert e["scenario"] in SCENARIO_ZH and (e["reference"] is None or e["reference"] in SCENARIO_ZH)
        if rob.kind(e) != "units":
            assert e["unit"] in UNIT_ZH, e["unit"]
        else:
            assert e["unit"] == "capability"  # the one plain unit, with a label of its own
    assert rob.for_scenario("baseline") is None and rob.for_scenario("soe_reform")["reference"] == "baseline"


def test_numbers_are_shown_in_the_answers_unit_as_in_the_docs(lang):
    q = rob.questions()
    assert rob.fmt(q["soe_reform"]["answer"]["mean"], q["soe_reform"]) == "+0.31 pp"
    assert rob.fmt(q["funding_reform"]["answer"]["mean"], q["funding_reform"]) == "+3.8%"
    assert rob.fmt(q["chip_cutoff"]["answer"]["mean"], q["chip_cutoff"]) == "-0.078"
    assert (
        rob.answer_text(q["talent_programme"]) == "+1.0% (95% interval +0.4% to +1.5%); 73% of 30 seeds have this sign"
    )
    assert rob.design_text(q["soe_reform"]).startswith("from -0.06 pp to +0.96 pp over 32 design points")
    # a non-zero that would round to zero keeps one significant digit (not "-0.00 pp"); zero stays zero
    assert rob.fmt(-0.00004, q["soe_reform"]) == "-0.004 pp" and rob.fmt(0.0, q["soe_reform"]) == "+0.00 pp"
    assert rob.fmt(0.0003, q["funding_reform"]) == "+0.03%"
    assert rob.effect_unit(q["funding_reform"]) == "% change from baseline, breakthroughs"
    assert rob.window(q["funding_reform"]) == "summed over 2021-2024" and rob.window(q["soe_reform"]) == "in 2030"
    morris = rob.morris_frame(q["soe_reform"])
    assert morris["mu_star"].iloc[0] == pytest.approx(100 * q["soe_reform"]["morris"][0]["mu_star"])  # in pp
    lang["v"] = "zh"
    assert rob.fmt(q["soe_reform"]["answer"]["mean"], q["soe_reform"]) == "+0.31 个百分点"
    assert rob.title(q["soe_reform"]) == f"{SCENARIO_ZH['soe_reform']['name']} 对比 {SCENARIO_ZH['baseline']['name']}"


@pytest.mark.parametrize("key", KEYS)
def test_verdict_in_plain_words_names_what_it_depends_on(key, lang):
    e = rob.questions()[key]
    for code in ("en", "zh"):
        lang["v"] = code
        words = rob.verdict_text(e)
        if e["reference"] is None:
            assert words == LABELS[code]["rob.verdict.level"].format(
                a=e["morris"][0]["parameter"], b=e["morris"][1]["parameter"]
            )
        elif e["verdict"] == "holds over the plausible ranges":
            assert words == LABELS[code]["rob.verdict.holds"]
        else:
            top = e["verdict"].removeprefix("depends on ").split(", ")
            assert words == LABELS[code]["rob.verdict.depends"].format(a=top[0], b=top[1])


def test_direction_of_a_parameter_follows_the_sign_of_mu():
    assert rob.direction({"mu_star": 2.0, "mu": 1.5, "sigma": 0}) == "rob.dir.up"
    assert rob.direction({"mu_star": 2.0, "mu": -1.0, "sigma": 0}) == "rob.dir.down"
    assert rob.direction({"mu_star": 2.0, "mu": 0.9, "sigma": 0}) == "rob.dir.mixed"
    assert rob.direction({"mu_star": 0.0, "mu": 0.0, "sigma": 0}) == "rob.dir.mixed"


def test_chart_colours_are_fixed_in_every_language(lang):
    ranges = []
    for code in ("en", "zh"):
        lang["v"] = code
        spec = charts.template("robustness", ("unit", 6), code)
        scale = spec["vconcat"][1]["encoding"]["color"]["scale"]
        assert scale["domain"] == [LABELS[code][k] for k in rob.DIRECTIONS]
        ranges.append(scale["range"])
    assert ranges[0] == ranges[1] == list(rob.DIRECTION_COLOURS.values())


def test_new_labels_exist_in_both_languages_with_the_same_placeholders():
    keys = [k for k in LABELS["en"] if k.startswith("rob.") or k == "tab.robustness"]
    assert len(keys) > 40
    fields = string.Formatter()
    for k in keys:
        assert k in LABELS["zh"], k
        assert {f[1] for f in fields.parse(LABELS["en"][k]) if f[1]} == {
            f[1] for f in fields.parse(LABELS["zh"][k]) if f[1]
        }, k


# -- the tab, rendered (no browser) ---------------------------------------------------------------------
@pytest.fixture(autouse=True)
def page_language():
    """The page's language source (app.LANG), whatever an earlier test left installed."""
    from dashboards import labels

    before = labels._source
    set_language_source(lambda: app.LANG.value)
    yield
    set_language_source(before)


@pytest.fixture(scope="module")
def session() -> Session:
    return Session("soe_reform", seed=42)


def _html(rc, cls: str) -> str:
    (w,) = [w for w in rc.find(solara.widgets.HTML).widgets if cls in (w.attributes or {}).get("class", "").split()]
    return w.unsafe_innerHTML


def _check_panel(rc, e: dict, code: str, schema: dict) -> None:
    detail = _html(rc, "nis-rob-detail")
    for text in (rob.title(e), rob.answer_text(e), rob.design_text(e), rob.verdict_text(e), rob.effect_unit(e)):
        assert app.esc(text) in detail, (e["question"], code, text)
    assert e["run"]["commit"][:7] in detail
    table = _html(rc, "nis-rob-table")
    assert table.count("<tr") == 1 + len(KEYS) and table.count("nis-rob-current") == 1
    assert all(app.esc(rob.title(q)) in table for q in rob.questions().values())
    (chart,) = rc.find(VegaView).widgets
    spec, datasets = chart.spec, {k: rows(d) for k, d in chart.datasets.items()}
    validate_jsonschema({**spec, "datasets": {**spec.get("datasets", {}), **datasets}}, schema)
    morris = datasets["morris"]
    assert [m["parameter"] for m in morris] == [m["parameter"] for m in e["morris"]]
    assert [m["mu_star"] for m in morris] == sorted((m["mu_star"] for m in morris), reverse=True)
    assert spec["vconcat"][1]["encoding"]["y"]["sort"] == {"field": "mu_star", "order": "descending"}
    unit = rob.effect_unit(e)
    assert spec["vconcat"][1]["encoding"]["x"]["title"] == LABELS[code]["rob.axis.mu"].format(unit=unit)
    assert spec["vconcat"][0]["layer"][0]["encoding"]["x"]["title"] == LABELS[code]["rob.axis.effect"].format(unit=unit)
    effect = datasets["effect"]
    f = rob.factor(e)
    assert effect[0]["mean"] == pytest.approx(f * e["answer"]["mean"])
    assert (effect[1]["lo"], effect[1]["hi"]) == pytest.approx((f * e["design_range"][0], f * e["design_range"][1]))


@pytest.mark.parametrize("code", ["en", "zh"])
def test_the_tab_renders_every_question_in_both_languages(session, code, monkeypatch):
    monkeypatch.setattr(app.LANG, "value", code)
    schema = load_schema()
    _box, rc = solara.render(app.RobustnessTab(session), handle_error=False)
    try:
        select = rc.find(v.Select, class_="nis-rob-select").widget
        assert select.v_model == rob.title(rob.questions()["soe_reform"])  # the running scenario's question
        for key in KEYS:
            e = rob.questions()[key]
            select.v_model = rob.title(e)
            _check_panel(rc, e, code, schema)
    finally:
        rc.close()


@pytest.fixture()
def page(monkeypatch):
    """Render the whole page in English on a session of a given scenario; yields the render function."""
    contexts = []

    def render(scenario: str, warmup: int):
        monkeypatch.setattr(app.LANG, "value", "en")
        monkeypatch.setattr(app, "_new_session", lambda view=None: Session(scenario, seed=42, warmup=warmup))
        _box, rc = solara.render(app.Page(), handle_error=False)
        contexts.append(rc)
        return rc

    yield render
    for rc in contexts:
        rc.close()


def _with_class(rc, widget, cls: str) -> list:
    """Rendered widgets of a type that carry a CSS class."""
    return [w for w in rc.find(widget).widgets if cls in (w.class_ or "").split()]


def test_the_sidebar_shows_a_policy_answer_and_opens_the_tab(page):
    rc = page("soe_reform", warmup=4)
    hint = _with_class(rc, v.Html, "nis-rob-hint")[0]
    assert (
        "R&D intensity in 2030 +0.31 pp" in hint.children[0] and "holds over the plausible ranges" in hint.children[0]
    )
    assert not rc.find(VegaView).widgets or "vconcat" not in rc.find(VegaView).widgets[0].spec
    _with_class(rc, v.Btn, "nis-rob-open")[0].click()
    assert rc.find(v.Tabs).widget.v_model == app.TABS.index("robustness")
    assert rc.find(v.Select, class_="nis-rob-select").widget.v_model == rob.title(rob.questions()["soe_reform"])
    assert "vconcat" in rc.find(VegaView).widgets[0].spec


def test_no_answer_in_the_sidebar_for_a_scenario_that_is_not_a_question(page):
    rc = page("baseline", warmup=0)
    assert not _with_class(rc, v.Html, "nis-rob-hint") and not _with_class(rc, v.Btn, "nis-rob-open")
    rc.find(v.Tabs).widget.v_model = app.TABS.index("robustness")
    assert rc.find(v.Select, class_="nis-rob-select").widget.v_model == rob.title(rob.questions()[KEYS[0]])


def test_published_file_is_json_the_package_ships():
    from importlib import resources

    text = resources.files("dashboards").joinpath("robustness.json").read_text(encoding="utf-8")
    assert json.loads(text)["command"] == "python -m experiments.robustness --publish"


def test_the_answers_on_each_base_are_published_and_the_tab_switches_between_them(session, monkeypatch):
    """The defaults' answers and the calibrated calendar's: the picker switches the detail, the chart and the
    table to the other base's numbers, and the run behind them names its base."""
    assert rob.bases() == ["", "calendar_calibrated"]
    for b in rob.bases():
        assert list(rob.questions(b)) == KEYS and all(e["base"] == b for e in rob.questions(b).values())
    monkeypatch.setattr(app.LANG, "value", "en")
    _box, rc = solara.render(app.RobustnessTab(session), handle_error=False)
    try:
        pick = rc.find(v.Select, class_="nis-rob-base").widget
        assert pick.v_model == "parameter-table defaults" and pick.items == [
            "parameter-table defaults",
            "calibrated, on the policy calendar",
        ]
        for b, words in (("calendar_calibrated", "calibrated baseline on the policy calendar"), ("", "defaults")):
            pick.v_model = rob.base_short(b)
            e = rob.questions(b)["soe_reform"]
            detail = _html(rc, "nis-rob-detail")
            assert app.esc(rob.answer_text(e)) in detail and words in detail
            table = _html(rc, "nis-rob-table")
            assert all(app.esc(rob.fmt(q["answer"]["mean"], q)) in table for q in rob.questions(b).values())
            (chart,) = rc.find(VegaView).widgets
            assert rows(chart.datasets["effect"])[0]["mean"] == pytest.approx(rob.factor(e) * e["answer"]["mean"])
    finally:
        rc.close()


def test_a_session_on_the_calibrated_calendar_opens_on_its_answers(monkeypatch):
    monkeypatch.setattr(app.LANG, "value", "en")
    _box, rc = solara.render(app.RobustnessTab(Session("calendar_calibrated", seed=1, warmup=0)), handle_error=False)
    try:
        assert rc.find(v.Select, class_="nis-rob-base").widget.v_model == rob.base_short("calendar_calibrated")
        e = rob.questions("calendar_calibrated")[KEYS[0]]
        assert app.esc(rob.answer_text(e)) in _html(rc, "nis-rob-detail")
    finally:
        rc.close()
