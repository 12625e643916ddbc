"""An experiment's HTML report: Altair charts (PNG and interactive HTML), tables, spec and provenance."""

from __future__ import annotations

import contextlib
import json
import platform
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pandas as pd

from abm.resources import shipped_path
from experiments.analysis import analyze, missing_runs
from experiments.plan import design_points, plan
from experiments.runner import Store, atomic_write_bytes, check_results, collect, output_dir
from experiments.spec import Spec, load_spec

TEMPLATE_DIR = shipped_path("experiments", "templates")  # ships in this package
MAX_ROWS = 4500  # Altair refuses more than 5,000 rows by default: aggregate or sample before
VEGA_SCRIPT = "vega-bundle.js"  # Vega, Vega-Lite and vega-embed, written beside the figures: no CDN
EMBED_OPTIONS = {"actions": {"export": True, "source": False, "compiled": False, "editor": False}}


def template_env() -> Any:
    """The jinja2 environment of experiments/templates (HTML autoescaped)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=jinja2.select_autoescape(["html", "j2"])
    )


def vega_bundle() -> str:
    """Vega, Vega-Lite (the version Altair writes) and vega-embed as one script, from vl-convert's bundle."""
    import vl_convert
    from altair.utils._importers import vl_version_for_vl_convert

    return vl_convert.javascript_bundle(vl_version=vl_version_for_vl_convert())


def _script_json(obj: Any) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(obj).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def write_figure_html(chart: Any, path: Path, title: str, env: Any) -> None:
    """An interactive chart page that loads Vega from ``VEGA_SCRIPT`` beside it (works offline)."""
    import jinja2

    page = env.get_template("figure.html.j2").render(
        title=title,
        script=VEGA_SCRIPT,
        spec_json=jinja2.utils.markupsafe.Markup(_script_json(chart.to_dict())),
        options_json=jinja2.utils.markupsafe.Markup(_script_json(EMBED_OPTIONS)),
    )
    atomic_write_bytes(path, page.encode("utf-8"))


def _fmt(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)


def _table(df: pd.DataFrame | None, drop: tuple[str, ...] = ()) -> dict[str, Any] | None:
    """A table for the template's ``table`` macro: column names and formatted rows (escaped there)."""
    if df is None or df.empty:
        return None
    df = df.drop(columns=[c for c in drop if c in df.columns])
    return {
        "columns": [str(c) for c in df.columns],
        "rows": [[_fmt(v) for v in row] for row in df.itertuples(index=False, name=None)],
    }


def _versions() -> str:
    out = []
    for pkg in ("mesa", "numpy", "pandas", "SALib", "duckdb", "dask"):
        with contextlib.suppress(PackageNotFoundError):
            out.append(f"{pkg} {version(pkg)}")
    return ", ".join(out)


