"""Stylised facts of MODEL.md as statistics on model output, with pass criteria.

The criteria (``CRITERIA``) were fixed in docs/validation.md before any of these statistics was
computed on model output; do not tune them to the results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from abm.kinds import INSTITUTIONS

FIRM_KINDS = ("soe", "private", "sme")


@dataclass(frozen=True)
class Criterion:
    """One fact: what is computed, the published number and the pass rule (as text and bounds)."""

    fid: str
    fact: str
    statistic: str
    published: str
    rule: str
    low: float = -np.inf
    high: float = np.inf


CRITERIA: dict[str, Criterion] = {
    c.fid: c
    for c in (
        Criterion(
            "F1",
            "enterprises perform 76-78% of R&D year after year",
            "yearly mean enterprise_share 2015-2020 (min, max)",
            "76.8% (2015), 77.5% (2016), 77.4% (2018)",
            "every yearly mean in [0.76, 0.78]",
            0.76,
            0.78,
        ),
        Criterion(
            "F2a",
            "basic research is 5-7% of R&D",
            "yearly mean basic_share 2015-2020 (min, max)",
            "5.2% (2016), 5.5% (2018), 6.0% (2020)",
            "every yearly mean in [0.05, 0.07]",
            0.05,
            0.07,
        ),
        Criterion(
            "F2b",
            "basic research is done mostly by universities and institutes",
            "share of basic research spending by universities + labs (2020)",
            "44.8% + 38.3% = 83.1% (2022)",
            "share >= 0.75",
            0.75,
        ),
        Criterion(
            "F3a",
            "firm sizes heavy-tailed, density exponent about 2-2.5",
            "ML power-law exponent of firm revenue, x_min by KS (scale 0.02)",
            "2.0-2.5 (Heinrich & Dai 2016)",
            "mean in [2.0, 2.5]",
            2.0,
            2.5,
        ),
        Criterion(
            "F3b",
            "Zipf exponent about 1 at the top",
            "ML (Hill) CCDF exponent of the 500 largest firms (scale 0.02)",
            "1.0 (top-500 revenue)",
            "mean in [0.8, 1.2]",
            0.8,
            1.2,
        ),
        Criterion(
            "F4a",
            "growth rates Laplace-shaped",
            "excess kurtosis of 1-year log revenue growth; logL(Laplace) - logL(normal) per firm",
            "Laplace (Zou 2019)",
            "excess kurtosis > 1 and logL difference > 0",
            1.0,
        ),
        Criterion(
            "F4b",
            "growth-rate spread falls with size",
            "beta in s.d.(growth) ~ size^-beta across size deciles",
            "beta > 0 (Zou 2019)",
            "95% CI of beta above 0",
            0.0,
        ),
        Criterion(
            "F5a",
            "most VC financings return less than invested",
            "share of closed financings with multiple < 1x (2015-2030; each stake counts for the real financings it stands for)",
            "65% (US 2004-2013); China c.2001: 10-30% total failure (UNCERTAIN)",
            "share in [0.50, 0.80]",
            0.50,
            0.80,
        ),
        Criterion(
            "F5b",
            "a few percent return 10x or more",
            "share of closed financings with multiple >= 10x",
            "4% (US 2004-2013)",
            "share in [0.01, 0.10]",
            0.01,
            0.10,
        ),
        Criterion(
            "F6a",
            "collaboration network small-world (real actors)",
            "C/C_rand and L/L_rand of the real-actor panel's largest component (end of 2020)",
            "small-world (sigma > 1)",
            "C/C_rand >= 1.5 and L/L_rand <= 1.5",
            1.5,
            1.5,
        ),
        Criterion(
            "F6b",
            "core of universities and institutes (real actors)",
            "share of universities + labs among the top 10% of the panel's nodes by degree",
            "(qualitative)",
            "share >= 0.5",
            0.5,
        ),
        Criterion(
            "F7",
            "R&D personnel",
            "researchers_total (FTE) 2016, 2020, 2021 over observed (min, max)",
            "3.878 m (2016), 5.092 m (2020), 5.72 m (2021)",
            "every year within +-15%",
            0.85,
            1.15,
        ),
        Criterion(
            "F8",
            "enterprises hold most invention patents",
            "patent_share_enterprises, mean of 2022-2024",
            "73.3% of valid domestic invention patents (CNIPA, Oct 2024)",
            "in [0.63, 0.83]",
            0.63,
            0.83,
        ),
        Criterion(
            "F9",
            "technology-contract turnover keeps growing (out of sample)",
            "tech_contract_turnover 2021 over observed 3.73 trn; ratio 2021 / 2015",
            "3.73 trn (2021); ratio 3.8 (0.98 trn in 2015)",
            "2021 within +-25% and ratio >= 2.5",
            0.75,
            1.25,
        ),
        Criterion(
            "F10",
            "chip imports grow with demand (no cut-off in the baseline)",
            "imports of high_end_chips + memory_chips, ratio 2021 / 2015",
            "IC imports 230.7 bn USD (2015), 432.4 bn (2021): 1.87 (GACC)",
            "ratio in [1.4, 2.4]",
            1.4,
            2.4,
        ),
        Criterion(
            "F11",
            "domestic producers cover a small share of chip demand",
            "domestic share of purchases of high_end_chips + memory_chips, mean of 2019-2021",
            "by Chinese firms 5.9-6.6%; made in China 15.7-16.7% (IC Insights)",
            "in [0.04, 0.20]",
            0.04,
            0.20,
        ),
        Criterion(
            "F12",
            "firms enter and exit at substantial rates, entry above exit",
            "yearly sme_births / n_sme and sme_deaths / n_sme, 2015-2020 (min, max)",
            "high churning (SAIC registry, Brandt); new market entities +22% in 2020 (SAMR)",
            "births in [0.05, 0.35], deaths in [0.03, 0.25] every year; mean births > mean deaths",
            0.05,
            0.35,
        ),
    )
}

#: Calibration targets shown with the facts but not counted as validation patterns (issue 13, item 3).
TARGET_FACTS = ("F1", "F2a")
#: Extra bounds of two-part rules: F12's death rate and F9's growth ratio.
F12_DEATHS = (0.03, 0.25)
F9_MIN_RATIO = 2.5


# ---------------------------------------------------------------- estimators
def powerlaw_mle(
    x: np.ndarray, w: np.ndarray | None = None, n_xmin: int = 60, min_tail: float = 50.0
) -> dict[str, float]:
    """Continuous power-law fit (Clauset, Shalizi & Newman 2009) with frequency weights.

    alpha = 1 + W / sum_i w_i ln(x_i / x_min) over x_i >= x_min (W = sum of tail weights); x_min
    minimises the Kolmogorov-Smirnov distance between the weighted tail and the fitted CDF, over
    ``n_xmin`` candidate quantiles with at least ``min_tail`` real actors in the tail.

    Returns:
        alpha (density exponent), xmin, ks, n_tail (real actors), agents_tail, se (naive; agents as draws).
    """
    x = np.asarray(x, float)
    w = np.ones_like(x) if w is None else np.asarray(w, float)
    keep = x > 0
    x, w = x[keep], w[keep]
    order = np.argsort(x)
    x, w = x[order], w[order]
    cands = np.unique(np.quantile(x, np.linspace(0.0, 0.98, n_xmin)))
    best: dict[str, float] = {"ks": np.inf}
    for xmin in cands:
        t = x >= xmin
        W = w[t].sum()
        if min_tail > W or t.sum() < 10:
            continue
        xt, wt = x[t], w[t]
        s = np.sum(wt * np.log(xt / xmin))
        if s <= 0:
            continue
        alpha = 1.0 + W / s
        emp = np.cumsum(wt) / W
        fit = 1.0 - (xt / xmin) ** (1.0 - alpha)
        ks = float(np.max(np.abs(emp - fit)))
        if ks < best["ks"]:
            best = {
                "alpha": alpha,
                "xmin": float(xmin),
                "ks": ks,
                "n_tail": float(W),
                "agents_tail": float(t.sum()),
                "se": (alpha - 1.0) / np.sqrt(t.sum()),
            }
    return best


def hill_top(x: np.ndarray, w: np.ndarray, k_real: float = 500.0) -> float:
    """ML (Hill) CCDF exponent of the k_real largest real actors (frequency weights)."""
    order = np.argsort(x)[::-1]
    x, w = np.asarray(x, float)[order], np.asarray(w, float)[order]
    cum = np.cumsum(w)
    j = int(np.searchsorted(cum, k_real))
    j = min(max(j, 1), len(x) - 1)
    xmin = x[j]  # the threshold is the first value below the top k
    top = slice(0, j)
    s = np.sum(w[top] * np.log(x[top] / xmin))
    return float(np.sum(w[top]) / s) if s > 0 else np.nan


def growth_stats(g: np.ndarray, size: np.ndarray, w: np.ndarray) -> dict[str, float]:
    """Shape of growth rates (kurtosis, Laplace vs normal) and the spread-size slope beta."""
    w = w / w.sum()
    mu = np.sum(w * g)
    var = np.sum(w * (g - mu) ** 2)
    kurt = np.sum(w * (g - mu) ** 4) / var**2 - 3.0
    # ML fits (weighted): normal (mu, var); Laplace (weighted median, mean absolute deviation)
    o = np.argsort(g)
    med = g[o][np.searchsorted(np.cumsum(w[o]), 0.5)]
    b = np.sum(w * np.abs(g - med))
    ll_norm = -0.5 * np.log(2 * np.pi * var) - 0.5
    ll_lap = -np.log(2 * b) - 1.0
    # spread vs size: deciles of log size, s.d. of growth within each
    ls = np.log(size)
    edges = np.quantile(ls, np.linspace(0, 1, 11))
    idx = np.clip(np.searchsorted(edges, ls, side="right") - 1, 0, 9)
    xs, ys = [], []
    for d in range(10):
        sel = idx == d
        if sel.sum() >= 10:
            wd = w[sel] / w[sel].sum()
            m = np.sum(wd * g[sel])
            xs.append(np.sum(wd * ls[sel]))
            ys.append(0.5 * np.log(np.sum(wd * (g[sel] - m) ** 2)))
    beta = -float(np.polyfit(xs, ys, 1)[0]) if len(xs) >= 3 else np.nan
    return {
        "excess_kurtosis": float(kurt),
        "ll_laplace_minus_normal": float(ll_lap - ll_norm),
        "beta": beta,
        "n_firms": float(len(g)),
    }


def mean_path_length(g: nx.Graph, rng: np.random.Generator, sources: int = 100) -> float:
    """Average shortest path length of a connected graph, estimated from BFS of sampled sources.

    Exact when the graph has at most ``sources`` nodes; otherwise an unbiased estimate (each BFS
    gives the exact mean distance from its source).
    """
    nodes = list(g.nodes())
    n = len(nodes)
    if n <= sources:
        return float(nx.average_shortest_path_length(g))
    pick = rng.choice(n, size=sources, replace=False)
    tot = 0.0
    for i in pick:
        d = nx.single_source_shortest_path_length(g, nodes[i])
        tot += sum(d.values()) / (n - 1)
    return float(tot / sources)


def small_world(
    edges: np.ndarray, kinds: Mapping[int, str], rng: np.random.Generator, n_random: int = 10
) -> dict[str, float]:
    """Clustering and path length of the largest component vs configuration-model random graphs.

    Path lengths are estimated from 100 sampled BFS sources (mean_path_length).

    Args:
        edges: 2 x k array of node ids (panel member indices, :func:`panel_edges`, or agent ids).
        kinds: Kind label of each agent id.
        rng: Random generator for the random graphs and path sampling.
        n_random: Number of configuration-model graphs to compare with.
    """
    g = nx.Graph()
    g.add_edges_from(map(tuple, edges.T.tolist()))
    g.remove_edges_from(nx.selfloop_edges(g))
    if g.number_of_nodes() == 0:
        return {"nodes": 0.0}
    lcc = g.subgraph(max(nx.connected_components(g), key=len)).copy()
    C = nx.average_clustering(lcc)
    L = mean_path_length(lcc, rng)
    deg = [d for _, d in lcc.degree()]
    Cr, Lr = [], []
    for _ in range(n_random):
        r = nx.Graph(nx.configuration_model(deg, seed=int(rng.integers(2**31))))
        r.remove_edges_from(nx.selfloop_edges(r))
        rl = r.subgraph(max(nx.connected_components(r), key=len))
        Cr.append(nx.average_clustering(rl))
        Lr.append(mean_path_length(rl, rng))
    top = sorted(lcc.degree(), key=lambda t: -t[1])[: max(1, lcc.number_of_nodes() // 10)]
    inst_labels = {k.label for k in INSTITUTIONS}
    inst = np.mean([kinds[n] in inst_labels for n, _ in top])
    C_r, L_r = float(np.mean(Cr)), float(np.mean(Lr))
    return {
        "nodes": float(g.number_of_nodes()),
        "lcc_nodes": float(lcc.number_of_nodes()),
        "edges": float(lcc.number_of_edges()),
        "C": C,
        "L": L,
        "C_rand": C_r,
        "L_rand": L_r,
        "C_ratio": C / C_r if C_r > 0 else np.inf,
        "L_ratio": L / L_r,
        "sigma": (C / C_r) / (L / L_r) if C_r > 0 else np.inf,
        "top_decile_institutions": float(inst),
    }


def vc_shares(multiples: np.ndarray, financings: np.ndarray | None = None) -> dict[str, float]:
    """Shares of closed financings below 1x, at 0x (write-offs) and at 10x or more; each stake counts for
    the real financings it stands for (``financings``, 1 each if not given); ``n_stakes`` is their sum.
    """
    m = np.asarray(multiples, float)
    w = np.ones(m.size) if financings is None else np.asarray(financings, float)
    if m.size == 0 or w.sum() <= 0:
        return {"n_stakes": 0.0, "below_1x": np.nan, "writeoff": np.nan, "at_least_10x": np.nan}
    order = np.argsort(m, kind="stable")
    cum = np.cumsum(w[order])
    return {
        "n_stakes": float(w.sum()),
        "below_1x": float(np.average(m < 1.0, weights=w)),
        "writeoff": float(np.average(m <= 0.0, weights=w)),
        "at_least_10x": float(np.average(m >= 10.0, weights=w)),
        "median": float(m[order][np.searchsorted(cum, 0.5 * cum[-1])]),
    }


def closed_financings(m: Any) -> tuple[pd.DataFrame, dict[str, float]]:
    """A run's closed VC stakes (``m.vc_deals()`` with a multiple) and their :func:`vc_shares` (F5a, F5b)."""
    deals = m.vc_deals().dropna(subset=["multiple"])
    return deals, vc_shares(deals["multiple"].to_numpy(), deals["financings"].to_numpy())


