"""Altair charts for the frames of :mod:`dashboards.data` (no model access here).

Each builder makes a chart whose changing data are *named datasets* (``alt.Data(name=...)``). The
chart is turned into a Vega-Lite spec once (:func:`template`, cached: building and validating an
Altair chart costs tens of milliseconds) and every step only the datasets are swapped in
(:func:`spec`). That keeps the redraw of a chart to about a millisecond of server time.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import altair as alt
import pandas as pd

from dashboards.data import CUT_MARK, downsample, observed_intensity
from dashboards.labels import current_language, t

WIDTH = 380
HEIGHT = 230
PALETTE3 = ["#1f77b4", "#ff7f0e", "#2ca02c"]
# One colour per kind of actor, the same in every chart and language (the domain is the kind's label
# in the current language, in this fixed order, so a translation never swaps colours).
KIND_COLOURS = {
    "soe": "#d62728",
    "private": "#1f77b4",
    "sme": "#ff7f0e",
    "university": "#2ca02c",
    "lab": "#9467bd",
    "vc": "#8c564b",
    "gov": "#7f7f7f",
    "foreign": "#17becf",
}
KIND_PALETTE = list(KIND_COLOURS.values())
# R&D performers: enterprises in the firms' blue, institutes and universities in their kinds' colours
PERFORMER_COLOURS = {
    "series.enterprises": "#1f77b4",
    "series.institutes": KIND_COLOURS["lab"],
    "series.universities": KIND_COLOURS["university"],
}
TYPE_COLOURS = {"series.basic": "#9467bd", "series.applied": "#17becf", "series.development": "#bcbd22"}


def kind_scale(kinds: tuple[str, ...] | list[str] = tuple(KIND_COLOURS)) -> alt.Scale:
    """Colour scale of kinds of actor: fixed colours, domain = the kinds' labels in the current language."""
    return alt.Scale(domain=[t(f"kind.{k}") for k in kinds], range=[KIND_COLOURS[k] for k in kinds])


def series_scale(colours: dict[str, str]) -> alt.Scale:
    """Colour scale of named series (label key -> colour), fixed in every language."""
    return alt.Scale(domain=[t(k) for k in colours], range=list(colours.values()))


def _title(key: str) -> alt.TitleParams:
    return alt.TitleParams(t(key), anchor="start", fontSize=14)


MAIN = alt.Data(name="main")
CUT_SIGN = CUT_MARK.strip()

# Every chart of the page: id -> (tab, title label). Lessons name charts by these ids.
CHARTS: dict[str, tuple[str, str]] = {
    "rd_intensity": ("overview", "chart.intensity"),
    "rd_by_performer": ("overview", "chart.performers"),
    "rd_by_type": ("overview", "chart.types"),
    "money_flows": ("system", "chart.money"),
    "capability": ("system", "chart.capability"),
    "supply_components": ("system", "chart.supply"),
    "supply_over_time": ("system", "chart.supply_time"),
    "smes_vc": ("firms", "chart.sme"),
    "firm_sizes": ("firms", "chart.size"),
    "researchers": ("talent", "chart.talent"),
    "people_flows": ("talent", "chart.talent_flows"),
    "network": ("talent", "chart.network"),
    "actors": ("agents", "chart.actors"),
    "projects_outcomes": ("projects", "chart.projects"),
    "projects_durations": ("projects", "chart.durations"),
    "entry_exit": ("firms", "chart.entry_exit"),
    "vc_multiples": ("firms", "chart.vc_multiples"),
    "vc_invested": ("firms", "chart.vc_invested"),
    "vc_funds": ("firms", "chart.vc_funds"),
    "partner_network": ("talent", "chart.partner_network"),
    "partner_stats": ("talent", "chart.partner_stats"),
}


def intensity_chart(lo: int = 2015, hi: int = 2030) -> alt.Chart:
    """R&D intensity (dataset main: year, value, series): model line, observed dots, target diamonds."""
    obs = observed_intensity()
    observed = obs[obs["series"] == "observed"].assign(series=t("series.observed"))
    targets = obs[obs["series"] == "target"].assign(
        series=t("series.target"), label=lambda d: d["value_pct"].map(lambda v: t("series.target_label", v=f"{v:g}"))
    )
    x = alt.X(
        "year:Q", title=t("axis.year"), scale=alt.Scale(domain=[lo, hi]), axis=alt.Axis(format="d", tickMinStep=1)
    )
    y = alt.Y("value:Q", title=t("axis.percent"), scale=alt.Scale(zero=False, nice=True))
    color = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(
            domain=[t("series.model"), t("series.observed"), t("series.target")],
            range=["#1f77b4", "#222222", "#d62728"],
        ),
        legend=alt.Legend(orient="bottom"),
    )
    model_line = (
        alt.Chart(MAIN)
        .mark_line(point=alt.OverlayMarkDef(size=45))
        .encode(x=x, y=y, color=color, tooltip=["year:Q", alt.Tooltip("value:Q", format=".2f", title="% of GDP")])
    )
    obs_pts = (
        alt.Chart(observed)
        .mark_point(filled=True, size=60)
        .encode(x=x, y=alt.Y("value_pct:Q"), color=color, tooltip=["year:Q", "value_pct:Q", "source:N"])
    )
    tgt = (
        alt.Chart(targets)
        .mark_point(shape="diamond", filled=True, size=140)
        .encode(x=x, y=alt.Y("value_pct:Q"), color=color, tooltip=["year:Q", "value_pct:Q", "source:N", "ref:N"])
    )
    tgt_text = (
        alt.Chart(targets)
        .mark_text(dy=-12, color="#d62728", fontSize=11)
        .encode(x=x, y=alt.Y("value_pct:Q"), text="label:N")
    )
    return (model_line + obs_pts + tgt + tgt_text).properties(
        width=WIDTH, height=HEIGHT, title=_title("chart.intensity")
    )


