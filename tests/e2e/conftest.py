"""Fixtures for the browser tests: a solara server on a free loopback port and headless Chromium."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = ROOT / "screenshots" / "e2e"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def scenario_dir(tmp_path_factory) -> Path:
    """A folder with one broken scenario file, offered in the picker through NIS_DASHBOARD_SCENARIOS."""
    d = tmp_path_factory.mktemp("scenarios")
    (d / "broken_example.toml").write_text('[scenario]\nname = "Broken"\n\n[params]\nstable_share = 7.5\n')
    return d


@pytest.fixture(scope="session")
def server(scenario_dir):
    """Start `solara run dashboards/app.py` on a free port; yield its URL; always stop it."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); browser tests need it")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    port = _free_port()
    env = dict(
        os.environ,
        NIS_DASHBOARD_SCENARIOS=str(scenario_dir),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
    )
    (ROOT / "screenshots").mkdir(exist_ok=True)
    log = open(ROOT / "screenshots" / "e2e-server.log", "w")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "solara",
            "run",
            str(ROOT / "dashboards" / "app.py"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--production",
            "--no-open",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"solara server exited early with code {proc.returncode}")
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                pytest.fail("solara server did not answer within 60 s")
            time.sleep(0.3)
        yield url
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # the group we started (solara may fork helpers)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); browser tests need it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, server):
    """A fresh browser context (its own dashboard session) on the dashboard, loaded."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    pg = ctx.new_page()
    pg.set_default_timeout(30000)
    pg.goto(server)
    pg.wait_for_selector(".nis-status", timeout=60000)
    yield pg
    ctx.close()


def shot(page, name: str) -> Path:
    """Save a screenshot under screenshots/e2e/ (gitignored)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# -- helpers shared by the browser tests ------------------------------------------------------------
def now(page) -> str:
    """The status bar's time label."""
    return page.locator(".nis-time").inner_text()


def steps(page) -> int:
    """The step number shown in the status bar (0 before the first step)."""
    m = re.search(r"(?:step|第) (\d+)", now(page))
    return int(m.group(1)) if m else 0


def click(page, cls: str) -> None:
    """Click the first element with CSS class ``cls``."""
    page.locator(f".{cls}").first.click()


def wait_steps(page, n: int, timeout: float = 30) -> None:
    """Wait until the status bar shows step ``n`` or later."""
    deadline = time.time() + timeout
    while steps(page) < n:
        assert time.time() < deadline, f"still at '{now(page)}' after {timeout} s"
        page.wait_for_timeout(100)


def chart(page, name: str):
    """The drawn chart ``name`` (waits until vega-embed has drawn it)."""
    loc = page.locator(f".nis-chart-{name} canvas, .nis-chart-{name} svg.marks").first
    loc.wait_for(state="visible", timeout=30000)
    return loc


def open_tab(page, label: str) -> None:
    """Open the chart tab whose label contains ``label``."""
    page.locator(".v-tab", has_text=label).first.click()


def select(page, cls: str, option: str) -> None:
    """Pick ``option`` in the select with CSS class ``cls``."""
    page.locator(f".{cls}").first.click()
    page.locator(".menuable__content__active .v-list-item", has_text=option).first.click()
