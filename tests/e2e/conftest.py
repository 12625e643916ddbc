"""Fixtures for the browser tests: a solara server on a free loopback port and headless Chromium."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from dashboards.__main__ import build_command

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


class Blackhole:
    """A loopback "proxy" that accepts connections, records them and closes them: the server's network.

    The dashboard server runs with HTTP(S)_PROXY pointing here, so any request it makes to the
    internet (telemetry, version checks, CDN downloads) fails at once and is counted.
    """

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.seen: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                try:
                    self.seen.append(conn.recv(200).decode("latin-1").split("\r\n")[0])
                except OSError:
                    self.seen.append("(no request line)")

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="session")
def blackhole():
    """The recorder of the server's attempts to reach the network."""
    b = Blackhole()
    yield b
    b.close()


@pytest.fixture(scope="session")
def server(scenario_dir, blackhole):
    """Start `solara run dashboards/app.py` on a free port, without network access; yield its URL.

    Network: every proxy variable points at :class:`Blackhole`; the page's own requests to other
    hosts are aborted by the ``page`` fixture. ``--no-check-version``: ``solara run`` asks pypi for
    its latest version before it imports any app code (see dashboards/_env.py).
    """
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); browser tests need it")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    port = _free_port()
    proxy = f"http://127.0.0.1:{blackhole.port}"
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "solara_telemetry_mixpanel_enable")}
    env.update(
        NIS_DASHBOARD_SCENARIOS=str(scenario_dir),
        HTTP_PROXY=proxy,
        HTTPS_PROXY=proxy,
        ALL_PROXY=proxy,
        http_proxy=proxy,
        https_proxy=proxy,
        all_proxy=proxy,
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
    )
    (ROOT / "screenshots").mkdir(exist_ok=True)
    log = open(ROOT / "screenshots" / "e2e-server.log", "w")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(
        build_command("127.0.0.1", port),
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


class Console:
    """Console messages, page errors and blocked requests of one browser context."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.blocked: list[str] = []
        self.requests: list[str] = []

    def on_console(self, msg) -> None:
        if msg.type == "error":
            self.errors.append(msg.text)
        elif msg.type == "warning":
            self.warnings.append(msg.text)

    def problems(self) -> list[str]:
        """Page errors, console errors, version-mismatch warnings and requests that left the machine."""
        mismatch = [w for w in self.warnings if "but the current version of" in w]
        return self.errors + mismatch + [f"blocked request: {u}" for u in self.blocked]


def new_page(browser, url: str, width: int = 1440, height: int = 1000, path: str = ""):
    """A fresh context (its own dashboard session) with off-host requests aborted; returns (page, console)."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    console = Console()
    host = url.split("/")[2]

    def route(r):
        if r.request.url.split("/")[2] == host:
            console.requests.append(r.request.url)
            r.continue_()
        else:
            console.blocked.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    pg = ctx.new_page()
    pg.on("console", console.on_console)
    pg.on("pageerror", lambda err: console.errors.append(f"pageerror: {err}"))
    pg.set_default_timeout(30000)
    pg.goto(url + path)
    pg.wait_for_selector(".nis-status", timeout=60000)
    pg.console = console
    return pg, console


@pytest.fixture()
def page(browser, server):
    """A fresh browser context (its own dashboard session) on the dashboard, loaded."""
    pg, _console = new_page(browser, server)
    yield pg
    pg.context.close()


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
    m = re.search(r"step (\d+)|第 (\d+) 步", now(page))
    return int(m.group(1) or m.group(2)) if m else 0


def click(page, cls: str) -> None:
    """Click the first element with CSS class ``cls``."""
    page.locator(f".{cls}").first.click()


def wait_steps(page, n: int, timeout: float = 30) -> None:
    """Wait until the status bar shows step ``n`` or later."""
    deadline = time.time() + timeout
    while steps(page) < n:
        assert time.time() < deadline, f"still at '{now(page)}' after {timeout} s"
        page.wait_for_timeout(100)


def chart(page, name: str, timeout: float = 30000):
    """The drawn chart ``name`` (waits until vega-embed has drawn it; ``timeout`` in ms)."""
    loc = page.locator(f".nis-chart-{name} canvas, .nis-chart-{name} svg.marks").first
    loc.wait_for(state="visible", timeout=timeout)
    return loc


def open_tab(page, label: str) -> None:
    """Open the chart tab whose label contains ``label``."""
    page.locator(".v-tab", has_text=label).first.click()


def select(page, cls: str, option: str) -> None:
    """Pick ``option`` in the select with CSS class ``cls``."""
    page.locator(f".{cls}").first.click()
    page.locator(".menuable__content__active .v-list-item", has_text=option).first.click()