def share_chart(title_key: str) -> alt.Chart:
    """Stacked shares per year as bars (performers or types of R&D; main: year, series, order, value, share).

    Bars, not areas: the first year is a full bar (an area of one year has no width).
    """
    colours = PERFORMER_COLOURS if title_key == "chart.performers" else TYPE_COLOURS
    return (
        alt.Chart(MAIN)
        .mark_bar(opacity=0.9)
        .encode(
            x=alt.X("year:O", title=t("axis.year"), axis=alt.Axis(labelAngle=0, labelOverlap=True)),
            y=alt.Y("share:Q", title=t("axis.share"), stack="normalize", axis=alt.Axis(format="%")),
            color=alt.Color(
                "series:N", title=None, sort=None, scale=series_scale(colours), legend=alt.Legend(orient="bottom")
            ),
            order="order:Q",
            tooltip=[
                "year:Q",
                "series:N",
                alt.Tooltip("share:Q", format=".1%"),
                alt.Tooltip("value:Q", format=",.0f", title="bn yuan"),
            ],
        )
        .properties(width=WIDTH, height=HEIGHT, title=_title(title_key))
    )


def flow_chart(title_key: str, unit_key: str, rows: int = 14) -> alt.Chart:
    """Ranked horizontal bars 'source → target', labelled with the amount (main: flow_frame)."""
    base = alt.Chart(MAIN).encode(
        y=alt.Y("flow:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X("value:Q", title=t(unit_key), axis=alt.Axis(format="~s")),  # linear: lengths compare honestly
        tooltip=["source:N", "target:N", alt.Tooltip("value:Q", format=",.1f", title=t(unit_key))],
    )
    bars = base.mark_bar(color="#4c78a8")  # one colour: a colour per source would change with the language
    text = base.mark_text(align="left", dx=3, fontSize=10).encode(text="label:N")
    return (bars + text).properties(width=WIDTH - 140, height=17 * rows, title=_title(title_key))


def capability_chart() -> alt.Chart:
    """Capability per field against the frontier (rule at 1).

    Bars: production capability (the field's firms, weighted by what they supply), red where the
    field is controlled by others; black diamonds: science capability (universities and institutes).
    """
    order = alt.EncodingSortField("capability", op="max", order="descending")  # one sort for every layer
    base = alt.Chart(MAIN).encode(y=alt.Y("field:N", title=None, sort=order, axis=alt.Axis(labelLimit=240)))
    tooltip = [
        "field:N",
        alt.Tooltip("capability:Q", format=".2f", title=t("series.production")),
        alt.Tooltip("science:Q", format=".2f", title=t("series.science")),
        alt.Tooltip("frontier:Q", format=".2f", title=t("series.frontier_index")),
        alt.Tooltip("dependence:Q", format=".0%", title=t("series.import_share")),
        "controlled:N",
    ]
    bars = base.mark_bar().encode(
        x=alt.X("capability:Q", title=t("axis.capability"), scale=alt.Scale(domainMin=0, nice=True)),
        color=alt.Color(
            "controlled:N",
            title=None,
            scale=alt.Scale(domain=[t("series.controlled"), t("series.secure")], range=["#d62728", "#4c78a8"]),
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=tooltip,
    )
    science = base.mark_point(filled=True, size=55, color="black", opacity=0.85).encode(
        x="science:Q",
        shape=alt.Shape(
            "science_label:N",
            title=None,
            scale=alt.Scale(domain=[t("series.science")], range=["diamond"]),
            legend=alt.Legend(orient="bottom", labelLimit=300),
        ),
        tooltip=tooltip,
    )
    text = base.mark_text(align="left", dx=7, fontSize=10, color="#333").encode(x="text_x:Q", text="label:N")
    frontier = alt.Chart(pd.DataFrame({"x": [1.0], "label": [t("series.frontier")]}))
    rule = frontier.mark_rule(strokeDash=[5, 3], color="black").encode(x="x:Q")
    rule_text = frontier.mark_text(dy=-6, dx=0, align="center", baseline="bottom", fontSize=10).encode(
        x="x:Q", text="label:N", y=alt.value(0)
    )
    return (bars + text + science + rule + rule_text).properties(
        width=WIDTH - 120, height=HEIGHT, title=_title("chart.capability")
    )


# Supply of key components: domestic suppliers, foreign suppliers, and what nobody supplies (cut off).
SUPPLY_COLOURS = {
    "series.supply_domestic": "#4c78a8",
    "series.supply_foreign": KIND_COLOURS["foreign"],
    "series.supply_missing": "#d62728",
}
# One colour per technology field (in the fields' order), the same in every language.
FIELD_PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"]


def supply_chart(field_labels: tuple[str, ...], threshold: float) -> alt.Chart:
    """Each field's key components as bars of domestic / foreign / missing supply (main: data.supply_frame).

    A dashed rule marks the control threshold: a component whose domestic share ends left of it
    (imports above ``threshold``) is controlled by others. Components cut off start with a scissors
    sign and their names are red (the sign comes first: a long name cut short keeps it).
    """
    cut = f"indexof(datum.value, '{CUT_SIGN}') >= 0"
    tooltip = [
        alt.Tooltip("component:N", title=t("series.component")),
        "field:N",
        alt.Tooltip("domestic:Q", format=".0%", title=t("series.supply_domestic")),
        alt.Tooltip("foreign:Q", format=".0%", title=t("series.supply_foreign")),
        alt.Tooltip("missing:Q", format=".0%", title=t("series.supply_missing")),
        alt.Tooltip("capability:Q", format=".2f", title=t("series.supply_capability")),
        alt.Tooltip("accept:Q", format=".0%", title=t("series.accept")),
        alt.Tooltip("imports:Q", format=",.1f", title=t("series.imports_bn")),
        alt.Tooltip("cut:N", title=t("series.cut")),
        "controlled:N",
    ]
    bars = (
        alt.Chart()
        .mark_bar(height={"band": 0.8})
        .encode(
            y=alt.Y(
                "component:N",
                title=None,
                sort=alt.EncodingSortField("rank", op="min"),  # the components' own order, cut or not
                axis=alt.Axis(
                    labelLimit=135,
                    labelFontSize=10,
                    labelColor={"condition": {"test": cut, "value": "#d62728"}, "value": "#333"},
                    labelFontWeight={"condition": {"test": cut, "value": "bold"}, "value": "normal"},
                ),
            ),
            x=alt.X(
                "share:Q",
                title=t("axis.supply_share"),
                stack="zero",
                scale=alt.Scale(domain=[0, 1], nice=False),
                axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1.0]),
            ),
            color=alt.Color(
                "segment:N",
                title=None,
                sort=None,
                scale=series_scale(SUPPLY_COLOURS),
                legend=alt.Legend(orient="bottom"),
            ),
            order="order:Q",
            tooltip=tooltip,
        )
    )
    rule = alt.Chart().mark_rule(strokeDash=[4, 3], color="black", strokeWidth=1).encode(x=alt.datum(1.0 - threshold))
    return (
        alt.layer(bars, rule)
        .properties(width=105, height=alt.Step(11))
        .facet(
            facet=alt.Facet(
                "field:N",
                title=None,
                sort=list(field_labels),
                header=alt.Header(labelAnchor="start", labelFontWeight="bold", labelFontSize=11, labelLimit=280),
            ),
            columns=2,
            spacing={"row": 8, "column": 8},
            data=MAIN,
        )
        .resolve_scale(y="independent")
        .properties(title=_title("chart.supply"))
    )


