"""The "How sure?" tab in Chromium: reached from the sidebar of a policy scenario, fits the screen, clean console."""

from __future__ import annotations

import pytest
from conftest import SHOTS, chart, new_page, select
from test_classroom_e2e import fits

from dashboards.robustness import answer_text, questions

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    "size, lang", [((1280, 800), "en"), ((1024, 768), "en"), ((1024, 768), "zh")], ids=["1280x800", "1024x768", "zh"]
)
def test_how_sure_tab_fits_the_screen_with_a_clean_console(browser, server, size, lang):
    w, h = size
    page, console = new_page(browser, server, w, h, path=f"?scenario=soe_reform&lang={lang}")
    try:
        hint = page.locator(".nis-rob-hint").first
        hint.wait_for(timeout=20000)
        assert ("+0.31 pp" if lang == "en" else "+0.31 个百分点") in hint.inner_text()
        page.locator(".nis-rob-open").first.click()  # the sidebar's button opens the tab on this scenario's question
        chart(page, "robustness")
        detail = page.locator(".nis-rob-detail").inner_text()
        if lang == "en":
            assert "soe_reform vs baseline" in detail and "holds over the plausible ranges" in detail.lower()
        else:
            assert "在合理假设范围内成立" in detail
        assert page.locator(".nis-rob-table tr").count() == 1 + len(questions())
        fits(page, "How sure? (soe_reform)", f"47_{w}x{h}_{lang}_robustness")
        page.locator(".nis-cell-robustness").first.screenshot(
            path=str(SHOTS / f"47_{w}x{h}_{lang}_robustness_chart.png")
        )
        page.locator(".nis-rob-table").first.screenshot(path=str(SHOTS / f"47_{w}x{h}_{lang}_robustness_table.png"))
        if lang == "en":  # another question: the panel follows the pick
            select(page, "nis-rob-select", "funding_reform vs baseline")
            fr = questions()["funding_reform"]["morris"]  # its verdict names the two largest mu* (from the file)
            expect = f"Depends on {fr[0]['parameter']} and {fr[1]['parameter']}"
            page.wait_for_function("(t) => document.querySelector('.nis-rob-detail').innerText.includes(t)", arg=expect)
            chart(page, "robustness")
            fits(page, "How sure? (funding_reform)", f"47_{w}x{h}_{lang}_robustness_funding")
            # the same question answered by the calibrated model on the policy calendar
            select(page, "nis-rob-base", "calibrated, on the policy calendar")
            page.wait_for_function(
                "(t) => document.querySelector('.nis-rob-detail').innerText.includes(t)",
                arg="calibrated baseline on the policy calendar",
            )
            cal = questions("calendar_calibrated")["funding_reform"]
            assert answer_text(cal).split(" (")[0] in page.locator(".nis-rob-detail").inner_text()
            chart(page, "robustness")
            fits(page, "How sure? (calibrated)", f"47_{w}x{h}_{lang}_robustness_calibrated")
        assert console.problems() == []
    finally:
        page.context.close()
