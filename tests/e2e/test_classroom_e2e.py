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
