"""Statistics of an undirected network given as an edge list, in NumPy only (no per-node loops).

Used on the sampled real-actor collaboration network (:mod:`abm.mechanisms.partners`): nodes are
real actors ``0..n-1``, edges the pairs ``(a[k], b[k])`` (unique, ``a != b``). Every function costs
O(edges + sum of squared degrees) or O(sources x edges x levels), so a network of a few thousand
nodes takes milliseconds.

- :func:`degrees`, :func:`degree_distribution`;
- :func:`triangles` (per edge and per node), :func:`transitivity` (global clustering: 3 x triangles
  / connected triples) and :func:`local_clustering`;
- :func:`null_transitivity`: expected transitivity of the configuration model with the same degrees
  (Newman 2003, SIAM Review 45:167, eq. 4.x: (<k^2> - <k>)^2 / (n <k>^3)), and
  :func:`configuration_null`: the transitivity of sampled degree-preserving random graphs (erased
  configuration model: stubs paired at random, self-loops and repeated pairs dropped);
- :func:`components` (labels, count, giant share) and :func:`path_length` (mean shortest path in the
  giant component, by breadth-first search from evenly spaced sources).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _clean(n: int, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique undirected edges (u < v) without self-loops."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    keep = a != b
    u, v = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
    code = np.unique(u * n + v)
    return code // n, code % n


def csr(n: int, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Neighbour lists of an undirected edge list: ``indptr`` (n + 1) and ``nbr`` (2 x edges), sorted."""
    src = np.concatenate([a, b])
    dst = np.concatenate([b, a])
    order = np.argsort(src * np.int64(max(n, 1)) + dst)  # = np.lexsort((dst, src)): equal keys are equal pairs
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    return indptr, dst[order]


