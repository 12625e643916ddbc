"""Issue 10: the supply-chain view in headless Chromium at 1280x800 (a real server, a real browser)."""

from __future__ import annotations

import pytest
from conftest import chart, click, new_page, select, shot, steps, wait_steps

from dashboards.lessons import load_lessons

pytestmark = pytest.mark.e2e

CUT_SIGN = "\u2702"
OVERFLOW = """() => {
  const w = window.innerWidth, out = [];
  if (document.documentElement.scrollWidth > w + 1) out.push('page scrolls sideways');
  for (const el of document.querySelectorAll('.nis-chart svg.marks')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > w + 1) out.push(el.closest('[class*=nis-chart-]').className + ' ends at ' + Math.round(r.right));
  }
  return out;
}"""


def test_choke_points_lesson_shows_the_cut_components_and_what_they_hit(browser, server):
    page, console = new_page(browser, server, 1280, 800)
    try:
        lesson = load_lessons()["choke_points"]
        select(page, "nis-lesson-select", lesson.title("en"))
        page.locator(".nis-lesson-title", has_text=lesson.title("en")).wait_for(timeout=20000)
        for name in ("supply_components", "supply_over_time", "capability"):
            chart(page, name)
        assert page.locator(".nis-marked").count() == 3  # the lesson's three charts, all on this tab
        shot(page, "49_1280x800_choke_points_lesson")
        supply = page.locator(".nis-chart-supply_components svg.marks").first
        assert CUT_SIGN not in supply.inner_html(), "2015: nothing is cut yet"
        assert "Lithography machines" in supply.inner_html()
        click(page, "nis-play")
        wait_steps(page, 18, timeout=60)  # 2019 Q2: the cut has started
        click(page, "nis-pause")
        page.wait_for_timeout(1500)
        assert steps(page) >= 18
        html = supply.inner_html()
        marked = supply.locator("text", has_text=CUT_SIGN)  # axis labels (tooltips carry the sign too)
        assert marked.count() == 4, "lithography, EDA, high-end chips and memory chips are marked"
        assert all(marked.nth(i).get_attribute("fill") == "#d62728" for i in range(4)), "in red"
        assert "Lithography machines" in html and "not supplied (cut off)" in html
        assert "cut-off from 2019" in page.locator(".nis-chart-supply_over_time svg.marks").first.inner_html()
        page.locator(".nis-cell-supply_components").first.scroll_into_view_if_needed()
        shot(page, "50_1280x800_supply_view")
        page.locator(".nis-lesson-close").first.click()
        page.locator(".nis-lesson").first.wait_for(state="detached", timeout=10000)
        page.wait_for_timeout(800)
        assert page.evaluate(OVERFLOW) == []
        page.locator(".nis-cell-supply_components").first.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        shot(page, "51_1280x800_supply_view_no_lesson")
        page.locator(".nis-lang-zh").first.click()
        page.locator(".nis-chart-supply_components svg.marks", has_text="光刻机").first.wait_for(timeout=20000)
        page.wait_for_timeout(800)
        shot(page, "52_1280x800_supply_view_zh")
        assert console.problems() == []
    finally:
        page.context.close()