def _charts(spec: Spec, tables: dict[str, pd.DataFrame], one_point: bool) -> list[tuple[str, str, Any]]:
    import altair as alt

    charts = []
    order = [s.key for s in spec.scenarios]
    summ = tables["summary"]
    if one_point:
        base = alt.Chart(summ).encode(y=alt.Y("scenario:N", sort=order, title=None))
        chart = base.mark_rule().encode(
            x=alt.X("ci_low:Q", title="mean (95% CI)", scale=alt.Scale(zero=False)), x2="ci_high:Q"
        ) + base.mark_point(filled=True, size=60).encode(
            x="mean:Q",
            color=alt.Color("scenario:N", sort=order),
            tooltip=["scenario", "metric", "mean", "ci_low", "ci_high"],
        )
        chart = chart.properties(width=280, height=22 * len(order)).facet(
            facet=alt.Facet("metric:N", title=None), columns=2
        )
        chart = chart.resolve_scale(x="independent")
        charts.append(("means", "End-of-run metrics: mean and 95% CI per scenario", chart))
    else:
        pcols = [c for c in summ.columns if c.startswith("param_")]
        xcol = pcols[0] if pcols else "point"
        data = summ.head(MAX_ROWS)
        base = alt.Chart(data).encode(
            x=alt.X(f"{xcol}:Q", title=xcol.removeprefix("param_")), color=alt.Color("scenario:N", sort=order)
        )
        chart = base.mark_rule().encode(
            y=alt.Y("ci_low:Q", title="mean (95% CI)", scale=alt.Scale(zero=False)), y2="ci_high:Q"
        ) + base.mark_point(filled=True).encode(y="mean:Q", tooltip=["point", "scenario", "metric", "mean"])
        chart = chart.properties(width=300, height=200).facet(facet=alt.Facet("metric:N", title=None), columns=2)
        charts.append(
            (
                "means",
                f"End-of-run metrics against {xcol.removeprefix('param_')}: mean and 95% CI per design point",
                chart.resolve_scale(y="independent"),
            )
        )
    diff = tables.get("differences")
    if diff is not None and not diff.empty and one_point:
        d = diff.copy()
        d["rel_mean"] = 100 * d["mean"] / d["reference_mean"].abs()
        d["rel_low"] = 100 * d["ci_low"] / d["reference_mean"].abs()
        d["rel_high"] = 100 * d["ci_high"] / d["reference_mean"].abs()
        base = alt.Chart(d).encode(y=alt.Y("metric:N", title=None), color=alt.Color("scenario:N"), yOffset="scenario:N")
        chart = (
            alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#888").encode(x="x:Q")
            + base.mark_rule().encode(
                x=alt.X("rel_low:Q", title=f"difference from {spec.reference}, % of its mean (95% CI)"), x2="rel_high:Q"
            )
            + base.mark_point(filled=True, size=60).encode(
                x="rel_mean:Q", tooltip=["scenario", "metric", "mean", "ci_low", "ci_high", "rel_mean"]
            )
        )
        charts.append(
            (
                "differences",
                f"Paired differences from {spec.reference} (% of the reference mean, 95% CI)",
                chart.properties(width=600, height=alt.Step(14)),
            )
        )
    ser = tables.get("series")
    if ser is not None and not ser.empty:
        s = ser[ser["point"] == ser["point"].min()]
        base = alt.Chart(s.head(MAX_ROWS)).encode(
            x=alt.X("year:O", title=None), color=alt.Color("scenario:N", sort=order)
        )
        chart = base.mark_area(opacity=0.2).encode(
            y=alt.Y("ci_low:Q", title="mean (95% CI)", scale=alt.Scale(zero=False)), y2="ci_high:Q"
        ) + base.mark_line().encode(y="mean:Q")
        chart = chart.properties(width=300, height=180).facet(facet=alt.Facet("metric:N", title=None), columns=2)
        charts.append(
            (
                "series",
                "Yearly series: mean and 95% CI band per scenario (first design point)",
                chart.resolve_scale(y="independent"),
            )
        )
    sdiff = tables.get("series_differences")
    if sdiff is not None and not sdiff.empty:
        s = sdiff[sdiff["point"] == sdiff["point"].min()]
        base = alt.Chart(s.head(MAX_ROWS)).encode(x=alt.X("year:O", title=None), color="scenario:N")
        chart = (
            base.mark_area(opacity=0.2).encode(
                y=alt.Y("ci_low:Q", title=f"minus {spec.reference} (95% CI)"), y2="ci_high:Q"
            )
            + base.mark_line().encode(y="mean:Q")
            + alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="#888").encode(y="y:Q")
        )
        chart = chart.properties(width=300, height=180).facet(facet=alt.Facet("metric:N", title=None), columns=2)
        charts.append(
            (
                "series_differences",
                f"Yearly paired differences from {spec.reference} (95% CI)",
                chart.resolve_scale(y="independent"),
            )
        )
    sens = tables.get("sensitivity")
    if sens is not None and not sens.empty:
        keep = ("S1", "ST") if spec.design_kind == "sobol" else ("mu_star",)
        s = sens[sens["index"].isin(keep)]
        base = alt.Chart(s).encode(y=alt.Y("parameter:N", title=None), color="index:N", yOffset="index:N")
        chart = base.mark_bar().encode(x=alt.X("value:Q", title="index (95% CI)")) + base.mark_rule(
            color="black"
        ).encode(x="ci_low:Q", x2="ci_high:Q")
        chart = (
            chart.properties(width=300)
            .facet(row=alt.Row("scenario:N"), column=alt.Column("metric:N"))
            .resolve_scale(x="independent")
        )
        charts.append(("sensitivity", f"{spec.design_kind.capitalize()} indices with 95% CIs", chart))
    return charts