def degrees(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Degree of every node."""
    return np.bincount(np.concatenate([a, b]), minlength=n).astype(np.int64)


def degree_distribution(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Number of nodes of each degree 0, 1, ..., max degree."""
    return np.bincount(degrees(n, a, b))


def triangles(n: int, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Triangles through each edge (common neighbours of its ends) and through each node."""
    a, b = _clean(n, a, b)
    return _triangles(n, a, b, csr(n, a, b) if a.size else None)


def _triangles(
    n: int, a: np.ndarray, b: np.ndarray, neighbours: tuple[np.ndarray, np.ndarray] | None
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`triangles` of clean edges (:func:`_clean`) and their :func:`csr` (None when there is no edge)."""
    if neighbours is None:
        return np.zeros(0, dtype=np.int64), np.zeros(n, dtype=np.int64)
    indptr, nbr = neighbours
    deg = np.diff(indptr)
    # expand the end with fewer neighbours; a common neighbour w closes (x, w, y) iff (w, y) is an edge
    small = np.where(deg[a] <= deg[b], a, b)
    other = np.where(deg[a] <= deg[b], b, a)
    reps = deg[small]
    edge_of = np.repeat(np.arange(a.size), reps)
    start = np.repeat(indptr[small], reps)
    offset = np.arange(edge_of.size) - np.repeat(np.cumsum(reps) - reps, reps)
    w = nbr[start + offset]
    y = other[edge_of]
    codes = a * n + b  # sorted (from _clean)
    q = np.minimum(w, y) * n + np.maximum(w, y)
    pos = np.clip(np.searchsorted(codes, q), 0, codes.size - 1)
    hit = (codes[pos] == q) & (w != y)
    per_edge = np.bincount(edge_of[hit], minlength=a.size)
    per_node = (np.bincount(a, per_edge, minlength=n) + np.bincount(b, per_edge, minlength=n)) // 2
    return per_edge, per_node.astype(np.int64)


def transitivity(n: int, a: np.ndarray, b: np.ndarray) -> float:
    """Global clustering: 3 x triangles / connected triples (0 without triples)."""
    per_edge, _ = triangles(n, a, b)
    deg = degrees(n, *_clean(n, a, b))
    triples = float(np.sum(deg * (deg - 1)) / 2.0)
    return float(per_edge.sum()) / triples if triples > 0 else 0.0


def local_clustering(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Clustering of every node: triangles / (k (k - 1) / 2); NaN for degree below 2."""
    _, t = triangles(n, a, b)
    deg = degrees(n, *_clean(n, a, b)).astype(float)
    pairs = deg * (deg - 1.0) / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(pairs > 0, t / pairs, np.nan)


def null_transitivity(deg: np.ndarray) -> float:
    """Expected transitivity of a configuration-model graph with degrees ``deg`` (0 without edges)."""
    deg = np.asarray(deg, dtype=float)
    k1 = deg.mean() if deg.size else 0.0
    if k1 <= 0:
        return 0.0
    k2 = float(np.mean(deg**2))
    return float(min(1.0, (k2 - k1) ** 2 / (deg.size * k1**3)))


def configuration_null(deg: np.ndarray, rng: np.random.Generator, draws: int = 5) -> float:
    """Mean transitivity of ``draws`` degree-preserving random graphs (erased configuration model)."""
    deg = np.asarray(deg, dtype=np.int64)
    n = deg.size
    stubs = np.repeat(np.arange(n), deg)
    if stubs.size < 2:
        return 0.0
    out = []
    for _ in range(draws):  # a few draws, not a loop over nodes
        s = rng.permutation(stubs)[: stubs.size // 2 * 2]
        out.append(transitivity(n, s[0::2], s[1::2]))
    return float(np.mean(out))


def components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Component label of every node (the smallest node id of its component)."""
    lab = np.arange(n)
    if len(a) == 0:
        return lab
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    while True:  # min-label propagation with pointer jumping: converges in O(log diameter) rounds
        low = np.minimum(lab[a], lab[b])
        new = lab.copy()
        np.minimum.at(new, a, low)
        np.minimum.at(new, b, low)
        np.minimum.at(new, lab, new)
        new = new[new]
        if np.array_equal(new, lab):
            return lab
        lab = new


def component_summary(n: int, a: np.ndarray, b: np.ndarray, min_degree: int = 1) -> tuple[int, float, np.ndarray]:
    """Number of components among nodes of degree >= ``min_degree``, the giant's share of those
    nodes, and a mask of the giant component's nodes.
    """
    deg = degrees(n, a, b)
    active = deg >= min_degree
    if not active.any():
        return 0, 0.0, np.zeros(n, dtype=bool)
    lab = components(n, a, b)
    sizes = np.bincount(lab[active], minlength=n)
    giant = int(np.argmax(sizes))
    return int(np.count_nonzero(sizes)), float(sizes[giant] / active.sum()), (lab == giant) & active


def path_length(
    n: int,
    a: np.ndarray,
    b: np.ndarray,
    giant: np.ndarray,
    sources: int = 32,
    neighbours: tuple[np.ndarray, np.ndarray] | None = None,
) -> float:
    """Mean shortest-path length between nodes of the giant component, by breadth-first search from
    up to ``sources`` evenly spaced giant nodes (all sources at once, level by level: each level
    expands the neighbour lists of the nodes reached at the previous one). 0 if the giant has fewer
    than 2 nodes. ``neighbours``: the edges' :func:`csr`, if already built.
    """
    nodes = np.flatnonzero(giant)
    if nodes.size < 2:
        return 0.0
    src = nodes[np.linspace(0, nodes.size - 1, min(sources, nodes.size)).astype(np.int64)]
    k = src.size
    if neighbours is None:
        neighbours = csr(n, np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64))
    indptr, nbr = neighbours
    seen = np.zeros(k * n, dtype=bool)  # (source, node) pairs reached, flat
    slot = np.empty(k * n, dtype=np.int64)  # scratch: one position per pair, to drop repeats without a sort
    front = np.arange(k, dtype=np.int64) * n + src
    seen[front] = True
    total, pairs, level = 0.0, 0, 0
    while front.size:
        level += 1
        row, node = np.divmod(front, n)
        deg = indptr[node + 1] - indptr[node]
        ends = np.cumsum(deg)
        if ends.size == 0 or ends[-1] == 0:
            break
        at = np.repeat(indptr[node] - ends + deg, deg) + np.arange(ends[-1])  # positions in nbr
        reach = np.repeat(row * n, deg) + nbr[at]
        reach = reach[~seen[reach]]
        seen[reach] = True
        pos = np.arange(reach.size)
        slot[reach] = pos
        front = reach[slot[reach] == pos]  # each newly reached pair once
        total += level * front.size
        pairs += front.size
    return total / pairs if pairs else 0.0


def stats(
    n: int, a: np.ndarray, b: np.ndarray, rng: np.random.Generator | None = None, path_sources: int = 32
) -> dict[str, Any]:
    """Summary statistics: nodes, edges, mean and max degree, transitivity, its configuration-model
    expectation (and, with ``rng``, the transitivity of sampled degree-preserving random graphs),
    mean local clustering, components, giant share and mean path length in the giant component.
    Components and the giant share count nodes with at least one tie.
    """
    a, b = _clean(n, a, b)
    deg = degrees(n, a, b)
    count, giant_share, giant = component_summary(n, a, b)
    # the clean edges' neighbour lists serve the triangles and the paths
    neighbours = csr(n, a, b) if a.size else None
    per_edge, per_node = _triangles(n, a, b, neighbours)
    triples = deg * (deg - 1) / 2.0
    local = per_node[triples > 0] / triples[triples > 0]
    out: dict[str, Any] = {
        "nodes": int(n),
        "edges": int(a.size),
        "mean_degree": float(deg.mean()) if n else 0.0,
        "max_degree": int(deg.max()) if n else 0,
        "clustering": float(per_edge.sum() / triples.sum()) if triples.sum() > 0 else 0.0,
        "clustering_null": null_transitivity(deg),
        "mean_local_clustering": float(local.mean()) if local.size else 0.0,
        "components": count,
        "giant_share": giant_share,
        "path_length": path_length(n, a, b, giant, sources=path_sources, neighbours=neighbours),
    }
    if rng is not None:
        out["clustering_rewired"] = configuration_null(deg, rng)
    return out


__all__ = [
    "component_summary",
    "components",
    "configuration_null",
    "csr",
    "degree_distribution",
    "degrees",
    "local_clustering",
    "null_transitivity",
    "path_length",
    "stats",
    "transitivity",
    "triangles",
]