def supply_time_chart(lo: int, hi: int, field_labels: tuple[str, ...], cut_year: int | None = None) -> alt.Chart:
    """Two panels over time: components controlled by others (dataset controlled) and each field's
    output as % of its potential with full component supply (dataset output). A rule marks the
    start of a cut-off, if one is set.
    """
    x_scale = alt.Scale(domain=[lo, hi], nice=False)
    x = alt.X(
        "time:Q",
        title=t("axis.year"),
        scale=x_scale,
        axis=alt.Axis(format="d", tickMinStep=1, labelOverlap=True),
    )
    count = (
        alt.Chart(alt.Data(name="controlled"))
        .mark_line(point=alt.OverlayMarkDef(size=10, color="#d62728"), color="#d62728")
        .encode(
            x=x,
            y=alt.Y("value:Q", title=t("axis.components"), scale=alt.Scale(domain=[0, 40])),
            tooltip=[
                alt.Tooltip("quarter:N", title=t("axis.quarter")),
                alt.Tooltip("value:Q", format=".0f", title=t("series.controlled_components")),
            ],
        )
    )
    output = (
        alt.Chart(alt.Data(name="output"))
        .mark_line(point=alt.OverlayMarkDef(size=8), strokeWidth=1.6)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=t("axis.output"), scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "field:N",
                title=None,
                sort=list(field_labels),
                scale=alt.Scale(domain=list(field_labels), range=FIELD_PALETTE[: len(field_labels)]),
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=170),
            ),
            tooltip=[
                "field:N",
                alt.Tooltip("quarter:N", title=t("axis.quarter")),
                alt.Tooltip("value:Q", format=".1f", title=t("axis.output")),
            ],
        )
    )
    top, bottom = [count], [output]
    if cut_year is not None:
        marks = pd.DataFrame({"time": [float(cut_year)], "label": [t("series.cut_start", year=cut_year)]})
        for layers in (top, bottom):
            layers.append(
                alt.Chart(marks).mark_rule(color="#555", strokeDash=[4, 3]).encode(x=alt.X("time:Q", scale=x_scale))
            )
        top.append(
            alt.Chart(marks)
            .mark_text(align="left", dx=3, dy=-3, baseline="bottom", fontSize=10, color="#555")
            .encode(x="time:Q", y=alt.value(110), text="label:N")  # at the bottom: the count line runs high
        )
    return alt.vconcat(
        alt.layer(*top).properties(
            width=WIDTH - 40, height=110, title=alt.TitleParams(t("panel.controlled"), fontSize=12, anchor="start")
        ),
        alt.layer(*bottom).properties(
            width=WIDTH - 40, height=110, title=alt.TitleParams(t("panel.output"), fontSize=12, anchor="start")
        ),
        spacing=10,
    ).properties(title=_title("chart.supply_time"))


def sme_chart() -> alt.Chart:
    """Three small panels with their own y axes: births/deaths, SME count, VC invested."""
    return (
        alt.Chart(MAIN)
        .mark_line(point=alt.OverlayMarkDef(size=12))
        .encode(
            x=alt.X("year:Q", title=t("axis.year"), axis=alt.Axis(format="d", tickMinStep=1)),
            y=alt.Y("value:Q", title=None),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="right")),
            tooltip=["year:Q", "series:N", alt.Tooltip("value:Q", format=",.0f")],
        )
        .properties(width=WIDTH - 60, height=80)
        .facet(
            row=alt.Row(
                "panel:N",
                title=None,
                sort=[t("panel.births"), t("panel.n_sme"), t("panel.vc")],
                header=alt.Header(
                    labelAngle=0, labelAlign="left", labelAnchor="start", labelOrient="top", labelFontWeight="bold"
                ),
            ),
        )
        .resolve_scale(y="independent")
        .properties(title=_title("chart.sme"))
    )


def size_chart() -> alt.Chart:
    """Firm-size distribution on log-log axes (main: kind, revenue, firms)."""
    return (
        alt.Chart(MAIN)
        .mark_line(point=True)
        .encode(
            x=alt.X("revenue:Q", title=t("axis.revenue"), scale=alt.Scale(type="log"), axis=alt.Axis(format=",~g")),
            y=alt.Y("firms:Q", title=t("axis.firms"), scale=alt.Scale(type="log"), axis=alt.Axis(format=",~g")),
            color=alt.Color(
                "kind:N", title=None, scale=kind_scale(("soe", "private", "sme")), legend=alt.Legend(orient="bottom")
            ),
            tooltip=[
                "kind:N",
                alt.Tooltip("revenue:Q", format=",.4~g", title=t("axis.revenue")),
                alt.Tooltip("firms:Q", format=",.0f"),
            ],
        )
        .properties(width=WIDTH, height=HEIGHT, title=_title("chart.size"))
    )


def talent_chart() -> alt.Chart:
    """Researchers by sector per year, stacked bars (main: year, series, value)."""
    return (
        alt.Chart(MAIN)
        .mark_bar(opacity=0.9)
        .encode(
            x=alt.X("year:O", title=t("axis.year"), axis=alt.Axis(labelAngle=0, labelOverlap=True)),
            y=alt.Y("value:Q", title=t("axis.researchers"), stack=True, axis=alt.Axis(format="~s")),
            color=alt.Color(
                "series:N",
                title=None,
                sort=None,
                scale=kind_scale(("soe", "private", "sme", "university", "lab")),
                legend=alt.Legend(orient="bottom", columns=3),
            ),
            tooltip=["year:Q", "series:N", alt.Tooltip("value:Q", format=",.0f")],
        )
        .properties(width=WIDTH, height=HEIGHT, title=_title("chart.talent"))
    )


