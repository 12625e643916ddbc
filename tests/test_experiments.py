"""Tests of the batch-experiment system (experiments/): specs, plan, seeds, executors, resume, analysis.

They pin the runner's own logic, not model numbers: runs are tiny (scale 0.002, two years).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from experiments import (  # noqa: E402
    VOLATILE_COLUMNS,
    ExperimentError,
    SpecError,
    collect,
    load_spec,
    plan,
    run_experiment,
    run_seed,
    status,
)
from experiments.analysis import (  # noqa: E402
    AnalysisError,
    advise,
    analyze,
    paired_differences,
    sensitivity,
    summarize,
    t_half_width,
)
from experiments.cli import main as cli_main  # noqa: E402
from experiments.runner import Store  # noqa: E402

PY = sys.executable

TINY = """\
[experiment]
name = "tiny test"
scenarios = ["baseline", "funding_reform"]
replications = {reps}
root_seed = 99
years = 2

[fixed]
scale = 0.002

[metrics]
summary = ["rd_intensity", "breakthroughs:sum", "patents:mean"]
series = ["rd_intensity", "breakthroughs"]
"""


def write_spec(tmp_path: Path, text: str, name: str = "tiny.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.fixture
def tiny(tmp_path):
    return write_spec(tmp_path, TINY.format(reps=3))


def stable(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=[c for c in VOLATILE_COLUMNS if c in df.columns]).reset_index(drop=True)


@pytest.fixture(scope="module")
def serial_reference(tmp_path_factory):
    """The tiny spec (3 replications) run serially: the reference every other executor must match."""
    tmp = tmp_path_factory.mktemp("ref")
    spec = write_spec(tmp, TINY.format(reps=3))
    run_experiment(spec, out=tmp / "out", executor="serial", progress=False)
    return collect(spec, out=tmp / "out", write=False)


# --- plan and seeds --------------------------------------------------------------------------------
def test_plan_is_deterministic_with_seedsequence_seeds(tiny):
    spec = load_spec(tiny)
    a, b = plan(spec), plan(load_spec(tiny))
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 2 * 3 and a["run_id"].is_unique and list(a["run_index"]) == list(range(6))
    for row in a.itertuples():
        ss = np.random.SeedSequence(99, spawn_key=(row.point, row.replication))
        assert (
            row.seed
            == int(ss.generate_state(1, dtype=np.uint64)[0] % 2**63)
            == run_seed(99, row.point, row.replication)
        )
    # common random numbers: the same replication has the same seed in every scenario, and differs across replications
    by = a.pivot(index="replication", columns="scenario", values="seed")
    assert (by["baseline"] == by["funding_reform"]).all() and by["baseline"].is_unique


def test_grid_and_sampler_designs_expand(tmp_path):
    grid = (
        TINY.format(reps=2)
        + '\n[design]\nkind = "grid"\n[design.grid]\nstable_share = [0.2, 0.4]\nregions = ["three", "three_plus"]\n'
    )
    from abm.params import PARAMS_BY_NAME

    if "three_plus" not in PARAMS_BY_NAME["regions"].choices:
        grid = grid.replace(
            '["three", "three_plus"]', repr(list(PARAMS_BY_NAME["regions"].choices[:2])).replace("'", '"')
        )
    t = plan(load_spec(write_spec(tmp_path, grid, "g.toml")))
    assert t["point"].nunique() == 4 and len(t) == 4 * 2 * 2
    # seeds depend on (point, replication) only
    assert t.groupby(["point", "replication"])["seed"].nunique().eq(1).all()
    sob = (
        TINY.format(reps=1)
        + '\n[design]\nkind = "sobol"\nsamples = 4\n[design.ranges]\nstable_share = [0.1, 0.5]\nphd_output = "table"\n'
    )
    t = plan(load_spec(write_spec(tmp_path, sob, "s.toml")))
    assert t["point"].nunique() == 4 * (2 + 2)
    assert t["param_phd_output"].map(type).eq(int).all()  # an int parameter stays an int


# --- executors -------------------------------------------------------------------------------------
def test_serial_run_records_seed_params_and_provenance(serial_reference, tiny):
    summary, series = serial_reference
    table = plan(load_spec(tiny))
    assert list(summary["run_id"]) == list(table["run_id"])
    assert list(summary["seed"]) == list(table["seed"])
    assert summary["abm_version"].notna().all() and summary["git_commit"].str.len().ge(7).all()
    assert summary["spec_hash"].nunique() == 1
    assert json.loads(summary["params_json"].iloc[0])["scale"] == 0.002
    assert len(series) == len(summary) * 2 and set(series.columns) >= {"year", "rd_intensity", "breakthroughs"}


@pytest.mark.parametrize("executor", ["process", "dask"])
def test_executors_give_identical_tables(tmp_path, tiny, serial_reference, executor):
    run_experiment(tiny, out=tmp_path / executor, executor=executor, workers=2, progress=False)
    summary, series = collect(tiny, out=tmp_path / executor, write=False)
    pd.testing.assert_frame_equal(stable(summary), stable(serial_reference[0]))
    pd.testing.assert_frame_equal(series, serial_reference[1])


@pytest.mark.parametrize("executor", ["process", "dask"])
def test_worker_crash_costs_one_retry_of_that_run_only(tmp_path, tiny, serial_reference, executor, monkeypatch):
    victim = "funding_reform-p00000-r00001"
    monkeypatch.setenv("EXPERIMENTS_TEST_CRASH", victim)
    result = run_experiment(tiny, out=tmp_path / "out", executor=executor, workers=2, progress=False)
    assert result.failed == 0 and result.done == 6
    assert (tmp_path / "out" / ".testhook" / f"crashed-{victim}").exists()  # it really died once
    summary, series = collect(tiny, out=tmp_path / "out", write=False)
    pd.testing.assert_frame_equal(stable(summary), stable(serial_reference[0]))
    pd.testing.assert_frame_equal(series, serial_reference[1])
    attempts = dict(zip(summary["run_id"], summary["attempts"], strict=True))
    if executor == "process":  # our pool charges the attempt; Dask reschedules the task itself
        assert attempts.pop(victim) == 2
    else:
        attempts.pop(victim)
    assert set(attempts.values()) == {1}


def test_run_failing_every_attempt_is_recorded_and_sweep_goes_on(tmp_path, tiny, monkeypatch):
    victim = "baseline-p00000-r00002"
    monkeypatch.setenv("EXPERIMENTS_TEST_FAIL", victim)
    out = tmp_path / "out"
    result = run_experiment(tiny, out=out, executor="serial", progress=False)
    assert (result.done, result.failed, result.retried) == (5, 1, 2)
    record = json.loads((out / "runs" / "failed" / f"{victim}.json").read_text())
    assert record["attempts"] == 3 and len(record["errors"]) == 3
    assert "fails on purpose" in record["traceback"] and "Traceback" in record["traceback"]
    st = status(tiny, out=out)
    assert (st["done"], st["failed"], st["remaining"]) == (5, 1, 0) and victim in st["failed_runs"]
    spec = load_spec(tiny)
    summary, series = collect(spec, out=out, write=False)
    with pytest.raises(AnalysisError, match="1 of 6 planned runs have no result"):
        analyze(spec, summary, series)
    assert not analyze(spec, summary, series, partial=True)["summary"].empty
    # resume: the failed run is tried again and now succeeds; its failure record goes
    monkeypatch.delenv("EXPERIMENTS_TEST_FAIL")
    result = run_experiment(tiny, out=out, executor="serial", progress=False)
    assert (result.skipped, result.done, result.failed) == (5, 1, 0)
    assert not (out / "runs" / "failed" / f"{victim}.json").exists()


def test_sigkill_mid_sweep_then_resume_loses_and_duplicates_nothing(tmp_path):
    spec = write_spec(tmp_path, TINY.format(reps=8))
    out = tmp_path / "killed"
    env = {**os.environ, "EXPERIMENTS_TEST_DELAY": "0.2", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            PY,
            "-m",
            "experiments",
            "run",
            str(spec),
            "--out",
            str(out),
            "--executor",
            "process",
            "--workers",
            "2",
            "--quiet",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    summary_dir = out / "runs" / "summary"
    deadline = time.time() + 60
    while time.time() < deadline and (not summary_dir.is_dir() or len(list(summary_dir.glob("*.parquet"))) < 4):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the runner and its workers, mid-sweep
    proc.wait()
    before = len(list(summary_dir.glob("*.parquet")))
    assert 4 <= before < 16, f"kill did not land mid-sweep ({before} of 16 done)"
    result = run_experiment(spec, out=out, executor="process", workers=2, progress=False)
    assert result.skipped == before and result.done == 16 - before and result.failed == 0
    files = sorted(p.stem for p in summary_dir.glob("*.parquet"))
    assert len(files) == 16 == len(set(files)) and not list(out.rglob("*.tmp"))
    killed, killed_series = collect(spec, out=out, write=False)
    assert killed["run_id"].is_unique and len(killed) == 16
    run_experiment(spec, out=tmp_path / "whole", executor="serial", progress=False)
    whole, whole_series = collect(spec, out=tmp_path / "whole", write=False)
    pd.testing.assert_frame_equal(stable(killed), stable(whole))
    pd.testing.assert_frame_equal(killed_series, whole_series)


def test_changed_spec_is_refused_unless_forced(tmp_path, tiny):
    out = tmp_path / "out"
    run_experiment(tiny, out=out, executor="serial", progress=False)
    # execution settings may change between resumes
    tiny.write_text(tiny.read_text() + '\n[execution]\nexecutor = "serial"\nworkers = 1\n')
    assert run_experiment(tiny, out=out, progress=False).skipped == 6
    tiny.write_text(tiny.read_text().replace("replications = 3", "replications = 4"))
    with pytest.raises(ExperimentError, match="changed since"):
        run_experiment(tiny, out=out, progress=False)
    assert status(tiny, out=out)["spec_changed"]
    result = run_experiment(tiny, out=out, force=True, progress=False)  # old runs have unchanged inputs: kept
    assert (result.skipped, result.done) == (6, 2)
    tiny.write_text(tiny.read_text().replace("years = 2", "years = 1"))
    result = run_experiment(tiny, out=out, force=True, progress=False)  # every input changed: all rerun
    assert (result.skipped, result.done) == (0, 8)


def test_one_runner_per_results_folder(tmp_path, tiny):
    from experiments.runner import _Lock

    (tmp_path / "out").mkdir()
    with _Lock(tmp_path / "out"), pytest.raises(ExperimentError, match="another runner"):
        run_experiment(tiny, out=tmp_path / "out", executor="serial", progress=False)


# --- spec errors -----------------------------------------------------------------------------------
BAD = [
    ("replications = 3", "replications = [3", "not valid TOML"),
    ("[metrics]", "[metric]\nx = 1\n[metrics]", "unknown section [metric]"),
    ("replications = 3", "replication = 3", "'experiment.replication' is unknown (did you mean 'replications'?)"),
    ("root_seed = 99\n", "", "'experiment.root_seed' is missing"),
    ("replications = 3", 'replications = "three"', "'experiment.replications' must be an integer"),
    (
        "replications = 3",
        "replications = 0",
        "'experiment.replications' = 0 is out of range; allowed: an integer in [1, 100000]",
    ),
    ('"funding_reform"]', '"funding_reformm"]', "experiment.scenarios[1]' = 'funding_reformm' cannot be loaded"),
    (
        '"funding_reform"]',
        '"funding_reform"]\nreference = "nope"',
        "'experiment.reference' = 'nope' is not one of the scenarios",
    ),
    ("scale = 0.002", "scal = 0.002", "'fixed.scal' is not a model parameter (did you mean 'scale'?)"),
    ("scale = 0.002", "scale = 5.0", "'fixed.scale' = 5.0 is not allowed"),
    (
        "[metrics]",
        '[design]\nkind = "sobel"\n[metrics]',
        "'design.kind' = 'sobel' is not allowed (did you mean 'sobol'?); allowed: none, grid, lhs, sobol, morris",
    ),
    (
        "[metrics]",
        '[design]\nkind = "grid"\n[design.grid]\nstable_share = [0.2, 1.5]\n[metrics]',
        "'design.grid.stable_share' has a value 1.5 that is not allowed",
    ),
    (
        "[metrics]",
        '[design]\nkind = "grid"\nlevels = 4\n[design.grid]\nstable_share = [0.2]\n[metrics]',
        "'design.levels' does not apply to design.kind = 'grid'",
    ),
    (
        "[metrics]",
        '[design]\nkind = "lhs"\nsamples = 4\n[design.ranges]\nstable_share = [0.2, 1.5]\n[metrics]',
        "'design.ranges.stable_share' = [0.2, 1.5] leaves the parameter's range; allowed: within [0, 1]",
    ),
    (
        "[metrics]",
        '[design]\nkind = "lhs"\nsamples = 4\n[design.ranges]\nstable_share = [0.5, 0.2]\n[metrics]',
        "has low >= high",
    ),
    (
        "[metrics]",
        '[design]\nkind = "lhs"\nsamples = 4\n[design.ranges]\nregions = "table"\n[metrics]',
        "names a choice parameter, which a sampler cannot vary",
    ),
    (
        "[metrics]",
        '[design]\nkind = "sobol"\nsamples = 10\n[design.ranges]\nstable_share = [0.1, 0.5]\nphd_output = "table"\n[metrics]',
        "'design.samples' = 10 is not a power of two",
    ),
    (
        "[metrics]",
        '[design]\nkind = "morris"\nsamples = 4\n[design.ranges]\nscale = [0.001, 0.003]\nstable_share = [0.1, 0.5]\n[metrics]',
        "'fixed.scale' is also varied in [design]",
    ),
    (
        '"rd_intensity", "breakthroughs:sum"',
        '"rd_intensty", "breakthroughs:sum"',
        "'rd_intensty' is not a column of model.yearly() (did you mean 'rd_intensity'?)",
    ),
    (
        '"breakthroughs:sum"',
        '"breakthroughs:total"',
        "unknown aggregation 'total'; allowed: last, sum, mean, min, max, first, change",
    ),
    (
        "[metrics]",
        '[execution]\nexecutor = "threads"\n[metrics]',
        "'execution.executor' = 'threads' is not allowed; allowed: serial, process, dask",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD, ids=[b[2][:40] for b in BAD])
def test_each_kind_of_spec_mistake_gets_a_clear_error(tmp_path, old, new, message):
    text = TINY.format(reps=3)
    assert old in text
    path = write_spec(tmp_path, text.replace(old, new, 1))
    with pytest.raises(SpecError) as err:
        run_experiment(path, out=tmp_path / "out", progress=False)
    assert message in str(err.value)
    assert str(path) in str(err.value)
    assert not (tmp_path / "out").exists()  # nothing ran


def test_cli_reports_spec_errors_with_exit_code_2(tmp_path, capsys):
    path = write_spec(tmp_path, TINY.format(reps=3).replace("replications = 3", "replications = -1"))
    assert cli_main(["run", str(path), "--out", str(tmp_path / "o")]) == 2
    assert "experiment.replications" in capsys.readouterr().err
    assert cli_main(["check", str(write_spec(tmp_path, TINY.format(reps=3), "ok.toml"))]) == 0


def test_shipped_specs_are_valid():
    specs = sorted((ROOT / "experiments" / "specs").glob("*.toml"))
    assert len(specs) >= 8
    for path in specs:
        spec = load_spec(path)
        if len(spec.scenarios) > 1:
            assert spec.reference == "baseline" and spec.replications >= 2


# --- analysis --------------------------------------------------------------------------------------
def test_statistics_and_paired_differences(tiny):
    spec = load_spec(tiny)
    rng = np.random.default_rng(0)
    base = rng.normal(10, 2, 3)
    rows = []
    for sc, shift in (("baseline", 0.0), ("funding_reform", 1.0)):
        for r in range(3):
            v = base[r] + shift + 0.1 * r
            rows.append(
                {
                    "run_id": f"{sc}-{r}",
                    "point": 0,
                    "scenario": sc,
                    "replication": r,
                    "rd_intensity": v,
                    "breakthroughs_sum": v,
                    "patents_mean": v,
                }
            )
    summary = pd.DataFrame(rows)
    s = summarize(spec, summary)
    row = s[(s.scenario == "baseline") & (s.metric == "rd_intensity")].iloc[0]
    v = base + 0.1 * np.arange(3)
    from scipy import stats

    hw = stats.t.ppf(0.975, 2) * v.std(ddof=1) / np.sqrt(3)
    assert row["mean"] == pytest.approx(v.mean()) and row["ci_high"] == pytest.approx(v.mean() + hw)
    d = paired_differences(spec, summary)
    row = d[d.metric == "rd_intensity"].iloc[0]
    assert row["mean"] == pytest.approx(1.0) and row["sd"] == pytest.approx(0.0, abs=1e-12) and row["significant"]


def test_advisor_finds_the_smallest_sufficient_n(tiny):
    spec = load_spec(tiny)
    summary = pd.DataFrame(
        {
            "run_id": [f"b{i}" for i in range(5)],
            "point": 0,
            "scenario": "baseline",
            "replication": range(5),
            "rd_intensity": [1.0, 2.0, 3.0, 4.0, 5.0],
            "breakthroughs_sum": 1.0,
            "patents_mean": 1.0,
        }
    )
    table = advise(spec, summary, half_width={"rd_intensity": 0.5})
    n = int(table[table.metric == "rd_intensity"]["replications_needed"].iloc[0])
    sd = np.std([1, 2, 3, 4, 5], ddof=1)
    assert t_half_width(sd, n) <= 0.5 < t_half_width(sd, n - 1)


def test_morris_indices_and_refusal_with_missing_runs(tmp_path):
    text = TINY.format(reps=1).replace('"funding_reform"]', "]").replace(', "baseline"]', "]") + (
        '\n[design]\nkind = "morris"\nsamples = 2\n[design.ranges]\nstable_share = [0.1, 0.5]\nbreakthrough_rate = [0.001, 0.004]\n'
    )
    text = text.replace('scenarios = ["baseline", ]', 'scenarios = ["baseline"]').replace("years = 2", "years = 1")
    spec_path = write_spec(tmp_path, text)
    out = tmp_path / "out"
    run_experiment(spec_path, out=out, executor="serial", progress=False)
    spec = load_spec(spec_path)
    summary, _ = collect(spec, out=out, write=False)
    ind = sensitivity(spec, summary, num_resamples=20)
    assert set(ind["index"]) == {"mu_star", "mu", "sigma"} and set(ind["parameter"]) == {
        "stable_share",
        "breakthrough_rate",
    }
    with pytest.raises(AnalysisError, match="1 of 6 planned runs have no result"):
        sensitivity(spec, summary.iloc[1:], num_resamples=20)


def test_report_has_spec_provenance_and_tables(tmp_path, tiny):
    from experiments.report import make_report

    out = tmp_path / "out"
    run_experiment(tiny, out=out, executor="serial", progress=False)
    path = make_report(tiny, out=out, png=True)
    page = path.read_text()
    manifest = Store(out).manifest()
    assert "tiny test" in page and "Paired differences against baseline" in page and manifest["spec_hash"] in page
    assert "SeedSequence(99" in page and "[experiment]" in page
    for name in ("means", "differences", "series"):
        assert (path.parent / "figures" / f"{name}.png").stat().st_size > 1000
    assert (path.parent / "tables" / "differences.csv").is_file()


# --- a cluster on loopback: separate scheduler and worker processes --------------------------------
@pytest.mark.slow
def test_dask_with_separate_scheduler_and_worker_processes(tmp_path, tiny, serial_reference):
    dask_bin = str(Path(PY).parent / "dask")
    sched_file = tmp_path / "scheduler.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [
                dask_bin,
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(sched_file),
            ],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        deadline = time.time() + 30
        text = ""
        while time.time() < deadline:  # the scheduler creates the file before it writes it
            text = sched_file.read_text() if sched_file.exists() else ""
            if text.strip().endswith("}"):
                break
            time.sleep(0.1)
        address = json.loads(text)["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for _ in range(2):
            procs.append(
                subprocess.Popen(
                    [dask_bin, "worker", address, "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"],
                    env=env,
                    cwd=tmp_path,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        result = run_experiment(tiny, out=tmp_path / "out", executor="dask", address=address, progress=False)
        assert result.done == 6 and result.failed == 0
        summary, series = collect(tiny, out=tmp_path / "out", write=False)
        pd.testing.assert_frame_equal(stable(summary), stable(serial_reference[0]))
        pd.testing.assert_frame_equal(series, serial_reference[1])
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
