"""The projects, entry/exit, venture-capital and real-actor network views at the three screen sizes."""

from __future__ import annotations

import pytest
from conftest import SHOTS, chart, new_page, open_tab, shot
from test_classroom_e2e import SIZES, fits

pytestmark = pytest.mark.e2e

VIEWS = (
    ("Firms", "firms", ("smes_vc", "entry_exit", "vc_multiples", "vc_invested")),
    ("Projects", "projects", ("projects_outcomes", "projects_durations")),
    ("Talent", "talent", ("network", "partner_network", "partner_stats")),
)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_new_views_fit_the_screen_with_a_clean_console(browser, server, size):
    w, h = size
    page, console = new_page(browser, server, w, h, path="?year=2018")  # a few years: deals have closed
    try:
        for label, key, names in VIEWS:
            open_tab(page, label)
            for name in names:
                chart(page, name)
            fits(page, label, f"45_{w}x{h}_{key}")
            for name in names:  # each chart on its own (the page scrolls inside its columns)
                page.locator(f".nis-cell-{name}").first.screenshot(path=str(SHOTS / f"45_{w}x{h}_{key}_{name}.png"))
        assert page.locator(".nis-chart-vc_funds").count() == 0 or page.locator(".nis-cell-vc_funds").count() == 1
        assert console.problems() == []
    finally:
        page.context.close()


def test_new_views_in_chinese(browser, server):
    page, console = new_page(browser, server, 1280, 800, path="?lang=zh&year=2018")
    try:
        page.locator(".v-tab", has_text="科研项目").wait_for(timeout=15000)
        for label, key, names in (("企业与风投", "firms", VIEWS[0][2]), ("科研项目", "projects", VIEWS[1][2])):
            open_tab(page, label)
            for name in names:
                chart(page, name)
            page.wait_for_timeout(600)
            shot(page, f"46_zh_{key}")
            for name in names:
                page.locator(f".nis-cell-{name}").first.screenshot(path=str(SHOTS / f"46_zh_{key}_{name}.png"))
        open_tab(page, "人才与网络")
        chart(page, "partner_network")
        page.wait_for_timeout(600)
        shot(page, "46_zh_talent")
        for name in ("partner_network", "partner_stats"):
            page.locator(f".nis-cell-{name}").first.screenshot(path=str(SHOTS / f"46_zh_talent_{name}.png"))
        assert "合作网络" in page.locator(".nis-cell-partner_network").inner_text()
        assert console.problems() == []
    finally:
        page.context.close()
