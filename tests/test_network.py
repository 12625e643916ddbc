"""Partnerships (abm.mechanisms.partners) and network statistics (abm.network) at real-actor resolution."""

from __future__ import annotations

import numpy as np
import pytest

from abm import network
from abm.kinds import PERFORMERS
from abm.mechanisms import partners
from abm.model import InnovationModel
from abm.params import ParameterError

STATS = ("mean_degree", "clustering", "giant_share")


def _stats(seed: int, years: int = 3, **kw) -> dict:
    return InnovationModel(seed=seed, **kw).run(years=years).network_stats().iloc[0].to_dict()


# --- the statistics functions on graphs whose answers are known -----------------------------------
def test_statistics_of_known_graphs():
    # a triangle plus a pendant node: 1 triangle, triples 1+1+3 -> transitivity 3/5
    a, b = np.array([0, 1, 2, 2]), np.array([1, 2, 0, 3])
    assert network.transitivity(4, a, b) == pytest.approx(0.6)
    # configuration model: (<k^2> - <k>)^2 / (n <k>^3) = (4 - 2)^2 / (3 x 8)
    assert network.null_transitivity(np.array([2, 2, 2])) == pytest.approx(1 / 6)
    # a path 0-1-2-3 and a separate edge 4-5, node 6 alone: mean distance on the path is 10/6
    a, b = np.array([0, 1, 2, 4]), np.array([1, 2, 3, 5])
    st = network.stats(7, a, b)
    assert st["clustering"] == 0.0
    assert st["components"] == 2
    assert st["giant_share"] == pytest.approx(4 / 6)
    assert st["path_length"] == pytest.approx(10 / 6)
    assert network.degree_distribution(7, a, b).tolist() == [1, 4, 2]


def test_statistics_match_networkx():
    nx = pytest.importorskip("networkx")
    g = nx.powerlaw_cluster_graph(300, 3, 0.5, seed=3)
    e = np.array(g.edges()).T
    assert network.transitivity(300, e[0], e[1]) == pytest.approx(nx.transitivity(g))
    local = network.local_clustering(300, e[0], e[1])
    assert np.nanmean(local) == pytest.approx(np.mean([c for v, c in nx.clustering(g).items() if g.degree(v) > 1]))


def test_path_length_and_neighbour_lists_match_networkx():
    """The level-by-level search gives networkx's distances from the same sources, exactly (sparse,
    dense, several components, a star); the neighbour lists are sorted by node, then neighbour.
    """
    nx = pytest.importorskip("networkx")
    graphs = [
        nx.powerlaw_cluster_graph(300, 2, 0.3, seed=1),
        nx.gnm_random_graph(400, 380, seed=2),  # sparse: many components, long paths
        nx.gnm_random_graph(60, 900, seed=3),
        nx.star_graph(40),
    ]
    for g in graphs:
        n = g.number_of_nodes()
        a, b = (np.array(x, dtype=np.int64) for x in zip(*g.edges(), strict=True))
        _count, _share, giant = network.component_summary(n, a, b)
        nodes = np.flatnonzero(giant)
        for sources in (1, 7, 32):
            src = nodes[np.linspace(0, nodes.size - 1, min(sources, nodes.size)).astype(np.int64)]
            dist = [d for s in src for t, d in nx.single_source_shortest_path_length(g, int(s)).items() if t != s]
            assert network.path_length(n, a, b, giant, sources=sources) == sum(dist) / len(dist)
        indptr, nbr = network.csr(n, a, b)
        for v in range(n):
            assert nbr[indptr[v] : indptr[v + 1]].tolist() == sorted(g.neighbors(v))


# --- emergent clustering at real-actor resolution ------------------------------------------------
def test_clustering_exceeds_degree_preserving_null():
    """From a start without ties, the real-actor network clusters far above random graphs with its degrees."""
    st = _stats(1)
    assert st["edges"] > 500
    assert st["clustering"] > 5 * max(st["clustering_rewired"], st["clustering_null"])
    assert st["clustering"] > 0.02


def test_triadic_closure_raises_clustering():
    """Paired seeds: switching triadic closure off lowers clustering."""
    on = [_stats(seed)["clustering"] for seed in (1, 2)]
    off = [_stats(seed, triadic_closure=0.0)["clustering"] for seed in (1, 2)]
    assert all(x > 2 * y for x, y in zip(on, off, strict=True)), (on, off)


def _off_by_scale(years: int, seeds: tuple[int, ...], stats: tuple[str, ...]) -> list:
    """Statistics whose means over ``seeds`` differ between scale 0.002 and 0.02 by more than
    replication noise (3 standard errors of the difference) plus 5% of the mean."""
    small = {k: [] for k in stats}
    large = {k: [] for k in stats}
    for seed in seeds:
        for out, scale in ((small, 0.002), (large, 0.02)):
            st = _stats(seed, years=years, scale=scale)
            for k in stats:
                out[k].append(st[k])
    off = []
    for k in stats:
        x, y = np.array(small[k]), np.array(large[k])
        se = np.sqrt(x.var(ddof=1) / x.size + y.var(ddof=1) / y.size)
        if abs(x.mean() - y.mean()) > 3 * se + 0.05 * abs(x.mean()):
            off.append((k, x.round(4).tolist(), y.round(4).tolist()))
    return off