def network_chart(by_label: str, x_sort: tuple[str, ...], y_sort: tuple[str, ...]) -> alt.Chart:
    """Aggregated network: a kind x group grid of circles (dataset nodes) joined by lines (dataset edges)."""
    x = alt.X("x:N", title=None, sort=list(x_sort), axis=alt.Axis(labelAngle=-20, labelLimit=160))
    y = alt.Y("y:N", title=by_label, sort=list(y_sort))
    layers = []
    layers.append(
        alt.Chart(alt.Data(name="edges"))
        .mark_line(color="#888", opacity=0.5)
        .encode(
            x=x,
            y=y,
            detail="edge:N",
            order="order:Q",
            strokeWidth=alt.StrokeWidth("links:Q", title="links", scale=alt.Scale(range=[0.5, 10]), legend=None),
            tooltip=["links:Q"],
        )
    )
    layers.append(
        alt.Chart(alt.Data(name="nodes"))
        .mark_circle(opacity=0.9)
        .encode(
            x=x,
            y=y,
            size=alt.Size("links:Q", title="links", scale=alt.Scale(range=[20, 900])),
            color=alt.Color(
                "x:N", title=None, legend=None, scale=kind_scale(("soe", "private", "sme", "university", "lab"))
            ),
            tooltip=[
                alt.Tooltip("x:N", title="kind"),
                alt.Tooltip("y:N", title=by_label),
                "links:Q",
                alt.Tooltip("actors:Q", format=",.0f", title="real actors"),
            ],
        )
    )
    return alt.layer(*layers).properties(width=WIDTH, height=HEIGHT + 40, title=_title("chart.network"))


def compare_chart(names: tuple[str, str], n_seeds: int = 1) -> alt.Chart:
    """A and B over seeds and their paired difference, one row per indicator (its title carries the unit).

    Left: mean line and min-max band of A and B (dataset bands); right: B - A, mean bar and min-max
    rule over the paired seeds (dataset diff).
    """
    colour = alt.Scale(domain=list(names), range=["#1f77b4", "#d62728"])
    x = alt.X("year:Q", title=t("axis.year"), axis=alt.Axis(format="d", tickMinStep=1))
    band = (
        alt.Chart()
        .mark_area(opacity=0.18)
        .encode(
            x=x,
            y=alt.Y("lo:Q", title=None, scale=alt.Scale(zero=False)),
            y2="hi:Q",
            color=alt.Color("run:N", title=None, scale=colour, legend=None),
        )
    )
    line = (
        alt.Chart()
        .mark_line(point=alt.OverlayMarkDef(size=10))
        .encode(
            x=x,
            y=alt.Y("mean:Q", title=None, scale=alt.Scale(zero=False)),
            color=alt.Color("run:N", title=t("cmp.legend", n=n_seeds), scale=colour, legend=alt.Legend(orient="top")),
            strokeDash=alt.StrokeDash(
                "run:N", scale=alt.Scale(domain=list(names), range=[[1, 0], [6, 3]]), legend=None
            ),
            tooltip=[
                "indicator:N",
                "run:N",
                "year:Q",
                alt.Tooltip("mean:Q", format=",.4~g", title=t("cmp.mean")),
                alt.Tooltip("lo:Q", format=",.4~g", title="min"),
                alt.Tooltip("hi:Q", format=",.4~g", title="max"),
            ],
        )
    )
    left = alt.layer(band, line).properties(width=320, height=90)
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=t("axis.year")),
            y=alt.Y("mean:Q", title="B − A"),
            color=alt.condition("datum.mean >= 0", alt.value("#2ca02c"), alt.value("#d62728")),
            tooltip=[
                "indicator:N",
                "year:Q",
                alt.Tooltip("mean:Q", format=",.4~g", title="B − A"),
                alt.Tooltip("lo:Q", format=",.4~g", title="min"),
                alt.Tooltip("hi:Q", format=",.4~g", title="max"),
            ],
        )
    )
    rule = alt.Chart().mark_rule(color="#333").encode(x=alt.X("year:O"), y="lo:Q", y2="hi:Q")
    right = alt.layer(bars, rule).properties(width=260, height=90)
    row = alt.Row(
        "indicator:N",
        title=None,
        header=alt.Header(
            labelAngle=0,
            labelAlign="left",
            labelAnchor="start",
            labelOrient="top",
            labelFontWeight="bold",
            labelLimit=400,
        ),
    )
    a = alt.layer(left, data=alt.Data(name="bands")).facet(row=row).resolve_scale(y="independent")
    b = alt.layer(right, data=alt.Data(name="diff")).facet(row=row).resolve_scale(y="independent")
    return alt.hconcat(a, b).properties(title=_title("chart.compare"))


QUARTER_LABEL = "floor(datum.value) + ' Q' + (round((datum.value - floor(datum.value)) * 4) + 1)"


def agent_chart(variable: str, title: str, unit_text: str = "") -> alt.Chart:
    """One variable of an agent's history by quarter (main: time, quarter, value)."""
    return (
        alt.Chart(MAIN)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "time:Q",
                title=t("axis.quarter"),
                scale=alt.Scale(zero=False),
                axis=alt.Axis(labelExpr=QUARTER_LABEL, tickMinStep=0.25, labelOverlap=True),
            ),
            y=alt.Y(
                "value:Q", title=f"{variable} ({unit_text})" if unit_text else variable, scale=alt.Scale(zero=False)
            ),
            tooltip=[
                alt.Tooltip("quarter:N", title=t("axis.quarter")),
                alt.Tooltip("value:Q", format=",.4~g", title=variable),
            ],
        )
        .properties(width=WIDTH, height=200, title=alt.TitleParams(title, anchor="start", fontSize=14))
    )


