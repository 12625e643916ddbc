"""Issue 15: a whole class on one server, offline, on a projector (headless Chromium, real server)."""

from __future__ import annotations

import pytest
from conftest import chart, click, new_page, open_tab, select, shot, wait_steps

from dashboards.charts import CHARTS
from dashboards.lessons import load_lessons

pytestmark = pytest.mark.e2e


def test_offline_clean_console_across_load_play_compare_language_and_lessons(browser, server, blackhole):
    page, console = new_page(browser, server)
    try:
        chart(page, "rd_intensity")
        click(page, "nis-play")
        wait_steps(page, 8)
        click(page, "nis-pause")
        open_tab(page, "Compare")
        page.locator(".nis-cmp-run").first.click()
        chart(page, "compare")
        page.locator(".nis-lang-zh").first.click()
        page.locator(".nis-lang-en").first.wait_for()
        page.wait_for_timeout(500)
        page.locator(".nis-lang-en").first.click()
        page.wait_for_timeout(500)
        for lesson in load_lessons().values():
            select(page, "nis-lesson-select", lesson.title("en"))
            page.locator(".nis-lesson-title", has_text=lesson.title("en")).wait_for(timeout=20000)
            for name in lesson.charts:
                if CHARTS[name][0] == lesson.tab:  # the lesson opens this tab: its framed charts are drawn
                    chart(page, name)
        page.wait_for_timeout(1000)
        shot(page, "30_offline_after_lessons")
        assert console.problems() == []
        assert blackhole.seen == [], f"the server tried to reach the network: {blackhole.seen}"
        # charts come from the local bundle that matches Altair's Vega-Lite, not Solara's Vega 5 widget
        assert any("/nis-vega@" in u for u in console.requests)
        assert not any("/vega-lite@5" in u or "katex" in u for u in console.requests)
    finally:
        page.context.close()


SIZES = ((1024, 768), (1280, 800), (1920, 1080))
CHECK_FIT = """() => {
  const w = window.innerWidth, out = [];
  if (document.documentElement.scrollWidth > w + 1) out.push('page scrolls sideways: ' + document.documentElement.scrollWidth);
  for (const el of document.querySelectorAll('.nis-chart svg.marks, .nis-monitor, .nis-lesson, .v-btn')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > w + 1) out.push((el.closest('[class*=nis-chart-]') || el).className + ' ends at ' + Math.round(r.right));
  }
  for (const el of document.querySelectorAll('.v-slider')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.width < 80) out.push('collapsed slider: ' + Math.round(r.width) + ' px');
  }
  return out;
}"""


def fits(page, what: str, name: str) -> None:
    page.wait_for_timeout(600)
    shot(page, name)
    problems = page.evaluate(CHECK_FIT)
    assert problems == [], f"{what}: {problems}"


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_view_fits_the_screen(browser, server, size):
    w, h = size
    page, console = new_page(browser, server, w, h)
    try:
        chart(page, "rd_intensity")
        fits(page, "R&D", f"40_{w}x{h}_rd")
        open_tab(page, "Actors")
        chart(page, "actors")
        fits(page, "actors", f"41_{w}x{h}_actors")
        open_tab(page, "Compare")
        fits(page, "compare controls", f"42_{w}x{h}_compare_controls")
        page.locator(".nis-cmp-run").first.click()
        chart(page, "compare")
        fits(page, "compare", f"42_{w}x{h}_compare")
        lesson = load_lessons()["who_does_rd"]
        select(page, "nis-lesson-select", lesson.title("en"))
        page.locator(".nis-lesson-title").wait_for(timeout=20000)
        for name in lesson.charts:
            if CHARTS[name][0] == lesson.tab:
                chart(page, name)
        fits(page, "lesson", f"43_{w}x{h}_lesson")
        page.locator(".nis-projector-switch label").first.click()
        page.locator(".nis-projector").wait_for(timeout=10000)
        for name in lesson.charts:
            chart(page, name)
        fits(page, "projector", f"44_{w}x{h}_projector")
        assert page.locator(".v-application").first.inner_text().count("This website runs on Solara") == 0
        assert console.problems() == []
    finally:
        page.context.close()