# ---------------------------------------------------------------- judging
def judge(fid: str, values: dict[str, Any]) -> bool:
    """Apply the pre-registered rule of fact ``fid`` to the replication summary ``values``."""
    c = CRITERIA[fid]
    if fid in ("F1", "F2a"):
        return bool(values["min"] >= c.low and values["max"] <= c.high)
    if fid in ("F2b", "F6b"):
        return bool(values["mean"] >= c.low)
    if fid in ("F3a", "F3b", "F5a", "F5b"):
        return bool(c.low <= values["mean"] <= c.high)
    if fid == "F4a":
        return bool(values["kurtosis_mean"] > c.low and values["ll_diff_mean"] > 0)
    if fid == "F4b":
        return bool(values["ci_low"] > c.low)
    if fid == "F6a":
        return bool(values["C_ratio_mean"] >= c.low and values["L_ratio_mean"] <= c.high)
    if fid == "F7":
        return bool(values["min"] >= c.low and values["max"] <= c.high)
    if fid in ("F8", "F10", "F11"):
        return bool(c.low <= values["mean"] <= c.high)
    if fid == "F9":
        return bool(c.low <= values["ratio_to_observed"] <= c.high and values["growth_ratio"] >= F9_MIN_RATIO)
    if fid == "F12":
        lo, hi = F12_DEATHS
        return bool(
            values["births_min"] >= c.low
            and values["births_max"] <= c.high
            and values["deaths_min"] >= lo
            and values["deaths_max"] <= hi
            and values["births_mean"] > values["deaths_mean"]
        )
    raise KeyError(fid)


def panel_edges(m: Any) -> tuple[np.ndarray, dict[int, str]]:
    """Edges (2 x k, panel member indices) of the sampled real-actor network and the kind of each tied
    member, from the public ``model.partnerships()`` (members without ties are not nodes of any edge).
    """
    ties = m.partnerships()
    kinds = dict(zip(ties["a"], ties["a_kind"], strict=True))
    kinds.update(zip(ties["b"], ties["b_kind"], strict=True))
    return np.vstack([ties["a"].to_numpy(), ties["b"].to_numpy()]), kinds


def mean_ci(v: Sequence[float]) -> dict[str, float]:
    """Mean, s.d. and Student-t 95% CI of replication values (NaNs dropped; one value: s.d. and width 0)."""
    from experiments.stats import describe

    d = describe(list(v), single="zero")
    return {"mean": d["mean"], "sd": d["sd"], "ci_low": d["ci_low"], "ci_high": d["ci_high"], "n": d["n"]}


def firm_rows(snap: pd.DataFrame) -> pd.DataFrame:
    """Firms with positive revenue from a snapshot."""
    return snap[snap["kind"].isin(FIRM_KINDS) & (snap["revenue"] > 0)]
