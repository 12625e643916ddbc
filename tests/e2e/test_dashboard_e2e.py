"""End-to-end tests of the dashboard in headless Chromium (a real solara server, real browser sessions)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import chart, click, now, open_tab, select, shot, steps, wait_steps

pytestmark = pytest.mark.e2e


def test_loads_plays_and_charts_change(page):
    assert "Baseline" in page.locator(".nis-scenario").inner_text()
    assert "2015" in now(page)
    before = chart(page, "rd_intensity").screenshot()
    shot(page, "01_loaded")
    click(page, "nis-play")
    wait_steps(page, 9)  # 2016 complete: the yearly charts get their second year
    click(page, "nis-pause")
    page.wait_for_timeout(500)
    n = steps(page)
    page.wait_for_timeout(700)
    assert steps(page) == n, "pause did not stop the run"
    after = chart(page, "rd_intensity").screenshot()
    assert after != before, "the R&D intensity chart did not change while playing"
    click(page, "nis-step")
    wait_steps(page, n + 1)
    shot(page, "02_played")
    for label, name in (("Money", "money_flows"), ("Firms", "firm_sizes"), ("Talent", "network")):
        open_tab(page, label)
        chart(page, name)
        page.wait_for_timeout(300)
        shot(page, f"03_tab_{name}")
    assert page.locator(".nis-error").count() == 0


def test_control_change_bad_input_and_reset(page):
    click(page, "nis-step")
    wait_steps(page, 5)

    def box():
        return page.locator(".nis-param-mission_budget input")

    for bad, why in (("-1", "not allowed"), ("1e13", "not allowed"), ("1,000", "thousands separators")):
        box().fill(bad)
        box().press("Enter")
        for _ in range(100):  # the control is redrawn with the message and the value in effect
            control = page.locator(".nis-param-mission_budget").inner_text()
            if bad in control and box().input_value() == "0":
                break
            page.wait_for_timeout(100)
        assert "mission_budget" in control and why in control and "bn yuan" in control  # the error at the control
        assert box().input_value() == "0", "the field goes back to the value in effect"
    assert "Traceback (most recent call last)" not in page.inner_text("body")
    shot(page, "04_bad_input")
    box().fill("100")  # bn yuan per year
    box().press("Enter")
    page.locator(".nis-pending").wait_for(timeout=10000)
    assert "mission_budget" in page.locator(".nis-pending").inner_text()
    assert "next quarter" in page.locator(".nis-pending").inner_text()
    assert page.locator(".nis-param-mission_budget .error--text").count() == 0
    click(page, "nis-apply-reset")
    page.locator(".nis-pending").wait_for(state="detached", timeout=10000)
    page.wait_for_function("() => document.querySelector('.nis-time').innerText.includes('step 4')", timeout=10000)
    assert float(box().input_value()) == pytest.approx(100)
    click(page, "nis-step")
    wait_steps(page, 5)


def test_sliders_show_values_and_scale_asks_first(page):
    page.locator(".nis-group-simulation").first.click()
    assert page.locator(".nis-param-start_year .nis-slider-value").inner_text() == "2015"
    select(page, "nis-param-scale", "0.02")
    page.locator(".nis-pending").wait_for(timeout=10000)
    click(page, "nis-apply-reset")
    dialog = page.locator(".v-dialog--active")
    dialog.wait_for(timeout=10000)
    assert "agents" in dialog.inner_text()
    shot(page, "08_scale_confirm")
    dialog.get_by_text("Cancel").click()
    page.wait_for_timeout(500)
    assert page.locator(".nis-pending").count() == 1 and steps(page) == 4, "nothing is built without a yes"
    assert "0.05" not in [o.strip() for o in page.locator(".nis-param-scale").all_inner_texts()]


def test_switch_scenario_and_broken_file(page):
    select(page, "nis-scenario-select", "broken_example")
    page.locator(".nis-error").wait_for(timeout=10000)
    msg = page.locator(".nis-error").inner_text()
    assert "stable_share" in msg and "broken_example.toml" in msg
    assert "Baseline" in page.locator(".nis-scenario").inner_text(), "a broken file must keep the running scenario"
    shot(page, "05_broken_scenario")
    select(page, "nis-scenario-select", "supply_cutoff")
    page.wait_for_function("() => document.querySelector('.nis-scenario').innerText.includes('cut-off')", timeout=15000)
    click(page, "nis-step")
    wait_steps(page, 1)


def test_compare_mode(page):
    open_tab(page, "Compare")
    page.locator(".nis-cmp-run").first.click()
    chart(page, "compare", timeout=120000)  # 5 seeds x 2 scenarios run in the server
    page.wait_for_timeout(500)
    shot(page, "06_compare")
    assert page.locator(".nis-error").count() == 0


def test_inspector(page):
    open_tab(page, "Inspector")
    page.locator(".nis-ins-pick").first.click()
    chart(page, "agent_history")
    click(page, "nis-step")
    wait_steps(page, 1)
    page.wait_for_timeout(500)
    shot(page, "07_inspector")


def test_download_csv(page):
    click(page, "nis-step")
    wait_steps(page, 1)
    with page.expect_download(timeout=20000) as info:
        page.get_by_text("Indicators (CSV)").click()
    path = info.value.path()
    text = Path(path).read_text(encoding="utf-8")
    header = text.splitlines()[0].split(",")
    assert header[:3] == ["scenario", "seed", "step"] and "rd_intensity" in header
    assert len(text.splitlines()) == 1 + 6  # steps 0-4 (the first year, run when the page opens) and 5


def test_download_chart_png(page):
    click(page, "nis-step")
    wait_steps(page, 1)
    chart(page, "rd_intensity")
    page.wait_for_timeout(1000)  # let the last redraw finish (vega-embed rebuilds the menu on each spec)
    for attempt in range(3):
        try:
            page.locator(".nis-chart-rd_intensity details").first.evaluate("d => { d.open = true; }")
            with page.expect_download(timeout=10000) as info:
                page.locator(".nis-chart-rd_intensity").get_by_text("Save as PNG").click(timeout=5000)
            break
        except Exception:  # the menu was redrawn under the click: try again
            if attempt == 2:
                raise
    data = Path(info.value.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000


def test_two_sessions_stay_isolated(browser, server):
    ctxs = [browser.new_context(viewport={"width": 1440, "height": 1000}) for _ in range(2)]
    try:
        a, b = (c.new_page() for c in ctxs)
        for p in (a, b):
            p.set_default_timeout(30000)
            p.goto(server)
            p.wait_for_selector(".nis-status", timeout=60000)
        click(a, "nis-play")
        wait_steps(a, 5)
        assert steps(b) == 4, "session B moved when A played"  # the page opens with its first year run
        click(a, "nis-pause")
        a.wait_for_timeout(400)
        na = steps(a)
        for i in range(3):
            click(b, "nis-step")
            wait_steps(b, 4 + i + 1)
        click(b, "nis-reset")
        b.wait_for_function("() => document.querySelector('.nis-time').innerText.includes('step 4')")
        assert steps(a) == na, "session A changed when B stepped and reset"
    finally:
        for c in ctxs:
            c.close()