def actors_chart(field_labels: tuple[str, ...], region_labels: tuple[str, ...]) -> alt.Chart:
    """Every actor as a dot in its (field, region) cell, coloured by kind, sized by its heft; recent links as lines.

    Datasets: dots (id, kind, x, y, heft, weight) and lines (link, order, x, y) from :func:`data.actor_frames`.
    """
    fields_js = json.dumps(list(field_labels), ensure_ascii=False)
    regions_js = json.dumps(list(region_labels), ensure_ascii=False)
    x = alt.X(
        "x:Q",
        title=t("axis.field"),
        scale=alt.Scale(domain=[-0.5, len(field_labels) - 0.5], nice=False),
        axis=alt.Axis(
            values=list(range(len(field_labels))),
            labelExpr=f"{fields_js}[datum.value]",
            labelAngle=-35,
            labelLimit=130,
            labelOverlap=False,
            grid=False,
        ),
    )
    y = alt.Y(
        "y:Q",
        title=t("axis.region"),
        scale=alt.Scale(domain=[-0.5, len(region_labels) - 0.5], nice=False),
        axis=alt.Axis(values=list(range(len(region_labels))), labelExpr=f"{regions_js}[datum.value]", grid=False),
    )
    lines = (
        alt.Chart(alt.Data(name="lines"))
        .mark_line(color="#555", opacity=0.18, strokeWidth=0.7)
        .encode(x=x, y=y, detail="link:N", order="order:Q")
    )
    dots = (
        alt.Chart(alt.Data(name="dots"))
        .mark_circle(opacity=0.75, stroke="white", strokeWidth=0.3)
        .encode(
            x=x,
            y=y,
            color=alt.Color("kind:N", title=None, scale=kind_scale(), legend=alt.Legend(orient="bottom", columns=4)),
            size=alt.Size(
                "heft:Q",
                title=t("axis.heft"),
                scale=alt.Scale(type="log", range=[3, 110]),
                legend=alt.Legend(orient="right", format=",~g"),
            ),
            tooltip=[
                alt.Tooltip("kind:N", title=t("ins.kind")),
                alt.Tooltip("id:Q", title="id"),
                alt.Tooltip("heft:Q", format=",.4~g", title=t("axis.heft")),
                alt.Tooltip("weight:Q", format=",.0f", title=t("unit.actors")),
            ],
        )
    )
    return alt.layer(lines, dots).properties(width=WIDTH + 140, height=HEIGHT + 60, title=_title("chart.actors"))


# -- research projects, entry and exit, venture capital, the real-actor network --------------------------
# One colour per funder and per outcome, the same in every language (domain: labels in funder order).
FUNDER_COLOURS = {
    "central_stable": "#2ca02c",
    "central_project": "#1f77b4",
    "local": "#bcbd22",
    "mission": "#d62728",
    "enterprise": "#ff7f0e",
    "vc": KIND_COLOURS["vc"],
}
OUTCOME_COLOURS = {
    "active": "#c7c7c7",
    "breakthrough": "#2ca02c",
    "incremental": "#4c78a8",
    "failure": "#d62728",
    "abandoned": "#8c8c8c",
}
CAUSE_COLOURS = {
    "cause.startups": "#ff7f0e",
    "cause.spinoffs": "#ffbb78",
    "cause.listed_in": "#17becf",
    "cause.losses": "#d62728",
    "cause.acquired": "#9467bd",
    "cause.listed": "#1f77b4",
}


def _named_scale(prefix: str, colours: dict[str, str]) -> alt.Scale:
    return alt.Scale(domain=[t(f"{prefix}{k}") for k in colours], range=list(colours.values()))


def projects_chart() -> alt.Chart:
    """Research projects of the run by funder (bars) split by outcome (main: data.projects_frames()[0])."""
    return (
        alt.Chart(MAIN)
        .mark_bar()
        .encode(
            y=alt.Y(
                "funder:N", title=None, sort=[t(f"funder.{k}") for k in FUNDER_COLOURS], axis=alt.Axis(labelLimit=170)
            ),
            x=alt.X(
                "projects:Q",
                title=t("axis.share_of_funder"),
                stack="normalize",
                axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1.0]),
            ),
            color=alt.Color(
                "outcome:N",
                title=None,
                sort=None,
                scale=_named_scale("outcome.", OUTCOME_COLOURS),
                legend=alt.Legend(orient="bottom", columns=3),
            ),
            order="order:Q",
            tooltip=[
                "funder:N",
                "outcome:N",
                alt.Tooltip("projects:Q", format=",.0f", title=t("axis.projects")),
                alt.Tooltip("share:Q", format=".1%", title=t("axis.share_of_funder")),
                alt.Tooltip("budget:Q", format=",.2f", title=t("axis.project_budget")),
            ],
        )
        .properties(width=WIDTH - 90, height=HEIGHT - 40, title=_title("chart.projects"))
    )


def durations_chart() -> alt.Chart:
    """Planned durations by funder: a circle per (funder, duration), its area the projects (main: durations)."""
    return (
        alt.Chart(MAIN)
        .mark_circle(opacity=0.85)
        .encode(
            y=alt.Y(
                "funder:N", title=None, sort=[t(f"funder.{k}") for k in FUNDER_COLOURS], axis=alt.Axis(labelLimit=170)
            ),
            x=alt.X("years:Q", title=t("axis.duration"), scale=alt.Scale(domainMin=0, nice=True)),
            size=alt.Size(
                "share:Q",
                title=t("axis.share_of_funder"),
                scale=alt.Scale(domain=[0, 1], range=[10, 600]),
                legend=alt.Legend(orient="bottom", format="%", values=[0.1, 0.5, 1.0]),
            ),
            color=alt.Color("funder:N", legend=None, scale=_named_scale("funder.", FUNDER_COLOURS)),
            tooltip=[
                "funder:N",
                alt.Tooltip("years:Q", format=".2f", title=t("axis.duration")),
                alt.Tooltip("projects:Q", format=",.0f", title=t("axis.projects")),
                alt.Tooltip("share:Q", format=".0%", title=t("axis.share_of_funder")),
            ],
        )
        .properties(width=WIDTH - 90, height=HEIGHT - 40, title=_title("chart.durations"))
    )


