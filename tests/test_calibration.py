"""Calibration and validation (experiments/calibration): data provenance, estimators, and a
regression test that the calibrated baseline still hits its core targets."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from abm import load_scenario
from abm.params import PARAMS_BY_NAME
from experiments.calibration import facts
from experiments.calibration import targets as targets_mod
from experiments.calibration.observed import SOURCED_HERE, load_observed, observed_value
from experiments.calibration.paths import output_targets
from experiments.calibration.simulate import CALIBRATION_ROOT_SEED, replicate, seeds
from experiments.calibration.targets import (
    FREE,
    TARGETS,
    check_free,
    evaluate,
    fixed_inputs,
    objective,
    params_from_unit,
    policy_inputs,
    target_table,
    unit_from_params,
)

CALIBRATED = "baseline_calibrated"
SHARED_FACTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "china_nis_facts.csv"  # beside the checkout


def test_observed_rows_have_sources_and_calibration_stops_in_2020():
    df = load_observed()
    assert df[["indicator", "year", "value", "unit", "source"]].notna().all().all()
    cal = df[df["use"] == "calibration"]
    assert cal["year"].max() <= 2020
    assert set(cal["indicator"]) <= set(TARGETS)


@pytest.mark.skipif(not SHARED_FACTS.exists(), reason="shared data not present")
def test_observed_rows_trace_back_to_the_shared_data():
    shared = pd.read_csv(SHARED_FACTS)
    keys = set(shared["indicator"] + "|" + shared["year"].astype(str))
    df = load_observed()
    for row in df.itertuples():
        if row.from_row == SOURCED_HERE:  # published figures sourced for this file, not seed figures
            assert row.quality != "SEED" and isinstance(row.url_or_ref, str), row
        elif row.from_row.startswith("("):  # seed figures, labelled SEED
            assert row.quality == "SEED"
        else:
            assert row.from_row in keys, row.from_row


def test_observed_shares_are_fractions_and_issue_10_observables_are_there():
    df = load_observed()
    shares = df[df["unit"].str.startswith("share")]
    assert ((shares["value"] >= 0) & (shares["value"] <= 1)).all()
    val = load_observed("validation")
    assert set(val.loc[val["indicator"] == "ic_imports", "year"]) == set(range(2015, 2024))
    for indicator in ("ic_share_made_in_china", "ic_share_made_by_chinese_firms", "nev_world_sales_share"):
        assert (val["indicator"] == indicator).sum() >= 3, indicator
    counts = dict(zip(val["indicator"], val["value"], strict=False))
    assert counts["choke_point_technologies"] == 35
    assert counts["controlled_technologies_digital"] == 300


def test_free_ranges_inside_parameter_table_and_no_policy_lever_is_free():
    check_free()
    policy = policy_inputs()
    # the table's levers and the government's allocation choices the issue names are policy inputs
    for name in ("research_budget_gdp", "stable_lab_share", "project_firm_share", "stable_share", "ip_protection"):
        assert name in policy
    assert all(p.name in policy for p in PARAMS_BY_NAME.values() if p.lever)
    assert not {f.name for f in FREE} & policy
    assert 8 <= len(FREE) <= 14
    # check_free rejects a policy input made free
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(targets_mod, "FREE", (*FREE, targets_mod.Free("stable_lab_share", 0.5, 0.9)))
        with pytest.raises(ValueError, match="stable_lab_share is a policy input"):
            targets_mod.check_free()


def test_fixed_policy_input_comes_from_the_observed_rows():
    value, why = fixed_inputs()["research_budget_gdp"]
    gov, intensity = observed_value("gov_financed_share", 2015), observed_value("rd_intensity", 2015)
    assert value == pytest.approx(gov * intensity - PARAMS_BY_NAME["firm_subsidy_gdp"].default, abs=1e-6)
    assert "gov_financed_share" in why


def _recorded(prefix: str) -> str:
    """The text after a '# prefix' comment line the calibration wrote into the shipped scenario."""
    path = load_scenario(CALIBRATED).path
    return next(ln for ln in path.read_text().splitlines() if ln.startswith(prefix)).split(": ", 1)[1]


def test_calibrated_scenario_records_provenance_and_stays_in_range():
    sc = load_scenario(CALIBRATED)
    text = " ".join(sc.sources) + sc.description
    for word in ("objective J", "seed", "date", "commit", "china_observed.csv"):
        assert word in text
    # the free parameters the shipped scenario was fitted with (the calibration of issue 13 rewrites it)
    for item in _recorded("# free parameters and search ranges").split("], "):
        name, rng = item.split(" [")
        low, high = (float(x) for x in rng.rstrip("]").split(", "))
        assert low <= sc.params[name] <= high


def _recorded_hits() -> set[tuple[str, int]]:
    """Targets the calibration hit, from the '# hit' comment the calibration wrote into the scenario."""
    path = load_scenario(CALIBRATED).path
    line = next(ln for ln in path.read_text().splitlines() if ln.startswith("# hit (|z| <= 1): "))
    items = line.split(": ", 1)[1].split(", ")
    return {(i.split(":")[0], int(i.split(":")[1])) for i in items}


def _fit_inputs(params: dict) -> tuple[dict, tuple]:
    """Parameters and schedule each evaluation of the shipped fit ran on: its calendar's dated inputs when it
    was fitted on one (the '# policy inputs of each evaluation' line), else the 2015 settings held.
    """
    from experiments.calibration.calibrate import Config, evaluation_inputs

    inputs = _recorded("# policy inputs of each evaluation")
    return evaluation_inputs(dict(params), Config(calendar="" if inputs.startswith("2015 settings held") else inputs))


def test_fit_inputs_follow_the_recorded_calendar():
    params, schedule = _fit_inputs(load_scenario(CALIBRATED).params)
    inputs = _recorded("# policy inputs of each evaluation")
    if inputs.startswith("2015 settings held"):
        assert schedule == ()
    else:
        calendar = load_scenario(inputs)
        assert list(schedule) == list(calendar.schedule) and schedule
        assert all(params[k] == v for k, v in load_scenario(CALIBRATED).params.items())


#: Targets the shipped fit (issue 13's calibration on the policy calendar with the licence decision, 5,119
#: evaluations, re-fitted after the partner-memory fix with 1,342 more and after the technical-services fix
#: with 1,122 more) hit within 1 tolerance: 28 of 35.
HITS_AT_LEAST = 28
#: With 4 of the fit's 6 seeds J is a noisier estimate than the recorded one (0.64, where 0.1 is about one
#: target moving half a tolerance), so it may reach 1.5 x its record.
J_TOLERANCE = 1.5


def test_calibrated_baseline_still_hits_its_targets():
    """Every target hit at calibration stays within 1.5 tolerances, and J stays near its record.

    4 of the 6 calibration seeds (a reduced replication count for CI), hence 1.5 tolerances instead of 1
    and J within J_TOLERANCE x its record. The scenario's header says what it was fitted to and which targets it hit.
    """
    sc = load_scenario(CALIBRATED)
    recorded_J = float(sc.sources[1].split("=")[1])
    fitted = set(_recorded("# targets").split(", "))
    table = target_table("calibration")
    assert set(table["indicator"]) == fitted  # the shipped fit is the fit of today's target table
    params, schedule = _fit_inputs(sc.params)
    ev = evaluate(replicate(params, seeds(CALIBRATION_ROOT_SEED, 4), 6, schedule), table)
    hits = _recorded_hits()
    assert len(hits) >= HITS_AT_LEAST
    core = ev[[(i, y) in hits for i, y in zip(ev["indicator"], ev["year"], strict=True)]]
    assert (core["z"].abs() <= 1.5).all(), core.loc[
        core["z"].abs() > 1.5, ["indicator", "year", "value", "sim_mean", "z"]
    ]
    assert objective(ev) <= J_TOLERANCE * recorded_J


def test_powerlaw_mle_recovers_exponent():
    rng = np.random.default_rng(1)
    x = (1.0 - rng.random(20000)) ** (-1.0 / 1.5)  # Pareto with density exponent 2.5, x_min 1
    fit = facts.powerlaw_mle(x, np.full(x.size, 3.0))
    assert abs(fit["alpha"] - 2.5) < 0.1
    assert abs(facts.hill_top(x, np.ones_like(x), 500.0) - 1.5) < 0.2


def test_growth_stats_tell_laplace_from_normal():
    rng = np.random.default_rng(2)
    size = np.exp(rng.normal(0, 2, 20000))
    w = np.ones_like(size)
    lap = facts.growth_stats(rng.laplace(0, 0.2 * size**-0.2), size, w)
    nor = facts.growth_stats(rng.normal(0, 0.2, 20000), size, w)
    assert lap["excess_kurtosis"] > 1 and lap["ll_laplace_minus_normal"] > 0 and lap["beta"] > 0.1
    assert abs(nor["excess_kurtosis"]) < 0.3 and nor["ll_laplace_minus_normal"] < 0 and abs(nor["beta"]) < 0.05


def test_small_world_statistic_is_seeded_and_detects_a_lattice_with_shortcuts():
    import networkx as nx

    g = nx.watts_strogatz_graph(400, 8, 0.2, seed=3)
    edges = np.array(list(g.edges())).T
    kinds = dict.fromkeys(range(400), "university")
    a = facts.small_world(edges, kinds, np.random.default_rng(5), n_random=3)
    b = facts.small_world(edges, kinds, np.random.default_rng(5), n_random=3)
    assert a == b
    assert a["C_ratio"] > 1.5 and a["L_ratio"] < 1.5 and a["top_decile_institutions"] == 1.0


def test_judge_applies_the_written_rules():
    assert facts.judge("F1", {"min": 0.765, "max": 0.775})
    assert not facts.judge("F1", {"min": 0.75, "max": 0.775})
    assert facts.judge("F5b", {"mean": 0.04}) and not facts.judge("F5b", {"mean": 0.2})


def test_judge_applies_the_issue_13_pattern_rules():
    """F7-F12 follow the rules written in docs/validation.md before they were computed."""
    assert facts.judge("F7", {"min": 0.9, "max": 1.1}) and not facts.judge("F7", {"min": 0.81, "max": 1.0})
    assert facts.judge("F8", {"mean": 0.7}) and not facts.judge("F8", {"mean": 0.6})
    assert facts.judge("F9", {"ratio_to_observed": 0.9, "growth_ratio": 3.0})
    assert not facts.judge("F9", {"ratio_to_observed": 0.9, "growth_ratio": 2.0})  # level right, growth short
    assert not facts.judge("F9", {"ratio_to_observed": 0.6, "growth_ratio": 3.0})
    assert facts.judge("F10", {"mean": 1.87}) and not facts.judge("F10", {"mean": 1.2})
    assert facts.judge("F11", {"mean": 0.1}) and not facts.judge("F11", {"mean": 0.3})
    ok = dict(births_min=0.08, births_max=0.2, births_mean=0.12, deaths_min=0.04, deaths_max=0.1, deaths_mean=0.07)
    assert facts.judge("F12", ok)
    assert not facts.judge("F12", {**ok, "deaths_min": 0.02})  # a year below the death band
    assert not facts.judge("F12", {**ok, "deaths_mean": 0.13})  # exits outpace entries
    assert set(facts.TARGET_FACTS) <= set(facts.CRITERIA) and len(facts.CRITERIA) - len(facts.TARGET_FACTS) >= 12


def test_validation_run_measures_real_actor_network_and_chip_trade():
    """The validation run reads the sampled real-actor network (members, not agents) and the chips' trade."""
    from abm import InnovationModel
    from experiments.calibration import validate

    m = InnovationModel(seed=3).run(years=2)
    edges, kinds = facts.panel_edges(m)
    ties = m.partnerships()
    assert edges.shape == (2, len(ties)) and set(kinds) == set(edges.ravel())
    assert set(kinds.values()) <= {"soe", "private", "sme", "university", "lab"}
    assert m.network_stats().iloc[0]["edges"] == len(ties)
    run = validate.national_run(3, years=8, params={}, network_year=2020)
    assert run["network"]["nodes"] > 100
    for yr in validate.CHIP_YEARS:
        imports, purchases, domestic = run["chips"][yr]
        assert 0 < imports <= purchases and 0 <= domestic <= purchases


