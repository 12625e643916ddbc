"""The validation report: tables and Altair charts.

Writes the results section of docs/validation.md (between the RESULTS markers), the charts as
docs/img/validation_*.png, and a self-contained HTML report results/calibration/report.html (PNG
charts embedded, interactive versions next to it in results/calibration/figures/). Those are the
checkout's files; with ``--out DIR`` they go under DIR (see :mod:`experiments.calibration.paths`).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from abm.params import PARAMS_BY_NAME
from experiments.calibration.facts import CRITERIA, TARGET_FACTS
from experiments.calibration.observed import load_observed
from experiments.calibration.paths import Targets, output_targets
from experiments.calibration.targets import FREE, MOMENTS
from experiments.stats import add_ci

BEGIN, END = "<!-- BEGIN RESULTS (python -m experiments.calibration report) -->", "<!-- END RESULTS -->"


def _fmt(v: Any, unit: str = "") -> str:
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return "n/a"
    if isinstance(v, bool | np.bool_):
        return "yes" if v else "**no**"
    v = float(v)
    if unit == "yuan":
        return f"{v / 1e9:,.0f} bn"
    if "share" in unit or unit == "per year":
        return f"{100 * v:.2f}%"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.3g}"


def _md(df: pd.DataFrame) -> str:
    cols = list(df.columns)
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    out += ["| " + " | ".join(str(x) for x in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(out)


def _save(chart: alt.Chart, name: str, figs: list[tuple[str, str]], title: str, where: Targets) -> None:
    from experiments.report import VEGA_SCRIPT, template_env, vega_bundle, write_figure_html

    (where.docs / "img").mkdir(parents=True, exist_ok=True)
    figures = where.results / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    png = where.docs / "img" / f"validation_{name}.png"
    chart.save(str(png), scale_factor=1.5)
    if not (figures / VEGA_SCRIPT).is_file():  # Vega served from beside the figures: works offline
        (figures / VEGA_SCRIPT).write_text(vega_bundle(), encoding="utf-8")
    write_figure_html(chart, figures / f"validation_{name}.html", title, template_env())
    figs.append((title, name))


def target_rows(t: pd.DataFrame) -> pd.DataFrame:
    """Markdown-ready simulated-vs-observed table."""
    return pd.DataFrame(
        {
            "indicator": t["indicator"],
            "year": t["year"],
            "observed": [_fmt(v, u) for v, u in zip(t["value"], t["unit"], strict=True)],
            "simulated (95% CI)": [
                f"{_fmt(m, u)} ({_fmt(lo, u)} to {_fmt(hi, u)})"
                for m, lo, hi, u in zip(t["sim_mean"], t["ci_low"], t["ci_high"], t["unit"], strict=True)
            ],
            "tolerance": [_fmt(a, u) for a, u in zip(t["tol_abs"], t["unit"], strict=True)],
            "weight": t["weight"],
            "z": [f"{z:+.2f}" for z in t["z"]],
            "hit": ["yes" if h else "**no**" for h in t["hit"]],
            "quality": t["quality"],
        }
    )


def _fact_value(fid: str, r: dict[str, Any]) -> str:
    if fid in ("F1", "F2a"):
        return (
            f"{100 * r['min']:.1f}% to {100 * r['max']:.1f}% (2021-23: "
            + ", ".join(f"{100 * v:.1f}%" for v in r["out_of_sample"].values())
            + ")"
        )
    if fid == "F2b":
        return (
            f"{100 * r['mean']:.1f}% [{100 * r['ci_low']:.1f}, {100 * r['ci_high']:.1f}] (universities {100 * r['university_2020']:.1f}%, "
            f"labs {100 * r['lab_2020']:.1f}%; 2022: {100 * r['university_2022']:.1f}% / {100 * r['lab_2022']:.1f}%)"
        )
    if fid == "F3a":
        return (
            f"{r['mean']:.2f} [{r['ci_low']:.2f}, {r['ci_high']:.2f}] (x_min {r['xmin_median'] / 1e6:.0f} m yuan/quarter, "
            f"tail {r['tail_real_firms_median']:,.0f} real firms, KS {r['ks_median']:.3f})"
        )
    if fid in ("F3b", "F4b", "F6b"):
        return f"{r['mean']:.2f} [{r['ci_low']:.2f}, {r['ci_high']:.2f}]"
    if fid == "F4a":
        return (
            f"kurtosis {r['kurtosis_mean']:.2f} [{r['kurtosis_ci'][0]:.2f}, {r['kurtosis_ci'][1]:.2f}]; logL diff "
            f"{r['ll_diff_mean']:+.3f} [{r['ll_diff_ci'][0]:+.3f}, {r['ll_diff_ci'][1]:+.3f}] ({r['firms_median']:,.0f} firm agents)"
        )
    if fid == "F5a":
        return (
            f"{100 * r['mean']:.1f}% [{100 * r['ci_low']:.1f}, {100 * r['ci_high']:.1f}] (write-offs {100 * r['writeoff_mean']:.1f}%; "
            f"{r['stakes_per_run']:,.0f} real financings closed per run)"
        )
    if fid == "F5b":  # a share: a t-interval reaching below 0 is cut at 0
        return f"{100 * r['mean']:.2f}% [{100 * max(r['ci_low'], 0.0):.2f}, {100 * r['ci_high']:.2f}]"
    if fid == "F6a":
        return (
            f"C/C_rand {r['C_ratio_mean']:.2f} [{r['C_ratio_ci'][0]:.2f}, {r['C_ratio_ci'][1]:.2f}] (C {r['C']:.3f} vs {r['C_rand']:.3f}); "
            f"L/L_rand {r['L_ratio_mean']:.2f} (L {r['L']:.2f} vs {r['L_rand']:.2f}); {r['lcc_nodes']:.0f} nodes"
        )
    if fid == "F7":
        return ", ".join(f"{yr}: {100 * v:.0f}% of observed" for yr, v in r["ratio_by_year"].items())
    if fid == "F8":
        return f"{100 * r['mean']:.1f}% [{100 * r['ci_low']:.1f}, {100 * r['ci_high']:.1f}]"
    if fid == "F9":
        return (
            f"2021: {r['turnover_2021'] / 1e12:.2f} trn ({100 * r['ratio_to_observed']:.0f}% of observed); "
            f"2021 / 2015: {r['growth_ratio']:.2f}"
        )
    if fid == "F10":
        return f"{r['mean']:.2f} [{r['ci_low']:.2f}, {r['ci_high']:.2f}]"
    if fid == "F11":
        return f"{100 * r['mean']:.1f}% [{100 * r['ci_low']:.1f}, {100 * r['ci_high']:.1f}]"
    if fid == "F12":
        return (
            f"births {100 * r['births_min']:.1f}-{100 * r['births_max']:.1f}% a year (mean {100 * r['births_mean']:.1f}%), "
            f"deaths {100 * r['deaths_min']:.1f}-{100 * r['deaths_max']:.1f}% (mean {100 * r['deaths_mean']:.1f}%)"
        )
    return json.dumps(r)


def facts_table(facts: dict[str, Any]) -> list[str]:
    """The summary line and the table of every fact and pattern with its verdict (markdown lines)."""
    frows = []
    for fid, c in CRITERIA.items():
        r = facts[fid]
        frows.append(
            {
                "id": fid,
                "fact": c.fact + (" (target)" if fid in TARGET_FACTS else ""),
                "statistic": c.statistic,
                "model (mean [95% CI])": _fact_value(fid, r),
                "published": c.published,
                "criterion": c.rule,
                "result": "pass" if r["pass"] else "**FAIL**",
            }
        )
    patterns = [f for f in CRITERIA if f not in TARGET_FACTS]
    npass = sum(facts[f]["pass"] for f in patterns)
    return [
        f"{npass} of {len(patterns)} validation patterns pass their pre-registered criteria "
        f"({', '.join(TARGET_FACTS)} are calibration targets, shown but not counted: "
        f"{sum(facts[f]['pass'] for f in TARGET_FACTS)} of {len(TARGET_FACTS)} within their bands).",
        "",
        _md(pd.DataFrame(frows)),
    ]


PATTERNS_BEGIN = "<!-- BEGIN PATTERNS (python -m experiments.calibration patterns) -->"
PATTERNS_END = "<!-- END PATTERNS -->"


def write_patterns(facts: dict[str, Any], where: Targets, reps: int, note: str) -> Path:
    """Put the facts-and-patterns table of a validation run into docs/validation.md (its own block)."""
    doc = where.docs / "validation.md"
    text = doc.read_text() if doc.exists() else "# Calibration and validation\n"
    block = "\n".join(
        [PATTERNS_BEGIN, "## Patterns: latest validation run", "", note, "", *facts_table(facts), PATTERNS_END]
    )
    if PATTERNS_BEGIN in text:
        text = text[: text.index(PATTERNS_BEGIN)] + block + text[text.index(PATTERNS_END) + len(PATTERNS_END) :]
    else:
        anchor = "## Calibration targets and tolerances"
        text = (
            text.replace(anchor, block + "\n\n" + anchor, 1)
            if anchor in text
            else text.rstrip() + "\n\n" + block + "\n"
        )
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text)
    return doc


def report(where: Targets | None = None) -> Path:
    """Build everything; returns the HTML path."""
    where = where or output_targets()
    res = where.results
    alt.data_transformers.disable_max_rows()
    cal = json.loads((res / "calibration.json").read_text())
    val = res / "validation"
    targets = pd.read_csv(val / "targets.csv")
    oos = pd.read_csv(val / "out_of_sample.csv")
    facts = json.loads((val / "facts.json").read_text())
    series = pd.read_parquet(val / "series.parquet")
    proj = pd.read_csv(res / "projection" / "projection.csv")
    pseries = pd.read_csv(res / "projection" / "series.csv")
    init = pd.read_csv(val / "initialisation.csv")
    figs: list[tuple[str, str]] = []

    # 1. targets: simulated (mean, CI) vs observed, one panel per indicator
    t = pd.concat([targets.assign(set="calibration"), oos.assign(set="validation / out of sample")])
    t = t[t["indicator"] != "rd_intensity_target"]
    base = alt.Chart(t).encode(x=alt.X("year:O", title=None))
    chart = (
        alt.layer(
            base.mark_rule(color="#4c78a8").encode(
                y=alt.Y("ci_low:Q", title=None, scale=alt.Scale(zero=False)), y2="ci_high:Q"
            ),
            base.mark_point(color="#4c78a8", filled=True, size=40).encode(
                y="sim_mean:Q", tooltip=["indicator", "year", "sim_mean", "value"]
            ),
            base.mark_point(color="#e45756", shape="diamond", size=70).encode(y="value:Q"),
        )
        .properties(width=170, height=120)
        .facet(facet=alt.Facet("indicator:N", title=None), columns=4)
        .resolve_scale(y="independent", x="independent")
        .properties(title="Simulated (blue: mean and 95% CI of 20 validation runs) vs observed (red diamonds)")
    )
    _save(chart, "targets", figs, "Every target: simulated vs observed", where)

    # 2. the headline series 2015-2023 with bands and observed points
    cols = ["rd_intensity", "enterprise_share", "institute_share", "university_share", "basic_share", "applied_share"]
    s = series[series["year"] <= 2023].melt(id_vars=["year", "rep"], value_vars=cols)
    band = s.groupby(["year", "variable"])["value"].agg(["mean", "std", "count"]).reset_index()
    band = add_ci(band, sd="std", n="count").rename(columns={"ci_low": "lo", "ci_high": "hi"})
    ob = (
        load_observed()
        .query("indicator in @cols")[["indicator", "year", "value", "use"]]
        .rename(columns={"indicator": "variable"})
    )
    data = pd.concat(
        [band.assign(src="model"), ob.rename(columns={"value": "obs"}).assign(src="observed")], ignore_index=True
    )
    b = alt.Chart().encode(x=alt.X("year:Q", axis=alt.Axis(format="d")))
    chart = (
        alt.layer(
            b.mark_area(opacity=0.3)
            .encode(y=alt.Y("lo:Q", title=None, scale=alt.Scale(zero=False)), y2="hi:Q")
            .transform_filter("datum.src == 'model'"),
            b.mark_line().encode(y="mean:Q").transform_filter("datum.src == 'model'"),
            b.mark_point(color="#e45756", filled=True, size=50)
            .encode(y="obs:Q", shape=alt.Shape("use:N", title="observed"))
            .transform_filter("datum.src == 'observed'"),
            data=data,
        )
        .properties(width=230, height=140)
        .facet(facet=alt.Facet("variable:N", title=None), columns=3)
        .resolve_scale(y="independent")
        .properties(title="Yearly indicators 2015-2023 (band: 95% CI of the mean; 2021-2023 out of sample)")
    )
    _save(chart, "series", figs, "Headline series with out-of-sample years", where)

    # 3. firm sizes: weighted CCDF of revenue (one replication, scale 0.02)
    sz = pd.read_parquet(val / "sizes_rep0.parquet").sort_values("revenue", ascending=False)
    sz["ccdf"] = sz["weight"].cumsum() / sz["weight"].sum()
    sz = sz.iloc[np.unique(np.geomspace(1, len(sz), 400).astype(int) - 1)]
    a3 = facts["F3a"]
    xs = np.geomspace(a3["xmin_median"], sz["revenue"].max(), 20)
    p_tail = float((sz["revenue"] >= a3["xmin_median"]).mean())
    fit = pd.DataFrame(
        {
            "revenue": xs,
            "ccdf": sz.loc[sz["revenue"] >= a3["xmin_median"], "ccdf"].max() * (xs / xs[0]) ** (1 - a3["mean"]),
        }
    )
    del p_tail
    chart = alt.layer(
        alt.Chart(sz)
        .mark_point(size=12)
        .encode(
            x=alt.X("revenue:Q", scale=alt.Scale(type="log"), title="revenue per quarter (yuan)"),
            y=alt.Y("ccdf:Q", scale=alt.Scale(type="log"), title="share of firms at least this large"),
            color="kind:N",
        ),
        alt.Chart(fit).mark_line(color="black").encode(x="revenue:Q", y="ccdf:Q"),
    ).properties(
        width=420, height=300, title=f"Firm sizes (one run, scale 0.02): ML power-law fit, alpha = {a3['mean']:.2f}"
    )
    _save(chart, "sizes", figs, "Firm-size distribution", where)

    # 4. growth rates: log density
    g = np.load(val / "growth_sample.npy")
    g = g[np.isfinite(g)]
    h, e = np.histogram(g, bins=60, range=(np.quantile(g, 0.001), np.quantile(g, 0.999)), density=True)
    gd = pd.DataFrame({"growth": 0.5 * (e[1:] + e[:-1]), "density": h})
    gd = gd[gd["density"] > 0]
    chart = (
        alt.Chart(gd)
        .mark_line(point=True)
        .encode(
            x=alt.X("growth:Q", title="one-year log revenue growth 2019-2020"),
            y=alt.Y("density:Q", scale=alt.Scale(type="log")),
        )
        .properties(width=420, height=260, title="Growth-rate density on a log scale (a tent = Laplace)")
    )
    _save(chart, "growth", figs, "Firm growth rates", where)

    # 5. VC multiples
    m = np.load(val / "multiples.npy")
    # a stake row stands for ``financings`` real financings (issue 13, item 5): shares count financings
    fin = val / "financings.npy"
    w = np.load(fin) if fin.exists() else np.ones(m.size)
    bins = [0.0, 1e-9, 0.5, 1, 2, 5, 10, np.inf]  # left-closed: a multiple of exactly 0 is a write-off
    labels = ["0x (write-off)", "0-0.5x", "0.5-1x", "1-2x", "2-5x", "5-10x", ">=10x"]
    cut = pd.cut(m, bins=bins, labels=labels, right=False)
    vc = pd.Series(w).groupby(cut, observed=False).sum().reindex(labels, fill_value=0.0)
    vc = (vc / max(float(vc.sum()), 1e-300)).reset_index()
    vc.columns = ["multiple", "share"]
    vc.loc[0, "multiple"] = labels[0]
    chart = (
        alt.Chart(vc)
        .mark_bar()
        .encode(x=alt.X("multiple:N", sort=labels), y=alt.Y("share:Q", axis=alt.Axis(format="%")))
        .properties(width=420, height=240, title="Closed VC financings by multiple (20 runs, 2015-2030)")
    )
    _save(chart, "vc", figs, "VC returns", where)

    # 6. projection
    ps = pseries.groupby(["scenario", "year"])["rd_intensity"].agg(["mean", "std", "count"]).reset_index()
    ps["scenario"] = ps["scenario"].map(lambda x: Path(str(x)).stem)
    ps["lo"] = ps["mean"] - 2.093 * ps["std"] / np.sqrt(ps["count"])
    ps["hi"] = ps["mean"] + 2.093 * ps["std"] / np.sqrt(ps["count"])
    pb = alt.Chart(ps).encode(x=alt.X("year:Q", axis=alt.Axis(format="d")), color="scenario:N")
    chart = alt.layer(
        pb.mark_area(opacity=0.15).encode(
            y=alt.Y("lo:Q", title="R&D intensity", axis=alt.Axis(format=".1%"), scale=alt.Scale(zero=False)), y2="hi:Q"
        ),
        pb.mark_line().encode(y="mean:Q"),
        alt.Chart(pd.DataFrame({"y": [0.028]})).mark_rule(strokeDash=[6, 3], color="black").encode(y="y:Q"),
        alt.Chart(load_observed().query("indicator == 'rd_intensity'"))
        .mark_point(color="black", filled=True)
        .encode(x="year:Q", y="value:Q"),
    ).properties(
        width=560, height=340, title="R&D intensity to 2030 (mean, 95% CI) vs the 2.8% target (dashed); dots: observed"
    )
    _save(chart, "projection", figs, "Projection to 2030", where)

    md = _markdown(cal, targets, oos, facts, proj, init, figs)
    doc = where.docs / "validation.md"
    text = doc.read_text() if doc.is_file() else "# Calibration and validation\n"
    block = f"{BEGIN}\n{md}\n{END}"
    if BEGIN in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    doc.write_text(text)
    return _html(md, figs, where)


def _markdown(
    cal: dict[str, Any],
    targets: pd.DataFrame,
    oos: pd.DataFrame,
    facts: dict[str, Any],
    proj: pd.DataFrame,
    init: pd.DataFrame,
    figs: list[tuple[str, str]],
) -> str:
    out = ["## Calibration result", ""]
    out.append(
        f"Objective J = **{cal['objective']:.3f}** at the calibrated values (parameter-table defaults: "
        f"{cal['objective_defaults']:.3f}); {cal['evaluations']} evaluations, {cal['config']['reps']} replications each "
        f"(seeds {cal['seeds']}), {cal['config']['years']} years at scale {cal['config']['scale']}; "
        f"{cal['optimiser']}; date {cal['date']}, commit `{cal['commit']}`."
    )
    out.append("")
    fr = pd.DataFrame(
        [
            {
                "parameter": f.name,
                "search range": f"[{f.low:g}, {f.high:g}]" + (" (log)" if f.log else ""),
                "table range": f"[{PARAMS_BY_NAME[f.name].low:g}, {PARAMS_BY_NAME[f.name].high:g}]",
                "default": f"{PARAMS_BY_NAME[f.name].default:g}",
                "calibrated": f"{cal['params'][f.name]:g}",
            }
            for f in FREE
        ]
    )
    out += [_md(fr), ""]
    hits = int(targets["hit"].sum())
    out += [
        "## Targets: simulated vs observed (20 validation runs, seeds not used in the fit)",
        "",
        "The validation runs are the calibrated baseline on the policy calendar (`calendar_calibrated`): it starts "
        "in 2015 and meets the policies enacted since, the 2020 shock included, so the years after 2020 are held out "
        "of the fit and compared with a model that lived through them. ",
        f"{hits} of {len(targets)} calibration targets are within tolerance. z = (simulated - observed) / tolerance; "
        f"J of these runs = {float(np.sum(targets['weight'] * targets['z'] ** 2) / targets['weight'].sum()):.3f}. "
        "Model moments: " + "; ".join(f"`{k}` = {v[1]}" for k, v in MOMENTS.items()) + ".",
        "",
        _md(target_rows(targets)),
        "",
        "![targets](img/validation_targets.png)",
        "",
        "### Validation-only and out-of-sample rows (not fitted)",
        "",
        _md(target_rows(oos)),
        "",
        "![series](img/validation_series.png)",
        "",
    ]
    out += ["## Stylised facts and patterns", "", *facts_table(facts), ""]
    out += [
        "![sizes](img/validation_sizes.png) ![growth](img/validation_growth.png)",
        "",
        "![vc](img/validation_vc.png)",
        "",
    ]
    pr = proj.copy()
    pr = pd.DataFrame(
        {
            "scenario": pr["scenario"],
            "R&D intensity 2030 (95% CI)": [
                f"{100 * m:.2f}% ({100 * lo:.2f} to {100 * hi:.2f})"
                for m, lo, hi in zip(pr["rd_2030_mean"], pr["rd_2030_ci_low"], pr["rd_2030_ci_high"], strict=True)
            ],
            "2025": [f"{100 * v:.2f}%" for v in pr["rd_2025_mean"]],
            "runs >= 2.8% in 2030": [f"{100 * v:.0f}%" for v in pr["share_runs_at_target"]],
            "mean first at 2.8%": [
                str(int(v)) if pd.notna(v) else "not by 2030" for v in pr["first_year_mean_at_target"]
            ],
            "verdict": [
                "reaches 2.8%" if a else ("misses 2.8%" if b else "CI contains 2.8%")
                for a, b in zip(pr["reaches_target"], pr["misses_target"], strict=True)
            ],
        }
    )
    out += [
        "## Projection to 2030",
        "",
        f"{proj['n'].iloc[0]} replications per scenario, common seeds, run by {proj['how'].iloc[0]}; "
        "the reference is the calibrated baseline on the policy calendar (`calendar_calibrated`), and policy scenarios are laid on it (`abm.scenarios.compose`: the scenario's own params win, and the levers it schedules are taken over from their first year). "
        "GDP grows at `gdp_growth` (6% nominal) after 2020.",
        "",
        _md(pr),
        "",
        "![projection](img/validation_projection.png)",
        "",
    ]
    ini = init.copy()
    ini["value"] = [f"{v:,.0f}" for v in ini["value"]]
    ini["model_2015"] = [f"{v:,.0f}" if pd.notna(v) else "n/a" for v in ini["model_2015"]]
    out += ["## Populations used for initialisation", "", _md(ini), ""]
    return "\n".join(out)


def _blocks(md: str) -> list[dict[str, Any]]:
    """The markdown of docs/validation.md's results as blocks: tables, headings with text, paragraphs."""
    blocks: list[dict[str, Any]] = []
    for block in md.split("\n\n"):
        lines = block.strip().splitlines()
        if lines and lines[0].startswith("|"):
            blocks.append(
                {
                    "kind": "table",
                    "head": [c.strip() for c in lines[0].strip("|").split("|")],
                    "rows": [[c.strip() for c in ln.strip("|").split("|")] for ln in lines[2:]],
                }
            )
        elif lines and lines[0].startswith("#"):
            blocks.append({"kind": "heading", "text": lines[0].lstrip("#").strip(), "lines": lines[1:]})
        elif lines and not lines[0].startswith("!["):
            blocks.append({"kind": "text", "text": " ".join(lines)})
    return blocks


def _html(md: str, figs: list[tuple[str, str]], where: Targets) -> Path:
    from experiments.report import template_env

    figures = [
        {
            "title": title,
            "name": name,
            "png_base64": base64.b64encode((where.docs / "img" / f"validation_{name}.png").read_bytes()).decode(),
        }
        for title, name in figs
    ]
    page = template_env().get_template("calibration_report.html.j2").render(figures=figures, blocks=_blocks(md))
    path = where.results / "report.html"
    path.write_text(page)
    return path
