"""Chart data: small pandas frames computed from a model (no user-interface code here).

Every function returns at most a few hundred rows (yearly or aggregated), so no chart comes near
Altair's 5,000-row limit; :func:`downsample` guards long runs anyway.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from abm.kinds import PERFORMER_NAMES as PERFORMERS
from abm.resources import shipped
from dashboards.labels import node, t

if TYPE_CHECKING:
    from collections.abc import Mapping

    from abm import InnovationModel

OBSERVED_CSV = shipped("dashboards", "observed_rd_intensity.csv")  # ships in this package
MAX_ROWS = 1500  # rows per chart at most (Altair refuses more than 5,000)
PERFORMER_KINDS = PERFORMERS  # the model's performer kinds, in its order
FIRM_KINDS = PERFORMERS[:3]
# Ledger kinds left out of the default money-flow view: the product market and the spending of R&D
# budgets on wages and materials (they dwarf the flows between actors of the innovation system).
MARKET_KINDS = ("sales", "foreign_inputs", "operating_costs", "reclassification", "rd_wages", "rd_materials")
# ... and the component market and the foreign frontier firms' business with the rest of the world (issue 10)
MARKET_KINDS += ("component_purchases", "component_sales", "world_sales", "foreign_costs")


@cache
def observed_intensity() -> pd.DataFrame:
    """Observed R&D intensity (NBS) and the national targets, in percent of GDP, with sources."""
    with OBSERVED_CSV.open("rb") as fh:
        return pd.read_csv(fh)


def downsample(df: pd.DataFrame, max_rows: int = MAX_ROWS, key: str = "year") -> pd.DataFrame:
    """Keep at most ``max_rows`` rows by taking every k-th distinct ``key`` value (last one kept)."""
    if len(df) <= max_rows:
        return df
    if key not in df:
        return df.iloc[:: int(np.ceil(len(df) / max_rows))]
    keys = np.sort(df[key].unique())
    per_key = max(1, len(df) // max(1, len(keys)))
    k = int(np.ceil(len(keys) / max(1, max_rows // per_key - 1)))  # -1: room for the last key
    keep = set(keys[::k]) | {keys[-1]}
    return df[df[key].isin(keep)]


def intensity_frame(yearly: pd.DataFrame) -> pd.DataFrame:
    """Model R&D intensity per year in percent: columns year, value, series."""
    if yearly.empty:
        return pd.DataFrame(columns=["year", "value", "series"])
    out = pd.DataFrame({"year": yearly["year"].astype(int), "value": 100 * yearly["rd_intensity"].astype(float)})
    out["series"] = t("series.model")
    return out


def performer_frame(yearly: pd.DataFrame) -> pd.DataFrame:
    """R&D by performer per year: year, series, value (bn yuan), share."""
    if yearly.empty:
        return pd.DataFrame(columns=["year", "series", "value", "share"])
    parts = {
        t("series.enterprises"): yearly["rd_soe"] + yearly["rd_private"] + yearly["rd_sme"],
        t("series.institutes"): yearly["rd_lab"],
        t("series.universities"): yearly["rd_university"],
    }
    return _long(yearly["year"], parts)


def type_frame(yearly: pd.DataFrame) -> pd.DataFrame:
    """R&D by type per year: year, series, value (bn yuan), share."""
    if yearly.empty:
        return pd.DataFrame(columns=["year", "series", "value", "share"])
    parts = {
        t("series.basic"): yearly["rd_basic"],
        t("series.applied"): yearly["rd_applied"],
        t("series.development"): yearly["rd_dev"],
    }
    return _long(yearly["year"], parts)


def _long(years: pd.Series, parts: dict[str, pd.Series]) -> pd.DataFrame:
    """Long frame (year, series, order, value in bn yuan, share of the total) of yearly series, series after series."""
    yr = years.astype(int).to_numpy()
    vals = [p.to_numpy(dtype=float) for p in parts.values()]
    total = vals[0] + vals[1] + vals[2] if len(vals) == 3 else np.sum(vals, axis=0)
    total = np.where(total > 0, total, np.nan)
    n = len(yr)
    return pd.DataFrame(
        {
            "year": np.tile(yr, len(vals)),
            "series": np.repeat(np.array(list(parts), dtype=object), n),
            "order": np.repeat(np.arange(len(vals)), n),
            "value": np.concatenate([v / 1e9 for v in vals]),
            "share": np.concatenate([v / total for v in vals]),
        }
    )


def current_year_steps(quarterly: pd.DataFrame | Mapping[str, np.ndarray]) -> tuple[int, list[int]]:
    """The calendar year of the last step and the steps (quarters) of that year so far (from quarterly rows:
    a table, or its columns as arrays).
    """
    step = np.asarray(quarterly["step"])
    year = np.asarray(quarterly["year"])
    done = step > 0
    if not done.any():
        return int(year[0]), []
    last = year[done][-1]
    return int(last), step[done & (year == last)].astype(int).tolist()


def flow_frame(
    ledger: pd.DataFrame, steps: list[int], *, exclude_kinds: tuple[str, ...] = (), top: int = 14, scale: float = 1e9
) -> pd.DataFrame:
    """The largest flows between nodes over ``steps``, annualised: source, target, flow, value, label.

    Args:
        ledger: Ledger frame (step, kind, source, target, amount).
        steps: Steps to sum over (the current year so far).
        exclude_kinds: Ledger kinds to leave out; kinds starting with 'budget_' are always left out
            (they are the appropriation of a budget, counted again when it is spent).
        top: Number of flows kept.
        scale: Divisor of amounts (1e9: bn yuan; 1: persons).
    """
    cols = ["source", "target", "flow", "value", "label"]
    if ledger.empty or not steps:
        return pd.DataFrame(columns=cols)
    # plain Python over the (few hundred) rows of the year: pandas' per-call overhead was most of the
    # cost; the sums are compensated (Kahan) in row order, exactly as pandas' groupby sum does them
    wanted = set(steps)
    kinds = {k: not k.startswith("budget_") and k not in exclude_kinds for k in ledger["kind"].unique()}
    sums: dict[tuple[str, str], list[float]] = {}
    for st, kind, src, dst, amount in zip(
        ledger["step"].tolist(),
        ledger["kind"].tolist(),
        ledger["source"].tolist(),
        ledger["target"].tolist(),
        ledger["amount"].tolist(),
        strict=True,
    ):
        if st not in wanted or not kinds[kind] or src == dst or amount != amount:
            continue
        acc = sums.setdefault((src, dst), [0.0, 0.0])
        y = amount - acc[1]
        total = acc[0] + y
        comp = total - acc[0] - y
        acc[1] = 0.0 if comp != comp else comp
        acc[0] = total
    if not sums:
        return pd.DataFrame(columns=cols)
    rows = [(src, dst, acc[0] * 4.0 / len(steps) / scale) for (src, dst), acc in sorted(sums.items())]
    rows = sorted((r for r in rows if r[2] > 0), key=lambda r: -r[2])[:top]  # stable: nlargest's keep="first"
    out = []
    for src, dst, value in rows:
        a, b = node(src), node(dst)
        out.append((a, b, a + " → " + b, value, f"{value:,.0f}" if value >= 10 else f"{value:,.1f}"))
    return pd.DataFrame(out, columns=cols)


def capability_frame(
    quarterly: pd.DataFrame, field_names: tuple[str, ...], labels: dict[str, str], threshold: float
) -> pd.DataFrame:
    """Capability and foreign dependence per field at the last step.

    Returns:
        field, capability (production: the field's firms, weighted by what they supply; 1 = world
        frontier), science (institutions' capability; NaN if the table has no such column), frontier
        (world frontier index, 2015 = 1; NaN if absent), dependence (import share of components),
        controlled (label), label (bar text), science_label (legend entry of the science marks).
    """
    last = quarterly.iloc[-1]

    def opt(col: str) -> float:
        return float(last[col]) if col in last.index else float("nan")

    rows = []
    for name in field_names:
        dep = float(last[f"dependence_{name}"])
        rows.append(
            {
                "field": labels.get(name, name),
                "capability": float(last[f"capability_{name}"]),
                "science": opt(f"science_capability_{name}"),
                "frontier": opt(f"frontier_{name}"),
                "dependence": dep,
                "controlled": t("series.controlled") if dep > threshold else t("series.secure"),
                "label": t("series.dependence", p=f"{100 * dep:.0f}"),
                "science_label": t("series.science"),
            }
        )
        row = rows[-1]
        row["text_x"] = float(np.nanmax([row["capability"], row["science"]]))  # the label right of bar and diamond
    return pd.DataFrame(rows)


def sme_frame(yearly: pd.DataFrame) -> pd.DataFrame:
    """Births, deaths, SME count and VC investment per year: year, panel, series, value."""
    if yearly.empty:
        return pd.DataFrame(columns=["year", "panel", "series", "value"])
    y = yearly
    spec = [
        (t("panel.births"), t("series.births"), y["sme_births"]),  # sme_births counts spin-offs too
        (t("panel.births"), t("series.deaths"), y["sme_deaths"]),
        (t("panel.n_sme"), t("series.n_sme"), y["n_sme"]),
        (t("panel.vc"), t("series.vc_invested"), y["vc_invested"] / 1e9),
        (t("panel.vc"), t("series.guidance_invested"), y["guidance_invested"] / 1e9),
    ]
    yr = y["year"].astype(int).to_numpy()
    n = len(yr)
    return pd.DataFrame(
        {
            "year": np.tile(yr, len(spec)),
            "panel": np.repeat(np.array([p for p, _s, _v in spec], dtype=object), n),
            "series": np.repeat(np.array([s for _p, s, _v in spec], dtype=object), n),
            "value": np.concatenate([np.broadcast_to(np.asarray(v, dtype=float), n) for _p, _s, v in spec]),
        }
    )


def talent_frame(yearly: pd.DataFrame) -> pd.DataFrame:
    """Researchers by sector per year (stocks at year end): year, series, value."""
    if yearly.empty:
        return pd.DataFrame(columns=["year", "series", "value"])
    yr = yearly["year"].astype(int).to_numpy()
    return pd.DataFrame(
        {
            "year": np.tile(yr, len(PERFORMER_KINDS)),
            "series": np.repeat(np.array([t(f"kind.{k}") for k in PERFORMER_KINDS], dtype=object), len(yr)),
            "value": np.concatenate([yearly[f"researchers_{k}"].to_numpy(dtype=float) for k in PERFORMER_KINDS]),
        }
    )


def size_frame(snapshot: pd.DataFrame, bins_per_decade: int = 4) -> pd.DataFrame:
    """Weighted number of firms per log-spaced revenue bin, by kind: kind, revenue (million yuan per year), firms."""
    firms = snapshot[snapshot["kind"].isin(FIRM_KINDS) & (snapshot["revenue"] > 0)]
    if firms.empty:
        return pd.DataFrame(columns=["kind", "revenue", "firms"])
    logs = np.log10(firms["revenue"].to_numpy(dtype=float) * 4.0)  # yuan per year
    lo, hi = np.floor(logs.min()), np.ceil(logs.max())
    edges = np.arange(lo, hi + 1e-9 + 1.0 / bins_per_decade, 1.0 / bins_per_decade)
    idx = np.clip(np.digitize(logs, edges) - 1, 0, len(edges) - 2)
    d = pd.DataFrame(
        {
            "kind": firms["kind"].map({k: t(f"kind.{k}") for k in firms["kind"].unique()}).to_numpy(),
            "bin": idx,
            "w": firms["weight"].to_numpy(dtype=float),
        }
    )
    g = d.groupby(["kind", "bin"], as_index=False)["w"].sum()
    g["revenue"] = 10 ** ((edges[g["bin"]] + edges[g["bin"] + 1]) / 2) / 1e6  # million yuan per year
    g = g.rename(columns={"w": "firms"})
    return g[["kind", "revenue", "firms"]]


def network_frames(
    model: InnovationModel,
    by: str = "region",
    *,
    actors_df: pd.DataFrame | None = None,
    links: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The transfer network aggregated by (kind, region) or (kind, field).

    ``actors_df`` and ``links`` are ``model.actors()`` and ``model.links()`` when the caller has them
    already (the dashboard builds them once per step for every chart).

    Returns:
        nodes: x (kind), y (region or field), links (links touching the group), actors (real actors).
        edges: edge, x, y, order (two rows per aggregated edge, for a line mark), links.
    """
    from abm.fields import FIELD_NAMES

    names = list(model.region_names) if by == "region" else list(FIELD_NAMES)
    kinds = list(PERFORMER_KINDS)
    if actors_df is None:
        actors_df = model.actors()
    kind_i = actors_df["kind"].map({k: i for i, k in enumerate(kinds)})
    group_i = actors_df[by].map({g: i for i, g in enumerate(names)})
    ok = kind_i.notna().to_numpy()
    code = (kind_i[ok].astype(int) * len(names) + group_i[ok].astype(int)).to_numpy()
    actors = np.bincount(code, weights=actors_df["weight"].to_numpy()[ok], minlength=len(kinds) * len(names))
    uid = actors_df["unique_id"].to_numpy(dtype=np.int64)[ok]
    by_uid = np.argsort(uid, kind="stable")
    uid_sorted, code_sorted = uid[by_uid], code[by_uid]

    def node_of(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Node code of each id and whether the id is a living performer (a sorted lookup, no dict)."""
        if uid_sorted.size == 0:
            return np.zeros(ids.size, dtype=np.int64), np.zeros(ids.size, dtype=bool)
        pos = np.clip(np.searchsorted(uid_sorted, ids), 0, uid_sorted.size - 1)
        return code_sorted[pos].astype(np.int64), uid_sorted[pos] == ids

    grid = np.arange(len(kinds) * len(names))
    nodes = pd.DataFrame(
        {
            "x": [t(f"kind.{kinds[i // len(names)]}") for i in grid],
            "xi": grid // len(names),
            "y": [names[i % len(names)] for i in grid],
            "yi": grid % len(names),
            "actors": actors,
            "links": 0,
        }
    )
    if links is None:
        links = model.links()
    a_node, a_ok = node_of(links["source_id"].to_numpy(dtype=np.int64))
    b_node, b_ok = node_of(links["target_id"].to_numpy(dtype=np.int64))
    valid = a_ok & b_ok
    e = np.stack([a_node[valid], b_node[valid]]) if valid.any() else np.zeros((2, 0), dtype=np.int64)
    if e.shape[1] == 0:
        return nodes, pd.DataFrame(columns=["edge", "x", "y", "xi", "yi", "order", "links"])
    a, b = e[0], e[1]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    n_nodes = len(kinds) * len(names)
    codes, counts = np.unique(lo * n_nodes + hi, return_counts=True)  # 1-D unique: fast
    pairs = np.stack([codes // n_nodes, codes % n_nodes])
    deg = np.bincount(np.concatenate([a, b]), minlength=len(nodes))
    nodes["links"] = deg[: len(nodes)]
    keep = pairs[0] != pairs[1]  # links within one group show in the circle size only
    pairs, counts = pairs[:, keep], counts[keep]
    k = pairs.shape[1]
    nid = np.concatenate([pairs[0], pairs[1]])
    edges = pd.DataFrame(
        {
            "edge": np.tile(np.arange(k), 2),
            "order": np.repeat([0, 1], k),
            "links": np.tile(counts, 2),
            "xi": nid // len(names),
            "yi": nid % len(names),
        }
    )
    edges["x"] = nodes["x"].to_numpy()[nid]
    edges["y"] = nodes["y"].to_numpy()[nid]
    return nodes, edges


def agent_history_frame(history: list[dict[str, Any]], variable: str) -> pd.DataFrame:
    """One variable of an agent's recorded history: time (year + quarter/4), quarter ('2016 Q2'), value."""
    if not history:
        return pd.DataFrame(columns=["time", "quarter", "value"])
    return pd.DataFrame(
        {
            "time": [h["_time"] for h in history],
            "quarter": [h["_quarter"] for h in history],
            "value": [float(h.get(variable, np.nan)) for h in history],
        }
    )


ACTOR_KINDS = ("soe", "private", "sme", "university", "lab", "vc", "gov")
MAX_LINKS = 300  # links drawn in the actors view (a sample of the most recent)
MAX_DOTS = 4000  # agents drawn in the actors view (every k-th above that; Altair's limit is 5,000 rows)


def _jitter(ids: np.ndarray, axis: int) -> np.ndarray:
    """A fixed offset in [-0.42, 0.42] per actor id (the same every step, so dots stay in place).

    The two axes use the R2 low-discrepancy sequence, so the dots of a cell spread over it evenly.
    """
    alpha = (0.7548776662466927, 0.5698402909980532)[axis]
    return (np.modf(0.5 + ids.astype(float) * alpha)[0] - 0.5) * 0.84


def actor_frames(
    actors: pd.DataFrame,
    links: pd.DataFrame,
    fields: tuple[str, ...],
    regions: tuple[str, ...],
    max_links: int = MAX_LINKS,
    max_dots: int = MAX_DOTS,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every living actor as a dot in a (field, region) cell, and a sample of recent links as lines.

    Args:
        actors: ``model.actors()`` (one row per agent; values per real actor).
        links: ``model.links()`` (technology and contract links of the last 8 quarters).
        fields: Field names in axis order.
        regions: Region names in axis order.
        max_links: Links drawn at most (the most recent).
        max_dots: Agents drawn at most (every k-th above that).

    Returns:
        dots: id, kind (label), x (field index + offset), y (region index + offset), heft (bn yuan per
            quarter: revenue plus R&D of the real actors the agent stands for; cash for VC funds and
            government bodies), weight (real actors).
        lines: link, order (0/1), x, y; at most ``max_links`` links, the most recent.
    """
    cols = ["id", "kind", "x", "y", "heft", "weight"]
    if len(actors) > max_dots:  # a larger model than a classroom's: every k-th agent
        actors = actors.iloc[:: int(np.ceil(len(actors) / max_dots))]
    if actors.empty:
        return pd.DataFrame(columns=cols), pd.DataFrame(columns=["link", "order", "x", "y"])
    ids = actors["unique_id"].to_numpy(dtype=np.int64)
    fi = _codes(actors["field"].to_numpy(), fields)
    ri = _codes(actors["region"].to_numpy(), regions)
    x = np.round(fi + _jitter(ids, 0), 3)
    y = np.round(ri + _jitter(ids, 1), 3)
    kind = actors["kind"].to_numpy()
    money = np.where(
        np.isin(kind, ("vc", "gov")),
        actors["cash"].to_numpy(dtype=float),
        actors["revenue"].to_numpy(dtype=float) + actors["rd_spend"].to_numpy(dtype=float),
    )
    heft = np.maximum(money * actors["weight"].to_numpy(dtype=float) / 1e9, 1e-4)
    names = {k: t(f"kind.{k}") for k in set(kind)}
    dots = pd.DataFrame(
        {
            "id": ids,
            "kind": [names[k] for k in kind],
            "x": x,
            "y": y,
            "heft": np.round(heft, 4),
            "weight": actors["weight"].to_numpy(dtype=float),
        }
    )
    if links.empty:
        return dots, pd.DataFrame(columns=["link", "order", "x", "y"])
    alive = links["alive"].to_numpy()
    src = links["source_id"].to_numpy(dtype=np.int64)[alive][-max_links:] if max_links else np.zeros(0, np.int64)
    dst = links["target_id"].to_numpy(dtype=np.int64)[alive][-max_links:] if max_links else np.zeros(0, np.int64)
    order = np.argsort(ids, kind="stable")  # ends looked up by a sorted id array (the first dot of an id)
    sorted_ids = ids[order]

    def where(end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        at = np.clip(np.searchsorted(sorted_ids, end), 0, len(sorted_ids) - 1)
        return order[at], sorted_ids[at] == end

    a, a_ok = where(src)
    b, b_ok = where(dst)
    ok = a_ok & b_ok
    k = int(ok.sum())
    ends = np.concatenate([a[ok], b[ok]])
    lines = pd.DataFrame(
        {
            "link": np.tile(np.arange(k), 2),
            "order": np.repeat([0, 1], k),
            "x": x[ends],
            "y": y[ends],
        }
    )
    return dots, lines


def _codes(values: np.ndarray, categories: tuple[str, ...]) -> np.ndarray:
    """Position of each value in ``categories`` (-1 if absent), as floats (what pd.Categorical codes give)."""
    lookup = {c: i for i, c in enumerate(categories)}
    return np.array([lookup.get(v, -1) for v in values], dtype=float)


def monitors(quarterly: pd.DataFrame | Mapping[str, np.ndarray], n_fields: int) -> dict[str, float]:
    """The big numbers of the monitors, from the quarters of the running year (no yearly table needed):
    a table, or its columns as arrays.

    R&D intensity (% of GDP: R&D over GDP of the year so far), fields controlled by others (now),
    start-ups (births and spin-offs of the year so far, annualised) and researchers (FTE, now).
    """
    col = {c: np.asarray(quarterly[c]) for c in ("step", "year", "gdp", "rd_total", "sme_births")}
    done = col["step"] > 0
    year = done & (col["year"] == col["year"][done][-1]) if done.any() else done
    gdp = float(col["gdp"][year].sum()) if year.any() else 0.0
    births = col["sme_births"][year].sum()  # sme_births counts spin-offs too (abm.mechanisms.entry)
    return {
        "rd_intensity": 100 * float(col["rd_total"][year].sum()) / gdp if gdp > 0 else float("nan"),
        "controlled": int(np.asarray(quarterly["controlled_fields"])[-1]),
        "fields": n_fields,
        "startups": float(births) * 4.0 / max(1, int(year.sum())),
        "researchers": float(np.asarray(quarterly["researchers_total"])[-1]),
    }


def compare_bands(
    runs: dict[tuple[str, int], pd.DataFrame],
    indicators: list[str],
    names: tuple[str, str],
    labels: dict[str, tuple[str, float]],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mean and spread over seeds of A and B, and of the paired difference B - A, per indicator and year.

    Args:
        runs: {("a" or "b", seed): yearly table} from ``Session.compare``.
        indicators: Indicator columns.
        names: Display names of A and B.
        labels: indicator -> (panel title with unit, factor applied to the values).

    Returns:
        bands: indicator (panel title), year, run, mean, lo, hi (min and max over seeds).
        diff: indicator, year, mean, lo, hi of B - A over seeds.
    """
    seeds = sorted({seed for _which, seed in runs})
    band_rows, diff_rows = [], []
    for ind in indicators:
        title, factor = labels.get(ind, (ind, 1.0))
        per = {}
        for which in ("a", "b"):
            table = pd.DataFrame({seed: runs[(which, seed)].set_index("year")[ind].astype(float) for seed in seeds})
            per[which] = table * factor
            band_rows.append(
                pd.DataFrame(
                    {
                        "indicator": title,
                        "year": table.index.astype(int),
                        "run": names[0 if which == "a" else 1],
                        "mean": per[which].mean(axis=1),
                        "lo": per[which].min(axis=1),
                        "hi": per[which].max(axis=1),
                    }
                )
            )
        d = (per["b"] - per["a"]).dropna()
        diff_rows.append(
            pd.DataFrame(
                {
                    "indicator": title,
                    "year": d.index.astype(int),
                    "mean": d.mean(axis=1),
                    "lo": d.min(axis=1),
                    "hi": d.max(axis=1),
                }
            )
        )
    bands = (
        pd.concat(band_rows, ignore_index=True)
        if band_rows
        else pd.DataFrame(columns=["indicator", "year", "run", "mean", "lo", "hi"])
    )
    diff = (
        pd.concat(diff_rows, ignore_index=True)
        if diff_rows
        else pd.DataFrame(columns=["indicator", "year", "mean", "lo", "hi"])
    )
    return bands.reset_index(drop=True), diff.reset_index(drop=True)


# -- supply chains (issue 10): key components, controlled by others, what a cut-off hits ---------------
CUT_MARK = "\u2702 "  # put before the name of a component whose foreign supply is cut off (a scissors sign;
# in front, so a long name cut short by the axis keeps it)


def supply_frame(
    components: pd.DataFrame, field_labels: dict[str, str], component_labels: dict[str, str]
) -> pd.DataFrame:
    """Who supplies each key component to domestic buyers, now: one row per component and segment.

    Each component's requirement (share 0-1 of what domestic buyers need) is split into the share
    bought from domestic suppliers (``domestic_share``), the share still bought abroad
    (``available - domestic_share``) and the share nobody supplies because foreign supply is cut off
    (``1 - available``); the three add up to 1.

    Args:
        components: ``model.components()`` (one row per component).
        field_labels: Field name -> display name (current language).
        component_labels: Component name -> display name (current language).

    Returns:
        field, component (display name; cut components start with :data:`CUT_MARK`), rank (position
        in abm.components), segment (label),
        order (0 domestic, 1 foreign, 2 missing), share, and per component for the tooltip: domestic,
        foreign, missing (shares), capability (domestic supply capability, 1 = world frontier),
        accept (share of buyers for whom domestic is good enough), imports (bn yuan per year), cut
        and controlled (labels).
    """
    cols = ["field", "component", "rank", "segment", "order", "share", "domestic", "foreign", "missing"]
    cols += ["capability", "accept", "imports", "cut", "controlled"]
    if components.empty:
        return pd.DataFrame(columns=cols)
    c = components
    domestic = np.clip(c["domestic_share"].to_numpy(dtype=float), 0.0, 1.0)
    available = np.clip(c["available"].to_numpy(dtype=float), 0.0, 1.0)
    foreign = np.clip(available - domestic, 0.0, 1.0)
    missing = np.clip(1.0 - np.maximum(available, domestic), 0.0, 1.0)
    cut = c["cut"].to_numpy(dtype=bool)
    names = [
        (CUT_MARK if k else "") + component_labels.get(n, lab)
        for n, lab, k in zip(c["component"], c["label"], cut, strict=True)
    ]
    base = {
        "field": [field_labels.get(f, f) for f in c["field"]],
        "component": names,
        "rank": np.arange(len(c)),  # the components' order within a field (abm.components)
        "domestic": domestic,
        "foreign": foreign,
        "missing": missing,
        "capability": c["capability"].to_numpy(dtype=float),
        "accept": c["accept"].to_numpy(dtype=float),
        "imports": c["imports"].to_numpy(dtype=float) * 4.0 / 1e9,
        "cut": [t("series.cut_yes") if k else t("series.cut_no") for k in cut],
        "controlled": [
            t("series.controlled") if k else t("series.secure") for k in c["controlled"].to_numpy(dtype=bool)
        ],
    }
    segments = (t("series.supply_domestic"), t("series.supply_foreign"), t("series.supply_missing"))
    n = len(c)
    out = {col: np.tile(np.asarray(v, dtype=object if isinstance(v, list) else None), 3) for col, v in base.items()}
    out["segment"] = np.repeat(np.array(segments, dtype=object), n)
    out["order"] = np.repeat(np.arange(3), n)
    out["share"] = np.round(np.concatenate([domestic, foreign, missing]), 4)
    return pd.DataFrame(out, columns=cols)


def _time_columns(q: pd.DataFrame, start_year: int) -> tuple[np.ndarray, list[str]]:
    """Time (start year + steps / 4: the end of each quarter) and a quarter label ('2019 Q2', '2015 start')."""
    steps = q["step"].to_numpy(dtype=int)
    time = start_year + steps / 4.0
    start = f"{start_year} {t('series.start')}"
    labels = [start if s == 0 else f"{start_year + (s - 1) // 4} Q{(s - 1) % 4 + 1}" for s in steps.tolist()]
    return time, labels


def controlled_frame(quarterly: pd.DataFrame, start_year: int) -> pd.DataFrame:
    """Key components controlled by others (of 40) at the end of every quarter: time, quarter, value."""
    if quarterly.empty:
        return pd.DataFrame(columns=["time", "quarter", "value", "series"])
    time, labels = _time_columns(quarterly, start_year)
    return pd.DataFrame(
        {
            "time": time,
            "quarter": labels,
            "value": quarterly["controlled_components"].to_numpy(dtype=float),
            "series": t("series.controlled_components"),
        }
    )


def output_frame(
    quarterly: pd.DataFrame, field_names: tuple[str, ...], labels: dict[str, str], start_year: int
) -> pd.DataFrame:
    """Each field's output as a percentage of what it could make with full component supply, per quarter.

    Returns:
        time, quarter, field (display name), value (% of potential output; 100 = no shortage).
    """
    if quarterly.empty:
        return pd.DataFrame(columns=["time", "quarter", "field", "value"])
    time, qlabels = _time_columns(quarterly, start_year)
    k = len(field_names)
    values = quarterly[[f"output_{name}" for name in field_names]].to_numpy(dtype=float).T.ravel()  # field-major
    return pd.DataFrame(
        {
            "time": np.tile(time, k),
            "quarter": np.tile(np.array(qlabels, dtype=object), k),
            "field": np.repeat(np.array([labels.get(name, name) for name in field_names], dtype=object), len(time)),
            "value": np.round(100.0 * values, 3),
        }
    )


# -- research projects, entry and exit, venture capital, the real-actor network (issue 11 item 8, issue 12) --
PROJECT_OUTCOMES = ("active", "breakthrough", "incremental", "failure", "abandoned")


def _funder_names() -> tuple[str, ...]:
    from abm.kinds import FUNDER_NAMES

    return FUNDER_NAMES


def projects_frames(projects: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The research-project portfolio of the run so far, by funder, outcome and planned duration.

    Args:
        projects: ``model.research_projects()`` (one row per agent's project; ``weight`` real projects).

    Returns:
        outcomes: funder, outcome (labels), order (outcome's position), projects (real projects), share
            (of the funder's projects), budget (bn yuan per year: the last quarter's budget of the projects, annualised).
        durations: funder (label), years (planned duration), projects (real projects), share (of the
            funder's projects).
    """
    funders = _funder_names()
    o_cols = ["funder", "outcome", "order", "projects", "share", "budget"]
    d_cols = ["funder", "years", "projects", "share"]
    if projects.empty:
        return pd.DataFrame(columns=o_cols), pd.DataFrame(columns=d_cols)
    w = projects["weight"].to_numpy(dtype=float) if "weight" in projects else np.ones(len(projects))
    f = pd.Categorical(projects["funder"], categories=funders).codes.astype(np.int64)  # -1: unknown
    o = pd.Categorical(projects["outcome"], categories=PROJECT_OUTCOMES).codes.astype(np.int64)
    ok = (f >= 0) & (o >= 0)
    nf, no = len(funders), len(PROJECT_OUTCOMES)
    code = f[ok] * no + o[ok]
    count = np.bincount(code, w[ok], minlength=nf * no)
    money = np.bincount(code, (w * projects["budget"].to_numpy(dtype=float))[ok] * 4.0 / 1e9, minlength=nf * no)
    cells = np.flatnonzero(count > 0)
    f_lab = [t(f"funder.{x}") for x in funders]
    o_lab = [t(f"outcome.{x}") for x in PROJECT_OUTCOMES]
    outcomes = pd.DataFrame(
        {
            "funder": [f_lab[c // no] for c in cells],
            "outcome": [o_lab[c % no] for c in cells],
            "order": cells % no,
            "projects": np.round(count[cells], 1),
            "share": np.round(count[cells] / count.reshape(nf, no).sum(axis=1)[cells // no], 4),
            "budget": np.round(money[cells], 3),
        }
    )
    quarters = projects["duration"].to_numpy(dtype=np.int64)[ok]
    qmax = int(quarters.max()) + 1 if quarters.size else 1
    per = np.bincount(f[ok] * qmax + quarters, w[ok], minlength=nf * qmax)
    cells = np.flatnonzero(per > 0)
    by_funder = per.reshape(nf, qmax).sum(axis=1)
    durations = pd.DataFrame(
        {
            "funder": [f_lab[c // qmax] for c in cells],
            "years": (cells % qmax) / 4.0,
            "projects": np.round(per[cells], 1),
            "share": np.round(per[cells] / by_funder[cells // qmax], 4),
        }
    )
    return outcomes, durations


# Entry and exit of firms: (kind, cause label key, sign, column(s) of the yearly table)
ENTRY_EXIT = (
    ("sme", "cause.startups", 1),
    ("sme", "cause.spinoffs", 1),
    ("sme", "cause.losses", -1),
    ("sme", "cause.acquired", -1),
    ("sme", "cause.listed", -1),
    ("private", "cause.listed_in", 1),
    ("private", "cause.losses", -1),
    ("soe", "cause.losses", -1),
)


def entry_exit_frame(yearly: pd.DataFrame) -> pd.DataFrame:
    """Firms entering (positive) and leaving (negative) per year, by kind and cause.

    Start-ups are born (new ones and spin-offs of universities and labs); they leave when their cash
    runs out (losses), when a large private firm buys them (acquired) or when they list (IPO: they
    become private firms, an entry there). Private firms and SOEs leave when their cash is still
    negative after bank credit (losses; SOEs only without a soft budget constraint).

    Returns:
        year, kind (short label), cause (label), order, value (firms per year; exits negative).
    """
    cols = ["year", "kind", "cause", "order", "value"]
    if yearly.empty:
        return pd.DataFrame(columns=cols)
    y = yearly

    def col(name: str) -> np.ndarray:
        return y[name].to_numpy(dtype=float) if name in y else np.zeros(len(y))

    values = {
        ("sme", "cause.startups"): col("sme_births") - col("spinoffs"),  # sme_births counts spin-offs too
        ("sme", "cause.spinoffs"): col("spinoffs"),
        ("sme", "cause.losses"): col("firm_exits_sme"),
        ("sme", "cause.acquired"): col("acquisitions"),
        ("sme", "cause.listed"): col("ipos"),
        ("private", "cause.listed_in"): col("ipos"),
        ("private", "cause.losses"): col("firm_exits_private"),
        ("soe", "cause.losses"): col("firm_exits_soe"),
    }
    yr = y["year"].astype(int).to_numpy()
    n = len(yr)
    parts = []
    for i, (kind, cause, sign) in enumerate(ENTRY_EXIT):
        parts.append(
            pd.DataFrame(
                {
                    "year": yr,
                    "kind": t(f"node.{kind}"),  # short names: the panels' headers
                    "cause": t(cause),
                    "order": np.full(n, i),
                    "value": np.round(sign * values[(kind, cause)], 1),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)[cols]


# Observed bands of VC outcomes (share of closed deals): under 1x and at 10x or more.
VC_BANDS = {"under_1x": (0.50, 0.75), "over_10x": (0.02, 0.08)}
MULTIPLE_FLOOR = 0.01  # write-offs (0x) are drawn in the lowest bin of the log axis


def vc_multiple_frames(deals: pd.DataFrame, bins_per_decade: int = 4) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Closed VC deals: the distribution of their multiples (proceeds / invested) and the shares against the
    observed bands.

    Returns:
        hist: lo, hi (bin edges, multiple), deals (real closed financings in the bin: each stake counts for
            the financings it stands for), share (of closed financings),
            writeoffs (deals written off in the bin, only the lowest bin). Write-offs (multiple 0) go into the
            lowest bin, starting at :data:`MULTIPLE_FLOOR`; multiples above 1000x into the highest.
        shares: measure (label), order, model (share of closed deals; NaN before any deal closed), lo, hi
            (observed band), deals (closed deals), closed_label (text).
    """
    closed = deals[~deals["open"].to_numpy(dtype=bool)] if len(deals) else deals
    mult = closed["multiple"].to_numpy(dtype=float) if len(closed) else np.zeros(0)
    fin = closed["financings"].to_numpy(dtype=float) if len(closed) and "financings" in closed else np.ones(mult.size)
    keep = np.isfinite(mult)
    mult, fin = mult[keep], fin[keep]  # each stake counts for the real financings it stands for
    edges = 10 ** np.arange(-2.0, 3.0 + 1e-9, 1.0 / bins_per_decade)
    logs = np.log10(np.clip(mult, MULTIPLE_FLOOR, edges[-1] * 0.999))
    idx = np.clip(np.floor((logs + 2.0) * bins_per_decade).astype(int), 0, len(edges) - 2)
    counts = np.bincount(idx, fin, minlength=len(edges) - 1) if mult.size else np.zeros(len(edges) - 1)
    counts = np.round(counts).astype(int)
    n = int(counts.sum())
    hist = pd.DataFrame(
        {
            "lo": np.round(edges[:-1], 5),
            "hi": np.round(edges[1:], 5),
            "deals": counts,
            "share": np.round(counts / n, 4) if n else np.zeros(len(counts)),
        }
    )
    hist = hist[hist["deals"] > 0].reset_index(drop=True)
    rows = []
    for key, (lo, hi) in VC_BANDS.items():
        hit = mult < 1.0 if key == "under_1x" else mult >= 10.0
        share = float(np.average(hit, weights=fin)) if n and fin.sum() > 0 else float("nan")
        rows.append(
            {
                "measure": t(f"vc.{key}"),
                "order": len(rows),
                "model": share,
                "lo": lo,
                "hi": hi,
                "deals": n,
                "closed_label": t("vc.closed_n", n=f"{n:,}"),
            }
        )
    return hist, pd.DataFrame(rows)


def vc_invested_frame(yearly: pd.DataFrame) -> pd.DataFrame:
    """VC invested in start-ups per year by type of fund: year, series (label), order, value (bn yuan per year)."""
    if yearly.empty:
        return pd.DataFrame(columns=["year", "series", "order", "value"])
    guidance = yearly["guidance_invested"].to_numpy(dtype=float)
    private = yearly["vc_invested"].to_numpy(dtype=float) - guidance
    yr = yearly["year"].astype(int).to_numpy()
    return pd.DataFrame(
        {
            "year": np.tile(yr, 2),
            "series": np.repeat(np.array([t("node.private_vc"), t("node.guidance_fund")], dtype=object), len(yr)),
            "order": np.repeat([0, 1], len(yr)),
            "value": np.round(np.concatenate([private, guidance]) / 1e9, 3),
        }
    )


FUND_KINDS = ("private_vc", "guidance_fund")


def funds_frame(funds: pd.DataFrame, start_year: int) -> pd.DataFrame:
    """VC funds (``model.funds()``, when the model has funds): one row per fund for the funds chart.

    Returns:
        fund, kind (label), vintage (year the fund started), committed, called, distributed, nav (bn yuan),
        tvpi, dpi (multiples of paid-in capital), status.
    """
    cols = ["fund", "kind", "vintage", "committed", "called", "distributed", "nav", "tvpi", "dpi", "status"]
    if funds is None or funds.empty:
        return pd.DataFrame(columns=cols)
    f = funds
    kinds = f["kind"].astype(str).to_numpy()
    steps = f["vintage_step"].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "fund": f["fund"].to_numpy(),
            "kind": [t(f"node.{k}") if k in FUND_KINDS else k for k in kinds],
            "vintage": start_year + np.floor(np.maximum(steps - 1, 0) / 4.0).astype(int),
            "committed": np.round(f["committed"].to_numpy(dtype=float) / 1e9, 3),
            "called": np.round(f["called"].to_numpy(dtype=float) / 1e9, 3),
            "distributed": np.round(f["distributed"].to_numpy(dtype=float) / 1e9, 3),
            "nav": np.round(f["nav"].to_numpy(dtype=float) / 1e9, 3),
            "tvpi": f["tvpi"].to_numpy(dtype=float),
            "dpi": f["dpi"].to_numpy(dtype=float),
            "status": f["status"].astype(str).to_numpy(),
        }
    )[cols]


MAX_NODES = 300  # real actors drawn in the collaboration network (the most connected)
NETWORK_KINDS = PERFORMER_KINDS  # the panel samples performers


def network_layout(
    keys: np.ndarray, groups: np.ndarray, a: np.ndarray, b: np.ndarray, seed: int, iterations: int = 40
) -> tuple[np.ndarray, np.ndarray]:
    """A deterministic force-directed layout (numpy only) of nodes ``keys`` grouped by ``groups``.

    Each group (kind of actor) has an anchor on a circle; a node starts near its group's anchor at an
    offset drawn from a generator of ``seed`` and the node's key (so a node keeps its place from year to
    year), then ``iterations`` Fruchterman-Reingold steps pull tied nodes together, push all apart and
    keep each near its anchor. The same seed, nodes and ties give the same layout.

    Args:
        keys: Stable node identifiers (non-negative integers).
        groups: Group index of each node (its kind, in :data:`NETWORK_KINDS` order).
        a: First end of each tie, as a position into ``keys``.
        b: Second end of each tie.
        seed: The model's seed.
        iterations: Layout steps.

    Returns:
        x, y in [0, 1].
    """
    n = keys.size
    if n == 0:
        return np.zeros(0), np.zeros(0)
    n_groups = len(NETWORK_KINDS)
    angle = 2 * np.pi * (groups + 0.5) / n_groups
    anchor = 0.3 * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    table = np.random.default_rng([int(seed), 2012]).random((int(keys.max()) + 1, 2))
    pos = anchor + (table[keys] - 0.5) * 0.35
    k = np.sqrt(1.0 / n) * 0.6
    temp = 0.08
    x, y = pos[:, 0].copy(), pos[:, 1].copy()
    ax, ay = anchor[:, 0], anchor[:, 1]
    diag = np.arange(n)
    for _ in range(iterations):
        dx = x[:, None] - x[None, :]
        dy = y[:, None] - y[None, :]
        d2 = dx * dx + dy * dy
        d2[diag, diag] = np.inf
        rep = (k * k) / np.maximum(d2, 1e-12)  # repulsion k^2 / d along the unit vector: k^2 / d^2 x delta
        px = (dx * rep).sum(axis=1) + (ax - x) * (0.6 / k)
        py = (dy * rep).sum(axis=1) + (ay - y) * (0.6 / k)
        if a.size:
            ex, ey = x[a] - x[b], y[a] - y[b]
            pull = np.sqrt(ex * ex + ey * ey) / k  # attraction d^2 / k along the unit vector
            px -= np.bincount(a, ex * pull, minlength=n) - np.bincount(b, ex * pull, minlength=n)
            py -= np.bincount(a, ey * pull, minlength=n) - np.bincount(b, ey * pull, minlength=n)
        length = np.sqrt(px * px + py * py) + 1e-9
        step = np.minimum(length, temp) / length
        x, y = x + px * step, y + py * step
        temp *= 0.93
    pos = np.stack([x, y], axis=1)
    # scale to [0, 1] on the 1st-99th percentiles (a few loose nodes must not squeeze the rest), clipped
    lo, hi = np.percentile(pos, 1, axis=0), np.percentile(pos, 99, axis=0)
    span = np.where(hi - lo > 0, hi - lo, 1.0)
    pos = np.clip((pos - lo) / span, 0.0, 1.0)
    return np.round(pos[:, 0], 4), np.round(pos[:, 1], 4)


def partner_network_frames(
    ties: pd.DataFrame,
    consortia: pd.DataFrame,
    seed: int,
    region_names: tuple[str, ...] = (),
    max_nodes: int = MAX_NODES,
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """The sampled real-actor collaboration network as nodes and edges, laid out by :func:`network_layout`.

    Args:
        ties: ``model.partnerships()`` (one row per tie between panel members a and b).
        consortia: ``model.consortia()``; members (agent ids) of running consortia are highlighted.
        seed: The model's seed (the layout's).
        region_names: Region names by index (for the tooltip).
        max_nodes: Nodes drawn at most: the most connected (ties broken by panel index).

    Returns:
        nodes: node (panel index), id (agent id), kind (label), region, degree, consortium (label), member
            (1 if its agent is a member of a running consortium), x, y.
        edges: edge, order (0/1), x, y (two rows per tie between drawn nodes).
        n: real actors with at least one tie (drawn or not).
    """
    n_cols = ["node", "id", "kind", "region", "degree", "consortium", "member", "x", "y"]
    e_cols = ["edge", "order", "x", "y"]
    if ties.empty:
        return pd.DataFrame(columns=n_cols), pd.DataFrame(columns=e_cols), 0
    a = ties["a"].to_numpy(dtype=np.int64)
    b = ties["b"].to_numpy(dtype=np.int64)
    ends = np.concatenate([a, b])
    size = int(ends.max()) + 1
    degree = np.bincount(ends, minlength=size)
    kind_of = np.full(size, "", dtype=object)
    kind_of[a], kind_of[b] = ties["a_kind"].to_numpy(), ties["b_kind"].to_numpy()
    id_of = np.zeros(size, dtype=np.int64)
    id_of[a], id_of[b] = ties["a_id"].to_numpy(), ties["b_id"].to_numpy()
    region_of = np.zeros(size, dtype=np.int64)
    region_of[a], region_of[b] = ties["a_region"].to_numpy(), ties["b_region"].to_numpy()
    present = np.flatnonzero(degree > 0)
    order = np.lexsort((present, -degree[present]))  # most connected first, then by index
    keep = np.sort(present[order[:max_nodes]])
    pos_of = np.full(size, -1, dtype=np.int64)
    pos_of[keep] = np.arange(keep.size)
    inside = (pos_of[a] >= 0) & (pos_of[b] >= 0)
    ea, eb = pos_of[a[inside]], pos_of[b[inside]]
    groups = np.array([NETWORK_KINDS.index(k) if k in NETWORK_KINDS else 0 for k in kind_of[keep]])
    x, y = network_layout(keep, groups, ea, eb, seed)
    running = set()
    if len(consortia):
        for ids in consortia.loc[consortia["outcome"] == "running", "member_ids"]:
            running.update(int(i) for i in ids)
    in_cons = np.array([int(i) in running for i in id_of[keep]], dtype=bool)
    nodes = pd.DataFrame(
        {
            "node": keep,
            "id": id_of[keep],
            "kind": [t(f"kind.{k}") for k in kind_of[keep]],
            "region": [region_names[r] if 0 <= r < len(region_names) else str(r) for r in region_of[keep]],
            "degree": degree[keep],
            "consortium": [t("net.in_consortium") if c else t("net.not_in_consortium") for c in in_cons],
            "member": in_cons.astype(int),
            "x": x,
            "y": y,
        }
    )
    k = ea.size
    ends_pos = np.concatenate([ea, eb])
    edges = pd.DataFrame(
        {
            "edge": np.tile(np.arange(k), 2),
            "order": np.repeat([0, 1], k),
            "x": x[ends_pos],
            "y": y[ends_pos],
        }
    )
    return nodes, edges, int(present.size)


def network_stat_frames(stats: pd.DataFrame, degrees: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The real-actor network's statistics for the statistics chart.

    Args:
        stats: ``model.network_stats()`` (one row).
        degrees: ``model.degree_distribution()``.

    Returns:
        clustering: measure (label), order, value (clustering coefficient 0-1): the network's, its
            configuration-model expectation and degree-preserving rewired graphs (the nulls).
        table: row, text (path length, components, giant share, mean degree, nodes and ties).
        degree: degree (>= 1), actors (real actors of the panel with that many partners).
    """
    r = stats.iloc[-1]
    measures = (
        ("net.clustering", "clustering"),
        ("net.clustering_null", "clustering_null"),
        ("net.clustering_rewired", "clustering_rewired"),
    )
    clustering = pd.DataFrame(
        {
            "measure": [t(k) for k, _c in measures],
            "order": np.arange(len(measures)),
            "value": [round(float(r.get(c, np.nan)), 4) for _k, c in measures],
        }
    )
    lines = [
        t("net.row_nodes", nodes=f"{int(r['nodes']):,}", edges=f"{int(r['edges']):,}"),
        t("net.row_degree", mean=f"{float(r['mean_degree']):.2f}", max=f"{int(r['max_degree'])}"),
        t("net.row_path", v=f"{float(r['path_length']):.1f}"),
        t("net.row_components", n=f"{int(r['components']):,}", giant=f"{100 * float(r['giant_share']):.0f}"),
        t("net.row_local", v=f"{float(r['mean_local_clustering']):.3f}"),
        t("net.row_firm_inst", v=f"{100 * float(r['share_firm_institution']):.0f}"),
    ]
    table = pd.DataFrame({"row": np.arange(len(lines)), "text": lines})
    deg = degrees[degrees["degree"] >= 1]
    deg = deg[deg["actors"] > 0]
    return clustering, table, pd.DataFrame({"degree": deg["degree"].to_numpy(), "actors": deg["actors"].to_numpy()})
