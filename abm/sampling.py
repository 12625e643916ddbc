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
) -> np.ndarray:
    """For each seeker, draw one candidate of the same group with probability proportional to weight.

    Args:
        rng: Random generator.
        seeker_group: Group id of each seeker (ints in [0, n_groups)).
        cand: Candidate identifiers (e.g. slots).
        cand_group: Group id of each candidate.
        cand_weight: Non-negative weight of each candidate.
        n_groups: Number of groups.

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
    g = seeker_group
    ok = total[g] > 0
    u = base[g] + rng.random(g.shape) * total[g]
    pos = _search(cum, u)
    pos = np.clip(pos, starts[g], np.maximum(ends[g] - 1, starts[g]))
    out[ok] = cand[order[pos[ok]]]
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
    starts = np.r_[0, np.flatnonzero(np.diff(g)) + 1]
    csum = np.cumsum(v)
    before = np.repeat(np.r_[0.0, csum[starts[1:] - 1]], np.diff(np.r_[starts, g.size]))
    return order, (csum - before if inclusive else csum - v - before)


def stochastic_round(rng: np.random.Generator, x: float) -> int:
    """Round ``x`` >= 0 up or down at random so the expectation equals ``x``."""
    lo = int(np.floor(x))
    return lo + int(rng.random() < x - lo)