def entry_exit_chart() -> alt.Chart:
    """Entries (up) and exits (down) per year by cause, one panel per kind of firm (main: entry_exit_frame)."""
    kinds = [t(f"node.{k}") for k in ("sme", "private", "soe")]
    return (
        alt.Chart(MAIN)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=t("axis.year"), axis=alt.Axis(labelAngle=-90, labelOverlap=True)),
            y=alt.Y("value:Q", title=t("axis.firms_year"), stack="zero", axis=alt.Axis(format="~s")),
            color=alt.Color(
                "cause:N",
                title=None,
                sort=None,
                scale=series_scale(CAUSE_COLOURS),
                legend=alt.Legend(orient="bottom", columns=3, labelLimit=220),
            ),
            order="order:Q",
            tooltip=["year:Q", "kind:N", "cause:N", alt.Tooltip("value:Q", format=",.0f", title=t("axis.firms_year"))],
        )
        .properties(width=118, height=150)
        .facet(
            column=alt.Column(
                "kind:N",
                title=None,
                sort=kinds,
                header=alt.Header(labelFontWeight="bold", labelLimit=130, labelFontSize=11),
            ),
            spacing=6,
        )
        .resolve_scale(y="independent")
        .properties(title=_title("chart.entry_exit"))
    )


def vc_multiples_chart() -> alt.Chart:
    """Closed deals by multiple on a log axis with the 1x line (dataset hist), and the shares under 1x and
    at 10x or more against the observed bands (dataset shares).
    """
    x = alt.X(
        "lo:Q",
        title=t("axis.multiple"),
        scale=alt.Scale(type="log", domain=[0.01, 1000], nice=False),
        axis=alt.Axis(values=[0.01, 0.1, 1, 10, 100, 1000], format="~g", labelExpr="datum.label + '×'"),
    )
    bars = (
        alt.Chart(alt.Data(name="hist"))
        .mark_bar(color="#8c564b", opacity=0.85, stroke="white", strokeWidth=0.5)
        .encode(
            x=x,
            x2="hi:Q",
            y=alt.Y("deals:Q", title=t("axis.deals")),
            tooltip=[
                alt.Tooltip("lo:Q", format=",.3~g", title=t("vc.from")),
                alt.Tooltip("hi:Q", format=",.3~g", title=t("vc.to")),
                alt.Tooltip("deals:Q", title=t("axis.deals")),
                alt.Tooltip("share:Q", format=".1%", title=t("vc.share")),
            ],
        )
    )
    one = pd.DataFrame({"x": [1.0], "label": [t("vc.break_even")]})
    rule = alt.Chart(one).mark_rule(color="black", strokeDash=[5, 3]).encode(x=alt.X("x:Q"))
    rule_text = (
        alt.Chart(one)
        .mark_text(align="left", dx=3, baseline="top", fontSize=10)
        .encode(x="x:Q", y=alt.value(2), text="label:N")
    )
    count = (
        alt.Chart(alt.Data(name="shares"))
        .transform_filter("datum.order == 0")
        .mark_text(align="right", baseline="top", fontSize=11, color="#333")
        .encode(x=alt.value(WIDTH - 62), y=alt.value(2), text="closed_label:N")
    )
    hist = alt.layer(bars, rule, rule_text, count).properties(width=WIDTH - 60, height=140)
    y = alt.Y("measure:N", title=None, axis=alt.Axis(labelLimit=200))
    xs = alt.X(
        "lo:Q",
        title=t("axis.share_closed"),
        scale=alt.Scale(domain=[0, 1], nice=False),
        axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1.0]),
    )
    band = (
        alt.Chart(alt.Data(name="shares"))
        .mark_bar(color="#bbbbbb", opacity=0.6, height={"band": 0.7})
        .encode(
            y=y,
            x=xs,
            x2="hi:Q",
            tooltip=[
                "measure:N",
                alt.Tooltip("lo:Q", format=".0%", title=t("vc.observed_from")),
                alt.Tooltip("hi:Q", format=".0%", title=t("vc.observed_to")),
            ],
        )
    )
    point = (
        alt.Chart(alt.Data(name="shares"))
        .mark_point(shape="diamond", filled=True, size=130, color="#8c564b")
        .encode(
            y=y,
            x=alt.X("model:Q"),
            tooltip=[
                "measure:N",
                alt.Tooltip("model:Q", format=".1%", title=t("series.model")),
                alt.Tooltip("deals:Q", title=t("vc.closed")),
            ],
        )
    )
    shares = alt.layer(band, point).properties(
        width=WIDTH - 160,
        height=60,
        title=alt.TitleParams(t("vc.shares_title"), fontSize=12, anchor="start"),
    )
    return alt.vconcat(hist, shares, spacing=12).properties(title=_title("chart.vc_multiples"))