def test_statistics_do_not_depend_on_scale():
    """Scale 0.002 and 0.02 give network statistics that agree within replication noise after 2 years.

    Issue 12: panel members used their agent's patents per actor as reputation, smoother the more actors
    an agent stands for, so scale 0.002 had fewer hubs and clustering 0.041 against 0.027 at 0.02 (2
    years, seeds 1-8, lower at 0.02 in every seed). Each member now holds its own share of its agent's
    patents (abm.mechanisms.partners).
    """
    off = _off_by_scale(2, (1, 2, 3), STATS)
    assert not off, off


@pytest.mark.slow
def test_statistics_do_not_depend_on_scale_over_a_decade():
    """The same after 10 years, path length included (about a minute).

    Issue 12: after the technology market and panel members' own patents merged, clustering after 10
    years was about 25% lower at 0.02 (seeds 1-3: 0.0384, 0.0369, 0.0429 against 0.0331, 0.0289, 0.0281),
    not from the initial firm sizes (with equal_initial_sizes the gap stayed). Since grants, technology
    seekers and VC rounds are decided per real actor (issue 13, item 5), the agents the panel members
    belong to no longer buy, win and raise all at once, and the gap is within replication noise: seeds
    1-8, 0.0350 +- 0.0026 against 0.0306 +- 0.0017 (z 1.4), max degree 55 +- 4 against 69 +- 7, path
    length 7.94 against 7.97 (measured 2026-11-23)."""
    off = _off_by_scale(10, (1, 2, 3), (*STATS, "path_length"))
    assert not off, off


def test_panel_size_is_the_same_at_every_scale():
    for scale in (0.002, 0.02):
        m = InnovationModel(seed=1, scale=scale, network_sample=300)
        assert m.network_stats().iloc[0]["nodes"] == 300


# --- determinism and pairing ------------------------------------------------------------------------
def test_same_seed_same_network():
    a = InnovationModel(seed=5).run(years=2)
    b = InnovationModel(seed=5).run(years=2)
    assert a.partnerships().equals(b.partnerships())
    assert a.indicator_hash() == b.indicator_hash()


def test_panel_stream_does_not_move_the_model():
    """The statistics panel draws from its own stream: its size changes nothing else."""
    a = InnovationModel(seed=4, network_sample=500).run(years=1).yearly()
    b = InnovationModel(seed=4, network_sample=1500).run(years=1).yearly()
    cols = ["rd_total", "patents", "joint_projects", "co_patents"]
    assert a[cols].equals(b[cols])


# --- the mechanism: partners learn from each other ---------------------------------------------------
def test_joint_project_shares_knowledge():
    """Controlled: a laggard in a joint project with a leader of its field closes part of its gap;
    the leader (nothing to learn from the laggard) keeps its knowledge."""
    m = InnovationModel(seed=2)
    s = m.s
    perf = s.of_group(PERFORMERS)
    f = s.field[perf]
    field = np.bincount(f).argmax()
    mine = perf[f == field]
    lo, hi = mine[np.argmin(s.know[mine])], mine[np.argmax(s.know[mine])]
    s.know_c[lo] = s.know_c[hi] - 0.3  # a learnable gap in every component
    before_lo, before_hi = s.know_c[lo].copy(), s.know_c[hi].copy()
    partners._joint_projects(m, np.array([lo]), np.array([hi]), np.array([s.weight[lo]]))
    assert np.all(s.know_c[lo] > before_lo)
    assert np.all(s.know_c[lo] < s.know_c[hi])
    np.testing.assert_array_equal(s.know_c[hi], before_hi)
    assert m.flow["joint_projects"] == pytest.approx(s.weight[lo])


def test_partnering_raises_capability_paired():
    """Paired seeds: with joint projects, performers end up more capable than without."""
    for seed in (1, 2):
        on = InnovationModel(seed=seed).run(years=2)
        off = InnovationModel(seed=seed, partner_rate=0.0).run(years=2)
        assert on.yearly()["joint_projects"].sum() > 0
        assert off.yearly()["joint_projects"].sum() == 0
        assert off.yearly()["co_patents"].sum() == 0

        def mean_know(m):
            s = m.s
            p = s.of_group(PERFORMERS)
            return np.average(s.know[p], weights=s.weight[p])

        assert mean_know(on) > mean_know(off)


def test_co_patents_are_a_subset_of_patents():
    y = InnovationModel(seed=3).run(years=2).yearly()
    assert (y["co_patents"] > 0).all()
    assert (y["co_patents"] <= y["patents"]).all()


# --- inputs -------------------------------------------------------------------------------------------
def test_bad_partner_parameters_are_named():
    with pytest.raises(ParameterError, match="triadic_closure"):
        InnovationModel(triadic_closure=1.5)
    m = InnovationModel(seed=1)
    with pytest.raises(ParameterError, match="network_sample"):
        m.set_params(network_sample=100)
