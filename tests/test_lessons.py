"""Classroom lessons: content in both languages, scenarios, answer recipes, translations, handouts."""

from __future__ import annotations

import html
import re
import string
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("solara")

from abm import PARAMETERS, InnovationModel, list_scenarios
from abm.fields import FIELDS
from abm.params import PARAMS_BY_NAME
from dashboards import charts
from dashboards.i18n_zh import FIELD_ZH, PARAM_ZH, SCENARIO_ZH, UNIT_ZH
from dashboards.labels import LABELS, LANGUAGES, set_language_source, t
from dashboards.lessons import SECTIONS, load_lessons, markdown, problems
from dashboards.lessons.answers import Runs, evaluate, sentence
from dashboards.lessons.handouts import handout_html, handout_name
from dashboards.session import COMPARE_INDICATORS, Session

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = ROOT.parent / "shared" / "seeds"  # the seed documents, beside the checkout (tests only)
HANDOUTS = ROOT / "docs" / "handouts"
LESSONS = load_lessons()
POLICY_SCENARIOS = {
    "funding_reform",
    "soe_reform",
    "vc_expansion",
    "key_core_mission",
    "supply_cutoff",
    "talent_programme",
}  # one per policy question of MODEL.md
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_seven_lessons_cover_the_shape_and_every_policy_question():
    assert len(LESSONS) >= 7
    assert next(iter(LESSONS)) == "who_does_rd" and LESSONS["who_does_rd"].scenario == "baseline"
    used = {x.scenario for x in LESSONS.values()} | {
        s for x in LESSONS.values() for c in x.comparisons for s in (c.a, c.b)
    }
    assert used >= POLICY_SCENARIOS
    assert {x.scenario for x in LESSONS.values()} >= POLICY_SCENARIOS


@pytest.mark.parametrize("key", list(LESSONS))
def test_every_section_in_both_languages_nonempty_and_unique(key):
    lesson = LESSONS[key]
    assert problems(lesson) == []
    for lang in LANGUAGES:
        text = markdown(lesson, lang)
        for name in (*SECTIONS, "sources"):
            heading = f"### {t(f'lesson.{name}', lang)}\n"
            assert text.count(heading) == 1, (lang, name)
        assert len(lesson.section(lang, "things_to_notice")) >= 4
        assert all("?" in q or "?" in q for q in lesson.section(lang, "things_to_notice")), (
            "THINGS TO NOTICE are asked as questions"
        )
    zh = markdown(lesson, "zh")
    assert len(HAN.findall(zh)) > 300
    for name in SECTIONS:
        assert lesson.section("en", name) != lesson.section("zh", name)


def test_no_section_repeated_across_lessons():
    seen: dict[str, str] = {}
    for lesson in LESSONS.values():
        for lang in LANGUAGES:
            for name in ("title", *SECTIONS):
                value = lesson.text[lang][name]
                for item in value if isinstance(value, list) else [value]:
                    norm = " ".join(str(item).split())
                    assert norm not in seen, f"{lesson.key} {lang} {name} repeats {seen.get(norm)}"
                    seen[norm] = f"{lesson.key} {lang} {name}"


def test_sources_cite_real_seed_lines():
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed documents not found in {SEEDS_DIR}")
    for lesson in LESSONS.values():
        for src in lesson.sources:
            path = SEEDS_DIR / src.file
            assert path.is_file(), f"{lesson.key}: no seed file {src.file}"
            lines = path.read_text(encoding="utf-8").splitlines()
            lo, hi = src.span()
            assert 1 <= lo <= hi <= len(lines), f"{lesson.key}: {src.file}:{src.lines} outside 1-{len(lines)}"
            assert any(line.strip() for line in lines[lo - 1 : hi])