def vc_invested_chart() -> alt.Chart:
    """VC invested per year by type of fund, stacked bars (main: vc_invested_frame)."""
    return (
        alt.Chart(MAIN)
        .mark_bar(opacity=0.9)
        .encode(
            x=alt.X("year:O", title=t("axis.year"), axis=alt.Axis(labelAngle=0, labelOverlap=True)),
            y=alt.Y("value:Q", title=t("axis.bn_yuan"), stack="zero"),
            color=alt.Color(
                "series:N",
                title=None,
                sort=None,
                scale=alt.Scale(
                    domain=[t("node.private_vc"), t("node.guidance_fund")], range=[KIND_COLOURS["vc"], "#e377c2"]
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            order="order:Q",
            tooltip=["year:Q", "series:N", alt.Tooltip("value:Q", format=",.1f", title=t("axis.bn_yuan"))],
        )
        .properties(width=WIDTH - 60, height=HEIGHT - 60, title=_title("chart.vc_invested"))
    )


def vc_funds_chart() -> alt.Chart:
    """One point per fund: vintage year and TVPI (rule at 1x), coloured by type, sized by commitment (main: funds)."""
    points = (
        alt.Chart(MAIN)
        .mark_point(filled=True, opacity=0.7)
        .encode(
            x=alt.X("vintage:Q", title=t("axis.vintage"), axis=alt.Axis(format="d", tickMinStep=1)),
            y=alt.Y("tvpi:Q", title=t("axis.tvpi")),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(
                    domain=[t("node.private_vc"), t("node.guidance_fund")], range=[KIND_COLOURS["vc"], "#e377c2"]
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            size=alt.Size(
                "committed:Q",
                title=t("axis.committed"),
                scale=alt.Scale(range=[15, 300]),
                legend=alt.Legend(orient="right"),
            ),
            shape=alt.Shape("status:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=[
                "fund:N",
                "kind:N",
                "status:N",
                alt.Tooltip("vintage:Q", title=t("axis.vintage")),
                alt.Tooltip("committed:Q", format=",.2f", title=t("axis.committed")),
                alt.Tooltip("called:Q", format=",.2f", title=t("vc.called")),
                alt.Tooltip("distributed:Q", format=",.2f", title=t("vc.distributed")),
                alt.Tooltip("nav:Q", format=",.2f", title=t("vc.nav")),
                alt.Tooltip("tvpi:Q", format=".2f", title="TVPI"),
                alt.Tooltip("dpi:Q", format=".2f", title="DPI"),
            ],
        )
    )
    rule = alt.Chart(pd.DataFrame({"y": [1.0]})).mark_rule(color="black", strokeDash=[5, 3]).encode(y="y:Q")
    return alt.layer(rule, points).properties(width=WIDTH - 80, height=HEIGHT - 40, title=_title("chart.vc_funds"))


def partner_network_chart() -> alt.Chart:
    """The real actors' collaboration network: ties (dataset edges) and actors (dataset nodes) coloured by
    kind, members of a running consortium ringed in black.
    """
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-0.03, 1.03], nice=False))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-0.03, 1.03], nice=False))
    lines = (
        alt.Chart(alt.Data(name="edges"))
        .mark_line(color="#777", opacity=0.3, strokeWidth=0.7)
        .encode(x=x, y=y, detail="edge:N", order="order:Q")
    )
    cons = t("net.in_consortium")
    dots = (
        alt.Chart(alt.Data(name="nodes"))
        .mark_circle(opacity=0.9)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "kind:N",
                title=None,
                scale=kind_scale(("soe", "private", "sme", "university", "lab")),
                legend=alt.Legend(orient="bottom", columns=3, labelLimit=190),
            ),
            size=alt.Size(
                "degree:Q", title=t("axis.partners"), scale=alt.Scale(type="sqrt", range=[12, 260]), legend=None
            ),
            stroke=alt.Stroke(
                "consortium:N",
                title=None,
                scale=alt.Scale(domain=[cons, t("net.not_in_consortium")], range=["#000000", "#ffffff"]),
                legend=alt.Legend(orient="top", symbolType="circle", symbolFillColor="#ddd", labelLimit=260),
            ),
            strokeWidth=alt.condition("datum.member == 1", alt.value(2.2), alt.value(0.4)),
            tooltip=[
                alt.Tooltip("kind:N", title=t("ins.kind")),
                alt.Tooltip("id:Q", title="id"),
                alt.Tooltip("region:N", title=t("axis.region")),
                alt.Tooltip("degree:Q", title=t("axis.partners")),
                alt.Tooltip("consortium:N", title=t("net.consortium")),
            ],
        )
    )
    return alt.layer(lines, dots).properties(
        width=WIDTH + 20, height=HEIGHT + 90, title=_title("chart.partner_network")
    )


def partner_stats_chart() -> alt.Chart:
    """Degree distribution (log-log, dataset degree), clustering against its nulls (dataset clustering) and a
    few statistics as text (dataset table).
    """
    deg = (
        alt.Chart(alt.Data(name="degree"))
        .mark_line(point=True, color="#4c78a8")
        .encode(
            x=alt.X(
                "degree:Q",
                title=t("axis.partners_log"),
                scale=alt.Scale(type="log"),
                axis=alt.Axis(format="~g", values=[1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]),
            ),
            y=alt.Y(
                "actors:Q",
                title=t("axis.actors_log"),
                scale=alt.Scale(type="log"),
                axis=alt.Axis(format="~g", values=[1, 10, 100, 1000, 10000, 100000]),
            ),
            tooltip=[
                alt.Tooltip("degree:Q", title=t("axis.partners")),
                alt.Tooltip("actors:Q", title=t("axis.actors")),
            ],
        )
        .properties(width=170, height=140, title=alt.TitleParams(t("net.degree_title"), fontSize=12, anchor="start"))
    )
    clus = (
        alt.Chart(alt.Data(name="clustering"))
        .mark_bar()
        .encode(
            y=alt.Y("measure:N", title=None, sort=alt.EncodingSortField("order"), axis=alt.Axis(labelLimit=150)),
            x=alt.X("value:Q", title=t("axis.clustering"), scale=alt.Scale(domainMin=0, nice=True)),
            color=alt.condition("datum.order == 0", alt.value("#4c78a8"), alt.value("#bbbbbb")),
            tooltip=["measure:N", alt.Tooltip("value:Q", format=".4f", title=t("axis.clustering"))],
        )
        .properties(width=100, height=80, title=alt.TitleParams(t("net.clustering_title"), fontSize=12, anchor="start"))
    )
    table = (
        alt.Chart(alt.Data(name="table"))
        .mark_text(align="left", baseline="middle", fontSize=12)
        .encode(y=alt.Y("row:O", axis=None), x=alt.value(4), text="text:N")
        .properties(width=WIDTH, height=6 * 17, view=alt.ViewConfig(stroke=None))
    )
    return alt.vconcat(alt.hconcat(deg, clus, spacing=14), table, spacing=8).properties(
        title=_title("chart.partner_stats")
    )


ROBUSTNESS_WIDTH = 330
ROBUSTNESS_LABELS = 170  # px for the row and parameter names, the same in both panels (their x axes line up)


