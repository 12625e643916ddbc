"""Replicated validation of the calibrated baseline on the policy calendar: targets with CIs, out-of-sample
years, stylised facts.

Seeds come from simulate.VALIDATION_ROOT_SEED, so none of the runs was seen by the calibration.
Outputs go to ``validation/`` in the calibration's results folder (see :mod:`experiments.calibration.paths`).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from abm import InnovationModel, load_scenario
from abm.kinds import PERFORMER_NAMES
from abm.scenarios import compose
from experiments.calibration import facts
from experiments.calibration.micro import with_micro
from experiments.calibration.observed import load_observed
from experiments.calibration.paths import Targets, output_targets
from experiments.calibration.simulate import VALIDATION_ROOT_SEED, seeds
from experiments.calibration.targets import evaluate, target_table

START = 2015
#: Integrated circuits among the key components (F10, F11) and the years their trade is recorded.
CHIPS = ("high_end_chips", "memory_chips")
CHIP_YEARS = (2015, 2019, 2020, 2021)


def calibrated(where: Targets | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Parameters and schedule of the calibrated baseline (the one calibrate wrote, else the shipped one)."""
    sc = load_scenario(where.calibrated_scenario() if where else "baseline_calibrated")
    return dict(sc.params), list(sc.schedule)


def on_calendar(where: Targets | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Parameters and schedule of the calibrated baseline run on the policy calendar (issue 13, item 1).

    The validation's runs: the calibrated baseline starts in 2015 and meets the policies enacted from then
    on (the shipped ``calendar_calibrated`` composition, built from the calibration given), so the years
    after 2020 are compared with a model that met the 2020 shock and the later steps, not with 2015 settings
    held.
    """
    return compose(
        load_scenario(where.calibrated_scenario() if where else "baseline_calibrated"), load_scenario("policy_calendar")
    )


def _quarters_of(year: int) -> range:
    """Step numbers (1-based) of the quarters of a calendar year."""
    first = (year - START) * 4 + 1
    return range(first, first + 4)


def national_run(
    seed: int,
    years: int = 16,
    params: dict[str, Any] | None = None,
    network_year: int = 2020,
    network: bool = True,
    schedule: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One run at the default scale to the end of 2015 + years - 1, with what the facts need.

    Without ``params`` and ``schedule``: the shipped calibrated baseline on the policy calendar.
    """
    if params is None:
        params, schedule = on_calendar() if schedule is None else (calibrated()[0], schedule)
    m = InnovationModel(seed=seed, schedule=tuple(schedule or ()), **params)
    basic = {2020: np.zeros(len(PERFORMER_NAMES)), 2022: np.zeros(len(PERFORMER_NAMES))}
    net: dict[str, float] = {}
    chip: dict[int, np.ndarray] = {}  # year -> imports, purchases, domestic purchases (yuan, sum of quarters)
    for step in range(1, years * 4 + 1):
        m.step()
        for yr in basic:
            if step in _quarters_of(yr):
                snap = m.snapshot()
                for k, kind in enumerate(PERFORMER_NAMES):
                    rows = snap[snap["kind"] == kind]
                    basic[yr][k] += float(np.sum(rows["rd_basic"] * rows["weight"]))
        year = START + (step - 1) // 4
        if year in CHIP_YEARS:
            comp = m.components()
            chips = comp[comp["component"].isin(CHIPS)]
            imports, purchases = chips["imports"].to_numpy(), chips["purchases"].to_numpy()
            row = chip.setdefault(year, np.zeros(3))
            row += [imports.sum(), purchases.sum(), float(np.sum(chips["domestic_share"].to_numpy() * purchases))]
        if network and step == (network_year - START + 1) * 4:
            # the sampled real-actor network (issue 13: patterns at real-actor resolution)
            rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(7,)))
            edges, kinds = facts.panel_edges(m)
            net = facts.small_world(edges, kinds, rng, n_random=5)
    shares = {yr: b / b.sum() for yr, b in basic.items()}
    deals, vc = facts.closed_financings(m)
    multiples, financings = deals["multiple"].to_numpy(), deals["financings"].to_numpy()
    return {
        "yearly": with_micro(m.yearly(), m),
        "basic_by_kind": {yr: dict(zip(PERFORMER_NAMES, s.tolist(), strict=True)) for yr, s in shares.items()},
        "network": net,
        "vc": vc,
        "multiples": multiples,
        "financings": financings,
        "chips": {yr: v.tolist() for yr, v in chip.items()},
    }