def test_charts_tabs_overrides_and_compare_indicators_exist():
    from dashboards.app import TABS

    for lesson in LESSONS.values():
        assert lesson.charts and set(lesson.charts) <= set(charts.CHARTS), lesson.key
        assert lesson.tab in TABS
        for name, value in lesson.overrides.items():
            PARAMS_BY_NAME[name].validate(value)
        assert lesson.comparisons, lesson.key
        for c in lesson.comparisons:
            assert {c.a, c.b} <= set(list_scenarios())
            assert set(c.indicators) <= set(COMPARE_INDICATORS), lesson.key


@pytest.mark.parametrize("key", list(LESSONS))
def test_lesson_scenario_loads_and_runs(key):
    lesson = LESSONS[key]
    s = Session()
    s.start_lesson(lesson.scenario, lesson.overrides, lesson.years, lesson.seed)
    assert s.scenario == lesson.scenario and s.seed == lesson.seed
    assert s.stop_year == s.model.start_year + lesson.years
    s.step(4)
    assert s.yearly()["rd_intensity"].iloc[-1] > 0
    s.reset()
    assert s.stop_year == s.model.start_year + lesson.years, "Reset keeps the lesson's run length"
    for c in lesson.comparisons:
        for scenario in (c.a, c.b):
            y = InnovationModel.from_scenario(scenario, seed=lesson.seed).run(years=1).yearly()
            assert set(c.indicators) <= set(y.columns)


def test_dashboard_run_is_the_run_the_answers_use():
    lesson = LESSONS["funding_reform"]
    s = Session()
    s.start_lesson(lesson.scenario, lesson.overrides, lesson.years, lesson.seed)
    s.step(8)
    mine = s.model.yearly()
    ref = InnovationModel.from_scenario(lesson.scenario, seed=lesson.seed).run(years=2).yearly()
    for col in ("rd_intensity", "breakthroughs", "patents", "n_sme"):
        assert np.allclose(mine[col].astype(float), ref[col].astype(float)), col


@pytest.fixture(scope="module")
def runs() -> Runs:
    return Runs([42], 20)


def test_every_answer_recipe_evaluates_on_a_real_run(runs):
    for lesson in LESSONS.values():
        for answer in lesson.answers:
            res = evaluate(answer, runs)
            assert np.all(np.isfinite(res.values)), (lesson.key, answer.indicator)
            for lang in LANGUAGES:
                text = sentence(res, lang, lesson.seed)
                assert re.search(r"\d", text) and len(text) > 20


def test_translations_cover_parameters_units_fields_scenarios_and_labels():
    assert set(PARAM_ZH) == {p.name for p in PARAMETERS}
    assert {p.unit for p in PARAMETERS} <= set(UNIT_ZH)
    assert set(FIELD_ZH) == {f.name for f in FIELDS}
    assert set(list_scenarios()) <= set(SCENARIO_ZH)
    assert all(HAN.search(v) for v in [*PARAM_ZH.values(), *FIELD_ZH.values()])
    en, zh = LABELS["en"], LABELS["zh"]
    assert set(en) == set(zh)
    fields = string.Formatter()
    for k in en:
        names = ({f[1] for f in fields.parse(en[k]) if f[1]}, {f[1] for f in fields.parse(zh[k]) if f[1]})
        assert names[0] == names[1], k
        assert HAN.search(zh[k]), f"label {k} has no Chinese text"


def test_language_switch_changes_labels_and_chart_titles():
    try:
        set_language_source(lambda: "zh")
        assert t("tab.overview") == "研发"
        spec = charts.spec("share", {"main": Session(seed=1).chart_data("types")}, "chart.types")
        assert spec["title"]["text"] == "做的是哪类研发"
        assert spec["encoding"]["x"]["title"] == "年份"
    finally:
        set_language_source(None)
    assert t("tab.overview") == "R&D"
    spec = charts.spec("share", {"main": Session(seed=1).chart_data("types")}, "chart.types")
    assert spec["title"]["text"] == "What kind of R&D"


