"""Technology with structure (issue 10): components, buyers' sourcing, foreign frontier firms,
capability per component, catch-up that must be earned, and people who carry knowledge.
"""

from __future__ import annotations

import numpy as np
import pytest

from abm import InnovationModel, ParameterError
from abm.components import COMPONENT_NAMES, N_COMPONENTS, OF_FIELD, WEIGHTS, K, absorption, component_index
from abm.fields import FIELD_NAMES, FIELDS, N_FIELDS
from abm.kinds import FIRMS, INSTITUTIONS, Kind
from abm.mechanisms import research, supply, talent

CHIPS = FIELD_NAMES.index("chips_ict")
QUANTUM = FIELD_NAMES.index("quantum_6g")
CHIP_COMPONENTS = ",".join(COMPONENT_NAMES[c] for c in OF_FIELD[CHIPS])


def test_components_cover_every_field_with_cost_shares() -> None:
    assert N_COMPONENTS == K * N_FIELDS >= 40
    assert np.allclose(WEIGHTS.sum(axis=1), 1.0)
    assert {"lithography", "eda", "high_end_chips", "cnc_systems", "aero_engines", "industrial_software"} <= set(
        COMPONENT_NAMES
    )
    with pytest.raises(ValueError, match=r"lithograpy.*allowed: .*lithography"):
        component_index("lithograpy")


def test_field_classes_follow_the_seeds() -> None:
    klass = {f.name: f.klass for f in FIELDS}
    assert klass["chips_ict"] == klass["advanced_manufacturing"] == klass["aerospace"] == "catch-up"
    assert klass["new_energy"] == klass["digital_ai"] == "parallel"
    assert klass["quantum_6g"] == "leading"


def test_cutoff_components_are_validated_with_a_suggestion() -> None:
    with pytest.raises(ParameterError, match=r"cutoff_components.*unknown component 'lithografy'.*lithography"):
        InnovationModel(cutoff_components="lithografy")
    m = InnovationModel(cutoff_components=" eda, lithography ,eda", cutoff_start_year=2015)
    assert m.params["cutoff_components"] == "eda,lithography"
    m.step()
    assert m.comp.cut[component_index("eda")] and m.comp.cut[component_index("lithography")]
    assert m.comp.cut.sum() == 2


def test_absorption_peaks_at_a_moderate_distance() -> None:
    gaps = np.array([0.0, 0.05, 0.2, 0.35, 0.6, 1.0])
    a = absorption(gaps, 0.35)
    assert a[0] == 0.0 and np.argmax(a) == 3  # nothing to learn at 0; best at the scale; little far behind
    assert a[4] < a[3] and a[5] < a[4]
    assert absorption(np.array([-0.2]), 0.35)[0] == 0.0  # never learn from someone who knows less


