"""Vectorised sampling helpers used by the matching mechanisms."""

from __future__ import annotations

import numpy as np


def grouped_choice(
    rng: np.random.Generator,
    seeker_group: np.ndarray,
    cand: np.ndarray,
    cand_group: np.ndarray,
    cand_weight: np.ndarray,
    n_groups: int,
    wanted: np.ndarray | None = None,
) -> np.ndarray:
    """For each seeker, draw one candidate of the same group with probability proportional to weight.

    Args:
        rng: Random generator.
        seeker_group: Group id of each seeker (ints in [0, n_groups)).
        cand: Candidate identifiers (e.g. slots).
        cand_group: Group id of each candidate.
        cand_weight: Non-negative weight of each candidate.
        n_groups: Number of groups.
        wanted: Seekers whose choice the caller uses (default all); the others get -1. A random number is
            drawn for every seeker all the same (the stream does not depend on ``wanted``): only the
            search, the costly part, is skipped.

    Returns:
        The chosen candidate per seeker, or -1 where the seeker's group has no positive weight.
    """
    out = np.full(seeker_group.shape, -1, dtype=np.int64)
    if cand.size == 0 or seeker_group.size == 0:
        return out
    # a stable sort on 16-bit keys is a radix sort (same order as on the original keys, linear time)
    key = cand_group.astype(np.uint16) if n_groups <= np.iinfo(np.uint16).max else cand_group
    order = np.argsort(key, kind="stable")
    g_sorted = cand_group[order]
    w_sorted = np.clip(cand_weight[order], 0.0, None)
    cum = np.cumsum(w_sorted)
    starts = np.searchsorted(g_sorted, np.arange(n_groups), side="left")
    ends = np.searchsorted(g_sorted, np.arange(n_groups), side="right")
    base = np.where(starts > 0, cum[np.maximum(starts - 1, 0)], 0.0)
    base[starts == 0] = 0.0
    top = np.where(ends > 0, cum[np.maximum(ends - 1, 0)], 0.0)
    total = top - base
    draw = rng.random(seeker_group.shape)
    ok = total[seeker_group] > 0
    if wanted is not None:
        ok &= wanted
    ok = np.flatnonzero(ok)  # each seeker's search is its own: only these are searched
    g = seeker_group[ok]
    pos = _search(cum, base[g] + draw[ok] * total[g])
    pos = np.clip(pos, starts[g], np.maximum(ends[g] - 1, starts[g]))
    out[ok] = cand[order[pos]]
    return out


#: Above this many needles, searching them in ascending order is faster than searching them as they come
#: (numpy's binary search reuses the previous position when the needles are sorted).
SORTED_SEARCH_FROM = 20_000


def _search(cum: np.ndarray, u: np.ndarray) -> np.ndarray:
    """``np.searchsorted(cum, u, side="right")``, faster for many unsorted needles (same result)."""
    if u.size < SORTED_SEARCH_FROM:
        return np.searchsorted(cum, u, side="right")
    idx = np.argsort(u)
    pos = np.empty(u.size, dtype=np.intp)
    pos[idx] = np.searchsorted(cum, u[idx], side="right")
    return pos


def running_sum_by_group(
    group: np.ndarray, values: np.ndarray, *, inclusive: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Rows in a stable order by ``group`` and, in that order, each row's running sum of ``values`` within
    its group: what a group's holder has taken on up to each request, in turn (with the row itself, or
    before it with ``inclusive=False``).
    """
    order = np.argsort(group, kind="stable")
    g, v = group[order], values[order]
    # first row of each group's run (np.concatenate, not np.r_ / np.diff: the same arrays, less overhead)
    starts = np.concatenate([[0], np.flatnonzero(g[1:] != g[:-1]) + 1])
    csum = np.cumsum(v)
    runs = np.concatenate([starts[1:], [g.size]]) - starts
    before = np.repeat(np.concatenate([[0.0], csum[starts[1:] - 1]]), runs)
    return order, (csum - before if inclusive else csum - v - before)


def stochastic_round(rng: np.random.Generator, x: float) -> int:
    """Round ``x`` >= 0 up or down at random so the expectation equals ``x``."""
    lo = int(np.floor(x))
    return lo + int(rng.random() < x - lo)


def sorted_union(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``np.union1d`` of two ascending arrays by merging them (no sort)."""
    at_b = np.searchsorted(a, b, side="right") + np.arange(b.size)
    merged = np.empty(a.size + b.size, dtype=np.result_type(a, b))
    from_a = np.ones(merged.size, dtype=bool)
    from_a[at_b] = False
    merged[at_b] = b
    merged[from_a] = a
    first = np.ones(merged.size, dtype=bool)
    first[1:] = merged[1:] != merged[:-1]
    return merged[first]