def test_handouts_are_committed_and_up_to_date():
    for lesson in LESSONS.values():
        for lang in LANGUAGES:
            page = handout_html(lesson, lang)
            path = HANDOUTS / handout_name(lesson, lang)
            assert path.is_file(), f"run python -m dashboards.lessons.handouts ({path} missing)"
            assert path.read_text(encoding="utf-8") == page, (
                f"{path} is stale: run python -m dashboards.lessons.handouts"
            )
            assert page.count('class="answer"') == len(lesson.section(lang, "things_to_notice"))
            assert html.escape(lesson.title(lang)) in page


def test_teaching_guide_has_every_question_and_states_its_runs():
    for lang, name in (("en", "teaching.md"), ("zh", "teaching.zh.md")):
        text = (ROOT / "docs" / name).read_text(encoding="utf-8")
        assert "python -m dashboards.lessons.teaching" in text
        assert re.search(r"seeds 42-51|种子 42-51", text)
        for lesson in LESSONS.values():
            assert lesson.title(lang) in text
            for q in lesson.section(lang, "things_to_notice"):
                assert q in text, (
                    f"docs/{name} is stale (missing '{q[:40]}…'): run python -m dashboards.lessons.teaching"
                )
        assert text.count("45") >= len(LESSONS)


def test_every_lesson_on_a_policy_question_says_how_sure_its_answer_is_from_the_published_file():
    """Issue 13 item 6: the paragraph is written from dashboards/robustness.json, so it cannot drift from it:
    the answer on the defaults (what the lesson runs), the design range, the verdict, the calibrated answer."""
    from dashboards import robustness as rob
    from dashboards.labels import language
    from dashboards.lessons import section_markdown

    with_question = [x for x in LESSONS.values() if rob.for_scenario(x.scenario)]
    assert {x.scenario for x in with_question} >= POLICY_SCENARIOS
    for lesson in LESSONS.values():
        e, cal = rob.for_scenario(lesson.scenario), rob.for_scenario(lesson.scenario, "calendar_calibrated")
        for lang in LANGUAGES:
            md = markdown(lesson, lang)
            if e is None:
                assert t("lesson.how_sure", lang) not in md
                continue
            sure = section_markdown(lesson, lang, "how_sure")
            assert f"### {t('lesson.how_sure', lang)}\n\n{sure}" in md
            with language(lang):
                words = [
                    rob.answer_text(e),
                    rob.design_text(e),
                    rob.verdict_text(e),
                    rob.fmt(cal["answer"]["mean"], cal),
                ]
                if rob.holds(e) is not None:
                    words.append(rob.verdict_short(cal))
            assert all(w in sure for w in words), (lesson.key, lang, [w for w in words if w not in sure])
            assert md.index(t("lesson.how_it_works", lang)) < md.index(t("lesson.how_sure", lang))
            # the teacher guide carries the same paragraph (regenerate it after publishing new runs)
            guide = (ROOT / "docs" / ("teaching.md" if lang == "en" else "teaching.zh.md")).read_text(encoding="utf-8")
            assert sure in guide, (
                f"{lesson.key} [{lang}]: docs teaching guide is stale: python -m dashboards.lessons.teaching"
            )


def test_page_lesson_picker_language_and_projector():
    import ipyvuetify as v
    import solara

    from dashboards import app

    _box, rc = solara.render(app.Page(), handle_error=False)
    try:
        select = next(w for w in rc.find(v.Select).widgets if "nis-lesson-select" in (w.class_ or ""))
        select.v_model = LESSONS["soe_reform"].title("en")
        html = str([w.children for w in rc.find(v.Html).widgets])
        assert "SOE reform: when state firms do more R&D" in html
        assert (
            any(
                "nis-marked" in (w.class_ or "")
                for w in rc.find(v.Html).widgets + rc.find(v.Col).widgets + rc.find(v.Container).widgets
            )
            or "\u2605" in html
        )
        zh = next(w for w in rc.find(v.Btn).widgets if "nis-lang-zh" in (w.class_ or ""))
        zh.click()
        html = str([w.children for w in rc.find(v.Html).widgets])
        assert "国企改革:当国有企业加大研发" in html
    finally:
        app.LANG.set("en")
        rc.close()
