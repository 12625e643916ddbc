"""A teacher walks one classroom lesson in English and one in Chinese, in headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import chart, click, select, shot, steps, wait_steps

from dashboards.lessons import load_lessons

pytestmark = pytest.mark.e2e
LESSONS = load_lessons()


def pick_lesson(page, title: str) -> None:
    select(page, "nis-lesson-select", title)
    page.locator(".nis-lesson-title", has_text=title).wait_for(timeout=20000)


def test_walk_a_lesson_in_english(page):
    lesson = LESSONS["funding_reform"]
    pick_lesson(page, lesson.title("en"))
    assert "Funding reform" in page.locator(".nis-scenario").inner_text()
    panel = page.locator(".nis-lesson").inner_text()
    for heading in (
        "WHAT IS IT?",
        "HOW IT WORKS",
        "HOW TO USE IT",
        "THINGS TO NOTICE",
        "THINGS TO TRY",
        "EXTENDING THE MODEL",
        "SOURCES",
    ):
        assert heading in panel
    assert "missing-piece-china-innovation-power-2024.txt" in panel
    # the lesson opens the tab of its charts and frames them
    assert page.locator(".nis-marked").count() == 2  # capability and money flows on 'Money & capability'
    chart(page, "capability")
    click(page, "nis-play")
    wait_steps(page, 4)
    click(page, "nis-pause")
    shot(page, "20_lesson_en")
    # one-click comparison
    page.locator(".nis-lesson-compare").first.click()
    # the lesson's comparison runs both scenarios for 20 years over 5 seeds in the server (about 10 s of
    # model time on an idle machine, more while the browser and the rest of the suite share its 2 cores)
    chart(page, "compare", timeout=120000)
    assert (
        "A: baseline" in page.locator(".nis-chart-compare").inner_text() or page.locator(".nis-chart-compare").count()
    )
    shot(page, "21_lesson_en_compare")
    # printable handout
    with page.expect_download(timeout=20000) as info:
        page.get_by_text("Student handout (printable)").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert "Funding reform" in text and text.count('class="answer"') == len(lesson.answers)
    # projector mode: large text, only the lesson's charts
    page.locator(".nis-projector-switch label").first.click()
    page.locator(".nis-projector").wait_for(timeout=10000)
    page.locator(".nis-proj-charts").first.click()
    for name in lesson.charts:
        chart(page, name)
    assert page.locator(".nis-chart").count() == len(lesson.charts)
    assert page.locator(".nis-group-funding").count() == 0, "levers are hidden on the projector"
    shot(page, "22_lesson_en_projector")
    assert page.locator(".nis-error").count() == 0


def test_walk_a_lesson_in_chinese(page, browser, server):
    lesson = LESSONS["key_core_mission"]
    click(page, "nis-lang-zh")
    page.locator(".v-tab", has_text="资金与能力").wait_for(timeout=15000)
    assert "运行" in page.locator(".nis-play").inner_text()
    other = browser.new_context(viewport={"width": 1440, "height": 1000})  # a pupil's tab stays in English
    try:
        pupil = other.new_page()
        pupil.goto(server)
        pupil.wait_for_selector(".nis-status", timeout=60000)
        assert "PLAY" in pupil.locator(".nis-play").inner_text().upper()
    finally:
        other.close()
    pick_lesson(page, lesson.title("zh"))
    assert "芯片领域的举国体制攻关" in page.locator(".nis-scenario").inner_text()
    panel = page.locator(".nis-lesson").inner_text()
    for heading in ("这是什么?", "模型如何运作", "如何使用", "值得注意的现象", "可以尝试的事", "扩展模型", "资料来源"):
        assert heading in panel
    assert "WHAT IS IT" not in panel
    chart(page, "capability")
    click(page, "nis-step")
    wait_steps(page, 5)
    click(page, "nis-step")
    wait_steps(page, 6)
    assert steps(page) == 6 and "季度" in page.locator(".nis-time").inner_text()
    shot(page, "23_lesson_zh")
    page.locator(".nis-lesson-compare").first.click()
    # the lesson's comparison runs both scenarios for 20 years over 5 seeds in the server (about 10 s of
    # model time on an idle machine, more while the browser and the rest of the suite share its 2 cores)
    chart(page, "compare", timeout=120000)
    shot(page, "24_lesson_zh_compare")
    page.locator(".nis-projector-switch label").first.click()
    page.locator(".nis-projector").wait_for(timeout=10000)
    page.locator(".nis-proj-charts").first.click()
    chart(page, lesson.charts[0])
    page.wait_for_timeout(800)
    shot(page, "25_lesson_zh_projector")
    assert page.locator(".nis-error").count() == 0