def make_report(
    spec: Spec | str,
    *,
    out: str | Path | None = None,
    partial: bool = False,
    png: bool = True,
    accept_stale: bool = False,
) -> Path:
    """Write ``<results>/report/index.html`` (with figures/*.png, *.html and tables/*.csv); return its path.

    The page and its interactive figures load nothing from the network: Vega comes from
    ``figures/vega-bundle.js``, written from the vl-convert-python package.
    """
    if not isinstance(spec, Spec):
        spec = load_spec(spec)
    root = output_dir(spec, out)
    store = Store(root)
    summary, series = collect(spec, out=root, accept_stale=accept_stale)
    stale = check_results(spec, store, plan(spec), summary, accept_stale=True)
    env = template_env()
    tables = analyze(spec, summary, series, partial=partial)
    report_dir = root / "report"
    (report_dir / "figures").mkdir(parents=True, exist_ok=True)
    (report_dir / "tables").mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        table.to_csv(report_dir / "tables" / f"{name}.csv", index=False)
    n_points = len(design_points(spec))
    figures = []
    atomic_write_bytes(report_dir / "figures" / VEGA_SCRIPT, vega_bundle().encode("utf-8"))
    for name, title, chart in _charts(spec, tables, n_points == 1):
        write_figure_html(chart, report_dir / "figures" / f"{name}.html", title, env)
        if png:
            chart.save(str(report_dir / "figures" / f"{name}.png"), scale_factor=1.5)
        figures.append({"file": f"{name}.png" if png else "", "html": f"{name}.html", "title": title, "caption": ""})
    manifest = store.manifest() or {}
    failed = {k: v for k, v in store.failed().items() if k not in set(summary["run_id"])}
    sessions = manifest.get("sessions", [])
    provenance = {
        "experiment": spec.name,
        "spec file": str(spec.path),
        "spec hash": manifest.get("spec_hash", ""),
        "results folder": str(root.resolve()),
        "git commit(s) of the runs": ", ".join(sorted(summary["git_commit"].unique())),
        "abm version(s)": ", ".join(sorted(summary["abm_version"].unique())),
        "source hash(es) of the code that made the runs (abm/, experiments/, data/)": ", ".join(
            sorted(summary.get("source_hash", pd.Series(["unrecorded"])).fillna("unrecorded").astype(str).unique())
        ),
        "root seed": spec.root_seed,
        "runner sessions": "; ".join(
            f"{s.get('executor')} x{s.get('workers')}: {s.get('done')} done, {s.get('failed')} failed "
            f"({s.get('timed_out', 0)} by the time limit of {s.get('timeout', '?')} s), {s.get('retried')} retries, "
            f"{s.get('worker_deaths', 0)} worker deaths in {s.get('ended_at', 0) - s.get('started_at', 0):.1f} s"
            for s in sessions
        ),
        "model time (sum over runs)": f"{summary['model_seconds'].sum():.1f} s",
        "report made": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "python / packages": f"{platform.python_version()}; {_versions()}",
    }
    scen_meta = []
    from abm import load_scenario

    for s in spec.scenarios:
        sc = load_scenario(s.path)
        scen_meta.append({"key": s.key, "name": sc.name, "question": sc.question})
    page = env.get_template("report.html.j2").render(
        spec=spec,
        scenarios=scen_meta,
        n_done=len(summary),
        n_total=len(summary) + len(missing_runs(spec, summary)),
        n_failed=len(failed),
        n_points=n_points,
        partial=partial,
        differences=_table(tables.get("differences"), ("reference",)),
        summary=_table(tables["summary"]),
        sensitivity=_table(tables.get("sensitivity")),
        figures=figures,
        failed=failed,
        provenance=provenance,
        stale=stale,
    )
    path = report_dir / "index.html"
    atomic_write_bytes(path, page.encode("utf-8"))
    return path