def _no_domestic_rd(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every domestic performer's R&D budget is zero (firms and institutions)."""

    def zero_budgets(m, firms):
        m.s.rd_budget[firms] = 0.0
        return np.zeros(firms.size)

    monkeypatch.setattr(research, "_firm_budgets", zero_budgets)


def test_without_domestic_rd_every_field_falls_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    """Catch-up is earned: with all domestic R&D at zero, every field's gap to the frontier widens."""
    _no_domestic_rd(monkeypatch)
    m = InnovationModel(seed=3, institution_spend_rate=0.0)
    start = m.world.capability.copy()
    m.run(years=20)
    y = m.yearly()
    rd = y["rd_total"].iloc[-1]
    assert rd == 0.0
    end = m.world.capability
    assert np.all(end < start - 0.1), (start.round(3), end.round(3))
    assert np.all(m.world.frontier > 1.2)  # the world moved on


def test_capability_is_measured_where_used_and_science_apart() -> None:
    m = InnovationModel(seed=2)
    m.run(years=2)
    s = m.s
    firms = s.of_group(FIRMS)
    f = s.field[firms]
    sel = f == CHIPS
    cidx = OF_FIELD[CHIPS]
    prev = m.comp.quality[cidx].copy()
    # suppliers weighted by what they can make and their capability relative to domestic supply
    wt = (s.weight[firms] * s.size[firms] * s.output[firms])[sel, None] * np.exp(
        m.params["market_share_sensitivity"] * np.clip(s.know_c[firms[sel]] - prev, -1.0, 1.0)
    )
    q = np.sum(wt * s.know_c[firms[sel]], axis=0) / np.sum(wt, axis=0)
    supply.measure(m)
    assert np.allclose(m.comp.quality[cidx], q)
    assert m.world.capability[CHIPS] == pytest.approx(float(np.sum(WEIGHTS[CHIPS] * q)))
    # universities and labs do not count in production capability, and are reported apart
    inst = s.of_group(INSTITUTIONS)
    s.know_c[inst] = 1.0
    supply.measure(m)
    assert m.world.capability[CHIPS] == pytest.approx(float(np.sum(WEIGHTS[CHIPS] * q)))
    assert np.allclose(m.world.science_capability, 1.0)
    # dependence is the import share of components, not a function of capability
    dep = np.sum(WEIGHTS * (1.0 - m.comp.domestic_share[OF_FIELD]), axis=1)
    assert np.allclose(m.world.dependence, dep)


def test_chip_cutoff_lowers_chip_output_first_and_only_chips() -> None:
    base = InnovationModel(seed=5).run(years=4).yearly()
    cut = InnovationModel(seed=5, cutoff_components=CHIP_COMPONENTS, cutoff_start_year=2016).run(years=4).yearly()
    first = cut["year"] >= 2016
    assert (cut.loc[first, "output_chips_ict"] < base.loc[first, "output_chips_ict"] - 0.05).all()
    assert (base["output_chips_ict"] > 0.999).all()
    for name in FIELD_NAMES:
        if name != "chips_ict":
            assert (cut[f"output_{name}"] > 0.999).all(), name


def _chip_private_intensity(m: InnovationModel) -> float:
    s = m.s
    priv = s.of_kind(Kind.PRIVATE)
    sel = priv[s.field[priv] == CHIPS]
    return float(np.sum(s.weight[sel] * s.rd_budget[sel]) / np.sum(s.weight[sel] * s.revenue[sel]))


def test_a_cutoff_raises_rd_only_through_expected_returns() -> None:
    """Chip firms' R&D intensity rises under a chip cut-off because owners expect more from R&D: mainly
    the unserved component market a substitute would win (substitution_rd_response), a little the
    larger distance to the frontier of firms cut off from imported know-how. Without the market the
    rise is small; with returns that saturate at once (tiny half intensity) nothing else moves R&D.
    """
    kw = dict(seed=5, cutoff_components=CHIP_COMPONENTS, cutoff_start_year=2015)
    base = _chip_private_intensity(InnovationModel(seed=5).run(years=1))
    cut = _chip_private_intensity(InnovationModel(**kw).run(years=1))
    flat = _chip_private_intensity(InnovationModel(**kw, substitution_rd_response=0.0).run(years=1))
    assert cut > 1.2 * base
    assert flat - base < 0.35 * (cut - base)
    # the owners' own choice (abm.firms.owner_rd_intensity), without the grants and subsidies that budgets
    # also carry (they answer calls and subsidy rules, not owners' expectations: with them the budgets
    # differ by 2.9% at this seed after issue 12's service market, the owners' choice by 0.9%)
    tiny = dict(rd_return_half_intensity=0.001)
    base_t = _chip_owner_choice(InnovationModel(seed=5, **tiny).run(years=1))
    cut_t = _chip_owner_choice(InnovationModel(**kw, **tiny, substitution_rd_response=0.0).run(years=1))
    assert cut_t == pytest.approx(base_t, rel=0.02)


def _chip_owner_choice(m: InnovationModel) -> float:
    """Revenue-weighted R&D intensity chip private firms' owners choose (the rule, before public money)."""
    from abm.firms import owner_rd_intensity

    s = m.s
    priv = s.of_kind(Kind.PRIVATE)
    sel = priv[s.field[priv] == CHIPS]
    w = s.weight[sel] * s.revenue[sel]
    return float(np.sum(w * owner_rd_intensity(m, sel)) / np.sum(w))


def test_buyers_switch_to_domestic_only_when_it_is_good_enough() -> None:
    m = InnovationModel(seed=4, cutoff_components=CHIP_COMPONENTS, cutoff_start_year=2015)
    s = m.s
    for _ in range(12):
        firms = s.of_group(FIRMS)
        uid = s.uid[firms].copy()
        before = s.dom_use[firms].copy()
        good_enough = supply._acceptance(m)[OF_FIELD[s.field[firms]]]  # share of buyers it satisfies
        m.step()
        same = s.alive[firms] & (s.uid[firms] == uid)  # the same firm (slots are reused)
        after = s.dom_use[firms]
        rose = after > before + 1e-12
        assert not np.any(rose[same] & (after[same] > good_enough[same] + 1e-12))
    # and domestic supply of a cut chip component rises only if its capability crossed some buyer's bar
    c = m.comp
    for j in OF_FIELD[CHIPS]:
        if c.domestic_share[j] > c.domestic_share0[j] + 0.01:
            assert c.quality[j] > c.quality0[j]


def test_lowering_the_bar_first_set_support_raises_domestic_use() -> None:
    base = InnovationModel(seed=6).run(years=6)
    fs = InnovationModel(seed=6, first_set_support=0.3).run(years=6)
    assert fs.yearly()["first_set_support"].sum() > 0
    assert np.mean(fs.comp.domestic_share) > np.mean(base.comp.domestic_share) + 0.02
    assert fs.yearly()["controlled_components"].iloc[-1] <= base.yearly()["controlled_components"].iloc[-1]


def test_a_breakthrough_moves_the_frontier_only_from_close_behind() -> None:
    m = InnovationModel(seed=1)
    s = m.s
    firms = s.of_group(FIRMS)
    near = firms[s.field[firms] == QUANTUM][0]
    far = firms[s.field[firms] == CHIPS][0]
    before = m.comp.frontier.copy()
    s.know_c[near, 0] = 1.05  # a domestic lead in a leading field's component
    s.know_c[far, 0] = 0.9  # a big jump in a catch-up field, still behind
    supply.renormalise(m)
    moved = m.comp.frontier / before
    assert moved[OF_FIELD[QUANTUM, 0]] == pytest.approx(1.05)
    assert s.know_c[near, 0] == pytest.approx(1.0)
    assert np.allclose(np.delete(moved, OF_FIELD[QUANTUM, 0]), 1.0)


def test_domestic_breakthroughs_move_the_leading_fields_frontier_never_a_catch_up_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Who holds the best capability when a frontier moves (default parameters, 6 years, three seeds):
    domestic performers (their innovations and breakthroughs) do in the leading field (quantum & 6G,
    where they start close to it) in every seed, never in chips, and in the catch-up fields together
    less often than in the leading field alone (only a strong lab can get that close there).
    """
    from abm.kinds import KNOWERS

    movers: list[tuple[int, int]] = []  # (field, kind of the actor who passed the frontier)
    original = supply.renormalise

    def spy(m):
        s = m.s
        kn = s.of_group(KNOWERS)
        over = np.flatnonzero(np.max(s.know_c[kn], axis=1) > 1.0)
        movers.extend((int(s.field[kn[i]]), int(s.kind[kn[i]])) for i in over)
        original(m)

    monkeypatch.setattr(research, "renormalise", spy)
    catch_up = {i for i, f in enumerate(FIELDS) if f.klass == "catch-up"}
    leading_moves = catch_up_moves = 0
    for seed in (8, 9, 10):
        movers.clear()
        InnovationModel(seed=seed).run(years=6)
        domestic = [(f, k) for f, k in movers if k != Kind.FOREIGN]
        assert any(f == QUANTUM for f, _ in domestic), seed
        assert not any(f == CHIPS for f, _ in domestic), (seed, domestic)
        assert any(f == CHIPS and k == Kind.FOREIGN for f, k in movers)  # chips' frontier is moved abroad
        leading_moves += sum(f == QUANTUM for f, _ in domestic)
        catch_up_moves += sum(f in catch_up for f, _ in domestic)
    assert leading_moves > catch_up_moves


def test_a_researcher_who_moves_carries_expertise() -> None:
    m = InnovationModel(seed=2)
    s = m.s
    firms = s.of_group(FIRMS)
    chips = firms[(s.field[firms] == CHIPS) & (s.researchers[firms] > 1.0)]
    k = s.know[chips]
    src, dst = chips[np.argmax(k)], chips[np.argmin(k)]
    ks, kd = s.know_c[src].copy(), s.know_c[dst].copy()
    amount = 0.2 * s.weight[dst] * s.researchers[dst]
    talent._carry(m, np.array([src]), np.array([dst]), np.array([amount]))
    better = ks > kd
    assert np.all(s.know_c[dst][better] > kd[better])
    assert np.all(s.know_c[dst][~better] == kd[~better])
    assert np.all(s.know_c[src] < ks)
    assert s.know[dst] > kd @ WEIGHTS[CHIPS] and s.know[src] < ks @ WEIGHTS[CHIPS]


def test_returnees_bring_expertise_into_the_pool() -> None:
    lo = InnovationModel(seed=3, returnee_expertise=0.2).run(years=3)
    hi = InnovationModel(seed=3, returnee_expertise=1.0).run(years=3)
    assert np.all(hi.comp.pool_know > lo.comp.pool_know)


def test_foreign_firms_are_agents_outside_national_totals() -> None:
    m = InnovationModel(seed=1)
    fo = m.actors("foreign")
    assert len(fo) == supply.FOREIGN_PER_FIELD * N_FIELDS
    m.run(years=2)
    y = m.yearly().iloc[-1]
    assert y["foreign_rd"] > 0 and y["foreign_innovations"] > 0
    perf = sum(y[f"rd_{k.label}"] for k in (Kind.SOE, Kind.PRIVATE, Kind.SME, Kind.UNIVERSITY, Kind.LAB))
    assert y["rd_total"] == pytest.approx(perf)


def test_a_cutoff_costs_foreign_firms_sales_and_slows_the_frontier() -> None:
    base = InnovationModel(seed=9).run(years=10)
    cut = InnovationModel(seed=9, cutoff_fields="chips_ict", cutoff_start_year=2016, cutoff_severity=1.0).run(years=10)
    assert cut.yearly()["foreign_rd"].iloc[-1] < base.yearly()["foreign_rd"].iloc[-1]
    assert cut.world.frontier[CHIPS] < base.world.frontier[CHIPS]


def test_recombining_mastered_components_makes_breakthroughs_radical() -> None:
    """Exact on a hand-made case: a breakthrough also lifts the other components mastered to 80% of
    the frontier; the national digital & AI capability counts as one more strength outside its field.
    """
    m = InnovationModel(seed=1, recombination_gain=1.0, breakthrough_size=0.03)
    m.world.capability[research.DIGITAL] = 0.5  # digital & AI below the level: no partner
    know = np.array(
        [
            [0.70, 0.90, 0.85, 0.50, 0.20],  # two mastered components besides the focus (0)
            [0.60, 0.50, 0.40, 0.30, 0.20],  # nothing to recombine
            [0.60, 0.50, 0.40, 0.30, 0.20],  # nothing either, and no breakthrough
        ]
    )
    field = np.array([CHIPS, CHIPS, CHIPS])
    focus = np.zeros(3, dtype=np.int64)
    jump = np.array([0.03, 0.03, 0.0])
    k = know.copy()
    radical = research.recombine(m, k, field, focus, jump, np.array([1.0, 1.0, 0.0]))
    assert radical == 1.0
    bonus = 0.03 * 1.0 * 2 / 3  # n = 2 strengths -> n / (n + 1)
    assert k[0, 1] == pytest.approx(0.90 + bonus / 2) and k[0, 2] == pytest.approx(0.85 + bonus / 2)
    assert np.array_equal(k[0, [0, 3, 4]], know[0, [0, 3, 4]]) and np.array_equal(k[1:], know[1:])
    # digital & AI at the level: a partner for the second performer (outside digital & AI), on its focus
    m.world.capability[research.DIGITAL] = 0.9
    k = know.copy()
    assert research.recombine(m, k, field, focus, jump, np.array([1.0, 1.0, 0.0])) == 2.0
    assert k[1, 0] == pytest.approx(0.60 + 0.03 * 0.5)
    assert k[0, 0] == pytest.approx(0.70 + 0.03 * 0.75 / 3)  # the digital third of n = 3
    # no gain, no radical breakthrough
    m.params["recombination_gain"] = 0.0
    k = know.copy()
    assert research.recombine(m, k, field, focus, jump, np.ones(3)) == 0.0 and np.array_equal(k, know)
    y = InnovationModel(seed=11).run(years=3).yearly()
    assert 0 < y["radical_breakthroughs"].sum() < y["breakthroughs"].sum()


def test_foreign_firms_license_technology_unless_cut_off() -> None:
    y = InnovationModel(seed=2).run(years=2).yearly()
    assert (y["licences_from_abroad"] > 0).all() and (y["technology_imports"] > 0).all()
    every = ",".join(FIELD_NAMES)
    cut = InnovationModel(seed=2, cutoff_fields=every, cutoff_start_year=2015).run(years=2).yearly()
    assert (cut["licences_from_abroad"] == 0).all() and (cut["technology_imports"] == 0).all()
    assert (cut["licences"] > 0).all()  # domestic technology trade goes on
