"""Issue 15: a whole class on one server, offline, on a projector (headless Chromium, real server)."""

from __future__ import annotations

import pytest
from conftest import chart, click, new_page, open_tab, select, shot, wait_steps

from dashboards.__main__ import build_command
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
        chart(page, "compare", timeout=120000)  # 5 seeds x 2 scenarios run in the server
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
        chart(page, "compare", timeout=120000)  # 5 seeds x 2 scenarios run in the server
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


def test_actors_view_click_opens_the_inspector_and_monitors_show(page):
    for key in ("rd", "controlled", "startups", "researchers"):
        assert page.locator(f".nis-monitor-{key} .nis-monitor-value").inner_text().strip()
    open_tab(page, "Actors")
    chart(page, "actors")
    page.wait_for_timeout(1500)  # the tab slides in: click where the dot is, not where it was
    dots = page.locator(".nis-chart-actors g.mark-symbol path")
    assert dots.count() > 1000  # every agent is a dot (classroom scale: ~1,900)
    box = dots.nth(dots.count() // 2).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    chart(page, "agent_history")
    assert "Inspector" in page.locator(".v-tab--active").inner_text() or page.locator(".nis-state").count() == 1
    shot(page, "45_actor_clicked_inspector")


def test_link_reopens_the_same_lesson_language_scenario_seed_and_year(browser, server, page):
    select(page, "nis-lesson-select", load_lessons()["funding_reform"].title("en"))
    page.locator(".nis-lesson-title").wait_for(timeout=20000)
    page.locator(".nis-lang-zh").first.click()
    page.locator(".v-tab", has_text="资金与能力").wait_for(timeout=15000)
    click(page, "nis-step")
    wait_steps(page, 5)
    for _ in range(3):
        click(page, "nis-step")
        wait_steps(page, 6 + _)
    href = page.locator(".nis-share").get_attribute("href")
    assert "lesson=funding_reform" in href and "lang=zh" in href and "seed=42" in href and "year=2016" in href
    other, console = new_page(browser, server, path=href)
    try:
        other.locator(".nis-lesson-title").wait_for(timeout=20000)
        assert "经费改革" in other.locator(".nis-lesson-title").inner_text()
        assert "2016 年第 4 季度" in other.locator(".nis-time").inner_text()
        assert "种子 42" in other.locator(".nis-scenario").inner_text()
        assert console.problems() == []
    finally:
        other.context.close()


def test_charts_update_in_place_while_playing(page):
    open_tab(page, "Money")
    chart(page, "money_flows")
    page.wait_for_timeout(1000)
    page.evaluate("document.querySelector('.nis-chart-money_flows svg.marks').dataset.nisMark = 'drawn-once'")
    before = page.locator(".nis-chart-money_flows svg.marks").inner_html()
    click(page, "nis-play")
    wait_steps(page, 7)
    click(page, "nis-pause")
    page.wait_for_timeout(1500)
    svg = page.locator(".nis-chart-money_flows svg.marks")
    assert svg.get_attribute("data-nis-mark") == "drawn-once", "the chart was rebuilt instead of updated"
    assert svg.inner_html() != before, "the chart did not change"


def test_the_network_recorder_sees_telemetry_when_it_is_switched_on(tmp_path):
    """Negative control of the offline test: with telemetry allowed, the same recorder sees Solara phone home."""
    import contextlib
    import os
    import signal
    import subprocess
    import time
    import urllib.request

    from conftest import ROOT, Blackhole, _free_port

    hole = Blackhole()
    proxy = f"http://127.0.0.1:{hole.port}"
    port = _free_port()
    env = dict(
        os.environ,
        HTTP_PROXY=proxy,
        HTTPS_PROXY=proxy,
        http_proxy=proxy,
        https_proxy=proxy,
        PYTHONPATH=str(ROOT),
        SOLARA_TELEMETRY_MIXPANEL_ENABLE="True",
    )
    proc = subprocess.Popen(
        build_command("127.0.0.1", port),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.time() + 60
        while time.time() < deadline and not hole.seen:
            with contextlib.suppress(OSError):
                direct.open(f"http://127.0.0.1:{port}/", timeout=2)
            time.sleep(0.5)
        assert any("mixpanel" in line or "ipify" in line for line in hole.seen), hole.seen
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
        hole.close()


def test_two_servers_behind_one_address_split_the_class_and_links_point_at_the_front(browser, tmp_path):
    """``python -m dashboards --servers 2``: pages opened at the one address land on alternate servers,
    each runs, and the share link a pupil copies points back at the front (so it spreads the class too)."""
    import contextlib
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    from conftest import ROOT, _free_port

    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT), SOLARA_TELEMETRY_MIXPANEL_ENABLE="False")
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboards", "--port", str(port), "--servers", "2"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    pages = []
    try:
        deadline = time.time() + 120
        up = set()
        while len(up) < 2 and time.time() < deadline:  # both servers answer through the front
            with contextlib.suppress(OSError), urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                up.add(r.geturl())
            time.sleep(0.3)
        assert len(up) == 2, up
        for _ in range(2):
            ctx = browser.new_context(viewport={"width": 1280, "height": 800})
            pg = ctx.new_page()
            pg.goto(f"http://127.0.0.1:{port}/?seed=5&lang=en")
            pg.wait_for_selector(".nis-status", timeout=60000)
            pages.append(pg)
        landed = {pg.url.split("/")[2] for pg in pages}
        assert landed == {f"127.0.0.1:{port + 1}", f"127.0.0.1:{port + 2}"}
        for pg in pages:
            assert "5" in pg.locator(".nis-scenario").inner_text()
            href = pg.locator(".nis-share").get_attribute("href")
            assert href.startswith(f"http://127.0.0.1:{port}/?") and "seed=5" in href, href
    finally:
        for pg in pages:
            pg.context.close()
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
