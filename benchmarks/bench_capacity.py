"""Classroom capacity: N real browser tabs playing at once against one dashboard server.

Starts ``solara run dashboards/app.py`` (production mode) on a free loopback port, opens N browser
contexts in one headless Chromium (its own processes: their CPU time is not counted, the servers'
CPU time is read from /proc for the server processes alone), sets each tab to 1
quarter per update with a pause of ``--pause`` ms (about 4 quarters per second if the server keeps
up) and presses Play. After a warm-up it measures over ``--seconds``:

- quarters per second per tab (from the step counter in each tab's status line);
- the server's CPU time per quarter (utime + stime of the server process from /proc, all threads),
  which includes the step, the chart data and sending the updates;
- the intervals between status updates seen in the browsers (median and 90th percentile).

``--servers 2`` starts two servers (two processes, two ports: a Solara server runs its Python on one
core at a time) and sends every other tab to the second, as a teacher would hand out two links; the
CPU time is then the sum of both. ``--root DIR`` serves another checkout (before/after runs);
``--py-spy FILE`` samples the (first) server during the measurement.

    python benchmarks/bench_capacity.py --tabs 30 --seconds 45        # about 4 minutes in all
    python benchmarks/bench_capacity.py --tabs 30 --seconds 45 --servers 2
    python benchmarks/bench_capacity.py --tabs 30 --seconds 45 --seeds distinct   # no tab shares its run

Needs /usr/bin/chromium and Playwright (the e2e test set-up).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from dashboards.__main__ import APP, build_command

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-renderer-backgrounding",
    "--disable-background-timer-throttling",
]
WATCH = """() => {
  window.nisTimes = [];
  const el = document.querySelector('.nis-status');
  new MutationObserver(() => window.nisTimes.push(performance.now())).observe(el, {childList: true, subtree: true, characterData: true});
}"""


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def step_of(text: str) -> int:
    m = re.search(r"step (\d+)", text)
    return int(m.group(1)) if m else 0


def descendants(pid: int) -> list[int]:
    """Child processes of pid, recursively (from /proc)."""
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parts = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(parts[1]) == pid:
            child = int(stat.parent.name)
            kids += [child, *descendants(child)]
    return kids


def lower_browser(server_pids: set[int], nice: int) -> int:
    """Give every thread of the browser's processes (this process's children but the servers) ``nice``.

    Renicing a process changes its main thread only, and Chromium raises the priority of some of
    its threads itself, so each thread is set. Returns the number of threads.
    """
    n = 0
    for proc in descendants(os.getpid()):
        if proc in server_pids:
            continue
        for task in Path(f"/proc/{proc}/task").glob("*"):
            with contextlib.suppress(OSError, ValueError):
                os.setpriority(os.PRIO_PROCESS, int(task.name), nice)
                n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    """Run the measurement and print (and optionally save) the results."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tabs", type=int, default=30)
    ap.add_argument("--seconds", type=float, default=45.0, help="measurement window (default 45)")
    ap.add_argument("--warmup", type=float, default=8.0, help="seconds of play before measuring (default 8)")
    ap.add_argument("--pause", type=int, default=250, help="pause between updates, ms (default 250: ~4 quarters/s)")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    ap.add_argument(
        "--py-spy",
        type=Path,
        default=None,
        help="sample the server with py-spy during the measurement and write collapsed stacks here",
    )
    ap.add_argument(
        "--browser-nice",
        type=int,
        default=0,
        help="nice value for every browser thread once the tabs play (default 0: unchanged; on a machine "
        "busy with other work, 19 starved the browsers until they no longer read their updates)",
    )
    ap.add_argument(
        "--servers",
        type=int,
        default=1,
        help="dashboard servers (one process each, own port); tab i opens server i mod N (default 1)",
    )
    ap.add_argument(
        "--seeds",
        choices=("same", "distinct"),
        default="same",
        help="same: every tab opens the same link, as a class following one lesson (its tabs share the run, "
        "dashboards/replay.py); distinct: tab i opens seed 1000 + i, so every tab steps a run of its own "
        "(default same)",
    )
    ap.add_argument(
        "--root",
        type=Path,
        default=ROOT,
        help="checkout whose dashboards/app.py is served (default: this one; another for before/after runs)",
    )
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    root = args.root.resolve()
    servers, urls = [], []
    for _ in range(args.servers):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        cmd = [str(root / "dashboards" / "app.py") if x == str(APP) else x for x in build_command("127.0.0.1", port)]
        servers.append(
            subprocess.Popen(
                cmd,
                cwd=root,
                env=dict(os.environ, PYTHONPATH=str(root)),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
        urls.append(f"http://127.0.0.1:{port}/")
    server = servers[0]
    try:
        for url in urls:
            for _ in range(120):
                with contextlib.suppress(OSError):
                    urllib.request.urlopen(url, timeout=2)
                    break
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            pages = []
            t_open = time.time()
            for i in range(args.tabs):  # open every tab first: the servers build their sessions meanwhile
                page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
                url = urls[i % len(urls)] + (f"?seed={1000 + i}" if args.seeds == "distinct" else "")
                page.goto(url, wait_until="commit")
                pages.append(page)
            for page in pages:
                page.wait_for_selector(".nis-status", timeout=300000)
                page.wait_for_selector(".nis-chart-rd_intensity svg.marks", timeout=300000)
                slider = page.locator(".nis-delay .v-slider__thumb-container").first
                slider.focus()
                for _ in range((args.pause - 100) // 50):
                    page.keyboard.press("ArrowRight")
                stop = page.get_by_label("Stop at year")  # the scenario's 20 years: a fast run would stop early
                stop.fill("2075")
                stop.press("Enter")
            t_open = time.time() - t_open
            server_pids = {x.pid for x in servers} | {c for x in servers for c in descendants(x.pid)}
            for page in pages:
                page.locator(".nis-play").first.click()
            if args.browser_nice:
                lower_browser(server_pids, args.browser_nice)  # once every tab plays
            time.sleep(args.warmup)
            for page in pages:
                page.evaluate(WATCH)
            steps0 = [step_of(pg.locator(".nis-time").inner_text()) for pg in pages]
            spy = None
            if args.py_spy:  # its own process: its CPU is not the server's
                spy_args = ["--duration", str(int(args.seconds)), "--format", "raw", "--rate", "50", "--nonblocking"]
                spy = subprocess.Popen(
                    [
                        str(Path(sys.executable).with_name("py-spy")),
                        "record",
                        "--pid",
                        str(server.pid),
                        *spy_args,
                        "--output",
                        str(args.py_spy),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            cpu0, t0 = [cpu_seconds(x.pid) for x in servers], time.time()
            time.sleep(args.seconds)
            cpu1, t1 = [cpu_seconds(x.pid) for x in servers], time.time()
            steps1 = [step_of(pg.locator(".nis-time").inner_text()) for pg in pages]
            gaps = []
            for pg in pages:
                ts = pg.evaluate("window.nisTimes")
                gaps += [b - a for a, b in itertools.pairwise(ts) if b - a > 5]  # one update changes several nodes
            if spy is not None:
                spy.wait(timeout=60)
            for pg in pages:
                with contextlib.suppress(Exception):
                    pg.locator(".nis-pause").first.click(timeout=2000)
            browser.close()
    finally:
        for x in servers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(x.pid, signal.SIGTERM)
        for x in servers:
            with contextlib.suppress(subprocess.TimeoutExpired):
                x.wait(timeout=10)
    wall = t1 - t0
    done = [b - a for a, b in zip(steps0, steps1, strict=True)]
    quarters = sum(done)
    per_tab = [d / wall for d in done]
    res = {
        "tabs": args.tabs,
        "seconds": round(wall, 1),
        "pause_ms": args.pause,
        "open_seconds": round(t_open, 1),
        "quarters_per_second_per_tab_median": round(statistics.median(per_tab), 2),
        "quarters_per_second_per_tab_min": round(min(per_tab), 2),
        "quarters_per_second_all_tabs": round(quarters / wall, 1),
        "servers": args.servers,
        "seeds": args.seeds,
        "root": str(root),
        "server_cpu_ms_per_quarter": round(1000 * (sum(cpu1) - sum(cpu0)) / max(1, quarters), 2),
        "server_cpu_cores_used": round((sum(cpu1) - sum(cpu0)) / wall, 2),
        "server_cpu_cores_used_each": [round((b - a) / wall, 2) for a, b in zip(cpu0, cpu1, strict=True)],
        "status_update_interval_ms_median": round(statistics.median(gaps), 0) if gaps else None,
        "status_update_interval_ms_p90": round(sorted(gaps)[int(0.9 * (len(gaps) - 1))], 0) if gaps else None,
        "cpus": os.cpu_count(),
        "load_average_1min_after": os.getloadavg()[0],
    }
    print(json.dumps(res, indent=2))
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