def split_by_group(
    src_group: np.ndarray, src_amount: np.ndarray, dst_group: np.ndarray, dst_weight: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split what each source pays among the destinations of its group in proportion to their weight.

    Each destination receives its weight's share of its group's total, each source pays exactly its
    amount (sources of a group without positive destination weight pay nothing). The flows are given as
    at most ``sources + destinations`` pairs (north-west corner rule on the groups' cumulative sums), so
    the cost is linear, not sources x destinations.

    Args:
        src_group: Group of each source (ints in [0, n_groups)).
        src_amount: Amount each source pays (>= 0).
        dst_group: Group of each destination.
        dst_weight: Non-negative weight of each destination.
        n_groups: Number of groups.

    Returns:
        Index into the sources, index into the destinations and amount, per pair.
    """
    empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
    dw = np.clip(dst_weight, 0.0, None)
    g_w = np.bincount(dst_group, dw, minlength=n_groups)
    amt = np.where(g_w[src_group] > 0, np.clip(src_amount, 0.0, None), 0.0)
    g_amt = np.bincount(src_group, amt, minlength=n_groups)
    d_amt = dw * np.where(g_w > 0, g_amt / np.where(g_w > 0, g_w, 1.0), 0.0)[dst_group]
    si = np.argsort(src_group, kind="stable")
    di = np.argsort(dst_group, kind="stable")
    cs = np.cumsum(amt[si])
    cd = np.cumsum(d_amt[di])
    if cs.size == 0 or cd.size == 0 or cs[-1] <= 0:
        return empty
    cd *= cs[-1] / cd[-1]  # the same total on both sides (rounding)
    cuts = sorted_union(np.concatenate([[0.0], cs]), cd)  # = np.unique of all three: both sums ascend
    length = np.diff(cuts)
    mid = cuts[:-1] + 0.5 * length
    keep = length > 0
    mid, length = mid[keep], length[keep]
    i = np.minimum(np.searchsorted(cs, mid, side="right"), cs.size - 1)
    j = np.minimum(np.searchsorted(cd, mid, side="right"), cd.size - 1)
    return si[i], di[j], length


def real_takers(rng: np.random.Generator, weight: np.ndarray, prob: np.ndarray | float) -> np.ndarray:
    """How many of each agent's real actors take a decision each takes with probability ``prob``: a
    binomial over the agent's weight (its fractional part counts as one more actor with that chance).
    """
    whole = np.floor(weight)
    prob = np.clip(prob, 0.0, 1.0)
    extra = rng.random(weight.size) < (weight - whole) * prob
    return (rng.binomial(whole.astype(np.int64), prob) + extra).astype(float)


#: Most rows an agent's real actors who choose a partner separately are spread over (each row one draw).
#: 1: the agent's real buyers of a quarter share one partner. At 8 (nearly one row per real buyer at
#: scale 0.02) the technical-service market grows about 4x and SME researchers fall about 45% at both
#: scales (seed 1, 6 years): the calibrated defaults lean on lumpy matching; left to issue 13's re-fit.
MAX_DRAWS = 1


def spread_rows(agents: np.ndarray, takers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows for the real actors of ``agents`` who choose separately: up to MAX_DRAWS rows per agent
    (one per real actor when fewer), each standing for an equal part of its ``takers`` real actors.

    Returns:
        The agent of each row and the real actors each row stands for.
    """
    k = np.minimum(np.ceil(takers), MAX_DRAWS).astype(np.int64)
    return np.repeat(agents, k), np.repeat(takers / np.maximum(k, 1), k)
