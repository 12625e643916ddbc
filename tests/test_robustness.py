"""experiments.robustness (issue 13, item 4): policy answers with their Morris sensitivity and verdict."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from experiments import robustness as rb

#: A cheap question for the tests: the funding reform's first two years, two assumptions.
TINY = rb.Question(
    "funding_reform",
    "baseline",
    "gov_stable",
    (2015, 2016),
    "sum",
    False,
    "yuan",
    {"review_noise": (0.5, 2.0), "grant_size": (0.25, 1.0)},
)


def test_every_shipped_question_is_well_formed():
    rb.check()
    for key, q in rb.QUESTIONS.items():
        assert q.assumptions, key  # every answer runs through assumptions that are varied


@pytest.mark.parametrize(
    "change, words",
    [
        ({"assumptions": {"no_such_parameter": (0.0, 1.0)}}, ["no_such_parameter", "not a model parameter"]),
        ({"assumptions": {"stable_share": (0.1, 0.5)}}, ["stable_share", "policy lever"]),
        ({"assumptions": {"review_noise": (0.5, 9.0)}}, ["review_noise", "[0.5, 9]", "[0, 5]"]),
        ({"years": (2014, 2016)}, ["years", "2015 <= first"]),
        ({"how": "median"}, ["how='median'", "'sum', 'mean'"]),
    ],
)
def test_bad_questions_are_named_with_what_is_allowed(change, words):
    q = rb.Question(**{**TINY.__dict__, **change})
    with pytest.raises(rb.RobustnessError) as err:
        rb.check({"bad": q})
    for w in words:
        assert w in str(err.value)


def test_bad_options_are_refused_before_running(capsys):
    assert rb.main(["--questions", "nope"]) == 2
    assert "nope" in capsys.readouterr().err
    with pytest.raises(rb.RobustnessError, match="reps=1"):
        rb.robustness("soe_reform", reps=1)


def test_answer_sensitivity_and_verdict_of_a_small_question(monkeypatch):
    """Before the reform (2015-2016) the scenario equals the baseline: the paired answer is exactly 0 in
    every seed and every design point, so no parameter has an effect and the conclusion does not hold."""
    monkeypatch.setitem(rb.QUESTIONS, "tiny", TINY)
    r = rb.robustness("tiny", reps=3, trajectories=2, point_seeds=1)
    assert r["answer"]["mean"] == 0.0 and r["answer"]["ci_low"] == 0.0
    assert r["design_points"] == 2 * (2 + 1)
    assert all(m["mu_star"] == 0.0 for m in r["morris"])
    assert r["verdict"].startswith("depends on")
    assert "tiny" not in rb.table([r]) and "funding_reform vs baseline" in rb.table([r])


def test_parallel_equals_serial(monkeypatch):
    later = rb.Question(**{**TINY.__dict__, "outcome": "breakthroughs", "years": (2021, 2021), "relative": True})
    monkeypatch.setitem(rb.QUESTIONS, "later", later)
    a = rb.robustness("later", reps=3, trajectories=2, point_seeds=1, workers=1)
    b = rb.robustness("later", reps=3, trajectories=2, point_seeds=1, workers=2)
    assert a == b
    assert a["answer"]["mean"] != 0.0  # the reform of 2021 moves breakthroughs in its first year


def test_a_base_lays_every_scenario_on_it_and_baseline_is_the_base_itself(monkeypatch):
    """On the defaults' own file (base ``baseline``) the numbers are those of no base; on the calibrated
    calendar the scenario is laid on it (its levers win) and the reference is the base itself."""
    monkeypatch.setitem(rb.QUESTIONS, "tiny", TINY)
    plain = rb.robustness("tiny", reps=3, trajectories=2, point_seeds=1)
    same = rb.robustness("tiny", reps=3, trajectories=2, point_seeds=1, base="baseline")
    assert {**same, "base": ""} == plain and same["base"] == "baseline"
    params, schedule = rb.setting("funding_reform", "calendar_calibrated")
    ref_params, ref_schedule = rb.setting("baseline", "calendar_calibrated")
    reform = rb.load_scenario("funding_reform").params
    assert params == {**ref_params, **reform}
    assert ref_params["risk_return"] == rb.load_scenario("baseline_calibrated").params["risk_return"]
    assert ref_schedule and not any(i["param"] in reform for i in schedule)
    job = (2, {}, "rd_total", (2015, 2016), "sum", 0.002)
    assert rb.outcome((rb.setting("baseline", "calendar_calibrated"), *job)) != rb.outcome(("baseline", *job))
    assert rb.outcome((rb.setting("baseline", "baseline"), *job)) == rb.outcome(("baseline", *job))


def test_an_unknown_base_is_refused_with_its_name(capsys):
    with pytest.raises(rb.RobustnessError, match="--base 'nope'"):
        rb.robustness("soe_reform", reps=3, base="nope")
    assert rb.main(["--questions", "soe_reform", "--base", "nope", "--reps", "3"]) == 2
    assert "nope" in capsys.readouterr().err


# -- the published file the dashboard reads (dashboards/robustness.json) --------------------------------
ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = json.loads((ROOT / "dashboards" / "robustness.json").read_text(encoding="utf-8"))


def test_published_file_covers_exactly_the_shipped_questions_in_their_order():
    """Each base (the defaults, the calibrated calendar) has every question once, in the order of QUESTIONS."""
    bases = PUBLISHED["bases"]
    assert bases[0] == "" and len(set(bases)) == len(bases)
    assert [e["question"] for e in PUBLISHED["questions"]] == list(rb.QUESTIONS) * len(bases)
    assert [e["base"] for e in PUBLISHED["questions"]] == [b for b in bases for _ in rb.QUESTIONS]
    for e in PUBLISHED["questions"]:
        q = rb.QUESTIONS[e["question"]]
        assert (e["scenario"], e["reference"], e["outcome"], tuple(e["years"]), e["how"], e["relative"], e["unit"]) == (
            q.scenario,
            q.reference,
            q.outcome,
            q.years,
            q.how,
            q.relative,
            q.unit,
        )
        assert {m["parameter"]: tuple(m["range"]) for m in e["morris"]} == q.assumptions
        assert e["reps"] >= 30 and e["answer"]["n"] == e["reps"]  # issue 13: at least 30 replications
        assert e["seeds"] == {"answer": [1, e["reps"]], "design_points": [1001, 1000 + e["point_seeds"]]}
        assert len(e["run"]["commit"]) == 40 and e["run"]["command"].startswith("python -m experiments.robustness")
        assert ("--base " + e["base"] in e["run"]["command"]) == bool(e["base"])  # the run says its base
    assert PUBLISHED["commits"] == sorted({e["run"]["commit"] for e in PUBLISHED["questions"]})


def _rule(e: dict) -> str:
    """The rule of docs/validation.md, written again here from its words (not from the module's code)."""
    if e["reference"] is None:
        return "level (no comparison)"
    excludes_zero = e["answer"]["ci_low"] > 0 or e["answer"]["ci_high"] < 0
    if excludes_zero and e["design_same_sign"] >= 0.9:
        return "holds over the plausible ranges"
    mu = sorted(e["morris"], key=lambda m: m["mu_star"], reverse=True)
    return f"depends on {mu[0]['parameter']}, {mu[1]['parameter']}"


@pytest.mark.parametrize("entry", PUBLISHED["questions"], ids=lambda e: e["question"])
def test_published_verdicts_follow_the_documented_rule(entry):
    assert entry["verdict"] == _rule(entry) == rb.verdict(entry)
    mu = [m["mu_star"] for m in entry["morris"]]
    assert mu == sorted(mu, reverse=True)
    assert entry["design_range"][0] <= entry["design_range"][1]
    assert entry["answer"]["ci_low"] <= entry["answer"]["mean"] <= entry["answer"]["ci_high"]


def test_published_numbers_are_the_tables_of_docs_validation():
    """Every question's row of the Markdown table, made from the published file, is in docs/validation.md."""
    text = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    for e in PUBLISHED["questions"]:
        row = rb.table([e]).splitlines()[2]
        assert row in text, f"{e['question']}: docs/validation.md has no row\n{row}"


def _result(key: str, base: str = "", **change) -> dict:
    e = next(x for x in PUBLISHED["questions"] if x["question"] == key and x["base"] == base)
    return {**{k: v for k, v in e.items() if k != "seeds"}, **change}


def _folder(path: Path, base: str) -> Path:
    path.mkdir()
    for key in rb.QUESTIONS:
        (path / f"{key}.json").write_text(json.dumps(_result(key, base)))
    return path


def test_publish_collects_every_question_of_every_base_and_refuses_gaps_and_wrong_verdicts(tmp_path, capsys):
    folders = [_folder(tmp_path / f"res{i}", b) for i, b in enumerate(PUBLISHED["bases"])]
    args = [a for f in folders for a in ("--out", str(f))]
    out = tmp_path / "dash" / "robustness.json"
    assert rb.main(["--publish", *args, "--publish-to", str(out)]) == 0
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["questions"] == PUBLISHED["questions"] and written["commits"] == PUBLISHED["commits"]
    assert written["bases"] == PUBLISHED["bases"]
    assert written["command"] == "python -m experiments.robustness --publish"
    assert len(out.read_text(encoding="utf-8").splitlines()) < 12 + 15 * len(folders)  # one line per answer

    folder = folders[0]
    (folder / "soe_reform.json").write_text(json.dumps(_result("soe_reform", verdict="depends on gross_margin")))
    assert rb.main(["--publish", *args, "--publish-to", str(out)]) == 2
    assert "soe_reform: verdict 'depends on gross_margin'" in capsys.readouterr().err
    (folder / "soe_reform.json").unlink()
    assert rb.main(["--publish", *args, "--publish-to", str(out)]) == 2
    assert "['soe_reform']" in capsys.readouterr().err
    assert json.loads(out.read_text(encoding="utf-8")) == written  # a refused publish leaves the file as it was


def test_publish_refuses_two_folders_of_one_base_and_a_folder_of_two_bases(tmp_path, capsys):
    a, b = _folder(tmp_path / "a", ""), _folder(tmp_path / "b", "")
    out = tmp_path / "robustness.json"
    assert rb.main(["--publish", "--out", str(a), "--out", str(b), "--publish-to", str(out)]) == 2
    assert "two folders hold runs on the base 'defaults'" in capsys.readouterr().err
    (b / "soe_reform.json").write_text(json.dumps(_result("soe_reform", base="calendar_calibrated")))
    assert rb.main(["--publish", "--out", str(b), "--publish-to", str(out)]) == 2
    assert "mixes runs on the bases ['', 'calendar_calibrated']" in capsys.readouterr().err
    assert not out.exists()


def test_a_run_writes_to_one_folder(tmp_path, capsys):
    argv = ["--questions", "soe_reform", "--out", str(tmp_path / "a"), "--out", str(tmp_path / "b")]
    assert rb.main(argv) == 2
    assert "--out: a run writes to one folder, got 2" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()


def test_a_run_records_its_commit_date_and_command(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(rb.QUESTIONS, "tiny", TINY)
    argv = ["--questions", "tiny", "--reps", "3", "--trajectories", "2", "--point-seeds", "1", "--out", str(tmp_path)]
    assert rb.main(argv) == 0
    r = json.loads((tmp_path / "tiny.json").read_text())
    assert r["run"]["command"] == "python -m experiments.robustness " + " ".join(argv)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", r["run"]["date"]) and r["run"]["commit"]
    assert "funding_reform vs baseline" in capsys.readouterr().out
