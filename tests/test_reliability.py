"""Hostile and careless use of the experiment runner (issue 14): results that cannot be mixed, read
as another experiment's, or written or deleted outside their folder; bounded runs; clear errors.

Every bad input must end with exit status 2, a message naming the value and what is allowed, and
no output. Runs are tiny (scale 0.001, one year, serial executor) unless a test needs processes.
"""

from __future__ import annotations

import errno
import json
import os
import re
import socket
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from experiments import (  # noqa: E402
    ExperimentError,
    collect,
    load_spec,
    plan,
    provenance,
    run_experiment,
    status,
)
from experiments.cli import main as cli_main  # noqa: E402
from experiments.runner import Store  # noqa: E402
from experiments.spec import SpecError  # noqa: E402

SPEC = """\
[experiment]
name = "reliability"
scenarios = {scenarios}
replications = {reps}
root_seed = {seed}
years = {years}

[fixed]
scale = 0.001

[metrics]
summary = ["rd_intensity", "patents:sum"]
series = ["rd_intensity"]
"""


def spec_text(reps: int = 2, seed: int = 7, years: int = 1, scenarios: str = '["baseline"]', extra: str = "") -> str:
    return SPEC.format(reps=reps, seed=seed, years=years, scenarios=scenarios) + extra


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.write_bytes if isinstance(text, bytes) else path.write_text)(text)
    return path


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli_main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def tree(path: Path) -> list[str]:
    """Every file and folder under path (relative), to show that nothing was written."""
    return sorted(str(p.relative_to(path)) for p in path.rglob("*")) if path.exists() else []


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    """Work in an empty folder, as a user in their project folder would."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# === 1. a results path with glob characters reads its own files only ==================================
HOSTILE_NAMES = ["x[1]", "x[!a]", "a*b", "q?", "{x1,y}", "it's", "sp ace", "ünï cødé", "x'); DROP TABLE t; --", "-rf"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_collect_reads_only_its_own_folder_whatever_its_name(cwd, name):
    mine = write(cwd / "mine.toml", spec_text(seed=7))
    other = write(cwd / "other.toml", spec_text(seed=8))
    # decoys that a glob built from the path would match: x1, xb, aXb, q1, x1 ...
    for decoy in ("x1", "xb", "aXYZb", "q1", "x1,y", "y"):
        run_experiment(other, out=cwd / "out" / decoy, executor="serial", progress=False)
    run_experiment(mine, out=cwd / "out" / name, executor="serial", progress=False)
    summary, series = collect(mine, out=cwd / "out" / name, write=True)
    assert list(summary["seed"]) == list(plan(load_spec(mine))["seed"])
    assert set(series["run_id"]) == set(summary["run_id"])
    assert (cwd / "out" / name / "summary.parquet").is_file()


@pytest.mark.parametrize("name", ["x[1]", "a*b", "...", "..", ".hidden", "sp ace"])
def test_spec_file_name_gives_a_folder_inside_results(cwd, capsys, name):
    spec = write(cwd / f"{name}.toml", spec_text())
    code, _out, err = cli(capsys, "run", spec, "--executor", "serial", "--quiet")
    assert code == 0, err
    folders = list((cwd / "results").iterdir())
    assert len(folders) == 1 and folders[0].parent == cwd / "results" and not folders[0].name.startswith(".")
    assert (folders[0] / "manifest.json").is_file()
    assert sorted(p.name for p in cwd.iterdir()) == sorted([f"{name}.toml", "results"])


def test_a_run_file_copied_from_another_experiment_is_refused(cwd, capsys):
    mine = write(cwd / "mine.toml", spec_text(seed=7))
    other = write(cwd / "other.toml", spec_text(seed=8))
    run_experiment(mine, out=cwd / "a", executor="serial", progress=False)
    run_experiment(other, out=cwd / "b", executor="serial", progress=False)
    name = "runs/summary/baseline-p00000-r00001.parquet"
    (cwd / "a" / name).write_bytes((cwd / "b" / name).read_bytes())  # same run id, another seed
    code, _, err = cli(capsys, "analyze", mine, "--out", cwd / "a")
    assert code == 1 and "other inputs" in err


def test_stray_run_files_outside_the_plan_are_ignored(cwd):
    spec = write(cwd / "s.toml", spec_text(reps=2))
    run_experiment(spec, executor="serial", progress=False)
    folder = cwd / "results" / "s" / "runs" / "summary"
    (folder / "baseline-p00000-r00099.parquet").write_bytes((folder / "baseline-p00000-r00000.parquet").read_bytes())
    summary, _ = collect(spec, write=False)
    assert list(summary["run_id"]) == ["baseline-p00000-r00000", "baseline-p00000-r00001"]


@pytest.mark.parametrize(
    "damaged",
    ["runs/summary/baseline-p00000-r00000.parquet", "manifest.json", "runs/failed/baseline-p00000-r00001.json"],
)
def test_damaged_files_give_a_clear_error(cwd, capsys, damaged):
    spec = write(cwd / "s.toml", spec_text(reps=2))
    run_experiment(spec, executor="serial", progress=False)
    write(cwd / "results" / "s" / damaged, b"\x00garbage{")
    for command in ("collect", "status", "run"):
        code, _, err = cli(capsys, command, spec, *(("--executor", "serial", "--quiet") if command == "run" else ()))
        assert "Traceback" not in err
        if code:
            assert code == 1 and damaged.split("/")[-1] in err, (command, err)
    if "failed" in damaged:  # a failure record of a finished run does not matter to collect, but status says so
        assert cli(capsys, "status", spec)[0] == 1
    else:
        assert cli(capsys, "collect", spec)[0] == 1


def test_hostile_text_in_the_spec_cannot_inject_into_the_report(cwd):
    from experiments.report import make_report

    evil = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
    spec = write(
        cwd / "s.toml",
        spec_text(scenarios='["baseline", "funding_reform"]').replace(
            'name = "reliability"', f'name = "{evil}"\ndescription = "{evil}"'
        ),
    )
    run_experiment(spec, executor="serial", progress=False)
    report = make_report(spec, png=False).parent
    for page in [report / "index.html", *(report / "figures").glob("*.html")]:
        text = page.read_text()
        assert "<script>alert" not in text and "<img src=x" not in text, page.name


# === 2. results of another spec are refused by collect, analyze and report ===========================
def test_changed_spec_results_are_refused_then_accepted_explicitly(cwd, capsys):
    spec = write(cwd / "s.toml", spec_text(years=1, scenarios='["baseline", "funding_reform"]'))
    assert cli(capsys, "run", spec, "--executor", "serial", "--quiet")[0] == 0
    write(spec, spec_text(years=2, scenarios='["baseline", "funding_reform"]'))
    for command in ("collect", "analyze", "report"):
        code, _, err = cli(capsys, command, spec)
        assert code == 1 and "another spec" in err and "--accept-stale" in err, (command, err)
    assert not (cwd / "results" / "s" / "report").exists() and not (cwd / "results" / "s" / "analysis").exists()
    code, _out, err = cli(capsys, "report", spec, "--accept-stale", "--no-png")
    assert code == 0, err
    page = (cwd / "results" / "s" / "report" / "index.html").read_text()
    assert "Stale results" in page and "another spec" in page


def test_every_row_carries_spec_and_source_hash(cwd):
    spec = write(cwd / "s.toml", spec_text())
    run_experiment(spec, executor="serial", progress=False)
    summary, series = collect(spec, write=False)
    manifest = Store(cwd / "results" / "s").manifest()
    for table in (summary, series):
        assert (table["spec_hash"] == manifest["spec_hash"]).all()
        assert (table["source_hash"] == provenance.source_hash()).all()


# === 3. code changes: the hash covers abm/, experiments/ and data/, and a resume never mixes versions ===
def test_source_hash_covers_model_runner_and_data_but_not_caches(tmp_path, monkeypatch):
    roots = [tmp_path / "abm", tmp_path / "experiments", tmp_path / "data"]
    for r in roots:
        write(r / "a.py", "x = 1\n")
    monkeypatch.setattr(provenance, "code_roots", lambda: roots)
    provenance.clear_cache()
    try:
        base = provenance.source_hash()
        write(roots[0] / "__pycache__" / "a.cpython-311.pyc", b"junk")
        write(roots[1] / ".hidden.tmp", "junk")
        provenance.clear_cache()
        assert provenance.source_hash() == base
        for r in roots:  # an edit anywhere (worker.py, a scenario file) changes it
            write(r / "worker.py", "y = 2\n")
            provenance.clear_cache()
            changed = provenance.source_hash()
            assert changed != base
            base = changed
    finally:
        provenance.clear_cache()


def test_code_roots_are_the_imported_packages_and_data():
    import abm
    import experiments

    roots = provenance.code_roots()
    assert Path(abm.__file__).resolve().parent in roots and Path(experiments.__file__).resolve().parent in roots
    if (Path(abm.__file__).resolve().parent.parent / "data").is_dir():
        assert Path(abm.__file__).resolve().parent.parent / "data" in roots


@pytest.fixture
def fake_code(monkeypatch):
    """Pretend the code changed: every caller of source_hash() sees another hash."""

    def set_hash(value: str) -> None:
        provenance.clear_cache()
        if value:
            provenance._CACHE["all"] = value

    yield set_hash
    provenance.clear_cache()


def test_resume_after_a_code_change_is_refused_and_force_reruns_everything(cwd, capsys, fake_code):
    spec = write(cwd / "s.toml", spec_text(reps=3))
    assert cli(capsys, "run", spec, "--executor", "serial", "--quiet")[0] == 0
    fake_code("0123456789abcdef")  # e.g. experiments/worker.py was edited
    code, _, err = cli(capsys, "run", spec, "--executor", "serial", "--quiet")
    assert code == 1 and "other code" in err and "--force" in err
    for command in ("collect", "analyze", "report"):
        code, _, err = cli(capsys, command, spec)
        assert code == 1 and "other code" in err
    assert status(spec)["code_changed"]
    result = run_experiment(spec, executor="serial", force=True, progress=False)
    assert (result.skipped, result.done) == (0, 3)
    summary, series = collect(spec, write=False)
    assert set(summary["source_hash"]) == {"0123456789abcdef"} == set(series["source_hash"])


def test_a_worker_with_other_code_cannot_add_rows(cwd, monkeypatch):
    import experiments.worker as worker

    spec = write(cwd / "s.toml", spec_text())
    monkeypatch.setattr(worker, "source_hash", lambda: "ffffffffffffffff")
    result = run_experiment(spec, executor="serial", progress=False)
    assert result.done == 0 and result.failed == 2
    rec = json.loads(next((cwd / "results" / "s" / "runs" / "failed").glob("*.json")).read_text())
    assert "runs other code" in rec["traceback"]
    assert not list((cwd / "results" / "s" / "runs" / "summary").glob("*.parquet"))


# === 4. nothing written or deleted outside the experiment's own folder ================================
def test_restart_never_deletes_a_users_files(cwd, capsys):
    write(cwd / "runs" / "soe.parquet", b"the user's own results")
    spec = write(cwd / "...toml", spec_text())
    for extra in ((), ("--restart",)):
        assert cli(capsys, "run", spec, "--executor", "serial", "--quiet", *extra)[0] == 0
    assert (cwd / "runs" / "soe.parquet").read_bytes() == b"the user's own results"


def test_restart_removes_the_old_tables_and_keeps_foreign_files(cwd, capsys):
    spec = write(cwd / "s.toml", spec_text(scenarios='["baseline", "funding_reform"]'))
    folder = cwd / "results" / "s"
    assert cli(capsys, "run", spec, "--executor", "serial", "--quiet")[0] == 0
    assert cli(capsys, "analyze", spec)[0] == 0
    write(folder / "my notes.txt", "keep me")
    write(folder / "runs" / "summary" / "README", "keep me too")
    old = {p: p.stat().st_mtime_ns for p in (folder / "summary.parquet", folder / "analysis" / "summary.csv")}
    assert cli(capsys, "run", spec, "--executor", "serial", "--quiet", "--restart")[0] == 0
    assert not (folder / "summary.parquet").exists() and not (folder / "analysis").exists()
    assert all(not p.exists() or p.stat().st_mtime_ns != t for p, t in old.items())
    assert (folder / "my notes.txt").read_text() == "keep me"
    assert (folder / "runs" / "summary" / "README").read_text() == "keep me too"
    assert len(list((folder / "runs" / "summary").glob("*.parquet"))) == 4


@pytest.mark.parametrize("output", ["/tmp/elsewhere", "../outside", "a/../../b", ".hidden", "~/x"])
def test_experiment_output_must_stay_inside_the_results_root(cwd, capsys, output):
    spec = write(cwd / "s.toml", spec_text().replace("years = 1", f'years = 1\noutput = "{output}"'))
    code, _, err = cli(capsys, "check", spec)
    if output == "~/x":  # a folder literally named '~' inside results/ is harmless
        assert code == 0 and str(cwd / "results") in str((cwd / "results" / "~" / "x").resolve())
        return
    assert code == 2 and "experiment.output" in err and "results root" in err and output in err
    assert tree(cwd) == ["s.toml"]


def test_cleanup_deletes_only_the_runners_own_temporary_files(cwd):
    spec = write(cwd / "s.toml", spec_text())
    run_experiment(spec, executor="serial", progress=False)
    folder = cwd / "results" / "s"
    mine = [
        write(folder / ".draft.tmp", "x"),
        write(folder / "notes" / ".summary.parquet.1.tmp", "x"),
        write(folder / "runs" / "summary" / "keep.tmp", "x"),
    ]
    ours = write(folder / "runs" / "summary" / ".baseline-p00000-r00000.parquet.999.tmp", "half a file")
    run_experiment(spec, executor="serial", progress=False)
    assert all(p.exists() for p in mine) and not ours.exists()


@pytest.mark.parametrize("kind", ["foreign folder", "file"])
def test_out_that_is_not_a_results_folder_is_refused(cwd, capsys, kind):
    spec = write(cwd / "s.toml", spec_text())
    target = cwd / "target"
    if kind == "file":
        write(target, "a file")
    else:
        write(target / "thesis.tex", "precious")
    before = tree(cwd)
    code, _, err = cli(capsys, "run", spec, "--out", target, "--executor", "serial", "--quiet")
    assert code == 2 and str(target) in err and "allowed" in err
    assert tree(cwd) == before


# === 5. bounded runs =================================================================================
def test_serial_run_that_never_returns_is_stopped_by_the_time_limit(cwd, monkeypatch):
    spec = write(cwd / "s.toml", spec_text())
    monkeypatch.setenv("EXPERIMENTS_TEST_HANG", "baseline-p00000-r00001")
    t0 = time.time()
    result = run_experiment(spec, executor="serial", timeout=1.0, progress=False)
    assert time.time() - t0 < 20
    assert (result.done, result.failed, result.timed_out) == (1, 1, 1)
    rec = json.loads((cwd / "results" / "s" / "runs" / "failed" / "baseline-p00000-r00001.json").read_text())
    assert rec["status"] == "timeout" and rec["attempts"] == 1 and "time limit" in rec["traceback"]
    assert "[timeout]" in status(spec)["failed_runs"]["baseline-p00000-r00001"]


@pytest.mark.slow
@pytest.mark.parametrize("hook", ["EXPERIMENTS_TEST_HANG", "EXPERIMENTS_TEST_STUCK"])
def test_process_worker_past_its_time_limit_is_killed_and_replaced(cwd, monkeypatch, hook):
    spec = write(cwd / "s.toml", spec_text(reps=3))
    monkeypatch.setenv(hook, "baseline-p00000-r00000")
    t0 = time.time()
    result = run_experiment(spec, executor="process", workers=2, timeout=2.0, progress=False)
    assert time.time() - t0 < 60
    assert (result.done, result.failed, result.timed_out) == (2, 1, 1)
    rec = json.loads((cwd / "results" / "s" / "runs" / "failed" / "baseline-p00000-r00000.json").read_text())
    assert rec["status"] == "timeout"
    if hook == "EXPERIMENTS_TEST_STUCK":
        assert "killed" in rec["traceback"]
        assert result.executor["workers_killed_by_timeout"] == 1


def test_spec_timeout_setting_is_used_and_recorded(cwd):
    spec = write(cwd / "s.toml", spec_text(extra="\n[execution]\ntimeout = 120\n"))
    run_experiment(spec, executor="serial", progress=False)
    assert Store(cwd / "results" / "s").manifest()["sessions"][-1]["timeout"] == 120


@pytest.mark.parametrize(
    ("extra", "count"),
    [
        (
            '\n[design]\nkind = "grid"\n[design.grid]\nstable_share = [0.1, 0.2, 0.3, 0.4, 0.5]\n'
            "phd_output = [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000]\n",
            5 * 10 * 100_000,
        ),
        (
            '\n[design]\nkind = "sobol"\nsamples = 524288\n[design.ranges]\nstable_share = "table"\n'
            'phd_output = "table"\nbreakthrough_rate = "table"\n',
            524288 * 5 * 100_000,
        ),
    ],
)
def test_huge_spec_is_refused_by_check_with_the_count_and_how_to_raise_the_limit(cwd, capsys, extra, count):
    spec = write(cwd / "s.toml", spec_text(reps=100_000, extra=extra))
    t0 = time.time()
    code, _, err = cli(capsys, "check", spec)
    assert time.time() - t0 < 10  # counted, not expanded
    assert code == 2 and f"{count:,} runs" in err and "max_runs" in err and "[execution]" in err
    assert tree(cwd) == ["s.toml"]


def test_run_limit_can_be_raised(cwd, capsys):
    spec = write(cwd / "s.toml", spec_text(reps=3, extra="\n[execution]\nmax_runs = 2\n"))
    assert cli(capsys, "check", spec)[0] == 2
    write(spec, spec_text(reps=3, extra="\n[execution]\nmax_runs = 3\n"))
    assert cli(capsys, "check", spec)[0] == 0


# === 6. bad inputs: exit 2, the value and what is allowed, nothing written ============================
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


BAD_OPTIONS = [
    (("run", "--workers", "-1"), "-1"),
    (("run", "--workers", "100000"), "100000"),
    (("run", "--timeout", "0"), "0"),
    (("run", "--timeout", "-5"), "-5"),
    (("run", "--timeout", "nan"), "nan"),
    (("run", "--executor", "process", "--address", "tcp://127.0.0.1:8786"), "address"),
    (("run", "--executor", "dask", "--address", "not-an-address"), "not-an-address"),
    (("run", "--executor", "dask", "--address", "tcp://127.0.0.1:{port}"), "tcp://127.0.0.1:"),
    (("run", "--executor", "dask", "--address", "tcp://127.0.0.1:99999"), "99999"),
    (("advise", "--pilot", "-3"), "-3"),
    (("advise", "--pilot", "2"), "2"),
    (("advise", "--relative", "-1"), "-1"),
    (("advise", "--relative", "0"), "0"),
    (("advise", "--relative", "inf"), "inf"),
    (("advise", "--half-width", "rd_intensity=abc"), "abc"),
    (("advise", "--half-width", "rd_intensty=1"), "did you mean 'rd_intensity'"),
    (("advise", "--half-width", "rd_intensity=-2"), "-2"),
    (("advise", "--workers", "-1"), "-1"),
    (("plan", "--write", "plan.xlsx"), "plan.xlsx"),
    (("plan", "--write", "no/such/folder/plan.csv"), "no/such/folder"),
    (("collect", "--out", "s.toml"), "s.toml"),
]


@pytest.mark.parametrize(("args", "named"), BAD_OPTIONS, ids=[" ".join(a) for a, _ in BAD_OPTIONS])
def test_bad_option_exits_2_naming_the_value_and_writes_nothing(cwd, capsys, args, named):
    spec = write(cwd / "s.toml", spec_text())
    args = tuple(a.replace("{port}", str(_free_port())) for a in args)
    t0 = time.time()
    code, out, err = cli(capsys, args[0], spec, *args[1:])
    assert time.time() - t0 < 15
    assert code == 2, (out, err)
    assert named in err and "allowed" in err, err
    assert "Traceback" not in err
    assert tree(cwd) == ["s.toml"]


BAD_SPECS = [
    (b'[experiment]\nname = "\xff\xfe bad"\n', "not UTF-8"),
    (
        "[experiment]\nname = 'x'\nscenarios = ['baseline']\nreplications = 2\nroot_seed = 99999999999999999999\n"
        "[metrics]\nsummary = ['rd_intensity']\n",
        "root_seed",
    ),
    (spec_text().replace("replications = 2", "replications = 1e11"), "must be an integer"),
    (spec_text().replace("scale = 0.001", "scale = nan"), "fixed.scale"),
    (
        spec_text(extra='\n[design]\nkind = "lhs"\nsamples = 4\n[design.ranges]\nstable_share = [0.1, inf]\n'),
        "design.ranges.stable_share",
    ),
    (spec_text(extra="\n[execution]\ntimeout = 0\n"), "execution.timeout"),
    (spec_text(extra="\n[execution]\ntimeout = inf\n"), "execution.timeout"),
    (spec_text(extra="\n[execution]\nmax_runs = 0\n"), "execution.max_runs"),
    (spec_text(extra="\n[execution]\nworkers = -1\n"), "execution.workers"),
    (spec_text(extra='\n[execution]\nexecutor = "dask"\naddress = "localhost"\n'), "execution.address"),
    (spec_text(extra="\n[advisor]\nrelative = -1\n"), "advisor.relative"),
    (spec_text(extra="\n[advisor]\npilot = -3\n"), "advisor.pilot"),
    (spec_text(scenarios='["bad_utf8.toml"]'), "not UTF-8"),
    (spec_text(scenarios='["missing.toml"]'), "cannot be loaded"),
]


@pytest.mark.parametrize(("text", "named"), BAD_SPECS, ids=[n + f"-{i}" for i, (_, n) in enumerate(BAD_SPECS)])
def test_bad_spec_exits_2_naming_the_key_and_writes_nothing(cwd, capsys, text, named):
    write(cwd / "bad_utf8.toml", b'[scenario]\nname = "caf\xe9"\n')
    spec = write(cwd / "s.toml", text)
    before = tree(cwd)
    for command in ("check", "run"):
        code, _, err = (
            cli(capsys, command, spec, "--executor", "serial", "--quiet")
            if command == "run"
            else cli(capsys, command, spec)
        )
        assert code == 2 and named in err and "Traceback" not in err, err
    assert tree(cwd) == before


def test_spec_that_is_a_folder_or_missing_exits_2(cwd, capsys):
    (cwd / "d.toml").mkdir()
    for target in ("d.toml", "nope.toml", "nope"):
        code, _, err = cli(capsys, "check", cwd / target)
        assert code == 2 and "no such file" in err and "shipped specs" in err


def test_unwritable_out_exits_2(cwd, capsys):
    spec = write(cwd / "s.toml", spec_text())
    write(cwd / "afile", "x")
    code, _, err = cli(capsys, "run", spec, "--out", cwd / "afile" / "sub", "--executor", "serial", "--quiet")
    assert code == 2 and "afile" in err and "allowed" in err and "Traceback" not in err
    assert tree(cwd) == ["afile", "s.toml"]


def test_full_disk_exits_2_leaves_whole_files_only_and_resumes(cwd, capsys, monkeypatch):
    import experiments.runner as runner

    spec = write(cwd / "s.toml", spec_text(reps=4))
    real = runner.atomic_write_bytes
    calls = {"n": 0}

    def full_disk(path, data):
        calls["n"] += 1
        if "summary" in str(path) and calls["n"] > 6:
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(data[: len(data) // 2])  # half written, then the disk is full
            tmp.unlink()  # what atomic_write_bytes does on an error
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, data)

    monkeypatch.setattr(runner, "atomic_write_bytes", full_disk)
    code, _, err = cli(capsys, "run", spec, "--executor", "serial", "--quiet")
    assert code == 2 and "No space left on device" in err and "Traceback" not in err
    folder = cwd / "results" / "s"
    assert not [p for p in folder.rglob("*") if p.name.endswith(".tmp")]
    done = len(list((folder / "runs" / "summary").glob("*.parquet")))
    assert 0 < done < 4
    monkeypatch.setattr(runner, "atomic_write_bytes", real)
    result = run_experiment(spec, executor="serial", progress=False)
    assert result.skipped == done and result.done == 4 - done


def test_collect_without_results_exits_1_and_writes_nothing(cwd, capsys):
    spec = write(cwd / "s.toml", spec_text())
    for command in ("collect", "analyze", "report"):
        code, _, err = cli(capsys, command, spec)
        assert code == 1 and "run" in err
    assert tree(cwd) == ["s.toml"]


def test_advise_with_valid_options_still_works(cwd, capsys):
    spec = write(cwd / "s.toml", spec_text(reps=3))
    code, out, err = cli(capsys, "advise", spec, "--pilot", "3", "--relative", "0.5", "--executor", "serial", "--quiet")
    assert code == 0, err
    assert re.search(r"replications needed for every target: \d+", out)


# --- `python -m abm run` (abm/cli.py, the lead's file): the fixes are listed in the issue-14 notes ----
def _abm_cli(args: list[str], capsys) -> tuple[int, str]:
    from abm.cli import main as abm_main

    try:
        code = abm_main(args)
    except SystemExit as exc:
        code = exc.code
    return code, capsys.readouterr().err


def test_abm_set_accepts_an_integer_in_exponent_form(cwd, capsys):
    code, err = _abm_cli(["run", "--years", "1", "--scale", "0.001", "--set", "phd_output=1e5", "--quiet"], capsys)
    assert code == 0, err


def test_abm_snapshot_without_out_is_an_error(cwd, capsys):
    code, err = _abm_cli(["run", "--years", "1", "--scale", "0.001", "--snapshot", "agents.csv", "--quiet"], capsys)
    assert code == 2 and "--snapshot" in err and "--out" in err


def test_abm_set_non_integral_value_says_integer(cwd, capsys):
    code, err = _abm_cli(["run", "--years", "1", "--set", "phd_output=1.5", "--quiet"], capsys)
    assert code == 2 and "1.5" in err and "integer" in err


# === 8. Dask: worker deaths and retries recorded in the provenance ====================================
@pytest.mark.slow
def test_dask_worker_death_is_recorded(cwd, monkeypatch):
    spec = write(cwd / "s.toml", spec_text(reps=2))
    victim = "baseline-p00000-r00001"
    monkeypatch.setenv("EXPERIMENTS_TEST_CRASH", victim)
    result = run_experiment(spec, executor="dask", workers=2, progress=False)
    assert result.done == 2 and result.failed == 0
    session = Store(cwd / "results" / "s").manifest()["sessions"][-1]
    assert session["executor"] == "dask" and session["worker_deaths"] == 1
    # the run its worker died on is recorded (a run queued on the same worker may be too)
    assert session["runs_lost_to_worker_deaths"].get(victim, 0) >= 1


# === 9. the report works offline ======================================================================
@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    spec = write(tmp / "s.toml", spec_text(reps=2, scenarios='["baseline", "funding_reform"]'))
    run_experiment(spec, out=tmp / "out", executor="serial", progress=False)
    from experiments.report import make_report

    return make_report(spec, out=tmp / "out", png=False).parent


def test_report_references_no_remote_resource(report_dir):
    pages = [report_dir / "index.html", *sorted((report_dir / "figures").glob("*.html"))]
    assert len(pages) >= 3
    for page in pages:
        text = page.read_text()
        refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", text)
        assert refs, page
        assert not [r for r in refs if re.match(r"(?i)(https?:)?//", r)], (page.name, refs)
        assert "cdn.jsdelivr" not in text and "unpkg.com" not in text
    assert (report_dir / "figures" / "vega-bundle.js").stat().st_size > 100_000


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium")
def test_report_renders_in_a_browser_with_the_network_blocked(report_dir):
    pytest.importorskip("playwright")
    from playwright.sync_api import sync_playwright

    remote, errors = [], []

    def check() -> None:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            )
            try:
                ctx = browser.new_context(offline=True)

                def route(r):
                    if r.request.url.startswith("file:"):
                        return r.continue_()
                    remote.append(r.request.url)
                    return r.abort()

                ctx.route("**/*", route)
                page = ctx.new_page()
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.goto((report_dir / "index.html").as_uri())
                page.frame_locator("iframe").first.locator("#vis svg, #vis canvas").first.wait_for(timeout=15000)
                for fig in sorted((report_dir / "figures").glob("*.html")):
                    page.goto(fig.as_uri())
                    page.wait_for_selector("#vis svg, #vis canvas", timeout=15000)
                    assert "chart error" not in page.inner_text("#vis")
            finally:
                browser.close()

    # the browser runs in a thread of its own: when the e2e tests ran first in this process, their
    # Playwright session keeps an asyncio loop running in the main thread, and the sync API refuses it
    failure: list[BaseException] = []

    def run() -> None:
        try:
            check()
        except BaseException as exc:  # re-raised in the test's thread
            failure.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive(), "the browser check did not finish in 120 s"
    if failure:
        raise failure[0]
    assert remote == [] and errors == []


def test_refused_collect_error_is_an_experiment_error(cwd):
    spec = write(cwd / "s.toml", spec_text())
    run_experiment(spec, executor="serial", progress=False)
    write(spec, spec_text(years=2))
    with pytest.raises(ExperimentError, match="another spec"):
        collect(spec)
    s, _ = collect(spec, accept_stale=True, write=False)
    assert len(s) == 2 and isinstance(s, pd.DataFrame)
    with pytest.raises(SpecError):
        load_spec(write(cwd / "t.toml", spec_text(extra="\n[execution]\nmax_runs = 1\n")))