def test_projection_runs_every_scenario_on_the_calibrated_calendar(tmp_path):
    """Issue 13, item 1: the projection's reference is the calibrated baseline on the policy calendar;
    policy scenarios are laid on it and take over only the levers they set (no model runs here)."""
    from experiments.calibration.project import REFERENCE, combined_scenarios

    paths = combined_scenarios(tmp_path, CALIBRATED)
    assert paths[0].stem == REFERENCE == "calendar_calibrated"
    got = {p.stem: load_scenario(p) for p in paths}
    assert "policy_calendar" not in got
    cal, calendar = load_scenario(CALIBRATED), load_scenario("policy_calendar")
    ref = got[REFERENCE]
    assert ref.params == {**cal.params, **calendar.params}
    assert ref.schedule == load_scenario("calendar_calibrated").schedule
    assert not got["baseline_calibrated"].schedule  # the 2015 settings held, for comparison
    steps = lambda sc, name: [(i["year"], i["value"]) for i in sc.schedule if i["param"] == name]  # noqa: E731
    assert steps(got["funding_reform"], "stable_share") == [(2021, 0.5)]  # the reform, not the calendar's 2024 step
    assert steps(got["funding_reform"], "rd_super_deduction") == steps(ref, "rd_super_deduction")
    assert steps(got["vc_expansion"], "guidance_fund_budget") == [(2016, 5.5e10), (2020, 4.0e9), (2021, 1.5e11)]


