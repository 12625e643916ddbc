"""experiments.robustness (issue 13, item 4): policy answers with their Morris sensitivity and verdict."""

from __future__ import annotations

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
