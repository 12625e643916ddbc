"""Server-side time of one dashboard step plus its update (no browser), per chart tab.

Renders the real page with ``solara.render`` (widgets are built and updated as for a browser, the
only thing missing is the websocket). Two measurements per tab:

- *Step click*: click Step and time it until the re-render of the page is done;
- *Play*: one quarter as Play runs it at 1 quarter per update (``Session.advance``: the step, the
  status line pushed every quarter, the charts when due, i.e. at the quarter that completes a
  year when playing at 4 quarters per second or faster), CPU time; median, mean (what capacity
  depends on) and 90th percentile (the quarters that push the charts);
- *Play, every quarter drawn*: ``Session.step`` then ``Session.push()`` (every chart every quarter,
  as Play did before charts were pushed once a year), CPU time.

``--root DIR`` measures another checkout with this script; code without ``Session.advance`` (an
older checkout) is timed with step and push in both rows.

    python benchmarks/bench_dashboard.py            # default scale (0.002) and 10x (0.02)
    python benchmarks/bench_dashboard.py --steps 40 --scales 0.002

Target (issue 3): median under 150 ms at the default scale.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

# the checkout to measure: --root DIR (read before the dashboard is imported), else this one
sys.path.insert(
    0,
    str(
        Path(sys.argv[sys.argv.index("--root") + 1]).resolve()
        if "--root" in sys.argv[:-1]
        else Path(__file__).resolve().parents[1]
    ),
)

import ipyvuetify as v
import solara

from dashboards import app
from dashboards.session import Session

TAB_NAMES = {
    "overview": "R&D",
    "agents": "Actors",
    "system": "Money & capability",
    "firms": "Firms & VC",
    "projects": "Projects",
    "talent": "Talent & network",
    "compare": "Compare (no chart: base cost)",
}


def bench(scale: float, steps: int, warmup: int, only: tuple[str, ...] = ()) -> dict[str, list[float]]:
    """Times (ms) of Step clicks and played quarters on each chart tab, each over the same quarters of one run.

    Every measurement starts from the same state (the run rebuilt from its seed and ``warmup``
    quarters run), so tabs measured later do not pay for a longer run. ``only``: these tabs (keys of
    TAB_NAMES) alone; tabs the measured checkout does not have are skipped.
    """

    def make(view=None) -> Session:
        s = Session(warmup=app.WARMUP)
        if scale != s.model.params["scale"]:
            s.set_value("scale", scale)
            s.reset()
        return s

    made: list[Session] = []
    app._new_session = lambda view=None: made.append(make()) or made[-1]  # the page builds its session here
    _box, rc = solara.render(app.Page(), handle_error=False)
    step = next(w for w in rc.find(v.Btn).widgets if "nis-step" in (w.class_ or "").split())
    tabs = rc.find(v.Tabs).widget
    session = made[-1]

    def fresh() -> None:
        """The same quarters for every measurement: the run rebuilt from its seed, ``warmup`` quarters on."""
        session.reset()
        for _ in range(warmup):
            session.step()
        session.push()  # untimed: the charts catch up with the rebuilt run

    def every_quarter(s: Session = session) -> None:
        s.step()
        s.push()

    def timed(fn, n: int) -> list[float]:
        out = []
        for _ in range(n):
            c0 = time.process_time()
            fn()
            out.append(1000 * (time.process_time() - c0))
        return out

    n_play = 4 * max(1, steps // 4)  # whole years: one in four quarters completes a year
    out: dict[str, list[float]] = {}
    fresh()
    out["model step alone (CPU)"] = timed(session.model.step, n_play)
    for tab, name in TAB_NAMES.items():
        if (only and tab not in only) or tab not in app.TABS:
            continue
        fresh()
        tabs.v_model = app.TABS.index(tab)
        step.click()  # first render of the tab builds its templates
        times, cpu = [], []
        for _ in range(steps):
            t0, c0 = time.perf_counter(), time.process_time()
            step.click()
            times.append(1000 * (time.perf_counter() - t0))
            cpu.append(1000 * (time.process_time() - c0))
        out[name] = times
        out[name + " (CPU)"] = cpu
        advance = getattr(session, "advance", None) or every_quarter
        for label, fn in (("play", advance), ("play, every quarter drawn", every_quarter)):
            fresh()
            out[f"{name} ({label}, CPU)"] = timed(fn, n_play)
    rc.close()
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table; exit 1 if the default-scale median misses 150 ms."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=30, help="timed steps per tab (default 30)")
    ap.add_argument(
        "--warmup", type=int, default=8, help="quarters run before timing, after the page's first year (default 8)"
    )
    ap.add_argument("--scales", type=float, nargs="+", default=[0.002, 0.02], help="model scales (default 0.002 0.02)")
    ap.add_argument("--root", type=Path, default=None, help="measure another checkout (before/after runs)")
    ap.add_argument("--tabs", nargs="+", default=[], choices=list(TAB_NAMES), help="measure these tabs only")
    args = ap.parse_args(argv)
    ok = True
    print(f"{'scale':>7} {'agents':>7} {'tab':<48} {'median ms':>10} {'mean ms':>8} {'p90 ms':>8}")
    for scale in args.scales:
        res = bench(scale, args.steps, args.warmup, tuple(args.tabs))
        agents = len(Session().model.agents) if scale == 0.002 else None
        all_times = [x for ts in res.values() for x in ts]
        for name, ts in res.items():
            p90 = sorted(ts)[int(0.9 * (len(ts) - 1))]
            print(
                f"{scale:>7g} {agents or '':>7} {name:<48} {statistics.median(ts):>10.1f} "
                f"{statistics.fmean(ts):>8.1f} {p90:>8.1f}"
            )
        med = statistics.median(all_times)
        print(f"{scale:>7g} {'':>7} {'ALL TABS':<48} {med:>10.1f}")
        if scale == 0.002 and med >= 150:
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