def size_run(
    seed: int, scale: float = 0.02, params: dict[str, Any] | None = None, schedule: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Firm-size and growth statistics from snapshots at the end of 2019 and 2020 (scale 0.02)."""
    if params is None:
        params, schedule = on_calendar() if schedule is None else (calibrated()[0], schedule)
    m = InnovationModel(seed=seed, schedule=tuple(schedule or ()), **{**params, "scale": scale})
    m.run(years=5)
    s0 = facts.firm_rows(m.snapshot())
    m.run(years=1)
    s1 = facts.firm_rows(m.snapshot())
    pl = facts.powerlaw_mle(s1["revenue"].to_numpy(), s1["weight"].to_numpy())
    zipf = facts.hill_top(s1["revenue"].to_numpy(), s1["weight"].to_numpy(), 500.0)
    both = s0[["unique_id", "revenue", "weight"]].merge(
        s1[["unique_id", "revenue"]], on="unique_id", suffixes=("_0", "_1")
    )
    g = np.log(both["revenue_1"].to_numpy() / both["revenue_0"].to_numpy())
    gs = facts.growth_stats(g, both["revenue_0"].to_numpy(), both["weight"].to_numpy())
    return {
        "powerlaw": pl,
        "zipf_top500": zipf,
        "growth": gs,
        "growth_sample": g,
        "sizes": s1[["kind", "revenue", "weight"]],
    }


def validate(reps: int = 20, size_reps: int = 10, net_reps: int = 10, where: Targets | None = None) -> dict[str, Any]:
    """Run the validation and write its tables; returns the facts summary."""
    where = where or output_targets()
    out = where.results / "validation"
    out.mkdir(parents=True, exist_ok=True)
    params, sched = on_calendar(where)
    sd = seeds(VALIDATION_ROOT_SEED, max(reps, size_reps))
    runs = []
    for r in range(reps):
        runs.append(national_run(sd[r], params=params, network=r < net_reps, schedule=sched))
        print(f"validation run {r + 1}/{reps}", flush=True)
    yearlies = [x["yearly"] for x in runs]
    series = pd.concat([y.assign(rep=r) for r, y in enumerate(yearlies)], ignore_index=True)
    series.to_parquet(out / "series.parquet")
    ev = evaluate(yearlies, target_table("calibration"))
    ev.to_csv(out / "targets.csv", index=False)
    oos = evaluate(yearlies, _oos_table())
    oos.to_csv(out / "out_of_sample.csv", index=False)

    sizes = []
    for r in range(size_reps):
        sizes.append(size_run(sd[r], params=params, schedule=sched))
        print(f"size run {r + 1}/{size_reps}", flush=True)
    np.save(out / "growth_sample.npy", sizes[0]["growth_sample"])
    sizes[0]["sizes"].to_parquet(out / "sizes_rep0.parquet")
    np.save(out / "multiples.npy", np.concatenate([x["multiples"] for x in runs]))
    np.save(out / "financings.npy", np.concatenate([x["financings"] for x in runs]))

    res = summarise_facts(runs, sizes, series)
    (out / "facts.json").write_text(json.dumps(res, indent=1, default=float))
    counts = _init_counts(yearlies[0])
    counts.to_csv(out / "initialisation.csv", index=False)
    return res


def _oos_table() -> pd.DataFrame:
    """Validation and out-of-sample rows that map to yearly columns, with tolerances."""
    t = target_table(("validation", "out_of_sample"))
    return t


def summarise_facts(runs: list[dict[str, Any]], sizes: list[dict[str, Any]], series: pd.DataFrame) -> dict[str, Any]:
    """Replication summaries of every fact and the verdict of its pre-registered rule."""
    res: dict[str, Any] = {}
    win = series[(series["year"] >= 2015) & (series["year"] <= 2020)]
    for fid, col in (("F1", "enterprise_share"), ("F2a", "basic_share")):
        by_year = win.groupby("year")[col].mean()
        oos = series[(series["year"] > 2020) & (series["year"] <= 2023)].groupby("year")[col].mean()
        res[fid] = {
            "min": float(by_year.min()),
            "max": float(by_year.max()),
            "by_year": {int(k): float(v) for k, v in by_year.items()},
            "out_of_sample": {int(k): float(v) for k, v in oos.items()},
        }
    inst = [x["basic_by_kind"][2020]["university"] + x["basic_by_kind"][2020]["lab"] for x in runs]
    res["F2b"] = {
        **facts.mean_ci(inst),
        "university_2020": facts.mean_ci([x["basic_by_kind"][2020]["university"] for x in runs])["mean"],
        "lab_2020": facts.mean_ci([x["basic_by_kind"][2020]["lab"] for x in runs])["mean"],
        "university_2022": facts.mean_ci([x["basic_by_kind"][2022]["university"] for x in runs])["mean"],
        "lab_2022": facts.mean_ci([x["basic_by_kind"][2022]["lab"] for x in runs])["mean"],
    }
    res["F3a"] = {
        **facts.mean_ci([s["powerlaw"].get("alpha", np.nan) for s in sizes]),
        "xmin_median": float(np.median([s["powerlaw"].get("xmin", np.nan) for s in sizes])),
        "tail_real_firms_median": float(np.median([s["powerlaw"].get("n_tail", np.nan) for s in sizes])),
        "ks_median": float(np.median([s["powerlaw"].get("ks", np.nan) for s in sizes])),
    }
    res["F3b"] = facts.mean_ci([s["zipf_top500"] for s in sizes])
    k = facts.mean_ci([s["growth"]["excess_kurtosis"] for s in sizes])
    d = facts.mean_ci([s["growth"]["ll_laplace_minus_normal"] for s in sizes])
    res["F4a"] = {
        "kurtosis_mean": k["mean"],
        "kurtosis_ci": [k["ci_low"], k["ci_high"]],
        "ll_diff_mean": d["mean"],
        "ll_diff_ci": [d["ci_low"], d["ci_high"]],
        "firms_median": float(np.median([s["growth"]["n_firms"] for s in sizes])),
    }
    res["F4b"] = facts.mean_ci([s["growth"]["beta"] for s in sizes])
    res["F5a"] = {
        **facts.mean_ci([x["vc"]["below_1x"] for x in runs]),
        "writeoff_mean": facts.mean_ci([x["vc"]["writeoff"] for x in runs])["mean"],
        "stakes_per_run": facts.mean_ci([x["vc"]["n_stakes"] for x in runs])["mean"],
    }
    res["F5b"] = facts.mean_ci([x["vc"]["at_least_10x"] for x in runs])
    nets = [x["network"] for x in runs if x["network"].get("nodes", 0) > 0]
    cr, lr = facts.mean_ci([n["C_ratio"] for n in nets]), facts.mean_ci([n["L_ratio"] for n in nets])
    res["F6a"] = {
        "C_ratio_mean": cr["mean"],
        "C_ratio_ci": [cr["ci_low"], cr["ci_high"]],
        "L_ratio_mean": lr["mean"],
        "L_ratio_ci": [lr["ci_low"], lr["ci_high"]],
        "C": facts.mean_ci([n["C"] for n in nets])["mean"],
        "C_rand": facts.mean_ci([n["C_rand"] for n in nets])["mean"],
        "L": facts.mean_ci([n["L"] for n in nets])["mean"],
        "L_rand": facts.mean_ci([n["L_rand"] for n in nets])["mean"],
        "lcc_nodes": facts.mean_ci([n["lcc_nodes"] for n in nets])["mean"],
        "nodes": facts.mean_ci([n["nodes"] for n in nets])["mean"],
        "n": len(nets),
    }
    res["F6b"] = facts.mean_ci([n["top_decile_institutions"] for n in nets])
    res.update(_issue13_patterns(runs, series))
    for fid in facts.CRITERIA:
        res[fid]["pass"] = facts.judge(fid, res[fid])
    return res


def _issue13_patterns(runs: list[dict[str, Any]], series: pd.DataFrame) -> dict[str, Any]:
    """F7-F12 (docs/validation.md, "Patterns for issue 13"): statistics of the replication means."""
    obs = load_observed(("validation", "out_of_sample"))
    by_year = series.groupby("year").mean(numeric_only=True)
    res: dict[str, Any] = {}
    pers = obs[obs["indicator"] == "rd_personnel_fte"].set_index("year")["value"]
    ratio = {int(yr): float(by_year.loc[yr, "researchers_total"] / v) for yr, v in pers.items() if yr in by_year.index}
    res["F7"] = {"min": min(ratio.values()), "max": max(ratio.values()), "ratio_by_year": ratio}
    yrs = [y for y in (2022, 2023, 2024) if y in by_year.index]
    res["F8"] = {
        **facts.mean_ci(
            [float(s[s["year"].isin(yrs)]["patent_share_enterprises"].mean()) for _, s in series.groupby("rep")]
        ),
        "years": yrs,
    }
    t21, t15 = float(by_year.loc[2021, "tech_contract_turnover"]), float(by_year.loc[2015, "tech_contract_turnover"])
    res["F9"] = {
        "turnover_2021": t21,
        "turnover_2015": t15,
        "ratio_to_observed": t21 / 3.73e12,
        "growth_ratio": t21 / t15 if t15 > 0 else float("nan"),
    }
    res["F10"] = facts.mean_ci([x["chips"][2021][0] / x["chips"][2015][0] for x in runs])
    dom = [
        sum(x["chips"][y][2] for y in (2019, 2020, 2021)) / sum(x["chips"][y][1] for y in (2019, 2020, 2021))
        for x in runs
    ]
    res["F11"] = facts.mean_ci(dom)
    win = by_year.loc[(by_year.index >= 2015) & (by_year.index <= 2020)]
    births, deaths = win["sme_births"] / win["n_sme"], win["sme_deaths"] / win["n_sme"]
    res["F12"] = {
        "births_min": float(births.min()),
        "births_max": float(births.max()),
        "births_mean": float(births.mean()),
        "deaths_min": float(deaths.min()),
        "deaths_max": float(deaths.max()),
        "deaths_mean": float(deaths.mean()),
    }
    return res


def _init_counts(y: pd.DataFrame) -> pd.DataFrame:
    """Real populations in the model (2015) next to the data's counts."""
    obs = load_observed("initialisation")
    first = y.iloc[0]
    model = {
        "research_institutes": None,
        "universities": first["n_university"],
        "high_tech_enterprises": first["n_private"],
        "tech_smes": first["n_sme"],
        "state_key_labs": None,
        "guidance_funds": None,
        "doctoral_graduates": None,
    }
    from abm.fields import REAL_COUNTS
    from abm.params import PARAMS_BY_NAME

    model.update(
        {
            "research_institutes": REAL_COUNTS["institute"],
            "state_key_labs": REAL_COUNTS["state_key_lab"],
            "guidance_funds": REAL_COUNTS["guidance_fund"],
            "doctoral_graduates": PARAMS_BY_NAME["phd_output"].default,
        }
    )
    obs = obs.copy()
    obs["model_2015"] = [model.get(i) for i in obs["indicator"]]
    return obs[["indicator", "year", "value", "model_2015", "quality", "source"]]


__all__ = ["national_run", "size_run", "validate"]