# ------------------------------------------------------------------ issue 13, item 2: the calibration itself
def test_micro_moments_are_the_ledger_flows_and_the_yearly_indicators():
    """Micro moments on a tiny run: exact relations to the model's ledger and yearly table."""
    from abm import InnovationModel
    from experiments.calibration.micro import INCOME_KINDS, INCOME_SOURCES, with_micro

    m = InnovationModel(seed=2, scale=0.001)
    m.run(years=2)
    y = with_micro(m.yearly(), m).set_index("year")
    led = m.ledger("money")
    led = led.assign(year=m.start_year + (led["step"] - 1) // 4)
    lic = led[led["kind"] == "technology_contract"]
    # all domestic licence money in the ledger is the licence part of tech_contracts (services apart)
    np.testing.assert_allclose(lic.groupby("year")["amount"].sum(), y["tech_contracts"] - y["tech_services"], rtol=1e-9)
    inst = lic[lic["target"].isin(INCOME_KINDS)].groupby("year")["amount"].sum()
    np.testing.assert_allclose(y["inst_licence_income"], inst, rtol=1e-12)
    assert (y["inst_licence_income"] > 0).all()
    # the stable-funding income of universities and labs is the yearly gov_stable indicator
    got = 0.0
    for k in INCOME_KINDS:
        into = led[led["target"] == k].groupby("year")["amount"].sum()
        stable = y[f"income_{k}_stable_funding"] * into
        got = got + stable
        shares = y[[f"income_{k}_{src}" for src in INCOME_SOURCES] + [f"income_{k}_other"]]
        np.testing.assert_allclose(shares.sum(axis=1), 1.0, rtol=1e-12)
        assert (shares >= -1e-12).all().all()
    np.testing.assert_allclose(got, y["gov_stable"], rtol=1e-9)
    expect = 1 - (inst + y["tech_services_from_institutions"] + y["contract_research"]) / y["tech_contract_turnover"]
    np.testing.assert_allclose(y["enterprise_tech_output_share"], expect, rtol=1e-12)


def test_a_lower_bound_target_counts_only_a_shortfall():
    table = target_table("calibration")
    table = table[table["indicator"] == "enterprise_tech_output_share"].reset_index(drop=True)
    assert len(table) == 1 and TARGETS["enterprise_tech_output_share"].side == "at_least"
    year, obs, tol = int(table["year"][0]), float(table["value"][0]), float(table["tol_abs"][0])
    above = evaluate([pd.DataFrame({"year": [year], "enterprise_tech_output_share": [obs + 3 * tol]})] * 2, table)
    below = evaluate([pd.DataFrame({"year": [year], "enterprise_tech_output_share": [obs - 3 * tol]})] * 2, table)
    assert above["z"][0] == 0.0 and bool(above["hit"][0])
    assert below["z"][0] == pytest.approx(-3.0)


def test_default_calibration_makes_at_least_5000_evaluations_on_both_cores():
    from experiments.calibration.calibrate import Config, budget

    cfg = Config()
    assert budget(cfg) >= 5000
    assert cfg.workers >= 2 and cfg.reps >= 2 and cfg.years >= 6  # 2015-2020: every fitted year simulated
    assert budget(Config(popsize=1, maxiter=0, polish_maxfev=0)) == len(FREE)


def test_serial_and_parallel_evaluations_agree(tmp_path):
    """The same points through DE's map, serially and on 2 processes: the same objectives, in order."""
    from experiments.calibration.calibrate import Config, Evaluator

    pts = [np.full(len(FREE), 0.3), np.full(len(FREE), 0.6)]
    serial = Evaluator(Config(reps=2, workers=1), tmp_path / "s")
    (tmp_path / "s").mkdir()
    (tmp_path / "p").mkdir()
    parallel = Evaluator(Config(reps=2, workers=2), tmp_path / "p")
    try:
        a = serial.map(serial, pts)
        b = parallel.map(parallel, pts)
    finally:
        parallel.close()
    assert a == b and a[0] != a[1]
    assert all(np.isfinite(a))
    # the cache replays them without running the model again
    again = Evaluator(Config(reps=2, workers=1), tmp_path / "s")
    assert again.map(again, pts) == a and again.new == 0


def test_profile_rule_tells_an_identified_parameter_from_one_the_objective_ignores():
    from experiments.calibration.identify import judge_all, judge_profile, profile_point

    u0 = np.array([0.3, 0.5, 0.0])
    names = ["matters", "ignored", "at_bound"]

    def s_of(batch):  # synthetic S: depends on the first and third coordinates only
        return [40.0 * (u[0] - 0.3) ** 2 + 0.01 * u[1] + 10.0 * u[2] for u in batch]

    prof = profile_point(s_of, u0, names, points=9)
    verdict = judge_all(prof, u0, names).set_index("parameter")
    assert bool(verdict.loc["matters", "identified"]) and not bool(verdict.loc["matters", "at_bound"])
    assert not bool(verdict.loc["ignored", "identified"])
    assert bool(verdict.loc["at_bound", "identified"]) and bool(verdict.loc["at_bound", "at_bound"])
    # flat on one side only: not identified
    flat_side = judge_profile([0.0, 0.5, 1.0], [5.0, 0.0, 0.2], 0.5)
    assert flat_side["rise_low"] == 5.0 and not flat_side["identified"]


def test_cli_rejects_bad_arguments_naming_field_value_and_allowed(capsys):
    from experiments.calibration.cli import main

    with pytest.raises(SystemExit):
        main(["noise", "--reps", "1"])
    err = capsys.readouterr().err
    assert "--reps" in err and "'1'" in err and "allowed: an integer >= 2" in err
    assert main(["noise", "--set", "transfer_rate=7", "--out", "/nonexistent-never-written"]) == 2
    err = capsys.readouterr().err
    assert "transfer_rate" in err and "'7'" in err and "allowed" in err


def test_a_fit_can_start_from_an_earlier_fits_point_and_a_bad_start_is_refused(tmp_path, monkeypatch, capsys):
    import scipy.optimize

    from experiments.calibration import calibrate as cal
    from experiments.calibration.cli import main

    earlier = load_scenario("baseline_calibrated").params
    rec = tmp_path / "calibration.json"
    rec.write_text(json.dumps({"params": {f.name: earlier[f.name] for f in FREE}}))
    assert cal.start_point(str(rec)) == {f.name: pytest.approx(earlier[f.name]) for f in FREE}

    seen = {}

    class StopError(Exception):
        pass

    def fake_de(func, bounds, **kw):  # records the initial population's fixed point, then stops the fit
        seen["x0"] = kw["x0"]
        raise StopError

    monkeypatch.setattr(cal.Evaluator, "__call__", lambda self, u: 1.0)
    monkeypatch.setattr(scipy.optimize, "differential_evolution", fake_de)
    with pytest.raises(StopError):
        cal.calibrate(cal.Config(reps=1, workers=1, start=str(rec)), output_targets(tmp_path / "out"), write=False)
    assert params_from_unit(seen["x0"]) == {f.name: pytest.approx(earlier[f.name], rel=1e-9) for f in FREE}

    f0 = FREE[0]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"params": {**{f.name: earlier[f.name] for f in FREE}, f0.name: f0.high * 10}}))
    assert main(["calibrate", "--start", str(bad), "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert f"params.{f0.name}" in err and repr(f0.high * 10) in err and "allowed: a number in" in err
    assert main(["calibrate", "--start", str(tmp_path / "none.json"), "--out", str(tmp_path / "x")]) == 2
    assert "not found" in capsys.readouterr().err
    assert not (tmp_path / "x" / "evals.jsonl").exists()  # refused before any evaluation


def test_a_generation_cut_short_keeps_the_evaluations_already_made(tmp_path, monkeypatch):
    """Each evaluation reaches the cache file as it finishes: a calibration killed in the middle of a
    generation resumes with what it had computed."""
    from experiments.calibration import calibrate as cal

    calls = []

    def fake(params, cfg):
        calls.append(params)
        if len(calls) == 3:
            raise KeyboardInterrupt  # a kill while the third point runs
        return float(len(calls)), 0.01

    monkeypatch.setattr(cal, "timed_objective", fake)
    ev = cal.Evaluator(cal.Config(reps=1, workers=1), tmp_path)
    pts = [np.full(len(FREE), x) for x in (0.1, 0.2, 0.3, 0.4)]
    with pytest.raises(KeyboardInterrupt):
        ev.map(ev, pts)
    again = cal.Evaluator(cal.Config(reps=1, workers=1), tmp_path)
    assert len(again.cache) == 2 and sorted(r["J"] for r in again.cache.values()) == [1.0, 2.0]


def test_cached_evaluations_of_other_settings_are_refused_naming_the_field(tmp_path, monkeypatch):
    """The cache is keyed by the point only: a cache made with other replications (or another model, calendar,
    target table ...) must not be replayed as if it were this calibration's."""
    from experiments.calibration import calibrate as cal

    monkeypatch.setattr(cal, "timed_objective", lambda params, cfg: (1.0, 0.01))
    ev = cal.Evaluator(cal.Config(reps=1, workers=1), tmp_path)
    ev.map(ev, [np.full(len(FREE), 0.5)])
    assert json.loads((tmp_path / "evals.meta.json").read_text())["reps"] == 1
    assert len(cal.Evaluator(cal.Config(reps=1, workers=3), tmp_path).cache) == 1  # workers do not matter
    with pytest.raises(cal.CacheMismatchError, match=r"reps: cached 1, now 2.*nothing was deleted"):
        cal.Evaluator(cal.Config(reps=2, workers=1), tmp_path)
    with pytest.raises(cal.CacheMismatchError, match="calendar: cached '', now 'policy_calendar'"):
        cal.Evaluator(cal.Config(reps=1, workers=1, calendar="policy_calendar"), tmp_path)
    (tmp_path / "evals.meta.json").unlink()  # a cache from before fingerprints
    with pytest.raises(cal.CacheMismatchError, match="no fingerprint"):
        cal.Evaluator(cal.Config(reps=1, workers=1), tmp_path)
    assert (tmp_path / "evals.jsonl").read_text().count("\n") == 1  # nothing deleted


def test_a_calibration_on_the_calendar_runs_each_evaluation_on_its_dated_inputs(tmp_path, capsys):
    from experiments.calibration.calibrate import Config, evaluation_inputs
    from experiments.calibration.cli import main

    point = {"transfer_rate": 0.4}
    assert evaluation_inputs(point, Config()) == ({"scale": 0.002, "transfer_rate": 0.4}, ())
    params, sched = evaluation_inputs(point, Config(calendar="policy_calendar"))
    calendar = load_scenario("policy_calendar")
    assert params == {**calendar.params, "scale": 0.002, "transfer_rate": 0.4} and list(sched) == calendar.schedule
    # a calendar that schedules a fitted parameter would override the fit: refused
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nname = "x"\n\n[[schedule]]\nyear = 2018\nparam = "transfer_rate"\nvalue = 0.9\n')
    with pytest.raises(ValueError, match=r"schedules free parameters \['transfer_rate'\]"):
        evaluation_inputs(point, Config(calendar=str(bad)))
    assert main(["calibrate", "--calendar", "no_such_scenario", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "--calendar" in err and "'no_such_scenario'" in err and "policy_calendar" in err
    assert not (tmp_path / "o" / "results").exists()


def test_vc_diagnosis_runs_each_calibrated_parameter_alone_and_refuses_an_unknown_one(capsys):
    from experiments.calibration import vc_diagnosis

    rows = vc_diagnosis.diagnose(years=2, seeds=(1,), back=["absorptive_half_researchers"])
    fitted = [k for k in load_scenario(CALIBRATED).params if not PARAMS_BY_NAME[k].lever]
    assert [r[0] for r in rows][:2] == ["defaults", "calibrated (all)"] and len(rows) == 2 + len(fitted) + 1
    assert all(f"`{k}`" in rows[2 + i][0] for i, k in enumerate(fitted))
    for _, r in rows:
        assert all(np.isnan(v) or 0.0 <= v <= 1.0 for v in r.values())
    assert "| defaults |" in vc_diagnosis.table(rows)
    assert vc_diagnosis.main(["--years", "1", "--seeds", "1", "--back", "gdp_growth"]) == 2
    assert "gdp_growth" in capsys.readouterr().out


def _tiny_fit(tmp_path, monkeypatch):
    """A finished calibration in tmp_path/out (instant objective; the rounded result's table is a real run)."""
    from experiments.calibration import calibrate as cal

    def fake(params, cfg):  # a smooth objective with its minimum inside the ranges
        return sum((unit_from_params(params)[i] - 0.4) ** 2 for i in range(len(FREE))), 0.0

    monkeypatch.setattr(cal, "timed_objective", fake)
    where = output_targets(tmp_path / "out")
    cal.calibrate(cal.Config(reps=1, workers=1, popsize=1, maxiter=1, polish_maxfev=0), where, write=True)
    return where


def test_select_installs_the_point_best_on_independent_seeds(tmp_path, monkeypatch):
    """``select`` re-evaluates the fit's result and the cache's best distinct points on selection seeds and
    installs the best there (record, scenario and its header); on a tie the fit's own result stays."""
    from experiments.calibration import select as sel

    where = _tiny_fit(tmp_path, monkeypatch)
    record = json.loads((where.results / "calibration.json").read_text())
    rows = [json.loads(ln) for ln in (where.results / "evals.jsonl").read_text().splitlines()]
    cands = sel.candidates(record, rows, 3)
    assert len(cands) == 4 and cands[0][0] == "fit result"
    assert len({tuple(p.values()) for _, p, _ in cands}) == 4  # distinct points
    assert [j for *_, j in cands[1:]] == sorted(j for *_, j in cands[1:])  # best first
    # a tie: the fit's result stays, and nothing but the selection is added to the record
    monkeypatch.setattr(sel, "selection_objective", lambda params, cfg, reps: (2.0, 20, 2.0, 2.0))
    tab = sel.select(points=3, reps=4, workers=1, where=where)
    assert tab["chosen"].tolist() == [True, False, False, False]
    again = json.loads((where.results / "calibration.json").read_text())
    assert again["params"] == record["params"] and again["objective"] == record["objective"]
    assert again["selection"]["chosen"] == "fit result" and again["selection"]["reps"] == 4
    # the third candidate best on the selection seeds: it is installed
    target = cands[2][1]
    monkeypatch.setattr(
        sel, "selection_objective", lambda params, cfg, reps: (1.0 if params == target else 3.0, 25, 1.0, 1.0)
    )
    tab = sel.select(points=3, reps=4, workers=1, where=where)
    assert tab["chosen"].tolist() == [False, False, True, False]
    assert (where.results / "selection.csv").is_file()
    rec = json.loads((where.results / "calibration.json").read_text())
    assert {f.name: rec["params"][f.name] for f in FREE} == target
    assert rec["selection"]["chosen"] == cands[2][0] and rec["selection"]["J_selection_fit_result"] == 3.0
    assert rec["objective"] != record["objective"]  # its own objective on the fit's seeds
    text = where.scenario.read_text()
    assert "# chosen on 4 selection seeds (root 20251125" in text
    installed = tomllib.loads(text)["params"]
    assert {f.name: installed[f.name] for f in FREE} == pytest.approx(target)


def test_selection_seeds_are_new_and_parallel_selection_equals_serial(tmp_path, monkeypatch):
    from experiments.calibration import select as sel
    from experiments.calibration.simulate import SELECTION_ROOT_SEED, VALIDATION_ROOT_SEED

    chosen = set(seeds(SELECTION_ROOT_SEED, 20))
    assert not chosen & set(seeds(CALIBRATION_ROOT_SEED, 20)) and not chosen & set(seeds(VALIDATION_ROOT_SEED, 20))
    where = _tiny_fit(tmp_path, monkeypatch)
    serial = sel.select(points=1, reps=2, workers=1, where=where, write=False)
    parallel = sel.select(points=1, reps=2, workers=2, where=where, write=False)
    pd.testing.assert_frame_equal(serial, parallel)
    assert serial["J_selection"].gt(0).all() and serial["hits"].between(0, 35).all()


def test_select_without_a_fit_or_with_bad_settings_says_what_is_wrong(tmp_path, capsys):
    from experiments.calibration import select as sel
    from experiments.calibration.cli import main

    assert main(["select", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert str(tmp_path / "calibration.json") in err and "run `python -m experiments.calibration calibrate`" in err
    with pytest.raises(SystemExit):
        main(["select", "--reps", "1", "--out", str(tmp_path)])
    assert "--reps" in capsys.readouterr().err
    with pytest.raises(sel.SelectionError, match=r"reps = 1 is not allowed; allowed: an integer >= 2"):
        sel.select(reps=1, where=output_targets(tmp_path))