def robustness_chart(unit: str, n_params: int) -> alt.VConcatChart:
    """A policy answer and its robustness, in the answer's unit (``unit``, shown on both axes).

    Top (dataset effect: row, lo, hi, mean, what): the answer's mean and 95% interval over seeds and the
    range of the effect over the Morris design points, with a dashed line at 0. Bottom (dataset morris:
    parameter, rank, mu_star, sigma, mu, range, direction, meaning): mu* per assumed parameter, largest
    first, coloured by how raising the parameter moves the effect (fixed colours in every language).
    """
    from dashboards.robustness import DIRECTION_COLOURS

    x = alt.X(
        "lo:Q", title=t("rob.axis.effect", unit=unit), scale=alt.Scale(zero=True, nice=True), axis=alt.Axis(format="~g")
    )
    y = alt.Y("row:N", title=" ", sort=None, axis=alt.Axis(labelLimit=190, minExtent=ROBUSTNESS_LABELS))
    tips = [
        alt.Tooltip("what:N", title=" "),
        alt.Tooltip("lo:Q", format=".4~g", title="min"),
        alt.Tooltip("hi:Q", format=".4~g", title="max"),
        alt.Tooltip("mean:Q", format=".4~g", title=t("cmp.mean")),
    ]
    span = (
        alt.Chart()
        .mark_bar(height=alt.RelativeBandSize(0.35), color="#1f77b4", opacity=0.55)
        .encode(x=x, x2="hi:Q", y=y, tooltip=tips)
    )
    dot = alt.Chart().mark_point(filled=True, size=90, color="#1f77b4").encode(x="mean:Q", y=y, tooltip=tips)
    zero = (
        alt.Chart(alt.Data(values=[{"zero": 0}])).mark_rule(color="#333", strokeDash=[4, 3]).encode(x=alt.X("zero:Q"))
    )
    effect = alt.layer(span, dot, zero, data=alt.Data(name="effect")).properties(
        width=ROBUSTNESS_WIDTH, height=70, title=_title("rob.chart.effect")
    )
    colour = alt.Color(
        "direction:N",
        title=t("rob.legend.direction"),
        scale=series_scale(DIRECTION_COLOURS),
        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400),
    )
    bars = (
        alt.Chart(alt.Data(name="morris"))
        .mark_bar()
        .encode(
            x=alt.X("mu_star:Q", title=t("rob.axis.mu", unit=unit), axis=alt.Axis(format="~g")),
            y=alt.Y(
                "parameter:N",
                title=t("rob.axis.parameter"),
                sort=alt.EncodingSortField("mu_star", order="descending"),
                axis=alt.Axis(labelLimit=190, minExtent=ROBUSTNESS_LABELS),
            ),
            color=colour,
            tooltip=[
                "parameter:N",
                alt.Tooltip("mu_star:Q", format=".4~g", title="mu*"),
                alt.Tooltip("mu:Q", format=".4~g", title=t("rob.tip.mu")),
                alt.Tooltip("sigma:Q", format=".4~g", title=t("rob.tip.sigma")),
                alt.Tooltip("range:N", title=t("rob.tip.range")),
                alt.Tooltip("meaning:N", title=t("rob.tip.meaning")),
            ],
        )
        .properties(width=ROBUSTNESS_WIDTH, height=22 * n_params, title=_title("rob.chart.morris"))
    )
    return alt.vconcat(effect, bars, spacing=18).resolve_scale(x="independent")


BUILDERS = {
    "actors": actors_chart,
    "intensity": intensity_chart,
    "share": share_chart,
    "flow": flow_chart,
    "capability": capability_chart,
    "supply": supply_chart,
    "supply_time": supply_time_chart,
    "sme": sme_chart,
    "size": size_chart,
    "talent": talent_chart,
    "network": network_chart,
    "compare": compare_chart,
    "agent": agent_chart,
    "projects": projects_chart,
    "durations": durations_chart,
    "entry_exit": entry_exit_chart,
    "vc_multiples": vc_multiples_chart,
    "vc_invested": vc_invested_chart,
    "vc_funds": vc_funds_chart,
    "partner_network": partner_network_chart,
    "partner_stats": partner_stats_chart,
    "robustness": robustness_chart,
}


@lru_cache(maxsize=512)
def template(name: str, static: tuple[Any, ...] = (), lang: str = "en") -> dict[str, Any]:
    """The Vega-Lite spec of chart ``name`` built with ``static`` arguments, without its named datasets.

    ``lang`` is part of the cache key only: titles and axes are in the language current when built.
    """
    return BUILDERS[name](*static).to_dict()


def records(df: pd.DataFrame, key: str = "year") -> list[dict[str, Any]]:
    """JSON-safe records (NaN becomes null) of a frame, downsampled below Altair's row limit.

    ``key=""``: the frame is already sized for its chart (the actors view); only Altair's own limit applies.
    """
    small = df.iloc[:5000] if key == "" else downsample(df, key=key if key in df else "")
    if not small.isna().to_numpy().any():  # the common case: pandas' own records (native Python values), 4x faster
        return small.to_dict(orient="records")
    return json.loads(small.to_json(orient="records"))


def columns_json(df: pd.DataFrame, key: str = "year") -> str:
    """A frame as compact JSON by column (``{"col": [values, ...]}``, NaN as null), downsampled as :func:`records`.

    This is what :class:`dashboards.vega.VegaView` sends each step: one string per dataset, so the
    widget layer does not walk thousands of row objects (``records`` of the 4,000-dot actors view
    cost ipywidgets several milliseconds per push) and the text is a third the size of records.
    The browser turns it back into rows (``vega_view.vue``; :func:`dashboards.vega.rows` in Python).
    """
    small = df.iloc[:5000] if key == "" else downsample(df, key=key if key in df else "")
    cols: dict[str, list[Any]] = {}
    for name in small.columns:
        col = small[name]
        values = col.tolist()  # native Python values
        if col.dtype.kind in "fcOmM" and len(values):
            missing = col.isna().to_numpy()
            if missing.any():
                values = [None if gone else v for v, gone in zip(values, missing, strict=True)]
        cols[str(name)] = values
    return json.dumps(cols, separators=(",", ":"), allow_nan=False, ensure_ascii=False)


def spec(name: str, datasets: dict[str, pd.DataFrame], *static: Any, key: str = "year") -> dict[str, Any]:
    """Spec of chart ``name`` with the given named datasets (e.g. ``{"main": df}``)."""
    tpl = template(name, tuple(static), current_language())
    out = dict(tpl)
    out["datasets"] = {**tpl.get("datasets", {}), **{k: records(df, key) for k, df in datasets.items()}}
    return out


def view(
    name: str, datasets: dict[str, pd.DataFrame], *static: Any, key: str = "year"
) -> tuple[dict[str, Any], dict[str, str]]:
    """Chart ``name`` for :class:`dashboards.vega.VegaView`: (the cached spec without the datasets, datasets).

    Each dataset is a JSON text by column (:func:`columns_json`).
    """
    tpl = template(name, tuple(static), current_language())
    return tpl, {k: columns_json(df, key) for k, df in datasets.items()}


def to_png(chart: alt.TopLevelMixin | dict[str, Any], scale: float = 2.0) -> bytes:
    """Render a chart or a spec to PNG bytes with vl-convert (no browser needed)."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(chart if isinstance(chart, dict) else chart.to_dict(), scale=scale)
